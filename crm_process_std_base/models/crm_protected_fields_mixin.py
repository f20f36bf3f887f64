# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools.i18n import format_list

LOG_COLUMNS = frozenset({"id", "create_uid", "create_date", "write_uid", "write_date"})


class CrmProtectedFieldsMixin(models.AbstractModel):
    """Fields that only the process flows change, whatever the entry point.

    A view's ``readonly`` protects nothing: every field is writable over RPC unless
    ``write``/``create`` refuse it. Models of the addons inherit this mixin and name:

    - ``_protected_fields``: written by flows only (states, decisions, dates stamped by
      the system, figures derived from them), never by a user, on create or write;
    - ``_frozen_fields``: links given once at creation (sender, lead, request...), which
      the model's ``create`` validates; never changed afterwards.

    Stored fields declared ``readonly=True`` by the model itself, and stored computed
    fields without inverse, are protected too: a new one is covered by construction.
    Flows write protected fields through ``sudo()`` after their own check of who may act
    (``env.su`` cannot be set over RPC, unlike a context key).
    """

    _name = "crm.protected.fields.mixin"
    _description = "Fields Changed Only by Process Flows"

    _protected_fields = frozenset()
    _frozen_fields = frozenset()

    @api.model
    def _protected_field_names(self):
        """Every field a user may never write on these records (declared or derived)."""
        names = set(self._protected_fields)
        for name, field in self._fields.items():
            if not field.store or field.related or field.inherited:
                continue
            if field._module == "mail" or name in LOG_COLUMNS:
                continue
            if field.readonly and not field.inverse:
                names.add(name)
        return frozenset(names)

    def _raise_protected(self, names):
        labels = format_list(
            self.env, sorted(self._fields[name]._description_string(self.env) for name in names)
        )
        raise AccessError(
            self.env._(
                "%(fields)s of %(model)s are set by the process itself and cannot be "
                "changed directly.",
                fields=labels,
                model=self._description_display(),
            )
        )

    @api.model
    def _description_display(self):
        return self.env["ir.model"]._get(self._name).name or self._description

    @api.model
    def _check_protected_create(self, vals_list):
        if self.env.su:
            return
        protected = self._protected_field_names()
        given = {}
        for vals in vals_list:
            for name in vals.keys() & protected:
                given.setdefault(name, []).append(vals[name])
        # context defaults reach create too (default_state=... over RPC)
        for key, value in self.env.context.items():
            if key.startswith("default_") and key[8:] in protected:
                given.setdefault(key[8:], []).append(value)
        # The web client sends the default of a field its form shows: giving a field
        # its own default (the field's, not a context default_ key) forges nothing.
        forbidden = {
            name
            for name, values in given.items()
            if any(not self._is_field_default(name, value) for value in values)
        }
        if forbidden:
            self._raise_protected(forbidden)

    @api.model
    def _is_field_default(self, name, value):
        field = self._fields[name]
        if field.compute:
            # a value given for a computed field replaces its computation
            return False
        if not field.default:
            return not value
        default = field.default(self)
        return field.convert_to_cache(value, self) == field.convert_to_cache(default, self)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            forbidden = vals.keys() & (self._protected_field_names() | self._frozen_fields)
            if forbidden:
                self._raise_protected(forbidden)
        return super().write(vals)

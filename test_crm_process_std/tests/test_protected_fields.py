"""Protected fields: what only a process flow may change is refused over RPC to everyone.

For every model inheriting ``crm.protected.fields.mixin`` and every field it protects
(``_protected_field_names()``: declared, Python-readonly and stored computed fields) or
freezes (``_frozen_fields``), each role of access_matrix_data.py that may write
the model (access rights) tries, over JSON-RPC as the web client does, on a record of
its own (made by the RECORDS factories): ``write``, ``web_save``, and, when it may
create, ``create`` with the field and ``create`` with ``default_<field>`` in the
context. Each attempt must be refused, and the value stay unchanged.

A guard lists the models of the addons that hold a status (``state``-like selection) or
stored computed values: each must inherit the mixin, or be listed in UNPROTECTED with
the reason why users may write those fields (wizards and SQL views are exempt by kind).
"""

from datetime import date, datetime

from odoo.tests import HttpCase, tagged

from . import repository
from .access_matrix_data import RECORDS, make_role_fixtures

MIXIN = "crm.protected.fields.mixin"
STATE_NAMES = frozenset({"state", "status"})

# Models with a status or stored computed fields whose fields users may write, and why.
UNPROTECTED = {
    "crm.improvement.task": "the improvement plan of the process administrators: they move "
    "its status themselves (kanban), tracked in the chatter",
    "crm.followup": "a follow-up is its author's own record: its summary is computed from "
    "the text the author writes (date, channel, what was said), no flow stamps it",
    "crm.health.backfill.run": "log and progress of the history backfills, written by the "
    "health engine only: no role may create or write them (access rights)",
    "crm.health.snapshot": "history written by the health engine only: no role may "
    "create or write snapshots (access rights), managers may delete them",
    "crm.kpi.target": "configuration edited by process administrators (name and unit "
    "follow the KPI chosen)",
    "crm.sla.node": "configuration edited by process administrators (the model its "
    "events follow is derived from them)",
}

# Models whose protection is under way on a branch (empty on main: the guard names
# entries no longer needed).
PENDING = {}


def forged_value(env, record, field):
    """A value of ``field`` different from the record's (JSON-ready), or None."""
    current = record[field.name]
    if field.type == "selection":
        keys = [key for key, _label in field._description_selection(env)]
        return next((key for key in keys if key != current), None)
    if field.type == "many2one":
        other = env[field.comodel_name].sudo().search([("id", "!=", current.id)], limit=1)
        return other.id or None
    if field.type == "many2many":
        return [[6, 0, []]] if current else None
    if field.type == "boolean":
        return not current
    if field.type in ("integer", "float", "monetary"):
        return (current or 0) + 7
    if field.type in ("char", "text", "html"):
        return "forged"
    if field.type == "date":
        return "2099-01-01"
    if field.type == "datetime":
        return "2099-01-01 00:00:00"
    return None


def same(field, before, after):
    if field.type in ("many2one", "many2many", "one2many"):
        return before.ids == after.ids
    return before == after


@tagged("post_install", "-at_install")
class TestProtectedFields(HttpCase):
    # Odoo tags only the test classes of addons by itself; this one lives outside them.
    test_tags = frozenset({"standard", "at_install"})
    test_module = "crm_process_std"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        make_role_fixtures(cls, "protected", "Protected")

    def _protected_models(self):
        return sorted(
            name
            for name in self.env.registry
            if name != MIXIN and not self.env[name]._abstract and self._inherits_mixin(name)
        )

    def _inherits_mixin(self, name):
        return hasattr(self.env.registry[name], "_check_protected_create")

    def _rpc(self, model, method, args, kwargs=None):
        """Call ``model.method`` over JSON-RPC; return the error's name (None: done)."""
        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw/{model}/{method}",
            json={
                "id": 0,
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            },
            timeout=60,
        )
        response.raise_for_status()
        answer = response.json()
        if "error" in answer:
            return answer["error"].get("data", {}).get("name") or "error"
        return None

    def _own_record(self, model, user):
        spec = RECORDS[model]
        company = user.company_id
        Model = self.env[model].with_user(user).sudo().with_company(company)
        values = spec["values"](self, user, company)
        return Model.create(values), values

    def test_every_model_with_a_status_is_protected(self):
        flagged = {}
        for name in sorted(self.env.registry):
            model = self.env[name]
            if model._original_module not in repository.ADDONS or model._abstract:
                continue
            if model._transient or not model._auto:
                continue  # wizards (their creator's only) and SQL views (read-only)
            if self._inherits_mixin(name):
                continue
            status = [
                field.name
                for field in model._fields.values()
                if field.type == "selection" and field.name in STATE_NAMES
            ]
            stored_computed = [
                field.name
                for field in model._fields.values()
                if field.compute
                and field.store
                and not field.related
                and not field.inherited
                and field._module in repository.ADDONS
            ]
            if status or stored_computed:
                flagged[name] = ", ".join(status + stored_computed)
        listed = set(UNPROTECTED) | set(PENDING)
        missing = [f"{name} ({fields})" for name, fields in flagged.items() if name not in listed]
        self.assertFalse(
            missing,
            f"models with a status or stored computed values that neither inherit {MIXIN} "
            "nor are listed in UNPROTECTED with a reason: " + "; ".join(missing),
        )
        stale = sorted(listed - set(flagged))
        self.assertFalse(
            stale,
            "UNPROTECTED / PENDING entries no longer needed (protected now, or without "
            "status): " + ", ".join(stale),
        )

    def test_protected_fields_refused_over_rpc_for_every_role(self):
        failures, checked = [], 0
        for model in self._protected_models():
            Model = self.env[model]
            names = sorted(Model._protected_field_names() | Model._frozen_fields)
            for role, user in self.users.items():
                if not Model.with_user(user).has_access("write"):
                    continue
                may_create = Model.with_user(user).has_access("create")
                self.authenticate(user.login, user.login)
                savepoint = self.env.cr.savepoint()
                try:
                    record, values = self._own_record(model, user)
                    values = {
                        key: (value.isoformat(sep=" ") if isinstance(value, datetime) else value)
                        for key, value in values.items()
                    }
                    values = {
                        key: (value.isoformat() if isinstance(value, date) else value)
                        for key, value in values.items()
                    }
                    self.env.flush_all()
                    for name in names:
                        field = Model._fields[name]
                        forged = forged_value(self.env, record, field)
                        if forged is None:
                            continue
                        checked += 1
                        label = f"{model}.{name} by {role}"
                        before = record.sudo()[name]
                        attempts = [
                            ("write", [record.ids, {name: forged}], {}),
                            ("web_save", [record.ids, {name: forged}], {"specification": {}}),
                        ]
                        # frozen links are given at creation (validated by the model's
                        # create): only changing them afterwards is refused
                        if may_create and name not in Model._frozen_fields:
                            attempts += [
                                ("create", [dict(values, **{name: forged})], {}),
                                ("create", [values], {"context": {f"default_{name}": forged}}),
                            ]
                        for method, args, kwargs in attempts:
                            error = self._rpc(model, method, args, kwargs)
                            self.env.invalidate_all()
                            how = f"{method}{' (default_)' if 'context' in kwargs else ''}"
                            if error is None and not (
                                how == "create (default_)" and name in values
                            ):
                                # (a default under a given value changes nothing)
                                failures.append(f"{label}: {how} accepted")
                            elif not same(field, before, record.sudo()[name]):
                                failures.append(f"{label}: {how} refused but value changed")
                finally:
                    savepoint.close(rollback=True)
                    self.env.invalidate_all()
        self.assertFalse(
            failures, "flow-only fields written over RPC:\n" + "\n".join(sorted(failures))
        )
        if self._protected_models():
            self.assertTrue(checked, "no protected field was checked")

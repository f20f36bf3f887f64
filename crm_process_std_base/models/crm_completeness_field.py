# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import split_every
from odoo.tools.i18n import format_list

from .crm_cached_config_mixin import config_cache

COMPLETENESS_MODELS = [("crm.lead", "Lead / Opportunity"), ("res.partner", "Customer")]
ACTIVITY_TYPE_XMLID = "crm_process_std_base.mail_activity_type_complete_record"
RECOMPUTE_CRON_XMLID = "crm_process_std_base.ir_cron_crm_completeness_recompute"
PENDING_PARAM = "crm_process_std.completeness_recompute_pending"
INLINE_LIMIT_PARAM = "crm_process_std.completeness_inline_limit"


class CrmCompletenessField(models.Model):
    """One standard field counted in the completeness rate, with its weight.

    ``completeness_rate`` on leads and customers is a stored compute whose
    dependencies are the *candidate* fields of the model
    (``_completeness_candidate_fields``, known when the registry loads); the
    configured fields are a weighted subset of them. Any change to a candidate
    field recomputes the rate, and changing this configuration recomputes every
    record, so the stored rate always matches the configuration.
    """

    _name = "crm.completeness.field"
    _inherit = "crm.cached.config.mixin"
    _description = "Completeness Standard Field"
    _order = "model_name, sequence, id"

    sequence = fields.Integer(default=10)
    model_name = fields.Selection(
        COMPLETENESS_MODELS, string="Applies To", required=True, default="crm.lead"
    )
    field_id = fields.Many2one(
        "ir.model.fields",
        required=True,
        ondelete="cascade",
        domain="[('model', '=', model_name), ('name', 'in', candidate_field_names)]",
    )
    candidate_field_names = fields.Json(compute="_compute_candidate_field_names")
    weight = fields.Float(default=1.0, required=True, help="Relative importance of the field.")
    active = fields.Boolean(default=True)

    _field_unique = models.Constraint(
        "UNIQUE(field_id)", "Each field can be counted only once in the completeness rate."
    )
    _weight_positive = models.Constraint(
        "CHECK(weight > 0)", "The weight of a completeness field must be positive."
    )

    @api.depends("model_name")
    def _compute_candidate_field_names(self):
        for line in self:
            model = self.env[line.model_name] if line.model_name else None
            line.candidate_field_names = list(model._completeness_candidate_fields) if model else []

    @api.constrains("model_name", "field_id")
    def _check_field_id(self):
        for line in self:
            model = self.env[line.model_name]
            # sudo: a field definition (a process administrator reads those of leads and
            # customers only; another model's field must be refused, not hidden)
            field = line.field_id.sudo()
            if (
                field.model != line.model_name
                or field.name not in model._completeness_candidate_fields
            ):
                labels = model.fields_get(list(model._completeness_candidate_fields), ["string"])
                raise ValidationError(
                    self.env._(
                        "%(field)s cannot count in the completeness rate of %(model)s. "
                        "Standard fields: %(allowed)s.",
                        field=field.field_description,
                        model=dict(self._fields["model_name"]._description_selection(self.env))[
                            line.model_name
                        ],
                        allowed=format_list(self.env, [spec["string"] for spec in labels.values()]),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self._recompute_rates(set(lines.mapped("model_name")))
        return lines

    def write(self, vals):
        models_before = set(self.mapped("model_name"))
        result = super().write(vals)
        self._recompute_rates(models_before | set(self.mapped("model_name")))
        return result

    def unlink(self):
        model_names = set(self.mapped("model_name"))
        result = super().unlink()
        self._recompute_rates(model_names)
        return result

    # ------------------------------------------------------------------
    # Rates
    # ------------------------------------------------------------------
    @api.model
    @config_cache
    def _weights(self, model_name):
        """((field name, weight), ...) configured for ``model_name`` (cached: the
        rate is computed on every change of a standard field)."""
        model = self.env[model_name]
        # reads configuration only
        lines = self.sudo().with_context(active_test=True).search([("model_name", "=", model_name)])
        return tuple(
            (line.field_id.name, line.weight)
            for line in lines
            if line.field_id.name in model._completeness_candidate_fields
        )

    @api.model
    def _compute_rates(self, records):
        """Compute completeness_rate / completeness_band of ``records``."""
        weights = self._weights(records._name)
        total = sum(weight for _name, weight in weights)
        for record in records:
            filled = sum(weight for name, weight in weights if record[name])
            rate = round(100.0 * filled / total, 1) if total else 100.0
            record.completeness_rate = rate
            record.completeness_band = next(
                band
                for band, floor in (("100", 100), ("80", 80), ("50", 50), ("25", 25), ("0", 0))
                if rate >= floor
            )

    @api.model
    def _missing_labels(self, record):
        """Labels of the configured fields ``record`` leaves empty."""
        names = [name for name, _weight in self._weights(record._name) if not record[name]]
        strings = record.fields_get(names, ["string"])
        return [strings[name]["string"] for name in names]

    # A configuration change recomputes the rate of every lead and customer: a few
    # hundred inline, more in the scheduled action (triggered at once), so that the
    # administrator's request does not hold a long transaction over every record.
    @api.model
    def _inline_recompute_limit(self):
        # reads configuration only
        value = self.env["ir.config_parameter"].sudo().get_param(INLINE_LIMIT_PARAM, "1000")
        return int(value) if value.isdigit() else 1000

    @api.model
    def _pending_recomputes(self):
        """{model name: last record id already recomputed} left to the scheduled action."""
        # reads configuration only
        value = self.env["ir.config_parameter"].sudo().get_param(PENDING_PARAM) or "{}"
        try:
            pending = json.loads(value)
        except ValueError:
            return {}
        if not isinstance(pending, dict):
            return {}
        return {
            name: last
            for name, last in pending.items()
            if name in dict(COMPLETENESS_MODELS) and isinstance(last, int)
        }

    @api.model
    def _set_pending_recomputes(self, pending):
        # system bookkeeping of the scheduled action, not user data
        self.env["ir.config_parameter"].sudo().set_param(
            PENDING_PARAM, json.dumps(pending) if pending else False
        )

    @api.model
    def _recompute_rates(self, model_names, batch_size=5000):
        """Recompute the stored rates of every record of ``model_names``: inline for a
        few records, else in the scheduled action, triggered now."""
        cron = self.env.ref(RECOMPUTE_CRON_XMLID, raise_if_not_found=False)
        limit = self._inline_recompute_limit()
        deferred = []
        for model_name in model_names:
            # every record of every company: the rate is stored, whoever reads it
            model = self.env[model_name].sudo().with_context(active_test=False)
            if cron and model.search_count([], limit=limit + 1) > limit:
                deferred.append(model_name)
                continue
            for ids in split_every(batch_size, model.search([]).ids):
                self._recompute_batch(model.browse(ids))
        if deferred:
            # system bookkeeping (the caller changed the configuration: administrator ACL)
            # from the start again: records done before the change are stale too
            self._set_pending_recomputes(
                {**self._pending_recomputes(), **dict.fromkeys(deferred, 0)}
            )
            cron.sudo()._trigger()

    @api.model
    def _recompute_batch(self, records):
        for name in ("completeness_rate", "completeness_band"):
            self.env.add_to_compute(records._fields[name], records)
        records.flush_recordset(["completeness_rate", "completeness_band"])

    @api.model
    def _cron_recompute_rates(self, batch_size=2000):
        """Scheduled action: recompute the rates left pending by a configuration change,
        in committed batches in id order. Resumable (the last id done is kept after each
        batch) and idempotent (recomputing a rate twice gives the same rate)."""
        cron = self.env["ir.cron"]
        pending = self._pending_recomputes()
        models_ = {name: self.env[name].with_context(active_test=False) for name in pending}
        cron._commit_progress(
            remaining=sum(
                models_[name].search_count([("id", ">", last)]) for name, last in pending.items()
            )
        )
        for model_name in list(pending):
            while True:
                # read again: a new change restarts a model from its first record
                last = self._pending_recomputes().get(model_name)
                if last is None:
                    break
                ids = models_[model_name].search([("id", ">", last)], order="id", limit=batch_size)
                if not ids:
                    pending = self._pending_recomputes()
                    pending.pop(model_name, None)
                    self._set_pending_recomputes(pending)
                    cron._commit_progress(0)
                    break
                self._recompute_batch(ids)
                self._set_pending_recomputes({**self._pending_recomputes(), model_name: ids[-1].id})
                if not cron._commit_progress(len(ids)):
                    return False
        return True

    @api.model
    def _threshold(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_process_std.completeness_threshold", "80")
        )
        # a stored value out of range (set by hand) must not break every reader
        try:
            threshold = float(value)
        except (TypeError, ValueError):
            return 80.0
        return threshold if 0 <= threshold <= 100 else 80.0

    @api.model
    def _compute_incomplete(self, records):
        threshold = self._threshold()
        for record in records:
            record.completeness_incomplete = record.completeness_rate < threshold

    @api.model
    def _search_incomplete(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        below = (operator == "=") == bool(value)
        return [("completeness_rate", "<" if below else ">=", self._threshold())]

    # ------------------------------------------------------------------
    # Reminder activities
    # ------------------------------------------------------------------
    @api.model
    def _reminder_domains(self):
        """Records whose owner is reminded, per model."""
        return {
            "crm.lead": [("won_status", "=", "pending"), ("user_id", "!=", False)],
            "res.partner": [("parent_id", "=", False), ("user_id", "!=", False)],
        }

    @api.model
    def _cron_remind_incomplete_records(self, batch_size=500):
        """Scheduled action: one 'complete the customer record' activity per
        incomplete record, never a second open one; close those now complete."""
        activity_type = self.env.ref(ACTIVITY_TYPE_XMLID, raise_if_not_found=False)
        if not activity_type:
            return
        Cron = self.env["ir.cron"]
        threshold = self._threshold()
        todo = {}
        for model_name, domain in self._reminder_domains().items():
            self._close_completed_reminders(model_name, activity_type, threshold)
            open_ids = self._open_reminder_res_ids(model_name, activity_type)
            ids = self.env[model_name].search(domain + [("completeness_rate", "<", threshold)]).ids
            todo[model_name] = [res_id for res_id in ids if res_id not in open_ids]
        Cron._commit_progress(remaining=sum(len(ids) for ids in todo.values()))
        for model_name, ids in todo.items():
            for batch in split_every(batch_size, ids):
                self._create_reminders(self.env[model_name].browse(batch), activity_type)
                if not Cron._commit_progress(len(batch)):
                    return

    @api.model
    def _open_reminder_res_ids(self, model_name, activity_type):
        # scheduled action (superuser): every owner's reminders
        activities = (
            self.env["mail.activity"]
            .sudo()
            ._read_group(
                [("res_model", "=", model_name), ("activity_type_id", "=", activity_type.id)],
                ["res_id"],
            )
        )
        return {res_id for [res_id] in activities}

    @api.model
    def _close_completed_reminders(self, model_name, activity_type, threshold):
        # scheduled action (superuser): every owner's reminders
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search([("res_model", "=", model_name), ("activity_type_id", "=", activity_type.id)])
        )
        if not activities:
            return
        complete = set(
            self.env[model_name]
            .with_context(active_test=False)
            .search(
                [("id", "in", activities.mapped("res_id")), ("completeness_rate", ">=", threshold)]
            )
            .ids
        )
        done = activities.filtered(lambda activity: activity.res_id in complete)
        if done:
            done._action_done(feedback=self.env._("The record is now complete enough."))

    @api.model
    def _create_reminders(self, records, activity_type):
        model_id = self.env["ir.model"]._get_id(records._name)
        deadline = fields.Date.context_today(self) + timedelta(days=activity_type.delay_count or 0)
        vals_list = []
        for record in records:
            note = Markup("<p>%s</p>") % self.env._(
                "Completeness %(rate)s %%, below the standard. Missing: %(missing)s.",
                rate=record.completeness_rate,
                missing=format_list(self.env, self._missing_labels(record)),
            )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": record.id,
                    "activity_type_id": activity_type.id,
                    "summary": activity_type.summary or activity_type.name,
                    "note": note,
                    "user_id": record.user_id.id,
                    "date_deadline": deadline,
                }
            )
        # scheduled action: activities for the owners of the records, whoever runs it
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            vals_list
        )

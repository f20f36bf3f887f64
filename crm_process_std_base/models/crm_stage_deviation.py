# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools.i18n import format_list

DEVIATION_KINDS = [("warning", "Warning rule"), ("exception", "Manager exception")]


class CrmStageDeviation(models.Model):
    """A stage move that did not meet the process standard: a lead moved on
    despite a warn-mode requirement, or under a sales manager's exception."""

    _name = "crm.stage.deviation"
    _inherit = "crm.protected.fields.mixin"
    _description = "Process Deviation"
    _order = "date desc, id desc"
    _rec_name = "lead_id"
    # Process history: written by the stage gates and the exception wizard only (sudo,
    # after their own checks); a manager may only complete the reason.
    _protected_fields = frozenset(
        {
            "lead_id",
            "stage_id",
            "kind",
            "date",
            "user_id",
            "lead_user_id",
            "team_id",
            "company_id",
            "requirement_ids",
            "missing_items",
            "granted_by_id",
            "exception_state",
            "used_date",
            "deviation_count",
            "lead_name",
            "stage_name",
        }
    )

    # History outlives its lead and stage: their names are kept when they are deleted.
    lead_id = fields.Many2one(
        "crm.lead", string="Lead / Opportunity", index=True, ondelete="set null"
    )
    lead_name = fields.Char(readonly=True, help="Name of the lead, kept if it is deleted.")
    stage_id = fields.Many2one("crm.stage", index=True, ondelete="set null")
    stage_name = fields.Char(readonly=True, help="Name of the stage, kept if it is deleted.")
    kind = fields.Selection(DEVIATION_KINDS, string="Type", required=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one(
        "res.users", string="Done By", default=lambda self: self.env.user, index=True
    )
    lead_user_id = fields.Many2one("res.users", string="Salesperson", index=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    company_id = fields.Many2one("res.company", index=True)
    requirement_ids = fields.Many2many("crm.stage.requirement", string="Requirements Not Met")
    missing_items = fields.Char(string="Missing")
    reason = fields.Text(help="Why the sales manager allowed the exception.")
    granted_by_id = fields.Many2one("res.users")
    exception_state = fields.Selection(
        [("granted", "Granted, not used yet"), ("used", "Used")], index=True
    )
    used_date = fields.Datetime(string="Used On")
    deviation_count = fields.Integer(default=1, aggregator="sum", help="1 per deviation (reports).")

    @api.depends("lead_id", "lead_name")
    def _compute_display_name(self):
        for deviation in self:
            deviation.display_name = deviation.lead_id.display_name or deviation.lead_name or ""

    @api.model
    def _keep_lead_names(self, leads):
        """Before ``leads`` are deleted: their deviations keep the lead's name."""
        for deviation in self.search([("lead_id", "in", leads.ids)]):
            deviation.lead_name = deviation.lead_id.name

    @api.model
    def _keep_stage_names(self, stages):
        """Before ``stages`` are deleted: their deviations keep the stage's name."""
        for deviation in self.search([("stage_id", "in", stages.ids)]):
            deviation.stage_name = deviation.stage_id.name

    @api.model
    def _prepare_vals(self, lead, stage, kind, rule_items, items):
        return {
            "lead_id": lead.id,
            "stage_id": stage.id,
            "kind": kind,
            "lead_user_id": lead.user_id.id,
            "team_id": lead.team_id.id,
            "company_id": lead.company_id.id,
            "requirement_ids": [fields.Command.set([rule.id for rule, _items in rule_items])],
            "missing_items": format_list(self.env, items),
        }

    @api.model
    def _granted_exceptions(self, leads, stage):
        """{lead id: unused exception} granted for moving ``leads`` into ``stage``."""
        if not leads:
            return {}
        # exceptions of the leads the caller is moving (write checked): gate outcome only
        exceptions = self.sudo().search(
            [
                ("kind", "=", "exception"),
                ("exception_state", "=", "granted"),
                ("stage_id", "=", stage.id),
                ("lead_id", "in", leads.ids),
            ],
            order="date, id",
        )
        result = {}
        for exception in exceptions:
            result.setdefault(exception.lead_id.id, exception)
        return result

    def _use(self, rule_items, items):
        """Mark this exception used by a move that it let through."""
        self.write(
            {
                "exception_state": "used",
                "used_date": fields.Datetime.now(),
                "requirement_ids": [fields.Command.set([rule.id for rule, _items in rule_items])],
                "missing_items": format_list(self.env, items),
            }
        )

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools.i18n import format_list


class CrmLeadApproval(models.Model):
    """Tiered approval of a deal by amount."""

    _inherit = "crm.lead"

    approval_ids = fields.One2many("crm.lead.approval", "lead_id", string="Approvals")
    approval_state = fields.Selection(
        [
            ("not_required", "Not Required"),
            ("to_request", "To Request"),
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        compute="_compute_approval_state",
        help="Approval of the deal by amount, needed before the gated stage.",
    )
    approval_missing_levels = fields.Char(
        compute="_compute_approval_state",
        string="Approvals Missing",
        help="Approval levels this deal still needs for its current amount.",
    )

    @api.depends("expected_revenue", "team_id", "company_id", "approval_ids.state")
    def _compute_approval_state(self):
        status = self.env["crm.lead.approval"]._approval_status(self)
        for lead in self:
            lead.approval_state, missing = status[lead.id]
            lead.approval_missing_levels = format_list(self.env, missing.mapped("name"))

    def action_request_approval(self):
        return self.env["crm.lead.approval"]._request(self)

    def _check_stage_gates(self, stage):
        result = super()._check_stage_gates(stage)
        self.env["crm.lead.approval"]._check_leads(self, stage)
        return result

    def _after_write_concerns(self, vals):
        result = super()._after_write_concerns(vals)
        # an amount crossing a higher threshold resets the approvals
        if "expected_revenue" in vals:
            self.env["crm.lead.approval"]._reset_outdated(self)
        return result

    @api.model
    def _process_history_models(self):
        return (*super()._process_history_models(), "crm.lead.approval")

    @api.model
    def _process_history_kept_models(self):
        return (*super()._process_history_kept_models(), "crm.lead.approval")

    def _move_process_records_to(self, heads, present):
        result = super()._move_process_records_to(heads, present)
        if heads_moved := self._move_lead_records("crm.lead.approval", heads, present):
            # approvals given for another amount do not cover the merged deal's
            self.env["crm.lead.approval"]._reset_outdated(heads_moved)
        return result

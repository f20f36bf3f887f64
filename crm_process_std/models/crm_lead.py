# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .crm_handoff import HANDOFF_STATES


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # --- Stage gates: the single write/create override; concerns extend _check_stage_gates ---
    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        for stage in leads.stage_id:
            leads.filtered(lambda lead, stage=stage: lead.stage_id == stage)._check_stage_gates(
                stage
            )
        return leads

    def write(self, vals):
        if vals.get("stage_id"):
            stage = self.env["crm.stage"].browse(vals["stage_id"])
            self.filtered(lambda lead: lead.stage_id != stage)._check_stage_gates(stage)
        res = super().write(vals)
        self._after_write_concerns(vals)
        return res

    def _check_stage_gates(self, stage):
        """Raise when a gate forbids moving these leads into ``stage``; concerns extend this."""
        if not self:
            return
        # handoff and tiered approval
        self.env["crm.lead.approval"]._check_leads(self, stage)
        self.env["crm.handoff"]._check_leads(self, stage)

    def _after_write_concerns(self, vals):
        """React to written values for every entry point; concerns extend this."""
        # tiered approval: an amount crossing a higher threshold resets the approvals
        if "expected_revenue" in vals:
            self.env["crm.lead.approval"]._reset_outdated(self)

    # --- Handoff to after-sales ---
    handoff_ids = fields.One2many("crm.handoff", "lead_id", string="Handoffs")
    handoff_state = fields.Selection(
        HANDOFF_STATES,
        string="Handoff Status",
        compute="_compute_handoff_state",
        help="Status of the latest handoff of this deal to after-sales.",
    )
    handoff_count = fields.Integer(compute="_compute_handoff_state")

    @api.depends("handoff_ids.state")
    def _compute_handoff_state(self):
        for lead in self:
            lead.handoff_state = lead.handoff_ids[:1].state
            lead.handoff_count = len(lead.handoff_ids)

    def _handle_won_lost(self, old_status_by_lead, new_status_by_lead):
        res = super()._handle_won_lost(old_status_by_lead, new_status_by_lead)
        # Only leads won by a write (old status known): imported won deals get no handoff.
        newly_won = self.filtered(
            lambda lead: (
                lead.id in old_status_by_lead
                and not old_status_by_lead[lead.id]["is_won"]
                and new_status_by_lead.get(lead.id, {}).get("is_won")
            )
        )
        self.env["crm.handoff"]._create_for_won_leads(newly_won)
        return res

    def action_open_handoffs(self):
        self.ensure_one()
        return self.env["crm.handoff"]._action_open_for_lead(self)

    # --- Tiered approval by amount ---
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
            lead.approval_missing_levels = ", ".join(missing.mapped("name"))

    def action_request_approval(self):
        return self.env["crm.lead.approval"]._request(self)

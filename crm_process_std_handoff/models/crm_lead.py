# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .crm_handoff import HANDOFF_STATES


class CrmLeadHandoff(models.Model):
    """Handoff of a won deal to after-sales."""

    _inherit = "crm.lead"

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
        # Leads won by a write (old status known); leads created won get their handoff
        # from create, once their stage passed its gates.
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

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        # the leads the caller just created (create rights and rules checked by the ORM)
        won = leads.filtered(lambda lead: lead.won_status == "won")
        if won and not self._loading_module_data():
            # created won (import, copy, default stage): handed over like a won write
            self.env["crm.handoff"]._create_for_won_leads(won)
        return leads

    def _won_marks_customer(self):
        # the handoff may decide it when after-sales accepts (Settings of the companies)
        companies = self.mapped(lambda lead: lead.company_id or self.env.company)
        handoffs = self.env["crm.handoff"]
        return super()._won_marks_customer() and not handoffs._marks_customer_on_acceptance(
            companies
        )

    def _check_stage_gates(self, stage):
        result = super()._check_stage_gates(stage)
        self.env["crm.handoff"]._check_leads(self, stage)
        return result

    @api.model
    def _process_history_models(self):
        return (*super()._process_history_models(), "crm.handoff")

    @api.model
    def _process_history_kept_models(self):
        return (*super()._process_history_kept_models(), "crm.handoff")

    def _move_process_records_to(self, heads, present):
        result = super()._move_process_records_to(heads, present)
        self._move_lead_records("crm.handoff", heads, present)
        return result

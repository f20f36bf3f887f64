# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .crm_followup import FOLLOWUP_CHANNELS


# --- Follow-ups, last contact and SLA timers (issue 4) -------------------------
# Fields only; the follow-up log (crm.followup) and the SLA clocks (crm.sla.timer)
# hold the logic.
class CrmLeadFollowup(models.Model):
    _inherit = "crm.lead"

    crm_followup_ids = fields.One2many("crm.followup", "lead_id", string="Follow-ups")
    crm_followup_count = fields.Integer(
        string="Follow-up Count", compute="_compute_crm_followup_count"
    )
    last_contact_date = fields.Datetime(
        compute="_compute_last_contact",
        store=True,
        index=True,
        help="Date of the latest follow-up logged on this lead (automatic).",
    )
    last_contact_channel = fields.Selection(
        FOLLOWUP_CHANNELS, compute="_compute_last_contact", store=True
    )
    last_contact_summary = fields.Text(compute="_compute_last_contact", store=True)
    crm_sla_timer_ids = fields.One2many("crm.sla.timer", "lead_id", string="SLA Timers")
    sla_breach_count = fields.Integer(
        string="SLA Breaches", compute="_compute_sla_flags", store=True, compute_sudo=True
    )
    sla_overdue = fields.Boolean(
        string="SLA Overdue",
        compute="_compute_sla_flags",
        store=True,
        compute_sudo=True,
        help="A process time limit of this lead has passed and its node is not done yet.",
    )

    @api.depends("crm_followup_ids")
    def _compute_crm_followup_count(self):
        counts = dict(
            self.env["crm.followup"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.crm_followup_count = counts.get(lead._origin, 0)

    @api.depends("crm_followup_ids.date", "crm_followup_ids.channel", "crm_followup_ids.summary")
    def _compute_last_contact(self):
        self.env["crm.followup"]._set_last_contact(self, "lead_id")

    @api.depends("crm_sla_timer_ids.state", "crm_sla_timer_ids.date_stop")
    def _compute_sla_flags(self):
        self.env["crm.sla.timer"]._set_record_flags(self, "lead_id")

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        self.env["crm.sla.timer"].sudo()._on_leads_created(leads)
        return leads

    def write(self, vals):
        snapshot = self.env["crm.sla.timer"]._lead_snapshot(self, vals)
        result = super().write(vals)
        if snapshot:
            self.env["crm.sla.timer"].sudo()._on_leads_written(self, snapshot)
        return result

    def _handle_won_lost(self, old_status_by_lead, new_status_by_lead):
        result = super()._handle_won_lost(old_status_by_lead, new_status_by_lead)
        won = self.filtered(
            lambda lead: (
                new_status_by_lead.get(lead.id, {}).get("is_won")
                and not old_status_by_lead.get(lead.id, {}).get("is_won")
            )
        )
        if won:
            self.env["crm.sla.timer"].sudo()._start_timers("lead_won", won)
        return result

    def action_crm_log_followup(self):
        """Open a new follow-up of this lead."""
        self.ensure_one()
        partner = self.partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Follow-up"),
            "res_model": "crm.followup",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_lead_id": self.id,
                "default_partner_id": partner.commercial_partner_id.id,
                "default_contact_id": partner.id if partner.parent_id else False,
                "default_company_id": self.company_id.id or self.env.company.id,
            },
        }

    def action_crm_view_followups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std.action_crm_followup"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {
            "default_lead_id": self.id,
            "default_partner_id": self.partner_id.commercial_partner_id.id,
        }
        return action

    def action_crm_view_sla_timers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std.action_crm_sla_timer"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"search_default_group_state": False}
        return action

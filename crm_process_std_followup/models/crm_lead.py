# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.crm_process_std_base.tools import known_without

from .crm_followup import FOLLOWUP_CHANNELS


class CrmLeadFollowup(models.Model):
    """Follow-ups of a lead and its last contact."""

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
        # a lead just created has no follow-up yet: no query for it
        empty = known_without(self, "crm_followup_ids")
        empty.update(
            {
                "last_contact_date": False,
                "last_contact_channel": False,
                "last_contact_summary": False,
            }
        )
        if self - empty:
            self.env["crm.followup"]._set_last_contact(self - empty, "lead_id")

    def action_crm_log_followup(self):
        """Open a new follow-up of this lead."""
        self.ensure_one()
        self.check_access("read")
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
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std_followup.action_crm_followup"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {
            "default_lead_id": self.id,
            "default_partner_id": self.partner_id.commercial_partner_id.id,
        }
        return action

    def _after_write_concerns(self, vals):
        result = super()._after_write_concerns(vals)
        # a prospect that gets a customer: its follow-ups count for that customer (no
        # query unless a lead has follow-ups: their stored last contact tells)
        if vals.get("partner_id"):
            self.env["crm.followup"]._attach_to_lead_customers(self)
        return result

    @api.model
    def _process_history_models(self):
        return (*super()._process_history_models(), "crm.followup")

    def _detach_process_records(self, present):
        result = super()._detach_process_records(present)
        if present["crm.followup"]:
            # Follow-ups of a prospect that never had a customer belong to the lead
            # alone: they go with it, as its messages and activities do. Those with a
            # customer stay in the customer's history (set null).
            self.env["crm.followup"]._of_leads_without_customer(self).unlink()
        return result

    def _move_process_records_to(self, heads, present):
        result = super()._move_process_records_to(heads, present)
        if heads_moved := self._move_lead_records("crm.followup", heads, present):
            # follow-ups of a merged prospect count for the surviving lead's customer
            self.env["crm.followup"]._attach_to_lead_customers(heads_moved)
        return result

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.fields import Domain

from .crm_followup import CHANNEL_BY_ACTIVITY_CATEGORY

FOLLOWUP_MODELS = ("crm.lead", "res.partner")


class MailActivity(models.Model):
    """Activities created by cadence rules, and "log as follow-up" on completion."""

    _inherit = "mail.activity"

    crm_cadence_rule_id = fields.Many2one(
        "crm.cadence.rule",
        string="Cadence Rule",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
    )
    crm_cadence_kind = fields.Selection(
        [("reminder", "Follow-up Reminder"), ("escalation", "Escalation")],
        string="Cadence Activity",
        readonly=True,
        copy=False,
    )
    crm_cadence_escalated = fields.Boolean(string="Escalated", readonly=True, copy=False)
    crm_can_log_followup = fields.Boolean(compute="_compute_crm_can_log_followup")

    # A record never has two open cadence reminders, whatever runs concurrently.
    _crm_cadence_one_open_reminder = models.UniqueIndex(
        "(res_model, res_id) WHERE (active IS TRUE AND crm_cadence_kind = 'reminder')",
        "A record already has an open follow-up reminder.",
    )

    @api.depends("res_model")
    def _compute_crm_can_log_followup(self):
        for activity in self:
            activity.crm_can_log_followup = activity.res_model in FOLLOWUP_MODELS

    @api.model
    def _crm_cadence_open_activities(self, *recordsets):
        """Open cadence reminders and escalations of the given records."""
        domains = [
            Domain("res_model", "=", records._name) & Domain("res_id", "in", records.ids)
            for records in recordsets
            if records
        ]
        if not domains:
            return self.browse()
        return self.search(Domain.OR(domains) & Domain("crm_cadence_kind", "!=", False))

    def _crm_followup_defaults(self):
        """Values of a follow-up completing this activity."""
        self.ensure_one()
        values = {"activity_id": self.id, "user_id": (self.user_id or self.env.user).id}
        if self.res_model not in FOLLOWUP_MODELS:
            return values
        record = self.env[self.res_model].browse(self.res_id)
        contact = record.partner_id if self.res_model == "crm.lead" else record
        if self.res_model == "crm.lead":
            values.update(lead_id=record.id, company_id=record.company_id.id or self.env.company.id)
        if contact:
            values["partner_id"] = contact.commercial_partner_id.id
            if contact != contact.commercial_partner_id:
                values["contact_id"] = contact.id
        channel = self.crm_cadence_rule_id.channel or CHANNEL_BY_ACTIVITY_CATEGORY.get(
            self.activity_category
        )
        if not channel and self.activity_type_id == self.env.ref(
            "mail.mail_activity_data_email", raise_if_not_found=False
        ):
            channel = "email"
        if channel:
            values["channel"] = channel
        previous = self.env["crm.followup"]._latest_followups(
            "lead_id" if self.res_model == "crm.lead" else "commercial_partner_id",
            [record.id if self.res_model == "crm.lead" else contact.commercial_partner_id.id],
        )
        # the latest follow-up, when the user may read it (its ids came from SQL)
        latest = next(iter(previous.values()), self.env["crm.followup"])._filtered_access("read")
        if latest:
            values["previous_conclusion"] = latest.next_step
        return values

    def action_crm_log_followup(self):
        """Open the follow-up form prefilled from this activity; saving it marks
        the activity done."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Follow-up"),
            "res_model": "crm.followup",
            "view_mode": "form",
            "views": [(self.env.ref("crm_process_std_followup.view_crm_followup_form").id, "form")],
            "target": "new",
            "context": {"default_activity_id": self.id},
        }

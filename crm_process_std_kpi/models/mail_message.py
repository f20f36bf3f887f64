# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from odoo.addons.crm_process_std_followup.models.crm_interaction import (
    INTERACTION_MESSAGE_TYPES as CONTACT_TYPES,
)

# Messages that may be a staff member's contact with the lead (crm.interaction)
# queue it whoever wrote them: the stored value is recomputed from the definition.
# Written values that may move the first contact of the lead a message is on.
CONTACT_VALUES = {"model", "res_id", "date", "message_type", "author_id", "mail_activity_type_id"}


class MailMessage(models.Model):
    """Keep the first contact time of leads (process KPIs) in step with their
    messages. Messages on other records are left alone: the checks below read
    the values given or the messages' own cached fields, no query."""

    _inherit = "mail.message"

    def _crm_contacted_lead_ids(self):
        return {
            message.res_id
            for message in self
            if message.model == "crm.lead"
            and message.res_id
            and (message.mail_activity_type_id or message.message_type in CONTACT_TYPES)
        }

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        # decided from the values: reading the new messages back would cost queries
        lead_ids = {
            vals["res_id"]
            for vals in vals_list
            if vals.get("model") == "crm.lead"
            and vals.get("res_id")
            and (
                vals.get("mail_activity_type_id")
                or vals.get("message_type", "comment") in CONTACT_TYPES
            )
        }
        if lead_ids:
            self.env["crm.kpi"]._kpi_queue_first_contact(lead_ids)
        return messages

    def write(self, vals):
        result = super().write(vals)
        # moved to another record (e.g. leads merged), redated or retyped: the first
        # contact of the lead they are on now may change (a lead they left keeps its
        # own: that contact did happen on it)
        if CONTACT_VALUES & vals.keys():
            lead_ids = {
                message.res_id for message in self if message.model == "crm.lead" and message.res_id
            }
            if lead_ids:
                self.env["crm.kpi"]._kpi_queue_first_contact(lead_ids)
        return result

    def unlink(self):
        lead_ids = self._crm_contacted_lead_ids()
        result = super().unlink()
        if lead_ids:
            self.env["crm.kpi"]._kpi_queue_first_contact(lead_ids)
        return result

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class CrmFollowup(models.Model):
    """Follow-ups are contacts with the lead: its first contact may move."""

    _inherit = "crm.followup"

    def _on_followups_logged(self):
        result = super()._on_followups_logged()
        self.env["crm.kpi"]._kpi_queue_first_contact(self.lead_id.ids)
        return result

    @api.model
    def _on_followup_leads_changed(self, leads):
        result = super()._on_followup_leads_changed(leads)
        self.env["crm.kpi"]._kpi_queue_first_contact(leads.ids)
        return result

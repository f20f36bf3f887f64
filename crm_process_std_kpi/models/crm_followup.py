# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class CrmFollowup(models.Model):
    """Follow-ups are contacts with the lead: its first contact may move."""

    _inherit = "crm.followup"

    @api.model
    def _on_followups_logged(self, followups):
        super()._on_followups_logged(followups)
        self.env["crm.kpi"]._kpi_queue_first_contact(followups.lead_id.ids)

    @api.model
    def _on_followup_leads_changed(self, leads):
        super()._on_followup_leads_changed(leads)
        self.env["crm.kpi"]._kpi_queue_first_contact(leads.ids)

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Split transition, reverted at the merge: while the SLA timers and the process KPIs
still live in crm_process_std_base, their reactions to follow-ups are here. Their place:
crm_process_std_sla overrides ``_on_followups_logged`` (stop the clocks a follow-up
stops) and crm_process_std_kpi overrides ``_on_lead_followups_changed`` (queue the
first contact of the leads)."""

from odoo import api, models


class CrmFollowup(models.Model):
    _inherit = "crm.followup"

    def _on_followups_logged(self):
        result = super()._on_followups_logged()
        self.env["crm.sla.timer"].sudo()._stop_timers("followup_logged", self.lead_id)
        return result

    @api.model
    def _on_lead_followups_changed(self, leads):
        result = super()._on_lead_followups_changed(leads)
        self.env["crm.kpi"]._kpi_queue_first_contact(leads.ids)
        return result

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class CrmFollowup(models.Model):
    _inherit = "crm.followup"

    def _on_followups_logged(self):
        result = super()._on_followups_logged()
        # sudo: timers are flow records; the caller may read the leads (checked by create)
        self.env["crm.sla.timer"].sudo()._stop_timers("followup_logged", self.lead_id)
        return result

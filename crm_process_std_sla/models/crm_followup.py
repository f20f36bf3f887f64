# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class CrmFollowup(models.Model):
    _inherit = "crm.followup"

    @api.model
    def _on_followups_logged(self, followups):
        res = super()._on_followups_logged(followups)
        # sudo: timers are flow records; the caller may read the leads (checked by create)
        self.env["crm.sla.timer"].sudo()._stop_timers("followup_logged", followups.lead_id)
        return res

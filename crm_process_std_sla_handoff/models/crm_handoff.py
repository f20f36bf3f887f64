# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class CrmHandoff(models.Model):
    _inherit = "crm.handoff"

    def _sla_on_accepted(self):
        res = super()._sla_on_accepted()
        # the clocks waiting for this acceptance stop now, not at the next scheduled run
        # (sudo: timers are flow records; the caller may decide, checked by the acceptance)
        self.env["crm.sla.timer"].sudo()._stop_timers("handoff_accepted", self.sudo().lead_id)
        return res

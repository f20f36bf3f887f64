# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class CrmSlaLeadEvent(models.AbstractModel):
    _inherit = "crm.sla.lead.event"

    @api.model
    def _start_condition(self):
        # A clock waiting for the handoff's acceptance does not start on a lead whose
        # handoff is accepted already (won again, or accepted before the win): nothing
        # would ever stop it.
        self.env["crm.handoff"].flush_model(["lead_id", "state"])
        return SQL(
            "%s AND NOT (n.stop_event = 'handoff_accepted' AND EXISTS ("
            " SELECT 1 FROM crm_handoff h WHERE h.lead_id = v.lead_id AND h.state = 'accepted'))",
            super()._start_condition(),
        )

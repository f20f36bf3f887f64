# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmComplaint(models.Model):
    _inherit = "crm.complaint"

    user_id = fields.Many2one(
        help="Answers and handles the complaint. By default its author when in after-sales, "
        "else the leader of the team receiving handoffs (Settings)."
    )

    @api.model
    def _default_dispatcher(self):
        # the after-sales team is the team receiving handoffs: its leader dispatches
        team = self.env["crm.handoff"]._default_receiver_team()
        return team.user_id or super()._default_dispatcher()

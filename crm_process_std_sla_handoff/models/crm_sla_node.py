# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmSlaNode(models.Model):
    _inherit = "crm.sla.node"

    # A node waiting for an acceptance means nothing without handoffs: it goes (with
    # its timers) when this bridge is uninstalled.
    stop_event = fields.Selection(
        selection_add=[("handoff_accepted", "Handoff accepted")],
        ondelete={"handoff_accepted": "cascade"},
    )

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _crm_std_order_stats_sources(self, date_from):
        """Confirmed sale orders count as deals, in company currency."""
        self.env["sale.order"].flush_model(
            ["state", "date_order", "amount_untaxed", "currency_rate", "partner_id"]
        )
        return [
            *super()._crm_std_order_stats_sources(date_from),
            SQL(
                "SELECT p.commercial_partner_id AS partner_id,"
                " so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount"
                " FROM sale_order so JOIN res_partner p ON p.id = so.partner_id"
                " WHERE so.state = 'sale' AND so.date_order >= %s",
                date_from,
            ),
        ]

    @api.model
    def _crm_std_won_lead_conditions(self):
        """A won opportunity with a confirmed order is counted through its orders."""
        self.env["sale.order"].flush_model(["opportunity_id", "state"])
        return [
            *super()._crm_std_won_lead_conditions(),
            SQL(
                "NOT EXISTS (SELECT 1 FROM sale_order so"
                " WHERE so.opportunity_id = l.id AND so.state = 'sale')"
            ),
        ]

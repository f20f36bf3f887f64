# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _crm_std_order_stats_sources(self, date_from, readable=False):
        """Confirmed sale orders count as deals, in their company's currency; with
        ``readable``, only the orders the current user may read."""
        self.env["sale.order"].flush_model(
            ["state", "date_order", "amount_untaxed", "currency_rate", "partner_id", "company_id"]
        )
        sources = super()._crm_std_order_stats_sources(date_from, readable=readable)
        visible = SQL("TRUE")
        if readable:
            Order = self.env["sale.order"]
            if not Order.has_access("read"):
                return sources
            visible = SQL("so.id IN %s", Order._search([("state", "=", "sale")]).subselect())
        return [
            *sources,
            # Every confirmed order for the tier recompute (system data), else only
            # those the reader's record rules allow (``visible``).
            SQL(
                "SELECT p.commercial_partner_id AS partner_id, so.company_id,"
                " so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount,"
                " so.date_order AS date"
                " FROM sale_order so JOIN res_partner p ON p.id = so.partner_id"
                " WHERE so.state = 'sale' AND so.date_order >= %s AND %s",
                date_from,
                visible,
            ),
        ]

    @api.model
    def _crm_std_open_order_sources(self, as_of=None):
        """A quotation not confirmed nor cancelled yet is an open order; ``as_of`` a
        date, one created by the end of that day and not confirmed nor cancelled by
        then."""
        self.env["sale.order"].flush_model(
            ["state", "partner_id", "create_date", "date_order", "write_date"]
        )
        is_open = SQL("so.state IN ('draft', 'sent')")
        if as_of is not None:
            # Confirming stamps date_order with the confirmation time. Sale keeps no
            # date of a cancellation: the last change of a cancelled quotation
            # (write_date) is the best available.
            is_open = SQL(
                "so.create_date < %(until)s AND (%(open)s"
                " OR (so.state = 'sale' AND so.date_order >= %(until)s)"
                " OR (so.state = 'cancel' AND so.write_date >= %(until)s))",
                until=as_of + timedelta(days=1),
                open=is_open,
            )
        return [
            *super()._crm_std_open_order_sources(as_of=as_of),
            SQL(
                "SELECT p.commercial_partner_id AS partner_id"
                " FROM sale_order so JOIN res_partner p ON p.id = so.partner_id WHERE %s",
                is_open,
            ),
        ]

    @api.model
    def _crm_std_won_lead_conditions(self):
        """A won opportunity with a confirmed order is counted through its orders."""
        self.env["sale.order"].flush_model(["opportunity_id", "state"])
        # Condition only: which lead counts, never a figure of the order.
        return [
            *super()._crm_std_won_lead_conditions(),
            SQL(
                "NOT EXISTS (SELECT 1 FROM sale_order so"
                " WHERE so.opportunity_id = l.id AND so.state = 'sale')"
            ),
        ]

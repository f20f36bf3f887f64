# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, time

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

AS_OF = date(2024, 4, 30)


@tagged("post_install", "-at_install")
class TestOpenOrders(TransactionCase):
    """A quotation is an open order (health score's open orders and churn warning),
    now or as of a past date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Quote Buyer", "is_company": True})
        cls.desk = cls.env["product.product"].create({"name": "Standing desk", "list_price": 900})

    @staticmethod
    def at(day):
        return datetime.combine(day, time(10))

    def quotation(self, created):
        """A quotation created on ``created`` (the ORM stamps the transaction's time,
        not the frozen one)."""
        with freeze_time(self.at(created)):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [(0, 0, {"product_id": self.desk.id, "product_uom_qty": 1})],
                }
            )
        order.flush_recordset()
        self.env.cr.execute(
            "UPDATE sale_order SET create_date = %s WHERE id = %s", (self.at(created), order.id)
        )
        order.invalidate_recordset(["create_date"])
        return order

    def open_orders(self, as_of=None):
        """Open orders of the customer (quotations: it has no opportunity), now or
        at the end of ``as_of``."""
        rows = self.env.execute_query(
            SQL(
                "SELECT count(*) FROM (%s) o WHERE o.partner_id = %s",
                self.env["res.partner"]._crm_std_open_orders_sql(as_of=as_of),
                self.customer.id,
            )
        )
        return rows[0][0]

    def test_quotations_open_at_a_past_date(self):
        self.quotation(date(2024, 4, 1))  # still a quotation
        confirmed_later = self.quotation(date(2024, 4, 10))
        with freeze_time(self.at(date(2024, 5, 3))):
            confirmed_later.action_confirm()
        confirmed_before = self.quotation(date(2024, 4, 12))
        with freeze_time(self.at(date(2024, 4, 20))):
            confirmed_before.action_confirm()
        cancelled_later = self.quotation(date(2024, 4, 15))
        cancelled_later.action_cancel()  # today, after AS_OF
        cancelled_before = self.quotation(date(2024, 3, 1))
        cancelled_before.action_cancel()
        cancelled_before.flush_recordset()
        # sale keeps no cancellation date: the last change stands for it
        self.env.cr.execute(
            "UPDATE sale_order SET write_date = %s WHERE id = %s",
            (self.at(date(2024, 3, 20)), cancelled_before.id),
        )
        self.quotation(date(2024, 5, 2))  # not created yet on AS_OF

        # On 30 April: the quotation of 1 April, the one confirmed on 3 May and the
        # one cancelled today; now: the quotations of 1 April and 2 May.
        self.assertEqual(self.open_orders(AS_OF), 3)
        self.assertEqual(self.open_orders(), 2)

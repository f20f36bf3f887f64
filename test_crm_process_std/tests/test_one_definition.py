"""One definition per concept: an order and an interaction count the same way in the
customer tiers, the health score, the process KPIs and a lead's first contact.

Orders come from ``res.partner._crm_std_orders_sql`` (won opportunities, confirmed sale
orders with ``crm_process_std_sale``), interactions from ``crm.interaction``; the test
database has the whole product with the sale bridge.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.crm_health_score.tests.common import HealthCase

BIG = 10**9  # far above every demo customer: the top fifth of the KPI's customers


@tagged("post_install", "-at_install")
class TestOneDefinition(HealthCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.desk = cls.env["product.product"].create({"name": "Boardroom table"})
        cls.company = cls.env.company
        cls.kpi = cls.env["crm.kpi"]
        cls.today = fields.Date.today()

    def sale_order(self, customer, day, amount, confirm=True):
        with freeze_time(self.at(day)):
            order = self.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "order_line": [
                        (0, 0, {"product_id": self.desk.id, "price_unit": amount}),
                    ],
                }
            )
            if confirm:
                order.action_confirm()
        return order

    def neglected(self):
        """The neglected high-value customers of this month (KPI, 30 days)."""
        start = self.today.replace(day=1)
        return self.kpi._kpi_record_ids("neglected_customers", start, self.today)

    def test_a_confirmed_sale_order_counts_in_tiers_health_and_kpis(self):
        customer = self.make_customer("Sale Order Only Ltd")
        self.sale_order(customer, self.today - timedelta(days=45), BIG)

        # tiers: an order of the last 12 months, its amount, the VIP tier
        since = fields.Datetime.now() - relativedelta(months=12)
        stats = customer._crm_std_order_stats(since)
        self.assertEqual(stats[customer.id]["count"], 1)
        self.assertEqual(stats[customer.id]["amount"], BIG)
        customer._crm_std_recompute_tiers(commit=False)
        self.assertEqual(customer.customer_tier_auto, "vip")

        # health: one order in the last 3 months, none open
        record = self.score(customer, self.today)
        self.assertEqual((record.order_count, record.open_order_count), (1, 0))

        # KPI: a customer by its order, high-value, silent for 30 days: neglected
        self.assertIn(customer.id, self.neglected())

        # a quotation is an open order for the health score's churn warning
        self.sale_order(customer, self.today - timedelta(days=1), 100, confirm=False)
        record = self.score(customer, self.today)
        self.assertEqual((record.order_count, record.open_order_count), (1, 1))

    def test_an_order_in_the_last_days_is_not_neglect(self):
        customer = self.make_customer("Recent Buyer Ltd")
        self.sale_order(customer, self.today - timedelta(days=2), BIG)
        self.assertNotIn(customer.id, self.neglected())

    def test_an_interaction_counts_alike_for_first_contact_health_and_kpis(self):
        customer = self.make_customer("Note Taker Ltd")
        self.sale_order(customer, self.today - timedelta(days=60), BIG)
        lead = self.open_opportunity(customer)
        # created three days ago (the ORM stamps the transaction's time)
        lead.flush_recordset()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s",
            (self.at(self.today - timedelta(days=3), 9), lead.id),
        )
        lead.invalidate_recordset(["create_date"])
        self.assertIn(customer.id, self.neglected())

        # the customer writing to us is not an interaction, anywhere
        with freeze_time(self.at(self.today - timedelta(days=2))):
            lead.message_post(body="Any news?", message_type="email", author_id=customer.id)
        self.env.cr.flush()  # the commit point: first contacts are stored
        self.assertFalse(lead.first_contact_date)
        self.assertEqual(self.score(customer, self.today).interaction_count, 0)
        self.assertIn(customer.id, self.neglected())

        # a staff member's note on the lead is one, everywhere
        self.post_note(lead, self.today - timedelta(days=1))
        self.env.cr.flush()
        lead.invalidate_recordset(["first_contact_date"])
        self.assertEqual(lead.first_contact_date, self.at(self.today - timedelta(days=1), 15))
        record = self.score(customer, self.today)
        self.assertEqual(record.interaction_count, 1)
        self.assertEqual(record.last_interaction_date, self.today - timedelta(days=1))
        self.assertNotIn(customer.id, self.neglected())

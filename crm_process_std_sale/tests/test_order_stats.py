# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user


class TestOrderStats(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Order Buyer", "is_company": True})
        cls.desk = cls.env["product.product"].create({"name": "Standing desk", "list_price": 1000})
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)

    def _order(self, quantity, opportunity=None, confirm=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "opportunity_id": opportunity.id if opportunity else False,
                "order_line": [
                    (0, 0, {"product_id": self.desk.id, "product_uom_qty": quantity,
                            "price_unit": 1000})
                ],
            }
        )  # fmt: skip
        if confirm:
            order.action_confirm()
        return order

    def _won(self, amount):
        lead = self.env["crm.lead"].create(
            {"name": "Desks", "type": "opportunity", "partner_id": self.customer.id,
             "expected_revenue": amount}
        )  # fmt: skip
        lead.stage_id = self.won_stage
        return lead

    def _stats(self):
        date_from = fields.Datetime.now() - relativedelta(months=12)
        return self.customer._crm_std_order_stats(date_from).get(self.customer.id)

    def test_confirmed_orders_count_as_deals(self):
        self._order(2)
        self._order(5, confirm=False)  # a quotation is not a deal
        self.assertEqual(self._stats(), {"count": 1, "amount": 2000})

    def test_won_opportunity_with_orders_counted_once(self):
        opportunity = self._won(9000)
        self._order(3, opportunity=opportunity)
        self._won(500)
        self.assertEqual(self._stats(), {"count": 2, "amount": 3500})

    def test_tier_recompute_uses_orders(self):
        self.env.company.crm_std_tier_vip_revenue = 4000
        self._order(5)
        self.customer.action_crm_std_recompute_tier()
        self.assertEqual(self.customer.customer_tier, "vip")

    def test_salesperson_sees_the_revenue_of_the_orders_they_may_read(self):
        seller = new_test_user(
            self.env, login="stats_own_seller", groups="sales_team.group_sale_salesman"
        )
        self._order(2).user_id = seller
        self._order(3).user_id = self.env.ref("base.user_admin")
        customer = self.customer.with_user(seller)
        self.assertEqual((customer.tier_revenue_12m, customer.tier_order_count_12m), (2000, 1))
        self.assertEqual(self._stats(), {"count": 2, "amount": 5000}, "system figures")

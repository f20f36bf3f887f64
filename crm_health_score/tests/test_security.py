# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import HealthCase

TODAY = date(2024, 6, 25)


class TestHealthAccess(HealthCase):
    """A salesperson sees the health only of the customers they may see."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_seller = new_test_user(
            cls.env, login="health_own_seller", groups="sales_team.group_sale_salesman"
        )
        cls.other_seller = new_test_user(
            cls.env, login="health_other_seller", groups="sales_team.group_sale_salesman"
        )

    def _scored(self, name, **vals):
        customer = self.make_customer(name, **vals)
        self.log_followup(customer, TODAY - timedelta(days=3))
        return customer, self.score(customer, TODAY)

    def test_own_documents_salesperson_sees_only_own_customers(self):
        mine, my_health = self._scored("Mine Ltd", user_id=self.own_seller.id)
        theirs, their_health = self._scored("Theirs Ltd", user_id=self.other_seller.id)
        followed, followed_health = self._scored(
            "Followed Ltd",
            user_id=self.other_seller.id,
            customer_success_user_id=self.own_seller.id,
        )
        Score = self.env["crm.health.score"].with_user(self.own_seller)

        visible = Score.search([("partner_id", "in", [mine.id, theirs.id, followed.id])])

        self.assertEqual(visible, my_health | followed_health)
        with self.assertRaises(AccessError):
            their_health.with_user(self.own_seller).read(["score"])
        self.assertEqual(mine.with_user(self.own_seller).health_score_id, my_health)
        self.assertFalse(theirs.with_user(self.own_seller).health_score_id)

    def test_customer_of_their_latest_opportunity_is_visible(self):
        customer = self.make_customer("Lead Owned Ltd", user_id=False)
        self.log_followup(customer, TODAY - timedelta(days=3))
        lead = self.open_opportunity(customer)
        lead.user_id = self.own_seller
        record = self.score(customer, TODAY)

        self.assertEqual(
            self.env["crm.health.score"]
            .with_user(self.own_seller)
            .search([("id", "=", record.id)]),
            record,
        )

    def test_customer_success_and_all_documents_users_see_every_customer(self):
        __, theirs = self._scored("Anyone Ltd", user_id=self.other_seller.id)
        for user in (self.success_manager, self.staff):
            with self.subTest(user=user.login):
                self.assertEqual(
                    self.env["crm.health.score"].with_user(user).search([("id", "=", theirs.id)]),
                    theirs,
                )

    def test_salesperson_cannot_override_or_configure(self):
        __, mine = self._scored("Read Only Ltd", user_id=self.own_seller.id)
        with self.assertRaises(AccessError):
            mine.with_user(self.own_seller).write({"override_reason": "I know better"})
        with self.assertRaises(AccessError):
            self.scorecard.with_user(self.own_seller).write({"low_risk_threshold": 80})

    def test_other_company_health_is_hidden(self):
        other_company = self.env["res.company"].create({"name": "Health Sister Co"})
        __, record = self._scored("Abroad Ltd", company_id=other_company.id)
        self.assertEqual(record.company_id, other_company)
        self.assertFalse(
            self.env["crm.health.score"].with_user(self.staff).search([("id", "=", record.id)])
        )

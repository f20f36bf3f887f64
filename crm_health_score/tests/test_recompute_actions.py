# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user

from .common import HealthCase

TODAY = date(2024, 6, 25)


class TestHealthRecomputeActions(HealthCase):
    """'Recompute now' for one customer or all, from the health views and the
    customer form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_manager = new_test_user(
            cls.env, login="health_sales_manager", groups="sales_team.group_sale_manager"
        )

    def test_customer_form_button_creates_and_scores_the_health(self):
        customer = self.make_customer("Fresh Account", needs_match="high")
        self.log_followup(customer, TODAY - timedelta(days=2))
        self.assertFalse(self.health_of(customer))

        with freeze_time(self.at(TODAY)):
            action = customer.with_user(self.sales_manager).action_open_health_score()

        record = self.env["crm.health.score"].browse(action["res_id"])
        self.assertEqual(record.partner_id, customer)
        self.assertEqual(record.state, "scored")
        self.assertEqual(record.recency_days, 2)
        self.assertEqual(customer.with_user(self.sales_manager).health_score, record.score)

    def test_contact_person_opens_the_health_of_its_company(self):
        customer = self.make_customer("Parent Co")
        contact = self.env["res.partner"].create({"name": "Wang Fang", "parent_id": customer.id})
        self.log_followup(contact, TODAY - timedelta(days=1))
        record = self.score(customer, TODAY)

        self.assertEqual(contact.health_score_id, record)

    def test_users_cannot_be_scored(self):
        with self.assertRaisesRegex(UserError, "cannot have a health score"):
            self.staff.partner_id.action_open_health_score()

    def test_recompute_now_updates_the_selected_record(self):
        customer = self.make_customer("Busy Buyer", needs_match="low")
        self.log_followup(customer, TODAY - timedelta(days=40))
        record = self.score(customer, TODAY)
        self.assertEqual(record.recency_days, 40)

        self.log_followup(customer, TODAY)
        with freeze_time(self.at(TODAY, 18)):
            record.with_user(self.sales_manager).action_recompute()

        self.assertEqual(record.recency_days, 0)
        self.assertEqual(record.interaction_count, 2)

    def test_recompute_all_now_scores_every_customer_at_once(self):
        customer = self.seed_example_a(TODAY)
        with freeze_time(self.at(TODAY)):
            action = (
                self.env["crm.health.score"].with_user(self.sales_manager).action_recompute_all()
            )
        self.assertEqual(action["tag"], "soft_reload")
        self.assertEqual(self.health_of(customer).score, 85)

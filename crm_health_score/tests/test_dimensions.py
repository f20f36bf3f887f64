# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time

from .common import HealthCase

TODAY = date(2024, 6, 25)


class TestHealthDimensions(HealthCase):
    """Each dimension's raw value comes from real CRM records."""

    def test_interactions_count_followups_notes_done_activities_and_meetings(self):
        customer = self.make_customer("Orbit Machines")
        contact = self.env["res.partner"].create({"name": "Li Wei", "parent_id": customer.id})
        lead = self.open_opportunity(contact)
        self.log_followup(contact, TODAY - timedelta(days=12))
        self.post_note(customer, TODAY - timedelta(days=30))
        self.post_note(lead, TODAY - timedelta(days=40))
        self.mark_activity_done(lead, TODAY - timedelta(days=50))
        self.hold_meeting(contact, TODAY - timedelta(days=60))

        record = self.score(customer, TODAY)

        self.assertEqual(record.interaction_count, 5)
        self.assertEqual(record.last_interaction_date, TODAY - timedelta(days=12))
        self.assertEqual(record.recency_days, 12)
        self.assertAlmostEqual(record.frequency_value, 1.67)

    def test_system_messages_customer_emails_and_plans_are_not_interactions(self):
        customer = self.make_customer("Quiet Holdings")
        lead = self.open_opportunity(customer)
        self.log_followup(customer, TODAY - timedelta(days=40))
        with freeze_time(self.at(TODAY - timedelta(days=2))):
            # the customer writing to us, a tracking change and a bot note
            customer.message_post(
                body="Where is my quote?", message_type="email", author_id=customer.id
            )
            lead.write({"expected_revenue": 5000})
            customer.message_post(
                body="Automatic reminder",
                message_type="comment",
                author_id=self.env.ref("base.partner_root").id,
            )
            # an activity planned but not done, a follow-up planned in the future
            lead.activity_schedule("mail.mail_activity_data_call", user_id=self.staff.id)
        self.log_followup(customer, TODAY + timedelta(days=3))

        record = self.score(customer, TODAY)

        self.assertEqual(record.interaction_count, 1)
        self.assertEqual(record.recency_days, 40)

    def test_done_activity_counts_once_not_twice_with_its_chatter_message(self):
        customer = self.make_customer("Single Count Ltd")
        self.mark_activity_done(customer, TODAY - timedelta(days=5))

        record = self.score(customer, TODAY)

        self.assertEqual(record.interaction_count, 1)
        self.assertEqual(record.recency_days, 5)

    def test_interactions_older_than_three_months_only_count_for_recency(self):
        customer = self.make_customer("Old Friends Co")
        self.log_followup(customer, TODAY - timedelta(days=100))
        self.log_followup(customer, TODAY - timedelta(days=120))

        record = self.score(customer, TODAY)

        self.assertEqual(record.interaction_count, 0)
        self.assertEqual(record.frequency_value, 0)
        self.assertEqual(record.recency_days, 100)
        self.assertEqual(record.frequency_points, 0)

    def test_orders_are_opportunities_won_in_the_last_three_months(self):
        customer = self.make_customer("Buyer Group")
        contact = self.env["res.partner"].create({"name": "Zhao Min", "parent_id": customer.id})
        self.win_opportunity(customer, TODAY - timedelta(days=10))
        self.win_opportunity(contact, TODAY - timedelta(days=80))
        self.win_opportunity(customer, TODAY - timedelta(days=120))  # too old
        lost = self.open_opportunity(customer)
        lost.action_set_lost()
        self.open_opportunity(customer)

        record = self.score(customer, TODAY)

        self.assertEqual(record.order_count, 2)
        self.assertEqual(record.open_order_count, 1)
        self.assertEqual(record.order_points, 80)

    def test_unresolved_complaints_weigh_double_within_six_months(self):
        customer = self.make_customer("Grumpy Retail")
        self.file_complaint(customer, TODAY - timedelta(days=20), state="open")
        self.file_complaint(customer, TODAY - timedelta(days=60), state="in_progress")
        self.file_complaint(customer, TODAY - timedelta(days=90), state="resolved")
        self.file_complaint(customer, TODAY - timedelta(days=200), state="open")  # too old

        record = self.score(customer, TODAY)

        self.assertEqual(record.complaint_count, 3)
        self.assertEqual(record.complaint_open_count, 2)
        self.assertEqual(record.complaint_value, 5.0)  # 1 + 2 x 2
        self.assertEqual(record.complaint_points, 0)

    def test_needs_match_comes_from_the_customer_set_by_sales(self):
        customer = self.make_customer("Fit Partners", needs_match="medium")
        self.log_followup(customer, TODAY - timedelta(days=1))

        record = self.score(customer, TODAY)

        self.assertEqual(record.needs_match, "medium")
        self.assertEqual(record.needs_points, 60)

    def test_salesperson_team_and_manager_come_from_customer_and_latest_opportunity(self):
        team = self.env["crm.team"].create({"name": "Key Accounts"})
        customer = self.make_customer(
            "Team Owned", user_id=False, customer_success_user_id=self.success_manager.id
        )
        lead = self.open_opportunity(customer)
        lead.team_id = team

        record = self.score(customer, TODAY)

        self.assertEqual(record.user_id, self.staff)
        self.assertEqual(record.team_id, team)
        self.assertEqual(record.customer_success_user_id, self.success_manager)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from .common import HealthCase

TODAY = date(2024, 6, 25)


class TestHealthChurnWarning(HealthCase):
    """No interaction for 30 days and nothing open: churn risk, one activity for
    the customer-success manager and a note on the customer, cleared when the
    customer is active again."""

    def _churn_activities(self, customer):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", customer.id),
                ("summary", "=", "Churn risk: contact within 3 days"),
            ]
        )

    def _notes(self, customer, text):
        return customer.message_ids.filtered(lambda m: text in (m.body or ""))

    def test_silent_customer_is_flagged_once_with_activity_and_note(self):
        customer = self.make_customer(
            "Silent Corp", needs_match="high", customer_success_user_id=self.success_manager.id
        )
        self.log_followup(customer, TODAY - timedelta(days=31))

        record = self.score(customer, TODAY)

        self.assertTrue(record.churn_risk)
        self.assertEqual(record.churn_since, TODAY)
        activity = self._churn_activities(customer)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.success_manager)
        self.assertEqual(activity.date_deadline, TODAY + timedelta(days=3))
        self.assertEqual(record.churn_activity_id, activity)
        self.assertEqual(len(self._notes(customer, "no interaction for 31 days")), 1)

        # the next nights change nothing: no second activity, no second note
        self.score(customer, TODAY + timedelta(days=1))
        self.score(customer, TODAY + timedelta(days=2))
        self.assertEqual(len(self._churn_activities(customer)), 1)
        self.assertEqual(len(self._notes(customer, "Churn risk: no interaction")), 1)

    def test_churn_note_by_the_system_does_not_count_as_interaction(self):
        customer = self.make_customer(
            "Still Silent", customer_success_user_id=self.success_manager.id
        )
        self.log_followup(customer, TODAY - timedelta(days=40))
        self.score(customer, TODAY)

        record = self.score(customer, TODAY + timedelta(days=1))

        self.assertTrue(record.churn_risk)
        self.assertEqual(record.recency_days, 41)

    def test_customer_active_again_is_cleared_and_activity_removed(self):
        customer = self.make_customer(
            "Comeback Ltd", customer_success_user_id=self.success_manager.id
        )
        self.log_followup(customer, TODAY - timedelta(days=45))
        self.assertTrue(self.score(customer, TODAY).churn_risk)

        self.log_followup(customer, TODAY + timedelta(days=1))
        record = self.score(customer, TODAY + timedelta(days=1))

        self.assertFalse(record.churn_risk)
        self.assertFalse(record.churn_since)
        self.assertFalse(self._churn_activities(customer))
        self.assertEqual(len(self._notes(customer, "Churn risk cleared")), 1)

    def test_open_opportunity_means_no_churn_risk(self):
        customer = self.make_customer(
            "Negotiating Inc", customer_success_user_id=self.success_manager.id
        )
        self.log_followup(customer, TODAY - timedelta(days=60))
        self.open_opportunity(customer)

        record = self.score(customer, TODAY)

        self.assertFalse(record.churn_risk)
        self.assertFalse(self._churn_activities(customer))

    def test_churn_delay_comes_from_settings_and_falls_back_to_salesperson(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_health_score.churn_days", 60)
        customer = self.make_customer("Patient Buyer")
        self.log_followup(customer, TODAY - timedelta(days=45))
        self.assertFalse(self.score(customer, TODAY).churn_risk)

        record = self.score(customer, TODAY + timedelta(days=15))

        self.assertTrue(record.churn_risk)
        self.assertEqual(self._churn_activities(customer).user_id, self.staff)

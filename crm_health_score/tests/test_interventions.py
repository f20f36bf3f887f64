# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from odoo.exceptions import ValidationError

from .common import HealthCase

TODAY = date(2024, 6, 25)


class TestHealthInterventions(HealthCase):
    """Intervention rules suggest what to do and schedule one activity when a
    customer starts matching."""

    def _rule_activities(self, customer, summary):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", customer.id),
                ("summary", "=", summary),
            ]
        )

    def test_high_risk_customer_gets_one_call_for_its_success_manager(self):
        customer = self.seed_example_yy(TODAY)

        record = self.score(customer, TODAY)

        rule = self.env.ref("crm_health_score.crm_health_rule_high_risk")
        self.assertIn(rule, record.intervention_rule_ids)
        activity = self._rule_activities(customer, rule.name)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.success_manager)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual(activity.date_deadline, TODAY + timedelta(days=3))

        # still high risk the next nights, even once the call is done: no new activity
        self.score(customer, TODAY + timedelta(days=1))
        activity.action_feedback(feedback="Called, waiting for their IT team.")
        self.score(customer, TODAY + timedelta(days=2))
        self.assertFalse(self._rule_activities(customer, rule.name))
        all_calls = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", customer.id),
                    ("summary", "=", rule.name),
                ]
            )
        )
        self.assertEqual(len(all_calls), 1)

    def test_custom_rule_on_a_dimension_assigns_a_specific_user(self):
        rule = self.env["crm.health.intervention.rule"].create(
            {
                "name": "Send the satisfaction survey",
                "dimension": "complaints",
                "max_points": 40,
                "suggestion": "Send the satisfaction survey after the complaint is closed.",
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "activity_due_days": 5,
                "assignee": "user",
                "user_id": self.staff.id,
            }
        )
        customer = self.seed_example_yy(TODAY)

        record = self.score(customer, TODAY)

        self.assertIn(rule, record.intervention_rule_ids)
        self.assertIn("satisfaction survey", record.intervention)
        activity = self._rule_activities(customer, "Send the satisfaction survey")
        self.assertEqual(
            (activity.user_id, activity.date_deadline), (self.staff, TODAY + timedelta(days=5))
        )

    def test_rule_needs_a_condition(self):
        with self.assertRaisesRegex(ValidationError, "needs a condition"):
            self.env["crm.health.intervention.rule"].create(
                {"name": "Always", "suggestion": "Do something."}
            )

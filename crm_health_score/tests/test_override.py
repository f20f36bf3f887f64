# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form

from .common import HealthCase

TODAY = date(2024, 6, 25)


class TestHealthOverride(HealthCase):
    """A manual override with reason and expiry wins over the computed score until
    it expires; every change shows in the chatter."""

    def test_override_is_honoured_until_expiry_then_computed_score_returns(self):
        customer = self.seed_example_yy(TODAY)
        record = self.score(customer, TODAY)
        self.assertEqual((record.score, record.risk_level), (40, "high"))

        with freeze_time(self.at(TODAY)):
            form = Form(record.with_user(self.success_manager))
            form.override_active = True
            form.override_score = 75
            form.override_reason = "Signed a framework contract at the trade fair."
            form.override_expiry = TODAY + timedelta(days=10)
            form.save()
            self.env.flush_all()
            self.env.cr.precommit.run()  # tracking values are written at commit
        self.assertEqual((record.score, record.risk_level), (75, "medium"))
        self.assertEqual(record.override_user_id, self.success_manager)
        tracked = record.message_ids.tracking_value_ids.mapped("field_id.name")
        self.assertIn("override_reason", tracked)

        # nightly recomputes keep the override while it lasts
        record = self.score(customer, TODAY + timedelta(days=10))
        self.assertEqual((record.score, record.risk_level), (75, "medium"))
        self.assertEqual(record.computed_risk_level, "high")

        record = self.score(customer, TODAY + timedelta(days=11))
        self.assertFalse(record.override_active)
        self.assertEqual(record.risk_level, "high")
        self.assertLess(record.score, 60)
        self.assertTrue(record.message_ids.filtered(lambda m: "override expired" in (m.body or "")))

    def test_override_of_risk_level_only_keeps_override_score(self):
        customer = self.seed_example_a(TODAY)
        record = self.score(customer, TODAY)
        with freeze_time(self.at(TODAY)):
            record.write(
                {
                    "override_active": True,
                    "override_score": 85,
                    "override_risk_level": "high",
                    "override_reason": "Key contact left the company.",
                    "override_expiry": TODAY + timedelta(days=30),
                }
            )
        self.assertEqual((record.score, record.risk_level), (85, "high"))

    def test_override_needs_reason_and_future_expiry(self):
        record = self.score(self.seed_example_a(TODAY), TODAY)
        with freeze_time(self.at(TODAY)):
            with self.assertRaisesRegex(ValidationError, "Give a reason for overriding"):
                record.write(
                    {
                        "override_active": True,
                        "override_score": 50,
                        "override_expiry": TODAY + timedelta(days=5),
                    }
                )
            with self.assertRaisesRegex(ValidationError, "needs an expiry date from today on"):
                record.write(
                    {
                        "override_active": True,
                        "override_score": 50,
                        "override_reason": "Gut feeling",
                        "override_expiry": TODAY - timedelta(days=1),
                    }
                )

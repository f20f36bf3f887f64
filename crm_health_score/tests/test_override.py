# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time
from lxml import etree

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

    def test_trend_and_history_follow_the_computed_score_beside_the_override(self):
        """An override up on a customer whose computed score falls
        gives a negative trend; the snapshots hold the computed score, the override
        beside it."""
        monday = date(2024, 6, 3)
        customer = self.seed_example_a(monday)
        record = self.score(customer, monday)
        self.assertEqual((record.computed_score, record.score), (85, 85))

        with freeze_time(self.at(monday + timedelta(days=1))):
            form = Form(record.with_user(self.success_manager))
            form.override_active = True
            form.override_score = 100
            form.override_reason = "Framework contract signed at the trade fair."
            form.override_expiry = monday + timedelta(days=40)
            form.save()
        first_week = self.score(customer, monday + timedelta(days=2)).snapshot_ids
        self.assertEqual(
            (first_week.score, first_week.override_active, first_week.override_score),
            (85, True, 100),
        )

        # Three weeks without contact: the computed score falls 85 -> 69, the override stays.
        record = self.score(customer, monday + timedelta(days=21))
        self.assertEqual((record.score, record.risk_level), (100, "low"))
        self.assertEqual((record.previous_score, record.computed_score), (85, 69))
        self.assertEqual(record.trend, -16)
        self.assertEqual(record.computed_risk_level, "medium")
        self.assertEqual(
            self.env["crm.health.score"].search(
                [("trend", "<", 0), ("partner_id", "=", customer.id)]
            ),
            record,
        )
        snapshot = record.snapshot_ids.sorted("period_start")[-1]
        self.assertEqual(
            (snapshot.score, snapshot.risk_level, snapshot.trend),
            (69, "medium", -16),
        )
        self.assertEqual((snapshot.override_active, snapshot.override_score), (True, 100))
        self.assertIn("computed score 85 → 69", record.change_summary)
        self.assertIn("Days Since Last Interaction: 80 → 40 points (-10.0)", record.change_summary)

    def test_override_is_shown_beside_the_computed_score_in_every_view(self):
        Health = self.env["crm.health.score"].with_user(self.success_manager)
        views = Health.get_views([(False, "kanban"), (False, "list"), (False, "form")])["views"]
        for view_type in ("kanban", "list", "form"):
            arch = etree.fromstring(views[view_type]["arch"])
            with self.subTest(view=view_type):
                shown = arch.xpath("//field[@name='computed_score']")
                self.assertTrue(shown)
                self.assertNotIn("override", shown[0].get("invisible", ""))
                when_overridden = "@invisible='not override_active'"
                override = arch.xpath(
                    f"//field[@name='override_score'][not(ancestor::page)]"
                    f"[{when_overridden} or ancestor::*[{when_overridden}]]"
                )
                self.assertTrue(override, "the override is shown beside the computed score")
        history = etree.fromstring(
            self.env["crm.health.snapshot"].get_views([(False, "list")])["views"]["list"]["arch"]
        )
        self.assertTrue(history.xpath("//field[@name='override_score']"))

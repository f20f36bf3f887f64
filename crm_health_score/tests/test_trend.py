# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time

from .common import HealthCase

MONDAY = date(2024, 6, 3)


class TestHealthTrend(HealthCase):
    """Snapshots per customer and period give the trend, the 'Declining' filter
    and what changed since last time."""

    def test_weekly_snapshots_give_trend_and_declining_filter(self):
        customer = self.make_customer("Fading Co", needs_match="high")
        self.log_followup(customer, MONDAY - timedelta(days=2))
        self.win_opportunity(customer, MONDAY - timedelta(days=10))

        first = self.score(customer, MONDAY)
        self.score(customer, MONDAY + timedelta(days=2))  # same week: replaces its snapshot
        self.assertEqual(len(first.snapshot_ids), 1)
        self.assertEqual(first.trend, 0)

        record = self.score(customer, MONDAY + timedelta(days=21))

        self.assertEqual(len(record.snapshot_ids), 2)
        # 23 days without interaction: recency 100 -> 60 points (weight 25): 72 -> 62
        self.assertEqual((record.previous_score, record.score, record.trend), (72, 62, -10))
        declining = self.env["crm.health.score"].search(
            [("trend", "<", 0), ("partner_id", "=", customer.id)]
        )
        self.assertEqual(declining, record)
        self.assertIn("Days Since Last Interaction: 100 → 60 points (-10.0)", record.change_summary)

    def test_later_run_of_the_period_rewrites_its_snapshot_only_when_it_changed(self):
        customer = self.make_customer("Wavering Co", needs_match="high")
        self.log_followup(customer, MONDAY - timedelta(days=2))
        self.win_opportunity(customer, MONDAY - timedelta(days=10))
        record = self.score(customer, MONDAY)
        snapshot = record.snapshot_ids
        self.assertEqual((snapshot.score, snapshot.date), (72, MONDAY))

        # Tuesday: one more day without interaction, same score: the snapshot stays
        self.score(customer, MONDAY + timedelta(days=1))
        snapshot.invalidate_recordset()
        self.assertEqual((snapshot.score, snapshot.date), (72, MONDAY))

        # Wednesday: an open complaint lowers the score: the week's snapshot follows
        self.file_complaint(customer, MONDAY + timedelta(days=2))
        record = self.score(customer, MONDAY + timedelta(days=2))
        record.snapshot_ids.invalidate_recordset()
        self.assertEqual(record.snapshot_ids, snapshot, "one snapshot per period")
        self.assertLess(record.score, 72)
        self.assertEqual(
            (snapshot.score, snapshot.date, snapshot.complaint_points),
            (record.score, MONDAY + timedelta(days=2), record.complaint_points),
        )

    def test_monthly_period_and_retention_purge_old_snapshots(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_health_score.snapshot_period", "month"
        )
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_health_score.snapshot_retention_months", 3
        )
        customer = self.make_customer("Steady Co", needs_match="medium")
        self.log_followup(customer, MONDAY)
        self.score(customer, MONDAY)
        self.score(customer, MONDAY + timedelta(days=7))
        record = self.score(customer, MONDAY + timedelta(days=40))
        self.assertEqual(
            record.snapshot_ids.mapped("period_start"), [date(2024, 7, 1), date(2024, 6, 1)]
        )

        with self.subTest("retention"):
            with freeze_time(self.at(MONDAY + timedelta(days=100))):
                self.engine._purge_snapshots()
            record.invalidate_recordset()
            self.assertEqual(record.snapshot_ids.mapped("period_start"), [date(2024, 7, 1)])

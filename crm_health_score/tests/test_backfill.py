# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_health_score.hooks import post_init_hook

from .common import HealthCase

TODAY = date(2024, 6, 26)
APRIL, MAY, JUNE = date(2024, 4, 1), date(2024, 5, 1), date(2024, 6, 1)


@tagged("post_install", "-at_install")
class TestBackfillHistory(HealthCase):
    """Backfill History: the snapshots of the past periods computed from the
    customer's dated follow-ups, orders and complaints, as of each period's last day,
    marked backfilled; recorded snapshots kept; trend from the snapshot before."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="health_backfill_admin",
            name="Pat Process",
            groups="crm_process_std_base.group_process_admin",
        )
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("crm_health_score.snapshot_period", "month")
        params.set_param("crm_health_score.churn_days", 20)
        params.set_param("crm_health_score.snapshot_retention_months", 24)
        # The backfill asked for at the install of the test database (of today's
        # date): not the ones of these tests.
        cls.env["crm.health.backfill.run"].search([]).unlink()

    def seed_history(self):
        """Follow-ups on 20 February, 18 March, 10 and 25 April and 28 May, an order
        won on 1 March, a complaint filed on 20 April and resolved on 15 May; needs
        match medium."""
        customer = self.make_customer("Backfill Ltd", needs_match="medium")
        for day in (
            date(2024, 2, 20),
            date(2024, 3, 18),
            date(2024, 4, 10),
            date(2024, 4, 25),
            date(2024, 5, 28),
        ):
            self.log_followup(customer, day)
        self.win_opportunity(customer, date(2024, 3, 1))
        complaint = self.file_complaint(customer, date(2024, 4, 20))
        with freeze_time(self.at(date(2024, 5, 15))):
            complaint.resolution = "<p>Replacement shipped</p>"
            complaint.action_resolve()
        with freeze_time(self.at(TODAY)):
            self.engine._sync_scope(customer.ids)
        return customer, self.health_of(customer)

    def backfill(self, months=3, user=None):
        """Backfill History as a process administrator presses it on TODAY."""
        with freeze_time(self.at(TODAY, 9)):
            wizard = (
                self.env["crm.health.backfill"]
                .with_user(user or self.admin)
                .create({"months": months})
            )
            action = wizard.action_backfill()
        self.env.invalidate_all()
        return wizard, action

    def history(self, record):
        return record.snapshot_ids.sorted("period_start")

    def values(self, record):
        return [(s.period_start, s.score, s.trend, s.backfilled) for s in self.history(record)]

    def test_each_period_scored_as_of_its_last_day(self):
        _customer, record = self.seed_history()

        _wizard, action = self.backfill()

        snapshots = self.history(record)
        self.assertEqual(snapshots.mapped("period_start"), [APRIL, MAY, JUNE])
        self.assertTrue(all(snapshots.mapped("backfilled")))
        self.assertIn("3 periods of the last 3 months", action["params"]["message"])
        april, may, june = snapshots
        # 30 April: last interaction 25 April (5 days: 100 points), 4 interactions since
        # 30 January (1.33 a month: 40), won 1 March (1 order: 60), the complaint of 20
        # April unresolved then (counts twice: 40), needs medium (60):
        # 100x25 + 40x20 + 60x20 + 40x15 + 60x20 = 6300 -> 63, medium.
        self.assertEqual(
            (
                april.date,
                april.last_interaction_date,
                april.recency_days,
                april.frequency_value,
                april.order_count,
                april.complaint_value,
            ),
            (date(2024, 4, 30), date(2024, 4, 25), 5, 1.33, 1, 2.0),
        )
        self.assertEqual(
            (
                april.recency_points,
                april.frequency_points,
                april.order_points,
                april.complaint_points,
                april.needs_points,
            ),
            (100, 40, 60, 40, 60),
        )
        self.assertEqual((april.score, april.risk_level, april.state), (63, "medium", "scored"))
        self.assertEqual(april.trend, 0, "no snapshot before April")
        # 31 May: 28 May 3 days ago (100), 4 interactions since 29 February (40), the
        # order (60), the complaint resolved on 15 May (70), needs (60): 6750 -> 68.
        self.assertEqual((may.recency_days, may.complaint_points), (3, 70))
        self.assertEqual((may.score, may.risk_level, may.trend), (68, "medium", 5))
        # 25 June (yesterday, the current month): 28 days without interaction (60),
        # 3 since 25 March (40), no order in 3 months (30), the resolved complaint (70),
        # needs (60): 1500 + 800 + 600 + 1050 + 1200 = 5150 -> 52, high; 28 days without
        # interaction and no open opportunity: churn risk (20 days in the Settings).
        self.assertEqual(
            (june.date, june.recency_days, june.order_points), (date(2024, 6, 25), 28, 30)
        )
        self.assertEqual((june.score, june.risk_level, june.trend), (52, "high", -16))
        self.assertEqual(snapshots.mapped("churn_risk"), [False, False, True])

    def test_recorded_snapshot_kept_and_trend_compares_with_it(self):
        customer, record = self.seed_history()
        # The nightly recompute of 20 May recorded May: 25 days without interaction
        # (60), 4 interactions since 20 February (40), the order (60), the complaint
        # resolved (70), needs (60): 5750 -> 58.
        self.score(customer, date(2024, 5, 20))
        recorded = record.snapshot_ids
        self.assertEqual((recorded.period_start, recorded.score), (MAY, 58))

        self.backfill()

        april, may, june = self.history(record)
        self.assertEqual(may, recorded, "the recorded snapshot is kept as it is")
        self.assertEqual((may.score, may.date, may.backfilled), (58, date(2024, 5, 20), False))
        self.assertTrue(april.backfilled and june.backfilled)
        self.assertEqual(june.trend, 52 - 58, "June compares with the recorded May")

    def test_second_backfill_changes_nothing(self):
        _customer, record = self.seed_history()
        self.backfill()
        first = self.history(record)
        values = first.read(["period_start", "score", "trend", "date", "backfilled"])

        _wizard, action = self.backfill()

        second = self.history(record)
        self.assertEqual(second, first, "the same rows")
        self.assertEqual(
            second.read(["period_start", "score", "trend", "date", "backfilled"]), values
        )
        self.assertIn(" 0 snapshots written", action["params"]["message"])

    def test_nightly_recompute_records_over_a_backfilled_snapshot(self):
        customer, record = self.seed_history()
        self.backfill()
        june = self.history(record)[-1]
        self.assertTrue(june.backfilled)

        self.score(customer, TODAY)

        june.invalidate_recordset()
        self.assertEqual(self.history(record)[-1], june)
        self.assertFalse(june.backfilled, "recorded by the nightly recompute of its period")
        self.assertEqual(june.date, TODAY)
        self.assertEqual(record.previous_score, 68, "the trend compares with backfilled May")

    def test_months_beyond_the_history_kept_are_clamped(self):
        _customer, record = self.seed_history()
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_health_score.snapshot_retention_months", 2
        )

        wizard, action = self.backfill(months=3)

        self.assertEqual(
            wizard.months_note,
            "The health history is kept 2 months (Settings): 2 months will be backfilled, not 3.",
        )
        self.assertIn(wizard.months_note, action["params"]["message"])
        self.assertEqual(self.history(record).mapped("period_start"), [MAY, JUNE])

    def test_at_least_one_month(self):
        with self.assertRaisesRegex(ValidationError, "at least one month of health history, not 0"):
            self.env["crm.health.backfill"].with_user(self.admin).create({"months": 0})

    def test_weekly_periods_of_a_year(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_health_score.snapshot_period", "week")
        periods = self.engine._backfill_periods(12, TODAY)
        # Mondays from 26 June 2023 (12 months back, a Monday) to 24 June 2024, each
        # scored on its Sunday, the current week on yesterday.
        self.assertEqual(len(periods), 53)
        self.assertEqual(periods[0], (date(2023, 6, 26), date(2023, 7, 2)))
        self.assertEqual(periods[-2], (date(2024, 6, 17), date(2024, 6, 23)))
        self.assertEqual(periods[-1], (date(2024, 6, 24), date(2024, 6, 25)))

    def test_salesperson_cannot_backfill(self):
        self.seed_history()
        with self.assertRaises(AccessError):
            self.env["crm.health.backfill"].with_user(self.staff).create({"months": 3})
        wizard = self.env["crm.health.backfill"].with_user(self.admin).create({"months": 3})
        with self.assertRaises(AccessError):
            wizard.with_user(self.staff).action_backfill()
        self.assertFalse(self.env["crm.health.snapshot"].search([("backfilled", "=", True)]))

    def test_install_backfills_in_the_background(self):
        _customer, record = self.seed_history()
        cron = self.env.ref("crm_health_score.ir_cron_crm_health_backfill")
        nightly = self.env.ref("crm_health_score.ir_cron_crm_health_recompute")
        self.env["ir.config_parameter"].sudo().set_param("crm_health_score.snapshot_period", "week")
        params_before = self.env["ir.config_parameter"].sudo().search_read([], ["key", "value"])

        with freeze_time(self.at(TODAY, 9)):
            post_init_hook(self.env)
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]), "asked for at install"
        )
        run = self.env["crm.health.backfill.run"].search([])
        self.assertEqual(
            (run.months, run.install, run.as_of, run.state, run.background),
            (12, True, TODAY, "waiting", True),
        )

        with freeze_time(self.at(TODAY, 10)), self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True, "the run did not fail")
        self.env.invalidate_all()

        snapshots = self.history(record)
        self.assertEqual(len(snapshots), 53, "a year of weekly snapshots")
        self.assertTrue(all(snapshots.mapped("backfilled")))
        # Week of 29 April - 5 May, scored on Sunday 5 May: 10 days after 25 April.
        week = snapshots.filtered(lambda s: s.period_start == date(2024, 4, 29))
        self.assertEqual((week.recency_days, week.recency_points), (10, 80))
        self.assertEqual(run.state, "done")
        self.assertEqual(run.date_done.date(), TODAY)
        health_count = self.env["crm.health.score"].search_count([("state", "!=", "frozen")])
        self.assertEqual(run.customer_count, health_count)
        self.assertEqual(
            run.snapshot_count,
            self.env["crm.health.snapshot"].search_count([("backfilled", "=", True)]),
        )
        self.assertTrue(cron.active, "its daily call finds nothing to do")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", nightly.id)]),
            "the nightly recompute scores today's customers against the history",
        )
        self.assertEqual(
            self.env["ir.config_parameter"].sudo().search_read([], ["key", "value"]),
            params_before,
            "no system parameter written: each write clears the caches of every process",
        )

        # Called again with nothing asked: nothing done.
        with freeze_time(self.at(TODAY, 11)), self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True)
        self.assertEqual(self.history(record), snapshots)

    def test_scheduled_run_resumes_after_the_last_batch_committed(self):
        first, first_record = self.seed_history()
        second = self.make_customer("Resumed Ltd", needs_match="high")
        self.log_followup(second, date(2024, 5, 2))
        with freeze_time(self.at(TODAY)):
            self.engine._sync_scope(second.ids)
        second_record = self.health_of(second)
        self.assertLess(first_record.id, second_record.id)
        self.backfill()
        expected = self.values(second_record)
        before = self.values(first_record)
        # A crash after the batch ending with the first customer was committed: the
        # second one's snapshots are missing, and the first one's data changed since.
        self.history(second_record).unlink()
        self.log_followup(first, date(2024, 6, 24))
        run = self.env["crm.health.backfill.run"].create(
            {
                "months": 3,
                "as_of": TODAY,
                "background": True,
                "last_health_id": first_record.id,
                "customer_count": 1,
                "snapshot_count": 3,
            }
        )
        cron = self.env.ref("crm_health_score.ir_cron_crm_health_backfill")

        with freeze_time(self.at(TODAY, 10)), self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True, "the run did not fail")
        self.env.invalidate_all()

        self.assertEqual(self.values(second_record), expected)
        self.assertEqual(
            self.values(first_record),
            before,
            "the batch committed before the crash is not done again",
        )
        self.assertEqual((run.state, run.last_health_id), ("done", second_record.id))
        self.assertEqual(run.customer_count, 2)
        self.assertEqual(run.snapshot_count, 3 + len(expected))

    def test_backfills_asked_while_one_waits_run_in_turn(self):
        _customer, record = self.seed_history()
        with freeze_time(self.at(TODAY, 9)):
            first = self.engine._backfill_request(2)
            second = self.engine._backfill_request(3)
        cron = self.env.ref("crm_health_score.ir_cron_crm_health_backfill")
        Snapshot = self.env["crm.health.snapshot"]
        compared = ["health_id", "period_start", "score", "trend", "date"]
        backfilled = [("backfilled", "=", True)]

        # The first one alone (the second one is asked while it runs).
        second.state = "done"
        with freeze_time(self.at(TODAY, 10)), self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True, "the run did not fail")
        self.env.invalidate_all()
        self.assertEqual(first.state, "done")
        self.assertEqual(self.history(record).mapped("period_start"), [MAY, JUNE])
        after_first = {
            tuple(row[n] for n in compared) for row in Snapshot.search_read(backfilled, compared)
        }
        self.assertEqual(first.snapshot_count, len(after_first), "May and June")

        second.state = "waiting"
        with freeze_time(self.at(TODAY, 10)), self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True, "the run did not fail")
        self.env.invalidate_all()

        self.assertEqual(second.state, "done")
        self.assertEqual(self.history(record).mapped("period_start"), [APRIL, MAY, JUNE])
        self.assertEqual(self.history(record).mapped("trend"), [0, 5, -16])
        after_second = {
            tuple(row[n] for n in compared) for row in Snapshot.search_read(backfilled, compared)
        }
        # April added; of May and June, only the snapshots whose trend now compares
        # with April are written again.
        self.assertEqual(second.snapshot_count, len(after_second - after_first))
        self.assertGreater(
            Snapshot.search_count([("period_start", "=", APRIL)]), 0, "April backfilled"
        )
        self.assertLess(second.snapshot_count, len(after_second), "unchanged ones kept")

    def test_the_wizard_lists_the_backfills(self):
        self.seed_history()
        self.backfill()
        run = self.env["crm.health.backfill.run"].search([])
        self.assertEqual(
            (run.state, run.background, run.months, run.create_uid),
            ("done", False, 3, self.admin),
        )
        self.assertEqual(
            (run.customer_count, run.snapshot_count),
            (
                self.env["crm.health.score"].search_count([("state", "!=", "frozen")]),
                self.env["crm.health.snapshot"].search_count([("backfilled", "=", True)]),
            ),
        )
        fresh = self.env["crm.health.backfill"].with_user(self.admin).create({"months": 3})
        self.assertEqual(fresh.run_ids, run)
        self.assertIn("3 months of health history asked on", run.display_name)
        with self.assertRaises(AccessError):
            run.with_user(self.staff).read(["months"])
        with self.assertRaises(AccessError):
            run.with_user(self.admin).write({"state": "waiting"})

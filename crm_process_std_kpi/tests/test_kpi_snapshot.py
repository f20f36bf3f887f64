# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common_kpi import KpiCase


@tagged("post_install", "-at_install")
@freeze_time("2024-04-15 12:00:00")
class TestKpiSnapshots(KpiCase):
    def _team_snapshots(self, **domain):
        # customers without company count in every company: look at ours
        return self.env["crm.kpi.snapshot"].search(
            [("team_id", "=", self.team.id), ("company_id", "=", self.env.company.id)]
            + [(key, "=", value) for key, value in domain.items()]
        )

    def test_monthly_snapshot_is_idempotent_for_a_month(self):
        self._conversion_dataset()
        self._timeliness_dataset()
        Snapshot = self.env["crm.kpi.snapshot"]
        Snapshot._snapshot_month("2024-03-10")
        first = self._team_snapshots(date_from="2024-03-01")
        self.assertEqual(first.filtered(lambda s: s.kpi_code == "conversion").value, 75.0)
        first_values = sorted(first.mapped(lambda s: (s.kpi_code, s.value)))
        Snapshot._snapshot_month("2024-03-31")
        again = self._team_snapshots(date_from="2024-03-01")
        self.assertFalse(first.exists(), "the month's previous snapshots are replaced")
        self.assertEqual(sorted(again.mapped(lambda s: (s.kpi_code, s.value))), first_values)
        self.assertEqual(again.mapped("period"), ["2024-03"] * len(again))
        conversion = again.filtered(lambda s: s.kpi_code == "conversion")
        self.assertEqual(len(conversion), 1, "one figure per KPI, month and team")

    def test_snapshot_replaces_values_when_data_changed(self):
        self._conversion_dataset()
        Snapshot = self.env["crm.kpi.snapshot"]
        Snapshot._snapshot_month("2024-03-01")
        self._lost(self._lead("Late loss", self.dt("2024-03-01")), self.dt("2024-03-30 10:00"))
        Snapshot._snapshot_month("2024-03-01")
        conversion = self._team_snapshots(date_from="2024-03-01", kpi_code="conversion")
        self.assertEqual(len(conversion), 1)
        self.assertEqual(conversion.value, 60.0)

    def test_snapshots_per_salesperson_and_company(self):
        self._conversion_dataset()
        self.env["crm.kpi.snapshot"]._snapshot_month("2024-03-01")
        per_user = self.env["crm.kpi.snapshot"].search(
            [
                ("date_from", "=", "2024-03-01"),
                ("kpi_code", "=", "conversion"),
                ("user_id", "in", (self.salesperson | self.salesperson2).ids),
            ]
        )
        self.assertEqual(
            {s.user_id: s.value for s in per_user},
            {self.salesperson: 100.0, self.salesperson2: 50.0},
        )
        overall = self.env["crm.kpi.snapshot"].search(
            [
                ("date_from", "=", "2024-03-01"),
                ("kpi_code", "=", "conversion"),
                ("company_id", "=", self.env.company.id),
                ("team_id", "=", False),
                ("user_id", "=", False),
            ]
        )
        self.assertEqual(len(overall), 1)
        self.assertEqual(overall.company_id, self.env.company)

    def test_monthly_cron_snapshots_the_previous_month(self):
        self._conversion_dataset()
        with freeze_time("2024-04-01 02:00:00"):
            self.env["crm.kpi.snapshot"]._cron_monthly_snapshot()
            self.env["crm.kpi.snapshot"]._cron_monthly_snapshot()
        conversion = self._team_snapshots(kpi_code="conversion")
        self.assertEqual(conversion.mapped("date_from"), [self.dt("2024-03-01").date()])
        self.assertEqual(conversion.mapped("date_to"), [self.dt("2024-03-31").date()])
        self.assertEqual(conversion.kind, "regular")

    def test_snapshot_colours_on_and_off_target(self):
        self._conversion_dataset()
        self._timeliness_dataset()
        self.env["crm.kpi.snapshot"]._snapshot_month("2024-03-01")
        conversion = self._team_snapshots(date_from="2024-03-01", kpi_code="conversion")
        timeliness = self._team_snapshots(date_from="2024-03-01", kpi_code="timeliness")
        # conversion 75 % >= 35 %: on target; timeliness 60 % < 95 %: off target
        self.assertTrue(conversion.has_target and conversion.on_target)
        self.assertEqual((conversion.comparison, conversion.target_value), (">=", 35.0))
        self.assertTrue(timeliness.has_target)
        self.assertFalse(timeliness.on_target)
        arch = self.env["crm.kpi.snapshot"].get_view(view_type="list")["arch"]
        self.assertIn('decoration-success="has_target and on_target"', arch)
        self.assertIn('decoration-danger="has_target and not on_target"', arch)

    def test_target_shows_last_measured_value_on_or_off_target(self):
        target = self.env.ref("crm_process_std_kpi.crm_kpi_target_conversion")
        company = self.env["res.company"].create({"name": "Snapshot Test Company"})
        Snapshot = self.env["crm.kpi.snapshot"]
        for month, value in (("2024-02-01", 30.0), ("2024-03-01", 40.0)):
            Snapshot.create(
                {
                    "kind": "regular",
                    "date_from": month,
                    "date_to": Snapshot._month_bounds(month)[1],
                    "kpi_code": "conversion",
                    "unit": "percent",
                    "value": value,
                    "company_id": company.id,
                }
            )
        target = target.with_company(company)
        self.assertEqual((target.last_value, target.last_period), (40.0, "2024-03"))
        self.assertTrue(target.last_on_target)
        target.target_value = 45.0
        self.assertFalse(target.last_on_target)

    def test_comparison_of_two_months_shows_before_after_and_change(self):
        self._conversion_dataset()
        self._won(self._lead("February win", self.dt("2024-02-01")), self.dt("2024-02-12"))
        self.env["crm.kpi.snapshot"]._snapshot_month("2024-03-01")
        wizard = self.env["crm.kpi.comparison"].create(
            {
                "before_mode": "month",
                "before_month": "2024-02-01",
                "after_month": "2024-03-01",
                "team_id": self.team.id,
            }
        )
        action = wizard.action_compare()
        lines = self.env["crm.kpi.comparison.line"].search(action["domain"])
        conversion = lines.filtered(lambda line: line.kpi_code == "conversion")
        # February: 1 won of 2 closed (50 %, measured now); March: 75 % (snapshot)
        self.assertEqual((conversion.before_value, conversion.after_value), (50.0, 75.0))
        self.assertEqual(conversion.change, 25.0)
        self.assertEqual(conversion.change_percent, 50.0)
        self.assertTrue(conversion.improved)
        self.assertTrue(conversion.after_on_target)
        exported = conversion.export_data(["kpi_code", "before_value", "after_value", "change"])[
            "datas"
        ]
        self.assertEqual(exported[0][1:], [50.0, 75.0, 25.0])

    def test_snapshot_wizard_for_admins_only(self):
        self._conversion_dataset()
        wizard = Form(self.env["crm.kpi.snapshot.wizard"].with_user(self.process_admin))
        wizard.month = "2024-03-12"
        action = wizard.save().action_snapshot()
        snapshots = self.env["crm.kpi.snapshot"].search(action["domain"])
        self.assertIn("conversion", snapshots.mapped("kpi_code"))
        with self.assertRaises(AccessError):
            self.env["crm.kpi.snapshot.wizard"].with_user(self.salesperson).create({})

    def test_salesperson_sees_own_and_overall_snapshots_only(self):
        self._conversion_dataset()
        self.env["crm.kpi.snapshot"]._snapshot_month("2024-03-01")
        visible = (
            self.env["crm.kpi.snapshot"]
            .with_user(self.salesperson)
            .search([("date_from", "=", "2024-03-01"), ("kpi_code", "=", "conversion")])
        )
        self.assertIn(self.salesperson, visible.user_id)
        self.assertNotIn(self.salesperson2, visible.user_id)
        self.assertTrue(visible.filtered(lambda s: not s.user_id and not s.team_id))

    def test_target_values_are_validated(self):
        target = self.env.ref("crm_process_std_kpi.crm_kpi_target_completeness")
        with (
            self.assertRaisesRegex(ValidationError, "between 0 and 100"),
            self.env.cr.savepoint(),
        ):
            target.target_value = 120
        with (
            self.assertRaisesRegex(ValidationError, "must not be better than its target"),
            self.env.cr.savepoint(),
        ):
            target.attention_value = 95
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            target.with_user(self.salesperson).target_value = 50
        self.assertEqual((target.target_value, target.attention_value), (90.0, 60.0))

    def test_company_target_takes_precedence_over_shared_target(self):
        company = self.env["res.company"].create({"name": "Target Test Company"})
        Target = self.env["crm.kpi.target"]
        shared = self.env.ref("crm_process_std_kpi.crm_kpi_target_churn")
        self.assertEqual(Target._get_target("churn", company), shared)
        own = Target.create(
            {"kpi_code": "churn", "comparison": "<=", "target_value": 3, "company_id": company.id}
        )
        self.assertEqual(Target._get_target("churn", company), own)
        self.assertEqual(Target._get_target("churn", self.env.company), shared)

    def test_admin_cannot_forge_a_measured_figure(self):
        # a snapshot is a measure, not an entry: its value, target and scope
        # are refused to every user, the process administrator included.
        self._conversion_dataset()
        self.env["crm.kpi.snapshot"]._snapshot_month("2024-03-01")
        snapshot = self._team_snapshots(date_from="2024-03-01", kpi_code="conversion")
        admin_snapshot = snapshot.with_user(self.process_admin)
        for values in ({"value": 99.0}, {"on_target": True}, {"user_id": self.salesperson.id}):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                admin_snapshot.write(values)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["crm.kpi.snapshot"].with_user(self.process_admin).create(
                {
                    "date_from": "2024-02-01",
                    "date_to": "2024-02-29",
                    "kpi_code": "conversion",
                    "unit": "percent",
                    "value": 100.0,
                    "company_id": self.env.company.id,
                }
            )
        self.assertEqual(snapshot.value, 75.0)
        admin_snapshot.unlink()  # retaking a month starts by deleting it: still allowed

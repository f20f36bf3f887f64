# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's figures are the demo's own: the demo diagnosis, the monthly
snapshots and the improvement tasks show what a diagnosis run on the demo shows.
Runs on a database with demo data (setup/test.sh); skipped without it."""

from unittest import SkipTest

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestKpiDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo = cls.env.ref("crm_process_std_kpi.crm_process_diagnosis_demo", False)
        if not cls.demo:
            raise SkipTest("no demo data in this database")

    def _run(self, months):
        """A diagnosis run on the demo as the demo's own was run (same clock)."""
        with freeze_time(self.demo.date_run):
            diagnosis = self.env["crm.process.diagnosis"].create(
                {"name": "Check", "months": months, "company_id": self.demo.company_id.id}
            )
            diagnosis.action_run()
        return diagnosis

    @staticmethod
    def _figures(diagnosis):
        return {
            line.kpi_code: (line.has_value, line.value, line.denominator, line.status)
            for line in diagnosis.line_ids
        }

    def test_demo_diagnosis_shows_what_running_it_shows(self):
        self.assertEqual(self.demo.state, "done")
        diagnosis = self._run(self.demo.months)
        self.assertEqual(
            (diagnosis.date_from, diagnosis.date_to), (self.demo.date_from, self.demo.date_to)
        )
        self.assertEqual(self._figures(self.demo), self._figures(diagnosis))

    def test_demo_monthly_snapshots_are_measured_from_the_demo(self):
        snapshots = self.env["crm.kpi.snapshot"].search(
            [
                ("kind", "=", "regular"),
                ("company_id", "=", self.demo.company_id.id),
                ("team_id", "=", False),
                ("user_id", "=", False),
            ]
        )
        self.assertTrue(snapshots)
        kpi = self.env["crm.kpi"]
        with freeze_time(self.demo.date_run):
            for snapshot in snapshots:
                self.assertEqual(
                    snapshot.value,
                    kpi._kpi_value(
                        snapshot.kpi_code,
                        snapshot.date_from,
                        snapshot.date_to,
                        snapshot.company_id,
                    ),
                    f"{snapshot.kpi_code} of {snapshot.period}",
                )

    def test_improvement_tasks_agree_with_a_diagnosis_of_their_month(self):
        tasks = self.demo.task_ids.filtered("kpi_target_id")
        self.assertTrue(tasks)
        diagnosis = self._run(1)
        lines = {line.kpi_code: line for line in diagnosis.line_ids}
        for task in tasks:
            line = lines[task.kpi_target_id.kpi_code]
            if not line.has_value:
                self.assertEqual(task.kpi_result, "no_data", task.name)
                continue
            self.assertEqual(task.kpi_period, diagnosis.date_from.strftime("%Y-%m"), task.name)
            self.assertEqual(task.kpi_value, line.value, task.name)
            self.assertEqual(task.kpi_result, "met" if line.on_target else "not_met", task.name)

    def test_demo_unattended_leads_and_first_response_are_flagged(self):
        lines = {line.kpi_code: line for line in self.demo.line_ids}
        for code in ("unattended_leads", "first_response"):
            line = lines[code]
            # the demo's leads wait long (96 % unattended, 120 h first response)
            self.assertGreater(line.value, line.attention_value, code)
            self.assertTrue(line.needs_attention, code)
            self.assertEqual(line.status, "attention", code)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

ACTIVITY_TYPE = "crm_process_std_kpi.mail_activity_type_improvement_task"


@tagged("post_install", "-at_install")
@freeze_time("2024-04-15 12:00:00")
class TestImprovementTask(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Improving Co."})
        cls.admin = new_test_user(
            cls.env,
            login="plan_process_admin",
            groups="crm_process_std_base.group_process_admin",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.salesperson = new_test_user(
            cls.env,
            login="plan_salesperson",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.target = cls.env.ref("crm_process_std_kpi.crm_kpi_target_completeness")
        cls.Task = cls.env["crm.improvement.task"].with_user(cls.admin)

    def _snapshot(self, month, value):
        return self.env["crm.kpi.snapshot"].create(
            {
                "kind": "regular",
                "date_from": month,
                "date_to": self.env["crm.kpi.snapshot"]._month_bounds(month)[1],
                "kpi_code": "completeness",
                "unit": "percent",
                "value": value,
                "company_id": self.company.id,
            }
        )

    def _task(self, **values):
        return self.Task.create(
            {
                "name": "Configure the required customer fields per stage",
                "area": "tool",
                "user_id": self.salesperson.id,
                "cooperating_team": "Sales Operations",
                "date_planned": "2024-05-10",
                "acceptance_criterion": "Completeness at least 90 %",
                **values,
            }
        )

    def test_task_linked_to_kpi_shows_met_or_not_met(self):
        task = self._task(kpi_target_id=self.target.id, state="done")
        self.assertEqual(task.kpi_result, "no_data")
        self._snapshot("2024-02-01", 93.0)
        task.invalidate_recordset(["kpi_result", "kpi_value"])
        self.assertEqual((task.kpi_result, task.kpi_value), ("met", 93.0))
        # the latest month counts: 85 % is below the 90 % target
        self._snapshot("2024-03-01", 85.0)
        task.invalidate_recordset(["kpi_result", "kpi_value", "kpi_period"])
        self.assertEqual((task.kpi_result, task.kpi_period), ("not_met", "2024-03"))
        self.assertFalse(self._task().kpi_result, "no KPI linked, nothing to check")

    def test_owner_gets_one_activity_that_follows_the_task(self):
        task = self._task()
        activity = task.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.env.ref(ACTIVITY_TYPE))
        self.assertEqual(
            (activity.user_id, str(activity.date_deadline)), (self.salesperson, "2024-05-10")
        )
        task.write({"date_planned": "2024-05-20", "user_id": self.admin.id, "state": "in_progress"})
        self.assertEqual(task.activity_ids, activity, "moved, not duplicated")
        self.assertEqual(
            (activity.user_id, str(activity.date_deadline)), (self.admin, "2024-05-20")
        )
        task.action_done()
        self.assertFalse(task.activity_ids)
        self.assertFalse(activity.active, "the activity is marked done")

    def test_kanban_shows_every_state_column(self):
        self._task()
        result = self.Task.with_context(read_group_expand=True).web_read_group(
            [("company_id", "=", self.company.id)], ["state"], ["__count"]
        )
        self.assertEqual(
            [group["state"] for group in result["groups"]], ["not_started", "in_progress", "done"]
        )

    def test_salesperson_reads_but_cannot_edit_the_plan(self):
        task = self._task()
        self.assertEqual(task.with_user(self.salesperson).name, task.name)
        with self.assertRaises(AccessError):
            task.with_user(self.salesperson).write({"state": "done"})
        with self.assertRaises(AccessError):
            self.env["crm.improvement.task"].with_user(self.salesperson).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            task.with_user(self.salesperson).unlink()

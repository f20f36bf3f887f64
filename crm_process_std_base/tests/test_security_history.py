# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 13: process history survives deletions (item 7), values that would break
later are refused at input (item 8), flow-only fields are refused to every role, and a
configuration change touching many records is deferred to a scheduled action."""

from datetime import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .followup_common import FollowupCase


class TestHistoryKept(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="hist_admin",
            groups="sales_team.group_sale_manager,crm_process_std_base.group_process_admin",
        )
        cls.stage = cls.env["crm.stage"].create({"name": "Hist Stage", "sequence": 70})
        cls.node = cls.env["crm.sla.node"].create(
            {
                "name": "Hist node",
                "start_event": "lead_created",
                "stop_event": "followup_logged",
                "time_limit_hours": 24,
                "active": False,  # timers of the tests only
            }
        )

    def _timer(self, lead, **values):
        return self.env["crm.sla.timer"].create(
            {
                "node_id": self.node.id,
                "lead_id": lead.id,
                "date_start": datetime(2026, 1, 5, 9),
                "date_deadline": datetime(2026, 1, 6, 9),
                **values,
            }
        )

    def _deviation(self, lead, stage):
        return self.env["crm.stage.deviation"].create(
            {"lead_id": lead.id, "stage_id": stage.id, "kind": "warning", "missing_items": "Phone"}
        )

    def test_deleting_a_stage_keeps_its_deviations(self):
        lead = self._lead(name="Hist stage lead")
        deviation = self._deviation(lead, self.stage)
        self.stage.with_user(self.leader).unlink()
        self.assertTrue(deviation.exists())
        self.assertFalse(deviation.stage_id)
        self.assertEqual(deviation.stage_name, "Hist Stage")

    def test_deleting_a_stage_timed_by_a_node_is_refused(self):
        self.node.write({"start_event": "stage_entered", "stage_id": self.stage.id})
        with self.assertRaisesRegex(UserError, "process history"):
            self.stage.with_user(self.leader).unlink()
        self.assertTrue(self.node.exists())

    def test_deleting_a_node_with_timers_is_refused(self):
        timer = self._timer(self._lead(name="Hist node lead"))
        with self.assertRaisesRegex(UserError, "archive them"):
            self.node.with_user(self.admin).unlink()
        self.assertTrue(timer.exists())
        self.node.with_user(self.admin).action_archive()
        self.assertTrue(timer.exists())

    def test_deleting_a_lead_keeps_timers_and_deviations(self):
        lead = self._lead(name="Hist deleted lead")
        timer = self._timer(lead)
        deviation = self._deviation(lead, self.stage)
        lead.with_user(self.leader).unlink()
        self.assertTrue(timer.exists())
        self.assertEqual(timer.lead_name, "Hist deleted lead")
        self.assertEqual(timer.state, "cancelled")
        self.assertTrue(timer.date_stop)
        self.assertEqual(deviation.lead_name, "Hist deleted lead")
        self.assertIn("Hist deleted lead", timer.display_name)
        self.assertEqual(deviation.display_name, "Hist deleted lead")

    def test_deleting_a_lead_with_a_handoff_or_approval_is_refused(self):
        lead = self._lead(name="Hist handed over")
        handoff = self.env["crm.handoff"].create({"lead_id": lead.id})
        with self.assertRaisesRegex(UserError, "Archive them"):
            lead.with_user(self.leader).unlink()
        self.assertTrue(lead.exists())
        self.assertTrue(handoff.exists())

    def test_deleting_a_lead_without_right_keeps_its_timers_running(self):
        lead = self._lead(name="Hist not mine", user_id=self.other_salesman.id)
        timer = self._timer(lead)
        with self.assertRaises(AccessError):
            lead.with_user(self.salesman).unlink()
        self.assertEqual(timer.state, "running")
        self.assertFalse(timer.lead_name)


class TestFlowOnlyFields(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="flow_admin",
            groups="sales_team.group_sale_manager,crm_process_std_base.group_process_admin",
        )
        cls.node = cls.env["crm.sla.node"].create(
            {
                "name": "Flow node",
                "start_event": "lead_created",
                "stop_event": "followup_logged",
                "active": False,
            }
        )

    def test_timers_are_set_by_the_process_only(self):
        lead = self._lead(name="Flow lead")
        timer = self.env["crm.sla.timer"].create(
            {
                "node_id": self.node.id,
                "lead_id": lead.id,
                "date_start": datetime(2026, 1, 5, 9),
                "date_deadline": datetime(2026, 1, 6, 9),
            }
        )
        for user in (self.admin, self.salesman):
            for vals in (
                {"state": "met"},
                {"date_deadline": datetime(2099, 1, 1)},
                {"lead_id": self._lead(name="Other").id},
            ):
                with self.assertRaises(AccessError):
                    timer.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            self.env["crm.sla.timer"].with_user(self.admin).create(
                {
                    "node_id": self.node.id,
                    "lead_id": lead.id,
                    "state": "met",
                    "date_start": datetime(2026, 1, 5, 9),
                    "date_deadline": datetime(2026, 1, 6, 9),
                }
            )
        self.assertEqual(timer.state, "running")

    def test_a_used_exception_cannot_be_granted_again(self):
        lead = self._lead(name="Exception lead")
        stage = self.env.ref("crm.stage_lead3")
        deviation = self.env["crm.stage.deviation"].create(
            {
                "lead_id": lead.id,
                "stage_id": stage.id,
                "kind": "exception",
                "exception_state": "used",
                "reason": "Customer in a hurry",
            }
        )
        with self.assertRaises(AccessError):
            deviation.with_user(self.leader).write({"exception_state": "granted"})
        with self.assertRaises(AccessError):
            self.env["crm.stage.deviation"].with_user(self.leader).create(
                {
                    "lead_id": lead.id,
                    "stage_id": stage.id,
                    "kind": "exception",
                    "exception_state": "granted",
                }
            )
        deviation.with_user(self.leader).write({"reason": "Customer in a hurry (signed)"})
        self.assertEqual(deviation.exception_state, "used")


class TestBoundsAtInput(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="bound_admin",
            groups="base.group_system,sales_team.group_sale_manager,"
            "crm_process_std_base.group_process_admin",
        )

    def test_huge_node_time_limit_refused_and_leads_still_created(self):
        with (
            self.assertRaisesRegex(ValidationError, "cannot exceed 43800 hours"),
            self.env.cr.savepoint(),
        ):
            self.env["crm.sla.node"].with_user(self.admin).create(
                {
                    "name": "Forever",
                    "start_event": "lead_created",
                    "stop_event": "lead_assigned",
                    "time_limit_hours": 1e12,
                }
            )
        self.assertFalse(self.env["crm.sla.node"].search([("name", "=", "Forever")]))
        node = self.env["crm.sla.node"].search([], limit=1)
        with self.assertRaisesRegex(ValidationError, "cannot exceed"):
            node.with_user(self.admin).write({"reassign_after_hours": 1e12})
        self._lead(name="Still created").flush_recordset()

    def test_huge_settings_refused(self):
        Settings = self.env["res.config.settings"].with_user(self.admin)
        for name in (
            "crm_std_handoff_deadline_hours",
            "crm_std_kpi_churn_days",
            "crm_std_kpi_uncontacted_days",
            "crm_std_kpi_neglect_days",
            "crm_std_completeness_threshold",
        ):
            with self.subTest(name), self.assertRaises(ValidationError):
                Settings.create({name: 10**12})
        with self.assertRaises(ValidationError):
            Settings.create({"crm_std_complaint_hours_normal": 1e12})
        with self.assertRaises(ValidationError):
            Settings.create({"crm_std_kpi_churn_days": 4000})

    def test_bad_stored_threshold_does_not_break_readers(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_process_std.completeness_threshold", "1e400"
        )
        self.assertEqual(self.env["crm.completeness.field"]._threshold(), 80.0)
        self.env["crm.lead"].search([("completeness_incomplete", "=", True)], limit=1)


class TestDeferredRecompute(FollowupCase):
    def test_large_completeness_change_runs_in_the_scheduled_action(self):
        Field = self.env["crm.completeness.field"]
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_process_std.completeness_inline_limit", "3")
        lead = self._lead(name="Deferred", website=False)
        rate_before = lead.completeness_rate
        line = Field.search([("model_name", "=", "crm.lead")], limit=1)
        used = set(Field.with_context(active_test=False).search([]).field_id.mapped("name"))
        self.assertNotIn("website", used)
        Field.create(
            {
                "model_name": "crm.lead",
                "field_id": self.env["ir.model.fields"]._get("crm.lead", "website").id,
                "weight": 50,
            }
        )
        self.assertTrue(line)
        pending = Field._pending_recomputes()
        self.assertEqual(pending.get("crm.lead"), 0, "left to the scheduled action")
        cron = self.env.ref("crm_process_std_base.ir_cron_crm_completeness_recompute")
        self.assertTrue(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            "the scheduled action is triggered at once",
        )
        lead.invalidate_recordset()
        self.assertEqual(lead.completeness_rate, rate_before, "not recomputed in the request")
        # cut short, it resumes where it stopped; a second full run changes nothing
        done, _remaining = self.run_cron_cut_short(
            "crm.completeness.field",
            "_cron_recompute_rates",
            "crm_process_std_base.ir_cron_crm_completeness_recompute",
            batch_size=2,
        )
        self.assertEqual(done, 2)
        self.assertGreater(Field._pending_recomputes().get("crm.lead", 0), 0)
        self.run_cron("crm.completeness.field", "_cron_recompute_rates")
        self.assertFalse(Field._pending_recomputes())
        lead.invalidate_recordset()
        self.assertLess(lead.completeness_rate, rate_before)
        self.run_cron("crm.completeness.field", "_cron_recompute_rates")
        self.assertFalse(Field._pending_recomputes())

    def test_small_change_is_recomputed_at_once(self):
        Field = self.env["crm.completeness.field"]
        self.assertFalse(Field._pending_recomputes())
        lead = self._lead(name="Inline", website=False)
        rate_before = lead.completeness_rate
        Field.create(
            {
                "model_name": "crm.lead",
                "field_id": self.env["ir.model.fields"]._get("crm.lead", "website").id,
                "weight": 50,
            }
        )
        self.assertFalse(Field._pending_recomputes(), "demo data: below the inline limit")
        lead.invalidate_recordset()
        self.assertLess(lead.completeness_rate, rate_before)

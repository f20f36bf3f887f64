# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Process history survives deletions , values that would break
later are refused at input , flow-only fields are refused to every role, and a
configuration change touching many records is deferred to a scheduled action."""

from odoo.exceptions import AccessError, ValidationError
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

    def test_deleting_a_lead_keeps_timers_and_deviations(self):
        lead = self._lead(name="Hist deleted lead")
        deviation = self._deviation(lead, self.stage)
        lead.with_user(self.leader).unlink()
        self.assertEqual(deviation.lead_name, "Hist deleted lead")
        self.assertEqual(deviation.display_name, "Hist deleted lead")


class TestFlowOnlyFields(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="flow_admin",
            groups="sales_team.group_sale_manager,crm_process_std_base.group_process_admin",
        )

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

    def test_huge_settings_refused(self):
        Settings = self.env["res.config.settings"].with_user(self.admin)
        for name in ("crm_std_completeness_threshold",):
            with self.subTest(name), self.assertRaises(ValidationError):
                Settings.create({name: 10**12})
        with self.assertRaises(ValidationError):
            Settings.create({"crm_std_completeness_threshold": 101})

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

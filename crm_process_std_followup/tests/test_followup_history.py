# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Follow-up history survives the deletion of its customer, and cadence delays that would
break the scheduled action are refused at input (or skipped when stored before)."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from odoo.addons.crm_process_std_base.tests.followup_common import FollowupCase


class TestFollowupHistoryKept(FollowupCase):
    def test_deleting_a_customer_keeps_its_followups(self):
        followup = self.env["crm.followup"].create(
            {"partner_id": self.customer.id, **self._summary()}
        )
        with self.assertRaisesRegex(UserError, "Archive them instead"):
            self.customer.unlink()
        self.assertTrue(followup.exists())


class TestCadenceBoundsAtInput(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="cadence_bounds_admin",
            groups="sales_team.group_sale_manager,crm_process_std_base.group_process_admin",
        )

    def test_huge_cadence_interval_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot exceed 3650 days"):
            self.env["crm.cadence.rule"].with_user(self.admin).create(
                {"name": "Never", "interval_days": 1e12}
            )
        rule = (
            self.env["crm.cadence.rule"]
            .with_user(self.admin)
            .create({"name": "Weekly", "interval_days": 7})
        )
        with self.assertRaisesRegex(ValidationError, "cannot exceed 3650 days"):
            rule.write({"escalation_days": 1e12})

    def test_cadence_run_skips_a_rule_stored_out_of_range(self):
        rule = self.env["crm.cadence.rule"].create({"name": "Legacy", "interval_days": 7})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_cadence_rule SET interval_days = 1e12 WHERE id = %s", [rule.id]
        )
        rule.invalidate_recordset()
        with mute_logger("odoo.addons.crm_process_std_followup.models.crm_cadence_rule"):
            self.assertTrue(
                self.run_cron("crm.cadence.rule", "_cron_create_due_activities"),
                "the other rules still run",
            )

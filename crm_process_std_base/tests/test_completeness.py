# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user
from odoo.tools import mute_logger

from odoo.addons.crm.tests.common import TestCrmCommon


class TestCompleteness(TestCrmCommon):
    """Completeness with a known configuration, for crm's own test salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = cls.user_sales_salesman
        # A known configuration: phone 2, core need 1, budget range 1 (total 4).
        Config = cls.env["crm.completeness.field"]
        Config.search([]).action_archive()
        Fields = cls.env["ir.model.fields"]
        for model_name, name, weight in (
            ("crm.lead", "phone", 2),
            ("crm.lead", "core_need", 1),
            ("crm.lead", "budget_range", 1),
            ("res.partner", "industry_id", 3),
            ("res.partner", "customer_type", 1),
        ):
            line = Config.with_context(active_test=False).search(
                [("field_id", "=", Fields._get(model_name, name).id)]
            )
            if line:
                line.write({"active": True, "weight": weight})
            else:
                Config.create(
                    {
                        "model_name": model_name,
                        "field_id": Fields._get(model_name, name).id,
                        "weight": weight,
                    }
                )
        cls.env["ir.config_parameter"].set_param("crm_process_std.completeness_threshold", "80")
        cls.activity_type = cls.env.ref("crm_process_std_base.mail_activity_type_complete_record")
        cls.cron = cls.env.ref("crm_process_std_base.ir_cron_crm_completeness_reminder")

    def make_lead(self, **values):
        return (
            self.env["crm.lead"]
            .with_user(self.salesperson)
            .create({"name": "Std Completeness lead", "user_id": self.salesperson.id, **values})
        )

    def run_cron(self):
        with self.enter_registry_test_mode():
            self.cron.method_direct_trigger()

    def reminders(self, record):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_rate_is_weighted_share_and_recomputes_when_a_field_changes(self):
        lead = self.make_lead(core_need="Cut costs")
        self.assertEqual(lead.completeness_rate, 25.0)
        self.assertEqual(lead.completeness_band, "25")
        lead.with_user(self.salesperson).write({"phone": "+86 138 0013 8000"})
        self.assertEqual(lead.completeness_rate, 75.0)
        with Form(lead.with_user(self.salesperson)) as form:
            form.budget_range = "50k-100k"
            self.assertEqual(form.completeness_rate, 100.0)
        self.assertEqual(lead.completeness_band, "100")

    def test_partner_rate_and_incomplete_filter(self):
        partner = self.env["res.partner"].create({"name": "Std Rate Partner", "is_company": True})
        self.assertEqual(partner.completeness_rate, 0.0)
        partner.industry_id = self.env.ref("base.res_partner_industry_C")
        self.assertEqual(partner.completeness_rate, 75.0)
        incomplete = self.env["res.partner"].search([("completeness_incomplete", "=", True)])
        self.assertIn(partner, incomplete)
        partner.customer_type = "potential"
        self.assertEqual(partner.completeness_rate, 100.0)
        self.assertNotIn(
            partner, self.env["res.partner"].search([("completeness_incomplete", "=", True)])
        )

    def test_configuration_change_recomputes_stored_rates(self):
        lead = self.make_lead(phone="+86 138 0013 8000")
        self.assertEqual(lead.completeness_rate, 50.0)
        line = self.env["crm.completeness.field"].search(
            [("field_id.name", "=", "core_need"), ("model_name", "=", "crm.lead")]
        )
        line.action_archive()
        self.assertEqual(lead.completeness_rate, 66.7)
        self.env.flush_all()
        self.env.cr.execute("SELECT completeness_rate FROM crm_lead WHERE id = %s", [lead.id])
        self.assertEqual(self.env.cr.fetchone()[0], 66.7)

    def test_only_standard_fields_with_positive_weights(self):
        Config = self.env["crm.completeness.field"]
        with self.assertRaisesRegex(ValidationError, "cannot count in the completeness rate"):
            Config.create(
                {
                    "model_name": "crm.lead",
                    "field_id": self.env["ir.model.fields"]._get("crm.lead", "description").id,
                }
            )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            Config.create(
                {
                    "model_name": "crm.lead",
                    "field_id": self.env["ir.model.fields"]._get("crm.lead", "website").id,
                    "weight": 0,
                }
            )

    def test_reminder_created_once_and_closed_when_complete(self):
        lead = self.make_lead(core_need="Cut costs")
        self.run_cron()
        reminder = self.reminders(lead)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.salesperson)
        self.assertIn("Phone", str(reminder.note))
        self.run_cron()
        self.assertEqual(self.reminders(lead), reminder, "never a second open reminder")
        lead.write({"phone": "+86 138 0013 8000", "budget_range": "50k-100k"})
        self.run_cron()
        self.assertFalse(self.reminders(lead))
        done = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search([("id", "=", reminder.id)])
        )
        self.assertFalse(done.exists() and done.active)

    def test_reminder_setting_switches_the_scheduled_action(self):
        manager = new_test_user(
            self.env,
            login="std_complete_admin",
            groups="sales_team.group_sale_manager,base.group_system",
        )
        settings = Form(self.env["res.config.settings"].with_user(manager))
        self.assertTrue(settings.crm_std_completeness_reminder)
        settings.crm_std_completeness_reminder = False
        settings.save().execute()
        self.assertFalse(self.cron.active)

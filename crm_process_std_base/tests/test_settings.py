# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, new_test_user


class TestProcessSettings(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="std_settings_manager",
            groups="sales_team.group_sale_manager,base.group_system",
        )

    def test_sales_manager_saves_completeness_threshold(self):
        settings = Form(self.env["res.config.settings"].with_user(self.manager))
        self.assertEqual(settings.crm_std_completeness_threshold, 80)
        settings.crm_std_completeness_threshold = 70
        settings.crm_std_requirement_mode = "warn"
        settings.save().execute()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("crm_process_std.completeness_threshold"), "70")
        self.assertEqual(params.get_param("crm_process_std.requirement_mode"), "warn")

    def test_threshold_out_of_range_refused(self):
        settings = Form(self.env["res.config.settings"].with_user(self.manager))
        settings.crm_std_completeness_threshold = 120
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            settings.save()
        self.assertFalse(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_process_std.completeness_threshold")
        )

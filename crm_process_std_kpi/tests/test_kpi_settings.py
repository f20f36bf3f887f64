# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestKpiSettings(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="kpi_settings_admin",
            groups="crm_process_std_base.group_process_admin,base.group_system",
        )
        cls.params = cls.env["ir.config_parameter"].sudo()

    def _lead_fields(self, *names):
        return self.env["ir.model.fields"].search(
            [("model", "=", "crm.lead"), ("name", "in", names)]
        )

    def test_kpi_delays_and_completeness_fields_saved(self):
        settings = Form(self.env["res.config.settings"].with_user(self.admin))
        self.assertEqual(settings.crm_std_kpi_churn_days, 30)
        self.assertEqual(settings.crm_std_kpi_uncontacted_days, 7)
        self.assertEqual(
            {field.name for field in settings.crm_std_kpi_completeness_field_ids},
            {
                "partner_id",
                "contact_name",
                "function",
                "phone",
                "email_from",
                "source_id",
                "user_id",
                "description",
            },
        )
        settings.crm_std_kpi_churn_days = 45
        settings.crm_std_kpi_completeness_field_ids.clear()
        for field in self._lead_fields("phone", "email_from"):
            settings.crm_std_kpi_completeness_field_ids.add(field)
        settings.save().execute()
        self.assertEqual(self.params.get_param("crm_process_std.kpi_churn_days"), "45")
        self.assertEqual(
            set(self.params.get_param("crm_process_std.kpi_completeness_fields").split(",")),
            {"phone", "email_from"},
        )
        self.assertEqual(
            set(self.env["crm.kpi"]._kpi_completeness_fields()), {"phone", "email_from"}
        )

    def test_huge_days_refused(self):
        # refused at input, before an integer column overflows
        Settings = self.env["res.config.settings"].with_user(self.admin)
        for name in (
            "crm_std_kpi_churn_days",
            "crm_std_kpi_uncontacted_days",
            "crm_std_kpi_neglect_days",
        ):
            with self.subTest(name), self.assertRaises(ValidationError):
                Settings.create({name: 10**12})
        with self.assertRaisesRegex(ValidationError, "cannot exceed 3650 days"):
            Settings.create({"crm_std_kpi_churn_days": 4000})

    def test_zero_days_refused(self):
        settings = Form(self.env["res.config.settings"].with_user(self.admin))
        settings.crm_std_kpi_uncontacted_days = 0
        with self.assertRaisesRegex(ValidationError, "at least one day"):
            settings.save()

    def test_list_fields_cannot_be_counted(self):
        with self.assertRaisesRegex(ValidationError, "Tags"):
            self.env["res.config.settings"].with_user(self.admin).create(
                {"crm_std_kpi_completeness_field_ids": [(6, 0, self._lead_fields("tag_ids").ids)]}
            )

    def test_kpi_day_settings_and_threshold_read_within_bounds(self):
        # a forged parameter (import, shell, another module) must not
        # break every KPI query with an overflowing date.
        kpi = self.env["crm.kpi"]
        for stored, expected in (("99999999999", 3650), ("-5", 1), ("abc", 30), ("45", 45)):
            self.params.set_param("crm_process_std.kpi_churn_days", stored)
            self.assertEqual(kpi._kpi_days_param("kpi_churn_days", 30), expected, stored)
        self.params.set_param("crm_process_std.kpi_churn_days", "99999999999")
        self.params.set_param("crm_process_std.kpi_neglect_days", "99999999999")
        self.params.set_param("crm_process_std.kpi_uncontacted_days", "99999999999")
        for code in ("churn", "neglected_customers", "unattended_leads"):
            kpi._kpi_value(code, "2024-03-01", "2024-03-31")  # no OverflowError
        for stored, expected in (("1e9", 100.0), ("-3", 0.0), ("nan", 80.0), ("x", 80.0)):
            self.params.set_param("crm_process_std.completeness_threshold", stored)
            self.assertEqual(kpi._kpi_completeness_threshold(), expected, stored)

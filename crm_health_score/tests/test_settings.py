# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, new_test_user


class TestHealthSettings(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="health_settings_manager",
            groups="sales_team.group_sale_manager,base.group_system",
        )

    def test_sales_manager_saves_churn_days(self):
        settings = Form(self.env["res.config.settings"].with_user(self.manager))
        self.assertEqual(settings.crm_health_churn_days, 30)
        settings.crm_health_churn_days = 45
        settings.save().execute()
        self.assertEqual(
            self.env["ir.config_parameter"].sudo().get_param("crm_health_score.churn_days"), "45"
        )

    def test_churn_days_must_be_positive(self):
        settings = Form(self.env["res.config.settings"].with_user(self.manager))
        settings.crm_health_churn_days = 0
        with self.assertRaisesRegex(ValidationError, "at least one day"):
            settings.save()

    def test_health_history_period_and_retention_are_saved(self):
        settings = Form(self.env["res.config.settings"].with_user(self.manager))
        self.assertEqual(settings.crm_health_snapshot_period, "week")
        self.assertEqual(settings.crm_health_snapshot_retention_months, 24)
        settings.crm_health_snapshot_period = "month"
        settings.crm_health_snapshot_retention_months = 12
        settings.save().execute()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("crm_health_score.snapshot_period"), "month")
        self.assertEqual(params.get_param("crm_health_score.snapshot_retention_months"), "12")

    def test_history_retention_must_be_positive(self):
        settings = Form(self.env["res.config.settings"].with_user(self.manager))
        settings.crm_health_snapshot_retention_months = 0
        with self.assertRaisesRegex(ValidationError, "at least one month"):
            settings.save()

    def test_unbounded_retention_and_churn_delay_refused(self):
        """1e9 months of history would make every nightly purge fail."""
        settings = Form(self.env["res.config.settings"].with_user(self.manager))
        settings.crm_health_snapshot_retention_months = 1_000_000_000
        with self.assertRaisesRegex(ValidationError, "at most 240 months"):
            settings.save()
        settings = Form(self.env["res.config.settings"].with_user(self.manager))
        settings.crm_health_churn_days = 1_000_000_000
        with self.assertRaisesRegex(ValidationError, "at most 3650 days"):
            settings.save()

    def test_parameters_set_by_hand_out_of_bounds_give_the_default(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_health_score.snapshot_retention_months", "1000000000")
        params.set_param("crm_health_score.churn_days", "many")
        Settings = self.env["res.config.settings"]
        self.assertEqual(Settings._crm_health_retention_months(), 24)
        self.assertEqual(Settings._crm_health_churn_days(), 30)
        self.env["crm.health.engine"]._purge_snapshots()  # no OverflowError

    def test_intervention_due_days_bounded(self):
        with self.assertRaisesRegex(ValidationError, "at most 365 days"):
            self.env["crm.health.intervention.rule"].create(
                {
                    "name": "Far away",
                    "risk_level": "high",
                    "suggestion": "Call",
                    "activity_due_days": 1_000_000_000,
                }
            )

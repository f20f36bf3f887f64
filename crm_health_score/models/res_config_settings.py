# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_health_churn_days = fields.Integer(
        string="Churn Warning After (days)",
        config_parameter="crm_health_score.churn_days",
        default=30,
        help="A customer with no interaction for this many days and no open "
        "order or opportunity is flagged as a churn risk.",
    )

    @api.constrains("crm_health_churn_days")
    def _check_crm_health_churn_days(self):
        for settings in self:
            if settings.crm_health_churn_days < 1:
                raise ValidationError(
                    self.env._(
                        "The churn warning delay must be at least one day, not %s.",
                        settings.crm_health_churn_days,
                    )
                )

    # Customer health score: history and schedule
    crm_health_snapshot_period = fields.Selection(
        [("week", "Weekly"), ("month", "Monthly")],
        string="Health History Period",
        config_parameter="crm_health_score.snapshot_period",
        default="week",
        help="One snapshot of every customer's health is kept per period; trends "
        "compare with the previous period.",
    )
    crm_health_snapshot_retention_months = fields.Integer(
        string="Keep Health History (months)",
        config_parameter="crm_health_score.snapshot_retention_months",
        default=24,
        help="Older snapshots are deleted by the nightly recompute.",
    )

    @api.constrains("crm_health_snapshot_retention_months")
    def _check_crm_health_snapshot_retention(self):
        for settings in self:
            if settings.crm_health_snapshot_retention_months < 1:
                raise ValidationError(
                    self.env._(
                        "Keep the health history for at least one month, not %s.",
                        settings.crm_health_snapshot_retention_months,
                    )
                )

    def action_crm_health_open_schedule(self):
        """Open the nightly recompute's scheduled action (time, interval, active)."""
        cron = self.env.ref("crm_health_score.ir_cron_crm_health_recompute")
        return {
            "type": "ir.actions.act_window",
            "res_model": "ir.cron",
            "res_id": cron.id,
            "views": [(False, "form")],
            "target": "current",
        }

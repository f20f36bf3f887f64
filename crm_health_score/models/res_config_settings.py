# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# Bounds of the settings: beyond them a date computed from the value leaves the
# calendar (OverflowError) and the nightly recompute would fail for every customer.
CHURN_DAYS = (1, 3650, 30)  # (min, max, default)
RETENTION_MONTHS = (1, 240, 24)


def _bounded(value, bounds):
    """The integer ``value`` when within ``bounds``, else the default."""
    low, high, default = bounds
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


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
        _low, high, _default = CHURN_DAYS
        for settings in self:
            if settings.crm_health_churn_days < 1:
                raise ValidationError(
                    self.env._(
                        "The churn warning delay must be at least one day, not %s.",
                        settings.crm_health_churn_days,
                    )
                )
            if settings.crm_health_churn_days > high:
                raise ValidationError(
                    self.env._(
                        "The churn warning delay can be at most %(high)s days, not %(value)s.",
                        high=high,
                        value=settings.crm_health_churn_days,
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
        help="Older snapshots are deleted by the nightly recompute (at most 240 months).",
    )

    @api.constrains("crm_health_snapshot_retention_months")
    def _check_crm_health_snapshot_retention(self):
        _low, high, _default = RETENTION_MONTHS
        for settings in self:
            if settings.crm_health_snapshot_retention_months < 1:
                raise ValidationError(
                    self.env._(
                        "Keep the health history for at least one month, not %s.",
                        settings.crm_health_snapshot_retention_months,
                    )
                )
            if settings.crm_health_snapshot_retention_months > high:
                raise ValidationError(
                    self.env._(
                        "Keep the health history for at most %(high)s months (%(years)s "
                        "years), not %(value)s.",
                        high=high,
                        years=high // 12,
                        value=settings.crm_health_snapshot_retention_months,
                    )
                )

    # Customer health score: new activities per assignee and day (per company)
    crm_health_activity_cap = fields.Integer(
        related="company_id.crm_health_activity_cap", readonly=False
    )

    @api.model
    def _crm_health_churn_days(self):
        # Configuration only; a parameter set by hand out of bounds gives the default.
        return _bounded(
            self.env["ir.config_parameter"].sudo().get_param("crm_health_score.churn_days"),
            CHURN_DAYS,
        )

    @api.model
    def _crm_health_retention_months(self):
        # Configuration only; a parameter set by hand out of bounds gives the default.
        return _bounded(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_health_score.snapshot_retention_months"),
            RETENTION_MONTHS,
        )

    def action_crm_health_open_schedule(self):
        """Open the nightly recompute's scheduled action (time, interval, active)."""
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only administrators can change the schedule."))
        cron = self.env.ref("crm_health_score.ir_cron_crm_health_recompute")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Nightly Recompute Schedule"),
            "res_model": "ir.cron",
            "res_id": cron.id,
            "views": [(False, "form")],
            "target": "current",
        }

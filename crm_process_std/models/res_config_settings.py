# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_std_completeness_threshold = fields.Integer(
        string="Completeness Threshold (%)",
        config_parameter="crm_process_std.completeness_threshold",
        default=80,
        help="Records whose completeness rate is below this share get a "
        "'complete the customer record' activity for their owner.",
    )
    crm_std_requirement_mode = fields.Selection(
        [("block", "Block the stage change"), ("warn", "Warn and log a deviation")],
        string="Default Requirement Mode",
        config_parameter="crm_process_std.requirement_mode",
        default="block",
        help="Mode given to new stage requirements.",
    )

    @api.constrains("crm_std_completeness_threshold")
    def _check_crm_std_completeness_threshold(self):
        for settings in self:
            if not 0 <= settings.crm_std_completeness_threshold <= 100:
                raise ValidationError(
                    self.env._(
                        "The completeness threshold must be between 0 and 100 %%, not %s.",
                        settings.crm_std_completeness_threshold,
                    )
                )

    # --- Customer tiers and complaint deadlines (issue 4) ----------------------
    crm_std_tier_vip_revenue = fields.Float(
        string="VIP From (revenue, 12 months)",
        config_parameter="crm_process_std.tier_vip_revenue",
        default=100000.0,
        help="Customers whose won revenue of the last 12 months reaches this amount "
        "(company currency) are VIP customers.",
    )
    crm_std_tier_regular_revenue = fields.Float(
        string="Regular From (revenue, 12 months)",
        config_parameter="crm_process_std.tier_regular_revenue",
        default=1.0,
        help="Customers who bought at least this much in the last 12 months are regular "
        "customers; below, they are potential customers.",
    )
    crm_std_frequency_high = fields.Integer(
        string="High Frequency From (deals)",
        config_parameter="crm_process_std.frequency_high",
        default=6,
        help="Won deals (and confirmed orders) in 12 months for the high purchase frequency.",
    )
    crm_std_frequency_medium = fields.Integer(
        string="Medium Frequency From (deals)",
        config_parameter="crm_process_std.frequency_medium",
        default=2,
        help="Won deals (and confirmed orders) in 12 months for the medium purchase frequency.",
    )
    crm_std_complaint_hours_urgent = fields.Float(
        string="Urgent Complaint Answered Within (hours)",
        config_parameter="crm_process_std.complaint_hours_urgent",
        default=2.0,
    )
    crm_std_complaint_hours_normal = fields.Float(
        string="Normal Complaint Answered Within (hours)",
        config_parameter="crm_process_std.complaint_hours_normal",
        default=24.0,
    )

    @api.constrains(
        "crm_std_tier_vip_revenue",
        "crm_std_tier_regular_revenue",
        "crm_std_frequency_high",
        "crm_std_frequency_medium",
        "crm_std_complaint_hours_urgent",
        "crm_std_complaint_hours_normal",
    )
    def _check_crm_std_tiers_and_deadlines(self):
        for settings in self:
            if not 0 <= settings.crm_std_tier_regular_revenue < settings.crm_std_tier_vip_revenue:
                raise ValidationError(
                    self.env._(
                        "The VIP revenue (%(vip)s) must be above the regular revenue "
                        "(%(regular)s), and neither can be negative.",
                        vip=settings.crm_std_tier_vip_revenue,
                        regular=settings.crm_std_tier_regular_revenue,
                    )
                )
            if not 1 <= settings.crm_std_frequency_medium < settings.crm_std_frequency_high:
                raise ValidationError(
                    self.env._(
                        "The high purchase frequency (%(high)s deals) must be above the medium "
                        "one (%(medium)s deals), which must be at least 1.",
                        high=settings.crm_std_frequency_high,
                        medium=settings.crm_std_frequency_medium,
                    )
                )
            if (
                settings.crm_std_complaint_hours_urgent <= 0
                or settings.crm_std_complaint_hours_normal <= 0
            ):
                raise ValidationError(
                    self.env._(
                        "The response times of complaints must be positive numbers of hours."
                    )
                )

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Upper bound of the settings: 5 years of hours.
MAX_SETTING_HOURS = 8760 * 5


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_std_complaint_hours_urgent = fields.Float(
        related="company_id.crm_complaint_hours_urgent", readonly=False
    )
    crm_std_complaint_hours_normal = fields.Float(
        related="company_id.crm_complaint_hours_normal", readonly=False
    )

    @api.constrains("crm_std_complaint_hours_urgent", "crm_std_complaint_hours_normal")
    def _check_crm_std_complaint_hours(self):
        for settings in self:
            if (
                settings.crm_std_complaint_hours_urgent <= 0
                or settings.crm_std_complaint_hours_normal <= 0
            ):
                raise ValidationError(
                    self.env._(
                        "The response times of complaints must be positive numbers of hours."
                    )
                )
            if not (
                settings.crm_std_complaint_hours_urgent <= MAX_SETTING_HOURS
                and settings.crm_std_complaint_hours_normal <= MAX_SETTING_HOURS
            ):
                raise ValidationError(
                    self.env._(
                        "The response times of complaints cannot exceed %(max)s hours (5 years).",
                        max=MAX_SETTING_HOURS,
                    )
                )

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

    # --- Completeness reminders (stage requirements concern) ---
    # The switch is the scheduled action itself: off = the cron is deactivated.
    crm_std_completeness_reminder = fields.Boolean(
        string="Completeness Reminders",
        help="Give owners of incomplete leads and customers a 'complete the customer "
        "record' activity (scheduled action, daily).",
    )

    def _completeness_reminder_cron(self):
        return self.env.ref(
            "crm_process_std.ir_cron_crm_completeness_reminder", raise_if_not_found=False
        )

    @api.model
    def get_values(self):
        values = super().get_values()
        cron = self._completeness_reminder_cron()
        values["crm_std_completeness_reminder"] = bool(cron and cron.sudo().active)
        return values

    def set_values(self):
        result = super().set_values()
        cron = self._completeness_reminder_cron()
        if cron and cron.sudo().active != self.crm_std_completeness_reminder:
            cron.sudo().active = self.crm_std_completeness_reminder
        return result

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Upper bounds of the settings: larger values overflow the date arithmetic of the
# scheduled actions and reports that read them (5 years of hours, 10 years of days).
MAX_SETTING_HOURS = 8760 * 5
MAX_SETTING_DAYS = 3650
# Integer settings and their bounds, checked before the values reach the database:
# an integer column refuses 1e12 with a database error, not with a message.
INTEGER_SETTING_BOUNDS = {
    "crm_std_completeness_threshold": (0, 100),
}


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

    crm_std_validate_partner_contacts = fields.Boolean(
        related="company_id.crm_std_validate_partner_contacts", readonly=False
    )

    @api.model
    def _crm_std_integer_bounds(self):
        """{integer setting: (low, high)}, checked before the values reach the
        database; parts extend it with their own integer settings."""
        return INTEGER_SETTING_BOUNDS

    @api.model_create_multi
    def create(self, vals_list):
        # Upper bounds only: lower ones are the constraints' (their own messages).
        for vals in vals_list:
            for name, (_low, high) in self._crm_std_integer_bounds().items():
                value = vals.get(name)
                if value is None or value is False:
                    continue
                try:
                    in_range = float(value) <= high
                except (TypeError, ValueError):
                    continue  # not a number: the ORM refuses it
                if not in_range and name == "crm_std_completeness_threshold":
                    raise ValidationError(
                        self.env._(
                            "The completeness threshold must be between 0 and 100 %%, not %s.",
                            value,
                        )
                    )
                if not in_range:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s cannot exceed %(high)s, not %(value)s.",
                            setting=self._fields[name].get_description(self.env)["string"],
                            high=high,
                            value=value,
                        )
                    )
        return super().create(vals_list)

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
            "crm_process_std_base.ir_cron_crm_completeness_reminder", raise_if_not_found=False
        )

    @api.model
    def get_values(self):
        values = super().get_values()
        cron = self._completeness_reminder_cron()
        # settings are an administrator's (ACL of res.config.settings); cron state only
        values["crm_std_completeness_reminder"] = bool(cron and cron.sudo().active)
        return values

    def set_values(self):
        result = super().set_values()
        cron = self._completeness_reminder_cron()
        # the caller created these settings (administrator ACL): it may switch the cron
        if cron and cron.sudo().active != self.crm_std_completeness_reminder:
            cron.sudo().active = self.crm_std_completeness_reminder
        return result

    # --- Customer tiers and complaint deadlines ----------------------

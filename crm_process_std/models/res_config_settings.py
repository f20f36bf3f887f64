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

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

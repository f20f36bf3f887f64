# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Largest purchase frequency threshold (deals in 12 months): an integer column refuses
# 1e12 with a database error, not with a message.
MAX_FREQUENCY = 1000000


class ResCompany(models.Model):
    """Customer tier thresholds of each company, in its currency."""

    _inherit = "res.company"

    crm_std_tier_vip_revenue = fields.Monetary(
        string="VIP From (revenue, 12 months)",
        default=100000.0,
        help="Customers whose won revenue of the last 12 months reaches this amount "
        "(company currency) are VIP customers.",
    )
    crm_std_tier_regular_revenue = fields.Monetary(
        string="Regular From (revenue, 12 months)",
        default=1.0,
        help="Customers who bought at least this much in the last 12 months are regular "
        "customers; below, they are potential customers.",
    )
    crm_std_frequency_high = fields.Integer(
        string="High Frequency From (deals)",
        default=6,
        help="Won deals (and confirmed orders) in 12 months for the high purchase frequency.",
    )
    crm_std_frequency_medium = fields.Integer(
        string="Medium Frequency From (deals)",
        default=2,
        help="Won deals (and confirmed orders) in 12 months for the medium purchase frequency.",
    )

    @api.constrains(
        "crm_std_tier_vip_revenue",
        "crm_std_tier_regular_revenue",
        "crm_std_frequency_high",
        "crm_std_frequency_medium",
    )
    def _check_crm_std_tier_thresholds(self):
        for company in self:
            if not 0 <= company.crm_std_tier_regular_revenue < company.crm_std_tier_vip_revenue:
                raise ValidationError(
                    self.env._(
                        "The VIP revenue (%(vip)s) must be above the regular revenue "
                        "(%(regular)s), and neither can be negative.",
                        vip=company.crm_std_tier_vip_revenue,
                        regular=company.crm_std_tier_regular_revenue,
                    )
                )
            if not 1 <= company.crm_std_frequency_medium < company.crm_std_frequency_high:
                raise ValidationError(
                    self.env._(
                        "The high purchase frequency (%(high)s deals) must be above the medium "
                        "one (%(medium)s deals), which must be at least 1.",
                        high=company.crm_std_frequency_high,
                        medium=company.crm_std_frequency_medium,
                    )
                )
            if company.crm_std_frequency_high > MAX_FREQUENCY:
                raise ValidationError(
                    self.env._(
                        "%(setting)s cannot exceed %(high)s, not %(value)s.",
                        setting=self._fields["crm_std_frequency_high"].get_description(self.env)[
                            "string"
                        ],
                        high=MAX_FREQUENCY,
                        value=company.crm_std_frequency_high,
                    )
                )

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """Customer tier thresholds, per company (see res.company)."""

    _inherit = "res.config.settings"

    company_currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", string="Company Currency"
    )
    crm_std_tier_vip_revenue = fields.Monetary(
        related="company_id.crm_std_tier_vip_revenue",
        currency_field="company_currency_id",
        readonly=False,
    )
    crm_std_tier_regular_revenue = fields.Monetary(
        related="company_id.crm_std_tier_regular_revenue",
        currency_field="company_currency_id",
        readonly=False,
    )
    crm_std_frequency_high = fields.Integer(
        related="company_id.crm_std_frequency_high", readonly=False
    )
    crm_std_frequency_medium = fields.Integer(
        related="company_id.crm_std_frequency_medium", readonly=False
    )

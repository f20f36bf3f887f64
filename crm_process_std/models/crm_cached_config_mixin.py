# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class CrmCachedConfigMixin(models.AbstractModel):
    """Configuration that lead writes read through ormcached methods (stage
    requirements, completeness fields, approval levels, SLA nodes): any change to
    it clears the registry cache, in every worker."""

    _name = "crm.cached.config.mixin"
    _description = "Cached Process Configuration"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    @api.model
    def _gated_stage_ids(self, stages):
        gated = super()._gated_stage_ids(stages)
        # configuration of every company, read in the snapshot of _gated_stages (system
        # data; a change of the setting clears the cache, see res.company)
        companies = self.env["res.company"].sudo().search_fetch([], ["crm_handoff_stage_id"])
        gated.update(companies.crm_handoff_stage_id.ids)
        return gated

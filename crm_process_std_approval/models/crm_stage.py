# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    @api.model
    def _gated_stage_ids(self, stages):
        gated = super()._gated_stage_ids(stages)
        if not self.env["crm.approval.level"]._level_rows():
            return gated
        # configuration of every company, read in the snapshot of _gated_stages (system
        # data; a change of the setting clears the cache, see res.company)
        gates = self.env["res.company"].sudo().search_fetch([], ["crm_approval_stage_id"])
        for gate in gates.crm_approval_stage_id & stages:
            # approval is needed from the gated stage on
            gated.update(stages.filtered(lambda stage, g=gate: stage.sequence >= g.sequence).ids)
        return gated

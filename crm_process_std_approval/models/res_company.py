# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    def _default_crm_approval_stage_id(self):
        # Proposition when it still exists: deals are approved before they are proposed
        return self.env.ref("crm.stage_lead3", raise_if_not_found=False)

    crm_approval_stage_id = fields.Many2one(
        "crm.stage",
        string="Stage Needing Approval",
        default=_default_crm_approval_stage_id,
        help="Deals of this company whose amount reaches an approval level cannot enter "
        "this stage, or a later one, before every level approved. Empty: no approval "
        "needed.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "crm_approval_stage_id" in vals:
            # the stages a gate may refuse are cached (crm.stage._gated_stages)
            self.env.registry.clear_cache()
        return result

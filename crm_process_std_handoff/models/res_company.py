# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # switched on at install (column default): an admin who turns them off keeps them off
    crm_handoff_auto_create = fields.Boolean(
        string="Create Handoff When Won",
        default=True,
        help="A draft handoff to after-sales is created when an opportunity is won.",
    )
    crm_handoff_deadline_hours = fields.Integer(
        string="Handoff Deadline (hours)",
        default=24,
        help="The receiver should accept the handoff within this time after the win.",
    )
    crm_handoff_team_id = fields.Many2one(
        "crm.team",
        string="Receiving Team",
        help="Team receiving new handoffs (after-sales or customer success).",
    )
    crm_handoff_stage_id = fields.Many2one(
        "crm.stage",
        string="Stage After Acceptance",
        help="Leads cannot enter this stage (e.g. Onboarding) before their handoff is "
        "accepted. Empty: no stage waits for the handoff.",
    )
    crm_handoff_marks_customer = fields.Boolean(
        string="Mark Customer on Acceptance",
        default=True,
        help="The customer's type becomes 'customer' when after-sales accepts the handoff, "
        "not before.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        if any(vals.get("crm_handoff_stage_id") for vals in vals_list):
            # the gated stages are cached (crm.stage._gated_stages, crm.handoff)
            self.env.registry.clear_cache()
        return companies

    def write(self, vals):
        result = super().write(vals)
        if {"crm_handoff_stage_id", "active"} & vals.keys():
            # the gated stages are cached (crm.stage._gated_stages, crm.handoff)
            self.env.registry.clear_cache()
        return result

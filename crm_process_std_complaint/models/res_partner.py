# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_complaint_ids = fields.One2many(
        "crm.complaint", "commercial_partner_id", string="Complaints"
    )
    crm_open_complaint_count = fields.Integer(
        string="Open Complaints", compute="_compute_crm_open_complaint_count"
    )

    @api.depends("crm_complaint_ids.state")
    def _compute_crm_open_complaint_count(self):
        counts = dict(
            self.env["crm.complaint"]._read_group(
                [("commercial_partner_id", "in", self.ids), ("state", "!=", "resolved")],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.crm_open_complaint_count = counts.get(partner._origin, 0)

    @api.model
    def _process_history_models(self):
        return (*super()._process_history_models(), "crm.complaint")

    def action_crm_view_complaints(self):
        self.ensure_one()
        self.check_access("read")  # an action on this customer only (rules apply after)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std_complaint.action_crm_complaint"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

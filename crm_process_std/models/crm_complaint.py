# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmComplaint(models.Model):
    """A customer complaint, answered within a deadline set by its severity."""

    _name = "crm.complaint"
    _description = "Customer Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_open desc, id desc"

    name = fields.Char(string="Subject", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    lead_id = fields.Many2one("crm.lead", string="Related Lead", index=True, ondelete="set null")
    severity = fields.Selection(
        [("urgent", "Urgent"), ("normal", "Normal")], required=True, default="normal", tracking=True
    )
    description = fields.Html()
    state = fields.Selection(
        [("open", "Open"), ("in_progress", "In Progress"), ("resolved", "Resolved")],
        required=True,
        default="open",
        index=True,
        tracking=True,
    )
    date_open = fields.Datetime(
        string="Opened On", required=True, default=fields.Datetime.now, index=True
    )
    response_deadline = fields.Datetime()
    first_response_date = fields.Datetime(string="Answered On")
    user_id = fields.Many2one("res.users", string="After-Sales Owner", index=True, tracking=True)
    resolution = fields.Html()
    resolved_date = fields.Datetime(string="Resolved On", index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

FOLLOWUP_CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("visit", "Visit"),
    ("meeting", "Meeting"),
    ("wechat", "WeChat"),
    ("other", "Other"),
]


class CrmFollowup(models.Model):
    """One structured contact with a customer (seed template 2)."""

    _name = "crm.followup"
    _description = "Customer Follow-up"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    lead_id = fields.Many2one(
        "crm.lead", string="Lead / Opportunity", index=True, ondelete="set null"
    )
    contact_id = fields.Many2one("res.partner", string="Contact")
    channel = fields.Selection(FOLLOWUP_CHANNELS, required=True, default="phone", tracking=True)
    previous_conclusion = fields.Text(help="What was concluded at the previous contact.")
    value_delivered = fields.Text(help="What value this contact brought to the customer.")
    next_step = fields.Text(help="The next step agreed with the customer.")
    customer_feedback = fields.Text(string="Customer Feedback / Need Change")
    next_action = fields.Char()
    next_action_date = fields.Date()
    user_id = fields.Many2one(
        "res.users", string="Owner", required=True, index=True, default=lambda self: self.env.user
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

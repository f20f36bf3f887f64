# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmHandoffChecklistLine(models.Model):
    """One checklist item of a given handoff, ticked by the sender or the receiver."""

    _name = "crm.handoff.checklist.line"
    _description = "Handoff Checklist Line"
    _order = "sequence, id"

    handoff_id = fields.Many2one("crm.handoff", required=True, index=True, ondelete="cascade")
    item_id = fields.Many2one(
        "crm.handoff.checklist.item", string="Template Item", ondelete="set null"
    )
    name = fields.Char(string="Item", required=True)
    sequence = fields.Integer(default=10)
    required = fields.Boolean(default=True)
    is_done = fields.Boolean(string="Done")
    done_by_id = fields.Many2one("res.users", readonly=True)
    done_date = fields.Datetime(string="Done On", readonly=True)
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("is_done"):
                vals.update(done_by_id=self.env.user.id, done_date=fields.Datetime.now())
        return super().create(vals_list)

    def write(self, vals):
        if "is_done" in vals:
            vals = {
                **vals,
                "done_by_id": self.env.user.id if vals["is_done"] else False,
                "done_date": fields.Datetime.now() if vals["is_done"] else False,
            }
        return super().write(vals)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, fields, models


class CrmHandoffChecklistItem(models.Model):
    """One item of a handoff checklist template (e.g. contract attached)."""

    _name = "crm.handoff.checklist.item"
    _description = "Handoff Checklist Item"
    _order = "sequence, id"

    template_id = fields.Many2one(
        "crm.handoff.checklist.template", required=True, index=True, ondelete="cascade"
    )
    name = fields.Char(string="Item", required=True, translate=True)
    sequence = fields.Integer(default=10)
    required = fields.Boolean(
        default=True, help="The receiver can accept the handoff only once this item is done."
    )
    description = fields.Text(help="What the sender should check or attach.")

    def _line_commands(self):
        """Commands creating the handoff checklist lines of these items."""
        return [
            Command.create(
                {
                    "item_id": item.id,
                    "name": item.name,
                    "sequence": item.sequence,
                    "required": item.required,
                }
            )
            for item in self
        ]

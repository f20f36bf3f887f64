# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# What may still change on the checklist of a submitted handoff: ticking items (the
# sender completing them, the receiver checking them) and their notes.
TICKING_FIELDS = frozenset({"is_done", "note"})


class CrmHandoffChecklistLine(models.Model):
    """One checklist item of a given handoff, ticked by the sender or the receiver.

    The checklist belongs to its handoff's flow: lines are added and removed while the
    handoff is a draft (or rejected), only ticked once submitted, and frozen once
    accepted. A line of a required item of the handoff's template stays required and
    cannot be removed (the submission restores a missing one)."""

    _name = "crm.handoff.checklist.line"
    _inherit = "crm.protected.fields.mixin"
    _description = "Handoff Checklist Line"
    _order = "sequence, id"
    _frozen_fields = frozenset({"handoff_id", "item_id"})

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
        if not self.env.su:
            handoff_ids = [vals.get("handoff_id") for vals in vals_list]
            self._check_editable(self.env["crm.handoff"].browse(handoff_ids))
            items = self.env["crm.handoff.checklist.item"].browse(
                vals.get("item_id") for vals in vals_list
            )
            required_ids = set(items.filtered("required").ids)
            # a line of a required item is required, whoever creates it
            vals_list = [
                {**vals, "required": True} if vals.get("item_id") in required_ids else vals
                for vals in vals_list
            ]
        lines = super().create(vals_list)
        lines.filtered("is_done")._stamp_done()
        return lines

    def write(self, vals):
        if not self.env.su:
            self._check_editable(self.handoff_id, vals)
            if "required" in vals and not vals["required"]:
                self._check_not_required_item()
        result = super().write(vals)
        if "is_done" in vals:
            self._stamp_done()
        return result

    def _stamp_done(self):
        """Who ticked an item and when (untick clears it)."""
        now = fields.Datetime.now()
        for is_done, lines in (
            (True, self.filtered("is_done")),
            (False, self - self.filtered("is_done")),
        ):
            if lines:
                # sudo: the stamps are the flow's own values (protected fields), written
                # after the caller's own change of is_done was allowed
                lines.sudo().write(
                    {
                        "done_by_id": self.env.uid if is_done else False,
                        "done_date": now if is_done else False,
                    }
                )

    def unlink(self):
        if not self.env.su:
            self._check_editable(self.handoff_id)
            self._check_not_required_item()
        return super().unlink()

    @api.model
    def _check_editable(self, handoffs, vals=None):
        """Lines change with their handoff's state (see the class docstring)."""
        for handoff in handoffs:
            if handoff.state == "accepted" or (
                handoff.state == "submitted" and (vals is None or vals.keys() - TICKING_FIELDS)
            ):
                # the handoff's state, not the user's rights (it may have just changed)
                raise UserError(
                    self.env._(
                        "The checklist of %(handoff)s is %(state)s: its items can no longer "
                        "be added, removed or changed.",
                        handoff=handoff.display_name,
                        state=handoff._fields["state"].convert_to_export(handoff.state, handoff),
                    )
                )

    def _check_not_required_item(self):
        for line in self:
            item = line.item_id
            if item.required and item in line.handoff_id.checklist_template_id.item_ids:
                raise AccessError(
                    self.env._(
                        "%(item)s is required by the checklist %(template)s: it stays on the "
                        "handoff and cannot be made optional.",
                        item=line.name,
                        template=line.handoff_id.checklist_template_id.display_name,
                    )
                )

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.crm_handoff import QUALITY_RATINGS


class CrmHandoffDecision(models.TransientModel):
    """The receiver accepts (rating the handoff) or rejects it with a reason."""

    _name = "crm.handoff.decision"
    _description = "Accept or Reject a Handoff"

    handoff_id = fields.Many2one("crm.handoff", required=True, ondelete="cascade")
    decision = fields.Selection(
        [("accept", "Accept"), ("reject", "Reject")], required=True, default="accept"
    )
    quality_rating = fields.Selection(
        QUALITY_RATINGS,
        string="Handoff Quality",
        help="How complete and useful the handoff was.",
    )
    rating_comment = fields.Text(string="Quality Comment")
    rejection_reason = fields.Text(help="What the sender must complete or correct.")

    def action_confirm(self):
        """Accept or reject: action_accept / action_reject check who may decide."""
        self.ensure_one()
        if self.decision == "accept":
            self.handoff_id.action_accept(self.quality_rating, self.rating_comment)
        else:
            self.handoff_id.action_reject(self.rejection_reason)
        return {"type": "ir.actions.act_window_close"}

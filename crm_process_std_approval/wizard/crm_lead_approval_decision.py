# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLeadApprovalDecision(models.TransientModel):
    """An approver approves or rejects one approval level of a deal, with a comment."""

    _name = "crm.lead.approval.decision"
    _description = "Approve or Reject a Deal"

    approval_id = fields.Many2one("crm.lead.approval", required=True, ondelete="cascade")
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve"
    )
    comment = fields.Text(help="Required when rejecting.")

    def action_confirm(self):
        """Approve or reject: action_approve / action_reject check who may decide."""
        self.ensure_one()
        if self.decision == "approve":
            self.approval_id.action_approve(self.comment)
        else:
            self.approval_id.action_reject(self.comment)
        return {"type": "ir.actions.act_window_close"}

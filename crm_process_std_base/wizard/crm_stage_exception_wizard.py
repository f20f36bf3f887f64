# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError


class CrmStageExceptionWizard(models.TransientModel):
    """A sales manager lets one lead enter a stage once without its requirements."""

    _name = "crm.stage.exception.wizard"
    _description = "Grant a Stage Exception"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    stage_id = fields.Many2one(
        "crm.stage",
        required=True,
        ondelete="cascade",
        help="The stage the lead may enter once without meeting its requirements.",
    )
    reason = fields.Text(required=True)

    def action_grant(self):
        self.ensure_one()
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only sales managers can grant a stage exception."))
        lead = self.lead_id
        # a manager of the lead's company (record rules): checked before the sudo below
        lead.check_access("write")
        # deviations are flow-only records: created as superuser after the two checks above
        self.env["crm.stage.deviation"].sudo().create(
            {
                "lead_id": lead.id,
                "stage_id": self.stage_id.id,
                "kind": "exception",
                "exception_state": "granted",
                "reason": self.reason,
                "granted_by_id": self.env.uid,
                "lead_user_id": lead.user_id.id,
                "team_id": lead.team_id.id,
                "company_id": lead.company_id.id,
            }
        )
        lead.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Stage exception granted by %(manager)s: this lead may enter %(stage)s once "
                "without its requirements. Reason: %(reason)s",
                manager=self.env.user.name,
                stage=self.stage_id.name,
                reason=self.reason,
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}

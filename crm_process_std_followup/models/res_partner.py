# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.i18n import format_list

from .crm_followup import FOLLOWUP_CHANNELS


class ResPartner(models.Model):
    """Follow-ups and last contact of a customer."""

    _inherit = "res.partner"

    crm_followup_ids = fields.One2many("crm.followup", "commercial_partner_id", string="Follow-ups")
    crm_followup_count = fields.Integer(
        string="Follow-up Count", compute="_compute_crm_followup_count"
    )
    last_contact_date = fields.Datetime(
        compute="_compute_last_contact",
        store=True,
        index=True,
        help="Date of the latest follow-up logged with this customer (automatic).",
    )
    last_contact_channel = fields.Selection(
        FOLLOWUP_CHANNELS, compute="_compute_last_contact", store=True
    )
    last_contact_summary = fields.Text(compute="_compute_last_contact", store=True)

    @api.depends("crm_followup_ids")
    def _compute_crm_followup_count(self):
        counts = dict(
            self.env["crm.followup"]._read_group(
                [("commercial_partner_id", "in", self.ids)], ["commercial_partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.crm_followup_count = counts.get(partner._origin, 0)

    @api.depends("crm_followup_ids.date", "crm_followup_ids.channel", "crm_followup_ids.summary")
    def _compute_last_contact(self):
        self.env["crm.followup"]._set_last_contact(self, "commercial_partner_id")

    def unlink(self):
        self._check_unlink_followups()
        return super().unlink()

    def _check_unlink_followups(self):
        """Follow-ups are the history of a customer relationship: a customer holding
        some is archived, not deleted (the database refuses it too)."""
        if not self.ids:
            return
        # sudo: whether any follow-up (of any author) names these partners; only the
        # names of the partners being deleted are shown
        kept = self.browse(
            partner.id
            for [partner] in self.env["crm.followup"]
            .sudo()
            ._read_group([("partner_id", "in", self.ids)], ["partner_id"])
        )
        if kept:
            raise UserError(
                self.env._(
                    "%(partners)s cannot be deleted: follow-ups were logged with them, the "
                    "history of the customer relationship. Archive them instead.",
                    partners=format_list(self.env, kept.mapped("display_name")),
                )
            )

    def action_crm_view_followups(self):
        self.ensure_one()
        self.check_access("read")  # an action on this customer only (rules apply after)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std_followup.action_crm_followup"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_crm_log_followup(self):
        self.ensure_one()
        self.check_access("read")  # an action on this customer only (rules apply after)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Follow-up"),
            "res_model": "crm.followup",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_contact_id": self.id if self.parent_id else False,
            },
        }

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError

from .crm_health_band import NEEDS_MATCH_LEVELS
from .crm_health_score import STATES
from .crm_health_scorecard import HEALTH_RISK_LEVELS


class ResPartner(models.Model):
    _inherit = "res.partner"

    needs_match = fields.Selection(
        NEEDS_MATCH_LEVELS,
        tracking=True,
        help="How well our offer matches this customer's needs, as judged by sales. "
        "One dimension of the customer health score.",
    )
    health_score_id = fields.Many2one(
        "crm.health.score", string="Health", compute="_compute_health_score_id"
    )
    health_score = fields.Integer(compute="_compute_health_score_id")
    health_risk_level = fields.Selection(
        HEALTH_RISK_LEVELS, string="Health Risk", compute="_compute_health_score_id"
    )
    health_state = fields.Selection(STATES, compute="_compute_health_score_id")

    def _compute_health_score_id(self):
        self.health_score_id = self.health_risk_level = self.health_state = False
        self.health_score = 0
        Score = self.env["crm.health.score"]
        if not Score.has_access("read"):
            return
        commercial = self.commercial_partner_id
        records = Score.search_fetch(
            [("partner_id", "in", commercial.ids)], ["partner_id", "score", "risk_level", "state"]
        )
        by_partner = {record.partner_id.id: record for record in records}
        for partner in self:
            record = by_partner.get(partner.commercial_partner_id.id)
            if record:
                partner.health_score_id = record
                partner.health_score = record.score
                partner.health_risk_level = record.risk_level
                partner.health_state = record.state

    def action_open_health_score(self):
        """Open the customer's health record, computing it first when missing (sales
        managers and customer-success managers, for a customer they may read)."""
        self.ensure_one()
        self.check_access("read")
        record = self.commercial_partner_id.health_score_id
        if not record:
            self.env["crm.health.score"]._check_recompute_rights()
            self.commercial_partner_id.check_access("read")
            # Rights and read access to the customer checked above: its record is
            # created as system data, in the customer's company (or shared).
            engine = self.env["crm.health.engine"].sudo()
            engine._sync_scope(self.commercial_partner_id.ids)
            self.commercial_partner_id.invalidate_recordset()
            record = self.commercial_partner_id.health_score_id
            if not record:
                raise UserError(
                    self.env._(
                        "%s cannot have a health score: only customers (companies or "
                        "individuals who are not users) are scored.",
                        self.commercial_partner_id.display_name,
                    )
                )
            record.action_recompute()
            self.commercial_partner_id.invalidate_recordset()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer Health"),
            "res_model": "crm.health.score",
            "res_id": record.id,
            "views": [(False, "form")],
            "target": "current",
        }

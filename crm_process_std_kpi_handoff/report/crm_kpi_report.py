# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL


class CrmKpiReport(models.Model):
    """The handoffs due in the live KPI report: one row per handoff, dated by its
    deadline, once accepted or past it."""

    _inherit = "crm.kpi.report"
    _depends = {  # noqa: RUF012 - an ORM model attribute, merged over the inheritance
        "crm.handoff": ["lead_id", "sender_id", "company_id", "state", "deadline", "accepted_date"],
    }

    kind = fields.Selection(selection_add=[("handoff", "Handoff Due")])
    handoff_due_count = fields.Integer(string="Handoffs Due", readonly=True)
    handoff_ontime_count = fields.Integer(string="Handoffs On Time", readonly=True)
    handoff_ontime_rate = fields.Float(
        string="Handoff On-Time Rate (%)", aggregator="avg", readonly=True
    )

    @api.model
    def _row_sources(self):
        return {
            **super()._row_sources(),
            "handoff": (
                SQL(
                    """crm_handoff h
                       JOIN crm_lead l ON l.id = h.lead_id
                  LEFT JOIN res_users u ON u.id = h.sender_id,
                            LATERAL (SELECT h.state = 'accepted'
                                            AND h.accepted_date <= h.deadline AS on_time) o"""
                ),
                SQL(
                    "h.deadline IS NOT NULL AND (h.state = 'accepted' OR h.deadline < %s)",
                    SQL("(now() AT TIME ZONE 'UTC')"),
                ),
                {
                    "record_id": SQL("h.id"),
                    "date": SQL("h.deadline"),
                    "lead_id": SQL("h.lead_id"),
                    "team_id": SQL("COALESCE(l.team_id, u.sale_team_id)"),
                    "user_id": SQL("h.sender_id"),
                    "company_id": SQL("h.company_id"),
                    "handoff_due_count": SQL("1"),
                    "handoff_ontime_count": SQL("o.on_time::int"),
                    "handoff_ontime_rate": SQL("100.0 * o.on_time::int"),
                },
            ),
        }

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class CrmKpi(models.AbstractModel):
    _inherit = "crm.kpi"

    @api.model
    def _kpi_definitions(self):
        return {
            **super()._kpi_definitions(),
            "handoff_ontime": {
                "name": self.env._("Handoff On-Time Rate"),
                "unit": "percent",
                "formula": "ratio",
                "comparison": ">=",
                "target": 95.0,
                "model": "crm.handoff",
            },
        }

    @api.model
    def _kpi_sql_handoff_ontime(self, period):
        """Handoff on-time rate: handoffs accepted by their deadline / handoffs due
        in the period (deadline in the period, and accepted or already past it).
        Counted for the sender (the salesperson handing over) and the lead's
        sales team (else the sender's)."""
        return SQL(
            """SELECT h.id AS record_id, COALESCE(l.team_id, u.sale_team_id) AS team_id,
                      h.sender_id AS user_id, o.on_time::int AS num, 1 AS den,
                      NOT o.on_time AS problem
                 FROM crm_handoff h
                 JOIN crm_lead l ON l.id = h.lead_id
            LEFT JOIN res_users u ON u.id = h.sender_id,
                      LATERAL (SELECT h.state = 'accepted'
                                      AND h.accepted_date <= h.deadline AS on_time) o
                WHERE h.deadline >= %(start)s AND h.deadline < %(stop)s
                  AND (h.state = 'accepted' OR h.deadline < %(now)s)
                  AND h.company_id = %(company)s""",
            start=period.start,
            stop=period.stop,
            now=period.now,
            company=period.company_id,
        )

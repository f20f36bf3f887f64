# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL


class CrmKpi(models.AbstractModel):
    _inherit = "crm.kpi"

    @api.model
    def _kpi_definitions(self):
        return {
            **super()._kpi_definitions(),
            "complaint_time": {
                "name": self.env._("Complaint Handling Time"),
                "unit": "hours",
                "formula": "average",
                "comparison": "<=",
                "target": 48.0,
                "model": "crm.complaint",
                "diagnosis": 8,
            },
        }

    @api.model
    def _kpi_sql_complaint_time(self, period):
        """Hours from opening to resolution of the complaints resolved in the
        period; by the team of the related lead (else the owner's sales team)
        and the after-sales owner."""
        limit = self._kpi_target_limit("complaint_time", period)
        return SQL(
            """SELECT c.id AS record_id, COALESCE(l.team_id, u.sale_team_id) AS team_id, c.user_id,
                      EXTRACT(EPOCH FROM c.resolved_date - c.date_open) / 3600.0 AS num, 1 AS den,
                      c.resolved_date - c.date_open > %s AS problem
                 FROM crm_complaint c
            LEFT JOIN crm_lead l ON l.id = c.lead_id
            LEFT JOIN res_users u ON u.id = c.user_id
                WHERE c.state = 'resolved'
                  AND c.resolved_date >= %s AND c.resolved_date < %s AND c.company_id = %s""",
            timedelta(hours=limit),
            period.start,
            period.stop,
            period.company_id,
        )

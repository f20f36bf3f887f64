# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class CrmKpi(models.AbstractModel):
    _inherit = "crm.kpi"

    @api.model
    def _kpi_definitions(self):
        return {
            **super()._kpi_definitions(),
            "sla_breach": {
                "name": self.env._("SLA Breach Rate"),
                "unit": "percent",
                "formula": "ratio",
                "comparison": "<=",
                "target": 5.0,
                "model": "crm.sla.timer",
            },
        }

    @api.model
    def _kpi_apply_pending(self):
        result = super()._kpi_apply_pending()
        # the SLA timers started or stopped by the lead events of this transaction
        self.env["crm.sla.timer"]._apply_lead_events()
        return result

    @api.model
    def _kpi_sql_sla_breach(self, period):
        """SLA breach rate: breached timers / timers judged in the period (deadline
        in the period; met, breached, or still running past it). Cancelled
        timers and running ones not due yet are not judged. Counted for the
        timer's responsible and sales team; the SLA timer views split it by
        process node."""
        return SQL(
            """SELECT t.id AS record_id, t.team_id, t.user_id, b.breached::int AS num, 1 AS den,
                      b.breached AS problem
                 FROM crm_sla_timer t,
                      LATERAL (SELECT t.state = 'breached'
                                      OR (t.state = 'running' AND t.date_deadline < %(now)s)
                                      AS breached) b
                WHERE t.date_deadline >= %(start)s AND t.date_deadline < %(stop)s
                  AND (t.state IN ('met', 'breached') OR t.date_deadline < %(now)s)
                  AND t.state != 'cancelled'
                  AND (t.company_id = %(company)s OR t.company_id IS NULL)""",
            start=period.start,
            stop=period.stop,
            now=period.now,
            company=period.company_id,
        )

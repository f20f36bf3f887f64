# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL


class CrmKpiReport(models.Model):
    """The SLA timers judged in the live KPI report: one row per timer, dated by its
    deadline, once met, breached or running past it (cancelled ones are not judged)."""

    _inherit = "crm.kpi.report"
    _depends = {  # noqa: RUF012 - an ORM model attribute, merged over the inheritance
        "crm.sla.timer": [
            "lead_id",
            "team_id",
            "user_id",
            "company_id",
            "node_id",
            "state",
            "date_deadline",
        ],
    }

    kind = fields.Selection(selection_add=[("sla", "SLA Timer Due")])
    node_id = fields.Many2one("crm.sla.node", string="Process Node", readonly=True)
    sla_timer_count = fields.Integer(string="SLA Timers Due", readonly=True)
    sla_breach_count = fields.Integer(string="SLA Breaches", readonly=True)
    sla_breach_rate = fields.Float(string="SLA Breach Rate (%)", aggregator="avg", readonly=True)

    @api.model
    def _row_sources(self):
        now = SQL("(now() AT TIME ZONE 'UTC')")
        return {
            **super()._row_sources(),
            "sla": (
                SQL(
                    """crm_sla_timer t,
                       LATERAL (SELECT t.state = 'breached'
                                       OR (t.state = 'running' AND t.date_deadline < %s)
                                       AS breached) b""",
                    now,
                ),
                SQL(
                    "t.state IN ('met', 'breached') "
                    "OR (t.state = 'running' AND t.date_deadline < %s)",
                    now,
                ),
                {
                    "record_id": SQL("t.id"),
                    "date": SQL("t.date_deadline"),
                    "lead_id": SQL("t.lead_id"),
                    "team_id": SQL("t.team_id"),
                    "user_id": SQL("t.user_id"),
                    "company_id": SQL("t.company_id"),
                    "node_id": SQL("t.node_id"),
                    "sla_timer_count": SQL("1"),
                    "sla_breach_count": SQL("b.breached::int"),
                    "sla_breach_rate": SQL("100.0 * b.breached::int"),
                },
            ),
        }

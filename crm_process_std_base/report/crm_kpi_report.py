# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Live process KPI report: one row per event of a lead (created, closed), per
handoff due and per SLA timer judged, dated by the event, with measures whose sums
and averages are the process KPIs of that month, team and salesperson.

Rates are averages of 0 / 100 flags set only on the rows they apply to (NULL on the
others, which averages ignore), so the pivot shows them for any grouping."""

from odoo import api, fields, models, tools
from odoo.tools import SQL

EVENT_KINDS = [
    ("created", "Lead Created"),
    ("closed", "Deal Closed"),
    ("handoff", "Handoff Due"),
    ("sla", "SLA Timer Due"),
]


class CrmKpiReport(models.Model):
    _name = "crm.kpi.report"
    _description = "Process KPI Report"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "lead_id"

    date = fields.Datetime(readonly=True, help="When the event happened or was due.")
    kind = fields.Selection(EVENT_KINDS, string="Event", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Lead / Opportunity", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    node_id = fields.Many2one("crm.sla.node", string="Process Node", readonly=True)
    lead_count = fields.Integer(string="Leads Created", readonly=True)
    lead_in_count = fields.Integer(
        string="Created as Leads", readonly=True, help="Leads not created as opportunities."
    )
    converted_count = fields.Integer(string="Converted to Opportunity", readonly=True)
    lead_to_opportunity_rate = fields.Float(
        string="Lead to Opportunity Rate (%)", aggregator="avg", readonly=True
    )
    completeness_rate = fields.Float(
        string="Information Completeness (%)", aggregator="avg", readonly=True
    )
    first_response_hours = fields.Float(
        string="First Response (hours)", aggregator="avg", readonly=True
    )
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    conversion_rate = fields.Float(
        string="Conversion Rate (Won / Closed, %)", aggregator="avg", readonly=True
    )
    handoff_due_count = fields.Integer(string="Handoffs Due", readonly=True)
    handoff_ontime_count = fields.Integer(string="Handoffs On Time", readonly=True)
    handoff_ontime_rate = fields.Float(
        string="Handoff On-Time Rate (%)", aggregator="avg", readonly=True
    )
    sla_timer_count = fields.Integer(string="SLA Timers Due", readonly=True)
    sla_breach_count = fields.Integer(string="SLA Breaches", readonly=True)
    sla_breach_rate = fields.Float(string="SLA Breach Rate (%)", aggregator="avg", readonly=True)

    @api.model
    def _search(self, domain, *args, **kwargs):
        # the report reads the SLA timers and first contacts of this transaction too
        # (system values of records changed in it, stored as superuser); the rows are
        # then filtered by the report's record rules (own / all leads, companies)
        self.env["crm.sla.timer"]._apply_lead_events()
        self.env["crm.kpi"]._kpi_apply_first_contact()
        return super()._search(domain, *args, **kwargs)

    def _query(self):
        kpi = self.env["crm.kpi"]
        now = SQL("(now() AT TIME ZONE 'UTC')")
        return SQL(
            """
            SELECT l.id * 4 AS id, 'created' AS kind, l.create_date AS date, l.id AS lead_id,
                   l.team_id, l.user_id, l.company_id, NULL::int AS node_id,
                   1 AS lead_count, li.flag::int AS lead_in_count,
                   (li.flag AND l.type = 'opportunity')::int AS converted_count,
                   CASE WHEN li.flag THEN 100.0 * (l.type = 'opportunity')::int END
                       AS lead_to_opportunity_rate,
                   %(completeness)s AS completeness_rate,
                   EXTRACT(EPOCH FROM l.first_contact_date - l.create_date) / 3600.0
                       AS first_response_hours,
                   0 AS won_count, 0 AS lost_count, NULL::float AS conversion_rate,
                   0 AS handoff_due_count, 0 AS handoff_ontime_count,
                   NULL::float AS handoff_ontime_rate,
                   0 AS sla_timer_count, 0 AS sla_breach_count, NULL::float AS sla_breach_rate
              FROM crm_lead l,
                   LATERAL (SELECT l.type = 'lead' OR l.date_conversion IS NOT NULL AS flag) li
            UNION ALL
            SELECT l.id * 4 + 1, 'closed', l.date_closed, l.id, l.team_id, l.user_id,
                   l.company_id, NULL, 0, 0, 0, NULL, NULL, NULL,
                   (l.won_status = 'won')::int, (l.won_status = 'lost')::int,
                   100.0 * (l.won_status = 'won')::int, 0, 0, NULL, 0, 0, NULL
              FROM crm_lead l
             WHERE l.won_status IN ('won', 'lost') AND l.date_closed IS NOT NULL
            UNION ALL
            SELECT h.id * 4 + 2, 'handoff', h.deadline, h.lead_id,
                   COALESCE(l.team_id, u.sale_team_id), h.sender_id, h.company_id, NULL,
                   0, 0, 0, NULL, NULL, NULL, 0, 0, NULL,
                   1, o.on_time::int, 100.0 * o.on_time::int, 0, 0, NULL
              FROM crm_handoff h
              JOIN crm_lead l ON l.id = h.lead_id
         LEFT JOIN res_users u ON u.id = h.sender_id,
                   LATERAL (SELECT h.state = 'accepted'
                                   AND h.accepted_date <= h.deadline AS on_time) o
             WHERE h.deadline IS NOT NULL AND (h.state = 'accepted' OR h.deadline < %(now)s)
            UNION ALL
            SELECT t.id * 4 + 3, 'sla', t.date_deadline, t.lead_id, t.team_id, t.user_id,
                   t.company_id, t.node_id, 0, 0, 0, NULL, NULL, NULL, 0, 0, NULL,
                   0, 0, NULL, 1, b.breached::int, 100.0 * b.breached::int
              FROM crm_sla_timer t,
                   LATERAL (SELECT t.state = 'breached'
                                   OR (t.state = 'running' AND t.date_deadline < %(now)s)
                                   AS breached) b
             WHERE t.state IN ('met', 'breached')
                OR (t.state = 'running' AND t.date_deadline < %(now)s)
            """,
            completeness=kpi._kpi_lead_completeness_sql("l"),
            now=now,
        )

    def init(self):
        # DDL at install / update (the view's definition), no data read for a user
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

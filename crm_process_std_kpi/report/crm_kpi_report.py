# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Live process KPI report: one row per event (a lead created, a deal closed, and the
events the bridges add: a handoff due, an SLA timer judged), dated by the event, with
measures whose sums and averages are the process KPIs of that month, team and
salesperson.

Rates are averages of 0 / 100 flags set only on the rows they apply to (NULL on the
others, which averages ignore), so the pivot shows them for any grouping. The report
reads the first contact stored on the leads: the contacts of the current transaction
count once they are stored, at the latest when it commits."""

from odoo import api, fields, models
from odoo.tools import SQL

EVENT_KINDS = [("created", "Lead Created"), ("closed", "Deal Closed")]


class CrmKpiReport(models.Model):
    _name = "crm.kpi.report"
    _description = "Process KPI Report"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "lead_id"
    # flushed before the report is read (extended with the sources of the bridges)
    _depends = {  # noqa: RUF012 - an ORM model attribute, merged over the inheritance
        "crm.lead": [
            "create_date",
            "date_closed",
            "date_conversion",
            "type",
            "won_status",
            "team_id",
            "user_id",
            "company_id",
            "completeness_rate",
            "first_contact_date",
        ],
    }

    date = fields.Datetime(readonly=True, help="When the event happened or was due.")
    kind = fields.Selection(EVENT_KINDS, string="Event", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Lead / Opportunity", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
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

    @api.model
    def _row_sources(self):
        """The rows of the report by event kind, in a fixed order: ``{kind: (from,
        where, columns)}``. ``columns`` maps the report's columns to their SQL
        expressions, ``record_id`` included (the row's id is numbered from it); the
        columns a source leaves out are 0 for counts and NULL for the others. Bridges
        add the events of their part (and their kind, fields and ``_depends``)."""
        kpi = self.env["crm.kpi"]
        lead = {
            "lead_id": SQL("l.id"),
            "team_id": SQL("l.team_id"),
            "user_id": SQL("l.user_id"),
            "company_id": SQL("l.company_id"),
        }
        return {
            "created": (
                SQL(
                    "crm_lead l, LATERAL (SELECT l.type = 'lead' "
                    "OR l.date_conversion IS NOT NULL AS flag) li"
                ),
                SQL("TRUE"),
                {
                    **lead,
                    "record_id": SQL("l.id"),
                    "date": SQL("l.create_date"),
                    "lead_count": SQL("1"),
                    "lead_in_count": SQL("li.flag::int"),
                    "converted_count": SQL("(li.flag AND l.type = 'opportunity')::int"),
                    "lead_to_opportunity_rate": SQL(
                        "CASE WHEN li.flag THEN 100.0 * (l.type = 'opportunity')::int END"
                    ),
                    "completeness_rate": kpi._kpi_lead_completeness_sql("l"),
                    "first_response_hours": SQL(
                        "EXTRACT(EPOCH FROM l.first_contact_date - l.create_date) / 3600.0"
                    ),
                },
            ),
            "closed": (
                SQL("crm_lead l"),
                SQL("l.won_status IN ('won', 'lost') AND l.date_closed IS NOT NULL"),
                {
                    **lead,
                    "record_id": SQL("l.id"),
                    "date": SQL("l.date_closed"),
                    "won_count": SQL("(l.won_status = 'won')::int"),
                    "lost_count": SQL("(l.won_status = 'lost')::int"),
                    "conversion_rate": SQL("100.0 * (l.won_status = 'won')::int"),
                },
            ),
        }

    @api.model
    def _row_default(self, field):
        if field.type == "integer":
            return SQL("0")
        column_type = {"float": "float8", "many2one": "int4", "datetime": "timestamp"}
        return SQL(f"NULL::{column_type.get(field.type, 'varchar')}")

    @property
    def _table_query(self):
        sources = self._row_sources()
        columns = [
            field
            for name, field in self._fields.items()
            if field.store and field.column_type and name not in ("id", "kind")
        ]
        selects = []
        for index, (kind, (from_sql, where, values)) in enumerate(sources.items()):
            expressions = [
                SQL("%s * %s + %s AS id", values["record_id"], len(sources), index),
                SQL("%s AS kind", kind),
                *(
                    SQL(
                        "%s AS %s",
                        values.get(field.name) or self._row_default(field),
                        SQL.identifier(field.name),
                    )
                    for field in columns
                ),
            ]
            selects.append(
                SQL("SELECT %s FROM %s WHERE %s", SQL(", ").join(expressions), from_sql, where)
            )
        return SQL(" UNION ALL ").join(selects)

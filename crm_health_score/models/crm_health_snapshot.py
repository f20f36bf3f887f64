# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .crm_health_band import NEEDS_MATCH_LEVELS
from .crm_health_score import STATES
from .crm_health_scorecard import HEALTH_RISK_LEVELS

# Snapshot columns holding another column of the health record: the history follows
# the computed score; a manual override is kept beside it.
SNAPSHOT_SOURCES = {
    "score": SQL("s.computed_score"),
    "risk_level": SQL("s.computed_risk_level"),
    "override_score": SQL("CASE WHEN s.override_active THEN s.override_score END"),
}
# Columns of the snapshot, taken from the health record's column of the same name
# unless named above.
SNAPSHOT_COLUMNS = [
    "partner_id",
    "company_id",
    "state",
    "score",
    "risk_level",
    "override_active",
    "override_score",
    "trend",
    "churn_risk",
    "last_interaction_date",
    "recency_days",
    "recency_points",
    "frequency_value",
    "frequency_points",
    "order_count",
    "order_points",
    "complaint_value",
    "complaint_points",
    "needs_match",
    "needs_points",
]


# A later run of the period rewrites the snapshot only when one of these changed
# (not for the mere passing of days): most nights write next to nothing.
COMPARED = [name for name in SNAPSHOT_COLUMNS if name != "recency_days"]


class CrmHealthSnapshot(models.Model):
    """The health of a customer at the end of a period (weekly by default), with
    every dimension's raw value and points: the history behind trends. It holds the
    computed score, and beside it the manual override that applied, if any."""

    _name = "crm.health.snapshot"
    _description = "Customer Health Snapshot"
    _inherit = ["crm.health.risk.mixin"]  # noqa: RUF012
    _order = "period_start desc, id desc"
    _rec_name = "partner_id"
    # One row per customer and week: written in bulk by the recompute, never edited.
    _log_access = False

    health_id = fields.Many2one(
        "crm.health.score",
        required=True,
        ondelete="cascade",
        readonly=True,
        help="Found from the customer when not given (history imported by customer).",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", readonly=True, help="The health record's company; empty when shared."
    )
    user_id = fields.Many2one(related="health_id.user_id")
    team_id = fields.Many2one(related="health_id.team_id")
    period_start = fields.Date(string="Period", required=True, readonly=True)
    date = fields.Date(
        string="Recorded On",
        readonly=True,
        help="Day these values were recorded; later runs of the period that change "
        "nothing but the days since the last interaction keep it.",
    )
    state = fields.Selection(STATES, readonly=True)
    score = fields.Integer(
        string="Computed Score",
        readonly=True,
        aggregator="avg",
        help="Score computed from the customer's data in this period; a manual override "
        "is shown beside it, not in it.",
    )
    risk_level = fields.Selection(
        HEALTH_RISK_LEVELS, readonly=True, help="Risk level of the computed score."
    )
    override_active = fields.Boolean(
        string="Manual Override",
        readonly=True,
        help="A score set by hand applied in this period instead of the computed score.",
    )
    override_score = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Score set by hand that applied in this period instead of the computed score.",
    )
    trend = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Change of the computed score since the previous snapshot.",
    )
    churn_risk = fields.Boolean(readonly=True)
    last_interaction_date = fields.Date(readonly=True)
    recency_days = fields.Integer(string="Days Since Last Interaction", readonly=True)
    recency_points = fields.Integer(readonly=True, aggregator="avg")
    frequency_value = fields.Float(string="Interactions per Month", readonly=True, digits=(6, 2))
    frequency_points = fields.Integer(readonly=True, aggregator="avg")
    order_count = fields.Integer(string="Orders (last 3 months)", readonly=True)
    order_points = fields.Integer(readonly=True, aggregator="avg")
    complaint_value = fields.Float(string="Weighted Complaints", readonly=True, digits=(6, 1))
    complaint_points = fields.Integer(readonly=True, aggregator="avg")
    needs_match = fields.Selection(NEEDS_MATCH_LEVELS, readonly=True)
    needs_points = fields.Integer(readonly=True, aggregator="avg")
    backfilled = fields.Boolean(
        readonly=True,
        help="Computed afterwards from the customer's dated data (Backfill History, or the "
        "addon's install), not recorded by a nightly recompute of the period. A recorded "
        "snapshot is never replaced by a backfilled one; a recompute of the period "
        "replaces a backfilled one.",
    )

    _period_unique = models.Constraint(
        "UNIQUE(health_id, period_start)", "One snapshot per customer and period."
    )

    @api.model_create_multi
    def create(self, vals_list):
        """Snapshots made by the recompute get their record directly; history imported
        (e.g. from a spreadsheet) given by customer gets the customer's record."""
        partner_ids = {
            vals["partner_id"]
            for vals in vals_list
            if not vals.get("health_id") and vals.get("partner_id")
        }
        if partner_ids:
            records = self.env["crm.health.score"].search([("partner_id", "in", list(partner_ids))])
            health_of = {record.partner_id.id: record.id for record in records}
            for vals in vals_list:
                if not vals.get("health_id") and vals.get("partner_id") in health_of:
                    vals["health_id"] = health_of[vals["partner_id"]]
        return super().create(vals_list)

    @api.model
    def _period_start(self, day):
        """First day of the snapshot period holding ``day`` (Settings: week or month)."""
        # Configuration only.
        period = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_health_score.snapshot_period", "week")
        )
        if period == "month":
            return day.replace(day=1)
        return day - timedelta(days=day.weekday())

    @api.model
    def _upsert(self, period_start, today):
        """Record the current values of the batch being recomputed (temporary table
        ``crm_health_batch``) as their snapshot of the period; a later run in the
        same period replaces it, and a backfilled one (it becomes recorded). The
        records whose snapshot of the period holds their values already are left
        out before the INSERT: most nights, all but a few (the conflict clause would
        lock each of their rows, WHERE or not)."""
        columns = SQL(", ").join(SQL.identifier(name) for name in SNAPSHOT_COLUMNS)
        source = SQL(", ").join(
            SNAPSHOT_SOURCES.get(name) or SQL("s.%s", SQL.identifier(name))
            for name in SNAPSHOT_COLUMNS
        )
        updates = SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
            for name in SNAPSHOT_COLUMNS
        )
        compared = SQL(", ").join(
            SQL("crm_health_snapshot.%s", SQL.identifier(name)) for name in COMPARED
        )
        # Engine step (system data): the batch's records whose snapshot of the period
        # does not hold their values yet, in a statement of their own (read by the
        # INSERT below, the snapshots could be scanned once per record while the
        # INSERT fills the table: 1.4 s for a first batch of 20 000 customers).
        self.env.cr.execute("DROP TABLE IF EXISTS crm_health_snapshot_todo")
        self.env.cr.execute(
            SQL(
                """
            CREATE TEMP TABLE crm_health_snapshot_todo ON COMMIT DROP AS
            SELECT s.id AS health_id
              FROM crm_health_score s
              JOIN crm_health_batch b ON b.health_id = s.id
             WHERE NOT EXISTS (
                   SELECT 1 FROM crm_health_snapshot crm_health_snapshot
                    WHERE crm_health_snapshot.health_id = s.id
                      AND crm_health_snapshot.period_start = %(period)s
                      AND crm_health_snapshot.backfilled IS NOT TRUE
                      AND (%(compared)s) IS NOT DISTINCT FROM (%(current)s))
            """,
                period=period_start,
                compared=compared,
                current=SQL(", ").join(
                    SNAPSHOT_SOURCES.get(name) or SQL("s.%s", SQL.identifier(name))
                    for name in COMPARED
                ),
            )
        )
        # Copies these health records into their own history, read through the same
        # record rules.
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO crm_health_snapshot (health_id, period_start, date, %(columns)s)
            SELECT s.id, %(period)s, %(today)s, %(source)s
              FROM crm_health_score s
              JOIN crm_health_snapshot_todo t ON t.health_id = s.id
            ON CONFLICT (health_id, period_start) DO UPDATE
               SET date = EXCLUDED.date, backfilled = FALSE, %(updates)s
             WHERE crm_health_snapshot.backfilled
                OR (%(compared)s) IS DISTINCT FROM (%(excluded)s)
            """,
                columns=columns,
                period=period_start,
                today=today,
                source=source,
                updates=updates,
                compared=compared,
                excluded=SQL(", ").join(
                    SQL("EXCLUDED.%s", SQL.identifier(name)) for name in COMPARED
                ),
            )
        )
        self.env.cr.execute("DROP TABLE crm_health_snapshot_todo")

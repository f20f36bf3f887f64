# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One concern per file, as crm_health_engine_actions.py (the engine file keeps the runs).
# pylint: disable=consider-merging-classes-inherited
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.tools import SQL

from .crm_health_band import DIMENSIONS
from .crm_health_engine import int_array

# Raw values a scored row carries, besides the points and weights of each dimension.
SCORED_COLUMNS = (
    "health_id",
    "partner_id",
    "company_id",
    "user_id",
    "team_id",
    "customer_success_user_id",
    "last_day",
    "recency_days",
    "recent",
    "frequency",
    "orders",
    "open_orders",
    "complaints",
    "unresolved",
    "complaint_value",
    "needs_match",
    "raw_score",
    "risk",
    "state",
)


class CrmHealthEngine(models.AbstractModel):
    """The raw inputs of the score as of any date: one definition read by the nightly
    recompute (as of today) and by history and backtests (as of past dates). Private
    and without rights checks, as the rest of the engine: callers check the caller's
    rights first (see the engine's class docstring)."""

    _inherit = "crm.health.engine"

    def _raw_inputs_sql(self, as_of, health_sql):
        """Parenthesised SQL subquery (``FROM %s AS src``) with one row per health
        record selected by ``health_sql`` (SQL selecting ``(health_id, partner_id)``
        pairs): the raw inputs of the customer (itself and its contacts, their leads,
        follow-ups, staff messages, done activities, meetings, orders and complaints)
        from the rows dated up to the end of the day ``as_of`` (a date):

        - ``last_day`` (last interaction), ``recency_days`` (``as_of - last_day``),
          ``recent`` (interactions from ``as_of`` - 3 months on);
        - ``orders``: orders dated from ``as_of`` - 3 months to ``as_of``;
        - ``open_orders``: orders open at ``as_of``
          (``res.partner._crm_std_open_orders_sql``);
        - ``complaints`` opened from ``as_of`` - 6 months to ``as_of``, and of these
          ``unresolved`` the ones not resolved by ``as_of`` (one resolved later
          was still unresolved then; one reopened counts as never resolved);
        - ``scorecard_id``: the active scorecard of the customer's company (its own,
          else the shared one).

        As of today (or later), the current state: orders, complaints and their
        resolution as they stand now (a date set in the future, by an import, is
        not second-guessed), exactly what the nightly recompute always scored.

        ``needs_match``, ``user_id``, ``team_id``, ``company_id`` and
        ``customer_success_user_id`` are today's values whatever ``as_of``: no
        history of them is kept. Interactions and orders come from their one
        definition (``crm.interaction``, ``res.partner._crm_std_orders_sql``),
        extended by bridges.
        """
        as_of = fields.Date.to_date(as_of)
        until = as_of + timedelta(days=1)
        since = as_of - relativedelta(months=3)
        past = as_of < fields.Date.today()
        Partner = self.env["res.partner"]
        complaint_open = SQL("k.state <> 'resolved'")
        complaint_dated = SQL("TRUE")
        if past:
            complaint_open = SQL("(%s OR k.resolved_date >= %s)", complaint_open, until)
            complaint_dated = SQL("k.date_open < %s", until)
        # The columns read below without a source method of their own.
        self.env.flush_all()
        # System read (see the class docstring): only counts and dates of each
        # customer's own activity.
        return SQL(
            """(
            WITH h AS (%(health)s
            ), orders AS (
                SELECT o.partner_id, count(*) AS won FROM (%(orders)s) o
                 WHERE o.partner_id IN (SELECT partner_id FROM h) GROUP BY o.partner_id
            ), open_orders AS (
                SELECT o.partner_id, count(*) AS open FROM (%(open_orders)s) o
                 WHERE o.partner_id IN (SELECT partner_id FROM h) GROUP BY o.partner_id
            ), members AS (
                SELECT h.partner_id, c.id AS member_id
                  FROM h JOIN res_partner c ON c.commercial_partner_id = h.partner_id
            ), leads AS (
                SELECT m.partner_id, l.id AS lead_id, l.user_id, l.team_id, l.company_id
                  FROM members m JOIN crm_lead l ON l.partner_id = m.member_id
            ), touches AS (
                SELECT i.partner_id, i.date::date AS day FROM (%(interactions)s) i
            ), touch_agg AS (
                SELECT partner_id, max(day) AS last_day,
                       count(*) FILTER (WHERE day >= %(since)s) AS recent
                  FROM touches WHERE day <= %(as_of)s GROUP BY partner_id
            ), complaint_agg AS (
                SELECT m.partner_id, count(*) AS total,
                       count(*) FILTER (WHERE %(complaint_open)s) AS unresolved
                  FROM members m JOIN crm_complaint k ON k.partner_id = m.member_id
                 WHERE k.date_open >= %(complaints_since)s AND %(complaint_dated)s
                 GROUP BY m.partner_id
            ), last_lead AS (
                SELECT latest.partner_id, l.user_id, l.team_id, l.company_id
                  FROM (SELECT partner_id, max(lead_id) AS lead_id FROM leads
                         GROUP BY partner_id) latest
                  JOIN leads l ON l.lead_id = latest.lead_id
            ), inputs AS (
                SELECT h.health_id, h.partner_id, p.needs_match,
                       COALESCE(p.user_id, ll.user_id) AS user_id,
                       COALESCE(ll.team_id, u.sale_team_id) AS team_id,
                       COALESCE(p.company_id, ll.company_id) AS company_id,
                       p.customer_success_user_id,
                       t.last_day, %(as_of)s - t.last_day AS recency_days,
                       COALESCE(t.recent, 0) AS recent,
                       COALESCE(ca.total, 0) AS complaints,
                       COALESCE(ca.unresolved, 0) AS unresolved,
                       COALESCE(o.won, 0) AS orders, COALESCE(oo.open, 0) AS open_orders
                  FROM h
                  JOIN res_partner p ON p.id = h.partner_id
                  LEFT JOIN last_lead ll ON ll.partner_id = h.partner_id
                  LEFT JOIN res_users u ON u.id = COALESCE(p.user_id, ll.user_id)
                  LEFT JOIN touch_agg t ON t.partner_id = h.partner_id
                  LEFT JOIN complaint_agg ca ON ca.partner_id = h.partner_id
                  LEFT JOIN orders o ON o.partner_id = h.partner_id
                  LEFT JOIN open_orders oo ON oo.partner_id = h.partner_id
            )
            SELECT inputs.*, COALESCE(own.id, shared.id) AS scorecard_id
              FROM inputs
              LEFT JOIN crm_health_scorecard own
                ON own.company_id = inputs.company_id AND own.active
              LEFT JOIN crm_health_scorecard shared
                ON shared.company_id IS NULL AND shared.active
            )""",
            health=health_sql,
            interactions=self.env["crm.interaction"]._interactions_sql(
                partners=SQL("SELECT partner_id FROM h"), date_to=until if past else None
            ),
            orders=Partner._crm_std_orders_sql(since, until if past else None),
            open_orders=Partner._crm_std_open_orders_sql(as_of=as_of if past else None),
            since=since,
            as_of=as_of,
            complaint_open=complaint_open,
            complaint_dated=complaint_dated,
            complaints_since=as_of - relativedelta(months=6),
        )

    def _score_as_of_sql(self, as_of, health_sql, scorecard=None):
        """Parenthesised SQL subquery scoring as of ``as_of`` (a date) the health
        records selected by ``health_sql`` (see :meth:`_raw_inputs_sql`), for
        set-based callers (history, backtests). One row per record with the
        columns of ``SCORED_COLUMNS``, ``scorecard_id`` and, per dimension ``d``
        (recency, frequency, orders, complaints, needs), ``d_points`` and
        ``d_weight``: the computed score, manual overrides left out (history is the
        computed score).

        :param scorecard: a scorecard (draft or active) scoring every record; by
            default each record's company scorecard, as the nightly recompute
            (records without one are left out)
        :return: the SQL, or None when no scorecard applies (none is active)
        """
        inputs = SQL(
            "(SELECT src.*, FALSE AS override_active, NULL::int AS override_score,"
            " NULL::varchar AS override_risk_level FROM %s AS src)",
            self._raw_inputs_sql(as_of, health_sql),
        )
        if scorecard:
            scorecard.ensure_one()
            branches = [(scorecard, SQL("(SELECT * FROM as_of_inputs)"))]
        else:
            # Configuration read by the engine, whatever the caller's companies.
            cards = self.env["crm.health.scorecard"].sudo().search([])
            branches = [
                (card, SQL("(SELECT * FROM as_of_inputs WHERE scorecard_id = %s)", card.id))
                for card in cards
            ]
        if not branches:
            return None
        columns = SQL(", ").join(
            [SQL("v.%s", SQL.identifier(name)) for name in SCORED_COLUMNS]
            + [
                SQL("v.%s", SQL.identifier(f"{dimension}_{kind}"))
                for dimension, _label in DIMENSIONS
                for kind in ("points", "weight")
            ]
        )
        scored = SQL(" UNION ALL ").join(
            SQL(
                "SELECT %s, %s AS scorecard_id FROM %s AS v",
                columns,
                card.id,
                card._scoring_sql(card._compile(), source),
            )
            for card, source in branches
        )
        return SQL("(WITH as_of_inputs AS MATERIALIZED %s %s)", inputs, scored)

    def _score_as_of(self, as_of, health_ids=None, scorecard=None):
        """The health records ``health_ids`` (ids; every record, frozen ones
        included, when None) scored as of ``as_of`` (a date) from the data dated up
        to it, by ``scorecard`` or each one's company scorecard: a list of dicts
        with the columns of :meth:`_score_as_of_sql`. Private system read: the
        callers check the caller's rights first (see the class docstring)."""
        where = SQL("TRUE")
        if health_ids is not None:
            where = SQL("id = ANY(%s::int[])", int_array(health_ids))
        scored = self._score_as_of_sql(
            as_of,
            SQL("SELECT id AS health_id, partner_id FROM crm_health_score WHERE %s", where),
            scorecard=scorecard,
        )
        if scored is None:
            return []
        # The scoring CASE expressions look costly to the planner (see _recompute).
        self.env.cr.execute("SET LOCAL jit = off")
        self.env.cr.execute(SQL("SELECT * FROM %s AS scored ORDER BY health_id", scored))
        return self.env.cr.dictfetchall()

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
# Of these, the columns the scoring computes; the others are raw inputs.
SCORING_COLUMNS = frozenset({"frequency", "complaint_value", "raw_score", "risk", "state"})
# The raw inputs a score depends on besides the scorecard (the scoring reads
# ``last_day`` only for whether there is one, which ``recency_days`` tells too).
SCORE_KEYS = ("recency_days", "recent", "orders", "complaints", "unresolved", "needs_match")


class CrmHealthEngine(models.AbstractModel):
    """The raw inputs of the score as of any date: one definition read by the nightly
    recompute (as of today) and by history and backtests (as of past dates). Private
    and without rights checks, as the rest of the engine: callers check the caller's
    rights first (see the engine's class docstring)."""

    _inherit = "crm.health.engine"

    def _as_of_window(self, as_of):
        """How far back each dimension reads as of ``as_of`` (a date), defined once:
        interactions and orders of the 3 months up to the end of the day, complaints
        of the 6 months; ``past`` when ``as_of`` is before today (see
        :meth:`_raw_inputs_sql`)."""
        as_of = fields.Date.to_date(as_of)
        return {
            "as_of": as_of,
            "until": as_of + timedelta(days=1),
            "since": as_of - relativedelta(months=3),
            "complaints_since": as_of - relativedelta(months=6),
            "past": as_of < fields.Date.today(),
        }

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

        The dates version :meth:`_raw_inputs_dates_sql` with this one date.
        """
        return self._raw_inputs_dates_sql([as_of], health_sql)

    def _raw_inputs_dates_sql(self, dates, health_sql):
        """:meth:`_raw_inputs_sql` as of several dates at once: one row per health
        record and date (column ``as_of``), each row what :meth:`_raw_inputs_sql`
        gives as of that date. The interactions, orders and complaints are read once
        for every date (history backfills score a year of weekly dates)."""
        windows = [
            self._as_of_window(day) for day in sorted({fields.Date.to_date(day) for day in dates})
        ]
        past = all(window["past"] for window in windows)
        first_since = windows[0]["since"]
        last_until = windows[-1]["until"]
        Partner = self.env["res.partner"]
        # The columns read below without a source method of their own.
        self.env.flush_all()
        # The dates and their windows; today's (not past) reads the current state.
        dates_sql = SQL(
            "SELECT * FROM (VALUES %s) AS d(as_of, since, until, complaints_since, past)",
            SQL(", ").join(
                SQL(
                    "(%s::date, %s::date, %s::date, %s::date, %s)",
                    window["as_of"],
                    window["since"],
                    window["until"],
                    window["complaints_since"],
                    window["past"],
                )
                for window in windows
            ),
        )
        open_orders = SQL(" UNION ALL ").join(
            SQL(
                "SELECT %s::date AS as_of, o.partner_id FROM (%s) o",
                window["as_of"],
                Partner._crm_std_open_orders_sql(as_of=window["as_of"] if window["past"] else None),
            )
            for window in windows
        )
        # Several dates (history): the batch and the dates are read once. One date
        # (the nightly run): inlined, the statement runs in parallel workers, which
        # a CTE scan rules out (100 000 customers: 2.1 s -> 1.6 s).
        once = SQL("MATERIALIZED") if len(windows) > 1 else SQL("NOT MATERIALIZED")
        # System read (see the class docstring): only counts and dates of each
        # customer's own activity.
        return SQL(
            """(
            WITH h AS %(once)s (%(health)s
            ), d AS %(once)s (%(dates)s
            ), orders AS (
                SELECT o.partner_id, d.as_of, count(*) AS won FROM (%(orders)s) o
                  JOIN d ON o.date >= d.since AND (NOT d.past OR o.date < d.until)
                 WHERE o.partner_id IN (SELECT partner_id FROM h)
                 GROUP BY o.partner_id, d.as_of
            ), open_orders AS (
                SELECT o.partner_id, o.as_of, count(*) AS open FROM (%(open_orders)s) o
                 WHERE o.partner_id IN (SELECT partner_id FROM h)
                 GROUP BY o.partner_id, o.as_of
            ), members AS (
                SELECT h.partner_id, c.id AS member_id
                  FROM h JOIN res_partner c ON c.commercial_partner_id = h.partner_id
            ), touches AS (
                SELECT i.partner_id, i.date::date AS day FROM (%(interactions)s) i
            ), touch_agg AS (
                SELECT t.partner_id, d.as_of, max(t.day) AS last_day,
                       count(*) FILTER (WHERE t.day >= d.since) AS recent
                  FROM touches t JOIN d ON t.day <= d.as_of
                 GROUP BY t.partner_id, d.as_of
            ), complaint_agg AS (
                SELECT m.partner_id, d.as_of, count(*) AS total,
                       count(*) FILTER (
                           WHERE k.state <> 'resolved' OR (d.past AND k.resolved_date >= d.until)
                       ) AS unresolved
                  FROM members m JOIN crm_complaint k ON k.partner_id = m.member_id
                  JOIN d ON k.date_open >= d.complaints_since
                        AND (NOT d.past OR k.date_open < d.until)
                 GROUP BY m.partner_id, d.as_of
            ), last_lead AS (
                SELECT DISTINCT ON (m.partner_id) m.partner_id, l.user_id, l.team_id,
                       l.company_id
                  FROM members m JOIN crm_lead l ON l.partner_id = m.member_id
                 ORDER BY m.partner_id, l.id DESC
            ), customers AS (
                SELECT h.health_id, h.partner_id, p.needs_match,
                       COALESCE(p.user_id, ll.user_id) AS user_id,
                       COALESCE(ll.team_id, u.sale_team_id) AS team_id,
                       COALESCE(p.company_id, ll.company_id) AS company_id,
                       p.customer_success_user_id
                  FROM h
                  JOIN res_partner p ON p.id = h.partner_id
                  LEFT JOIN last_lead ll ON ll.partner_id = h.partner_id
                  LEFT JOIN res_users u ON u.id = COALESCE(p.user_id, ll.user_id)
            ), carded AS (
                SELECT c.*, COALESCE(own.id, shared.id) AS scorecard_id
                  FROM customers c
                  LEFT JOIN crm_health_scorecard own
                    ON own.company_id = c.company_id AND own.active
                  LEFT JOIN crm_health_scorecard shared
                    ON shared.company_id IS NULL AND shared.active
            ), dated AS (
                SELECT partner_id, as_of, max(last_day) AS last_day, sum(recent) AS recent,
                       sum(complaints) AS complaints, sum(unresolved) AS unresolved,
                       sum(won) AS orders, sum(open) AS open_orders
                  FROM (SELECT partner_id, as_of, last_day, recent, 0 AS complaints,
                               0 AS unresolved, 0 AS won, 0 AS open FROM touch_agg
                        UNION ALL
                        SELECT partner_id, as_of, NULL, 0, total, unresolved, 0, 0
                          FROM complaint_agg
                        UNION ALL
                        SELECT partner_id, as_of, NULL, 0, 0, 0, won, 0 FROM orders
                        UNION ALL
                        SELECT partner_id, as_of, NULL, 0, 0, 0, 0, open FROM open_orders
                       ) AS per_date
                 GROUP BY partner_id, as_of
            )
            SELECT c.health_id, c.partner_id, c.needs_match, c.user_id, c.team_id,
                   c.company_id, c.customer_success_user_id, d.as_of,
                   v.last_day, d.as_of - v.last_day AS recency_days,
                   COALESCE(v.recent, 0)::int AS recent,
                   COALESCE(v.complaints, 0)::int AS complaints,
                   COALESCE(v.unresolved, 0)::int AS unresolved,
                   COALESCE(v.orders, 0)::int AS orders,
                   COALESCE(v.open_orders, 0)::int AS open_orders,
                   c.scorecard_id
              FROM carded c
             CROSS JOIN d
              LEFT JOIN dated v ON v.partner_id = c.partner_id AND v.as_of = d.as_of
            )""",
            health=health_sql,
            dates=dates_sql,
            once=once,
            interactions=self.env["crm.interaction"]._interactions_sql(
                partners=SQL("SELECT partner_id FROM h"), date_to=last_until if past else None
            ),
            orders=Partner._crm_std_orders_sql(first_since, last_until if past else None),
            open_orders=open_orders,
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
        return self._score_dates_sql([as_of], health_sql, scorecard=scorecard)

    def _score_dates_sql(self, dates, health_sql, scorecard=None):
        """:meth:`_score_as_of_sql` as of several dates at once (the inputs of
        :meth:`_raw_inputs_dates_sql`): one row per record and date, with the
        columns of :meth:`_score_as_of_sql` and ``as_of``.

        As of several dates, the rows of a scorecard whose inputs are alike
        (``SCORE_KEYS``) get the same score: each combination is scored once, by the
        scorecard's one scoring SQL, and joined back to its rows (a year of weekly
        dates is millions of rows, and a few thousand combinations). The caller runs
        that join by hash: its size cannot be estimated."""
        if scorecard:
            scorecard.ensure_one()
            cards = scorecard
            card_of = SQL("%s", scorecard.id)
            scope = SQL("TRUE")
        else:
            # Configuration read by the engine, whatever the caller's companies.
            cards = self.env["crm.health.scorecard"].sudo().search([])
            card_of = SQL("src.scorecard_id")
            scope = SQL("src.scorecard_id = ANY(%s)", cards.ids)
        if not cards:
            return None
        combined = len(set(dates)) > 1
        keys = SQL(", ").join(SQL.identifier(name) for name in SCORE_KEYS)

        def source(card):
            """The rows ``card`` scores: each combination once, or every row; manual
            overrides left out (the computed score)."""
            return SQL(
                "(SELECT %s, FALSE AS override_active, NULL::int AS override_score,"
                " NULL::varchar AS override_risk_level FROM as_of_inputs"
                " WHERE card_id = %s %s)",
                SQL("card_id, %s, min(last_day) AS last_day", keys) if combined else SQL("*"),
                card.id,
                SQL("GROUP BY card_id, %s", keys) if combined else SQL(),
            )

        scored = SQL(" UNION ALL ").join(
            SQL("SELECT v.* FROM %s AS v", card._scoring_sql(card._compile(), source(card)))
            for card in cards
        )
        inputs = SQL(
            "SELECT src.*, %s AS card_id FROM %s AS src WHERE %s",
            card_of,
            self._raw_inputs_dates_sql(dates, health_sql),
            scope,
        )
        if not combined:
            columns = self._scored_columns_sql(SQL("v"), SQL("v"))
            return SQL(
                "(WITH as_of_inputs AS MATERIALIZED (%s)"
                " SELECT %s, v.card_id AS scorecard_id, v.as_of FROM (%s) AS v)",
                inputs,
                columns,
                scored,
            )
        # NULL (no interaction yet, no needs match) is a value of its own here.
        same = SQL(" AND ").join(
            SQL(
                "COALESCE(s.%(c)s, %(none)s) = COALESCE(i.%(c)s, %(none)s)",
                c=SQL.identifier(name),
                none=SQL("''") if name == "needs_match" else SQL("-1"),
            )
            for name in SCORE_KEYS
        )
        return SQL(
            """(
            WITH as_of_inputs AS MATERIALIZED (%(inputs)s), scored AS (%(scored)s)
            SELECT %(columns)s, i.card_id AS scorecard_id, i.as_of
              FROM as_of_inputs i
              JOIN scored s ON s.card_id = i.card_id AND %(same)s
            )""",
            inputs=inputs,
            scored=scored,
            same=same,
            columns=self._scored_columns_sql(SQL("i"), SQL("s")),
        )

    def _scored_columns_sql(self, inputs, scoring):
        """The columns of a scored row: ``SCORED_COLUMNS`` and each dimension's points
        and weight, the raw inputs from the alias ``inputs``, the rest from the alias
        ``scoring``."""
        return SQL(", ").join(
            [
                SQL("%s.%s", scoring if name in SCORING_COLUMNS else inputs, SQL.identifier(name))
                for name in SCORED_COLUMNS
            ]
            + [
                SQL("%s.%s", scoring, SQL.identifier(f"{dimension}_{kind}"))
                for dimension, _label in DIMENSIONS
                for kind in ("points", "weight")
            ]
        )

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

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from functools import partial

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, split_every

from .crm_health_score import shown_score

# Customers per committed batch. Each batch reads the interaction tables once,
# so large batches cost little more than one.
BATCH_SIZE = 100_000
# Customers per batch while scoring customers for the first time: a first score
# raises most churn warnings, whose notes the ORM creates at about 0.4 ms each (the
# activities wait for the daily cap, scheduled once every customer is scored);
# smaller batches keep each commit well within the scheduled action's time limit on
# a never-scored base (a 50 000-customer batch: about 8 s on 2 cores; 20 000 made the
# first run of 100 000 customers about 2 s longer: each batch reads the interactions).
FIRST_SCORE_BATCH_SIZE = 50_000
# Records scored for the first time by a run above which it refreshes the statistics
# of the health records before queueing their activities.
ANALYZE_AFTER_FIRST_SCORES = 1_000
# Health records whose score and risk level shown are computed at once (bounds the
# rows held in memory).
RECOMPUTE_CHUNK = 10_000
# Activities scheduled per committed step of the scheduled run (with no daily cap, a
# first run may schedule one per customer).
GRANT_BATCH_SIZE = 5_000
# Message types that are a person talking to or about the customer (not tracking).


def int_array(values):
    """A PostgreSQL int[] literal ('{1,2,3}', to cast with ::int[]): one parameter
    parsed at once, where a Python list becomes one SQL constant per element."""
    return "{" + ",".join(str(int(value)) for value in values) + "}"


class CrmHealthEngine(models.AbstractModel):
    """Set-based recompute of the health records: a few SQL statements read every
    dimension for a batch of customers and write the health records' own columns;
    the ORM then recomputes their stored computed fields and creates the activities
    and notes on the customers (``crm_health_engine_actions.py``).

    Every method is private and reads and writes system data in SQL: it is called by
    the scheduled action, or by the on-demand recomputes of ``crm.health.score`` after
    they checked the caller's role and that the caller may read the records (see
    ``_check_recompute_rights``). Users then read the results through the record rules
    of the health records; no raw value of another model is copied to a record the
    caller can read but counts, dates and points of its own customer.
    """

    _name = "crm.health.engine"
    _description = "Health Score Recompute Engine"

    # ------------------------------------------------------------------
    # Run orchestration
    # ------------------------------------------------------------------
    @api.model
    def _run(self, run_start=None, commit=False, batch_size=BATCH_SIZE):
        """Recompute every current health record not computed since ``run_start``.

        With ``commit`` (the scheduled action), each batch is committed through
        ``ir.cron._commit_progress`` and the run stops when the cron's time is up;
        the next call resumes with the records still older than ``run_start``.

        :return: True when every record is done
        """
        run_start = run_start or fields.Datetime.now()
        self._sync_scope(scored_next=True)
        # Scheduled run only: how many records are left, and how many of them are
        # scored for the first time.
        self.env.cr.execute(
            SQL(
                "SELECT count(*), count(*) FILTER (WHERE computed_on IS NULL)"
                " FROM crm_health_score WHERE %s",
                self._pending_where(run_start),
            )
        )
        remaining, first_scores = self.env.cr.fetchone()
        if commit:
            # New records committed first: the batches then update settled rows.
            self.env["ir.cron"]._commit_progress(0, remaining=remaining)
        while True:
            health_ids, scope = self._pending_batch(run_start, batch_size)
            if not health_ids:
                break
            self._recompute(health_ids, grant=False, scope=scope)
            if commit:
                # The batch is done; the other records were left as they were.
                remaining = max(remaining - len(health_ids), 0)
                if self.env["ir.cron"]._commit_progress(len(health_ids), remaining=remaining) <= 0:
                    return False
        # The run's new activities once every customer is scored: the daily cap per
        # assignee then lets the highest priorities of the whole base through. The
        # waiting flags are set here too, in one statement after the batches were
        # committed, not per batch: a second update of a row in the transaction that
        # updated it re-checks each of its foreign keys.
        queue, today = self.env["crm.health.activity.queue"], fields.Date.today()
        queue._sync_flags(today)
        if first_scores > ANALYZE_AFTER_FIRST_SCORES:
            # Fresh statistics of the rows the batches and the flags just wrote (a
            # first run inserts every record and queues a third of them): with those
            # of the empty table, the planner takes the waiting activities for one
            # row and loops over them (80 s instead of 0.3 s for 100 000 customers).
            # Autovacuum would get there after the run. (The transaction's own rows
            # count.)
            self.env.cr.execute("ANALYZE crm_health_score, crm_health_score_pending_rule_rel")
        while queue._grant(today, limit=GRANT_BATCH_SIZE):
            if commit and self.env["ir.cron"]._commit_progress(0) <= 0:
                return False
        self._purge_snapshots()
        return True

    def _pending_where(self, run_start):
        return SQL("state <> 'frozen' AND (computed_on IS NULL OR computed_on < %s)", run_start)

    def _pending_ids(self, run_start, limit):
        """The ids of the next batch (see :meth:`_pending_batch`)."""
        return self._pending_batch(run_start, limit)[0]

    def _pending_batch(self, run_start, limit):
        """The next batch: up to ``limit`` records scored before, and once none is
        left, records never scored, by ``FIRST_SCORE_BATCH_SIZE`` at most.

        :return: ``(ids, scope)``: the ids in ascending order and an SQL condition
            on ``crm_health_score`` selecting the same records (the pending records
            of the batch's kind up to its last id, as ordered here; the same in the
            transaction's snapshot): the inputs of the batch read with it run in
            parallel workers, where a list of 100 000 ids is searched in each scan
            of each worker. ``scope`` is None when no record is left.
        """
        # Scheduled run only (see the class docstring).
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id, computed_on IS NULL FROM crm_health_score WHERE %s "
                "ORDER BY computed_on IS NULL, id LIMIT %s",
                self._pending_where(run_start),
                limit,
            )
        )
        rows = self.env.cr.fetchall()
        scored = [health_id for health_id, first in rows if not first]
        health_ids = scored or [health_id for health_id, _first in rows[:FIRST_SCORE_BATCH_SIZE]]
        if not health_ids:
            return [], None
        scope = SQL(
            "%s AND (computed_on IS NULL) = %s AND id <= %s",
            self._pending_where(run_start),
            not scored,
            health_ids[-1],
        )
        return health_ids, scope

    # ------------------------------------------------------------------
    # Scope: which customers have a health record
    # ------------------------------------------------------------------
    def _lost_partner_sql(self, alias):
        """SQL condition true for customers marked lost by the standard customer
        information (``customer_type`` of crm_process_std), when that field exists."""
        field = self.env["res.partner"]._fields.get("customer_type")
        if field and field.store and field.type == "selection":
            # NULL-safe: a customer without type is not lost.
            return SQL("%s.customer_type IS NOT DISTINCT FROM 'lost'", SQL.identifier(alias))
        return SQL("FALSE")

    @api.model
    def _sync_scope(self, partner_ids=None, company_ids=None, scored_next=False):
        """Create the missing records of commercial customers, freeze the records of
        archived or lost customers and thaw those active again. Set-based.

        A commercial customer is any company or individual without parent that is
        not a user or one of our companies and that has a lead or opportunity, a
        follow-up or a complaint, a needs match or a customer-success manager.
        A new record belongs to the customer's company; a customer shared by every
        company gets a shared record (no company; the recompute then moves it to the
        company of the customer's latest opportunity, if any): never to the
        company of whoever triggered the run.

        :param company_ids: only customers of these companies and shared ones
        :param scored_next: the caller scores the new records next (the scheduled
            run): their score and risk level shown are computed then, once, not twice
        """
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL jit = off")
        only = SQL()
        if partner_ids is not None:
            only = SQL("AND p.id = ANY(%s)", list(partner_ids))
        if company_ids is not None:
            only = SQL(
                "%s AND (p.company_id IS NULL OR p.company_id = ANY(%s))", only, list(company_ids)
            )
        lost = self._lost_partner_sql("p")
        uid = self.env.uid
        # Customers asked for by name get a record even without CRM history.
        asked = SQL("OR TRUE") if partner_ids is not None else SQL()
        # System data: the callers checked the role, and the read access to the
        # customers they name; the records are read back through the health rules.
        # The missing customers are read first, in a statement of their own: read
        # by the INSERT below, the anti-join could scan the table being filled once
        # per customer (a plan chosen on the statistics of the empty table: 50 s for
        # 100 000 customers).
        # The customers without a record are found first (OFFSET 0 keeps that step
        # apart), and only those are checked for CRM history: most nights, none
        # (100 000 customers: 0.18 s -> 0.06 s).
        self.env.cr.execute(
            SQL(
                """
            SELECT p.id
              FROM (SELECT p.* FROM res_partner p
                     WHERE p.id = p.commercial_partner_id
                       AND p.active AND p.partner_share IS NOT FALSE AND NOT (%(lost)s)
                       AND NOT EXISTS (SELECT 1 FROM crm_health_score s
                                        WHERE s.partner_id = p.id)
                       AND p.id NOT IN (SELECT partner_id FROM res_company
                                         WHERE partner_id IS NOT NULL)
                       %(only)s
                    OFFSET 0) AS p
             WHERE (p.needs_match IS NOT NULL OR p.customer_success_user_id IS NOT NULL
                OR EXISTS (SELECT 1 FROM res_partner c JOIN crm_lead l ON l.partner_id = c.id
                            WHERE c.commercial_partner_id = p.id)
                OR EXISTS (SELECT 1 FROM res_partner c JOIN crm_followup f ON f.partner_id = c.id
                            WHERE c.commercial_partner_id = p.id)
                OR EXISTS (SELECT 1 FROM res_partner c JOIN crm_complaint k ON k.partner_id = c.id
                            WHERE c.commercial_partner_id = p.id)
                %(asked)s)
            """,
                lost=lost,
                only=only,
                asked=asked,
            )
        )
        missing = [row[0] for row in self.env.cr.fetchall()]
        # A record created meanwhile by another transaction is kept (ON CONFLICT).
        # The customer-success manager is the related field's value (the customer's),
        # stored with the row as the ORM would store it.
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO crm_health_score (
                partner_id, company_id, user_id, customer_success_user_id, team_id,
                scorecard_id, state,
                computed_score, computed_risk_level, trend, churn_risk, override_active,
                create_uid, create_date, write_uid, write_date)
            SELECT p.id, p.company_id, p.user_id, p.customer_success_user_id, u.sale_team_id,
                   COALESCE(
                       (SELECT id FROM crm_health_scorecard
                         WHERE active AND company_id = p.company_id LIMIT 1),
                       (SELECT id FROM crm_health_scorecard
                         WHERE active AND company_id IS NULL LIMIT 1)),
                   'insufficient_data', NULL, 'insufficient_data', 0, FALSE, FALSE,
                   %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
              FROM res_partner p
              LEFT JOIN res_users u ON u.id = p.user_id
             WHERE p.id = ANY(%(missing)s::int[])
             ORDER BY p.id
            ON CONFLICT (partner_id) DO NOTHING
            RETURNING id
            """,
                uid=uid,
                missing=int_array(missing),
            )
        )
        created = [row[0] for row in self.env.cr.fetchall()]
        only_score = (
            SQL("AND s.partner_id = ANY(%s)", list(partner_ids))
            if partner_ids is not None
            else SQL()
        )
        if company_ids is not None:
            only_score = SQL(
                "%s AND (p.company_id IS NULL OR p.company_id = ANY(%s))",
                only_score,
                list(company_ids),
            )
        # Archived or lost customers keep their last score, frozen: no churn, no
        # new score, no intervention (none waiting either). (System data, same scope
        # as above.)
        self.env.cr.execute(
            SQL(
                """
            UPDATE crm_health_score s
               SET state = 'frozen', churn_risk = FALSE, write_date = now() at time zone 'UTC',
                   churn_activity_pending = FALSE, intervention_pending = FALSE,
                   pending_since = NULL
              FROM res_partner p
             WHERE p.id = s.partner_id AND s.state <> 'frozen'
               AND (NOT p.active OR %(lost)s) %(only)s
            RETURNING s.id
            """,
                lost=lost,
                only=only_score,
            )
        )
        changed = [row[0] for row in self.env.cr.fetchall()]
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_health_score_pending_rule_rel WHERE health_id = ANY(%s::int[])",
                changed,
            )
        )
        # Thawed records are scored again by the run (system data, same scope).
        self.env.cr.execute(
            SQL(
                """
            UPDATE crm_health_score s
               SET state = 'insufficient_data', computed_on = NULL
              FROM res_partner p
             WHERE p.id = s.partner_id AND s.state = 'frozen'
               AND p.active AND NOT (%(lost)s) %(only)s
            RETURNING s.id
            """,
                lost=lost,
                only=only_score,
            )
        )
        changed += [row[0] for row in self.env.cr.fetchall()]
        # New records get their score and risk level shown (unless the caller
        # scores them next); frozen and thawed ones too.
        self._recompute_stored_fields(created, score=not scored_next)
        self._recompute_stored_fields(changed)

    def _recompute_stored_fields(self, health_ids, score=True):
        """Write the score and risk level shown of health records whose inputs the
        engine wrote in SQL (frozen, thawed or new records: the recompute of a batch
        writes them with its scores, see :meth:`_write_scores`), as
        ``crm.health.score._compute_score`` computes them: by the same definition
        (:meth:`_shown_columns`), on the rows read in one query per chunk, written in
        one UPDATE per chunk where they change. Nothing else depends on these
        fields."""
        if not score or not health_ids:
            return
        Score = self.env["crm.health.score"]
        # The inputs are read from the database, as written by the engine.
        Score.flush_model()
        for chunk in split_every(RECOMPUTE_CHUNK, health_ids):
            # Engine step: the records' own columns (system data, see the class
            # docstring).
            self.env.cr.execute(
                SQL(
                    """SELECT id, state, computed_score, computed_risk_level, override_active,
                              override_score, override_risk_level
                         FROM crm_health_score WHERE id = ANY(%s::int[])""",
                    int_array(chunk),
                )
            )
            ids, scores, risks = self._shown_columns(
                self.env.cr.fetchall(),
                lambda health_id, score: Score.browse(health_id)._risk_for(score),
            )
            self.env.cr.execute(
                SQL(
                    """UPDATE crm_health_score s SET score = v.score, risk_level = v.risk
                         FROM unnest(%s::int[], %s::int[], %s::varchar[]) AS v(id, score, risk)
                        WHERE s.id = v.id
                          AND (s.score, s.risk_level) IS DISTINCT FROM (v.score, v.risk)""",
                    ids,
                    scores,
                    risks,
                )
            )
        Score.invalidate_model(["score", "risk_level"])

    def _shown_columns(self, rows, risk_for):
        """The score and risk level shown of health records as their columns store
        them, by the one definition of ``crm.health.score._compute_score``
        (``shown_score``: the manual override, else the computed score).

        :param rows: ``(id, state, computed score, computed risk level, override
            active, override score, override risk level)`` tuples
        :param risk_for: callable giving the risk level of a score (second
            argument) by the scorecard of a record (id, first argument)
        :return: three lists: ids, scores and risk levels, as the ORM writes them
            (no score is 0, not NULL: NULL would sort after every score in the lists
            ordered by score)
        """
        Score = self.env["crm.health.score"]
        score_column = Score._fields["score"].convert_to_column
        risk_column = Score._fields["risk_level"].convert_to_column
        ids, scores, risks = [], [], []
        for health_id, *inputs in rows:
            shown, risk = shown_score(*inputs, partial(risk_for, health_id))
            ids.append(health_id)
            scores.append(score_column(shown, Score))
            risks.append(risk_column(risk, Score, validate=False))
        return ids, scores, risks

    def _expire_overrides(self, health_ids):
        """Give the computed score back where a manual override has expired."""
        # Engine step: the batch's records only (filtered below), flow write.
        expired = (
            self.env["crm.health.score"]
            .sudo()
            .search(
                [
                    ("override_active", "=", True),
                    ("override_expiry", "<", fields.Date.today()),
                ]
            )
        )
        batch = set(health_ids)
        expired = expired.filtered(lambda record: record.id in batch)
        if expired:
            expired.write({"override_active": False})
            expired._message_log_batch(
                {
                    record.id: self.env._(
                        "The manual override expired on %s: the computed score applies again.",
                        record.override_expiry,
                    )
                    for record in expired
                },
                author_id=self.env.ref("base.partner_root").id,
            )

    def _purge_snapshots(self):
        # Configuration only; a value out of the bounds of the settings (set by hand
        # in the system parameters) falls back to the default instead of failing.
        months = self.env["res.config.settings"]._crm_health_retention_months()
        limit = fields.Date.today() - relativedelta(months=months)
        # Scheduled run only: history older than the retention setting.
        self.env.cr.execute(SQL("DELETE FROM crm_health_snapshot WHERE period_start < %s", limit))

    # ------------------------------------------------------------------
    # Recompute of one batch
    # ------------------------------------------------------------------
    def _recompute(self, health_ids, grant=True, scope=None):
        """Recompute the given health records (ids): load the raw inputs into a
        temporary table, score them per scorecard in one UPDATE (the ORM then
        recomputes the score and risk level shown where their inputs changed), raise
        or clear churn warnings, match the intervention rules, and record the
        period's snapshot. With ``grant``, then flag the records whose activities
        wait, schedule the churn To-Dos and intervention activities of these records
        the daily cap lets through and notify their assignees (the scheduled run does
        it once all are scored).

        :param scope: an SQL condition on ``crm_health_score`` selecting the same
            records as ``health_ids`` (see :meth:`_pending_batch`), read instead
        """
        if not health_ids:
            return
        self._expire_overrides(health_ids)
        self.env.flush_all()
        # The scoring CASE expressions look costly to the planner, which would then
        # spend more time compiling them (JIT) than running them.
        self.env.cr.execute("SET LOCAL jit = off")
        today = fields.Date.today()
        period_start = self.env["crm.health.snapshot"]._period_start(today)
        self._load_batch(health_ids, today, period_start, scope)
        self._write_scores(today)
        touched = self._apply_churn_warnings(today)
        touched |= self.env["crm.health.intervention.rule"]._apply_rules()
        self.env.flush_all()
        self.env["crm.health.snapshot"]._upsert(period_start, today)
        self.env.cr.execute("DROP TABLE crm_health_batch")
        if grant:
            queue = self.env["crm.health.activity.queue"]
            queue._sync_flags(today, touched)
            queue._grant(today, health_ids)
        self.env["crm.health.score"].invalidate_model()
        self.env["crm.health.snapshot"].invalidate_model()

    def _load_batch(self, health_ids, today, period_start, scope=None):
        """Temporary table ``crm_health_batch``: one row per health record not frozen
        with the raw inputs of the customer as of ``today`` (the one definition,
        :meth:`_raw_inputs_sql`), its scorecard, its state before this run and its
        previous snapshot; ``was_*``: the record's columns before this run.

        :param scope: SQL condition selecting the records ``health_ids``, if known
        """
        # System read of the batch (see the class docstring): only counts and dates
        # of each customer's own activity reach its health record.
        inputs = self._raw_inputs_sql(
            today,
            SQL(
                "SELECT id AS health_id, partner_id FROM crm_health_score"
                " WHERE %s AND state <> 'frozen'",
                scope or SQL("id = ANY(%s::int[])", int_array(health_ids)),
            ),
        )
        self.env.cr.execute("DROP TABLE IF EXISTS crm_health_batch")
        self.env.cr.execute(
            SQL(
                """
            CREATE TEMP TABLE crm_health_batch ON COMMIT DROP AS
            SELECT src.*, s.override_active, s.override_score, s.override_risk_level,
                   s.churn_risk AS was_churn_risk, s.churn_activity_id,
                   s.state AS was_state, s.computed_score AS was_computed_score,
                   s.computed_risk_level AS was_computed_risk_level,
                   s.risk_level AS was_risk_level,
                   prev.score AS previous_score
              FROM %(inputs)s AS src
              JOIN crm_health_score s ON s.id = src.health_id
              LEFT JOIN LATERAL (
                  SELECT CASE WHEN sn.state <> 'insufficient_data' THEN sn.score END AS score
                    FROM crm_health_snapshot sn
                   WHERE sn.health_id = src.health_id AND sn.period_start < %(period)s
                   ORDER BY sn.period_start DESC LIMIT 1
              ) prev ON TRUE
            """,
                inputs=inputs,
                period=period_start,
            )
        )

    def _write_scores(self, today):
        """One UPDATE per scorecard in use: points, weights, computed score and risk
        level, trend and churn flag of every record of the batch, and in the same
        write the score and risk level shown where they may change (the state or
        computed score changed, or never shown): computed in Python by their one
        definition (:meth:`_shown_columns`) on the scored rows, before the UPDATE. (A
        second UPDATE of the records would write each row again: 3 s of a first run
        of 100 000 customers.) The trend compares computed scores (the snapshots hold
        the computed score): a manual override changes the score and risk level
        shown, never the history.
        """
        # Configuration only (bounded as in the settings).
        churn_days = self.env["res.config.settings"]._crm_health_churn_days()
        # The batch table built above (system data).
        self.env.cr.execute(
            "SELECT DISTINCT scorecard_id FROM crm_health_batch WHERE scorecard_id IS NOT NULL"
        )
        card_ids = [row[0] for row in self.env.cr.fetchall()]
        # Configuration read by the engine, whatever the companies of the caller.
        Scorecard = self.env["crm.health.scorecard"].sudo()
        for card in Scorecard.browse(card_ids):
            compiled = card._compile()
            scored = card._scoring_sql(
                compiled,
                SQL("(SELECT * FROM crm_health_batch WHERE scorecard_id = %s)", card.id),
            )
            # The batch's records only (system data, see the class docstring).
            self.env.cr.execute("DROP TABLE IF EXISTS crm_health_scored")
            self.env.cr.execute(
                SQL(
                    "CREATE TEMP TABLE crm_health_scored ON COMMIT DROP AS SELECT * FROM %s AS v",
                    scored,
                )
            )
            self.env.cr.execute(
                """
                SELECT health_id, state, raw_score, COALESCE(risk, 'insufficient_data'),
                       override_active, override_score, override_risk_level
                  FROM crm_health_scored
                 WHERE was_risk_level IS NULL
                    OR (was_state, was_computed_score, was_computed_risk_level)
                       IS DISTINCT FROM (state, raw_score, COALESCE(risk, 'insufficient_data'))
                """
            )
            # The risk level of an override score without one: by the scorecard the
            # record gets here, as crm.health.score._risk_for reads it.
            ids, scores, risks = self._shown_columns(
                self.env.cr.fetchall(),
                lambda _health_id, score, card=card, compiled=compiled: card._risk_for(
                    compiled, score
                ),
            )
            self.env.cr.execute(
                SQL(
                    """
                UPDATE crm_health_score s SET
                    company_id = v.company_id, user_id = v.user_id, team_id = v.team_id,
                    scorecard_id = v.scorecard_id, state = v.state,
                    computed_score = v.raw_score,
                    computed_risk_level = COALESCE(v.risk, 'insufficient_data'),
                    score = CASE WHEN shown.id IS NULL THEN s.score ELSE shown.score END,
                    risk_level = CASE WHEN shown.id IS NULL THEN s.risk_level
                                      ELSE shown.risk END,
                    previous_score = v.previous_score,
                    trend = CASE WHEN v.previous_score IS NOT NULL AND v.raw_score IS NOT NULL
                                 THEN v.raw_score - v.previous_score ELSE 0 END,
                    churn_risk = (v.last_day IS NOT NULL AND v.recency_days >= %(churn_days)s
                                  AND v.open_orders = 0),
                    last_interaction_date = v.last_day, recency_days = v.recency_days,
                    interaction_count = v.recent, frequency_value = v.frequency,
                    order_count = v.orders, open_order_count = v.open_orders,
                    complaint_count = v.complaints, complaint_open_count = v.unresolved,
                    complaint_value = v.complaint_value, needs_match = v.needs_match,
                    recency_points = v.recency_points, recency_weight = v.recency_weight,
                    frequency_points = v.frequency_points,
                    frequency_weight = v.frequency_weight,
                    order_points = v.orders_points, order_weight = v.orders_weight,
                    complaint_points = v.complaints_points,
                    complaint_weight = v.complaints_weight,
                    needs_points = v.needs_points, needs_weight = v.needs_weight,
                    computed_on = %(now)s, write_date = %(now)s, write_uid = %(uid)s
                  FROM crm_health_scored v
                  LEFT JOIN unnest(%(ids)s::int[], %(scores)s::int[], %(risks)s::varchar[])
                       AS shown(id, score, risk) ON shown.id = v.health_id
                 WHERE s.id = v.health_id
                """,
                    churn_days=churn_days,
                    now=fields.Datetime.now(),
                    uid=self.env.uid,
                    ids=int_array(ids),
                    scores=int_array(scores),
                    risks=risks,
                )
            )
        self.env.cr.execute("DROP TABLE IF EXISTS crm_health_scored")

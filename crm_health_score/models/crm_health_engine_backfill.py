# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One concern per file, as crm_health_engine_actions.py (the engine file keeps the runs).
# pylint: disable=consider-merging-classes-inherited
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .crm_health_engine import int_array
from .crm_health_snapshot import COMPARED, SNAPSHOT_COLUMNS

# Customers per committed batch: each batch reads the interactions, orders and
# complaints of its customers once for every period.
BACKFILL_BATCH_SIZE = 50_000
# History filled at install (bounded by the retention setting).
INSTALL_MONTHS = 12
CRON_XMLID = "crm_health_score.ir_cron_crm_health_backfill"
NIGHTLY_CRON_XMLID = "crm_health_score.ir_cron_crm_health_recompute"

# Snapshot columns of a backfilled row, from the row ``v`` scored as of the period's
# last day (``crm.health.engine._score_dates_sql``) and its ``churn`` flag: the computed
# score, as the nightly recompute records it; no manual override (none is known for
# the past). The trend is set from the snapshot before it, once all are known.
BACKFILL_SOURCES = {
    "partner_id": SQL("v.partner_id"),
    "company_id": SQL("v.company_id"),
    "state": SQL("v.state"),
    "score": SQL("v.raw_score"),
    "risk_level": SQL("COALESCE(v.risk, 'insufficient_data')"),
    "override_active": SQL("FALSE"),
    "override_score": SQL("NULL::int"),
    "trend": SQL("NULL::int"),
    "churn_risk": SQL("v.churn"),
    "last_interaction_date": SQL("v.last_day"),
    "recency_days": SQL("v.recency_days"),
    "recency_points": SQL("v.recency_points"),
    "frequency_value": SQL("v.frequency"),
    "frequency_points": SQL("v.frequency_points"),
    "order_count": SQL("v.orders"),
    "order_points": SQL("v.orders_points"),
    "complaint_value": SQL("v.complaint_value"),
    "complaint_points": SQL("v.complaints_points"),
    "needs_match": SQL("v.needs_match"),
    "needs_points": SQL("v.needs_points"),
}


class CrmHealthEngine(models.AbstractModel):
    """History from day one: the snapshots of the past periods computed afterwards
    from the customers' dated data (``backfilled``), as of each period's last day,
    by the same scoring as the nightly recompute (``_score_dates_sql``). Private and
    without rights checks, as the rest of the engine: the Backfill History wizard
    checks the caller's role first; the install and the scheduled action run as the
    system."""

    _inherit = "crm.health.engine"

    # ------------------------------------------------------------------
    # Periods
    # ------------------------------------------------------------------
    @api.model
    def _backfill_months(self, months):
        """``months`` bounded by the retention setting (older history would be purged
        the next night): ``(months backfilled, retention months)``."""
        # Configuration only.
        retention = self.env["res.config.settings"]._crm_health_retention_months()
        return min(months, retention), retention

    @api.model
    def _backfill_periods(self, months, today):
        """The snapshot periods (Settings: week or month) that start within the last
        ``months`` months and before ``today``, oldest first: ``(period start, day
        scored)``, the day scored being the period's last day, or yesterday for the
        current period (today is the nightly recompute's)."""
        snapshot = self.env["crm.health.snapshot"]
        first = today - relativedelta(months=months)
        periods = {}
        day = first
        while day < today:
            # The one definition of a period (snapshot._period_start), day by day.
            periods[snapshot._period_start(day)] = day
            day += timedelta(days=1)
        return [(start, last) for start, last in periods.items() if start >= first]

    # ------------------------------------------------------------------
    # Run
    # ------------------------------------------------------------------
    @api.model
    def _backfill(self, months, today=None, after_id=0, commit=False, batch_size=None, run=None):
        """Backfill the snapshots of the periods of the last ``months`` months (see
        :meth:`_backfill_periods`) for every current (not frozen) health record, by
        batches of customers in id order from ``after_id`` on.

        Recorded snapshots are kept as they are; backfilled ones are replaced by what
        the data says now (a second run changes nothing unless the data did).

        With ``commit`` (the scheduled action), each batch is committed through
        ``ir.cron._commit_progress``, and the run stops when the cron's time is up;
        ``run`` (a ``crm.health.backfill.run``) records the progress of each batch (the
        last record done, counts) in the batch's transaction: the next call resumes
        after it.

        :return: ``(done, customers, snapshots written)``
        """
        today = today or fields.Date.today()
        batch_size = batch_size or BACKFILL_BATCH_SIZE
        periods = self._backfill_periods(months, today)
        customers = written = 0
        Cron = self.env["ir.cron"]
        while periods:
            health_ids = self._backfill_pending_ids(after_id, batch_size)
            if not health_ids:
                break
            batch_written = self._backfill_batch(health_ids, periods)
            written += batch_written
            customers += len(health_ids)
            after_id = health_ids[-1]
            if run:
                run.write(
                    {
                        "last_health_id": after_id,
                        "customer_count": run.customer_count + len(health_ids),
                        "snapshot_count": run.snapshot_count + batch_written,
                    }
                )
            if commit:
                remaining = self._backfill_pending_count(after_id)
                if Cron._commit_progress(len(health_ids), remaining=remaining) <= 0:
                    return False, customers, written
        return True, customers, written

    def _backfill_pending_ids(self, after_id, limit):
        """The next ``limit`` current health records after ``after_id``, in id order."""
        # System read of the records to backfill (see the class docstring).
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_health_score WHERE state <> 'frozen' AND id > %s"
                " ORDER BY id LIMIT %s",
                after_id,
                limit,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _backfill_pending_count(self, after_id=0):
        # System count of the records to backfill (see the class docstring).
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM crm_health_score WHERE state <> 'frozen' AND id > %s",
                after_id,
            )
        )
        return self.env.cr.fetchone()[0]

    def _churn_risk_sql(self, alias, churn_days):
        """The nightly churn condition on the raw inputs of ``alias``: an interaction,
        none for ``churn_days`` days, and no open order or opportunity."""
        return SQL(
            "(%(a)s.last_day IS NOT NULL AND %(a)s.recency_days >= %(days)s"
            " AND %(a)s.open_orders = 0)",
            a=SQL.identifier(alias),
            days=churn_days,
        )

    def _backfill_replace_sql(self):
        """ON CONFLICT clause of a backfill run again: a backfilled snapshot is replaced
        when it differs (not for the mere passing of days, as the nightly recompute's
        snapshot), a recorded one never."""
        return SQL(
            """ON CONFLICT (health_id, period_start) DO UPDATE
               SET date = EXCLUDED.date, %(updates)s
             WHERE crm_health_snapshot.backfilled
               AND (%(compared)s) IS DISTINCT FROM (%(excluded)s)""",
            updates=SQL(", ").join(
                SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
                for name in SNAPSHOT_COLUMNS
            ),
            compared=SQL(", ").join(
                SQL("crm_health_snapshot.%s", SQL.identifier(name)) for name in COMPARED
            ),
            excluded=SQL(", ").join(SQL("EXCLUDED.%s", SQL.identifier(name)) for name in COMPARED),
        )

    def _backfill_batch(self, health_ids, periods):
        """Score the health records ``health_ids`` as of the last day of each period
        (``(start, day scored)`` pairs) and write their backfilled snapshots, in one
        statement: new ones inserted, backfilled ones replaced when they differ,
        recorded ones left alone. The trend of each backfilled snapshot compares its
        score with the snapshot before it (recorded or backfilled) as the nightly
        recompute does: 0 when either has no score.

        :return: number of snapshots written
        """
        health_sql = SQL(
            "SELECT id AS health_id, partner_id FROM crm_health_score"
            " WHERE id = ANY(%s::int[]) AND state <> 'frozen'",
            int_array(health_ids),
        )
        scored = self._score_dates_sql([day for _start, day in periods], health_sql)
        if scored is None:
            return 0  # no active scorecard
        churn_days = self.env["res.config.settings"]._crm_health_churn_days()
        columns = SQL(", ").join(SQL.identifier(name) for name in SNAPSHOT_COLUMNS)
        starts = [start for start, _day in periods]
        # Backfilled snapshots of these periods to replace (a backfill run again):
        # without any, a plain insert (no conflict to look for on millions of rows).
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM crm_health_snapshot WHERE health_id = ANY(%s::int[])"
                " AND backfilled AND period_start = ANY(%s::date[]) LIMIT 1",
                int_array(health_ids),
                starts,
            )
        )
        again = bool(self.env.cr.fetchone())
        # The scoring CASE expressions look costly to the planner (see _recompute). The
        # batch's rows (customers x periods) are aggregated and sorted in memory, and
        # every join on keys is a hash join: the planner cannot estimate the rows of
        # the dates and of the scored combinations (it would sort millions of rows to
        # merge them, or loop over them).
        self.env.cr.execute("SET LOCAL jit = off")
        self.env.cr.execute("SET LOCAL work_mem = '64MB'")
        self.env.cr.execute("SET LOCAL enable_mergejoin = off")
        self.env.cr.execute("SET LOCAL enable_nestloop = off")
        # System data (see the class docstring): the batch's own history.
        self.env.cr.execute(
            SQL(
                """
            WITH computed AS (
                SELECT v.health_id, v.as_of,
                       (%(starts)s::date[])[array_position(%(days)s::date[], v.as_of)]
                           AS period_start,
                       %(values)s
                  FROM (SELECT v.*, %(churn)s AS churn FROM %(scored)s AS v) AS v
            ), kept AS (
                -- what the backfill does not replace: recorded snapshots, and
                -- backfilled ones of other periods
                SELECT s.health_id, s.period_start, s.state, s.score
                  FROM crm_health_snapshot s
                 WHERE s.health_id = ANY(%(ids)s::int[])
                   AND NOT (s.backfilled IS TRUE AND s.period_start = ANY(%(starts)s::date[]))
            ), series AS (
                SELECT c.*, TRUE AS new FROM computed c
                 UNION ALL
                SELECT k.health_id, NULL, k.period_start, %(kept)s, FALSE FROM kept k
            ), trended AS (
                -- in one sort: a period's kept snapshot comes after the one computed
                -- (which is left out), so that the next period compares with it
                SELECT series.*,
                       lag(CASE WHEN state <> 'insufficient_data' THEN score END) OVER (
                           PARTITION BY health_id ORDER BY period_start, new DESC) AS previous,
                       bool_and(new) OVER (PARTITION BY health_id, period_start) AS only_new
                  FROM series
            )
            INSERT INTO crm_health_snapshot (health_id, period_start, date, backfilled, %(columns)s)
            SELECT health_id, period_start, as_of, TRUE, %(trended)s
              FROM trended WHERE only_new
            %(again)s
            """,
                starts=starts,
                days=[day for _start, day in periods],
                values=SQL(", ").join(
                    SQL("%s AS %s", BACKFILL_SOURCES[name], SQL.identifier(name))
                    for name in SNAPSHOT_COLUMNS
                ),
                churn=self._churn_risk_sql("v", churn_days),
                scored=scored,
                ids=int_array(health_ids),
                # a kept snapshot is only the previous one of a backfilled snapshot
                kept=SQL(", ").join(
                    SQL("k.%s", SQL.identifier(name)) if name in ("state", "score") else SQL("NULL")
                    for name in SNAPSHOT_COLUMNS
                ),
                columns=columns,
                # the nightly recompute's trend: 0 when either score is missing
                trended=SQL(", ").join(
                    SQL("COALESCE(score - previous, 0)")
                    if name == "trend"
                    else SQL.identifier(name)
                    for name in SNAPSHOT_COLUMNS
                ),
                again=self._backfill_replace_sql() if again else SQL(),
            )
        )
        written = self.env.cr.rowcount
        # Only for this statement: the caller's transaction may go on (on an error, the
        # rollback undoes them).
        for setting in ("work_mem", "enable_mergejoin", "enable_nestloop"):
            self.env.cr.execute(SQL("SET LOCAL %s TO DEFAULT", SQL.identifier(setting)))
        self.env["crm.health.snapshot"].invalidate_model()
        return written

    # ------------------------------------------------------------------
    # In the background: the scheduled action
    # ------------------------------------------------------------------
    def _backfill_request(self, months, install=False):
        """Ask the scheduled action *Customer Health: backfill history* to backfill
        ``months`` months (bounded by the retention setting) now, in the background:
        a waiting ``crm.health.backfill.run``, then a trigger of the scheduled action
        (a row each: no system parameter, no cache cleared in the other processes;
        the scheduled action is not written either, so that asking while it runs
        does not wait for it). Callers check the caller's rights.

        :return: the run asked for
        """
        months, _retention = self._backfill_months(months)
        # Run state of the scheduled action (system).
        run = (
            self.env["crm.health.backfill.run"]
            .sudo()
            .create(
                {
                    "months": months,
                    "as_of": fields.Date.today(),
                    "install": install,
                    "background": True,
                }
            )
        )
        self.env.ref(CRON_XMLID).sudo()._trigger()
        return run

    @api.model
    def _cron_backfill(self):
        """The scheduled action: run (or resume) the backfills asked for, oldest first,
        in committed batches; each records its progress after every batch. At install,
        the customers get their health record first, and the nightly recompute is
        started right after: today's scores and trends then compare with the history
        just filled. Nothing asked: nothing done."""
        Cron = self.env["ir.cron"]
        # Run state of the scheduled action (system).
        Run = self.env["crm.health.backfill.run"].sudo()
        while True:
            run = Run.search([("state", "=", "waiting")], order="id", limit=1)
            if not run:
                break
            if not run.last_health_id:
                # Every customer gets its health record first (at install, none has one).
                self._sync_scope()
            done, _customers, _written = self._backfill(
                run.months,
                today=run.as_of,
                after_id=run.last_health_id,
                commit=True,
                run=run,
            )
            if not done:
                return
            run.write({"state": "done", "date_done": fields.Datetime.now()})
            if run.install:
                self.env.ref(NIGHTLY_CRON_XMLID).sudo()._trigger()
            if Cron._commit_progress(remaining=Run.search_count([("state", "=", "waiting")])) <= 0:
                return

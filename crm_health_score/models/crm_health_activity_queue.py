# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import Counter

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

from .crm_health_risk_mixin import RISK_ORDER

# Days the assignee has to act on a churn warning (the To-Do's due date).
CHURN_DUE_DAYS = 3


class CrmHealthActivityQueue(models.AbstractModel):
    """The daily cap of new activities per assignee: the churn To-Dos and
    intervention activities of the recompute wait on their health record
    (``churn_activity_pending``, ``pending_rule_ids``, summed up by
    ``intervention_pending``) until a slot frees, the oldest waiting first, then the
    highest risk, then the highest revenue of the last 12 months. The cap counts the
    activities the recompute scheduled that day
    (``mail.activity.crm_health_scheduled_on``), done ones included, never the ones
    people scheduled by hand.

    Private steps of the recompute engine (see ``crm_health_engine.py``): system data
    read and written after the callers' checks.
    """

    _name = "crm.health.activity.queue"
    _description = "Health Activities Waiting for a Slot"

    @api.model
    def _units_sql(self, today, churn, rules):
        """SQL selecting one row per activity to schedule: ``health_id``,
        ``partner_id``, ``user_id`` (the assignee), ``rule_id`` (NULL for the churn
        To-Do), ``rule_ids`` (the rules an intervention activity stands for: one
        activity per customer and assignee, the soonest due then the first rule),
        ``date_deadline`` and ``covered``: true when the activity is not needed (no
        assignee, or the assignee already has an open activity on the customer, or
        gets its churn To-Do, due as soon).

        :param churn: SQL selecting ``health_id`` of the records owing a churn To-Do
        :param rules: SQL selecting ``(health_id, rule_id)`` of the rule activities owed
        """
        return SQL(
            """
            WITH churn AS (
                SELECT s.id AS health_id, s.partner_id,
                       COALESCE(s.customer_success_user_id, s.user_id) AS user_id,
                       NULL::int AS rule_id, NULL::int[] AS rule_ids,
                       %(today)s::date + %(churn_due_days)s AS date_deadline
                  FROM crm_health_score s WHERE s.id IN (%(churn)s)
            ), owed AS (
                SELECT s.id AS health_id, s.partner_id, r.id AS rule_id, r.sequence,
                       CASE r.assignee
                            WHEN 'user' THEN r.user_id
                            WHEN 'salesperson' THEN s.user_id
                            ELSE COALESCE(s.customer_success_user_id, s.user_id)
                       END AS user_id,
                       %(today)s::date + r.activity_due_days AS date_deadline
                  FROM (%(rules)s) AS o
                  JOIN crm_health_score s ON s.id = o.health_id
                  JOIN crm_health_intervention_rule r ON r.id = o.rule_id
                 WHERE r.activity_type_id IS NOT NULL
            ), interventions AS (
                SELECT DISTINCT ON (health_id, user_id)
                       health_id, partner_id, user_id, rule_id,
                       array_agg(rule_id) OVER (PARTITION BY health_id, user_id) AS rule_ids,
                       date_deadline
                  FROM owed
                 ORDER BY health_id, user_id, date_deadline, sequence, rule_id
            ), units AS (
                SELECT * FROM churn UNION ALL SELECT * FROM interventions
            )
            SELECT u.*,
                   x.id IS NULL
                   OR (u.rule_id IS NOT NULL AND (
                       COALESCE(c.date_deadline <= u.date_deadline, FALSE)
                       OR EXISTS (SELECT 1 FROM mail_activity a
                                   WHERE a.res_model = 'res.partner' AND a.res_id = u.partner_id
                                     AND a.user_id = u.user_id AND a.active
                                     AND a.date_deadline <= u.date_deadline))) AS covered
              FROM units u
              LEFT JOIN res_users x ON x.id = u.user_id
              LEFT JOIN churn c ON c.health_id = u.health_id AND c.user_id = u.user_id
            """,
            today=today,
            churn_due_days=CHURN_DUE_DAYS,
            churn=churn,
            rules=rules,
        )

    @api.model
    def _caps(self, user_ids):
        """{user id: daily cap} of the assignees (their company's setting; 0: none)."""
        # Configuration of the assignees' companies (engine step).
        users = self.env["res.users"].sudo().with_context(active_test=False).browse(user_ids)
        return {user.id: user.company_id.crm_health_activity_cap for user in users}

    @api.model
    def _room(self, today, user_ids):
        """{user id: new activities the recompute may still give them on ``today``,
        or None without cap}: the cap less the activities it already scheduled them
        that day, done or not."""
        caps = self._caps(user_ids)
        # Counts of the engine's own activities (engine step), archived (done) ones too.
        scheduled = dict(
            self.env["mail.activity"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("crm_health_scheduled_on", "=", today), ("user_id", "in", list(caps))],
                ["user_id"],
                ["__count"],
            )
        )
        done = {user.id: count for user, count in scheduled.items()}
        return {
            user_id: max(cap - done.get(user_id, 0), 0) if cap else None
            for user_id, cap in caps.items()
        }

    @api.model
    def _revenue(self, today, partner_ids):
        """{customer id: amount of its orders of the last 12 months} (the one
        definition of an order, ``res.partner._crm_std_orders_sql``)."""
        orders = self.env["res.partner"]._crm_std_orders_sql(today - relativedelta(months=12))
        if orders is None or not partner_ids:
            return {}
        # Engine step: a sum per customer of the queue (system data).
        self.env.cr.execute(
            SQL(
                "SELECT o.partner_id, sum(o.amount) FROM (%s) AS o"
                " WHERE o.partner_id = ANY(%s::int[]) GROUP BY o.partner_id",
                orders,
                sorted(partner_ids),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _grant(self, today, health_ids=None, limit=None):
        """Schedule the waiting churn To-Dos and intervention activities of the
        records ``health_ids`` (every waiting record when None) that the daily cap
        of their assignees lets through, in priority order: waiting the longest,
        then risk (high, medium, low), revenue of the last 12 months, record id.
        The others keep waiting, with their priority. Notifies each assignee of
        their new activities and of how many the cap held back.

        :param limit: schedule at most this many activities (the rest at the next
            call, in the same order)
        :return: True when ``limit`` left activities to schedule
        """
        self.env.flush_all()
        # A few thousand rows at most: compiling the plan (JIT) would cost more than
        # running it.
        self.env.cr.execute("SET LOCAL jit = off")
        scope = SQL("s.intervention_pending")
        if health_ids is not None:
            scope = SQL("%s AND s.id = ANY(%s::int[])", scope, list(health_ids))
        units = self._units_sql(
            today,
            SQL("SELECT s.id FROM crm_health_score s WHERE %s AND s.churn_activity_pending", scope),
            SQL(
                "SELECT r.health_id, r.rule_id FROM crm_health_score_pending_rule_rel r"
                " JOIN crm_health_score s ON s.id = r.health_id WHERE %s",
                scope,
            ),
        )
        # Engine step (system data): the waiting activities, their texts in the
        # assignee's language, and what orders them.
        self.env.cr.execute(
            SQL(
                """
            SELECT u.health_id, u.partner_id, u.user_id, u.rule_id, u.rule_ids,
                   u.date_deadline, u.covered, s.recency_days, s.pending_since,
                   array_position(%(risks)s, s.risk_level::text) AS risk_rank, up.lang,
                   r.activity_type_id,
                   COALESCE(r.name ->> up.lang, r.name ->> 'en_US') AS summary,
                   COALESCE(r.suggestion ->> up.lang, r.suggestion ->> 'en_US') AS note
              FROM (%(units)s) AS u
              JOIN crm_health_score s ON s.id = u.health_id
              LEFT JOIN crm_health_intervention_rule r ON r.id = u.rule_id
              LEFT JOIN res_users usr ON usr.id = u.user_id
              LEFT JOIN res_partner up ON up.id = usr.partner_id
            """,
                units=units,
                risks=RISK_ORDER,
            )
        )
        rows = self.env.cr.dictfetchall()
        done = [row for row in rows if row["covered"]]
        room = self._room(today, {row["user_id"] for row in rows if not row["covered"]})
        held_back = Counter(
            row["user_id"] for row in rows if not row["covered"] and room[row["user_id"]] == 0
        )
        # The assignees with a free slot take their most urgent activities: the
        # revenue is read for their customers only (none on a night all slots are
        # taken).
        candidates = [row for row in rows if not row["covered"] and room[row["user_id"]] != 0]
        revenue = self._revenue(today, {row["partner_id"] for row in candidates})
        candidates.sort(
            key=lambda row: (
                row["pending_since"] or today,
                row["risk_rank"] or len(RISK_ORDER) + 1,
                -revenue.get(row["partner_id"], 0),
                row["health_id"],
                row["rule_id"] or 0,  # the churn To-Do first
            )
        )
        granted = []
        for row in candidates:
            if room[row["user_id"]] is None or room[row["user_id"]] > 0:
                granted.append(row)
                if room[row["user_id"]] is not None:
                    room[row["user_id"]] -= 1
            else:
                held_back[row["user_id"]] += 1
        more = bool(limit) and len(granted) > limit
        if more:
            granted = granted[:limit]
        engine, texts = self.env["crm.health.engine"], {}
        activities = engine._schedule_partner_activities(
            [self._activity_values(row, texts) for row in granted], today
        )
        self._release(today, granted, activities, done)
        engine._notify_assignees(activities, held_back)
        return more

    @api.model
    def _activity_values(self, row, texts):
        """What ``_schedule_partner_activities`` creates for one waiting activity
        (``texts``: the churn texts per language, filled on the way)."""
        if row["rule_id"]:
            return {
                "partner_id": row["partner_id"],
                "activity_type_id": row["activity_type_id"],
                "user_id": row["user_id"],
                "summary": row["summary"],
                "note": row["note"],
                "date_deadline": row["date_deadline"],
            }
        lang = row["lang"] or self.env.lang or "en_US"
        if lang not in texts:
            texts[lang] = self.env["crm.health.engine"]._churn_texts(
                self.with_context(lang=lang).env
            )
        summary, note, _flagged, _cleared = texts[lang]
        return {
            "partner_id": row["partner_id"],
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "user_id": row["user_id"],
            "summary": summary,
            "note": note.replace("{days}", str(row["recency_days"])),
            "date_deadline": row["date_deadline"],
        }

    @api.model
    def _release(self, today, granted, activities, done):
        """The records' own columns once their waiting activities are scheduled
        (``granted``, with their ``activities``) or no longer needed (``done``)."""
        churn_ids, churn_activity_ids, rule_pairs = [], [], []
        for row, activity_id in [*zip(granted, activities.ids, strict=True)] + [
            (row, None) for row in done
        ]:
            if row["rule_id"]:
                rule_pairs += [(row["health_id"], rule_id) for rule_id in row["rule_ids"]]
            else:
                churn_ids.append(row["health_id"])
                churn_activity_ids.append(activity_id)
        self.env.flush_all()
        # The health records' own columns and queue (engine step).
        if churn_ids:
            self.env.cr.execute(
                SQL(
                    """
                UPDATE crm_health_score s
                   SET churn_activity_pending = FALSE,
                       churn_activity_id = COALESCE(v.activity_id, s.churn_activity_id)
                  FROM unnest(%s::int[], %s::int[]) AS v(health_id, activity_id)
                 WHERE s.id = v.health_id
                """,
                    churn_ids,
                    churn_activity_ids,
                )
            )
        if rule_pairs:
            health, rules = zip(*rule_pairs, strict=True)
            self.env.cr.execute(
                SQL(
                    """
                DELETE FROM crm_health_score_pending_rule_rel r
                 USING unnest(%s::int[], %s::int[]) AS v(health_id, rule_id)
                 WHERE r.health_id = v.health_id AND r.rule_id = v.rule_id
                """,
                    list(health),
                    list(rules),
                )
            )
        self._sync_flags(today, {row["health_id"] for row in granted + done})

    @api.model
    def _sync_flags(self, today, health_ids=None):
        """``intervention_pending`` (and since when) of these records (of every
        record when None): true while their churn To-Do or an intervention activity
        waits for a slot."""
        if health_ids is not None and not health_ids:
            return
        self.env.flush_all()
        only = SQL()
        if health_ids is not None:
            only = SQL("AND w.id = ANY(%s::int[])", sorted(health_ids))
        # The health records' own columns (engine step); only those that change.
        self.env.cr.execute(
            SQL(
                """
            UPDATE crm_health_score s
               SET intervention_pending = v.waiting,
                   pending_since = CASE WHEN v.waiting THEN %(today)s::date END
              FROM (SELECT w.id, w.churn_activity_pending OR r.health_id IS NOT NULL AS waiting
                      FROM crm_health_score w
                      LEFT JOIN (SELECT DISTINCT health_id
                                   FROM crm_health_score_pending_rule_rel) AS r
                        ON r.health_id = w.id
                     WHERE w.intervention_pending
                           IS DISTINCT FROM (w.churn_activity_pending OR r.health_id IS NOT NULL)
                           %(only)s) AS v
             WHERE s.id = v.id
            """,
                today=today,
                only=only,
            )
        )

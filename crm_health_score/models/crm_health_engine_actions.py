# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL, plaintext2html

# Activities listed by name in an assignee's notification; the others are counted.


class CrmHealthEngine(models.AbstractModel):
    """What a recompute does on the customers: churn warnings (a note, a To-Do for
    the assignee, removed once the customer is active again), intervention
    activities, and one notification per assignee listing the new activities.

    Activities and notes are created and removed through their models, in one call
    per batch: the assignees follow the customers, their activity counters and the
    web client's live updates stay right, and every override of ``mail.activity`` /
    ``mail.message`` applies. Only the health records' own columns are written in SQL.
    """

    _inherit = "crm.health.engine"

    # ------------------------------------------------------------------
    # Churn warning
    # ------------------------------------------------------------------
    @api.model
    def _apply_churn_warnings(self, today):
        """For the batch being recomputed (temporary table ``crm_health_batch``):
        newly silent customers get a note at once and wait for one To-Do for their
        customer-success manager (else salesperson), which the daily cap of new
        activities lets through (``crm.health.activity.queue._grant``); customers
        active again get a note and lose the open or waiting churn To-Do. Idempotent:
        acts only when the flag changes, and never queues a second To-Do while the
        record's one is open. Texts are in each assignee's language.

        :return: ids of the records whose flag changed (their To-Do may wait or not)
        """
        # Engine step (system data, after the recompute right check): the batch's
        # changed flags, their assignees' languages and open churn To-Dos.
        self.env.cr.execute(
            SQL(
                """
            SELECT s.id, s.partner_id, s.churn_risk, b.recency_days,
                   u.id AS user_id, up.lang, a.id AS open_activity_id
              FROM crm_health_batch b
              JOIN crm_health_score s ON s.id = b.health_id
              LEFT JOIN res_users u ON u.id = COALESCE(s.customer_success_user_id, s.user_id)
              LEFT JOIN res_partner up ON up.id = u.partner_id
              LEFT JOIN mail_activity a ON a.id = b.churn_activity_id AND a.active
             WHERE s.churn_risk IS DISTINCT FROM COALESCE(b.was_churn_risk, FALSE)
             ORDER BY s.id
            """
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return set()
        texts = {}
        bodies, waiting, obsolete = {}, set(), []
        for health_id, partner_id, churn_risk, days, user_id, lang, open_activity_id in rows:
            lang = lang or self.env.lang or "en_US"
            if lang not in texts:
                texts[lang] = self._churn_texts(self.with_context(lang=lang).env)
            _summary, _note, flagged_body, cleared_body = texts[lang]
            if not churn_risk:
                bodies[partner_id] = cleared_body
                if open_activity_id:
                    obsolete.append(open_activity_id)
                continue
            bodies[partner_id] = flagged_body.replace("{days}", str(days))
            if user_id and not open_activity_id:
                waiting.add(health_id)
        partners = self.env["res.partner"].browse(bodies)
        partners._message_log_batch(bodies, author_id=self.env.ref("base.partner_root").id)
        # Cleared: the open To-Do goes, as if its assignee had cancelled it.
        self.env["mail.activity"].browse(obsolete).unlink()
        # The health records' own columns: since when, which To-Do (kept while
        # flagged, forgotten once cleared) and whether one waits for a slot.
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            UPDATE crm_health_score s
               SET churn_since = CASE WHEN s.churn_risk THEN %(today)s::date END,
                   churn_activity_id = CASE WHEN s.churn_risk THEN s.churn_activity_id END,
                   churn_activity_pending = s.churn_risk AND v.health_id = ANY(%(waiting)s::int[])
              FROM unnest(%(health_ids)s::int[]) AS v(health_id)
             WHERE s.id = v.health_id
            """,
                today=today,
                health_ids=[row[0] for row in rows],
                waiting=sorted(waiting),
            )
        )
        return {row[0] for row in rows}

    @api.model
    def _churn_texts(self, env):
        """(activity summary, activity note, note when flagged, note when cleared) in
        the language of ``env``; ``{days}`` stands for the days without interaction."""
        return (
            env._("Churn risk: contact within 3 days"),
            env._(
                "No interaction for %(days)s days and no open order or opportunity.",
                days="{days}",
            ),
            env._(
                "Churn risk: no interaction for %(days)s days and no open order or "
                "opportunity. The customer-success manager should contact the "
                "customer within 3 days.",
                days="{days}",
            ),
            env._("Churn risk cleared: the customer is active again."),
        )

    # ------------------------------------------------------------------
    # Activities on customers
    # ------------------------------------------------------------------
    @api.model
    def _schedule_partner_activities(self, values, today):
        """Create the activities described by ``values`` on customers, in one call,
        marked as scheduled by the health recompute on ``today`` (what the daily cap
        per assignee counts).

        :param values: list of dicts with partner_id, activity_type_id, user_id,
            summary, note (plain text) and date_deadline
        :return: the activities, in the order of ``values``
        """
        Activity = self.env["mail.activity"]
        if not values:
            return Activity
        # The assignees hear of their new activities once per batch, from
        # _notify_assignees, rather than once per activity.
        Activity = Activity.with_context(mail_activity_quick_update=True)
        # One read of the customers' names (the activities' record name), not one
        # query per activity.
        Activity.env["res.partner"].browse({v["partner_id"] for v in values}).mapped("display_name")
        model_id = self.env["ir.model"]._get_id("res.partner")
        return Activity.create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": v["partner_id"],
                    "activity_type_id": v["activity_type_id"],
                    "user_id": v["user_id"],
                    "summary": v["summary"],
                    "note": plaintext2html(v["note"]),
                    "date_deadline": v["date_deadline"],
                    "automated": True,
                    "crm_health_scheduled_on": today,
                }
                for v in values
            ]
        )

    @api.model
    def _notify_assignees(self, activities, held_back=None):
        """One notification per assignee listing the activities this batch gave
        them (see ``mail.activity._crm_std_notify_assignees``) and saying how many
        more the daily cap held back (``held_back``: count per user id)."""
        held_back = held_back or {}
        activities._crm_std_notify_assignees(
            subject=lambda env, count: env._(
                "Customer health: %(count)s new activities for you", count=count
            ),
            intro=lambda env: env._(
                "The customer health recompute scheduled these activities for you:"
            ),
            footer=lambda env, user: (
                env._(
                    "%(count)s more were held back by the daily cap of new health "
                    "activities per assignee: they come on the next days, highest risk "
                    "then revenue first.",
                    count=held_back[user.id],
                )
                if held_back.get(user.id)
                else False
            ),
        )

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import Counter
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .crm_health_scorecard import WEIGHT_FIELDS


class CrmHealthScorecard(models.Model):
    """What a scorecard would change: the risk spread of today's customers with the
    values on screen, and the recompute with a saved scorecard."""

    _inherit = "crm.health.scorecard"

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------
    @api.depends(
        *WEIGHT_FIELDS.values(),
        "band_ids",
        "band_ids.dimension",
        "band_ids.value_from",
        "band_ids.value_to",
        "band_ids.points",
        "low_risk_threshold",
        "medium_risk_threshold",
        "complaint_unresolved_factor",
        "min_data_weight",
        "company_id",
    )
    def _compute_preview_html(self):
        for card in self:
            card.preview_html = card._preview_table()

    def _preview_counts(self):
        """(now, with these settings) counts per risk level over the customers this
        scorecard would score, from the raw inputs stored by the last recompute.

        Only the health records of the caller's allowed companies are counted (a shared
        scorecard: those of allowed companies without a scorecard of their own, and the
        shared records), and only for process administrators (the field's groups)."""
        self.ensure_one()
        self._check_preview_rights()
        source = self._preview_source()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT current_risk, final_risk, count(*) FROM %s AS v GROUP BY 1, 2",
                self._scoring_sql(self._compile(), source),
            )
        )
        current, preview = Counter(), Counter()
        for current_risk, new_risk, count in self.env.cr.fetchall():
            current[current_risk or "insufficient_data"] += count
            preview[new_risk or "insufficient_data"] += count
        return current, preview

    def _check_preview_rights(self):
        if not (self.env.su or self.env.user.has_group("crm_process_std_base.group_process_admin")):
            raise AccessError(self.env._("Only process administrators preview scorecards."))

    def _preview_scope(self):
        """SQL condition on the health records this scorecard would score (alias-free
        columns): those of the caller's allowed companies it applies to."""
        allowed = self.env.companies.ids
        if self.company_id:
            companies = [self.company_id.id] if self.company_id.id in allowed else []
            return SQL("company_id = ANY(%s)", companies)
        by_company = self._for_companies(allowed)
        companies = [cid for cid, card in by_company.items() if not card.company_id]
        return SQL("(company_id IS NULL OR company_id = ANY(%s))", companies)

    def _preview_source(self):
        """The raw inputs stored by the last recompute of the records in scope, as
        ``_scoring_sql`` reads them (counts only, for an administrator: checked by
        the callers)."""
        return SQL(
            """(SELECT id, company_id, last_interaction_date AS last_day, recency_days,
                       interaction_count AS recent, order_count AS orders,
                       complaint_count AS complaints, complaint_open_count AS unresolved,
                       needs_match, override_active, override_score, override_risk_level,
                       risk_level AS current_risk
                  FROM crm_health_score WHERE state <> 'frozen' AND %s)""",
            self._preview_scope(),
        )

    def _preview_activities(self):
        """(churn To-Dos, intervention activities, how many of them the daily cap
        lets through on the first day) that activating these values would schedule:
        To-Dos of the customers the next recompute flags as churn risks, activities
        of the intervention rules customers newly match with these values (one per
        customer and assignee, none where the assignee has one due as soon). The
        activities already waiting for a slot come first on that day."""
        self.ensure_one()
        self._check_preview_rights()
        today = fields.Date.today()
        queue = self.env["crm.health.activity.queue"]
        scored = self._scoring_sql(self._compile(), self._preview_source())
        # Configuration read for the preview: every rule, each limited to its company.
        rules = self.env["crm.health.intervention.rule"].sudo().search([])
        matches = rules._matches_sql(
            SQL(
                """(SELECT v.id, v.company_id, v.final_risk AS risk_level, v.recency_points,
                           v.frequency_points, v.orders_points AS order_points,
                           v.complaints_points AS complaint_points, v.needs_points
                      FROM %s AS v) AS s""",
                scored,
            )
        )
        new_matches = SQL(
            "SELECT m.health_id, m.rule_id FROM (%s) AS m WHERE NOT EXISTS ("
            "SELECT 1 FROM crm_health_score_rule_rel r"
            " WHERE r.health_id = m.health_id AND r.rule_id = m.rule_id)",
            matches,
        )
        churn_days = self.env["res.config.settings"]._crm_health_churn_days()
        churn = SQL(
            "SELECT id FROM crm_health_score WHERE state <> 'frozen' AND %s"
            " AND NOT churn_risk AND last_interaction_date <= %s AND open_order_count = 0",
            self._preview_scope(),
            today - timedelta(days=churn_days),
        )
        self.env.flush_all()
        # Counts only, over the allowed companies (checked above), for an administrator.
        self.env.cr.execute(
            SQL(
                "SELECT user_id, count(*) FILTER (WHERE rule_id IS NULL),"
                " count(*) FILTER (WHERE rule_id IS NOT NULL)"
                " FROM (%s) AS u WHERE NOT covered GROUP BY user_id",
                queue._units_sql(today, churn, new_matches),
            )
        )
        per_user = {user_id: (todos, other) for user_id, todos, other in self.env.cr.fetchall()}
        # The activities already waiting for these assignees take the first slots.
        self.env.cr.execute(
            SQL(
                "SELECT user_id, count(*) FROM (%s) AS u"
                " WHERE NOT covered AND user_id = ANY(%s) GROUP BY user_id",
                queue._units_sql(
                    today,
                    SQL(
                        "SELECT id FROM crm_health_score"
                        " WHERE intervention_pending AND churn_activity_pending"
                    ),
                    SQL("SELECT health_id, rule_id FROM crm_health_score_pending_rule_rel"),
                ),
                list(per_user),
            )
        )
        waiting = dict(self.env.cr.fetchall())
        caps = queue._caps(list(per_user))
        first_day = sum(
            min(todos + other, max(caps[user_id] - waiting.get(user_id, 0), 0))
            if caps[user_id]
            else todos + other
            for user_id, (todos, other) in per_user.items()
        )
        todos = sum(counts[0] for counts in per_user.values())
        return todos, sum(counts[1] for counts in per_user.values()), first_day

    def _preview_table(self):
        self.ensure_one()
        errors = self._configuration_errors()
        if errors:
            items = Markup("").join(Markup("<li>%s</li>") % error for error in errors)
            return Markup(
                '<div class="alert alert-warning mb-0"><ul class="mb-0">%s</ul></div>'
            ) % (items)
        current, preview = self._preview_counts()
        labels = {
            "high": self.env._("High risk"),
            "medium": self.env._("Medium risk"),
            "low": self.env._("Low risk"),
            "insufficient_data": self.env._("Insufficient data"),
        }
        rows = Markup("").join(
            Markup(
                "<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s</td></tr>"
            )
            % (label, current[key], preview[key], f"{preview[key] - current[key]:+d}")
            for key, label in labels.items()
        )
        head = Markup(
            "<thead><tr><th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th></tr></thead>"
        ) % (
            self.env._("Risk level"),
            self.env._("Now"),
            self.env._("With these settings"),
            self.env._("Change"),
        )
        table = Markup(
            '<table class="table table-sm o_crm_health_preview">%s<tbody>%s</tbody></table>'
        ) % (
            head,
            rows,
        )
        return table + self._preview_activities_html()

    def _preview_activities_html(self):
        todos, interventions, first_day = self._preview_activities()
        total = todos + interventions
        if not total:
            return Markup('<p class="o_crm_health_preview_activities mb-0">%s</p>') % (
                self.env._("Activating these settings would schedule no new activity.")
            )
        created = self.env._(
            "Activating these settings would schedule %(total)s activities: %(todos)s churn "
            "To-Dos and %(interventions)s intervention activities.",
            total=total,
            todos=todos,
            interventions=interventions,
        )
        if total == first_day:
            through = self.env._(
                "The daily cap per assignee lets all of them through on the first day."
            )
        else:
            through = self.env._(
                "The daily cap per assignee lets %(count)s through on the first day; the "
                "others follow on the next days, highest risk then revenue first.",
                count=first_day,
            )
        return Markup('<p class="o_crm_health_preview_activities mb-0">%s %s</p>') % (
            created,
            through,
        )

    def action_recompute_with_scorecard(self):
        """Apply a saved scorecard now to every customer the process administrator
        may read (the customers of other companies wait for the nightly run)."""
        self.ensure_one()
        if not (self.env.su or self.env.user.has_group("crm_process_std_base.group_process_admin")):
            raise AccessError(
                self.env._("Only process administrators can recompute with a scorecard.")
            )
        self.check_access("write")
        if not self.active:
            raise UserError(
                self.env._("Activate scorecard %s before recomputing with it.", self.display_name)
            )
        return self.env["crm.health.score"].action_recompute_all()

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import Counter

from markupsafe import Markup

from odoo import api, models
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
        if not (self.env.su or self.env.user.has_group("crm_process_std_base.group_process_admin")):
            raise AccessError(self.env._("Only process administrators preview scorecards."))
        allowed = self.env.companies.ids
        if self.company_id:
            companies = [self.company_id.id] if self.company_id.id in allowed else []
            company = SQL("AND company_id = ANY(%s)", companies)
        else:
            by_company = self._for_companies(allowed)
            companies = [cid for cid, card in by_company.items() if not card.company_id]
            company = SQL("AND (company_id IS NULL OR company_id = ANY(%s))", companies)
        # Counts only, over the allowed companies (checked above), for an administrator.
        source = SQL(
            """(SELECT last_interaction_date AS last_day, recency_days,
                       interaction_count AS recent, order_count AS orders,
                       complaint_count AS complaints, complaint_open_count AS unresolved,
                       needs_match, override_active, override_score, override_risk_level,
                       risk_level AS current_risk
                  FROM crm_health_score WHERE state <> 'frozen' %s)""",
            company,
        )
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
        return Markup(
            '<table class="table table-sm o_crm_health_preview">%s<tbody>%s</tbody></table>'
        ) % (
            head,
            rows,
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

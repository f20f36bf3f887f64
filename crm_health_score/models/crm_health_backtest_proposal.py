# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
from collections import Counter

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from . import crm_health_backtest_stats as stats
from .crm_health_backtest import DIMENSION_KEYS, LEVEL_KEYS
from .crm_health_scorecard import WEIGHT_FIELDS

DISTRIBUTION_KEYS = [*LEVEL_KEYS, "insufficient_data"]


class CrmHealthBacktest(models.Model):
    """Weights learned from the backtest: the non-negative weights adding up to 100
    that rank the customers who churned lowest (highest AUC), bands kept and, on
    request, the risk thresholds that separate churn rates best; proposed as a draft
    copy of the scorecard, compared side by side. Nothing changes until a process
    administrator activates the proposed scorecard."""

    _inherit = "crm.health.backtest"

    proposed_scorecard_id = fields.Many2one(
        "crm.health.scorecard",
        readonly=True,
        ondelete="set null",
        context={"active_test": False},
        help="Draft copy of the scorecard with the proposed weights: archived, it scores "
        "nobody until a process administrator activates it.",
    )
    proposed_auc = fields.Float(string="Proposed AUC", readonly=True, digits=(4, 3))
    proposed_medium_threshold = fields.Integer(string="Proposed Medium Risk From", readonly=True)
    proposed_low_threshold = fields.Integer(string="Proposed Low Risk From", readonly=True)
    # Customers per risk level at the last month-end with the scorecard and the proposal.
    proposal_data = fields.Json(readonly=True)
    comparison_html = fields.Html(
        string="Today vs Proposed", compute="_compute_comparison_html", sanitize=False
    )

    def _run(self):
        # A new run replaces the figures the proposal was compared with: the proposal
        # leaves the backtest (its draft scorecard stays, to delete or activate).
        result = super()._run()
        # sudo: flow-only results, after the rights checked by action_run
        self.sudo().write(
            {
                "proposed_scorecard_id": False,
                "proposed_auc": 0.0,
                "proposed_medium_threshold": 0,
                "proposed_low_threshold": 0,
                "proposal_data": False,
            }
        )
        return result

    def _population_cells(self):
        """``(points, churned, customers)`` of the backtest's population per
        combination of points, and ``(points, customers)`` of every customer at the
        last month-end, from the stored aggregate."""
        self.ensure_one()
        population, latest = [], []
        # Counts only, read by a process administrator (checked by the callers).
        for points, _score, customers, churned, last in self.sudo().cell_data or []:
            named = dict(zip(DIMENSION_KEYS, points, strict=True))
            if customers:
                population.append((named, churned, customers))
            if last:
                latest.append((named, last))
        return population, latest

    def action_propose_weights(self):
        """Fit the weights (and, on request, the risk thresholds) on this backtest and
        create a draft copy of the scorecard with them, compared side by side."""
        self.ensure_one()
        self._check_run_rights()
        self.env["crm.health.scorecard"].check_access("create")
        if self.state != "done":
            raise UserError(self.env._("Run backtest %s first.", self.display_name))
        if not self.enough_data:
            raise UserError(self.too_few_message)
        card = self.scorecard_id
        # Configuration read after the rights checked above.
        compiled = card.sudo()._compile()
        population, latest = self._population_cells()
        weights = compiled["weights"]
        movable = [dimension for dimension in DIMENSION_KEYS if compiled["bands"][dimension][0]]
        proposed = stats.fit_weights(population, weights, movable, compiled["min_weight"])
        medium, low = compiled["medium"], compiled["low"]
        if self.fit_thresholds:
            counts = stats.score_counts(population, proposed, compiled["min_weight"])
            medium, low = stats.fit_thresholds(counts) or (medium, low)
        if proposed == weights and (medium, low) == (compiled["medium"], compiled["low"]):
            raise UserError(
                self.env._(
                    "No other weights rank the customers who churned better than those of "
                    "%s on this backtest: nothing to propose.",
                    card.display_name,
                )
            )
        today = fields.Date.to_string(fields.Date.context_today(self))
        draft = card.copy(
            {
                "name": self.env._("%(name)s (proposed %(day)s)", name=card.name, day=today),
                "active": False,
                "low_risk_threshold": low,
                "medium_risk_threshold": medium,
                **{WEIGHT_FIELDS[dimension]: proposed[dimension] for dimension in proposed},
            }
        )
        min_weight = compiled["min_weight"]
        before = stats.score_counts(population, weights, min_weight)
        after = stats.score_counts(population, proposed, min_weight)
        distribution = {
            "current": _distribution(
                latest, weights, min_weight, compiled["low"], compiled["medium"]
            ),
            "proposed": _distribution(latest, proposed, min_weight, low, medium),
            "auc": stats.auc(before),
        }
        # sudo: flow-only results of the proposal, after the rights checked above
        self.sudo().write(
            {
                "proposed_scorecard_id": draft.id,
                "proposed_auc": stats.auc(after) or 0.0,
                "proposed_medium_threshold": medium,
                "proposed_low_threshold": low,
                "proposal_data": distribution,
                "dimension_ids": [
                    fields.Command.update(
                        line.id,
                        {
                            "proposed_weight": proposed[line.dimension],
                            "weight_change": proposed[line.dimension] - weights[line.dimension],
                        },
                    )
                    for line in self.dimension_ids
                ],
            }
        )
        return True

    @api.depends("proposal_data", "proposed_auc", "date_last")
    def _compute_comparison_html(self):
        for backtest in self:
            backtest.comparison_html = (
                backtest.proposal_data and backtest._comparison_table()
            ) or False

    def _comparison_table(self):
        """AUC and customers per risk level at the last month-end, today vs proposed."""
        self.ensure_one()
        data = self.proposal_data
        labels = self._level_labels()
        row = Markup(
            "<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td>"
            "<td class='text-end'>%s</td></tr>"
        )
        auc_now = data.get("auc")
        rows = [
            row
            % (
                self.env._("AUC"),
                f"{auc_now:.3f}" if auc_now is not None else "–",
                f"{self.proposed_auc:.3f}",
                f"{self.proposed_auc - auc_now:+.3f}" if auc_now is not None else "–",
            )
        ]
        for level in DISTRIBUTION_KEYS:
            now, then = data["current"].get(level, 0), data["proposed"].get(level, 0)
            rows.append(
                row
                % (
                    self.env._("%(level)s on %(day)s", level=labels[level], day=self.date_last),
                    now,
                    then,
                    f"{then - now:+d}",
                )
            )
        head = Markup(
            "<thead><tr><th></th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th></tr></thead>"
        ) % (self.env._("Today"), self.env._("Proposed"), self.env._("Change"))
        return Markup(
            '<table class="table table-sm o_crm_health_backtest_comparison">%s<tbody>%s</tbody>'
            "</table>"
        ) % (head, Markup("").join(rows))


def _distribution(latest, weights, min_weight, low, medium):
    """Customers per risk level (and without score) of ``latest`` with ``weights``."""
    counts = Counter()
    for points, customers in latest:
        level = stats.risk(stats.score(points, weights, min_weight), low, medium)
        counts[level or "insufficient_data"] += customers
    return {level: counts[level] for level in DISTRIBUTION_KEYS}

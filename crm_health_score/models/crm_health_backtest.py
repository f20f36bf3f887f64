# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from . import crm_health_backtest_stats as stats
from .crm_health_band import DIMENSIONS
from .crm_health_scorecard import RISK_LEVELS

DIMENSION_KEYS = [dimension for dimension, _label in DIMENSIONS]
LEVEL_KEYS = [level for level, _label in RISK_LEVELS]
# Bounds of the parameters (the engine reads at most this far back).
MONTHS = (1, 36)
HORIZON_DAYS = (7, 365)
ADMIN_GROUP = "crm_process_std_base.group_process_admin"


class CrmHealthBacktest(models.Model):
    """Would the scorecard have seen churn coming? Every customer is scored as of each
    month-end of the last months, and the customers who churned within the following
    horizon are counted per risk level: churn rates, lift, AUC, share of churners
    flagged beforehand and the predictive power of each dimension alone.

    Configured and run by process administrators; sales managers read the results.
    Only counts and rates reach the record: the engine reads the customers' history in
    SQL as of each date (``crm.health.engine._score_as_of_sql``) and PostgreSQL aggregates
    it per combination of points before Python computes the statistics
    (``crm_health_backtest_stats``)."""

    _name = "crm.health.backtest"
    _description = "Health Scorecard Backtest"
    _inherit = ["mail.thread", "crm.protected.fields.mixin"]  # noqa: RUF012
    _order = "date_run desc, id desc"

    name = fields.Char(compute="_compute_name", store=True, readonly=True)
    scorecard_id = fields.Many2one(
        "crm.health.scorecard",
        required=True,
        index=True,
        ondelete="cascade",
        context={"active_test": False},
        help="Scorecard whose scoring is tested, active or draft (archived).",
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=True,
        index=True,
        help="The scorecard's company; empty for a shared scorecard.",
    )
    company_ids = fields.Many2many(
        "res.company",
        string="Companies Tested",
        readonly=True,
        help="Companies whose customers were scored: the scorecard's company, or for a "
        "shared scorecard your companies without a scorecard of their own (and the "
        "customers shared by every company).",
    )
    months = fields.Integer(
        required=True,
        default=12,
        help="Number of month-ends tested: the latest ones whose horizon has passed.",
    )
    horizon_days = fields.Integer(
        string="Horizon (days)",
        required=True,
        default=90,
        help="A customer scored at a month-end counts as churned when it churned within "
        "this many days after it.",
    )
    fit_thresholds = fields.Boolean(
        string="Also Fit Risk Thresholds",
        help="Propose Weights also picks the medium- and low-risk thresholds that make the "
        "risk levels differ most in churn rate; otherwise the scorecard's are kept.",
    )
    state = fields.Selection(
        [("draft", "To Run"), ("done", "Done")],
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
    )
    date_run = fields.Datetime(string="Run On", readonly=True)
    date_first = fields.Date(string="First Month-End", readonly=True)
    date_last = fields.Date(string="Last Month-End", readonly=True)
    churn_days = fields.Integer(
        string="Churn After (days)",
        readonly=True,
        help="The churn warning delay of the Settings when the backtest ran: no interaction "
        "for this many days and no open order or opportunity.",
    )
    customer_count = fields.Integer(
        string="Customers Scored",
        readonly=True,
        help="Customers with a score at a month-end and not churned yet, added over the "
        "month-ends (a customer counts once per month-end).",
    )
    churn_count = fields.Integer(
        string="Churned Within the Horizon",
        readonly=True,
        help="Of the customers scored, those who churned within the horizon (once per month-end).",
    )
    churned_customer_count = fields.Integer(
        string="Customers Who Churned",
        readonly=True,
        help="Different customers who churned within the horizon of at least one month-end.",
    )
    churn_rate = fields.Float(string="Churn Rate (%)", readonly=True, digits=(5, 1))
    high_customers = fields.Integer(readonly=True)
    high_churned = fields.Integer(readonly=True)
    high_rate = fields.Float(
        string="High-Risk Customers Who Churned (%)", readonly=True, digits=(5, 1)
    )
    medium_customers = fields.Integer(readonly=True)
    medium_churned = fields.Integer(readonly=True)
    medium_rate = fields.Float(string="Medium Risk Churn Rate (%)", readonly=True, digits=(5, 1))
    low_customers = fields.Integer(readonly=True)
    low_churned = fields.Integer(readonly=True)
    low_rate = fields.Float(string="Low Risk Churn Rate (%)", readonly=True, digits=(5, 1))
    lift = fields.Float(
        readonly=True,
        digits=(6, 1),
        help="Churn rate of the high-risk customers divided by that of the low-risk "
        "ones: 3 means high-risk customers churned three times as often. Empty when no "
        "low-risk customer churned.",
    )
    auc = fields.Float(
        string="AUC",
        readonly=True,
        digits=(4, 3),
        help="Chance that a customer who churned had a lower score than one who stayed "
        "(ties count half): 0.5 is a coin toss, 0.7 useful, 0.8 and above strong.",
    )
    flagged_high_share = fields.Float(
        string="Churners Flagged High Risk (%)",
        readonly=True,
        digits=(5, 1),
        help="Share of the customers who churned that were high risk at the month-end.",
    )
    flagged_high_medium_share = fields.Float(
        string="Churners Flagged High or Medium Risk (%)",
        readonly=True,
        digits=(5, 1),
        help="Share of the customers who churned that were high or medium risk at the month-end.",
    )
    enough_data = fields.Boolean(compute="_compute_enough_data")
    too_few_message = fields.Char(compute="_compute_enough_data")
    line_ids = fields.One2many(
        "crm.health.backtest.line", "backtest_id", string="Per Month", readonly=True
    )
    dimension_ids = fields.One2many(
        "crm.health.backtest.dimension", "backtest_id", string="Dimensions", readonly=True
    )
    # The backtest's customers aggregated per combination of points: what Propose
    # Weights fits on (counts only, for the administrators who run it).
    cell_data = fields.Json(readonly=True, groups=ADMIN_GROUP)
    results_html = fields.Html(
        string="Risk Levels", compute="_compute_results_html", sanitize=False
    )

    # The results are set by Run only (read-only fields: protected by the mixin); the
    # scorecard tested never changes once the backtest exists.
    _frozen_fields = frozenset({"scorecard_id"})

    _months_range = models.Constraint(
        f"CHECK(months BETWEEN {MONTHS[0]} AND {MONTHS[1]})",
        "A backtest covers between 1 and 36 month-ends.",
    )
    _horizon_range = models.Constraint(
        f"CHECK(horizon_days BETWEEN {HORIZON_DAYS[0]} AND {HORIZON_DAYS[1]})",
        "The churn horizon is between 7 and 365 days.",
    )

    @api.depends("scorecard_id.name", "date_run")
    def _compute_name(self):
        for backtest in self:
            name = backtest.scorecard_id.name or ""
            if backtest.date_run:
                day = fields.Date.to_string(backtest.date_run.date())
                name = self.env._("%(scorecard)s, backtest of %(day)s", scorecard=name, day=day)
            backtest.name = name

    @api.depends("scorecard_id.company_id")
    def _compute_company_id(self):
        for backtest in self:
            backtest.company_id = backtest.scorecard_id.company_id

    @api.depends("state", "churned_customer_count")
    def _compute_enough_data(self):
        for backtest in self:
            count = backtest.churned_customer_count
            backtest.enough_data = backtest.state == "done" and count >= stats.MIN_CHURNED
            backtest.too_few_message = (
                backtest.state == "done"
                and count < stats.MIN_CHURNED
                and self.env._(
                    "Only %(count)s customers churned in the period: too few to judge the "
                    "scorecard (at least %(minimum)s needed).",
                    count=count,
                    minimum=stats.MIN_CHURNED,
                )
            )

    def write(self, vals):
        if {"months", "horizon_days"} & vals.keys() and any(b.state == "done" for b in self):
            raise UserError(
                self.env._(
                    "Backtest %s has run: create a new backtest to test other months or "
                    "another horizon.",
                    self.filtered(lambda b: b.state == "done")[:1].display_name,
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    def _check_run_rights(self):
        """Process administrators run backtests and propose weights (a button's
        ``groups`` only hides it: this refuses the call over RPC), on backtests and
        scorecards of their companies (record rules)."""
        if not (self.env.su or self.env.user.has_group(ADMIN_GROUP)):
            raise AccessError(
                self.env._("Only process administrators can run a scorecard backtest.")
            )
        self.check_access("write")
        self.scorecard_id.check_access("read")

    # ------------------------------------------------------------------
    # Run
    # ------------------------------------------------------------------
    def action_run(self):
        """Score every customer as of each month-end and count who churned after it
        (running again replaces the results)."""
        self._check_run_rights()
        for backtest in self:
            backtest._run()
        return True

    def _month_ends(self, today):
        """The ``months`` latest month-ends whose horizon has passed, oldest first."""
        self.ensure_one()
        last = today.replace(day=1) - timedelta(days=1)
        while last + timedelta(days=self.horizon_days) > today:
            last = last.replace(day=1) - timedelta(days=1)
        first_days = [
            last.replace(day=1) - relativedelta(months=back) for back in range(self.months)
        ]
        return [day + relativedelta(months=1, days=-1) for day in reversed(first_days)]

    def _scope(self):
        """(company ids, shared customers too) whose customers the scorecard scores:
        its own company, or for a shared scorecard the caller's allowed companies
        without an active scorecard of their own, and the customers shared by all."""
        self.ensure_one()
        card = self.scorecard_id
        if card.company_id:
            return [card.company_id.id], False
        by_company = self.env["crm.health.scorecard"]._for_companies(self.env.companies.ids)
        return [cid for cid, active in by_company.items() if not active.company_id], True

    def _run(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        month_ends = self._month_ends(today)
        company_ids, shared = self._scope()
        churn_days = self.env["res.config.settings"]._crm_health_churn_days()
        # Configuration read after the caller's read access was checked.
        card = self.scorecard_id.sudo()
        compiled = card._compile()
        health_sql = SQL(
            "SELECT id AS health_id, partner_id FROM crm_health_score"
            " WHERE company_id = ANY(%s) %s",
            company_ids,
            SQL("OR company_id IS NULL") if shared else SQL(),
        )
        cells = {}
        levels = defaultdict(lambda: [0, 0])  # (month-end, level) -> customers, churned
        churners = set()
        for month_end in month_ends:
            last = month_end == month_ends[-1]
            rows = self._aggregate(card, month_end, health_sql, churn_days, last)
            for points, raw_score, gone, churned, count, churned_ids in rows:
                cell = cells.setdefault(points, {"score": raw_score, "n": 0, "c": 0, "last": 0})
                if last:
                    cell["last"] += count
                if raw_score is None or gone:
                    continue  # not scored, or churned already: not in the population
                cell["n"] += count
                level = levels[month_end, card._risk_for(compiled, raw_score)]
                level[0] += count
                if churned:
                    cell["c"] += count
                    level[1] += count
                    churners.update(churned_ids or ())
        # sudo: flow-only results, after the rights checked by action_run
        self.sudo().write(
            {
                "state": "done",
                "date_run": fields.Datetime.now(),
                "date_first": month_ends[0],
                "date_last": month_ends[-1],
                "churn_days": churn_days,
                "company_ids": [fields.Command.set(company_ids)],
                "churned_customer_count": len(churners),
                "cell_data": [
                    [list(cell_points), cell["score"], cell["n"], cell["c"], cell["last"]]
                    for cell_points, cell in sorted(cells.items(), key=_cell_order)
                ],
                "line_ids": [fields.Command.clear()]
                + [
                    fields.Command.create(
                        {
                            "date": month_end,
                            "risk_level": level,
                            "customers": levels[month_end, level][0],
                            "churned": levels[month_end, level][1],
                            "churn_rate": _percent(*reversed(levels[month_end, level])),
                        }
                    )
                    for month_end in month_ends
                    for level in LEVEL_KEYS
                ],
                **self._figures(cells, compiled),
            }
        )

    def _aggregate(self, card, month_end, health_sql, churn_days, last):
        """The customers in scope as of ``month_end``, counted per combination of
        points: ``(points of each dimension in DIMENSION_KEYS order, score, churned at
        the month-end, churned within the horizon, customers, ids of those who churned
        within the horizon)``.

        Churned is the nightly run's churn condition (no interaction for the Settings
        delay and no open order or opportunity), on the inputs as of the month-end and
        as of the end of the horizon (see :meth:`_horizon_sql`); at the last month-end
        a customer marked lost (standard customer type) counts as churned too: no
        history of that field is kept, so earlier month-ends cannot know when it was
        set."""
        engine = self.env["crm.health.engine"]
        # The scoring CASE expressions look costly to the planner (see the engine).
        self.env.cr.execute("SET LOCAL jit = off")
        horizon_end = month_end + timedelta(days=self.horizon_days)
        points = SQL(", ").join(
            SQL("v.%s", SQL.identifier(f"{dimension}_points")) for dimension in DIMENSION_KEYS
        )
        # System read of the customers in scope (the caller's rights were checked by
        # action_run): only counts per combination of points leave this statement, and
        # the ids of churners, counted once whatever the month-end.
        self.env.cr.execute(
            SQL(
                """
            WITH scored AS MATERIALIZED %(scored)s,
                 later AS MATERIALIZED %(later)s,
                 judged AS (
                SELECT v.health_id, %(points)s, v.raw_score,
                       (v.last_day IS NOT NULL AND v.recency_days >= %(days)s
                        AND v.open_orders = 0) AS gone,
                       COALESCE(GREATEST(v.last_day, l.last_day) <= %(churned_before)s
                                AND COALESCE(l.open_orders, 0) = 0, FALSE)
                       OR %(lost)s AS churned
                  FROM scored v
                  JOIN res_partner p ON p.id = v.partner_id
                  LEFT JOIN later l ON l.health_id = v.health_id
            )
            SELECT %(columns)s, raw_score, gone, churned, count(*),
                   array_agg(health_id) FILTER (
                       WHERE churned AND NOT gone AND raw_score IS NOT NULL)
              FROM judged
             GROUP BY %(columns)s, raw_score, gone, churned
            """,
                scored=engine._score_as_of_sql(month_end, health_sql, card),
                later=self._horizon_sql(month_end, horizon_end, health_sql),
                points=points,
                days=churn_days,
                # no interaction for the delay at the horizon's end: the last one on or
                # before this day
                churned_before=horizon_end - timedelta(days=churn_days),
                lost=engine._lost_partner_sql("p") if last else SQL("FALSE"),
                columns=SQL(", ").join(
                    SQL.identifier(f"{dimension}_points") for dimension in DIMENSION_KEYS
                ),
            )
        )
        return [(tuple(row[:5]), *row[5:]) for row in self.env.cr.fetchall()]

    def _horizon_sql(self, month_end, horizon_end, health_sql):
        """Per health record of ``health_sql``, what the churn condition needs as of
        ``horizon_end`` besides the inputs as of ``month_end``: the last interaction
        dated after the month-end up to the horizon's end (the last one as of the
        horizon's end is the later of it and the month-end's), and the orders open at
        the horizon's end. The engine's definitions (``crm.interaction``,
        ``res.partner._crm_std_open_orders_sql``) as ``_raw_inputs_sql`` reads them,
        over the horizon's days only instead of the whole history."""
        Partner = self.env["res.partner"]
        until = horizon_end + timedelta(days=1)
        return SQL(
            """(
            WITH h AS (%(health)s
            ), touches AS (
                SELECT i.partner_id, max(i.date::date) AS last_day
                  FROM (%(interactions)s) i GROUP BY i.partner_id
            ), open_orders AS (
                SELECT o.partner_id, count(*) AS open FROM (%(open_orders)s) o
                 WHERE o.partner_id IN (SELECT partner_id FROM h) GROUP BY o.partner_id
            )
            SELECT h.health_id, t.last_day, COALESCE(oo.open, 0) AS open_orders
              FROM h
              LEFT JOIN touches t ON t.partner_id = h.partner_id
              LEFT JOIN open_orders oo ON oo.partner_id = h.partner_id
            )""",
            health=health_sql,
            interactions=self.env["crm.interaction"]._interactions_sql(
                partners=SQL("SELECT partner_id FROM h"),
                date_from=month_end + timedelta(days=1),
                date_to=until,
            ),
            open_orders=Partner._crm_std_open_orders_sql(
                as_of=horizon_end if horizon_end < fields.Date.today() else None
            ),
        )

    def _figures(self, cells, compiled):
        """The backtest's figures from the population counts per combination of points."""
        Scorecard = self.env["crm.health.scorecard"]
        by_score = defaultdict(lambda: [0, 0])
        by_level = {level: [0, 0] for level in LEVEL_KEYS}
        by_dimension = {dimension: defaultdict(lambda: [0, 0]) for dimension in DIMENSION_KEYS}
        for points, cell in cells.items():
            customers, churned = cell["n"], cell["c"]
            if not customers:
                continue
            by_score[cell["score"]][0] += churned
            by_score[cell["score"]][1] += customers - churned
            level = by_level[Scorecard._risk_for(compiled, cell["score"])]
            level[0] += customers
            level[1] += churned
            for dimension, value in zip(DIMENSION_KEYS, points, strict=True):
                if value is not None:
                    by_dimension[dimension][value][0] += churned
                    by_dimension[dimension][value][1] += customers - churned
        customers = sum(level[0] for level in by_level.values())
        churned = sum(level[1] for level in by_level.values())
        rates = {level: stats.rate(c, n) for level, (n, c) in by_level.items()}
        lift = stats.lift(rates["high"], rates["low"])
        score_auc = stats.auc({value: tuple(pair) for value, pair in by_score.items()})
        values = {
            "customer_count": customers,
            "churn_count": churned,
            "churn_rate": _percent(churned, customers),
            "lift": lift or 0.0,
            "auc": score_auc or 0.0,
            "flagged_high_share": _percent(by_level["high"][1], churned),
            "flagged_high_medium_share": _percent(
                by_level["high"][1] + by_level["medium"][1], churned
            ),
            "dimension_ids": [fields.Command.clear()]
            + [
                fields.Command.create(
                    {
                        "dimension": dimension,
                        "weight": compiled["weights"][dimension],
                        "customers": sum(sum(pair) for pair in by_dimension[dimension].values()),
                        "auc": stats.auc(
                            {value: tuple(pair) for value, pair in by_dimension[dimension].items()}
                        )
                        or 0.0,
                    }
                )
                for dimension in DIMENSION_KEYS
            ],
        }
        for level, (level_customers, level_churned) in by_level.items():
            values[f"{level}_customers"] = level_customers
            values[f"{level}_churned"] = level_churned
            values[f"{level}_rate"] = _percent(level_churned, level_customers)
        return values

    # ------------------------------------------------------------------
    # Display
    # ------------------------------------------------------------------
    def _level_labels(self):
        return {
            "high": self.env._("High risk"),
            "medium": self.env._("Medium risk"),
            "low": self.env._("Low risk"),
            "insufficient_data": self.env._("Insufficient data"),
        }

    @api.depends(
        "state",
        "customer_count",
        "churn_count",
        *(f"{level}_{name}" for level in LEVEL_KEYS for name in ("customers", "churned", "rate")),
    )
    def _compute_results_html(self):
        for backtest in self:
            backtest.results_html = backtest.state == "done" and backtest._levels_table()

    def _levels_table(self):
        """Customers, churned and churn rate per risk level, and all levels together."""
        self.ensure_one()
        labels = self._level_labels()
        rows = [
            (labels[level], self[f"{level}_customers"], self[f"{level}_churned"])
            for level in LEVEL_KEYS
        ]
        rows.append((self.env._("All risk levels"), self.customer_count, self.churn_count))
        body = Markup("").join(
            Markup(
                "<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s</td></tr>"
            )
            % (label, customers, churned, _percent_text(churned, customers))
            for label, customers, churned in rows
        )
        head = Markup(
            "<thead><tr><th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th></tr></thead>"
        ) % (
            self.env._("Risk level at the month-end"),
            self.env._("Customers"),
            self.env._("Churned within the horizon"),
            self.env._("Churn rate"),
        )
        return Markup(
            '<table class="table table-sm o_crm_health_backtest_levels">%s<tbody>%s</tbody></table>'
        ) % (head, body)

    def action_open_graph(self):
        """The churn rate per risk level, month by month (graph of the lines)."""
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_health_score.action_crm_health_backtest_line"
        )
        action["domain"] = [("backtest_id", "=", self.id)]
        action["name"] = self.display_name
        return action


def _percent(part, whole):
    """``part`` as a percentage of ``whole`` (0 when ``whole`` is 0)."""
    return 100.0 * part / whole if whole else 0.0


def _percent_text(part, whole):
    return f"{100.0 * part / whole:.1f} %" if whole else "–"


def _cell_order(item):
    """Cells in a stable order (no data first): the same run stores the same list."""
    points, _cell = item
    return tuple(-1 if value is None else value for value in points)

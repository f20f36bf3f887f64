# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_list

from .crm_health_band import DIMENSIONS, NEEDS_MATCH_LEVELS
from .crm_health_scorecard import HEALTH_RISK_LEVELS, RISK_LEVELS

STATES = [
    ("scored", "Scored"),
    ("insufficient_data", "Insufficient Data"),
    ("frozen", "Frozen"),
]
# Kanban colour index per risk level (Odoo palette: 1 red, 2 orange, 10 green).
RISK_COLORS = {"high": 1, "medium": 2, "low": 10}
# A run on demand is done at once below this many customers, in the background above.
SYNC_RECOMPUTE_LIMIT = 2000
RUN_PARAM = "crm_health_score.run_started_at"


def shown_score(
    state,
    computed_score,
    computed_risk_level,
    override_active,
    override_score,
    override_risk_level,
    risk_for,
):
    """The score and risk level shown of a health record: ``(score, risk level)``.
    The one definition of the manual override, used by ``_compute_score`` and by the
    recompute engine on the rows it read (``crm.health.engine._recompute_stored_fields``).

    :param risk_for: callable giving the risk level of an override score without a
        risk level of its own (the scorecard's bands)
    """
    if override_active:
        return override_score, override_risk_level or risk_for(override_score)
    if state == "insufficient_data":
        # no score at all (not 0): averages skip these customers
        return False, "insufficient_data"
    return computed_score, computed_risk_level


class CrmHealthScore(models.Model):
    """The current health of one commercial customer (seed template 4), explained
    dimension by dimension: raw value, points (0-100) and weight."""

    _name = "crm.health.score"
    _description = "Customer Health Score"
    _inherit = ["mail.thread", "crm.protected.fields.mixin", "crm.health.risk.mixin"]  # noqa: RUF012
    _order = "score, id"
    _rec_name = "partner_id"
    # Rewritten every night: few indexes (the unique customer, the record-rule
    # users) keep the nightly UPDATE cheap.
    # Everything but the manual override is computed by the engine: the Python-readonly
    # columns and the stored computed score are protected by the mixin; the related
    # customer-success manager would write through to the customer.
    _protected_fields = frozenset({"customer_success_user_id", "override_user_id"})
    _risk_level_fields = ("risk_level", "computed_risk_level", "override_risk_level")

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company",
        readonly=True,
        help="The customer's company, else the company of its latest opportunity; empty "
        "for a customer shared by every company without opportunity: the record is then "
        "shared too.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        readonly=True,
        index=True,
        help="The customer's salesperson, else the salesperson of its latest opportunity.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    customer_success_user_id = fields.Many2one(
        related="partner_id.customer_success_user_id", store=True, index=True
    )
    scorecard_id = fields.Many2one("crm.health.scorecard", readonly=True)
    state = fields.Selection(STATES, required=True, default="insufficient_data", readonly=True)
    score = fields.Integer(
        compute="_compute_score",
        store=True,
        aggregator="avg",
        help="Health score from 0 (about to leave) to 100 (thriving); a manual override "
        "replaces the computed score until it expires.",
    )
    risk_level = fields.Selection(
        HEALTH_RISK_LEVELS,
        compute="_compute_score",
        store=True,
        group_expand="_expand_risk_levels",
        help="Risk level of the score: of the manual override while one applies.",
    )
    computed_score = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Score computed from the customer's data; the trend and the history follow it, "
        "whatever the manual override.",
    )
    computed_risk_level = fields.Selection(HEALTH_RISK_LEVELS, readonly=True)
    color = fields.Integer(compute="_compute_color")
    trend = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Change of the computed score since the previous period's snapshot (a manual "
        "override does not count).",
    )
    previous_score = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Computed score of the previous period's snapshot.",
    )
    computed_on = fields.Datetime(readonly=True)
    churn_risk = fields.Boolean(
        readonly=True,
        help="No interaction for the churn warning delay (Settings) and no open order "
        "or opportunity.",
    )
    churn_since = fields.Date(readonly=True)
    churn_activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
    # Held back by the daily cap of new activities per assignee (crm_health_activity_queue.py)
    intervention_pending = fields.Boolean(
        string="Waiting for an Activity Slot",
        readonly=True,
        help="A churn To-Do or an intervention activity of this customer waits: its "
        "assignee reached the daily cap of new health activities (Settings). The next "
        "days' recomputes schedule it, before the newer ones, highest risk then revenue "
        "first.",
    )
    pending_since = fields.Date(string="Waiting Since", readonly=True)
    churn_activity_pending = fields.Boolean(string="Churn To-Do Waiting", readonly=True)
    pending_rule_ids = fields.Many2many(
        "crm.health.intervention.rule",
        "crm_health_score_pending_rule_rel",
        "health_id",
        "rule_id",
        string="Interventions Waiting for a Slot",
        readonly=True,
    )
    intervention_rule_ids = fields.Many2many(
        "crm.health.intervention.rule",
        "crm_health_score_rule_rel",
        "health_id",
        "rule_id",
        string="Matching Interventions",
        readonly=True,
    )
    intervention = fields.Text(string="Intervention Suggestion", compute="_compute_intervention")

    # Dimension: days since last interaction
    last_interaction_date = fields.Date(readonly=True)
    recency_days = fields.Integer(string="Days Since Last Interaction", readonly=True)
    recency_points = fields.Integer(readonly=True, aggregator="avg")
    recency_weight = fields.Float(readonly=True, digits=(5, 1))
    # Dimension: interactions per month over the last 3 months
    interaction_count = fields.Integer(string="Interactions (last 3 months)", readonly=True)
    frequency_value = fields.Float(string="Interactions per Month", readonly=True, digits=(6, 2))
    frequency_points = fields.Integer(readonly=True, aggregator="avg")
    frequency_weight = fields.Float(readonly=True, digits=(5, 1))
    # Dimension: orders in the last 3 months
    order_count = fields.Integer(string="Orders (last 3 months)", readonly=True)
    open_order_count = fields.Integer(string="Open Orders / Opportunities", readonly=True)
    order_points = fields.Integer(readonly=True, aggregator="avg")
    order_weight = fields.Float(readonly=True, digits=(5, 1))
    # Dimension: complaints in the last 6 months
    complaint_count = fields.Integer(string="Complaints (last 6 months)", readonly=True)
    complaint_open_count = fields.Integer(string="Unresolved Complaints", readonly=True)
    complaint_value = fields.Float(
        string="Weighted Complaints",
        readonly=True,
        digits=(6, 1),
        help="Complaints of the last 6 months, unresolved ones counted several times "
        "(see the scorecard).",
    )
    complaint_points = fields.Integer(readonly=True, aggregator="avg")
    complaint_weight = fields.Float(readonly=True, digits=(5, 1))
    # Dimension: needs match, set by sales on the customer
    needs_match = fields.Selection(NEEDS_MATCH_LEVELS, readonly=True)
    needs_points = fields.Integer(readonly=True, aggregator="avg")
    needs_weight = fields.Float(readonly=True, digits=(5, 1))
    missing_data = fields.Char(
        compute="_compute_missing_data",
        help="Dimensions left out of the score because their data is missing.",
    )
    change_summary = fields.Html(
        string="What Changed", compute="_compute_change_summary", sanitize=False
    )

    # Manual override, audited in the chatter
    override_active = fields.Boolean(string="Manual Override", tracking=True)
    override_score = fields.Integer(tracking=True)
    override_risk_level = fields.Selection(
        RISK_LEVELS,
        tracking=True,
        help="Leave empty to derive the risk level from the override score.",
    )
    override_reason = fields.Text(tracking=True)
    override_expiry = fields.Date(string="Override Until", tracking=True)
    override_user_id = fields.Many2one("res.users", string="Overridden By", readonly=True)

    snapshot_ids = fields.One2many("crm.health.snapshot", "health_id", string="History")

    _partner_unique = models.Constraint(
        "UNIQUE(partner_id)", "A customer has one current health record."
    )
    # The few records waiting for an activity slot (search filter, daily grant).
    _intervention_pending_idx = models.Index("(id) WHERE intervention_pending")
    _override_score_range = models.Constraint(
        "CHECK(override_score >= 0 AND override_score <= 100)",
        "The override score must be between 0 and 100.",
    )

    def _auto_init(self):
        result = super()._auto_init()
        # Half-empty pages let the nightly UPDATE of every record stay on its page
        # (PostgreSQL HOT updates): several times faster than moving each row.
        # Schema setting at install/update, reads nothing.
        self.env.cr.execute("ALTER TABLE crm_health_score SET (fillfactor = 50)")
        return result

    @api.depends(
        "state",
        "computed_score",
        "computed_risk_level",
        "override_active",
        "override_score",
        "override_risk_level",
    )
    def _compute_score(self):
        for record in self:
            record.score, record.risk_level = shown_score(
                record.state,
                record.computed_score,
                record.computed_risk_level,
                record.override_active,
                record.override_score,
                record.override_risk_level,
                record._risk_for,
            )

    def _risk_for(self, score):
        card = self.scorecard_id or self.env["crm.health.scorecard"]._for_companies(
            [self.company_id.id]
        ).get(self.company_id.id)
        if not card:
            return False
        return card._risk_for(card._compile(), score)

    @api.depends("risk_level")
    def _compute_color(self):
        for record in self:
            record.color = RISK_COLORS.get(record.risk_level, 0)

    @api.depends("intervention_rule_ids")
    def _compute_intervention(self):
        for record in self:
            record.intervention = "\n".join(
                rule.suggestion or rule.name for rule in record.intervention_rule_ids
            )

    @api.depends("last_interaction_date", "needs_match", "state")
    @api.depends_context("lang")
    def _compute_missing_data(self):
        labels = dict(
            self.env["crm.health.band"]._fields["dimension"]._description_selection(self.env)
        )
        for record in self:
            missing = []
            if record.state != "frozen" and record.computed_on:
                if not record.last_interaction_date:
                    missing += [labels["recency"], labels["frequency"]]
                if not record.needs_match:
                    missing.append(labels["needs"])
            # "A, B and C" in the user's language (顿号 in Chinese)
            record.missing_data = format_list(self.env, missing) if missing else False

    @api.depends(
        "snapshot_ids",
        "computed_score",
        "recency_points",
        "frequency_points",
        "order_points",
        "complaint_points",
        "needs_points",
    )
    @api.depends_context("lang")
    def _compute_change_summary(self):
        """The dimensions that moved the computed score most since the previous period
        (the snapshots hold the computed score and its points, not a manual override)."""
        labels = dict(
            self.env["crm.health.band"]._fields["dimension"]._description_selection(self.env)
        )
        for record in self:
            previous = record._previous_snapshot()
            if not previous:
                record.change_summary = False
                continue
            moves = []
            for dimension, _label in DIMENSIONS:
                prefix = {"orders": "order", "complaints": "complaint"}.get(dimension, dimension)
                before, after = previous[f"{prefix}_points"], record[f"{prefix}_points"]
                weight = record[f"{prefix}_weight"]
                impact = (after - before) * weight / 100.0
                if after != before:
                    moves.append((abs(impact), labels[dimension], before, after, impact))
            moves.sort(reverse=True)
            items = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(dimension)s: %(before)s → %(after)s points (%(impact)s)",
                    dimension=label,
                    before=before,
                    after=after,
                    impact=f"{impact:+.1f}",
                )
                for _abs, label, before, after, impact in moves[:3]
            )
            record.change_summary = (
                Markup("<p>%s</p><ul>%s</ul>")
                % (
                    self.env._(
                        "Since %(period)s, computed score %(before)s → %(after)s:",
                        period=previous.period_start,
                        before=previous.score if previous.state != "insufficient_data" else "-",
                        after=record.computed_score if record.state != "insufficient_data" else "-",
                    ),
                    items,
                )
                if moves
                else Markup("<p>%s</p>")
                % self.env._("No dimension moved since the previous period.")
            )

    def _previous_snapshot(self):
        self.ensure_one()
        current = self.env["crm.health.snapshot"]._period_start(
            (self.computed_on or fields.Datetime.now()).date()
        )
        return self.snapshot_ids.filtered(lambda s: s.period_start < current).sorted(
            "period_start", reverse=True
        )[:1]

    # ------------------------------------------------------------------
    # Manual override
    # ------------------------------------------------------------------
    @api.onchange("override_active")
    def _onchange_override_active(self):
        if self.override_active and not self.override_expiry:
            self.override_score = self.computed_score
            self.override_expiry = fields.Date.context_today(self) + timedelta(days=30)

    @api.constrains("override_active", "override_reason", "override_expiry")
    def _check_override(self):
        today = fields.Date.context_today(self)
        for record in self.filtered("override_active"):
            if not (record.override_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give a reason for overriding the health score of %s.",
                        record.partner_id.display_name,
                    )
                )
            if not record.override_expiry or record.override_expiry < today:
                raise ValidationError(
                    self.env._(
                        "The override of %s needs an expiry date from today on: the "
                        "computed score comes back after it.",
                        record.partner_id.display_name,
                    )
                )

    def write(self, vals):
        result = super().write(vals)  # the mixin refuses every computed column
        if "override_active" in vals or "override_score" in vals:
            # Flow value: who overrode, after the caller's write above passed the
            # access rights and record rules of these records.
            super(CrmHealthScore, self.sudo()).write(
                {"override_user_id": self.env.uid if vals.get("override_active", True) else False}
            )
        return result

    # ------------------------------------------------------------------
    # Recompute: scheduled and on demand
    # ------------------------------------------------------------------
    @api.model
    def _cron_recompute(self):
        """Nightly recompute, in committed batches; resumes an unfinished run.

        A run rescores every record not computed since the previous complete run
        ended: the scheduler's ``lastcall``, which it moves only when a run is
        complete, so a run cut short (time limit, crash, restart) resumes with the
        records it has not done yet. The first run scores the records never scored.
        The scheduled run stores no state of its own: a configuration parameter
        written twice a run would clear the caches of every worker each time. Only a
        full run asked for by a process administrator (``action_recompute_all``) is
        kept in ``RUN_PARAM`` until it is complete."""
        # Scheduled action (private): run-state parameter only.
        params = self.env["ir.config_parameter"].sudo()
        requested = params.get_param(RUN_PARAM)
        if requested:
            run_start = fields.Datetime.to_datetime(requested)
        else:
            # No complete run yet: the records never scored (computed_on is empty).
            run_start = self.env.context.get("lastcall") or datetime.min
        if self.env["crm.health.engine"]._run(run_start, commit=True) and requested:
            params.set_param(RUN_PARAM, False)

    @api.model
    def _check_recompute_rights(self, every_customer=False):
        """Recompute on demand: sales managers (and the roles above them) for every
        customer they may read, customer-success managers for the customers they
        select. A button's ``groups`` only hide it: this refuses the call over RPC."""
        if self.env.su:
            return
        user = self.env.user
        if user.has_group("sales_team.group_sale_manager") or (
            not every_customer and user.has_group("crm_process_std_base.group_customer_success")
        ):
            return
        if every_customer:
            raise AccessError(
                self.env._("Only sales managers can recompute the health of every customer.")
            )
        raise AccessError(
            self.env._(
                "Only sales managers and customer-success managers can recompute health scores."
            )
        )

    def action_recompute_all(self):
        """Recompute now every customer the caller may read ("All": the list's
        selection, passed by the header button, is ignored). Sales managers. Beyond
        ``SYNC_RECOMPUTE_LIMIT`` customers only a process administrator may start the
        nightly recompute in the background (it rescores every company's customers)."""
        self._check_recompute_rights(every_customer=True)
        # System data: the missing records of the customers of the caller's allowed
        # companies and of shared customers, each in the customer's own company (the
        # rights were checked above; nothing is read back but through the rules).
        self.env["crm.health.engine"].sudo()._sync_scope(company_ids=self.env.companies.ids)
        records = self.search([("state", "!=", "frozen")])  # the caller's record rules
        if len(records) <= SYNC_RECOMPUTE_LIMIT:
            records._recompute_now(sync=False)
            return {"type": "ir.actions.client", "tag": "soft_reload"}
        if not (self.env.su or self.env.user.has_group("crm_process_std_base.group_process_admin")):
            raise UserError(
                self.env._(
                    "%(count)s customers are too many to recompute now: the nightly "
                    "recompute refreshes them, or a process administrator can start it "
                    "in the background.",
                    count=len(records),
                )
            )
        # Process administrators only (checked above): the scheduled action, run now.
        self.env["ir.config_parameter"].sudo().set_param(
            RUN_PARAM, fields.Datetime.to_string(fields.Datetime.now())
        )
        self.env.ref("crm_health_score.ir_cron_crm_health_recompute").sudo()._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._("The health scores are being recomputed in the background."),
            },
        }

    def action_recompute(self):
        """Recompute the selected customers now (sales managers, customer success)."""
        self._check_recompute_rights()
        self.check_access("read")
        self._recompute_now()
        return True

    def _recompute_now(self, sync=True):
        """Recompute these records, whose access the caller's flow checked."""
        engine = self.env["crm.health.engine"].sudo()
        if sync:
            # Records the caller may read (checked by the callers of this method).
            engine._sync_scope(self.partner_id.ids)
            self.invalidate_recordset()
        # System recompute of the records read above through the caller's rules.
        engine._recompute(self.filtered(lambda r: r.state != "frozen").ids)

    def action_open_trend(self):
        """The customer's score history (the snapshots' own record rules apply)."""
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_health_score.action_crm_health_snapshot"
        )
        action["domain"] = [("health_id", "=", self.id)]
        action["context"] = {"graph_mode": "line"}
        return action

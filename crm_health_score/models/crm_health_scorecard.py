# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .crm_health_band import BANDS_CHECKED_BY_SCORECARD, DIMENSIONS, SCORECARD_CHECK_TOKEN

RISK_LEVELS = [("high", "High"), ("medium", "Medium"), ("low", "Low")]
# The risk level of a health record: a customer without enough data to be scored has
# a level of its own, last in severity order (the order of this list).
HEALTH_RISK_LEVELS = [*RISK_LEVELS, ("insufficient_data", "Insufficient Data")]
WEIGHT_FIELDS = {dimension: f"weight_{dimension}" for dimension, _label in DIMENSIONS}


def round_half_up(value):
    """Round a non-negative score the way people do (84.5 -> 85)."""
    return int(value + 0.5)


class CrmHealthScorecard(models.Model):
    """How raw customer data turns into a 0-100 health score and a risk level:
    weights per dimension, scoring bands and risk thresholds."""

    _name = "crm.health.scorecard"
    _description = "Health Scorecard"
    _inherit = "mail.thread"
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
        help="Leave empty to use this scorecard for every company without one of its own.",
    )
    weight_recency = fields.Integer(
        string="Weight: Last Interaction", default=25, tracking=True, help="Weight in %."
    )
    weight_frequency = fields.Integer(
        string="Weight: Interaction Frequency", default=20, tracking=True, help="Weight in %."
    )
    weight_orders = fields.Integer(
        string="Weight: Orders", default=20, tracking=True, help="Weight in %."
    )
    weight_complaints = fields.Integer(
        string="Weight: Complaints", default=15, tracking=True, help="Weight in %."
    )
    weight_needs = fields.Integer(
        string="Weight: Needs Match", default=20, tracking=True, help="Weight in %."
    )
    weight_total = fields.Integer(compute="_compute_weight_total")
    band_ids = fields.One2many("crm.health.band", "scorecard_id", string="Scoring Bands", copy=True)
    low_risk_threshold = fields.Integer(
        string="Low Risk From",
        default=90,
        tracking=True,
        help="Scores from this value up are low risk.",
    )
    medium_risk_threshold = fields.Integer(
        string="Medium Risk From",
        default=60,
        tracking=True,
        help="Scores from this value up to the low-risk threshold are medium risk; "
        "lower scores are high risk.",
    )
    complaint_unresolved_factor = fields.Float(
        string="Unresolved Complaint Counts As",
        default=2.0,
        tracking=True,
        help="A complaint that is not resolved counts this many times in the "
        "complaints dimension; a resolved one counts once.",
    )
    min_data_weight = fields.Integer(
        string="Minimum Data Weight (%)",
        default=60,
        tracking=True,
        help="A customer is scored only when the dimensions with data carry at least "
        "this share of the weight; otherwise it shows 'insufficient data'. The "
        "dimensions without data are left out and the others re-weighted.",
    )
    preview_html = fields.Html(
        string="Risk Distribution Preview",
        compute="_compute_preview_html",
        sanitize=False,
        # Counts over the customers of the allowed companies, one scoring query per
        # read: for the process administrators who edit scorecards only.
        groups="crm_process_std_base.group_process_admin",
        help="How the current customers of your companies would be spread over the risk "
        "levels with the values on screen, before you save them.",
    )

    # Bands saved through the scorecard are checked once, by _check_configuration,
    # after all of them changed (not one by one, through intermediate states).
    @api.model_create_multi
    def create(self, vals_list):
        own_check = self.with_context(**{BANDS_CHECKED_BY_SCORECARD: SCORECARD_CHECK_TOKEN})
        return super(CrmHealthScorecard, own_check).create(vals_list).with_env(self.env)

    def write(self, vals):
        own_check = self.with_context(**{BANDS_CHECKED_BY_SCORECARD: SCORECARD_CHECK_TOKEN})
        return super(CrmHealthScorecard, own_check).write(vals)

    @api.depends(*WEIGHT_FIELDS.values())
    def _compute_weight_total(self):
        for card in self:
            card.weight_total = sum(card[name] for name in WEIGHT_FIELDS.values())

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
    @api.constrains(
        *WEIGHT_FIELDS.values(),
        "band_ids",
        "low_risk_threshold",
        "medium_risk_threshold",
        "complaint_unresolved_factor",
        "min_data_weight",
    )
    def _check_configuration(self):
        for card in self:
            errors = card._configuration_errors()
            if errors:
                raise ValidationError("\n".join(errors))

    @api.constrains("active", "company_id")
    def _check_one_active_per_company(self):
        for card in self.filtered("active"):
            # active ones, whatever the context (the scorecards' list shows archived)
            others = self.search(
                [
                    ("id", "!=", card.id),
                    ("company_id", "=", card.company_id.id),
                    ("active", "=", True),
                ],
                limit=1,
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "Only one scorecard may be active for %(company)s: archive "
                        "%(other)s before activating %(card)s.",
                        company=card.company_id.display_name or self.env._("all companies"),
                        other=others.display_name,
                        card=card.display_name,
                    )
                )

    def _dimension_labels(self):
        return dict(
            self.env["crm.health.band"]._fields["dimension"]._description_selection(self.env)
        )

    def _configuration_errors(self):
        """Every problem of this scorecard as a user-readable sentence."""
        self.ensure_one()
        name = self.name or self.env._("New scorecard")
        labels = self._dimension_labels()
        errors = []
        for dimension, field_name in WEIGHT_FIELDS.items():
            if not 0 <= self[field_name] <= 100:
                errors.append(
                    self.env._(
                        "Scorecard %(name)s: the weight of %(dimension)s must be between "
                        "0 and 100, not %(weight)s.",
                        name=name,
                        dimension=labels[dimension],
                        weight=self[field_name],
                    )
                )
        if self.weight_total != 100:
            errors.append(
                self.env._(
                    "Scorecard %(name)s: the weights add up to %(total)s %%, they must "
                    "add up to 100 %%.",
                    name=name,
                    total=self.weight_total,
                )
            )
        for dimension in WEIGHT_FIELDS:
            errors += self._band_errors(dimension, name, labels[dimension])
        if not 0 < self.medium_risk_threshold < self.low_risk_threshold <= 100:
            errors.append(
                self.env._(
                    "Scorecard %(name)s: the risk thresholds must be in order, "
                    "0 < medium risk from (%(medium)s) < low risk from (%(low)s) <= 100.",
                    name=name,
                    medium=self.medium_risk_threshold,
                    low=self.low_risk_threshold,
                )
            )
        if self.complaint_unresolved_factor < 1:
            errors.append(
                self.env._(
                    "Scorecard %(name)s: an unresolved complaint must count at least "
                    "once, not %(factor)s times.",
                    name=name,
                    factor=self.complaint_unresolved_factor,
                )
            )
        if not 1 <= self.min_data_weight <= 100:
            errors.append(
                self.env._(
                    "Scorecard %(name)s: the minimum data weight must be between 1 and "
                    "100 %%, not %(value)s.",
                    name=name,
                    value=self.min_data_weight,
                )
            )
        return errors

    def _band_errors(self, dimension, name, label):
        bands = self.band_ids.filtered(lambda b: b.dimension == dimension).sorted("value_from")
        if not bands:
            if self[WEIGHT_FIELDS[dimension]]:
                return [
                    self.env._(
                        "Scorecard %(name)s: %(dimension)s has a weight but no scoring band.",
                        name=name,
                        dimension=label,
                    )
                ]
            return []
        errors = []
        if bands[0].value_from != 0:
            errors.append(
                self.env._(
                    "Scorecard %(name)s: the bands of %(dimension)s must start at 0, "
                    "not at %(start)s.",
                    name=name,
                    dimension=label,
                    start=f"{bands[0].value_from:g}",
                )
            )
        for previous, band in pairwise(bands):
            end = previous.value_to or float("inf")
            if end > band.value_from:
                overlap_end = min(end, band.value_to or float("inf"))
                errors.append(
                    self.env._(
                        "Scorecard %(name)s: the bands of %(dimension)s overlap between "
                        "%(start)s and %(end)s.",
                        name=name,
                        dimension=label,
                        start=f"{band.value_from:g}",
                        end=f"{overlap_end:g}" if overlap_end != float("inf") else "∞",
                    )
                )
            elif end < band.value_from:
                errors.append(
                    self.env._(
                        "Scorecard %(name)s: the bands of %(dimension)s leave a gap "
                        "between %(start)s and %(end)s.",
                        name=name,
                        dimension=label,
                        start=f"{end:g}",
                        end=f"{band.value_from:g}",
                    )
                )
        if bands[-1].value_to:
            errors.append(
                self.env._(
                    "Scorecard %(name)s: the bands of %(dimension)s stop at %(end)s; leave "
                    "'To' at 0 on the last band so that higher values are scored too.",
                    name=name,
                    dimension=label,
                    end=f"{bands[-1].value_to:g}",
                )
            )
        return errors

    # ------------------------------------------------------------------
    # Scoring
    # ------------------------------------------------------------------
    @api.model
    def _for_companies(self, company_ids):
        """Map each company id to its active scorecard (its own, else the shared one)."""
        # Configuration read by the engine and the risk of an override, whatever the
        # caller's companies (a scorecard holds no customer data).
        # Active ones only, whatever the caller's context (the scorecards' list shows
        # archived ones).
        cards = (
            self.sudo()
            .with_context(active_test=True)
            .search([("company_id", "in", [*company_ids, False])])
        )
        shared = cards.filtered(lambda c: not c.company_id)[:1]
        result = {}
        for company_id in company_ids:
            own = cards.filtered(lambda c, cid=company_id: c.company_id.id == cid)[:1]
            result[company_id] = own or shared
        return result

    def _compile(self):
        """The scorecard as plain Python data, read once per run (or per preview)."""
        self.ensure_one()
        bands = {}
        for dimension, _label in DIMENSIONS:
            lines = self.band_ids.filtered(lambda b, d=dimension: b.dimension == d).sorted(
                "value_from"
            )
            bands[dimension] = ([b.value_from for b in lines], [b.points for b in lines])
        return {
            "id": self.id,
            "weights": {d: self[f] for d, f in WEIGHT_FIELDS.items()},
            "bands": bands,
            "low": self.low_risk_threshold,
            "medium": self.medium_risk_threshold,
            "factor": self.complaint_unresolved_factor,
            "min_weight": self.min_data_weight,
        }

    @staticmethod
    def _risk_for(compiled, score):
        if score >= compiled["low"]:
            return "low"
        if score >= compiled["medium"]:
            return "medium"
        return "high"

    @staticmethod
    def _risk_sql(compiled, score):
        return SQL(
            "CASE WHEN %(s)s >= %(low)s THEN 'low' WHEN %(s)s >= %(medium)s THEN 'medium' "
            "WHEN %(s)s IS NOT NULL THEN 'high' END",
            s=score,
            low=compiled["low"],
            medium=compiled["medium"],
        )

    @staticmethod
    def _points_sql(compiled, dimension, raw):
        """CASE expression giving the band points of ``raw`` (NULL when missing)."""
        starts, points = compiled["bands"][dimension]
        if not starts:
            return SQL("NULL::int")
        cases = SQL(" ").join(
            SQL("WHEN %s >= %s THEN %s", raw, start, value)
            for start, value in reversed(list(zip(starts, points, strict=True)))
        )
        return SQL("CASE WHEN %s IS NULL THEN NULL::int %s ELSE %s END", raw, cases, points[0])

    @classmethod
    def _scoring_sql(cls, compiled, source):
        """A SELECT scoring every row of ``source`` with a compiled scorecard.

        ``source`` must hold the raw inputs: ``last_day``, ``recency_days``,
        ``recent`` (interactions in 3 months), ``orders``, ``complaints``,
        ``unresolved``, ``needs_match`` and the override columns. The result adds
        each dimension's points and effective weight (dimensions without data are
        left out and the others re-weighted to 100), ``raw_score`` (NULL with too
        little data), ``risk``, ``state``, and ``final_score`` / ``final_risk``
        (NULL without data or override, so that averages skip these customers)
        once a manual override is applied.
        """
        weights = compiled["weights"]
        raw = {
            "recency": SQL("CASE WHEN src.last_day IS NOT NULL THEN src.recency_days END"),
            "frequency": SQL(
                "CASE WHEN src.last_day IS NOT NULL THEN round(src.recent / 3.0, 2) END"
            ),
            "orders": SQL("src.orders"),
            "complaints": SQL(
                "(src.complaints - src.unresolved) + src.unresolved * %s::numeric",
                compiled["factor"],
            ),
            "needs": SQL(
                "CASE src.needs_match WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 END"
            ),
        }
        points = SQL(", ").join(
            SQL("%s AS %s", cls._points_sql(compiled, d, raw[d]), SQL.identifier(f"{d}_points"))
            for d in weights
        )
        present = SQL(" + ").join(
            SQL("CASE WHEN %s IS NULL THEN 0 ELSE %s END", SQL.identifier(f"{d}_points"), w)
            for d, w in weights.items()
        )
        weighted = SQL(" + ").join(
            SQL("COALESCE(%s * %s, 0)", SQL.identifier(f"{d}_points"), w)
            for d, w in weights.items()
        )
        effective = SQL(", ").join(
            SQL(
                "CASE WHEN present_weight > 0 AND %s IS NOT NULL "
                "THEN %s * 100.0 / present_weight ELSE 0 END AS %s",
                SQL.identifier(f"{d}_points"),
                w,
                SQL.identifier(f"{d}_weight"),
            )
            for d, w in weights.items()
        )
        # Each step is a lateral subquery of one row kept apart (OFFSET 0), so that
        # each band lookup runs once per row instead of once per reference, without
        # copying every row at each step (100 000 rows: 0.44 s -> 0.31 s).
        return SQL(
            """(
            SELECT src.*, raw.*, weighted.*, scored.*, final.*
              FROM %(source)s AS src
             CROSS JOIN LATERAL (
                 SELECT %(frequency)s AS frequency, %(complaints)s AS complaint_value,
                        %(points)s
                 OFFSET 0) AS raw
             CROSS JOIN LATERAL (
                 SELECT %(present)s AS present_weight, %(weighted)s AS weighted_points
                 OFFSET 0) AS weighted
             CROSS JOIN LATERAL (
                 SELECT CASE WHEN present_weight > 0 AND present_weight >= %(min_weight)s
                             THEN floor(weighted_points::numeric / present_weight + 0.5)::int
                        END AS raw_score,
                        %(effective)s
                 OFFSET 0) AS scored
             CROSS JOIN LATERAL (
                 SELECT CASE WHEN raw_score IS NULL THEN 'insufficient_data' ELSE 'scored' END
                            AS state,
                        %(risk)s AS risk,
                        CASE WHEN src.override_active THEN src.override_score ELSE raw_score END
                            AS final_score,
                        CASE WHEN src.override_active
                             THEN COALESCE(src.override_risk_level, %(override_risk)s)
                             ELSE %(risk)s END AS final_risk
                 OFFSET 0) AS final
            )""",
            frequency=raw["frequency"],
            complaints=raw["complaints"],
            points=points,
            source=source,
            present=present,
            weighted=weighted,
            min_weight=compiled["min_weight"],
            effective=effective,
            risk=cls._risk_sql(compiled, SQL("raw_score")),
            override_risk=cls._risk_sql(compiled, SQL("src.override_score")),
        )

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.i18n import format_list

from .crm_kpi import KPI_UNITS

COMPARISONS = [(">=", "At least (>=)"), ("<=", "At most (<=)")]
# A target without a threshold of its own flags its KPI when the value is this far on
# the wrong side of the target: below 80 % of an "at least" target, above twice an
# "at most" one (the seed's own thresholds are a similar distance: completeness 60 for
# 90, churn 10 for 5).
DEFAULT_ATTENTION_FACTORS = {">=": 0.8, "<=": 2.0}


class CrmKpiTarget(models.Model):
    """The level a process KPI should reach (seed 003 step 2: SMART targets)."""

    _name = "crm.kpi.target"
    _description = "Process KPI Target"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    kpi_code = fields.Selection(selection="_selection_kpi_code", string="KPI", required=True)
    name = fields.Char(compute="_compute_from_kpi", store=True)
    unit = fields.Selection(KPI_UNITS, compute="_compute_from_kpi", store=True)
    comparison = fields.Selection(COMPARISONS, required=True, default=">=")
    target_value = fields.Float(string="Target", required=True, digits=(16, 2))
    flag_attention = fields.Boolean(
        string="Own Attention Threshold",
        help="Set the attention threshold yourself. Otherwise it follows the target: "
        "the diagnosis flags a KPI below 80 % of an at-least target, or above twice an "
        "at-most target.",
    )
    attention_value = fields.Float(
        string="Attention Below / Above",
        digits=(16, 2),
        help="E.g. completeness below 60 %, timeliness below 80 %, churn above 10 % "
        "need attention (seed 003 step 1).",
    )
    attention_threshold = fields.Float(
        compute="_compute_attention_threshold",
        digits=(16, 2),
        help="The diagnosis flags the KPI when its value is worse than this threshold: "
        "your own, or derived from the target.",
    )
    date_deadline = fields.Date(
        string="Achieve By", help="Date by which the target should be met (time-bound target)."
    )
    note = fields.Text(string="Notes")
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty for a target shared by every company; a company's own "
        "target for the same KPI takes precedence.",
    )
    active = fields.Boolean(default=True)
    last_value = fields.Float(string="Last Measured", compute="_compute_last_value", digits=(16, 2))
    last_period = fields.Char(string="Measured Period", compute="_compute_last_value")
    last_on_target = fields.Boolean(string="On Target", compute="_compute_last_value")
    has_measure = fields.Boolean(compute="_compute_last_value")

    _kpi_company_unique = models.Constraint(
        "UNIQUE NULLS NOT DISTINCT (kpi_code, company_id)",
        "A KPI can have only one target per company.",
    )

    def _selection_kpi_code(self):
        return self.env["crm.kpi"]._kpi_selection()

    @api.depends("kpi_code")
    def _compute_from_kpi(self):
        definitions = self.env["crm.kpi"]._kpi_definitions()
        for target in self:
            definition = definitions.get(target.kpi_code, {})
            target.name = definition.get("name")
            target.unit = definition.get("unit")

    @api.depends("flag_attention", "attention_value", "comparison", "target_value", "unit")
    def _compute_attention_threshold(self):
        for target in self:
            target.attention_threshold = target._attention_threshold()

    @api.model
    def _default_attention(self, comparison, target_value, unit):
        """The attention threshold derived from a target (see DEFAULT_ATTENTION_FACTORS)."""
        threshold = target_value * DEFAULT_ATTENTION_FACTORS[comparison or ">="]
        if unit == "percent":
            threshold = min(threshold, 100.0)
        return round(threshold, 2)

    def _attention_threshold(self):
        """The threshold the diagnosis applies: the target's own, else derived from it."""
        self.ensure_one()
        if self.flag_attention:
            return self.attention_value
        return self._default_attention(self.comparison, self.target_value, self.unit)

    @api.depends("kpi_code", "company_id", "comparison", "target_value")
    @api.depends_context("company")
    def _compute_last_value(self):
        for target in self:
            snapshot = self.env["crm.kpi.snapshot"].search(
                [
                    ("kpi_code", "=", target.kpi_code),
                    ("kind", "=", "regular"),
                    ("team_id", "=", False),
                    ("user_id", "=", False),
                    ("company_id", "=", (target.company_id or self.env.company).id),
                ],
                order="date_from desc",
                limit=1,
            )
            target.has_measure = bool(snapshot)
            target.last_value = snapshot.value
            target.last_period = snapshot.period
            target.last_on_target = bool(snapshot) and target._is_on_target(snapshot.value)

    @api.constrains("kpi_code")
    def _check_kpi_code(self):
        """The KPI list is computed, so the ORM accepts any code (import, RPC)."""
        definitions = self.env["crm.kpi"]._kpi_definitions()
        for target in self:
            if target.kpi_code not in definitions:
                raise ValidationError(
                    self.env._(
                        'A KPI target cannot measure "%(code)s": the %(field)s must be one '
                        "of %(known)s.",
                        code=target.kpi_code,
                        field=self._fields["kpi_code"]._description_string(self.env),
                        known=format_list(
                            self.env,
                            [definition["name"] for definition in definitions.values()],
                            style="or",
                        ),
                    )
                )

    @api.constrains("target_value", "attention_value", "flag_attention", "comparison", "unit")
    def _check_values(self):
        for target in self:
            values = [target.target_value]
            if target.flag_attention:
                values.append(target.attention_value)
            if any(value < 0 for value in values) or (
                target.unit == "percent" and any(value > 100 for value in values)
            ):
                raise ValidationError(
                    self.env._(
                        "The target and attention threshold of %(kpi)s must lie between "
                        "0 and 100 %% (hours: 0 or more).",
                        kpi=target.name,
                    )
                )
            worse = (
                target.attention_value <= target.target_value
                if target.comparison == ">="
                else target.attention_value >= target.target_value
            )
            if target.flag_attention and not worse:
                raise ValidationError(
                    self.env._(
                        "The attention threshold of %(kpi)s (%(attention)s) must not be "
                        "better than its target (%(target)s).",
                        kpi=target.name,
                        attention=target.attention_value,
                        target=target.target_value,
                    )
                )

    def _is_on_target(self, value):
        self.ensure_one()
        if value is None:
            return False
        if self.comparison == ">=":
            return value >= self.target_value
        return value <= self.target_value

    def _needs_attention(self, value):
        """True when ``value`` is on the wrong side of the attention threshold."""
        self.ensure_one()
        if value is None:
            return False
        threshold = self._attention_threshold()
        if self.comparison == ">=":
            return value < threshold
        return value > threshold

    @api.model
    def _get_targets(self, company=None):
        """{kpi code: target} applying in ``company``: its own, else the shared one."""
        company = company or self.env.company
        targets = self.search([("company_id", "in", [company.id, False])])
        # shared targets first, so that the company's own ones replace them
        return {
            target.kpi_code: target
            for target in sorted(targets, key=lambda target: bool(target.company_id))
        }

    @api.model
    def _get_target(self, kpi_code, company=None):
        """The target applying to ``kpi_code`` in ``company`` (empty if none)."""
        return self._get_targets(company).get(kpi_code, self.browse())

    @api.model
    def _get_levels(self, company=None):
        """{kpi code: target} for every KPI: the target applying in ``company``, else
        an unsaved one at the seed's level, so that every figure has a target and an
        attention threshold."""
        levels = self._get_targets(company)
        for code, definition in self.env["crm.kpi"]._kpi_definitions().items():
            if code not in levels:
                levels[code] = self.new(
                    {
                        "kpi_code": code,
                        "comparison": definition["comparison"],
                        "target_value": definition["target"],
                        "flag_attention": "attention" in definition,
                        "attention_value": definition.get("attention", 0.0),
                    }
                )
        return levels

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models

from .crm_kpi import KPI_UNITS
from .crm_kpi_target import COMPARISONS

LINE_STATUSES = [
    ("attention", "Needs Attention"),
    ("off_target", "Off Target"),
    ("on_target", "On Target"),
    ("no_data", "No Data"),
]
STATUS_BAR_CLASSES = {
    "attention": "bg-danger",
    "off_target": "bg-warning",
    "on_target": "bg-success",
    "no_data": "",
}
# Symbols of the comparisons: the target ("at least 90 %"), then the side of the
# attention threshold on which a value is flagged ("below 60 %").
TARGET_SIGNS = {">=": "≥", "<=": "≤"}
ATTENTION_SIGNS = {">=": "<", "<=": ">"}

CHART_ROW = Markup(
    '<div class="row g-2 align-items-center mb-2 o_crm_diagnosis_bar" data-kpi="{code}" '
    'data-status="{status}">'
    '<div class="col-12 col-md-4 text-wrap o_crm_diagnosis_bar_name">{name}</div>'
    '<div class="col-8 col-md-5">'
    '<div class="position-relative rounded border bg-light" style="height: 1.25rem;" '
    'role="img" aria-label="{label}">{bar}'
    '<div class="position-absolute top-0 bottom-0 border-start border-2 border-dark" '
    'style="left: {target_at}%;" title="{target_title}"></div>'
    '<div class="position-absolute top-0 bottom-0 border-start border-2 border-danger" '
    'style="left: {attention_at}%; border-left-style: dashed !important;" '
    'title="{attention_title}"></div>'
    "</div></div>"
    '<div class="col-4 col-md-3 text-end text-nowrap">'
    '<span class="fw-bold o_crm_diagnosis_bar_value">{value}</span> '
    '<span class="text-muted o_crm_diagnosis_bar_target">/ {target}</span>'
    "</div></div>"
)
CHART_BAR = Markup(
    '<div class="position-absolute top-0 bottom-0 start-0 rounded {bar_class}" '
    'style="width: {width}%;"></div>'
)


class CrmProcessDiagnosisLine(models.Model):
    """One figure of a diagnosis, compared with its target and attention threshold."""

    _name = "crm.process.diagnosis.line"
    _description = "CRM Process Diagnosis Figure"
    _inherit = ("crm.protected.fields.mixin",)
    _order = "diagnosis_id, sequence, id"

    diagnosis_id = fields.Many2one(
        "crm.process.diagnosis", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="diagnosis_id.company_id", store=True)
    sequence = fields.Integer()
    kpi_code = fields.Selection(selection="_selection_kpi_code", string="Figure", required=True)
    unit = fields.Selection(KPI_UNITS)
    has_value = fields.Boolean(string="Has Data")
    value = fields.Float(digits=(16, 2))
    numerator = fields.Float(digits=(16, 2))
    denominator = fields.Float(string="Records", digits=(16, 0))
    comparison = fields.Selection(COMPARISONS)
    flag_attention = fields.Boolean(string="Has Threshold")
    attention_value = fields.Float(string="Attention Threshold", digits=(16, 2))
    needs_attention = fields.Boolean()
    has_target = fields.Boolean()
    target_value = fields.Float(string="Target", digits=(16, 2))
    on_target = fields.Boolean()
    status = fields.Selection(LINE_STATUSES, compute="_compute_display")
    value_text = fields.Char(string="Measured", compute="_compute_display")
    target_text = fields.Char(string="Target Level", compute="_compute_display")
    attention_text = fields.Char(string="Needs Attention When", compute="_compute_display")

    # Measured by the diagnosis run only: nobody forges a figure or its threshold.
    _protected_fields = frozenset(
        {
            "sequence",
            "kpi_code",
            "unit",
            "has_value",
            "value",
            "numerator",
            "denominator",
            "comparison",
            "flag_attention",
            "attention_value",
            "needs_attention",
            "has_target",
            "target_value",
            "on_target",
        }
    )
    _frozen_fields = frozenset({"diagnosis_id"})

    def _selection_kpi_code(self):
        return self.env["crm.kpi"]._kpi_selection()

    @api.depends(
        "has_value",
        "value",
        "unit",
        "comparison",
        "has_target",
        "target_value",
        "on_target",
        "flag_attention",
        "attention_value",
        "needs_attention",
    )
    def _compute_display(self):
        kpi = self.env["crm.kpi"]
        for line in self:
            if not line.has_value:
                line.status = "no_data"
            elif line.needs_attention:
                line.status = "attention"
            elif line.has_target and not line.on_target:
                line.status = "off_target"
            else:
                line.status = "on_target"
            line.value_text = kpi._kpi_format_value(line.value, line.unit) if line.has_value else ""
            comparison = line.comparison or ">="
            line.target_text = (
                f"{TARGET_SIGNS[comparison]} {kpi._kpi_format_value(line.target_value, line.unit)}"
                if line.has_target
                else ""
            )
            line.attention_text = (
                f"{ATTENTION_SIGNS[comparison]} "
                f"{kpi._kpi_format_value(line.attention_value, line.unit)}"
                if line.flag_attention
                else ""
            )

    def _chart_html(self):
        """The figures as horizontal bars, one per figure: the value measured, a solid
        mark at the target and a dashed one at the attention threshold. Percentages
        are drawn on 0-100 %, hours on a scale fitting the value and its levels."""
        rows = []
        names = dict(self.env["crm.kpi"]._kpi_selection())
        for line in self:
            if line.unit == "percent":
                scale = 100.0
            else:
                scale = 1.2 * max(line.value, line.target_value, line.attention_value, 1.0)

            def position(amount, scale=scale):
                return f"{min(max(100.0 * amount / scale, 0.0), 100.0):.1f}"

            name = names.get(line.kpi_code, line.kpi_code)
            value = line.value_text if line.has_value else self.env._("No data")
            bar = (
                CHART_BAR.format(
                    bar_class=STATUS_BAR_CLASSES[line.status], width=position(line.value)
                )
                if line.has_value
                else Markup()
            )
            rows.append(
                CHART_ROW.format(
                    code=line.kpi_code,
                    status=line.status,
                    name=name,
                    label=self.env._(
                        "%(figure)s: %(value)s, target %(target)s",
                        figure=name,
                        value=value,
                        target=line.target_text,
                    ),
                    bar=bar,
                    target_at=position(line.target_value),
                    target_title=self.env._("Target %(target)s", target=line.target_text),
                    attention_at=position(line.attention_value),
                    attention_title=self.env._(
                        "Needs attention when %(threshold)s", threshold=line.attention_text
                    ),
                    value=value,
                    target=line.target_text,
                )
            )
        legend = Markup('<p class="small text-muted mb-0">{}</p>').format(
            self.env._(
                "Bar: the value measured (red: needs attention, orange: off target, green: "
                "on target). Solid line: the target. Dashed red line: the attention threshold."
            )
        )
        return Markup('<div class="o_crm_diagnosis_chart">{}{}</div>').format(
            Markup().join(rows), legend
        )

    def action_view_records(self):
        """The records behind the figure: those pulling it away from its target."""
        self.ensure_one()
        # the figure's company (rule) and the managers' read right, before the SQL
        self.check_access("read")
        diagnosis = self.diagnosis_id
        return self.env["crm.kpi"]._kpi_action_records(
            self.kpi_code, diagnosis.date_from, diagnosis.date_to, diagnosis.company_id
        )

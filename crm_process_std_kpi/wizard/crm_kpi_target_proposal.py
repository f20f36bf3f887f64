# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.i18n import format_list

# Records a figure must be measured on before a target is moved from it (a KPI
# definition may set its own ``proposal_min_sample``).
MIN_SAMPLE = 30
# Achievable levels: a target proposed from a measure never asks for more than 98 %,
# nor for less than 1 % or 1 hour (one miss would break a "100 %" or "0" target).
PERCENT_MAX = 98.0
PERCENT_MIN = 1.0
HOURS_MIN = 1.0


class CrmKpiTargetProposal(models.TransientModel):
    """SMART targets proposed from a diagnosis (seed 003 step 2); nothing is
    written to the KPI targets until the admin accepts them."""

    _name = "crm.kpi.target.proposal"
    _description = "Proposed KPI Targets"

    diagnosis_id = fields.Many2one("crm.process.diagnosis", required=True, ondelete="cascade")
    months = fields.Integer(
        string="Reach Within (months)",
        default=3,
        required=True,
        help="Time-bound: the targets should be met this many months from today.",
    )
    line_ids = fields.One2many("crm.kpi.target.proposal.line", "proposal_id")

    def _propose(self, definition, current, sample, in_force):
        """The target proposed for a KPI, and why: ``(value, note)``.

        - never weaker than the seed's level (the shipped targets);
        - moved from the measure only when it was read on at least the minimum
          sample; otherwise the target in force (``in_force``, None if none) is kept;
        - KPIs with a ``proposal_step`` aim that many points above the measure (at
          most halfway to 100 %), the others keep the level measured when it is
          already better than the seed's;
        - achievable: never more than 98 %, never less than 1 % or 1 hour.
        """
        kpi = self.env["crm.kpi"]
        seed = definition["target"]
        at_least = definition["comparison"] == ">="
        unit = definition["unit"]
        stricter = max if at_least else min
        minimum = definition.get("proposal_min_sample", MIN_SAMPLE)
        if current is None or sample < minimum:
            level = seed if in_force is None else stricter(seed, in_force)
            reason = (
                self.env._(
                    "Measured on %(count)s of the %(minimum)s records needed to move a target",
                    count=int(sample),
                    minimum=minimum,
                )
                if sample
                else self.env._("No records measured")
            )
            outcome = (
                self.env._("the target in force is kept")
                if in_force is not None and level == in_force
                else self.env._("the standard level is proposed")
            )
            return level, self.env._("%(reason)s: %(outcome)s.", reason=reason, outcome=outcome)
        measured = kpi._kpi_format_value(current, unit)
        step = definition.get("proposal_step")
        if step:
            halfway = current + (100.0 - current) / 2
            value = self._rounded(min(current + step, halfway), at_least, unit)
            if current + step > halfway:
                note = self.env._(
                    "Halfway from the %(measured)s measured to 100 %%, to stay achievable.",
                    measured=measured,
                )
            else:
                note = self.env._(
                    "%(step)s points above the %(measured)s measured.",
                    step=f"{step:g}",
                    measured=measured,
                )
        else:
            value = self._rounded(current, at_least, unit)
            note = self.env._("The level already reached (%(measured)s).", measured=measured)
        if value != seed and stricter(value, seed) == seed:
            return seed, self.env._(
                "The standard level: the %(measured)s measured falls short of it.",
                measured=measured,
            )
        achievable = self._achievable(value, at_least, unit)
        if achievable != value:
            note = self.env._(
                "%(level)s: the %(measured)s measured leaves no margin, a stricter target "
                "would not be achievable.",
                level=kpi._kpi_format_value(achievable, unit),
                measured=measured,
            )
        return achievable, note

    def _rounded(self, value, at_least, unit):
        """``value`` rounded to the easier side: whole percents, half hours."""
        factor = 1 if unit == "percent" else 2
        rounded = math.floor(value * factor) if at_least else math.ceil(value * factor)
        return rounded / factor

    def _achievable(self, value, at_least, unit):
        if unit == "percent":
            return min(value, PERCENT_MAX) if at_least else max(value, PERCENT_MIN)
        return value if at_least else max(value, HOURS_MIN)

    def _fill_from_diagnosis(self):
        self.ensure_one()
        definitions = self.env["crm.kpi"]._kpi_definitions()
        targets = self.env["crm.kpi.target"]._get_targets(self.diagnosis_id.company_id)
        commands = [fields.Command.clear()]
        for line in self.diagnosis_id.line_ids:
            definition = definitions[line.kpi_code]
            current = line.value if line.has_value else None
            target = targets.get(line.kpi_code)
            in_force = (
                target.target_value
                if target and target.comparison == definition["comparison"]
                else None
            )
            value, note = self._propose(definition, current, line.denominator, in_force)
            commands.append(
                fields.Command.create(
                    {
                        "kpi_code": line.kpi_code,
                        "unit": line.unit,
                        "has_current": line.has_value,
                        "current_value": line.value,
                        "sample_size": int(line.denominator),
                        "comparison": definition["comparison"],
                        "target_value": value,
                        "note": note,
                        "existing_target_id": target.id if target else False,
                    }
                )
            )
        self.line_ids = commands
        # a proposal that would weaken a target in force is not ticked
        self.line_ids.filtered("weakens_target").accept = False

    def action_accept(self):
        """Write the accepted lines into the KPI targets (create or update)."""
        self.ensure_one()
        self.check_access("write")
        self.diagnosis_id.check_access("read")
        self.env["crm.kpi.target"].check_access("write")
        accepted = self.line_ids.filtered("accept")
        if not accepted:
            raise UserError(self.env._("Tick at least one proposed target to accept it."))
        deadline = fields.Date.context_today(self) + relativedelta(months=self.months)
        Target = self.env["crm.kpi.target"]
        for line in accepted:
            values = {
                "comparison": line.comparison,
                "target_value": line.target_value,
                "date_deadline": deadline,
            }
            if line.existing_target_id:
                line.existing_target_id.write(values)
            else:
                Target.create(
                    dict(
                        values,
                        kpi_code=line.kpi_code,
                        company_id=self.diagnosis_id.company_id.id,
                    )
                )
        self.diagnosis_id.message_post(
            body=self.env._(
                "Targets accepted: %s",
                format_list(
                    self.env,
                    [
                        f"{line.kpi_name} {line.comparison} {line.target_value:g}"
                        for line in accepted
                    ],
                ),
            )
        )
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std_kpi.action_crm_kpi_target"
        )

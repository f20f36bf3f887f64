# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError


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

    def _propose(self, definition, current):
        """Seed target, never weaker than the level already measured; KPIs with
        a ``proposal_step`` aim at that many points above the current level."""
        target = definition["target"]
        if current is None:
            return target
        if definition.get("proposal_step"):
            return min(100.0, round(current + definition["proposal_step"]))
        if definition["comparison"] == ">=":
            return max(target, round(current, 1))
        return min(target, round(current, 1))

    def _fill_from_diagnosis(self):
        self.ensure_one()
        definitions = self.env["crm.kpi"]._kpi_definitions()
        targets = self.env["crm.kpi.target"]._get_targets(self.diagnosis_id.company_id)
        commands = [fields.Command.clear()]
        for line in self.diagnosis_id.line_ids:
            definition = definitions[line.kpi_code]
            current = line.value if line.has_value else None
            target = targets.get(line.kpi_code)
            commands.append(
                fields.Command.create(
                    {
                        "kpi_code": line.kpi_code,
                        "unit": line.unit,
                        "has_current": line.has_value,
                        "current_value": line.value,
                        "comparison": target.comparison if target else definition["comparison"],
                        "target_value": self._propose(definition, current),
                        "existing_target_id": target.id if target else False,
                        "accept": True,
                    }
                )
            )
        self.line_ids = commands

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
                ", ".join(
                    f"{line.kpi_name} {line.comparison} {line.target_value:g}" for line in accepted
                ),
            )
        )
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std.action_crm_kpi_target"
        )

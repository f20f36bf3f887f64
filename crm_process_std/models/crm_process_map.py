# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from textwrap import shorten

from odoo import api, fields, models
from odoo.tools.mail import html_to_inner_content

GUIDANCE_EXCERPT = 220


class CrmProcessMap(models.TransientModel):
    """A diagram of the configured process, generated from the live rules:
    stages in pipeline order with their requirements, guidance, SLA limits,
    approval gate, handoff gate and cadences. Nothing is drawn by hand."""

    _name = "crm.process.map"
    _description = "Process Map"

    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        help="Show the stages and rules of this team only. Empty: every team.",
    )
    html = fields.Html(string="Process Map", compute="_compute_html", sanitize=False)

    def _compute_display_name(self):
        for process_map in self:
            process_map.display_name = self.env._("Process Map")

    @api.depends("team_id")
    def _compute_html(self):
        for process_map in self:
            process_map.html = self.env["ir.qweb"]._render(
                "crm_process_std.process_map_body", process_map._map_values()
            )

    # ------------------------------------------------------------------
    # What the map shows (plain values, rendered by the QWeb template)
    # ------------------------------------------------------------------
    def _for_team(self, records):
        """Records without teams, or with this map's team."""
        team = self.team_id._origin
        if not team:
            return records
        return records.filtered(lambda record: not record.team_ids or team in record.team_ids)

    def _labels(self, model, field_name):
        return dict(self.env[model]._fields[field_name]._description_selection(self.env))

    def _param(self, name, default=False):
        # sudo: reads process settings (configuration shown to administrators)
        return self.env["ir.config_parameter"].sudo().get_param(f"crm_process_std.{name}", default)

    def _stage_from_param(self, name):
        stage_id = self._param(name)
        stage = self.env["crm.stage"].browse(int(stage_id)) if stage_id else None
        return stage if stage and stage.exists() else self.env["crm.stage"]

    def _sla_line(self, node, start_labels, stop_labels):
        return {
            "name": node.name,
            "events": f"{start_labels[node.start_event]} → {stop_labels[node.stop_event]}",
            "hours": f"{node.time_limit_hours:g}",
            "working_hours": node.use_working_hours,
        }

    def _cadence_line(self, rule, tiers, targets):
        return {
            "name": rule.name,
            "applies_to": targets[rule.applies_to],
            "tier": tiers.get(rule.customer_tier, ""),
            "days": f"{rule.interval_days:g}",
            "escalation_days": f"{rule.escalation_days:g}" if rule.escalation_days else "",
        }

    def _map_values(self):
        self.ensure_one()
        stages = self._for_team(self.env["crm.stage"].search([]))
        requirements = self._for_team(
            self.env["crm.stage.requirement"].search([("stage_id", "in", stages.ids)])
        )
        nodes = self._for_team(self.env["crm.sla.node"].search([]))
        cadences = self.env["crm.cadence.rule"].search([])
        levels = self._for_team(self.env["crm.approval.level"].search([]))
        approval_stage = self._stage_from_param("approval_stage_id")
        handoff_stage = self._stage_from_param("handoff_stage_id")
        mode_labels = {"block": self.env._("Block"), "warn": self.env._("Warn")}
        start_labels = self._labels("crm.sla.node", "start_event")
        stop_labels = self._labels("crm.sla.node", "stop_event")
        tiers = self._labels("crm.cadence.rule", "customer_tier")
        targets = self._labels("crm.cadence.rule", "applies_to")
        stage_boxes = []
        for stage in stages:
            stage_boxes.append(
                {
                    "name": stage.name,
                    "is_won": stage.is_won,
                    "guidance": shorten(
                        html_to_inner_content(stage.guidance or "").strip(),
                        GUIDANCE_EXCERPT,
                        placeholder=" …",
                    ),
                    "requirements": [
                        {
                            "name": requirement.name,
                            "mode": requirement.mode,
                            "mode_label": mode_labels[requirement.mode],
                        }
                        for requirement in requirements.filtered(
                            lambda r, stage=stage: r.stage_id == stage
                        )
                    ],
                    "slas": [
                        self._sla_line(node, start_labels, stop_labels)
                        for node in nodes.filtered(lambda n, stage=stage: n.stage_id == stage)
                    ],
                    "cadences": [
                        self._cadence_line(rule, tiers, targets)
                        for rule in cadences.filtered(lambda c, stage=stage: stage in c.stage_ids)
                    ],
                    "approval": stage == approval_stage,
                    "handoff_gate": stage == handoff_stage,
                }
            )
        currency = self.env.company.currency_id
        return {
            "team_name": self.team_id.name or "",
            "stages": stage_boxes,
            "other_slas": [
                self._sla_line(node, start_labels, stop_labels)
                for node in nodes.filtered(lambda n: not n.stage_id)
            ],
            "other_cadences": [
                self._cadence_line(rule, tiers, targets)
                for rule in cadences.filtered(lambda c: not c.stage_ids)
            ],
            "approval_stage": approval_stage.name or "",
            "approval_levels": [
                {
                    "name": level.name,
                    "amount": (level.currency_id or currency).format(level.min_amount),
                    "approver": level.approver_user_id.name or level.approver_group_id.name or "",
                }
                for level in levels
            ],
            "handoff": {
                "auto_create": bool(self._param("handoff_auto_create")),
                "deadline_hours": self.env["crm.handoff"]._deadline_hours(),
                "stage": handoff_stage.name or "",
            },
        }

    def action_print(self):
        self.ensure_one()
        self.check_access("read")
        return self.env.ref("crm_process_std.action_report_process_map").report_action(self)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import is_html_empty


class CrmProcessMap(models.TransientModel):
    """A diagram of the configured process, generated from the live rules:
    stages in pipeline order with their requirements, guidance, SLA limits,
    approval gate, handoff gate and cadences. Nothing is drawn by hand.

    Shown read-only: the menu's server action creates the map (every team) and
    opens it; the team dialog saves a map for one team and opens that one."""

    _name = "crm.process.map"
    _description = "Process Map"

    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        help="Show the stages and rules of this team only. Empty: every team.",
    )
    html = fields.Html(string="Process Map", compute="_compute_html", sanitize=False)

    @api.depends("team_id")
    def _compute_display_name(self):
        for process_map in self:
            if process_map.team_id:
                process_map.display_name = self.env._(
                    "Process Map: %(team)s", team=process_map.team_id.name
                )
            else:
                process_map.display_name = self.env._("Process Map")

    @api.depends("team_id")
    def _compute_html(self):
        for process_map in self:
            process_map.html = self.env["ir.qweb"]._render(
                "crm_process_std_map.process_map_body", process_map._map_values()
            )

    @api.model
    def _action_open(self, process_map=None):
        """Window action showing ``process_map`` (the map the team dialog has just
        saved) or, without one, a new map of every team, in the read-only form.
        Called by the server action behind the menu and the team dialog."""
        process_map = process_map.exists() if process_map else self.browse()
        if process_map:
            # the caller's own map only (record rule); a map of another user raises
            process_map.check_access("read")
        else:
            process_map = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": process_map.display_name,
            "res_model": self._name,
            "res_id": process_map.id,
            "views": [(self.env.ref("crm_process_std_map.crm_process_map_view_form").id, "form")],
            "target": "main",
        }

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

    def _map_company(self):
        """The company whose settings the map shows: its team's, else the user's."""
        return self.team_id.company_id or self.env.company

    def _handoff_gate_stage(self):
        """The stage entered only once after-sales accepted the handoff (Settings)."""
        # sudo: the company's settings (a stage), shown to whoever may read the map
        return self._map_company().sudo().crm_handoff_stage_id.with_env(self.env)

    # Each line below is one translatable sentence with named placeholders, so that
    # a language orders and punctuates it as a whole (no fragments joined here).
    def _sla_line(self, node, start_labels, stop_labels):
        values = {
            "name": node.name,
            "hours": f"{node.time_limit_hours:g}",
            "start": start_labels[node.start_event],
            "stop": stop_labels[node.stop_event],
        }
        if node.use_working_hours:
            return self.env._("%(name)s: %(hours)s working hours (%(start)s → %(stop)s)", **values)
        return self.env._("%(name)s: %(hours)s h (%(start)s → %(stop)s)", **values)

    def _cadence_line(self, rule, tiers, targets):
        scope = targets[rule.applies_to]
        if rule.customer_tier:
            scope = self.env._(
                "%(target)s of tier %(tier)s", target=scope, tier=tiers[rule.customer_tier]
            )
        values = {
            "name": rule.name,
            "scope": scope,
            "days": f"{rule.interval_days:g}",
            "escalation": f"{rule.escalation_days:g}",
        }
        if rule.escalation_days:
            return self.env._(
                "%(name)s (%(scope)s): every %(days)s days, "
                "escalated after %(escalation)s days overdue",
                **values,
            )
        return self.env._("%(name)s (%(scope)s): every %(days)s days", **values)

    def _approval_line(self, level, currency):
        values = {
            "level": level.name,
            "amount": (level.currency_id or currency).format(level.min_amount),
            "approver": level.approver_user_id.name or level.approver_group_id.name or "",
        }
        if values["approver"]:
            return self.env._("%(level)s: from %(amount)s, approved by %(approver)s", **values)
        return self.env._("%(level)s: from %(amount)s", **values)

    def _handoff_values(self, handoff_stage):
        company = self._map_company()
        deadline = self.env["crm.handoff"]._deadline_hours(company)
        return {
            # sudo: the company's settings, shown to whoever may read the map
            "auto_create": company.sudo().crm_handoff_auto_create,
            "accept": self.env._("Accept within %(hours)s h.", hours=f"{deadline:g}"),
            "gate": handoff_stage
            and self.env._(
                "%(stage)s is entered only after after-sales accepted the handoff.",
                stage=handoff_stage.name,
            ),
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
        # sudo: the company's settings (a stage), shown to whoever may read the map
        approval_stage = self._map_company().sudo().crm_approval_stage_id.with_env(self.env)
        if approval_stage not in stages or not levels:
            # no approval applies to the stages shown: no empty gate
            approval_stage = self.env["crm.stage"]
        handoff_stage = self._handoff_gate_stage()
        if handoff_stage not in stages:
            handoff_stage = self.env["crm.stage"]
        mode_labels = {"block": self.env._("Block"), "warn": self.env._("Warn")}
        start_labels = self._labels("crm.sla.node", "start_event")
        stop_labels = self._labels("crm.sla.node", "stop_event")
        tiers = self._labels("crm.cadence.rule", "customer_tier")
        targets = self._labels("crm.cadence.rule", "applies_to")
        currency = self.env.company.currency_id
        approval_lines = [self._approval_line(level, currency) for level in levels]
        stage_boxes = []
        for stage in stages:
            stage_boxes.append(
                {
                    "name": stage.name,
                    "is_won": stage.is_won,
                    # sanitized HTML of the stage: paragraphs, lists and line breaks kept
                    "guidance": stage.guidance if not is_html_empty(stage.guidance) else "",
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
        return {
            "title": (
                self.env._("Sales process: %(team)s", team=self.team_id.name)
                if self.team_id
                else self.env._("Sales process")
            ),
            "stages": stage_boxes,
            "other_slas": [
                self._sla_line(node, start_labels, stop_labels)
                for node in nodes.filtered(lambda n: not n.stage_id)
            ],
            "other_cadences": [
                self._cadence_line(rule, tiers, targets)
                for rule in cadences.filtered(lambda c: not c.stage_ids)
            ],
            "approval_intro": approval_stage
            and self.env._(
                "Before %(stage)s, deals from these amounts need approval:",
                stage=approval_stage.name,
            ),
            "approval_lines": approval_lines,
            "handoff": self._handoff_values(handoff_stage),
        }

    def action_print(self):
        self.ensure_one()
        self.check_access("read")
        return self.env.ref("crm_process_std_map.action_report_process_map").report_action(self)

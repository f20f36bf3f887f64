# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

TASK_AREAS = [
    ("process", "Process Mapping"),
    ("tool", "Tool Configuration"),
    ("training", "Training"),
    ("evaluation", "Evaluation"),
]
TASK_STATES = [
    ("not_started", "Not Started"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
]
ACTIVITY_TYPE_XMLID = "crm_process_std_kpi.mail_activity_type_improvement_task"


class CrmImprovementTask(models.Model):
    """One task of the process improvement plan (seed 003 template 3)."""

    _name = "crm.improvement.task"
    _description = "Process Improvement Task"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "date_planned, sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(string="Task", required=True, tracking=True)
    area = fields.Selection(TASK_AREAS, required=True, default="process", tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
    )
    cooperating_team = fields.Char(
        string="Cooperating Teams", help="Departments taking part, e.g. Sales, Customer Service."
    )
    date_planned = fields.Date(string="Planned Date", tracking=True)
    acceptance_criterion = fields.Text()
    state = fields.Selection(
        TASK_STATES,
        required=True,
        default="not_started",
        index=True,
        tracking=True,
        group_expand="_group_expand_state",
    )
    kpi_target_id = fields.Many2one(
        "crm.kpi.target",
        string="KPI Target",
        ondelete="set null",
        help="When set, the task is checked against the last measured value of the KPI.",
    )
    kpi_value = fields.Float(string="Measured KPI", compute="_compute_kpi_result", digits=(16, 2))
    kpi_period = fields.Char(string="Measured Period", compute="_compute_kpi_result")
    kpi_result = fields.Selection(
        [("met", "Met"), ("not_met", "Not Met"), ("no_data", "No Data")],
        string="KPI Result",
        compute="_compute_kpi_result",
    )
    diagnosis_id = fields.Many2one(
        "crm.process.diagnosis", index="btree_not_null", ondelete="set null"
    )
    template_key = fields.Char(
        copy=False, help="Which default task of the diagnosis plan this is (no duplicates)."
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    color = fields.Integer()

    def _group_expand_state(self, states, domain):
        return [key for key, _label in TASK_STATES]

    @api.depends("kpi_target_id.target_value", "kpi_target_id.comparison", "company_id")
    def _compute_kpi_result(self):
        Snapshot = self.env["crm.kpi.snapshot"]
        for task in self:
            target = task.kpi_target_id
            snapshot = Snapshot
            if target:
                snapshot = Snapshot.search(
                    [
                        ("kpi_code", "=", target.kpi_code),
                        ("kind", "=", "regular"),
                        ("team_id", "=", False),
                        ("user_id", "=", False),
                        ("company_id", "=", task.company_id.id),
                    ],
                    order="date_from desc",
                    limit=1,
                )
            task.kpi_value = snapshot.value
            task.kpi_period = snapshot.period
            if not target:
                task.kpi_result = False
            elif not snapshot:
                task.kpi_result = "no_data"
            else:
                task.kpi_result = "met" if target._is_on_target(snapshot.value) else "not_met"

    @api.model_create_multi
    def create(self, vals_list):
        tasks = super().create(vals_list)
        tasks._sync_owner_activity()
        return tasks

    def write(self, vals):
        result = super().write(vals)
        if {"user_id", "date_planned", "state", "name"} & set(vals):
            self._sync_owner_activity()
        return result

    def _sync_owner_activity(self):
        """Keep one open activity for the owner of each open task, due on its
        planned date; close it when the task is done."""
        for task in self:
            activities = task.activity_search([ACTIVITY_TYPE_XMLID])
            if task.state == "done" or not task.user_id:
                if activities:
                    activities.action_feedback(feedback=self.env._("Task done."))
                continue
            values = {
                "user_id": task.user_id.id,
                "date_deadline": task.date_planned or fields.Date.context_today(task),
                "summary": task.name,
            }
            if activities:
                activities.write(values)
            else:
                task.activity_schedule(ACTIVITY_TYPE_XMLID, **values)

    def action_start(self):
        self.check_access("write")
        self.write({"state": "in_progress"})

    def action_done(self):
        self.check_access("write")
        self.write({"state": "done"})

    @api.model
    def _plan_templates(self):
        """Default tasks of the plan (seed 003 template 3).

        ``when``: the diagnosis figures of which one must need attention or
        miss its target for the task to be proposed (always when empty); ``kpi``: the
        target checked when the task is done.
        """
        return [
            {
                "key": "process_map",
                "area": "process",
                "weeks": 2,
                "name": self.env._("Map the new lead-to-deal process"),
                "team": self.env._("Sales, Customer Service"),
                "criterion": self.env._(
                    "The process map shows every node, its owner and its time limit; "
                    "no redundant step."
                ),
            },
            {
                "key": "stage_requirements",
                "area": "tool",
                "weeks": 3,
                "when": ("completeness",),
                "kpi": "completeness",
                "name": self.env._("Configure the required customer fields per stage"),
                "team": self.env._("Sales Operations"),
                "criterion": self.env._("Completeness rate of new records at or above target."),
            },
            {
                "key": "cadences",
                "area": "tool",
                "weeks": 3,
                "when": ("timeliness",),
                "kpi": "timeliness",
                "name": self.env._("Configure follow-up cadences and reminders"),
                "team": self.env._("Sales Operations"),
                "criterion": self.env._(
                    "Prospects without interaction for 7 days are reminded automatically; "
                    "3 scenarios tested."
                ),
            },
            {
                "key": "assignment_sla",
                "area": "tool",
                "weeks": 3,
                "when": ("unattended_leads", "first_response"),
                "kpi": "first_response",
                "name": self.env._("Set the lead assignment and first-response time limits"),
                "team": self.env._("Sales Operations"),
                "criterion": self.env._(
                    "New leads assigned within 30 minutes and answered within 2 hours."
                ),
            },
            {
                "key": "churn_warning",
                "area": "tool",
                "weeks": 4,
                "when": ("churn",),
                "kpi": "churn",
                "name": self.env._("Switch on churn warnings for customers without interaction"),
                "team": self.env._("Customer Success"),
                "criterion": self.env._(
                    "Customers without interaction for 30 days and no open order are "
                    "flagged to their customer-success manager."
                ),
            },
            {
                "key": "training",
                "area": "training",
                "weeks": 5,
                "name": self.env._("Train the sales team on the new process"),
                "team": self.env._("Sales"),
                "criterion": self.env._("Training coverage 100 %; test pass rate at least 90 %."),
            },
            {
                "key": "evaluation",
                "area": "evaluation",
                "weeks": 13,
                "kpi": "conversion",
                "name": self.env._("Compare the KPIs with the diagnosis (before / after)"),
                "team": self.env._("Sales Operations"),
                "criterion": self.env._(
                    "Before / after report of the month compared with the diagnosis, "
                    "with the causes of each change."
                ),
            },
        ]

    @api.model
    def _generate_from_diagnosis(self, diagnosis):
        """Create the default plan of ``diagnosis``: the general tasks, and the
        tool tasks of the figures that need attention or miss their target.
        Tasks already generated for it are kept as they are (running it again
        adds nothing)."""
        flagged = set(
            diagnosis.line_ids.filtered(
                lambda line: (
                    line.needs_attention
                    or (line.has_value and line.has_target and not line.on_target)
                )
            ).mapped("kpi_code")
        )
        existing = set(self.search([("diagnosis_id", "=", diagnosis.id)]).mapped("template_key"))
        targets = self.env["crm.kpi.target"]._get_targets(diagnosis.company_id)
        start = fields.Date.context_today(self)
        vals_list = []
        for sequence, template in enumerate(self._plan_templates()):
            if template["key"] in existing:
                continue
            if template.get("when") and not flagged.intersection(template["when"]):
                continue
            target = targets.get(template.get("kpi"))
            vals_list.append(
                {
                    "sequence": sequence,
                    "name": template["name"],
                    "area": template["area"],
                    "cooperating_team": template["team"],
                    "acceptance_criterion": template["criterion"],
                    "date_planned": start + relativedelta(weeks=template["weeks"]),
                    "kpi_target_id": target.id if target else False,
                    "user_id": diagnosis.user_id.id or self.env.user.id,
                    "diagnosis_id": diagnosis.id,
                    "company_id": diagnosis.company_id.id,
                    "template_key": template["key"],
                }
            )
        return self.create(vals_list)

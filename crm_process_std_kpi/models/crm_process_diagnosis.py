# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

ACTIVITY_TYPE_XMLID = "crm_process_std_kpi.mail_activity_type_process_diagnosis"


class CrmProcessDiagnosis(models.Model):
    """Where the CRM stands before the process rules are switched on: the
    figures of the last months against the seed's attention thresholds, saved
    as the "before" of the before / after comparison."""

    _name = "crm.process.diagnosis"
    _description = "CRM Process Diagnosis"
    _inherit = ("mail.thread", "mail.activity.mixin", "crm.protected.fields.mixin")
    _order = "date_run desc, id desc"

    name = fields.Char(required=True, default=lambda self: self.env._("CRM diagnosis"))
    months = fields.Integer(
        string="Months Analysed",
        required=True,
        default=6,
        help="Number of full months before the current one that are read.",
    )
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    date_run = fields.Datetime(string="Run On", readonly=True)
    state = fields.Selection(
        [("draft", "To Run"), ("done", "Done")],
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    line_ids = fields.One2many("crm.process.diagnosis.line", "diagnosis_id", string="Figures")
    snapshot_ids = fields.One2many(
        "crm.kpi.snapshot", "diagnosis_id", string="Before Snapshots", readonly=True
    )
    task_ids = fields.One2many("crm.improvement.task", "diagnosis_id", string="Improvement Plan")
    attention_count = fields.Integer(
        string="Figures Needing Attention", compute="_compute_attention_count"
    )
    task_count = fields.Integer(compute="_compute_attention_count")
    chart = fields.Html(
        string="Figures Against Targets",
        compute="_compute_chart",
        sanitize=False,  # built by _chart_html from escaped values only
    )

    # The status, window and run date are set by "Run" only (read-only fields: protected
    # by the mixin); the company of the figures never changes once the diagnosis exists.
    _frozen_fields = frozenset({"company_id"})

    _months_positive = models.Constraint(
        "CHECK(months BETWEEN 1 AND 36)", "The diagnosis reads between 1 and 36 months."
    )

    @api.depends("line_ids.needs_attention", "task_ids")
    def _compute_attention_count(self):
        for diagnosis in self:
            diagnosis.attention_count = len(diagnosis.line_ids.filtered("needs_attention"))
            diagnosis.task_count = len(diagnosis.task_ids)

    @api.depends(
        "state",
        "line_ids.value",
        "line_ids.has_value",
        "line_ids.target_value",
        "line_ids.attention_value",
        "line_ids.needs_attention",
        "line_ids.on_target",
    )
    def _compute_chart(self):
        for diagnosis in self:
            done = diagnosis.state == "done" and diagnosis.line_ids
            diagnosis.chart = diagnosis.line_ids._chart_html() if done else False

    def _window(self):
        """The last ``months`` full months before today."""
        self.ensure_one()
        first_of_month = fields.Date.context_today(self).replace(day=1)
        return first_of_month - relativedelta(months=self.months), first_of_month - relativedelta(
            days=1
        )

    def action_run(self):
        """Read the figures, flag them against the thresholds and save them as
        the "before" snapshots (re-running replaces the previous result)."""
        self.check_access("write")
        definitions = self.env["crm.kpi"]._kpi_definitions()
        # the figures of the diagnosis, in the order they are reported
        codes = sorted(
            (code for code, definition in definitions.items() if "diagnosis" in definition),
            key=lambda code: definitions[code]["diagnosis"],
        )
        for diagnosis in self:
            date_from, date_to = diagnosis._window()
            company = diagnosis.company_id
            # sudo: the diagnosis's own "before" figures, replaced by this run (write
            # access on the diagnosis checked above), whatever window they were read on
            self.env["crm.kpi.snapshot"].sudo().search(
                [("diagnosis_id", "=", diagnosis.id)]
            ).unlink()
            snapshots = self.env["crm.kpi.snapshot"]._take_snapshots(
                date_from, date_to, company, kind="before", diagnosis=diagnosis
            )
            overall = {
                snapshot.kpi_code: snapshot
                for snapshot in snapshots
                if not snapshot.team_id and not snapshot.user_id
            }
            # every figure has a target and an attention threshold: the company's
            # target, else the seed's level (the KPI engine measures against it too)
            targets = self.env["crm.kpi.target"]._get_levels(company)
            lines = [fields.Command.clear()]
            for code in codes:
                snapshot = overall.get(code)
                target = targets[code]
                value = snapshot.value if snapshot else None
                lines.append(
                    fields.Command.create(
                        {
                            "sequence": definitions[code]["diagnosis"],
                            "kpi_code": code,
                            "unit": definitions[code]["unit"],
                            "has_value": bool(snapshot),
                            "value": value or 0.0,
                            "numerator": snapshot.numerator if snapshot else 0.0,
                            "denominator": snapshot.denominator if snapshot else 0.0,
                            "flag_attention": True,
                            "attention_value": target._attention_threshold(),
                            "comparison": target.comparison,
                            "needs_attention": target._needs_attention(value),
                            "has_target": True,
                            "target_value": target.target_value,
                            "on_target": target._is_on_target(value),
                        }
                    )
                )
            # sudo: flow-only results, after the write access checked above
            diagnosis.sudo().write(
                {
                    "date_from": date_from,
                    "date_to": date_to,
                    "date_run": fields.Datetime.now(),
                    "state": "done",
                    "line_ids": lines,
                }
            )
        self.activity_feedback([ACTIVITY_TYPE_XMLID], feedback=self.env._("Diagnosis run."))
        return True

    def _check_done(self):
        for diagnosis in self:
            if diagnosis.state != "done":
                raise UserError(self.env._("Run the diagnosis %s first.", diagnosis.display_name))

    def action_propose_targets(self):
        self.ensure_one()
        self.check_access("read")
        self.env["crm.kpi.target"].check_access("write")
        self._check_done()
        proposal = self.env["crm.kpi.target.proposal"].create({"diagnosis_id": self.id})
        proposal._fill_from_diagnosis()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Proposed Targets"),
            "res_model": "crm.kpi.target.proposal",
            "res_id": proposal.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_generate_plan(self):
        self.ensure_one()
        self.check_access("write")
        self.env["crm.improvement.task"].check_access("create")
        self._check_done()
        self.env["crm.improvement.task"]._generate_from_diagnosis(self)
        return self.action_open_plan()

    def action_open_plan(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std_kpi.action_crm_improvement_task"
        )
        action["domain"] = [("diagnosis_id", "=", self.id)]
        action["context"] = {"default_diagnosis_id": self.id}
        return action

    def action_open_comparison(self):
        self.ensure_one()
        self.check_access("read")
        self._check_done()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Before / After"),
            "res_model": "crm.kpi.comparison",
            "view_mode": "form",
            "target": "new",
            "context": {"default_before_mode": "diagnosis", "default_diagnosis_id": self.id},
        }

    @api.model
    def _demo_measure(self):
        """Demo data: measure the demo's figures from the demo's own records (the demo
        diagnosis, and the monthly snapshots of the last three months read by the
        improvement tasks), so that they agree with a diagnosis run on the demo.
        Called at the end of the demo data of each addon adding records that feed the
        KPIs; measuring again replaces the figures."""
        diagnosis = self.env.ref("crm_process_std_kpi.crm_process_diagnosis_demo", False)
        if not diagnosis:
            return
        Snapshot = self.env["crm.kpi.snapshot"]
        first_of_month = fields.Date.context_today(self).replace(day=1)
        for months in (3, 2, 1):
            Snapshot._snapshot_month(
                first_of_month - relativedelta(months=months), diagnosis.company_id
            )
        diagnosis.action_run()

    @api.model
    def _offer_after_install(self):
        """Once, at install: a diagnosis to run, offered to the process admins."""
        admins = self.env.ref("crm_process_std_base.group_process_admin").all_user_ids.filtered(
            lambda user: user.active and not user.share
        )
        if not admins:
            return
        diagnosis = self.create(
            {
                "name": self.env._("Initial diagnosis"),
                "user_id": admins[0].id,
            }
        )
        for admin in admins:
            diagnosis.activity_schedule(
                ACTIVITY_TYPE_XMLID,
                summary=self.env._("Diagnose the CRM before switching the process rules on"),
                note=self.env._(
                    "Run the diagnosis: it reads the last months of the CRM, flags the "
                    "figures that need attention and keeps them as the 'before' of the "
                    "before / after comparison."
                ),
                user_id=admin.id,
            )

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 17, item 7 and "every button works as the web client calls it": each object
button of the follow-up, complaint, SLA, handoff, approval and stage-requirement views
is pressed through ``/web/dataset/call_button``, with the context the view gives it, on
a real record, by a user the button is shown to. None crashes, and every window it
opens has a title (a dialog without one is titled "Odoo").

A button added to one of these views without a way to press it here fails the test."""

import ast

from lxml import etree

from odoo import Command
from odoo.tests import new_test_user

from .common import WebClientCase

# The view files of the concerns this test covers.
VIEW_FILES = (
    "crm_approval_level_views.xml",
    "crm_cadence_rule_views.xml",
    "crm_complaint_views.xml",
    "crm_completeness_field_views.xml",
    "crm_followup_views.xml",
    "crm_handoff_checklist_template_views.xml",
    "crm_handoff_decision_views.xml",
    "crm_handoff_views.xml",
    "crm_lead_approval_views.xml",
    "crm_lead_followup_views.xml",
    "crm_lead_handoff_views.xml",
    "crm_lead_views.xml",
    "crm_stage_requirement_views.xml",
    "crm_stage_views.xml",
    "mail_activity_views.xml",
    "res_partner_followup_views.xml",
    "res_partner_views.xml",
    "crm_stage_exception_wizard_views.xml",
)
SUMMARY = {
    "previous_conclusion": "Quoted last week.",
    "value_delivered": "Answered the questions on delivery.",
    "next_step": "Wait for the board's decision.",
}


class TestProcessButtons(WebClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.salesman = new_test_user(
            env,
            login="btn_sales",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        cls.manager = new_test_user(
            env, login="btn_manager", groups="sales_team.group_sale_manager"
        )
        cls.after_sales = new_test_user(
            env, login="btn_after_sales", groups="crm_process_std_base.group_after_sales"
        )
        cls.admin = new_test_user(
            env, login="btn_process_admin", groups="crm_process_std_base.group_process_admin"
        )
        cls.team = env["crm.team"].create({"name": "Buttons Team", "user_id": cls.manager.id})
        params = env["ir.config_parameter"].sudo()
        params.set_param("crm_process_std.handoff_auto_create", "True")
        params.set_param("crm_process_std.handoff_stage_id", False)
        cls.customer = env["res.partner"].create({"name": "Button Works Ltd", "is_company": True})
        cls.lead = env["crm.lead"].create(
            {
                "name": "Buttons: 20 forklifts",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "user_id": cls.salesman.id,
                "team_id": cls.team.id,
                "expected_revenue": 150000,
            }
        )
        cls.level = env["crm.approval.level"].create(
            {
                "name": "Buttons Manager Level",
                "min_amount": 100000,
                "approver_group_id": env.ref("sales_team.group_sale_manager").id,
                "team_ids": cls.team.ids,
            }
        )
        cls.followup = env["crm.followup"].create(
            {"lead_id": cls.lead.id, "partner_id": cls.customer.id,
             "user_id": cls.salesman.id, **SUMMARY}
        )  # fmt: skip
        cls.activity = cls.lead.activity_schedule(
            "mail.mail_activity_data_call", user_id=cls.salesman.id
        )
        cls.complaint = env["crm.complaint"].create(
            {"name": "Forklift horn broken", "partner_id": cls.customer.id,
             "user_id": cls.after_sales.id, "resolution": "<p>Horn replaced.</p>"}
        )  # fmt: skip
        cls.requirement = env["crm.stage.requirement"].create(
            {"name": "Buttons: phone", "stage_id": env.ref("crm.stage_lead2").id,
             "lead_field_ids": [Command.set([env["ir.model.fields"]._get("crm.lead", "phone").id])]}
        )  # fmt: skip
        cls.cadence = env["crm.cadence.rule"].search([], limit=1)

    # -- records in the state each button expects ---------------------------------------

    def _won_handoff(self, submitted):
        lead = self.lead.copy(
            {"name": "Buttons: won deal", "expected_revenue": 1000, "phone": "+86 21 5555 0199"}
        )
        lead.action_set_won()
        handoff = lead.handoff_ids
        handoff.write({"receiver_user_id": self.after_sales.id, "receiver_team_id": False})
        handoff.checklist_line_ids.write({"is_done": True})
        if submitted:
            handoff.with_user(self.salesman).action_submit()
        return handoff

    def _pending_approval(self):
        pending = self.lead.approval_ids.filtered(lambda a: a.state == "pending")
        if not pending:
            self.lead.with_user(self.salesman).action_request_approval()
            pending = self.lead.approval_ids.filtered(lambda a: a.state == "pending")
        return pending

    def _complaint(self, state):
        self.complaint.write({"state": state})
        return self.complaint

    def _plan(self):
        """(model, method) -> (login, function giving the record, or a wizard's values)."""
        return {
            ("crm.lead", "action_crm_log_followup"): ("btn_sales", lambda: self.lead),
            ("crm.lead", "action_crm_view_followups"): ("btn_sales", lambda: self.lead),
            ("crm.lead", "action_open_handoffs"): (
                "btn_sales",
                lambda: self._won_handoff(False).lead_id,
            ),
            ("crm.lead", "action_request_approval"): ("btn_sales", lambda: self.lead),
            ("crm.lead", "action_open_stage_exception_wizard"): ("btn_manager", lambda: self.lead),
            ("crm.lead", "action_view_stage_deviations"): ("btn_sales", lambda: self.lead),
            ("res.partner", "action_crm_view_followups"): ("btn_sales", lambda: self.customer),
            ("res.partner", "action_crm_view_complaints"): ("btn_sales", lambda: self.customer),
            ("res.partner", "action_crm_log_followup"): ("btn_sales", lambda: self.customer),
            ("res.partner", "action_crm_std_recompute_tier"): (
                "btn_manager",
                lambda: self.customer,
            ),
            ("crm.followup", "action_open_lead"): ("btn_sales", lambda: self.followup),
            ("mail.activity", "action_crm_log_followup"): ("btn_sales", lambda: self.activity),
            ("crm.handoff", "action_submit"): ("btn_sales", lambda: self._won_handoff(False)),
            ("crm.handoff", "action_open_decision"): (
                "btn_after_sales",
                lambda: self._won_handoff(True),
            ),
            ("crm.handoff.decision", "action_confirm"): (
                "btn_after_sales",
                lambda: {
                    "handoff_id": self._won_handoff(True).id,
                    "decision": "accept",
                    "quality_rating": "3",
                    "rejection_reason": "The contract is missing.",
                },
            ),
            ("crm.lead.approval", "action_open_decision"): (
                "btn_manager",
                self._pending_approval,
            ),
            ("crm.lead.approval.decision", "action_confirm"): (
                "btn_manager",
                lambda: {
                    "approval_id": self._pending_approval().id,
                    "decision": "approve",
                    "comment": "Checked the margin.",
                },
            ),
            ("crm.complaint", "action_start"): ("btn_after_sales", lambda: self._complaint("open")),
            ("crm.complaint", "action_resolve"): (
                "btn_after_sales",
                lambda: self._complaint("in_progress"),
            ),
            ("crm.complaint", "action_reopen"): (
                "btn_after_sales",
                lambda: self._complaint("resolved"),
            ),
            ("crm.cadence.rule", "action_view_reminders"): (
                "btn_process_admin",
                lambda: self.cadence,
            ),
            ("crm.stage.requirement", "action_open_affected_leads"): (
                "btn_process_admin",
                lambda: self.requirement,
            ),
            ("crm.stage.exception.wizard", "action_grant"): (
                "btn_manager",
                lambda: {
                    "lead_id": self.lead.id,
                    "stage_id": self.requirement.stage_id.id,
                    "reason": "The customer gives the phone number at the meeting.",
                },
            ),
        }

    def _buttons(self):
        """{(model, method, context text)} of the object buttons of the covered views."""
        views = (
            self.env["ir.ui.view"]
            .with_context(active_test=False)
            .search([("arch_fs", "like", "crm_process_std/%")])
        )
        found = set()
        for view in views:
            if view.arch_fs.rsplit("/", 1)[-1] not in VIEW_FILES:
                continue
            for node in etree.fromstring(view.arch_db).iter("button"):
                if node.get("type") == "object":
                    found.add((view.model, node.get("name"), node.get("context") or "{}"))
        return found

    def test_every_button_works_as_the_web_client_presses_it(self):
        plan = self._plan()
        buttons = self._buttons()
        self.assertFalse(
            {(model, method) for model, method, _context in buttons} - plan.keys(),
            "a new button of these views: add how to press it to the plan",
        )
        users = {
            user.login: user for user in (self.salesman, self.manager, self.after_sales, self.admin)
        }
        for model, method, context_text in sorted(buttons):
            context = ast.literal_eval(context_text)
            with self.subTest(model=model, method=method, context=context):
                login, make = plan[model, method]
                target = make()
                if isinstance(target, dict):  # a dialog, saved by its user first
                    target = self.env[model].with_user(users[login]).create(target)
                self.env.flush_all()
                self.authenticate(login, login)
                result = self.button(model, target.id, method, context)
                if isinstance(result, dict) and result.get("type") == "ir.actions.act_window":
                    self.assertTrue(result.get("name"), f"{model}.{method}: untitled window")

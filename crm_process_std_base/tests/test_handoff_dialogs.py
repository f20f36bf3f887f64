# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 17, items 7 and 11b, pressed the way the web client presses them: the Accept /
Reject dialogs of handoffs and the Approve / Reject dialogs of approvals carry a title,
and accepting through the dialog stops the handoff clock at once."""

from odoo.tests import HttpCase, new_test_user

from .test_handoff import HandoffCase


class WebClientCase(HttpCase):
    def button(self, model, record_id, method, context=None):
        """Press an object button: what ``/web/dataset/call_button`` answers."""
        return self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {
                "model": model,
                "method": method,
                "args": [[record_id]],
                "kwargs": {"context": {"lang": "en_US", **(context or {})}},
            },
        )

    def call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def open_dialog(self, action, values):
        """Open the dialog of a window action as the web client does (defaults from the
        action's context), fill it in and save it; return the wizard's id."""
        context = {"lang": "en_US", **action["context"]}
        spec = {name: {} for name in values}
        self.call_kw(action["res_model"], "onchange", [[], {}, [], spec], {"context": context})
        saved = self.call_kw(
            action["res_model"],
            "web_save",
            [[], values],
            {"specification": {"display_name": {}}, "context": context},
        )
        return saved[0]["id"]


class TestHandoffDialogs(WebClientCase, HandoffCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()

    def _submitted(self):
        handoff = self._submitted_handoff()
        self.env.flush_all()
        return handoff

    def test_accept_and_reject_dialogs_have_a_title(self):
        handoff = self._submitted()
        self.authenticate("ho_receiver", "ho_receiver")
        for decision, verb in (("accept", "Accept"), ("reject", "Reject")):
            action = self.button(
                "crm.handoff", handoff.id, "action_open_decision", {"handoff_decision": decision}
            )
            self.assertEqual(action["res_model"], "crm.handoff.decision")
            self.assertEqual(action["name"], f"{verb} {handoff.name}")


class TestApprovalDialogs(WebClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.salesperson = new_test_user(
            env, login="apd_sales", groups="sales_team.group_sale_salesman"
        )
        cls.manager = new_test_user(
            env, login="apd_manager", groups="sales_team.group_sale_manager"
        )
        cls.team = env["crm.team"].create({"name": "Dialog Big Deals", "user_id": cls.manager.id})
        cls.level = env["crm.approval.level"].create(
            {
                "name": "Dialog Manager Level",
                "min_amount": 100000,
                "approver_group_id": env.ref("sales_team.group_sale_manager").id,
                "team_ids": cls.team.ids,
            }
        )
        cls.lead = env["crm.lead"].create(
            {
                "name": "Dialog: harbour cranes",
                "type": "opportunity",
                "user_id": cls.salesperson.id,
                "team_id": cls.team.id,
                "expected_revenue": 150000,
            }
        )

    def _pending(self):
        self.lead.with_user(self.salesperson).action_request_approval()
        approval = self.lead.approval_ids.filtered(lambda a: a.state == "pending")
        self.env.flush_all()
        return approval

    def test_approve_and_reject_dialogs_have_a_title_and_decide(self):
        approval = self._pending()
        self.authenticate("apd_manager", "apd_manager")
        titles = {}
        for decision in ("approve", "reject"):
            action = self.button(
                "crm.lead.approval",
                approval.id,
                "action_open_decision",
                {"approval_decision": decision},
            )
            self.assertEqual(action["res_model"], "crm.lead.approval.decision")
            titles[decision] = action["name"]
        self.assertEqual(titles["approve"], "Approve Dialog Manager Level: Dialog: harbour cranes")
        self.assertEqual(titles["reject"], "Reject Dialog Manager Level: Dialog: harbour cranes")

        action = self.button(
            "crm.lead.approval",
            approval.id,
            "action_open_decision",
            {"approval_decision": "approve"},
        )
        wizard_id = self.open_dialog(action, {"comment": "Margin is fine."})
        self.button("crm.lead.approval.decision", wizard_id, "action_confirm", action["context"])
        self.env.invalidate_all()
        self.assertEqual(approval.state, "approved")

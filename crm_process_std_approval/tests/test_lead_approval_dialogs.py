# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pressed the way the web client presses them: the Approve / Reject
dialogs of approvals carry a title and decide."""

from odoo.tests import new_test_user, tagged

from odoo.addons.crm_process_std_base.tests.common import WebClientCase


@tagged("post_install", "-at_install")
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

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every object button of this addon's views is pressed through
``/web/dataset/call_button``, with the context the view gives it, on a real record, by a
user the button is shown to. None crashes, and every window it opens has a title (a
dialog without one is titled "Odoo").

A button added to these views without a way to press it here fails the test."""

import ast

from lxml import etree

from odoo.tests import HttpCase, new_test_user, tagged

SUMMARY = {
    "previous_conclusion": "Quoted last week.",
    "value_delivered": "Answered the questions on delivery.",
    "next_step": "Wait for the board's decision.",
}


@tagged("post_install", "-at_install")
class TestFollowupButtons(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.salesman = new_test_user(
            env,
            login="fu_btn_sales",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        cls.manager = new_test_user(
            env, login="fu_btn_manager", groups="sales_team.group_sale_manager"
        )
        cls.admin = new_test_user(
            env, login="fu_btn_process_admin", groups="crm_process_std_base.group_process_admin"
        )
        cls.customer = env["res.partner"].create({"name": "Button Works Ltd", "is_company": True})
        cls.lead = env["crm.lead"].create(
            {
                "name": "Buttons: 20 forklifts",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "user_id": cls.salesman.id,
            }
        )
        cls.followup = env["crm.followup"].create(
            {"lead_id": cls.lead.id, "partner_id": cls.customer.id,
             "user_id": cls.salesman.id, **SUMMARY}
        )  # fmt: skip
        cls.activity = cls.lead.activity_schedule(
            "mail.mail_activity_data_call", user_id=cls.salesman.id
        )
        Cadence = env["crm.cadence.rule"]
        cls.cadence = Cadence.create({"name": "Buttons: weekly", "interval_days": 7})

    def _plan(self):
        """(model, method) -> (login, function giving the record)."""
        return {
            ("crm.lead", "action_crm_log_followup"): ("fu_btn_sales", lambda: self.lead),
            ("crm.lead", "action_crm_view_followups"): ("fu_btn_sales", lambda: self.lead),
            ("res.partner", "action_crm_view_followups"): ("fu_btn_sales", lambda: self.customer),
            ("res.partner", "action_crm_log_followup"): ("fu_btn_sales", lambda: self.customer),
            ("res.partner", "action_crm_std_recompute_tier"): (
                "fu_btn_manager",
                lambda: self.customer,
            ),
            ("crm.followup", "action_open_lead"): ("fu_btn_sales", lambda: self.followup),
            ("mail.activity", "action_crm_log_followup"): ("fu_btn_sales", lambda: self.activity),
            ("crm.cadence.rule", "action_view_reminders"): (
                "fu_btn_process_admin",
                lambda: self.cadence,
            ),
        }

    def _buttons(self):
        """{(model, method, context text)} of the object buttons of this addon's views."""
        views = (
            self.env["ir.ui.view"]
            .with_context(active_test=False)
            .search([("arch_fs", "=like", "crm_process_std_followup/%")])
        )
        found = set()
        for view in views:
            for node in etree.fromstring(view.arch_db).iter("button"):
                if node.get("type") == "object":
                    found.add((view.model, node.get("name"), node.get("context") or "{}"))
        return found

    def test_every_button_works_as_the_web_client_presses_it(self):
        plan = self._plan()
        buttons = self._buttons()
        self.assertEqual(
            {(model, method) for model, method, _context in buttons},
            set(plan),
            "every button of these views has a way to press it here, and no other",
        )
        for model, method, context_text in sorted(buttons):
            context = ast.literal_eval(context_text)
            with self.subTest(model=model, method=method, context=context):
                login, make = plan[model, method]
                target = make()
                self.env.flush_all()
                self.authenticate(login, login)
                result = self.make_jsonrpc_request(
                    "/web/dataset/call_button",
                    {
                        "model": model,
                        "method": method,
                        "args": [[target.id]],
                        "kwargs": {"context": {"lang": "en_US", **context}},
                    },
                )
                if isinstance(result, dict) and result.get("type") == "ir.actions.act_window":
                    self.assertTrue(result.get("name"), f"{model}.{method}: untitled window")

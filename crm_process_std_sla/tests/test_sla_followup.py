# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A follow-up logged on a lead, even a prospect without customer, stops the clocks
waiting for it ("Needs research")."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import Form, new_test_user, tagged

from odoo.addons.crm_process_std_base.tests.common import WebClientCase

from .common import SlaCase

SUMMARY = {
    "previous_conclusion": "Met at the Canton Fair.",
    "value_delivered": "Explained our delivery lead times.",
    "next_step": "Send the catalogue.",
}


def _prospect(env, user, name="Walk-in visitor: 12 office chairs"):
    return env["crm.lead"].create(
        {"name": name, "type": "lead", "contact_name": "Mr. Zhao", "user_id": user.id}
    )


class TestSlaFollowup(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.node = cls.env.ref("crm_process_std_sla.sla_node_needs_research")
        cls.node.write({"active": True, "team_ids": False, "company_id": False})

    def test_followup_logged_stops_the_needs_research_clock_of_a_prospect(self):
        with freeze_time("2026-03-02 06:00:00"):
            lead = _prospect(self.env, self.salesman)
        self.end_of_request()
        timer = self._timer(lead, self.node)
        self.assertEqual(timer.state, "running")
        action = lead.with_user(self.salesman).action_crm_log_followup()
        with freeze_time("2026-03-02 09:00:00"):
            form = Form(
                self.env["crm.followup"].with_user(self.salesman).with_context(**action["context"])
            )
            for name, value in SUMMARY.items():
                setattr(form, name, value)
            form.save()
        self.assertEqual(timer.state, "met")
        self.assertEqual(timer.date_stop, datetime(2026, 3, 2, 9, 0))
        self.assertAlmostEqual(timer.duration_hours, 3.0)


@tagged("post_install", "-at_install")
class TestSlaFollowupRpc(WebClientCase):
    """The same, as the web client logs the follow-up: the lead's button, then the
    form's save."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="sla_rpc_sales", groups="sales_team.group_sale_salesman"
        )
        cls.node = cls.env.ref("crm_process_std_sla.sla_node_needs_research")
        cls.node.write({"active": True, "team_ids": False, "company_id": False})

    def test_salesperson_logs_followup_on_prospect_over_rpc(self):
        lead = _prospect(self.env, self.salesman, "Phone enquiry: 3 sofas")
        self.env.cr.flush()  # the lead's creation committed: its clock runs
        timer = lead.crm_sla_timer_ids.filtered(lambda t: t.node_id == self.node)
        self.assertEqual(timer.state, "running")
        self.authenticate("sla_rpc_sales", "sla_rpc_sales")
        action = self.button("crm.lead", lead.id, "action_crm_log_followup")
        self.call_kw(
            "crm.followup",
            "web_save",
            [[], {"lead_id": lead.id, **SUMMARY}],
            {"specification": {"display_name": {}}, "context": action["context"]},
        )
        self.env.invalidate_all()
        self.assertEqual(timer.state, "met")

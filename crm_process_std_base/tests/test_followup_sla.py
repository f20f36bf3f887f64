# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A follow-up logged on a prospect stops its "needs research" clock, also over RPC."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import Form, HttpCase, new_test_user

from .followup_common import FollowupCase

SUMMARY = {
    "previous_conclusion": "Met at the Canton Fair.",
    "value_delivered": "Explained our delivery lead times.",
    "next_step": "Send the catalogue.",
}


class TestFollowupSlaProspect(FollowupCase):
    """A salesperson follows up a lead that has no customer yet."""

    def _prospect(self, **values):
        return self.env["crm.lead"].create(
            {
                "name": "Walk-in visitor: 12 office chairs",
                "type": "lead",
                "contact_name": "Mr. Zhao",
                "user_id": self.salesman.id,
                "team_id": self.team.id,
                **values,
            }
        )

    def _log_from_lead(self, lead, user=None, **values):
        """Log a follow-up the way the lead's "Log Follow-up" button opens the form."""
        action = lead.with_user(user or self.salesman).action_crm_log_followup()
        form = Form(
            self.env["crm.followup"]
            .with_user(user or self.salesman)
            .with_context(**action["context"])
        )
        for name, value in {**SUMMARY, **values}.items():
            setattr(form, name, value)
        return form.save()

    def test_followup_logged_stops_the_needs_research_clock_of_a_prospect(self):
        node = self.env.ref("crm_process_std_base.sla_node_needs_research")
        node.active = True
        with freeze_time("2026-03-02 06:00:00"):
            lead = self._prospect()
            timer = lead.crm_sla_timer_ids.filtered(lambda t: t.node_id == node)
        self.assertEqual(timer.state, "running")
        with freeze_time("2026-03-02 09:00:00"):
            self._log_from_lead(lead)
        self.assertEqual(timer.state, "met")
        self.assertEqual(timer.date_stop, datetime(2026, 3, 2, 9, 0))


class TestFollowupSlaProspectRpc(HttpCase):
    """The same, as the web client calls it: the lead's button, the form's onchange and
    save, the customer's deletion."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="fu_sla_rpc_sales", groups="sales_team.group_sale_salesman"
        )

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_salesperson_logs_followup_on_prospect_over_rpc(self):
        node = self.env.ref("crm_process_std_base.sla_node_needs_research")
        node.active = True
        self.lead = self.env["crm.lead"].create(
            {"name": "Phone enquiry: 3 sofas", "type": "lead", "user_id": self.salesman.id}
        )
        self.assertEqual(
            self.lead.crm_sla_timer_ids.filtered(lambda t: t.node_id == node).state, "running"
        )
        self.authenticate("fu_sla_rpc_sales", "fu_sla_rpc_sales")
        action = self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {
                "model": "crm.lead",
                "method": "action_crm_log_followup",
                "args": [[self.lead.id]],
                "kwargs": {"context": {"lang": "en_US"}},
            },
        )
        self.assertTrue(action["name"])
        context = action["context"]
        spec = {
            name: {} for name in ("partner_id", "lead_id", "previous_conclusion", "channel", "date")
        }
        defaults = self._call_kw(
            "crm.followup", "onchange", [[], {}, [], spec], {"context": context}
        )["value"]
        lead = defaults["lead_id"]
        self.assertEqual(lead["id"] if isinstance(lead, dict) else lead, self.lead.id)
        self.assertFalse(defaults["partner_id"])
        saved = self._call_kw(
            "crm.followup",
            "web_save",
            [[], {"lead_id": self.lead.id, "channel": defaults["channel"], **SUMMARY}],
            {"specification": {"display_name": {}, "partner_id": {}}, "context": context},
        )
        followup = self.env["crm.followup"].browse(saved[0]["id"])
        self.assertIn("Phone enquiry", saved[0]["display_name"])
        self.assertEqual(followup.lead_id, self.lead)
        self.assertEqual(
            self.lead.crm_sla_timer_ids.filtered(lambda t: t.node_id == node).state, "met"
        )

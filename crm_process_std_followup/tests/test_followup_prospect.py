# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Follow-ups of prospects without a customer, next actions
without a date, customers with follow-ups refused deletion with a clear message."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user

from odoo.addons.crm_process_std_base.tests.followup_common import FollowupCase

SUMMARY = {
    "previous_conclusion": "Met at the Canton Fair.",
    "value_delivered": "Explained our delivery lead times.",
    "next_step": "Send the catalogue.",
}


class TestFollowupProspect(FollowupCase):
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

    def test_followup_logged_on_prospect_without_customer(self):
        lead = self._prospect()
        with freeze_time("2026-03-02 06:00:00"):
            followup = self._log_from_lead(lead)
        self.assertFalse(followup.partner_id)
        self.assertEqual(followup.lead_id, lead)
        self.assertIn(lead.name, followup.display_name)
        self.assertEqual(lead.crm_followup_count, 1)
        self.assertEqual(lead.last_contact_date, datetime(2026, 3, 2, 6, 0))
        self.assertIn("Send the catalogue.", lead.last_contact_summary)
        found = self.env["crm.followup"].with_user(self.salesman).name_search("Walk-in visitor")
        self.assertEqual([record_id for record_id, _name in found], followup.ids)

    def test_followup_without_customer_nor_lead_refused(self):
        with self.assertRefused(ValidationError, "customer or on a lead / opportunity"):
            self.env["crm.followup"].with_user(self.salesman).create(dict(SUMMARY))
        followup = self._log_from_lead(self._prospect())
        with self.assertRefused(ValidationError, "customer or on a lead / opportunity"):
            followup.with_user(self.salesman).write({"lead_id": False})

    def test_prospect_followups_count_for_the_customer_the_lead_gets(self):
        lead = self._prospect()
        with freeze_time("2026-03-02 06:00:00"):
            followup = self._log_from_lead(lead)
        self.assertEqual(self.customer.crm_followup_count, 0, "no customer yet: not counted")
        self.assertFalse(self.customer.last_contact_date)

        lead.with_user(self.salesman).write({"partner_id": self.contact.id})
        self.assertEqual(followup.partner_id, self.customer)
        self.assertEqual(followup.contact_id, self.contact)
        self.assertEqual(self.customer.crm_followup_count, 1)
        self.assertEqual(self.customer.last_contact_date, datetime(2026, 3, 2, 6, 0))

        # a later change of customer leaves the history with the first one
        other = self.env["res.partner"].create({"name": "Other Buyer Co", "is_company": True})
        lead.with_user(self.salesman).write({"partner_id": other.id})
        self.assertEqual(followup.partner_id, self.customer)

    def test_merged_prospect_followups_count_for_the_surviving_leads_customer(self):
        prospect = self._prospect()
        followup = self._log_from_lead(prospect)
        deal = self._lead()
        merged = (deal | prospect).with_user(self.salesman)._merge_opportunity()
        self.assertEqual(merged, deal)
        self.assertEqual(followup.lead_id, deal)
        self.assertEqual(followup.partner_id, self.customer)

    def test_deleting_a_prospect_deletes_its_followups_customer_history_stays(self):
        prospect = self._prospect()
        of_prospect = self._log_from_lead(prospect)
        deal = self._lead()
        of_customer = self._log_from_lead(deal)
        (prospect | deal).with_user(self.leader).unlink()
        self.assertFalse(of_prospect.exists())
        self.assertTrue(of_customer.exists())
        self.assertFalse(of_customer.lead_id)
        self.assertEqual(of_customer.partner_id, self.customer)

    def test_customer_with_followups_not_deleted_and_told_why(self):
        self.env["crm.followup"].create({"partner_id": self.contact.id, **SUMMARY})
        manager = new_test_user(
            self.env,
            login="fu_partner_manager",
            groups="sales_team.group_sale_manager,base.group_partner_manager",
        )
        with self.assertRefused(UserError, self.contact.name, "Archive them instead"):
            self.contact.with_user(manager).unlink()
        self.assertTrue(self.contact.exists())

    @freeze_time("2026-03-02 06:00:00")
    def test_next_action_without_date_scheduled_and_copied_to_the_lead(self):
        activity_type = self.env.ref("crm_process_std_followup.mail_activity_type_followup")
        activity_type.write({"delay_count": 2, "delay_unit": "days"})
        lead = self._prospect()
        followup = self._log_from_lead(lead, next_action="Send the detailed quotation")
        self.assertEqual(followup.next_action_date, date(2026, 3, 4))
        activity = followup.next_activity_id
        self.assertEqual((activity.res_model, activity.res_id), ("crm.lead", lead.id))
        self.assertEqual(activity.date_deadline, date(2026, 3, 4))
        self.assertEqual(activity.summary, "Send the detailed quotation")
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(lead.next_action, "Send the detailed quotation")
        self.assertEqual(lead.next_action_date, date(2026, 3, 4))

    @freeze_time("2026-03-02 06:00:00")
    def test_next_action_without_date_nor_delay_is_due_today(self):
        self.env.ref("crm_process_std_followup.mail_activity_type_followup").delay_count = 0
        lead = self._lead()
        followup = self._log_from_lead(lead, next_action="Call back")
        self.assertEqual(followup.next_activity_id.date_deadline, date(2026, 3, 2))
        self.assertEqual(lead.next_action_date, date(2026, 3, 2))

    def test_older_followup_does_not_replace_the_leads_next_action(self):
        lead = self._lead()
        self._log_from_lead(
            lead,
            date=datetime(2026, 3, 5, 8, 0),
            next_action="Visit the plant",
            next_action_date=date(2026, 3, 9),
        )
        self._log_from_lead(
            lead,
            date=datetime(2026, 3, 1, 8, 0),
            next_action="Send the brochure",
            next_action_date=date(2026, 3, 3),
        )
        self.assertEqual(lead.next_action, "Visit the plant")
        self.assertEqual(lead.next_action_date, date(2026, 3, 9))


class TestFollowupProspectRpc(HttpCase):
    """The same, as the web client calls it: the lead's button, the form's onchange and
    save, the customer's deletion."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="fu_rpc_sales", groups="sales_team.group_sale_salesman"
        )
        cls.manager = new_test_user(
            cls.env,
            login="fu_rpc_manager",
            groups="sales_team.group_sale_manager,base.group_partner_manager",
        )

    def _error_message(self, model, method, args):
        """The message the web client shows for a refused call."""
        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"model": model, "method": method, "args": args, "kwargs": {}},
            },
        )
        error = response.json()["error"]["data"]
        return f"{error['name']}: {error['message']}"

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_salesperson_logs_followup_on_prospect_over_rpc(self):
        self.lead = self.env["crm.lead"].create(
            {"name": "Phone enquiry: 3 sofas", "type": "lead", "user_id": self.salesman.id}
        )
        self.authenticate("fu_rpc_sales", "fu_rpc_sales")
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

    def test_deleting_a_customer_with_followups_says_why(self):
        customer = self.env["res.partner"].create({"name": "Sofa King Ltd", "is_company": True})
        self.env["crm.followup"].create({"partner_id": customer.id, **SUMMARY})
        self.authenticate("fu_rpc_manager", "fu_rpc_manager")
        message = self._error_message("res.partner", "unlink", [[customer.id]])
        self.assertIn("UserError", message)
        self.assertIn("Sofa King Ltd cannot be deleted", message)
        self.assertIn("Archive them instead", message)
        self.assertNotIn("another model requires", message)
        self.assertTrue(customer.exists())

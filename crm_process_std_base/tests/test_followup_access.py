# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .followup_common import FollowupCase


class TestFollowupAccess(FollowupCase):
    """Follow-ups, complaints and SLA timers mirror CRM's own documents rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.all_docs = new_test_user(
            env, login="fu_all_docs", groups="sales_team.group_sale_salesman_all_leads"
        )
        cls.after_sales = new_test_user(
            env, login="fu_after_sales", groups="crm_process_std_base.group_after_sales"
        )
        cls.other_after_sales = new_test_user(
            env, login="fu_after_sales_2", groups="crm_process_std_base.group_after_sales"
        )
        cls.other_customer = env["res.partner"].create({"name": "Other Co", "is_company": True})
        Followup = env["crm.followup"]
        summary = {
            "previous_conclusion": "First contact.",
            "value_delivered": "Presented the catalogue.",
            "next_step": "Call back next week.",
        }
        cls.my_lead = env["crm.lead"].create(
            {"name": "Mine", "partner_id": cls.customer.id, "user_id": cls.salesman.id}
        )
        cls.other_lead = env["crm.lead"].create(
            {"name": "Theirs", "partner_id": cls.other_customer.id,
             "user_id": cls.other_salesman.id}
        )  # fmt: skip
        cls.mine = Followup.create(
            {"partner_id": cls.other_customer.id, "user_id": cls.salesman.id, **summary}
        )
        cls.on_my_lead = Followup.create(
            {"partner_id": cls.customer.id, "lead_id": cls.my_lead.id,
             "user_id": cls.other_salesman.id, **summary}
        )  # fmt: skip
        cls.theirs = Followup.create(
            {"partner_id": cls.other_customer.id, "lead_id": cls.other_lead.id,
             "user_id": cls.other_salesman.id, **summary}
        )  # fmt: skip

    def _visible(self, user, records):
        return records.with_user(user).search([("id", "in", records.ids)])

    def test_salesperson_sees_sla_timers_of_own_leads_only(self):
        timers = self.env["crm.sla.timer"].search(
            [("lead_id", "in", (self.my_lead | self.other_lead).ids)]
        )
        self.assertTrue(timers.filtered(lambda t: t.lead_id == self.other_lead))
        self.assertEqual(
            self._visible(self.salesman, timers).lead_id, self.my_lead, "only his own lead"
        )

    def test_after_sales_handles_complaints_assigned_to_them_or_unassigned(self):
        Complaint = self.env["crm.complaint"]
        assigned = Complaint.create(
            {"name": "Mine", "partner_id": self.other_customer.id, "user_id": self.after_sales.id}
        )
        unassigned = Complaint.create(
            {"name": "Free", "partner_id": self.other_customer.id, "user_id": False}
        )
        elsewhere = Complaint.create(
            {"name": "Theirs", "partner_id": self.other_customer.id,
             "user_id": self.other_after_sales.id}
        )  # fmt: skip
        complaints = assigned | unassigned | elsewhere
        self.assertEqual(self._visible(self.after_sales, complaints), assigned | unassigned)
        unassigned.with_user(self.after_sales).write({"user_id": self.after_sales.id})
        assigned.with_user(self.after_sales).action_start()
        self.assertEqual(assigned.state, "in_progress")
        with self.assertRaises(AccessError):
            elsewhere.with_user(self.after_sales).action_start()
        self.assertEqual(self._visible(self.salesman, complaints), Complaint)

    def test_salesperson_cannot_configure_cadences_or_timers(self):
        with self.assertRaises(AccessError):
            self.env["crm.sla.node"].with_user(self.leader).create(
                {"name": "Node", "time_limit_hours": 1}
            )

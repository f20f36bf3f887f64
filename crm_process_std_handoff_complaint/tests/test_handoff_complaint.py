# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Where handoffs and complaints meet: a handoff lists the customer's open complaints,
and a complaint recorded outside after-sales goes to the receiving team's leader."""

from freezegun import freeze_time

from odoo.tests import new_test_user

from odoo.addons.crm_process_std_complaint.tests.test_complaint import ComplaintOwnerCase
from odoo.addons.crm_process_std_handoff.tests.test_handoff import HandoffCase


class TestHandoffListsOpenComplaints(HandoffCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.complaint"].create(
            {"name": "Scratched sample desk", "partner_id": cls.customer.id, "severity": "urgent"}
        )
        cls.env["crm.complaint"].create(
            {
                "name": "Late catalogue",
                "partner_id": cls.customer.id,
                "state": "resolved",
                "resolution": "<p>Catalogue sent by express courier</p>",
            }
        )

    def test_won_opportunity_handoff_lists_the_open_complaints(self):
        with freeze_time("2026-03-02 10:00:00"):
            handoff = self._win()
        self.assertIn("Scratched sample desk", handoff.open_issues)
        self.assertNotIn("Late catalogue", handoff.open_issues, "resolved complaints are closed")

    def test_complaints_of_another_company_left_out(self):
        company_b = self.env["res.company"].create({"name": "Handoff Company B"})
        self.env["crm.complaint"].create(
            {
                "name": "Company B broken chair",
                "partner_id": self.customer.id,
                "company_id": company_b.id,
            }
        )
        handoff = self._win()
        self.assertIn("Scratched sample desk", handoff.open_issues)
        self.assertNotIn("Company B broken chair", handoff.open_issues)

    def test_customer_without_open_complaint_says_so(self):
        self.env["crm.complaint"].search([("partner_id", "=", self.customer.id)]).write(
            {"state": "resolved", "resolution": "<p>Solved</p>"}
        )
        handoff = self._win()
        self.assertIn("No open complaint.", handoff.open_issues)


class TestComplaintGoesToTheReceivingTeam(ComplaintOwnerCase):
    """A complaint of a salesperson goes to the leader of the team
    receiving handoffs (after-sales), who dispatches it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.after_sales_lead = new_test_user(
            cls.env, login="cmp_as_leader", groups="crm_process_std_base.group_after_sales"
        )
        cls.after_sales_team = cls.env["crm.team"].create(
            {"name": "Complaint After-Sales", "user_id": cls.after_sales_lead.id}
        )
        cls.env.company.crm_handoff_team_id = cls.after_sales_team

    def test_after_sales_author_owns_the_complaint(self):
        self.assertEqual(self._record(self.after_sales).user_id, self.after_sales)

    def test_salesperson_complaint_goes_to_the_after_sales_leader(self):
        complaint = self._record(self.salesman)
        self.assertEqual(complaint.user_id, self.after_sales_lead)
        # the salesperson still sees the complaint it recorded
        self.assertTrue(complaint.with_user(self.salesman).read(["name"]))

    def test_no_after_sales_team_configured_leaves_it_to_the_pool(self):
        self.env.company.crm_handoff_team_id = False
        self.assertFalse(self._record(self.salesman).user_id)

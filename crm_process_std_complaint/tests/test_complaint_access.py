# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_process_std_base.tests.followup_common import FollowupCase


@tagged("post_install", "-at_install")
class TestComplaintAccess(FollowupCase):
    """After-sales users handle the complaints assigned to them or waiting for an owner;
    salespeople see the complaints of their customers (CRM's own documents rule)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.after_sales = new_test_user(
            cls.env, login="cmp_acc_after_sales", groups="crm_process_std_base.group_after_sales"
        )
        cls.other_after_sales = new_test_user(
            cls.env, login="cmp_acc_after_sales_2", groups="crm_process_std_base.group_after_sales"
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Co", "is_company": True})

    def _visible(self, user, records):
        return records.with_user(user).search([("id", "in", records.ids)])

    def test_after_sales_handles_complaints_assigned_to_them_or_unassigned(self):
        Complaint = self.env["crm.complaint"]
        assigned = Complaint.create(
            {"name": "Mine", "partner_id": self.other_customer.id, "user_id": self.after_sales.id}
        )
        unassigned = Complaint.create(
            {"name": "Free", "partner_id": self.other_customer.id, "user_id": False}
        )
        elsewhere = Complaint.create(
            {
                "name": "Theirs",
                "partner_id": self.other_customer.id,
                "user_id": self.other_after_sales.id,
            }
        )
        complaints = assigned | unassigned | elsewhere
        self.assertEqual(self._visible(self.after_sales, complaints), assigned | unassigned)
        unassigned.with_user(self.after_sales).write({"user_id": self.after_sales.id})
        assigned.with_user(self.after_sales).action_start()
        self.assertEqual(assigned.state, "in_progress")
        with self.assertRaises(AccessError):
            elsewhere.with_user(self.after_sales).action_start()
        self.assertEqual(self._visible(self.salesman, complaints), Complaint)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.crm_process_std_base.tests.followup_common import FollowupCase


class TestCadenceOfComplaints(FollowupCase):
    def _followed(self, rule):
        """The customers the rule follows (its segment, before the earlier rules')."""
        return self.env["res.partner"].search(rule._filter_domain())

    def test_customer_with_an_unresolved_complaint_followed_weekly(self):
        rule = self.env.ref("crm_process_std_followup_complaint.cadence_rule_at_risk_customers")
        self.assertEqual((rule.applies_to, rule.interval_days), ("partner", 7))
        self.assertNotIn(self.customer, self._followed(rule))
        complaint = self.env["crm.complaint"].create(
            {"name": "Late delivery", "partner_id": self.customer.id}
        )
        self.assertIn(self.customer, self._followed(rule))
        complaint.write({"state": "resolved", "resolution": "<p>Delivered with a discount.</p>"})
        self.assertNotIn(self.customer, self._followed(rule))

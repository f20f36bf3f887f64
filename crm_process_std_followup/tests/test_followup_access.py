# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from odoo.addons.crm_process_std_base.tests.followup_common import FollowupCase


class TestFollowupAccess(FollowupCase):
    """Follow-ups mirror CRM's own documents rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.all_docs = new_test_user(
            env, login="fu_all_docs", groups="sales_team.group_sale_salesman_all_leads"
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

    def test_salesperson_sees_only_own_followups_and_those_of_own_leads(self):
        followups = self.mine | self.on_my_lead | self.theirs
        self.assertEqual(self._visible(self.salesman, followups), self.mine | self.on_my_lead)
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.salesman).read(["summary"])

    def test_all_documents_salesperson_sees_every_followup(self):
        followups = self.mine | self.on_my_lead | self.theirs
        self.assertEqual(self._visible(self.all_docs, followups), followups)

    def test_followups_of_another_company_hidden(self):
        company = self.env["res.company"].create({"name": "Branch Office"})
        hidden = self.mine.copy({"company_id": company.id})
        self.assertFalse(self._visible(self.all_docs, hidden))
        self.all_docs.write({"company_ids": [(4, company.id)]})
        self.assertEqual(self._visible(self.all_docs, hidden), hidden)

    def test_salesperson_cannot_configure_cadences(self):
        with self.assertRaises(AccessError):
            self.env["crm.cadence.rule"].with_user(self.salesman).create(
                {"name": "Daily", "interval_days": 1}
            )

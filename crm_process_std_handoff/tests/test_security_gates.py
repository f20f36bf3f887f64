# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every way a lead arrives in a stage passes the handoff gate."""

from odoo import Command
from odoo.exceptions import UserError

from odoo.addons.crm_process_std_base.tests.common import StageRequirementCase


class TestHandoffGateOnEveryEntry(StageRequirementCase):
    """The salesperson tries to create or move a lead into a gated stage around
    the write gates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.won = cls.env["crm.stage"].create(
            {
                "name": "Std Won",
                "sequence": 15,
                "is_won": True,
                "team_ids": [Command.set([cls.team.id, cls.other_team.id])],
            }
        )
        # A team whose entry stage (the stage crm computes when none is given) is gated.
        cls.gated_team = cls.env["crm.team"].create(
            {"name": "Std Gated Team", "member_ids": [Command.link(cls.salesperson.id)]}
        )
        cls.gated_entry = cls.env["crm.stage"].create(
            {
                "name": "Std Gated Entry",
                "sequence": 0,
                "team_ids": [Command.set([cls.gated_team.id])],
            }
        )

    def _Lead(self, **context):
        return self.env["crm.lead"].with_user(self.salesperson).with_context(**context)

    def _count(self, name):
        return (
            self.env["crm.lead"].with_context(active_test=False).search_count([("name", "=", name)])
        )

    def test_handoff_gate_on_creation(self):
        self.env.company.crm_handoff_stage_id = self.closing
        with self.assertRaisesRegex(UserError, "accepted the handoff"):
            self._Lead(default_stage_id=self.closing.id).create(
                {"name": "Handoff attack", "type": "opportunity", "team_id": self.team.id}
            )
        self.assertEqual(self._count("Handoff attack"), 0)

    def test_lead_created_won_gets_its_handoff(self):
        self.env.company.crm_handoff_auto_create = True
        lead = self._Lead(default_stage_id=self.won.id).create(
            {"name": "Created won", "type": "opportunity", "team_id": self.team.id}
        )
        self.assertEqual(lead.won_status, "won")
        self.assertEqual(len(lead.sudo().handoff_ids), 1, "handed over like a won write")

    def test_merge_moves_the_handoff_to_the_surviving_lead(self):
        head = self.make_lead(name="Merge head", probability=90)
        tail = self.make_lead(name="Merge tail", probability=10, partner_id=self.customer.id)
        handoff = self.env["crm.handoff"].create({"lead_id": tail.id})
        survivor = (head | tail).with_user(self.salesperson).merge_opportunity()
        self.assertFalse(((head | tail) - survivor).exists())
        self.assertEqual(handoff.lead_id, survivor)

    def test_won_deal_makes_company_a_customer(self):
        won_stage = self.env["crm.stage"].create(
            {"name": "Std Won", "sequence": 15, "is_won": True, "team_ids": [(6, 0, self.team.ids)]}
        )
        self.customer.customer_type = "potential"
        # With the handoff deciding it (default), winning alone does not make a customer.
        self.env.company.crm_handoff_marks_customer = True
        lead = self.make_lead("Std Winning deal", partner_id=self.customer.id)
        lead.write({"stage_id": won_stage.id})
        self.assertEqual(self.customer.customer_type, "potential")
        # Without the handoff step, the win itself makes the company a customer.
        self.env.company.crm_handoff_marks_customer = False
        lead = self.make_lead("Std Second deal", partner_id=self.customer.id)
        lead.write({"stage_id": won_stage.id})
        self.assertEqual(self.customer.customer_type, "customer")

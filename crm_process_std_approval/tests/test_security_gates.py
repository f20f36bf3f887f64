# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every way a lead arrives in a stage passes the approval gate."""

from odoo import Command
from odoo.exceptions import UserError

from odoo.addons.crm_process_std_base.tests.common import StageRequirementCase


class TestApprovalGateOnEveryEntry(StageRequirementCase):
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

    def test_approval_gate_on_creation(self):
        self.env.company.crm_approval_stage_id = self.proposal
        self.env["crm.approval.level"].create(
            {
                "name": "Std Manager Level",
                "min_amount": 100000,
                "approver_group_id": self.env.ref("sales_team.group_sale_manager").id,
                "company_id": self.env.company.id,
            }
        )
        with self.assertRaisesRegex(UserError, "need approval"):
            self._Lead(default_stage_id=self.closing.id).create(
                {
                    "name": "Approval attack",
                    "type": "opportunity",
                    "team_id": self.team.id,
                    "expected_revenue": 250000,
                }
            )
        self.assertEqual(self._count("Approval attack"), 0)

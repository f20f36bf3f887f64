# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every way a lead arrives in a stage passes the stage gates."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import StageRequirementCase


class TestGatesOnEveryEntry(StageRequirementCase):
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

    def test_context_default_stage_is_gated_like_a_write(self):
        self.make_requirement(self.proposal, ("phone",))
        with self.assertRaisesRegex(UserError, "Std Proposal.*\n.*Phone"):
            self._Lead(default_stage_id=self.proposal.id).create(
                {"name": "Default stage attack", "type": "opportunity", "team_id": self.team.id}
            )
        self.assertEqual(self._count("Default stage attack"), 0, "nothing half-saved")

    def test_team_entry_stage_is_gated(self):
        self.make_requirement(self.gated_entry, ("phone",))
        with self.assertRaisesRegex(UserError, "Std Gated Entry"):
            self._Lead().create(
                {
                    "name": "Team default attack",
                    "type": "opportunity",
                    "team_id": self.gated_team.id,
                }
            )
        self.assertEqual(self._count("Team default attack"), 0)

    def test_team_change_recomputing_the_stage_is_gated(self):
        self.make_requirement(self.gated_entry, ("phone",))
        lead = self.make_lead(name="Team switch attack")
        with self.assertRaisesRegex(UserError, "Std Gated Entry"):
            lead.write({"team_id": self.gated_team.id})
        self.assertEqual(lead.stage_id, self.start)
        self.assertEqual(lead.team_id, self.team)

    def test_convert_wizard_to_a_gated_team_is_gated(self):
        self.make_requirement(self.gated_entry, ("phone",))
        lead = self.make_lead(name="Convert attack", type="lead")
        wizard = (
            self.env["crm.lead2opportunity.partner"]
            .with_user(self.salesperson)
            .with_context(active_model="crm.lead", active_id=lead.id, active_ids=lead.ids)
            .create(
                {
                    "name": "convert",
                    "action": "exist",
                    "partner_id": self.customer.id,
                    "user_id": self.salesperson.id,
                    "team_id": self.gated_team.id,
                }
            )
        )
        with self.assertRaisesRegex(UserError, "Std Gated Entry"):
            wizard.action_apply()
        self.assertEqual(lead.stage_id, self.start)

    def test_copy_into_a_gated_stage_is_gated(self):
        self.make_requirement(self.proposal, ("phone",))
        lead = self.make_lead(name="Copy attack")
        with self.assertRaisesRegex(UserError, "Std Proposal"):
            lead.copy({"stage_id": self.proposal.id, "name": "Copied into proposal"})
        with self.assertRaisesRegex(UserError, "Std Proposal"):
            lead.with_context(default_stage_id=self.proposal.id).copy({"name": "Copied by default"})
        self.assertEqual(self._count("Copied into proposal") + self._count("Copied by default"), 0)

    def test_import_into_a_gated_stage_is_gated(self):
        self.make_requirement(self.proposal, ("phone",))
        result = self._Lead(default_stage_id=self.proposal.id).load(
            ["name", "type", "team_id/.id"], [["Import attack", "opportunity", str(self.team.id)]]
        )
        self.assertFalse(result["ids"])
        self.assertIn("Phone", " ".join(message["message"] for message in result["messages"]))
        self.assertEqual(self._count("Import attack"), 0)

    def test_lead_created_in_the_won_stage_is_won(self):
        lead = self._Lead(default_stage_id=self.won.id).create(
            {"name": "Created won", "type": "opportunity", "team_id": self.team.id}
        )
        self.assertEqual(lead.won_status, "won")

    def test_merge_moves_process_records_to_the_surviving_lead(self):
        self.make_requirement(self.proposal, ("phone",), mode="warn")
        head = self.make_lead(name="Merge head", probability=90)
        tail = self.make_lead(name="Merge tail", probability=10, partner_id=self.customer.id)
        tail.write({"stage_id": self.proposal.id})  # a warning deviation on the tail
        deviations = tail.stage_deviation_ids
        self.assertTrue(deviations)
        survivor = (head | tail).with_user(self.salesperson).merge_opportunity()
        merged = (head | tail) - survivor
        self.assertFalse(merged.exists())
        self.assertEqual(deviations.lead_id, survivor)

    def _creation_queries(self):
        Lead = self._Lead()
        vals = {"name": "Query count", "type": "opportunity", "team_id": self.team.id}
        Lead.create([{**vals, "stage_id": self.start.id}])  # warm the caches
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        Lead.create([{**vals, "stage_id": self.start.id}])
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_first_stage_without_requirement_costs_nothing_extra(self):
        plain = self._creation_queries()
        self.make_requirement(self.proposal, ("phone",))
        self.assertEqual(self._creation_queries(), plain)


@tagged("post_install", "-at_install")
class TestGatesOverRpc(HttpCase):
    """The attack as an RPC client sends it: create with a context default stage."""

    def test_rpc_create_with_default_stage_refused(self):
        user = new_test_user(
            self.env,
            login="std_gate_rpc",
            password="std_gate_rpc_pw1",
            groups="sales_team.group_sale_salesman",
        )
        stage = self.env["crm.stage"].create({"name": "Std RPC Gated", "sequence": 13})
        self.env["crm.stage.requirement"].create(
            {
                "name": "Phone needed",
                "stage_id": stage.id,
                "lead_field_ids": [
                    Command.set([self.env["ir.model.fields"]._get("crm.lead", "phone").id])
                ],
                "mode": "block",
            }
        )
        self.authenticate("std_gate_rpc", "std_gate_rpc_pw1")
        with self.assertRaises(Exception) as caught:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "crm.lead",
                    "method": "create",
                    "args": [[{"name": "RPC default stage attack", "user_id": user.id}]],
                    "kwargs": {"context": {"default_stage_id": stage.id}},
                },
            )
        self.assertIn("UserError", str(caught.exception))
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "RPC default stage attack")]))

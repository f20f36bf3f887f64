# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The approval gate is not avoided by raising the amount later, by a
negative or absurd amount, by the active company, nor by reassigning the deal."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.crm.tests.common import TestCrmCommon


class ApprovalSecurityCase(TestCrmCommon):
    """Levels from 100 000 (sales manager) and 500 000 (director); Proposal is gated.
    crm's own test salesperson (own documents) and sales manager, a second manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.salesperson = cls.user_sales_salesman
        cls.manager = cls.user_sales_manager
        cls.other_manager = new_test_user(
            env, login="aps_manager2", groups="sales_team.group_sale_manager"
        )
        cls.team = env["crm.team"].create({"name": "APS Big Deals"})
        cls.stage_qualified = env["crm.stage"].create(
            {"name": "APS Qualified", "sequence": 20, "team_ids": cls.team.ids}
        )
        cls.stage_proposal = env["crm.stage"].create(
            {"name": "APS Proposal", "sequence": 30, "team_ids": cls.team.ids}
        )
        cls.stage_won = env["crm.stage"].create(
            {"name": "APS Signed", "sequence": 90, "is_won": True, "team_ids": cls.team.ids}
        )
        env.company.crm_approval_stage_id = cls.stage_proposal
        cls.level_manager = env["crm.approval.level"].create(
            {
                "name": "APS Manager Level",
                "sequence": 1,
                "min_amount": 100000,
                "approver_group_id": env.ref("sales_team.group_sale_manager").id,
                "team_ids": cls.team.ids,
            }
        )
        cls.level_director = env["crm.approval.level"].create(
            {
                "name": "APS Director Level",
                "sequence": 2,
                "min_amount": 500000,
                "approver_group_id": env.ref("crm_process_std_base.group_sales_director").id,
                "team_ids": cls.team.ids,
            }
        )
        cls.lead = env["crm.lead"].create(
            {
                "name": "APS harbour cranes",
                "type": "opportunity",
                "user_id": cls.salesperson.id,
                "team_id": cls.team.id,
                "stage_id": cls.stage_proposal.id,
                "expected_revenue": 50000,
            }
        )

    def _current(self, level):
        return self.lead.approval_ids.filtered(
            lambda approval: approval.is_current and approval.level_id == level
        )


class TestAmountRaisedPastTheGate(ApprovalSecurityCase):
    def test_raise_above_a_level_in_the_gated_stage_refused(self):
        lead = self.lead.with_user(self.salesperson)
        # assertRaises rolls the refused write back, as the RPC request would be
        with self.assertRaises(UserError) as error:
            lead.expected_revenue = 250000
        self.assertIn("APS Manager Level", str(error.exception))
        self.assertIn("APS Proposal", str(error.exception))
        self.assertEqual(self.lead.expected_revenue, 50000)
        # below every level, amounts still change freely
        lead.expected_revenue = 90000
        self.assertEqual(self.lead.expected_revenue, 90000)

    def test_raise_on_a_won_deal_refused(self):
        self.lead.with_user(self.salesperson).action_set_won()
        with self.assertRaises(UserError) as error:
            self.lead.with_user(self.salesperson).expected_revenue = 900000
        self.assertIn("APS Manager Level and APS Director Level", str(error.exception))
        self.assertEqual(self.lead.expected_revenue, 50000)

    def test_raise_within_the_approved_levels_allowed_beyond_refused(self):
        lead = self.lead.with_user(self.salesperson)
        lead.stage_id = self.stage_qualified
        lead.expected_revenue = 150000
        lead.action_request_approval()
        self._current(self.level_manager).with_user(self.manager).action_approve()
        lead.stage_id = self.stage_proposal
        lead.expected_revenue = 300000
        self.assertEqual(self.lead.approval_state, "approved")
        with self.assertRaises(UserError) as error:
            lead.expected_revenue = 600000
        self.assertIn("APS Director Level", str(error.exception))
        self.assertEqual(self.lead.expected_revenue, 300000)
        self.assertTrue(self._current(self.level_manager), "the approval still counts")

    def test_negative_amount_needs_the_levels_of_its_size(self):
        lead = self.lead.with_user(self.salesperson)
        with self.assertRaisesRegex(UserError, "APS Director Level"):
            lead.expected_revenue = -1e12
        lead.stage_id = self.stage_qualified
        lead.expected_revenue = -1e12
        self.assertEqual(self.lead.approval_state, "to_request")
        with self.assertRaisesRegex(UserError, "APS Manager Level"):
            lead.stage_id = self.stage_proposal

    def test_amount_that_is_no_number_needs_every_level(self):
        lead = self.env["crm.lead"].new(
            {"name": "NaN deal", "team_id": self.team.id, "expected_revenue": float("nan")}
        )
        levels = self.env["crm.approval.level"]._levels_by_lead(lead)[lead.id]
        self.assertEqual(levels, self.level_manager | self.level_director)


class TestLeadWithoutCompany(ApprovalSecurityCase):
    def test_active_company_does_not_choose_the_levels(self):
        company_b = self.env["res.company"].create({"name": "APS Company B"})
        user = new_test_user(
            self.env,
            login="aps_two_companies",
            groups="sales_team.group_sale_salesman_all_leads",
            company_ids=[self.env.company.id, company_b.id],
        )
        self.team.company_id = False
        lead = self.env["crm.lead"].create(
            {
                "name": "APS no company",
                "type": "opportunity",
                "user_id": False,
                "team_id": self.team.id,
                "stage_id": self.stage_qualified.id,
                "expected_revenue": 250000,
            }
        )
        lead.company_id = False
        self.assertFalse(lead.company_id)
        for company in (company_b, self.env.company):
            with self.assertRaisesRegex(UserError, "APS Manager Level"):
                lead.with_user(user).with_company(company).stage_id = self.stage_proposal
        self.assertEqual(lead.stage_id, self.stage_qualified)


class TestSeparationOfDuties(ApprovalSecurityCase):
    def setUp(self):
        super().setUp()
        self.lead.with_user(self.salesperson).stage_id = self.stage_qualified
        self.lead.with_user(self.salesperson).expected_revenue = 150000

    def test_approver_made_salesperson_after_the_request_cannot_approve(self):
        self.lead.with_user(self.salesperson).action_request_approval()
        self.lead.write({"user_id": self.manager.id, "team_id": self.team.id})
        approval = self._current(self.level_manager)
        with self.assertRaisesRegex(UserError, "cannot approve your own deal"):
            approval.with_user(self.manager).action_approve()
        self.assertEqual(approval.state, "pending")

    def test_salesperson_when_requested_cannot_approve_after_handing_the_deal_on(self):
        # The approver's own deal, requested by a colleague, then handed to someone else.
        self.lead.write({"user_id": self.manager.id, "team_id": self.team.id})
        self.lead.with_user(self.other_manager).action_request_approval()
        approval = self._current(self.level_manager)
        self.assertEqual(approval.salesperson_id, self.manager)
        self.lead.with_user(self.manager).write(
            {"user_id": self.salesperson.id, "team_id": self.team.id}
        )
        self.assertFalse(approval.with_user(self.manager).can_approve)
        with self.assertRaisesRegex(UserError, "cannot approve your own deal"):
            approval.with_user(self.manager).action_approve()
        director = new_test_user(
            self.env, login="aps_director", groups="crm_process_std_base.group_sales_director"
        )
        approval.with_user(director).action_approve()
        self.assertEqual(approval.state, "approved")

    def test_approval_records_changed_by_the_flow_only(self):
        self.lead.with_user(self.salesperson).action_request_approval()
        approval = self._current(self.level_manager)
        for user in (self.salesperson, self.manager):
            for vals in (
                {"state": "approved"},
                {"lead_id": self.env["crm.lead"].search([], limit=1).id},
                {"requested_by_id": self.other_manager.id},
                {"salesperson_id": False},
            ):
                with self.assertRaises(AccessError):
                    approval.with_user(user).write(vals)
            with self.assertRaises(AccessError):
                self.env["crm.lead.approval"].with_user(user).create(
                    {
                        "lead_id": self.lead.id,
                        "level_id": self.level_director.id,
                        "state": "approved",
                    }
                )
        self.assertEqual(approval.state, "pending")


@tagged("post_install", "-at_install")
class TestApprovalGateOverRpc(HttpCase):
    """The approval attacks as a salesperson's web client sends it (JSON-RPC call_kw)."""

    def setUp(self):
        super().setUp()
        self.salesperson = new_test_user(
            self.env, login="aps_rpc_sales", groups="sales_team.group_sale_salesman"
        )
        team = self.env["crm.team"].create({"name": "APS RPC team"})
        self.stage_proposal = self.env["crm.stage"].create(
            {"name": "APS RPC Proposal", "sequence": 30, "team_ids": team.ids}
        )
        self.env.company.crm_approval_stage_id = self.stage_proposal
        self.env["crm.approval.level"].create(
            {
                "name": "APS RPC Level",
                "min_amount": 100000,
                "approver_group_id": self.env.ref("sales_team.group_sale_manager").id,
                "team_ids": team.ids,
            }
        )
        self.team = team
        self.lead = self.env["crm.lead"].create(
            {
                "name": "APS RPC deal",
                "type": "opportunity",
                "user_id": self.salesperson.id,
                "team_id": team.id,
                "stage_id": self.stage_proposal.id,
                "expected_revenue": 10000,
            }
        )

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_raise_negative_amount_and_forged_approval_refused(self):
        self.authenticate("aps_rpc_sales", "aps_rpc_sales")
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._call("crm.lead", "write", [[self.lead.id], {"expected_revenue": 250000}])
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._call(
                "crm.lead",
                "create",
                [
                    {
                        "name": "APS RPC negative",
                        "type": "opportunity",
                        "team_id": self.team.id,
                        "stage_id": self.stage_proposal.id,
                        "expected_revenue": -1e12,
                    }
                ],
            )
        self.env.invalidate_all()
        self.assertEqual(self.lead.expected_revenue, 10000)
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "APS RPC negative")]))

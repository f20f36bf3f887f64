# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user

from odoo.addons.crm.tests.common import TestCrmCommon

APPROVAL_ACTIVITY = "crm_process_std_approval.mail_activity_type_deal_approval"


class TestLeadApproval(TestCrmCommon):
    """Deals of a team need the sales manager from 100 000 and the director from 500 000
    (crm's own test users: salesperson on own documents, on all documents, manager)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.salesperson = cls.user_sales_salesman
        cls.all_leads_user = cls.user_sales_leads
        cls.manager = cls.user_sales_manager
        cls.director = new_test_user(
            env,
            login="ap_director",
            name="Dan Director",
            groups="crm_process_std_base.group_sales_director",
        )
        cls.team = env["crm.team"].create({"name": "Test Big Deals", "user_id": cls.manager.id})
        cls.stage_qualified = env["crm.stage"].create(
            {"name": "Test Qualified", "sequence": 20, "team_ids": cls.team.ids}
        )
        cls.stage_proposal = env["crm.stage"].create(
            {"name": "Test Proposal", "sequence": 30, "team_ids": cls.team.ids}
        )
        cls.stage_won = env["crm.stage"].create(
            {"name": "Test Signed", "sequence": 90, "is_won": True, "team_ids": cls.team.ids}
        )
        env.company.crm_approval_stage_id = cls.stage_proposal
        cls.level_manager = env["crm.approval.level"].create(
            {
                "name": "Test Manager Level",
                "sequence": 1,
                "min_amount": 100000,
                "approver_group_id": env.ref("sales_team.group_sale_manager").id,
                "team_ids": cls.team.ids,
            }
        )
        cls.level_director = env["crm.approval.level"].create(
            {
                "name": "Test Director Level",
                "sequence": 2,
                "min_amount": 500000,
                "approver_group_id": env.ref("crm_process_std_base.group_sales_director").id,
                "team_ids": cls.team.ids,
            }
        )
        cls.lead = env["crm.lead"].create(
            {
                "name": "Harbour warehouse racks",
                "type": "opportunity",
                "user_id": cls.salesperson.id,
                "team_id": cls.team.id,
                "stage_id": cls.stage_qualified.id,
                "expected_revenue": 150000,
            }
        )

    def _as(self, user, records=None):
        return (records or self.lead).with_user(user)

    def _approval(self, level):
        return self.lead.approval_ids.filtered(
            lambda approval: approval.is_current and approval.level_id == level
        )

    def _approver_activities(self):
        return self.lead.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(APPROVAL_ACTIVITY)
        )

    def test_levels_required_by_amount(self):
        lead = self._as(self.salesperson)
        lead.expected_revenue = 50000
        self.assertEqual(lead.approval_state, "not_required")
        lead.expected_revenue = 150000
        self.assertEqual(lead.approval_state, "to_request")
        self.assertEqual(lead.approval_missing_levels, "Test Manager Level")
        lead.expected_revenue = 600000
        self.assertEqual(lead.approval_missing_levels, "Test Manager Level and Test Director Level")

    def test_gated_stage_refused_naming_pending_levels(self):
        lead = self._as(self.salesperson)
        lead.expected_revenue = 600000
        with self.assertRaises(UserError) as error:
            lead.stage_id = self.stage_proposal
        message = str(error.exception)
        self.assertIn("Test Proposal", message)
        self.assertIn("Harbour warehouse racks", message)
        self.assertIn("Test Manager Level", message)
        self.assertIn("Test Director Level", message)
        # Skipping the gated stage does not help: later stages are gated too.
        with self.assertRaisesRegex(UserError, "Test Director Level"):
            lead.action_set_won()
        self.assertEqual(self.lead.stage_id, self.stage_qualified)

    def test_big_deal_cannot_be_created_in_the_gated_stage(self):
        with self.assertRaisesRegex(UserError, "Imported racks: missing approval"):
            self.env["crm.lead"].with_user(self.salesperson).create(
                {
                    "name": "Imported racks",
                    "type": "opportunity",
                    "user_id": self.salesperson.id,
                    "team_id": self.team.id,
                    "stage_id": self.stage_proposal.id,
                    "expected_revenue": 250000,
                }
            )

    def test_request_asks_first_level_only(self):
        self._as(self.salesperson).action_request_approval()
        manager_approval = self._approval(self.level_manager)
        self.assertEqual(manager_approval.state, "pending")
        self.assertEqual(manager_approval.requested_by_id, self.salesperson)
        self.assertEqual(self.lead.approval_state, "pending")
        # The team leader approves for the manager level.
        self.assertEqual(self._approver_activities().user_id, self.manager)
        self.assertIn(
            manager_approval,
            self.env["crm.lead.approval"]
            .with_user(self.manager)
            .search([("can_approve", "=", True)]),
        )
        with self.assertRaisesRegex(UserError, "already waits for approval"):
            self._as(self.salesperson).action_request_approval()

    def test_levels_approved_in_sequence_then_stage_allowed(self):
        self.lead.expected_revenue = 720000
        self._as(self.salesperson).action_request_approval()
        director_approval = self._approval(self.level_director)
        self.assertEqual(director_approval.state, "waiting")
        self.assertNotIn(
            director_approval,
            self.env["crm.lead.approval"]
            .with_user(self.director)
            .search([("can_approve", "=", True)]),
        )
        with self.assertRaisesRegex(UserError, "does not wait for a decision"):
            self._as(self.director, director_approval).action_approve()

        self._as(self.manager, self._approval(self.level_manager)).action_approve("Margin OK")
        self.assertEqual(director_approval.state, "pending")
        # The team leader is no director: the directors are asked.
        self.assertIn(self.director, self._approver_activities().user_id)
        self.assertNotIn(self.manager, self._approver_activities().user_id)
        with self.assertRaisesRegex(UserError, "Test Director Level"):
            self._as(self.salesperson).stage_id = self.stage_proposal

        wizard = Form(
            self.env["crm.lead.approval.decision"]
            .with_user(self.director)
            .with_context(default_approval_id=director_approval.id)
        )
        wizard.comment = "Strategic account"
        wizard.save().action_confirm()
        self.assertEqual(director_approval.state, "approved")
        self.assertEqual(director_approval.decided_by_id, self.director)
        self.assertEqual(self.lead.approval_state, "approved")
        self.assertFalse(self._approver_activities())
        self._as(self.salesperson).stage_id = self.stage_proposal
        self.assertEqual(self.lead.stage_id, self.stage_proposal)

    def test_no_self_approval(self):
        # A manager's own deal: the manager requests it, another manager must approve.
        self.lead.write({"user_id": self.manager.id, "team_id": self.team.id})
        self._as(self.manager).action_request_approval()
        approval = self._approval(self.level_manager)
        with self.assertRaisesRegex(UserError, "cannot approve your own deal"):
            self._as(self.manager, approval).action_approve()
        self.assertFalse(self._as(self.manager, approval).can_approve)
        self._as(self.director, approval).action_approve()
        self.assertEqual(approval.state, "approved")
        self.assertEqual(self.lead.approval_state, "approved")

    def test_user_outside_approver_group_refused(self):
        self._as(self.salesperson).action_request_approval()
        approval = self._approval(self.level_manager)
        with self.assertRaisesRegex(AccessError, "Only .*Administrator may decide"):
            self._as(self.all_leads_user, approval).action_approve()
        self.assertEqual(approval.state, "pending")

    def test_reject_needs_comment_and_returns_to_salesperson(self):
        self.lead.expected_revenue = 720000
        self._as(self.salesperson).action_request_approval()
        approval = self._approval(self.level_manager)
        with self.assertRaisesRegex(UserError, "comment is required"):
            self._as(self.manager, approval).action_reject("")
        self._as(self.manager, approval).action_reject("Discount above policy")
        self.assertEqual(approval.state, "rejected")
        self.assertFalse(approval.is_current)
        director_line = self.lead.approval_ids.filtered(lambda a: a.level_id == self.level_director)
        self.assertEqual(director_line.state, "cancelled")
        self.assertEqual(self.lead.approval_state, "rejected")
        todo = self.lead.activity_ids.filtered(lambda a: a.user_id == self.salesperson)
        self.assertIn("Discount above policy", todo.note)
        self.assertFalse(self._approver_activities())
        # The salesperson may ask again, which starts a new request.
        self._as(self.salesperson).action_request_approval()
        self.assertEqual(self._approval(self.level_manager).state, "pending")

    def test_amount_crossing_higher_threshold_resets_approvals(self):
        self._as(self.salesperson).action_request_approval()
        approval = self._approval(self.level_manager)
        self._as(self.manager, approval).action_approve()
        self.assertEqual(self.lead.approval_state, "approved")
        # A lower amount keeps the approval.
        self._as(self.salesperson).expected_revenue = 120000
        self.assertTrue(approval.is_current)
        self.assertEqual(self.lead.approval_state, "approved")
        # Crossing the director threshold resets it.
        self._as(self.salesperson).expected_revenue = 650000
        self.assertFalse(approval.is_current)
        self.assertEqual(approval.state, "approved", "the trail keeps the old decision")
        self.assertEqual(self.lead.approval_state, "to_request")
        self.assertTrue(any("Approvals reset" in m.body for m in self.lead.message_ids))
        with self.assertRaisesRegex(UserError, "Test Manager Level and Test Director Level"):
            self._as(self.salesperson).stage_id = self.stage_proposal

    def test_pending_request_reset_when_amount_rises(self):
        self._as(self.salesperson).action_request_approval()
        approval = self._approval(self.level_manager)
        self._as(self.salesperson).expected_revenue = 650000
        self.assertEqual(approval.state, "cancelled")
        self.assertFalse(self._approver_activities(), "the outdated request is withdrawn")
        with self.assertRaisesRegex(UserError, "does not wait for a decision"):
            self._as(self.manager, approval).action_approve()

    def test_moving_to_a_team_with_more_levels_asks_again(self):
        small_team = self.env["crm.team"].create({"name": "Test Regional"})
        self.level_director.team_ids |= small_team
        self.lead.write({"team_id": small_team.id, "expected_revenue": 600000})
        self._as(self.salesperson).action_request_approval()
        self._as(self.director, self._approval(self.level_director)).action_approve()
        self.assertEqual(self.lead.approval_state, "approved")
        # In the big-deals team the sales manager must approve as well.
        self.lead.team_id = self.team
        self.assertEqual(self.lead.approval_state, "to_request")
        self.assertEqual(self.lead.approval_missing_levels, "Test Manager Level")
        self._as(self.salesperson).action_request_approval()
        self.assertEqual(self._approval(self.level_manager).state, "pending")
        self.assertEqual(self._approval(self.level_director).state, "waiting")

    def test_deals_without_levels_move_freely(self):
        other_team = self.env["crm.team"].create({"name": "Test Small Deals"})
        lead = self.env["crm.lead"].create(
            {
                "name": "Other team, huge deal",
                "type": "opportunity",
                "user_id": self.salesperson.id,
                "team_id": other_team.id,
                "expected_revenue": 9000000,
            }
        )
        self.assertEqual(lead.approval_state, "not_required")
        self._as(self.salesperson, lead).stage_id = self.stage_proposal
        # No gated stage configured: nothing is gated at all.
        self.env.company.crm_approval_stage_id = False
        self.lead.expected_revenue = 900000
        self._as(self.salesperson).stage_id = self.stage_proposal
        self.assertEqual(self.lead.stage_id, self.stage_proposal)

    def test_batch_move_lists_each_blocked_lead(self):
        leads = self.lead | self.lead.copy(
            {"name": "Harbour cold store", "expected_revenue": 800000}
        )
        small = self.lead.copy({"name": "Harbour spare parts", "expected_revenue": 20000})
        with self.assertRaises(UserError) as error:
            self._as(self.salesperson, leads | small).write({"stage_id": self.stage_proposal.id})
        message = str(error.exception)
        self.assertIn("Harbour warehouse racks: missing approval of Test Manager Level", message)
        self.assertIn("Harbour cold store", message)
        self.assertNotIn("Harbour spare parts", message)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user

from odoo.addons.crm.tests.common import TestCrmCommon

HANDOFF_ACTIVITY = "crm_process_std_handoff.mail_activity_type_handoff_review"


class HandoffCase(TestCrmCommon):
    """crm's own test organisation (its sales team and won stage, salesperson on own
    documents and sales manager), an after-sales receiving team and a won-ready
    opportunity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.salesperson = cls.user_sales_salesman
        cls.other_salesperson = new_test_user(
            env, login="ho_sales2", groups="sales_team.group_sale_salesman"
        )
        cls.receiver = new_test_user(
            env,
            login="ho_receiver",
            name="Rita Receiver",
            groups="crm_process_std_base.group_after_sales",
        )
        cls.team_member = new_test_user(
            env,
            login="ho_member",
            name="Tom Member",
            groups="crm_process_std_base.group_customer_success",
        )
        cls.outsider = new_test_user(
            env, login="ho_outsider", groups="crm_process_std_base.group_after_sales"
        )
        cls.manager = cls.user_sales_manager
        cls.after_sales_team = env["crm.team"].create(
            {
                "name": "Test After-Sales",
                "crm_team_member_ids": [Command.create({"user_id": cls.team_member.id})],
            }
        )
        cls.sales_team = cls.sales_team_1
        cls.stage_won = cls.stage_team1_won
        cls.stage_onboarding = env["crm.stage"].create(
            {
                "name": "Test Onboarding",
                "sequence": 71,
                "is_won": True,
                "team_ids": cls.sales_team.ids,
            }
        )
        env.company.write(
            {
                "crm_handoff_auto_create": True,
                "crm_handoff_deadline_hours": 24,
                "crm_handoff_team_id": cls.after_sales_team.id,
                "crm_handoff_stage_id": False,
            }
        )
        cls.customer = env["res.partner"].create(
            {"name": "Lotus Trading Co.", "is_company": True, "phone": "+86 21 5555 0100"}
        )
        cls.customer.customer_success_user_id = cls.receiver
        cls.stage_new = env["crm.stage"].create(
            {"name": "Test New", "sequence": 1, "team_ids": cls.sales_team.ids}
        )
        cls.lead = env["crm.lead"].create(
            {
                "name": "Lotus: 40 workstations",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "user_id": cls.salesperson.id,
                "team_id": cls.sales_team.id,
                "expected_revenue": 52000,
                "stage_id": cls.stage_new.id,
                "description": "<p>Needs delivery before the Spring Festival.</p>",
            }
        )
        env["crm.followup"].create(
            {
                "partner_id": cls.customer.id,
                "lead_id": cls.lead.id,
                "user_id": cls.salesperson.id,
                "channel": "visit",
                "previous_conclusion": "Layout agreed",
                "value_delivered": "Showed the height-adjustable desks",
                "next_step": "Send the contract for signature",
            }
        )

    def _new_lead(self, name):
        return self.lead.copy({"name": name, "stage_id": self.lead.stage_id.id})

    def _win(self, lead=None):
        lead = lead or self.lead
        lead.with_user(self.salesperson).action_set_won()
        return lead.handoff_ids

    def _submitted_handoff(self):
        handoff = self._win()
        handoff.checklist_line_ids.write({"is_done": True})
        handoff.with_user(self.salesperson).action_submit()
        return handoff


class TestHandoffCreation(HandoffCase):
    def test_won_opportunity_gets_draft_handoff_with_prefilled_content(self):
        with freeze_time("2026-03-02 10:00:00"):
            handoff = self._win()
        self.assertEqual(len(handoff), 1)
        self.assertEqual(handoff.state, "draft")
        self.assertEqual(handoff.sender_id, self.salesperson)
        self.assertEqual(handoff.partner_id, self.customer)
        self.assertEqual(handoff.receiver_team_id, self.after_sales_team)
        self.assertEqual(handoff.receiver_user_id, self.receiver, "the success manager receives")
        self.assertEqual(handoff.deadline, datetime(2026, 3, 3, 10, 0, 0))
        self.assertIn("Lotus Trading Co.", handoff.customer_info)
        self.assertIn("+86 21 5555 0100", handoff.customer_info)
        self.assertIn("Send the contract for signature", handoff.followup_summary)
        self.assertIn("Spring Festival", handoff.customer_needs)
        template = self.env.ref("crm_process_std_handoff.handoff_checklist_template_standard")
        self.assertEqual(
            handoff.checklist_line_ids.mapped("name"), template.item_ids.mapped("name")
        )
        self.assertEqual(self.lead.handoff_state, "draft")
        self.assertTrue(
            any("Handoff to after-sales created" in m.body for m in self.lead.message_ids)
        )

    def test_winning_again_does_not_duplicate_handoff(self):
        self._win()
        self.lead.with_user(self.salesperson).stage_id = self.stage_new
        self._win()
        self.assertEqual(len(self.lead.handoff_ids), 1)

    def test_no_handoff_when_switched_off(self):
        self.env.company.crm_handoff_auto_create = False
        self.assertFalse(self._win())

    def test_deadline_follows_setting(self):
        self.env.company.crm_handoff_deadline_hours = 48
        with freeze_time("2026-03-02 10:00:00"):
            handoff = self._win()
        self.assertEqual(handoff.deadline, datetime(2026, 3, 4, 10, 0, 0))

    def test_salesperson_creates_handoff_by_hand_from_form(self):
        lead = self._new_lead("Lotus: meeting rooms")
        form = Form(self.env["crm.handoff"].with_user(self.salesperson))
        form.lead_id = lead
        self.assertIn("Lotus Trading Co.", form.customer_info)
        self.assertEqual(len(form.checklist_line_ids), 5)
        form.customer_needs = "<p>Two meeting rooms, video conferencing.</p>"
        handoff = form.save()
        self.assertEqual(handoff.sender_id, self.salesperson)
        self.assertIn("video conferencing", handoff.customer_needs)
        self.assertEqual(len(handoff.checklist_line_ids), 5)

    def test_settings_save_handoff_options_and_refuse_zero_hours(self):
        admin = new_test_user(
            self.env, login="ho_admin", groups="sales_team.group_sale_manager,base.group_system"
        )
        form = Form(self.env["res.config.settings"].with_user(admin))
        form.crm_std_handoff_deadline_hours = 12
        form.crm_std_handoff_stage_id = self.stage_onboarding
        form.crm_std_handoff_auto_create = False
        form.save().execute()
        company = self.env.company
        self.assertEqual(company.crm_handoff_deadline_hours, 12)
        self.assertEqual(company.crm_handoff_stage_id, self.stage_onboarding)
        self.assertFalse(company.crm_handoff_auto_create)
        form = Form(self.env["res.config.settings"].with_user(admin))
        form.crm_std_handoff_deadline_hours = -1
        with self.assertRaisesRegex(ValidationError, "positive number of hours"):
            form.save()


class TestHandoffTransitions(HandoffCase):
    def test_sender_submits_and_receiver_gets_activity(self):
        handoff = self._win()
        handoff.with_user(self.salesperson).action_submit()
        self.assertEqual(handoff.state, "submitted")
        activity = handoff.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(HANDOFF_ACTIVITY)
        )
        self.assertEqual(activity.user_id, self.receiver)
        self.assertEqual(activity.date_deadline, handoff.deadline.date())

    def test_other_salesperson_cannot_submit(self):
        handoff = self._win()
        with self.assertRaises(AccessError):
            handoff.with_user(self.other_salesperson).action_submit()
        self.assertEqual(handoff.state, "draft")

    def test_submit_needs_a_receiver(self):
        handoff = self._win()
        handoff.write({"receiver_user_id": False, "receiver_team_id": False})
        with self.assertRaisesRegex(UserError, "Choose a receiving team or receiver"):
            handoff.with_user(self.salesperson).action_submit()

    def test_accept_refused_until_checklist_complete(self):
        handoff = self._win()
        handoff.with_user(self.salesperson).action_submit()
        with self.assertRaises(UserError) as error:
            handoff.with_user(self.receiver).action_accept()
        message = str(error.exception)
        self.assertIn("Signed contract attached", message)
        self.assertIn("Delivery date confirmed with the customer", message)
        self.assertNotIn("Kick-off meeting proposed", message, "optional items do not block")
        handoff.checklist_line_ids.filtered("required").with_user(self.salesperson).write(
            {"is_done": True}
        )
        self.assertTrue(handoff.checklist_complete)
        handoff.with_user(self.receiver).action_accept()
        self.assertEqual(handoff.state, "accepted")

    def test_team_member_accepts_with_rating_and_sender_is_told(self):
        handoff = self._submitted_handoff()
        handoff.receiver_user_id = False
        wizard = Form(
            self.env["crm.handoff.decision"]
            .with_user(self.team_member)
            .with_context(default_handoff_id=handoff.id, default_decision="accept")
        )
        wizard.quality_rating = "5"
        wizard.rating_comment = "Everything was there."
        wizard.save().action_confirm()
        self.assertEqual(handoff.state, "accepted")
        self.assertEqual(handoff.accepted_by_id, self.team_member)
        self.assertEqual(handoff.quality_score, 5)
        self.assertFalse(handoff.activity_ids, "the review activity is done")
        message = handoff.message_ids.filtered(lambda m: "Handoff accepted" in (m.body or ""))
        self.assertIn(self.salesperson.partner_id, message.partner_ids)
        self.assertTrue(
            any("After-sales accepted the handoff" in m.body for m in self.lead.message_ids)
        )

    def test_sender_cannot_accept_own_handoff(self):
        # The sender also belongs to the receiving team: still not allowed.
        handoff = self._submitted_handoff()
        handoff.sudo().sender_id = self.team_member
        with self.assertRaisesRegex(UserError, "You sent"):
            handoff.with_user(self.team_member).action_accept()
        self.assertEqual(handoff.state, "submitted")

    def test_only_receivers_may_accept(self):
        handoff = self._submitted_handoff()
        # Sees no foreign handoff at all.
        with self.assertRaises(AccessError):
            handoff.with_user(self.outsider).action_accept()
        # A manager sees it, but is not in the receiving team.
        with self.assertRaisesRegex(AccessError, "Only the receiver Rita Receiver"):
            handoff.with_user(self.manager).action_accept()
        self.assertEqual(handoff.state, "submitted")

    def test_status_not_writable_directly(self):
        handoff = self._submitted_handoff()
        with self.assertRaisesRegex(AccessError, "only through Submit, Accept and Reject"):
            handoff.with_user(self.salesperson).write({"state": "accepted"})
        with self.assertRaises(AccessError):
            self.env["crm.handoff"].with_user(self.salesperson).create(
                {"lead_id": self.lead.id, "state": "accepted"}
            )

    def test_reject_needs_reason_goes_back_to_sender(self):
        handoff = self._submitted_handoff()
        with self.assertRaisesRegex(UserError, "reason"):
            handoff.with_user(self.receiver).action_reject("  ")
        handoff.with_user(self.receiver).action_reject("Contract scan unreadable")
        self.assertEqual(handoff.state, "rejected")
        self.assertEqual(handoff.rejection_reason, "Contract scan unreadable")
        todo = handoff.activity_ids
        self.assertEqual(todo.user_id, self.salesperson)
        self.assertIn("Contract scan unreadable", todo.note)
        # The sender fixes and submits again: the reason is cleared, the receiver asked again.
        handoff.with_user(self.salesperson).action_submit()
        self.assertEqual(handoff.state, "submitted")
        self.assertFalse(handoff.rejection_reason)
        self.assertEqual(handoff.activity_ids.user_id, self.receiver)

    def test_accept_twice_keeps_first_result(self):
        handoff = self._submitted_handoff()
        handoff.with_user(self.receiver).action_accept("4")
        with self.assertRaisesRegex(UserError, "this action is not possible"):
            handoff.with_user(self.team_member).action_accept("1")
        self.assertEqual(handoff.accepted_by_id, self.receiver)
        self.assertEqual(handoff.quality_rating, "4")


class TestHandoffDeadlineAndGate(HandoffCase):
    def test_overdue_when_deadline_passes_before_acceptance(self):
        with freeze_time("2026-03-02 10:00:00"):
            handoff = self._win()
            self.assertFalse(handoff.is_overdue)
        with freeze_time("2026-03-03 11:00:00"):
            self.env["crm.handoff"]._flag_overdue_batch(1000)
            self.assertTrue(handoff.is_overdue)
            self.assertIn("overdue", handoff.message_ids[0].body)
            self.assertIn(handoff, self.env["crm.handoff"].search([("is_overdue", "=", True)]))

    def test_accepted_in_time_is_not_overdue_late_one_is(self):
        with freeze_time("2026-03-02 10:00:00"):
            late_lead = self._new_lead("Lotus: second site")
            on_time = self._submitted_handoff()
            on_time.with_user(self.receiver).action_accept()
            late = self._win(late_lead)
            late.checklist_line_ids.write({"is_done": True})
            late.with_user(self.salesperson).action_submit()
        with freeze_time("2026-03-04 09:00:00"):
            late.with_user(self.receiver).action_accept()
        self.assertFalse(on_time.is_overdue)
        self.assertTrue(late.is_overdue)

    def test_next_stage_blocked_until_handoff_accepted(self):
        self.env.company.crm_handoff_stage_id = self.stage_onboarding
        handoff = self._win()
        lead = self.lead.with_user(self.salesperson)
        with self.assertRaises(UserError) as error:
            lead.stage_id = self.stage_onboarding
        self.assertIn("Test Onboarding", str(error.exception))
        self.assertIn("Lotus: 40 workstations", str(error.exception))
        handoff.checklist_line_ids.write({"is_done": True})
        handoff.with_user(self.salesperson).action_submit()
        with self.assertRaises(UserError):
            lead.stage_id = self.stage_onboarding
        handoff.with_user(self.receiver).action_accept()
        lead.stage_id = self.stage_onboarding
        self.assertEqual(self.lead.stage_id, self.stage_onboarding)

    def test_customer_type_set_only_on_acceptance(self):
        if "customer_type" not in self.env["res.partner"]._fields:
            self.skipTest("customer_type comes with the standard customer fields")
        self.customer.customer_type = "potential"
        handoff = self._submitted_handoff()
        self.assertEqual(self.customer.customer_type, "potential")
        handoff.with_user(self.receiver).action_accept()
        self.assertEqual(self.customer.customer_type, "customer")

    def test_handoff_quality_reported_per_salesperson(self):
        second_lead = self._new_lead("Lotus: storage")
        handoff = self._submitted_handoff()
        handoff.with_user(self.receiver).action_accept("3")
        second = self._win(second_lead)
        second.checklist_line_ids.write({"is_done": True})
        second.with_user(self.salesperson).action_submit()
        second.with_user(self.receiver).action_accept("5")
        groups = self.env["crm.handoff"]._read_group(
            [("sender_id", "=", self.salesperson.id), ("state", "=", "accepted")],
            ["sender_id"],
            ["quality_score:avg"],
        )
        self.assertEqual(groups, [(self.salesperson, 4.0)])

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Nothing of a lead is read through a handoff without the right
to read the lead, and nobody accepts their own handoff by rewriting it."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .test_handoff import HandoffCase

CONTENT_SPEC = {
    "customer_info": {},
    "followup_summary": {},
    "open_issues": {},
    "customer_needs": {},
    "expected_revenue": {},
}


class TestHandoffLeadAccess(HandoffCase):
    """A salesperson "own documents only" reads no lead of others through it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Handoff Company B"})
        cls.foreign_lead = cls.env["crm.lead"].create(
            {
                "name": "Company B: secret tender",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "user_id": False,
                "company_id": cls.company_b.id,
                "description": "<p>Company B's price ceiling</p>",
                "team_id": False,
            }
        )
        cls.all_docs = new_test_user(
            cls.env,
            login="ho_all_docs",
            groups="sales_team.group_sale_salesman_all_leads",
        )

    def test_handoff_of_a_colleagues_lead_refused_and_nothing_created(self):
        Handoff = self.env["crm.handoff"].with_user(self.other_salesperson)
        with self.assertRaises(AccessError):
            Handoff.create({"lead_id": self.lead.id, "sender_id": self.other_salesperson.id})
        self.assertFalse(self.env["crm.handoff"].search([("lead_id", "=", self.lead.id)]))

    def test_onchange_with_a_colleagues_lead_reveals_nothing(self):
        Handoff = self.env["crm.handoff"].with_user(self.other_salesperson)
        # the form's first call, a change of the lead, and a later call carrying it
        for field_names in ([], ["lead_id"], ["name"]):
            with self.assertRaises(AccessError):
                Handoff.onchange({"lead_id": self.lead.id}, field_names, CONTENT_SPEC)

    def test_handoff_of_another_companys_lead_refused(self):
        # a lead of company B, where the salesperson does not work
        Handoff = self.env["crm.handoff"].with_user(self.salesperson)
        with self.assertRaises(AccessError):
            Handoff.create({"lead_id": self.foreign_lead.id, "company_id": self.env.company.id})
        with self.assertRaises(AccessError):
            Handoff.onchange({"lead_id": self.foreign_lead.id}, ["lead_id"], CONTENT_SPEC)

    def test_handoff_company_is_the_leads(self):
        self.all_docs.company_ids |= self.company_b
        Handoff = (
            self.env["crm.handoff"]
            .with_user(self.all_docs)
            .with_context(allowed_company_ids=[self.company_b.id, self.env.company.id])
        )
        with self.assertRaises(UserError):
            Handoff.create({"lead_id": self.lead.id, "company_id": self.company_b.id})
        handoff = Handoff.create({"lead_id": self.lead.id})
        self.assertEqual(handoff.company_id, self.lead.company_id)

    def test_content_leaves_out_other_leads_and_other_companies(self):
        colleague_lead = self.lead.copy({"name": "Colleague's Lotus deal"})
        colleague_lead.user_id = self.other_salesperson
        self.env["crm.followup"].create(
            {
                "partner_id": self.customer.id,
                "lead_id": colleague_lead.id,
                "user_id": self.other_salesperson.id,
                "channel": "phone",
                "previous_conclusion": "Met",
                "value_delivered": "Quote",
                "next_step": "Colleague's private pricing",
            }
        )
        self.env["crm.followup"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesperson.id,
                "company_id": self.company_b.id,
                "channel": "phone",
                "previous_conclusion": "Met",
                "value_delivered": "Quote",
                "next_step": "Company B negotiation",
            }
        )
        handoff = self._win()
        self.assertIn("Send the contract for signature", handoff.followup_summary)
        self.assertNotIn("Colleague's private pricing", handoff.followup_summary)
        self.assertNotIn("Company B negotiation", handoff.followup_summary)

    def test_salesperson_hands_over_own_lead_by_hand(self):
        lead = self._new_lead("Lotus: reception desk")
        handoff = (
            self.env["crm.handoff"]
            .with_user(self.salesperson)
            .create({"lead_id": lead.id, "partner_id": self.env.user.partner_id.id})
        )
        self.assertIn("+86 21 5555 0100", handoff.customer_info)
        self.assertEqual(handoff.partner_id, self.customer, "the customer is the lead's")
        self.assertEqual(handoff.sender_id, self.salesperson)


class TestHandoffNotSelfAccepted(HandoffCase):
    """Links frozen, receivers chosen before submission, checklist kept."""

    def test_links_cannot_be_rewritten(self):
        handoff = self._win().with_user(self.salesperson)
        other_lead = self._new_lead("Lotus: canteen")
        for vals in (
            {"sender_id": self.other_salesperson.id},
            {"lead_id": other_lead.id},
            {"partner_id": self.env.user.partner_id.id},
            {"company_id": self.env.company.id},
            {"quality_rating": "5"},
            {"accepted_date": "2026-01-01 00:00:00"},
            {"is_overdue": False},
        ):
            with self.assertRaises(AccessError):
                handoff.write(vals)
        self.assertEqual(handoff.sender_id, self.salesperson)
        self.assertEqual(handoff.lead_id, self.lead)

    def test_accepted_handoff_cannot_be_repointed_to_another_lead(self):
        handoff = self._submitted_handoff()
        handoff.with_user(self.receiver).action_accept("3")
        other_lead = self._new_lead("Lotus: canteen")
        for user in (self.salesperson, self.manager):
            # refused as accepted (the frozen link is refused on any handoff besides)
            with self.assertRaisesRegex(UserError, "is accepted"):
                handoff.with_user(user).write({"lead_id": other_lead.id})
        # its content is frozen by its state: a clear business error, not an access error
        with self.assertRaisesRegex(UserError, "is accepted: it records what was handed over"):
            handoff.with_user(self.salesperson).write({"customer_needs": "<p>rewritten</p>"})
        self.assertEqual(handoff.lead_id, self.lead)

    def test_sender_only_in_own_or_salespersons_name(self):
        lead = self._new_lead("Lotus: lobby")
        with self.assertRaises(AccessError):
            self.env["crm.handoff"].with_user(self.salesperson).create(
                {"lead_id": lead.id, "sender_id": self.team_member.id}
            )
        handoff = (
            self.env["crm.handoff"]
            .with_user(self.manager)
            .create({"lead_id": lead.id, "sender_id": self.manager.id})
        )
        self.assertEqual(handoff.sender_id, self.manager)

    def test_receiver_chosen_by_sender_side_before_submission_only(self):
        handoff = self._win()
        with self.assertRaises(AccessError):
            handoff.with_user(self.receiver).write({"receiver_user_id": self.outsider.id})
        handoff.with_user(self.salesperson).write({"receiver_user_id": self.team_member.id})
        handoff.checklist_line_ids.write({"is_done": True})
        handoff.with_user(self.salesperson).action_submit()
        with self.assertRaises(UserError):
            handoff.with_user(self.salesperson).write({"receiver_user_id": self.receiver.id})
        with self.assertRaises(UserError):
            handoff.with_user(self.manager).write({"receiver_team_id": False})
        self.assertEqual(handoff.receiver_user_id, self.team_member)

    def test_sender_never_receiver(self):
        handoff = self._win().with_user(self.salesperson)
        with self.assertRaises(ValidationError):
            handoff.write({"receiver_user_id": self.salesperson.id})

    def test_salesperson_in_receiving_team_cannot_accept_a_handoff_sent_for_them(self):
        # A manager sends the salesperson's deal; the salesperson sits in the
        # receiving team: neither the sender nor the deal's salesperson accepts.
        self.after_sales_team.crm_team_member_ids = [
            Command.create({"user_id": self.salesperson.id})
        ]
        lead = self._new_lead("Lotus: lounge")
        handoff = (
            self.env["crm.handoff"]
            .with_user(self.manager)
            .create({"lead_id": lead.id, "sender_id": self.manager.id})
        )
        handoff.write({"receiver_user_id": False})
        handoff.checklist_line_ids.write({"is_done": True})
        handoff.with_user(self.manager).action_submit()
        with self.assertRaisesRegex(UserError, "You sent"):
            handoff.with_user(self.salesperson).action_accept("5")
        self.assertEqual(handoff.state, "submitted")
        handoff.with_user(self.team_member).action_accept("4")
        self.assertEqual(handoff.state, "accepted")

    def test_required_lines_neither_deleted_nor_made_optional(self):
        handoff = self._win()
        required = handoff.checklist_line_ids.filtered("required")
        self.assertTrue(required)
        with self.assertRaises(AccessError):
            required[0].with_user(self.salesperson).unlink()
        with self.assertRaises(AccessError):
            required[0].with_user(self.salesperson).write({"required": False})
        with self.assertRaises(AccessError):
            handoff.with_user(self.salesperson).write(
                {"checklist_line_ids": [Command.delete(required[0].id)]}
            )
        # optional items and lines added by hand are the sender's to remove
        optional = handoff.checklist_line_ids - required
        optional.with_user(self.salesperson).unlink()
        extra = (
            self.env["crm.handoff.checklist.line"]
            .with_user(self.salesperson)
            .create({"handoff_id": handoff.id, "name": "Parking badge"})
        )
        extra.unlink()
        self.assertEqual(handoff.checklist_line_ids, required)

    def test_handoff_created_without_checklist_gets_required_items_on_submit(self):
        lead = self._new_lead("Lotus: archive room")
        handoff = (
            self.env["crm.handoff"]
            .with_user(self.salesperson)
            .create({"lead_id": lead.id, "checklist_line_ids": []})
        )
        self.assertFalse(handoff.checklist_line_ids)
        handoff.with_user(self.salesperson).action_submit()
        template = handoff.checklist_template_id
        self.assertEqual(handoff.checklist_line_ids.item_id, template.item_ids.filtered("required"))
        with self.assertRaisesRegex(UserError, "not complete"):
            handoff.with_user(self.receiver).action_accept("5")

    def test_checklist_only_ticked_once_submitted_frozen_once_accepted(self):
        handoff = self._submitted_handoff()
        line = handoff.checklist_line_ids[:1].with_user(self.salesperson)
        # refused by the handoff's state (a business error, not an access error)
        frozen = "its items can no longer be added, removed or changed"
        with self.assertRaisesRegex(UserError, frozen):
            line.write({"name": "Something easier"})
        with self.assertRaisesRegex(UserError, frozen):
            self.env["crm.handoff.checklist.line"].with_user(self.salesperson).create(
                {"handoff_id": handoff.id, "name": "Late item"}
            )
        line.with_user(self.receiver).write({"note": "Checked"})
        handoff.with_user(self.receiver).action_accept("4")
        with self.assertRaisesRegex(UserError, frozen):
            line.write({"is_done": False})
        with self.assertRaisesRegex(UserError, frozen):
            line.with_user(self.manager).unlink()
        self.assertTrue(line.is_done)

    def test_done_stamp_cannot_be_forged(self):
        handoff = self._win()
        line = handoff.checklist_line_ids[:1].with_user(self.salesperson)
        with self.assertRaises(AccessError):
            line.write({"done_by_id": self.receiver.id})
        line.write({"is_done": True})
        self.assertEqual(line.done_by_id, self.salesperson)

    def test_deadline_set_by_settings_moved_by_managers_only(self):
        handoff = self._win()
        with self.assertRaises(AccessError):
            handoff.with_user(self.salesperson).write({"deadline": "2099-01-01 00:00:00"})
        with self.assertRaises(AccessError):
            self.env["crm.handoff"].with_user(self.salesperson).create(
                {"lead_id": self._new_lead("Lotus: roof").id, "deadline": "2099-01-01"}
            )
        handoff.with_user(self.manager).write({"deadline": "2099-01-01 00:00:00"})
        self.assertEqual(str(handoff.deadline), "2099-01-01 00:00:00")

    def test_deadline_stored_out_of_range_by_hand_gives_the_default(self):
        # a value stored past the settings' checks must not break every win
        for stored in (10**9, 0, -5):
            self.env.company.crm_handoff_deadline_hours = stored
            handoff = self._win(self._new_lead(f"Lotus: deadline {stored}"))
            won = handoff.lead_id.date_closed
            self.assertEqual((handoff.deadline - won).total_seconds(), 24 * 3600, stored)

    def test_acceptance_marks_the_leads_customer_only(self):
        if "customer_type" not in self.env["res.partner"]._fields:
            self.skipTest("customer_type comes with the standard customer fields")
        self.env.company.crm_handoff_marks_customer = True
        bystander = self.env["res.partner"].create({"name": "Bystander Ltd", "is_company": True})
        bystander.customer_type = "potential"
        lead = self._new_lead("Lotus: garden")
        handoff = (
            self.env["crm.handoff"]
            .with_user(self.salesperson)
            .create({"lead_id": lead.id, "partner_id": bystander.id})
        )
        self.assertEqual(handoff.partner_id, self.customer)
        handoff.checklist_line_ids.write({"is_done": True})
        handoff.with_user(self.salesperson).action_submit()
        handoff.with_user(self.receiver).action_accept("5")
        self.assertEqual(bystander.customer_type, "potential")


class TestHandoffOnWin(HandoffCase):
    """Which existing handoff stands for the won lead."""

    def test_open_handoff_suppresses_the_automatic_one(self):
        handoff = (
            self.env["crm.handoff"].with_user(self.salesperson).create({"lead_id": self.lead.id})
        )
        self.assertEqual(self._win(), handoff)

    def test_rejected_handoff_does_not_suppress_a_new_one(self):
        handoff = self._submitted_handoff()
        handoff.with_user(self.receiver).action_reject("The customer cancelled the order")
        self.lead.with_user(self.salesperson).stage_id = self.stage_new
        self._win()
        self.assertEqual(len(self.lead.handoff_ids), 2)
        self.assertEqual(sorted(self.lead.handoff_ids.mapped("state")), ["draft", "rejected"])


@tagged("post_install", "-at_install")
class TestHandoffOverRpc(HttpCase):
    """The attacks above as the web client sends them (JSON-RPC call_kw)."""

    def setUp(self):
        super().setUp()
        self.owner = new_test_user(
            self.env, login="ho_rpc_owner", groups="sales_team.group_sale_salesman"
        )
        self.attacker = new_test_user(
            self.env, login="ho_rpc_attacker", groups="sales_team.group_sale_salesman"
        )
        self.receiver = new_test_user(
            self.env, login="ho_rpc_receiver", groups="crm_process_std_base.group_after_sales"
        )
        self.lead = self.env["crm.lead"].create(
            {
                "name": "RPC: confidential deal",
                "type": "opportunity",
                "user_id": self.owner.id,
                "phone": "+41 44 000 00 00",
                "description": "<p>Budget ceiling 80 000</p>",
            }
        )
        # the attacker's own deal, to hand over legitimately
        self.own_lead = self.lead.copy({"name": "RPC: own deal", "user_id": self.attacker.id})

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_create_and_onchange_with_anothers_lead_refused(self):
        self.authenticate("ho_rpc_attacker", "ho_rpc_attacker")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call(
                "crm.handoff",
                "create",
                [{"lead_id": self.lead.id, "sender_id": self.attacker.id}],
            )
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call("crm.handoff", "onchange", [[], {"lead_id": self.lead.id}, [], CONTENT_SPEC])
        self.assertFalse(self.env["crm.handoff"].search([("lead_id", "=", self.lead.id)]))

    def test_own_handoff_not_repointed_nor_self_accepted(self):
        self.authenticate("ho_rpc_attacker", "ho_rpc_attacker")
        handoff_id = self._call(
            "crm.handoff",
            "create",
            [{"lead_id": self.own_lead.id, "receiver_user_id": self.receiver.id}],
        )
        for vals in (
            {"lead_id": self.lead.id},
            {"sender_id": self.owner.id},
            {"state": "accepted"},
            {"quality_rating": "5"},
        ):
            with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call("crm.handoff", "write", [[handoff_id], vals])
        with self.assertRaisesRegex(JsonRpcException, "ValidationError"):
            self._call(
                "crm.handoff", "write", [[handoff_id], {"receiver_user_id": self.attacker.id}]
            )
        self._call("crm.handoff", "action_submit", [[handoff_id]])
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._call("crm.handoff", "action_accept", [[handoff_id], "5"])
        handoff = self.env["crm.handoff"].browse(handoff_id)
        self.assertEqual(handoff.state, "submitted")
        self.assertEqual(handoff.lead_id, self.own_lead)


class TestHandoffHistoryKept(HandoffCase):
    def test_deleting_a_lead_with_a_handoff_is_refused(self):
        lead = self._new_lead("Hist handed over")
        handoff = self.env["crm.handoff"].create({"lead_id": lead.id})
        with self.assertRaisesRegex(UserError, "Archive them"):
            lead.with_user(self.manager).unlink()
        self.assertTrue(lead.exists())
        self.assertTrue(handoff.exists())

    def test_huge_deadline_refused_in_settings(self):
        admin = new_test_user(
            self.env,
            login="ho_bound_admin",
            groups="base.group_system,sales_team.group_sale_manager",
        )
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].with_user(admin).create(
                {"crm_std_handoff_deadline_hours": 10**12}
            )

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form

from .common import StageRequirementCase


class TestStageRequirement(StageRequirementCase):
    def test_stage_change_blocked_lists_missing_fields(self):
        self.make_requirement(
            self.proposal, ("phone", "expected_revenue"), message="Call before proposing."
        )
        lead = self.make_lead("Std Acme deal")
        with self.assertRaises(UserError) as caught:
            lead.write({"stage_id": self.proposal.id})
        message = str(caught.exception)
        self.assertIn('Cannot move to stage "Std Proposal"', message)
        self.assertIn("- Std Acme deal: Phone and Expected Revenue", message)
        self.assertIn("Call before proposing.", message)
        self.assertEqual(lead.stage_id, self.start)

    def test_kanban_drop_writes_only_stage_and_is_blocked(self):
        self.make_requirement(self.proposal, ("phone",))
        lead = self.make_lead("Std Kanban deal")
        # The kanban view writes {'stage_id': id} alone on drop.
        with self.assertRaisesRegex(UserError, "Std Kanban deal: Phone"):
            lead.with_user(self.salesperson).write({"stage_id": self.proposal.id})
        lead.with_user(self.salesperson).write({"phone": "+86 138 0013 8000"})
        lead.with_user(self.salesperson).write({"stage_id": self.proposal.id})
        self.assertEqual(lead.stage_id, self.proposal)

    def test_batch_write_names_each_failing_lead(self):
        self.make_requirement(self.proposal, ("phone", "email_from"))
        ready = self.make_lead("Std Ready", phone="+86 138 0013 8000", email_from="a@example.com")
        no_phone = self.make_lead("Std No Phone", email_from="b@example.com")
        nothing = self.make_lead("Std Nothing")
        leads = ready | no_phone | nothing
        with self.assertRaises(UserError) as caught:
            leads.write({"stage_id": self.proposal.id})
        message = str(caught.exception)
        self.assertIn("- Std No Phone: Phone", message)
        self.assertIn("- Std Nothing: Phone and Email", message)
        self.assertNotIn("Std Ready", message)
        self.assertEqual(set(leads.mapped("stage_id")), {self.start})

    def test_form_fills_field_and_moves_stage_in_one_save(self):
        self.make_requirement(self.proposal, ("expected_revenue",))
        lead = self.make_lead("Std Form deal")
        with Form(lead.with_user(self.salesperson)) as form:
            self.assertEqual(form.next_stage_name, "Std Discovery")
            form.stage_id = self.proposal
            form.expected_revenue = 50000
        self.assertEqual(lead.stage_id, self.proposal)

    def test_form_shows_what_next_stage_needs(self):
        self.make_requirement(self.discovery, ("phone",))
        self.make_requirement(self.discovery, ("core_need",), mode="warn")
        lead = self.make_lead("Std Next deal")
        form = Form(lead.with_user(self.salesperson))
        self.assertEqual(form.next_stage_name, "Std Discovery")
        self.assertEqual(form.next_stage_missing, "Phone")
        self.assertEqual(form.next_stage_warning, "Core Need")
        form.phone = "+86 138 0013 8000"
        self.assertFalse(form.next_stage_missing)

    def test_warn_mode_moves_and_logs_deviation(self):
        requirement = self.make_requirement(self.discovery, ("core_need",), mode="warn")
        lead = self.make_lead("Std Warn deal")
        lead.with_user(self.salesperson).write({"stage_id": self.discovery.id})
        self.assertEqual(lead.stage_id, self.discovery)
        deviation = self.env["crm.stage.deviation"].search([("lead_id", "=", lead.id)])
        self.assertEqual(len(deviation), 1)
        self.assertEqual(deviation.kind, "warning")
        self.assertEqual(deviation.requirement_ids, requirement)
        self.assertEqual(deviation.missing_items, "Core Need")
        self.assertEqual(deviation.lead_user_id, self.salesperson)
        self.assertEqual(lead.stage_deviation_count, 1)
        self.assertIn("process deviation", lead.message_ids[0].body)
        # The salesperson sees the deviations of their own leads.
        self.assertEqual(
            self.env["crm.stage.deviation"]
            .with_user(self.salesperson)
            .search_count([("lead_id", "=", lead.id)]),
            1,
        )

    def test_team_limited_rule_applies_only_to_that_team(self):
        self.make_requirement(self.proposal, ("phone",), team_ids=[(6, 0, self.team.ids)])
        ours = self.make_lead("Std Our deal")
        other = self.make_lead("Std Other deal", team=self.other_team)
        other.write({"stage_id": self.proposal.id})
        self.assertEqual(other.stage_id, self.proposal)
        with self.assertRaisesRegex(UserError, "Std Our deal: Phone"):
            ours.write({"stage_id": self.proposal.id})

    def test_domain_limited_rule_applies_only_to_matching_leads(self):
        self.make_requirement(
            self.proposal, ("decision_maker_id",), domain="[('expected_revenue', '>', 100000)]"
        )
        small = self.make_lead("Std Small deal", expected_revenue=5000)
        large = self.make_lead("Std Large deal", expected_revenue=250000)
        small.write({"stage_id": self.proposal.id})
        self.assertEqual(small.stage_id, self.proposal)
        with self.assertRaisesRegex(UserError, "Std Large deal: Key Decision Maker"):
            large.write({"stage_id": self.proposal.id})

    def test_requirements_are_cumulative(self):
        self.make_requirement(self.discovery, ("core_need",))
        self.make_requirement(self.proposal, ("phone",))
        lead = self.make_lead("Std Jumping deal")
        # Jumping straight to the closing stage needs both earlier stages' items.
        with self.assertRaisesRegex(UserError, "Std Jumping deal: Core Need and Phone"):
            lead.write({"stage_id": self.closing.id})
        lead.write({"core_need": "Cut costs", "phone": "+86 138 0013 8000"})
        lead.write({"stage_id": self.closing.id})
        self.assertEqual(lead.stage_id, self.closing)

    def test_customer_field_requirement_reads_the_company(self):
        self.make_requirement(self.closing, partner_fields=("industry_id",))
        contact = self.env["res.partner"].create(
            {"name": "Std Buyer", "parent_id": self.customer.id}
        )
        lead = self.make_lead("Std Company deal", partner_id=contact.id)
        with self.assertRaisesRegex(UserError, r"Std Company deal: Main Industry \(customer\)"):
            lead.write({"stage_id": self.closing.id})
        self.customer.industry_id = self.industry
        lead.write({"stage_id": self.closing.id})
        self.assertEqual(lead.stage_id, self.closing)

    def test_lead_created_in_a_gated_stage_is_checked(self):
        self.make_requirement(self.proposal, ("phone",))
        with self.assertRaisesRegex(UserError, "Std Imported deal: Phone"):
            self.make_lead("Std Imported deal", stage=self.proposal)
        lead = self.make_lead("Std Created ok", stage=self.proposal, phone="+86 138 0013 8000")
        self.assertEqual(lead.stage_id, self.proposal)

    def test_import_reports_blocked_rows(self):
        self.make_requirement(self.proposal, ("phone",))
        team, stage = str(self.team.id), str(self.proposal.id)
        result = (
            self.env["crm.lead"]
            .with_user(self.salesperson)
            .load(
                ["name", "type", "team_id/.id", "stage_id/.id", "phone"],
                [
                    ["Std Row ok", "opportunity", team, stage, "+86 138 0013 8000"],
                    ["Std Row blocked", "opportunity", team, stage, ""],
                ],
            )
        )
        self.assertFalse(result["ids"])
        self.assertIn("Std Row blocked: Phone", " ".join(m["message"] for m in result["messages"]))

    def test_attachment_requirement(self):
        self.make_requirement(self.proposal, kind="attachment", name="Signed NDA attached")
        lead = self.make_lead("Std Paper deal")
        with self.assertRaisesRegex(UserError, "Std Paper deal: An attachment"):
            lead.write({"stage_id": self.proposal.id})
        self.env["ir.attachment"].create(
            {"name": "nda.pdf", "raw": b"%PDF", "res_model": "crm.lead", "res_id": lead.id}
        )
        lead.write({"stage_id": self.proposal.id})
        self.assertEqual(lead.stage_id, self.proposal)

    def test_inactive_requirement_does_not_block(self):
        self.make_requirement(self.proposal, ("phone",), active=False)
        lead = self.make_lead("Std Inactive rule deal")
        lead.write({"stage_id": self.proposal.id})
        self.assertEqual(lead.stage_id, self.proposal)

    def test_field_requirement_needs_fields_and_valid_condition(self):
        with self.assertRaisesRegex(ValidationError, "needs at least one lead or customer field"):
            self.make_requirement(self.proposal, name="Empty")
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.make_requirement(self.proposal, ("phone",), domain="[('no_such_field', '=', 1)]")

    def test_impact_preview_counts_open_leads_in_or_past_stage(self):
        past_missing = self.make_lead("Std Past 1", stage=self.closing)
        self.make_lead("Std Past 2", stage=self.proposal, phone="+86 138 0013 8000")
        self.make_lead("Std Before", stage=self.discovery)
        won = self.make_lead("Std Won", stage=self.closing)
        won.action_set_lost()
        requirement = self.env["crm.stage.requirement"].new(
            {
                "name": "Preview",
                "stage_id": self.proposal.id,
                "lead_field_ids": [(6, 0, self.lead_field("phone").ids)],
                "team_ids": [(6, 0, self.team.ids)],
                "mode": "block",
            }
        )
        self.assertEqual(requirement.impact_scope_count, 2)
        self.assertEqual(requirement.impact_current_count, 1)
        self.assertEqual(requirement.impact_upcoming_count, 1)
        saved = self.make_requirement(self.proposal, ("phone",), team_ids=[(6, 0, self.team.ids)])
        action = saved.action_open_affected_leads()
        self.assertEqual(action["domain"], [("id", "in", past_missing.ids)])

    def test_manager_exception_lets_lead_through_once(self):
        self.make_requirement(self.proposal, ("phone",))
        lead = self.make_lead("Std Urgent deal")
        wizard_model = self.env["crm.stage.exception.wizard"]
        with self.assertRaises(AccessError):
            wizard_model.with_user(self.salesperson).create(
                {"lead_id": lead.id, "stage_id": self.proposal.id, "reason": "Please"}
            ).action_grant()
        wizard_model.with_user(self.manager).create(
            {"lead_id": lead.id, "stage_id": self.proposal.id, "reason": "Customer signs today"}
        ).action_grant()
        self.assertIn("Customer signs today", lead.message_ids[0].body)
        lead.with_user(self.salesperson).write({"stage_id": self.proposal.id})
        self.assertEqual(lead.stage_id, self.proposal)
        exception = self.env["crm.stage.deviation"].search([("lead_id", "=", lead.id)])
        self.assertEqual(exception.kind, "exception")
        self.assertEqual(exception.exception_state, "used")
        self.assertEqual(exception.missing_items, "Phone")
        self.assertEqual(exception.granted_by_id, self.manager)
        # One time only: back and forth needs the phone again.
        lead.write({"stage_id": self.discovery.id})
        with self.assertRaisesRegex(UserError, "Std Urgent deal: Phone"):
            lead.with_user(self.salesperson).write({"stage_id": self.proposal.id})

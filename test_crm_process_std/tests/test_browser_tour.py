"""Browser tours (headless Chromium): what staff do in the web client, end to end.

One use case, one tour, one test class here that makes the records the tour uses and
checks what the tour did. The tours live in ``<addon>/static/tests/tours/`` (one file
each; shared steps in crm_process_std_base/static/tests/tours/tour_steps.js):

- TestSalespersonTour: a salesperson meets a stage requirement in the pipeline and
  logs a follow-up (crm_process_std_tour.js);
- TestManagerTour: a sales manager opens the health kanban and the KPI pivot
  (crm_health_score: health_manager_tour.js);
- TestHealthRecomputeTour: a sales manager presses "Recompute All Now" in the health
  list (crm_health_score: health_recompute_tour.js);
- TestHandoffAcceptTour: an after-sales user accepts a handoff with a rating in the
  Accept dialog (handoff_accept_tour.js);
- TestApprovalTour: a sales manager approves a deal in the Approve dialog
  (lead_approval_tour.js);
- TestProspectFollowupTour: a salesperson logs a follow-up on a prospect without
  customer from the lead form (prospect_followup_tour.js);
- TestSampleImportZhTour: a Chinese salesperson imports the customer sample from the
  customer list's "Import records" with the proposed mapping (sample_import_zh_tour.js);
- TestDiagnosisChartTour: a process administrator opens a diagnosis and sees one bar
  per figure in its chart (diagnosis_chart_tour.js).

Next (once merged): the dashboard: add it the same way.
"""

import csv
import shutil
import unittest
from pathlib import Path

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

CHROME = next(
    (
        name
        for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
        if shutil.which(name)
    ),
    None,
)
SKIP_REASON = "no Chromium / Chrome executable: the browser tours need one"
REPO_DATA = Path(__file__).resolve().parents[2] / "data"


@tagged("post_install", "-at_install")
@unittest.skipUnless(CHROME, SKIP_REASON)
class TourCase(HttpCase):
    """A browser tour: headless Chromium on the test database."""

    test_tags = frozenset({"standard", "at_install"})
    # The first page of each test builds the asset bundles inside the test transaction:
    # on a busy machine that holds the test cursor longer than Odoo's default 20 s, and
    # the page's other requests would fail waiting for it.
    test_cursor_lock_timeout = 120


class TestSalespersonTour(TourCase):
    """Drag a lead into a stage whose requirements it misses, read the error,
    complete the lead, move it again, log a follow-up."""

    def setUp(self):
        super().setUp()
        self.salesperson = new_test_user(
            self.env,
            login="tour_salesperson",
            name="Tour Salesperson",
            groups="sales_team.group_sale_salesman",
        )
        self.team = self.env["crm.team"].create({"name": "Tour Sales Team"})
        self.env["crm.team.member"].create(
            {"crm_team_id": self.team.id, "user_id": self.salesperson.id}
        )
        # Two team-only stages ahead of the standard ones: the first two columns.
        Stage = self.env["crm.stage"]
        self.stage_from = Stage.create(
            {"name": "Tour Discovery", "sequence": 0, "team_ids": [self.team.id]}
        )
        self.stage_to = Stage.create(
            {"name": "Tour Proposal", "sequence": 0, "team_ids": [self.team.id]}
        )
        lead_fields = self.env["ir.model.fields"]._get_ids("crm.lead")
        self.env["crm.stage.requirement"].create(
            {
                "name": "Customer reachable, deal sized",
                "stage_id": self.stage_to.id,
                "kind": "field",
                "lead_field_ids": [lead_fields["phone"], lead_fields["expected_revenue"]],
                "team_ids": [self.team.id],
                "mode": "block",
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Acme Corp", "is_company": True, "phone": False}
        )
        self.lead = self.env["crm.lead"].create(
            {
                "name": "Tour Lead Acme Upgrade",
                "type": "opportunity",
                "partner_id": customer.id,
                "phone": False,
                "expected_revenue": 0,
                "user_id": self.salesperson.id,
                "team_id": self.team.id,
                "stage_id": self.stage_from.id,
            }
        )

    def test_salesperson_completes_lead_to_pass_stage_and_logs_followup(self):
        self.assertFalse(self.lead.phone)
        self.start_tour("/odoo/crm", "crm_process_std_tour", login="tour_salesperson")
        self.assertEqual(self.lead.stage_id, self.stage_to)
        self.assertTrue(self.lead.phone)
        self.assertEqual(self.lead.expected_revenue, 12000)
        followup = self.env["crm.followup"].search([("lead_id", "=", self.lead.id)])
        self.assertEqual(len(followup), 1)
        self.assertEqual(followup.user_id, self.salesperson)
        self.assertEqual(followup.next_step, "Send the proposal on Monday")


class TestManagerTour(TourCase):
    """A sales manager opens the customer health kanban and the KPI pivot."""

    def setUp(self):
        super().setUp()
        new_test_user(
            self.env,
            login="tour_sales_manager",
            name="Tour Sales Manager",
            groups="sales_team.group_sale_manager",
        )
        self.env["crm.kpi.snapshot"].create(
            {
                "kind": "regular",
                "date_from": "2020-01-01",
                "date_to": "2020-01-31",
                "kpi_code": "completeness",
                "unit": "percent",
                "value": 87.5,
                "company_id": self.env.company.id,
            }
        )

    def test_manager_opens_health_kanban_and_kpi_pivot(self):
        self.start_tour("/odoo/crm", "crm_health_score_manager_tour", login="tour_sales_manager")


class TestHealthRecomputeTour(TourCase):
    """A sales manager recomputes every customer's health from the list header: a
    customer with an opportunity but no health score yet gets one."""

    def setUp(self):
        super().setUp()
        new_test_user(
            self.env,
            login="tour_health_manager",
            name="Tour Health Manager",
            groups="sales_team.group_sale_manager",
        )
        self.customer = self.env["res.partner"].create(
            {"name": "Tour Health Newcomer Ltd", "is_company": True}
        )
        self.env["crm.lead"].create(
            {
                "name": "Tour Health Newcomer: first order",
                "type": "opportunity",
                "partner_id": self.customer.id,
            }
        )

    def test_manager_recomputes_all_from_the_list(self):
        Score = self.env["crm.health.score"]
        self.assertFalse(Score.search([("partner_id", "=", self.customer.id)]))
        started = fields.Datetime.now()
        self.start_tour("/odoo/crm", "crm_health_score_recompute_tour", login="tour_health_manager")
        score = Score.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(score), 1)
        self.assertGreaterEqual(score.computed_on, started)


class TestHandoffAcceptTour(TourCase):
    """An after-sales user opens the handoff submitted to them, accepts it and rates it
    in the Accept dialog."""

    def setUp(self):
        super().setUp()
        self.receiver = new_test_user(
            self.env,
            login="tour_after_sales",
            name="Tour After-Sales",
            groups="crm_process_std_base.group_after_sales",
        )
        sender = new_test_user(
            self.env,
            login="tour_handoff_sender",
            name="Tour Handoff Sender",
            groups="sales_team.group_sale_salesman",
        )
        customer = self.env["res.partner"].create({"name": "Tour Lotus Ltd", "is_company": True})
        lead = self.env["crm.lead"].create(
            {
                "name": "Tour Handoff Lotus Desks",
                "type": "opportunity",
                "partner_id": customer.id,
                "user_id": sender.id,
            }
        )
        self.handoff = self.env["crm.handoff"].create(
            {"lead_id": lead.id, "sender_id": sender.id, "receiver_user_id": self.receiver.id}
        )
        # the sender completed the checklist before submitting
        self.handoff.checklist_line_ids.write({"is_done": True})
        self.handoff.with_user(sender).action_submit()

    def test_after_sales_accepts_with_rating(self):
        self.assertEqual(self.handoff.state, "submitted")
        self.start_tour(
            "/odoo/crm", "crm_process_std_handoff_accept_tour", login="tour_after_sales"
        )
        self.assertEqual(self.handoff.state, "accepted")
        self.assertEqual(self.handoff.accepted_by_id, self.receiver)
        self.assertEqual(self.handoff.quality_rating, "4")
        self.assertEqual(
            self.handoff.rating_comment,
            "Contract and contacts complete; delivery date confirmed",
        )


class TestApprovalTour(TourCase):
    """A sales manager approves a deal waiting for their level, from the To Approve
    list, with a comment in the Approve dialog."""

    def setUp(self):
        super().setUp()
        self.manager = new_test_user(
            self.env,
            login="tour_approver",
            name="Tour Approver",
            groups="sales_team.group_sale_manager",
        )
        salesperson = new_test_user(
            self.env,
            login="tour_deal_owner",
            name="Tour Deal Owner",
            groups="sales_team.group_sale_salesman",
        )
        team = self.env["crm.team"].create(
            {"name": "Tour Approval Team", "member_ids": [Command.link(salesperson.id)]}
        )
        level = self.env["crm.approval.level"].create(
            {
                "name": "Tour Manager Level",
                "min_amount": 10000,
                "approver_group_id": self.env.ref("sales_team.group_sale_manager").id,
                "team_ids": [Command.set(team.ids)],
            }
        )
        self.lead = self.env["crm.lead"].create(
            {
                "name": "Tour Deal Harbour Fit-out",
                "type": "opportunity",
                "user_id": salesperson.id,
                "team_id": team.id,
                "expected_revenue": 50000,
            }
        )
        self.lead.with_user(salesperson).action_request_approval()
        self.approval = self.lead.approval_ids.filtered(lambda a: a.level_id == level)

    def test_manager_approves_in_the_dialog(self):
        self.assertEqual(self.approval.state, "pending")
        self.start_tour("/odoo/crm", "crm_process_std_approval_tour", login="tour_approver")
        self.assertEqual(self.approval.state, "approved")
        self.assertEqual(self.approval.decided_by_id, self.manager)
        self.assertEqual(self.approval.comment, "Margin checked: approved at this price")
        self.assertEqual(self.lead.approval_state, "approved")


class TestProspectFollowupTour(TourCase):
    """A salesperson opens a prospect that has no customer yet and logs a follow-up
    from the lead form: the follow-up belongs to the lead, without partner."""

    def setUp(self):
        super().setUp()
        self.salesperson = new_test_user(
            self.env,
            login="tour_prospect_owner",
            name="Tour Prospect Owner",
            groups="sales_team.group_sale_salesman",
        )
        self.lead = self.env["crm.lead"].create(
            {
                "name": "Tour Prospect Walk-in Enquiry",
                "type": "opportunity",
                "partner_id": False,
                "contact_name": "Walk-in visitor",
                "user_id": self.salesperson.id,
            }
        )

    def test_salesperson_logs_followup_on_prospect_without_customer(self):
        self.assertFalse(self.lead.partner_id)
        Followup = self.env["crm.followup"]
        self.assertFalse(Followup.search([("lead_id", "=", self.lead.id)]))
        self.start_tour(
            "/odoo/crm", "crm_process_std_prospect_followup_tour", login="tour_prospect_owner"
        )
        followup = Followup.search([("lead_id", "=", self.lead.id)])
        self.assertEqual(len(followup), 1)
        self.assertFalse(followup.partner_id)
        self.assertFalse(self.lead.partner_id)
        self.assertEqual(followup.user_id, self.salesperson)
        self.assertEqual(followup.previous_conclusion, "Visitor asked for a price list at the fair")
        self.assertEqual(followup.value_delivered, "Sent the price list and two references")
        self.assertEqual(followup.next_step, "Call back to qualify the budget")


class TestSampleImportZhTour(TourCase):
    """A salesperson whose language is Chinese imports the repository's customer sample
    from the customer list, keeping the mapping the import dialog proposes: every
    sample customer is created with its industry."""

    def setUp(self):
        super().setUp()
        self.env["res.lang"]._activate_lang("zh_CN")
        # as in a database where Chinese is installed: menus, field labels, industries
        # and selection labels in Chinese
        self.env["ir.module.module"]._load_module_terms(
            ["base", "base_import", "sales_team", "crm", "crm_process_std_base"], ["zh_CN"]
        )
        self.salesperson = new_test_user(
            self.env,
            login="tour_import_zh",
            name="Tour Import Chinese",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            lang="zh_CN",
        )
        sample = REPO_DATA / "customer_information_sample.csv"
        with sample.open(newline="", encoding="utf-8") as handle:
            self.expected = {
                row["Name"]: self.env.ref(row["industry_id/id"]) for row in csv.DictReader(handle)
            }
        # the file the user picks from their disk: the tour uploads it in the dialog
        self.env["ir.attachment"].with_user(self.salesperson).create(
            {"name": sample.name, "raw": sample.read_bytes(), "mimetype": "text/csv"}
        )

    def test_chinese_salesperson_imports_the_customer_sample(self):
        Partner = self.env["res.partner"].with_context(active_test=False)
        self.assertTrue(self.expected)
        self.assertFalse(Partner.search([("name", "in", list(self.expected))]))
        self.start_tour(
            "/odoo/crm", "crm_process_std_sample_import_zh_tour", login="tour_import_zh"
        )
        for name, industry in self.expected.items():
            customer = Partner.search([("name", "=", name)])
            self.assertEqual(len(customer), 1, name)
            self.assertEqual(customer.industry_id, industry, name)
            self.assertEqual(customer.create_uid, self.salesperson, name)


class TestDiagnosisChartTour(TourCase):
    """A process administrator opens a diagnosis from the CRM configuration: its
    figures show as a chart, one bar per figure, above the table."""

    def setUp(self):
        super().setUp()
        self.admin = new_test_user(
            self.env,
            login="tour_process_admin",
            name="Tour Process Admin",
            groups="crm_process_std_base.group_process_admin",
        )
        self.diagnosis = (
            self.env["crm.process.diagnosis"]
            .with_user(self.admin)
            .create({"name": "Tour Diagnosis before the rollout", "months": 6})
        )
        self.diagnosis.action_run()

    def test_process_admin_sees_the_diagnosis_chart(self):
        self.assertEqual(self.diagnosis.state, "done")
        self.assertTrue(self.diagnosis.line_ids)
        self.start_tour(
            "/odoo/crm", "crm_process_std_diagnosis_chart_tour", login="tour_process_admin"
        )
        # the chart the tour saw: one bar row per figure, a value bar for each measured
        chart = str(self.diagnosis.with_user(self.admin).chart)
        self.assertEqual(chart.count('o_crm_diagnosis_bar"'), len(self.diagnosis.line_ids))
        measured = self.diagnosis.line_ids.filtered("has_value")
        self.assertTrue(measured)
        self.assertEqual(chart.count("start-0 rounded"), len(measured))

"""Browser tours (headless Chromium): a salesperson meets a stage requirement in
the pipeline, a sales manager opens the health kanban and the KPI pivot.

The tours live in crm_process_std/static/tests/tours/crm_process_std_tour.js."""

import shutil
import unittest

from odoo.tests import HttpCase, new_test_user

CHROME = next(
    (
        name
        for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
        if shutil.which(name)
    ),
    None,
)
SKIP_REASON = "no Chromium / Chrome executable: the browser tours need one"


@unittest.skipUnless(CHROME, SKIP_REASON)
class TestSalespersonTour(HttpCase):
    """Drag a lead into a stage whose requirements it misses, read the error,
    complete the lead, move it again, log a follow-up."""

    test_tags = frozenset({"standard", "at_install"})

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


@unittest.skipUnless(CHROME, SKIP_REASON)
class TestManagerTour(HttpCase):
    """A sales manager opens the customer health kanban and the KPI pivot."""

    test_tags = frozenset({"standard", "at_install"})

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

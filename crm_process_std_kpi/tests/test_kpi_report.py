# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common_kpi import KpiCase

MEASURES = [
    "lead_count:sum",
    "lead_in_count:sum",
    "converted_count:sum",
    "lead_to_opportunity_rate:avg",
    "completeness_rate:avg",
    "first_response_hours:avg",
    "won_count:sum",
    "lost_count:sum",
    "conversion_rate:avg",
]


@tagged("post_install", "-at_install")
@freeze_time("2024-04-15 12:00:00")
class TestKpiReport(KpiCase):
    def _dataset(self):
        """March 2024, KPI Test Team: 4 leads created (3 as leads, 1 converted),
        contacted after 1 h and 3 h; 3 won and 1 lost. February: 1 lead created and
        lost. Returns the leads created in March (3 leads, then the deal) and the lead
        won in March that was created in February."""
        march = self.dt("2024-03-04 09:00")
        customer = self.env["res.partner"].create({"name": "Report Prospect"})
        leads = [self._lead(f"Report lead {i}", march, type="lead") for i in range(3)]
        leads[0].write({"type": "opportunity", "date_conversion": self.dt("2024-03-05 09:00")})
        deal = self._lead("Report deal", march, user=self.salesperson2, partner_id=customer.id)
        self._followup(customer, self.dt("2024-03-04 10:00"), lead=deal)
        self._message(leads[1], self.dt("2024-03-04 12:00"))
        for lead in (leads[0], deal):
            self._won(lead, self.dt("2024-03-20 12:00"))
        old_won = self._won(
            self._lead("February won", self.dt("2024-02-01 09:00")), self.dt("2024-03-21 12:00")
        )
        self._lost(self._lead("Report lost", self.dt("2024-02-10 09:00")), "2024-03-22 12:00")
        self._lost(self._lead("February lost", self.dt("2024-01-10 09:00")), "2024-02-22 12:00")
        self._commit_point()
        return [*leads, deal], old_won

    def _march(self, report=None, groupby=()):
        report = self.env["crm.kpi.report"] if report is None else report
        rows = report._read_group(
            [
                ("team_id", "=", self.team.id),
                ("date", ">=", "2024-03-01"),
                ("date", "<", "2024-04-01"),
            ],
            list(groupby),
            MEASURES,
        )
        return rows

    def test_report_aggregates_are_the_month_kpis(self):
        self._dataset()
        ((*values,),) = self._march()
        figures = dict(zip(MEASURES, values, strict=True))
        self.assertEqual(figures["lead_count:sum"], 4)
        self.assertEqual(figures["lead_in_count:sum"], 3)
        self.assertEqual(figures["converted_count:sum"], 1)
        self.assertAlmostEqual(figures["lead_to_opportunity_rate:avg"], 100 / 3)
        self.assertAlmostEqual(figures["first_response_hours:avg"], 2.0)
        self.assertEqual(figures["won_count:sum"], 3)
        self.assertEqual(figures["lost_count:sum"], 1)
        self.assertEqual(figures["conversion_rate:avg"], 75.0)

    def test_first_contact_is_kept_on_the_lead_as_contacts_come_and_go(self):
        """Stored once per transaction: each step below ends as a request does, with
        the commit (its pre-commit hooks)."""
        lead = self._lead("First contact lead", self.dt("2024-03-04 09:00"))
        customer = self.env["res.partner"].create({"name": "First Contact Customer"})
        self._message(lead, self.dt("2024-03-04 10:00"), message_type="notification")
        self._commit_point()
        self.assertFalse(lead.first_contact_date, "an automated notification is no contact")
        followup = self._followup(customer, self.dt("2024-03-04 15:00"), lead=lead)
        self._commit_point()
        self.assertEqual(lead.first_contact_date, self.dt("2024-03-04 15:00"))
        note = self._message(lead, self.dt("2024-03-04 11:00"))
        self._commit_point()
        self.assertEqual(lead.first_contact_date, self.dt("2024-03-04 11:00"))
        note.unlink()
        self._commit_point()
        self.assertEqual(lead.first_contact_date, self.dt("2024-03-04 15:00"))
        followup.date = self.dt("2024-03-04 13:00")
        self._commit_point()
        self.assertEqual(lead.first_contact_date, self.dt("2024-03-04 13:00"))
        other = self._lead("Other lead", self.dt("2024-03-04 09:00"))
        followup.lead_id = other
        self._commit_point()
        self.assertFalse(lead.first_contact_date)
        self.assertEqual(other.first_contact_date, self.dt("2024-03-04 13:00"))
        followup.unlink()
        self._commit_point()
        self.assertFalse(other.first_contact_date)
        # the report reads the stored time: 4 h to the first contact
        self._message(other, self.dt("2024-03-04 13:00"))
        self._commit_point()
        rows = self.env["crm.kpi.report"]._read_group(
            [("lead_id", "=", other.id), ("kind", "=", "created")],
            [],
            ["first_response_hours:avg"],
        )
        self.assertAlmostEqual(rows[0][0], 4.0)

    def test_reading_the_first_contact_writes_nothing(self):
        lead = self._lead("Read only lead", self.dt("2024-03-04 09:00"))
        self._commit_point()
        self._message(lead, self.dt("2024-03-04 10:00"))
        lead.invalidate_recordset()
        self.assertFalse(lead.first_contact_date, "stored at the commit, not when read")
        self.env["crm.kpi.report"].search([("lead_id", "=", lead.id)])
        self.env.cr.execute("SELECT first_contact_date FROM crm_lead WHERE id = %s", [lead.id])
        self.assertEqual(self.env.cr.fetchone(), (None,), "nor when the report is read")
        # measuring the figures is an explicit point that stores it
        self.kpi._kpi_value("first_response", "2024-03-01", "2024-03-31", team=self.team)
        lead.invalidate_recordset()
        self.assertEqual(lead.first_contact_date, self.dt("2024-03-04 10:00"))

    def test_report_matches_the_kpi_engine(self):
        self._dataset()
        ((*values,),) = self._march()
        figures = dict(zip(MEASURES, values, strict=True))
        period = ("2024-03-01", "2024-03-31")
        for code, measure in (
            ("conversion", "conversion_rate:avg"),
            ("lead_to_opportunity", "lead_to_opportunity_rate:avg"),
            ("completeness", "completeness_rate:avg"),
            ("first_response", "first_response_hours:avg"),
        ):
            value = self.kpi._kpi_value(code, *period, team=self.team)
            self.assertAlmostEqual(value, round(figures[measure], 2), msg=code)

    def test_report_by_month_and_salesperson(self):
        self._dataset()
        rows = self.env["crm.kpi.report"]._read_group(
            [("team_id", "=", self.team.id)], ["date:month"], ["lost_count:sum"]
        )
        lost = {month.strftime("%Y-%m"): count for month, count in rows}
        self.assertEqual(lost["2024-02"], 1)
        self.assertEqual(lost["2024-03"], 1)
        won = MEASURES.index("won_count:sum") + 1
        by_user = {row[0]: row[won] for row in self._march(groupby=["user_id"])}
        self.assertEqual(by_user[self.salesperson], 2)
        self.assertEqual(by_user[self.salesperson2], 1)

    def test_salesperson_with_own_documents_sees_own_rows(self):
        self._dataset()
        report = self.env["crm.kpi.report"].with_user(self.salesperson2)
        ((lead_count, *_),) = self._march(report)
        self.assertEqual(lead_count, 1, "only the deal of salesperson 2")
        users = report.search([("team_id", "=", self.team.id)]).user_id
        self.assertEqual(users, self.salesperson2)

    def test_pivot_read_group_month_by_team(self):
        self._dataset()
        groups = self.env["crm.kpi.report"].formatted_read_group(
            [("team_id", "=", self.team.id)],
            ["date:month", "team_id"],
            ["won_count:sum", "conversion_rate:avg"],
        )
        march = next(g for g in groups if g["date:month"][0].startswith("2024-03"))
        self.assertEqual(march["won_count:sum"], 3)
        self.assertEqual(march["conversion_rate:avg"], 75.0)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common_kpi import KpiCase

MARCH = ("2024-03-01", "2024-03-31")


@tagged("post_install", "-at_install")
@freeze_time("2024-04-15 12:00:00")
class TestProcessKpis(KpiCase):
    def _value(self, code, period=MARCH, **scope):
        return self.kpi._kpi_value(code, *period, team=scope.pop("team", self.team), **scope)

    def test_conversion_rate_is_won_over_closed_in_the_period(self):
        self._conversion_dataset()
        self.assertEqual(self._value("conversion"), 75.0)
        results = self.kpi._kpi_compute("conversion", *MARCH, team=self.team, by_user=True)
        self.assertEqual(results[(False, self.salesperson.id)].value, 100.0)
        self.assertEqual(results[(False, self.salesperson2.id)].value, 50.0)
        self.assertEqual(results[(False, self.salesperson2.id)].denominator, 2)

    def test_conversion_records_are_the_lost_deals(self):
        _won, lost = self._conversion_dataset()
        ids = self.kpi._kpi_record_ids("conversion", *MARCH, team=self.team)
        self.assertEqual(ids, lost.ids)
        action = self.kpi._kpi_action_records("conversion", *MARCH, team=self.team)
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertEqual(action["domain"], [("id", "in", lost.ids)])
        self.assertFalse(action["context"]["active_test"], "lost leads are archived")

    def test_lead_to_opportunity_counts_leads_created_as_leads(self):
        created = self.dt("2024-03-04 09:00")
        leads = [self._lead(f"Lead {i}", created, type="lead") for i in range(4)]
        leads[0].write({"type": "opportunity", "date_conversion": self.dt("2024-03-06 09:00")})
        self._lead("Created as opportunity", created)
        self._lead("Lead of April", self.dt("2024-04-02 09:00"), type="lead")
        self.assertEqual(self._value("lead_to_opportunity"), 25.0)

    def test_first_response_is_the_earliest_staff_contact(self):
        created = self.dt("2024-03-01 10:00")
        customer = self.env["res.partner"].create({"name": "Prospect Contact"})
        by_followup = self._lead("Followed up", created, partner_id=customer.id)
        self._followup(customer, self.dt("2024-03-01 11:00"), lead=by_followup)
        by_message = self._lead("Messaged", created)
        self._message(by_message, self.dt("2024-03-01 13:00"))
        with freeze_time("2024-03-01 15:00"):
            self._activity(by_message, "2024-03-01", done_on="2024-03-01 15:00")
        earliest = self._lead("Message before follow-up", created, partner_id=customer.id)
        self._followup(customer, self.dt("2024-03-01 16:00"), lead=earliest)
        self._message(earliest, self.dt("2024-03-01 12:00"), internal=False)
        never = self._lead("Never contacted", created)
        customer_first = self._lead("Customer wrote first", created)
        self._message(
            customer_first,
            self.dt("2024-03-01 10:30"),
            author=customer,
            message_type="email",
            internal=False,
        )
        self._message(customer_first, self.dt("2024-03-01 14:00"))
        # 1 h, 3 h, 2 h and 4 h; the lead never contacted has no response time
        self.assertEqual(self._value("first_response"), 2.5)
        problems = self.kpi._kpi_record_ids("first_response", *MARCH, team=self.team)
        self.assertCountEqual(problems, (by_message | never | customer_first).ids)

    def test_unattended_leads_unassigned_or_uncontacted_beyond_seven_days(self):
        created = self.dt("2024-03-01 09:00")
        customer = self.env["res.partner"].create({"name": "Quick Contact"})
        contacted = self._lead("Contacted next day", created, partner_id=customer.id)
        self._followup(customer, self.dt("2024-03-02 09:00"), lead=contacted)
        unassigned = self._lead("Nobody's lead", created, user=False)
        self._message(unassigned, self.dt("2024-03-02 09:00"))
        late = self._lead("Contacted after 11 days", created)
        self._message(late, self.dt("2024-03-12 09:00"))
        never = self._lead("Never contacted", created)
        self.assertEqual(self._value("unattended_leads"), 75.0)
        problems = self.kpi._kpi_record_ids("unattended_leads", *MARCH, team=self.team)
        self.assertCountEqual(problems, (unassigned | late | never).ids)

    def test_timeliness_is_done_by_deadline_over_due_activities(self):
        _on_time, late_or_open = self._timeliness_dataset()
        self.assertEqual(self._value("timeliness"), 60.0)
        problems = self.kpi._kpi_record_ids("timeliness", *MARCH, team=self.team)
        self.assertCountEqual(problems, late_or_open.ids)

    def test_timeliness_ignores_activities_not_due_yet(self):
        lead = self._lead("Planned", self.dt("2024-04-01 09:00"))
        self._activity(lead, "2024-04-20")
        self._activity(lead, "2024-04-10", done_on="2024-04-09")
        self.assertEqual(self._value("timeliness", ("2024-04-01", "2024-04-30")), 100.0)

    def test_monthly_churn_lost_customers_over_active_customers(self):
        _active, lost = self._churn_dataset()
        self.assertEqual(self._value("churn"), 33.33)
        self.assertEqual(self.kpi._kpi_record_ids("churn", *MARCH, team=self.team), lost.ids)

    def test_churn_over_two_months_sums_each_month(self):
        self._churn_dataset()
        results = self.kpi._kpi_compute("churn", "2024-02-01", "2024-03-31", team=self.team)
        # February: C1, C2 (won in January) and C4 (last contact 5 January) are
        # active and all three go 30 days without contact (9, 14 and 4 February);
        # March: C1, C2 (back in touch on 25 February) and C3 are active, C2 is lost.
        self.assertEqual(results[(False, False)].numerator, 4)
        self.assertEqual(results[(False, False)].denominator, 6)
        self.assertEqual(results[(False, False)].value, 66.67)

    def test_churn_days_setting_changes_who_is_lost(self):
        self._churn_dataset()
        self.env["ir.config_parameter"].sudo().set_param("crm_process_std.kpi_churn_days", "40")
        # with 40 days, C2 (last contact 25 February) is lost only on 5 April
        self.assertEqual(self._value("churn"), 0.0)

    def test_neglected_high_value_customers(self):
        big = self._customer("Big Buyer")
        large = self._customer("Large Buyer")
        self._won(
            self._lead("Big deal", self.dt("2023-05-01"), partner_id=big.id, expected_revenue=1e6),
            "2023-06-01",
        )
        self._won(
            self._lead(
                "Large deal", self.dt("2023-05-01"), partner_id=large.id, expected_revenue=9e5
            ),
            "2023-07-01",
        )
        self._message(large, self.dt("2024-03-20 10:00"))
        for i in range(8):
            small = self._customer(f"Small Buyer {i}")
            self._won(
                self._lead(
                    f"Small {i}", self.dt("2023-05-01"), partner_id=small.id, expected_revenue=1e3
                ),
                "2023-08-01",
            )
        # top fifth of 10 customers = the 2 largest; Big Buyer silent for 30 days
        self.assertEqual(self._value("neglected_customers"), 50.0)
        self.assertEqual(self.kpi._kpi_record_ids("neglected_customers", *MARCH), big.ids)

    def test_every_kpi_has_its_source(self):
        # the KPIs of the installed bridges too: each definition has its SQL source
        for code in self.kpi._kpi_definitions():
            self.assertIsInstance(self.kpi._kpi_compute(code, *MARCH), dict, code)

    def test_completeness_average_and_share_above_threshold(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(
            "crm_process_std.kpi_completeness_fields", "phone,email_from,function,description"
        )
        params.set_param("crm_process_std.completeness_threshold", "80")
        created = self.dt("2024-03-05 09:00")
        leads = (
            self._lead(
                "Complete",
                created,
                phone="+86 21 5555 0101",
                email_from="buyer@example.com",
                function="Purchasing Director",
                description="<p>Cut production costs</p>",
            )
            | self._lead("Half", created, phone="+86 21 5555 0102", email_from="half@example.com")
            | self._lead("Quarter", created, function="CEO", description="<p><br></p>")
            | self._lead("Empty", created)
        )
        if "completeness_rate" in leads._fields:
            # the stage requirements store their own weighted rate: it is used as is
            rates = leads.mapped("completeness_rate")
            expected = round(sum(rates) / len(rates), 2)
            above = round(100.0 * len([r for r in rates if r >= 80]) / len(rates), 2)
        else:
            expected, above = 43.75, 25.0
        self.assertEqual(self._value("completeness"), expected)
        self.assertEqual(self._value("completeness_above"), above)

    def test_kpi_per_team_and_salesperson_in_one_query(self):
        self._conversion_dataset()
        other_team = self.env["crm.team"].create({"name": "Other KPI Team"})
        self._won(
            self._lead("Other team deal", self.dt("2024-03-01"), team=other_team),
            "2024-03-15",
        )
        results = self.kpi._kpi_compute("conversion", *MARCH, by_team=True, by_user=True)
        self.assertEqual(results[(self.team.id, False)].value, 75.0)
        self.assertEqual(results[(other_team.id, False)].value, 100.0)
        self.assertEqual(results[(self.team.id, False)].denominator, 4)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from odoo.addons.crm_process_std_kpi.tests.common_kpi import KpiCase

MARCH = ("2024-03-01", "2024-03-31")


@tagged("post_install", "-at_install")
@freeze_time("2024-04-15 12:00:00")
class TestComplaintKpi(KpiCase):
    def _value(self, code, period=MARCH, **scope):
        return self.kpi._kpi_value(code, *period, team=scope.pop("team", self.team), **scope)

    def _complaint(self, partner, opened, resolved=None, lead=None, user=None):
        return self.env["crm.complaint"].create(
            {
                "name": f"Complaint of {partner.name}",
                "partner_id": partner.id,
                "lead_id": lead.id if lead else False,
                "date_open": opened,
                "resolved_date": resolved,
                "state": "resolved" if resolved else "open",
                "resolution": "<p>Part replaced on site.</p>" if resolved else False,
                "user_id": (user or self.salesperson).id,
                "company_id": (self.team.company_id or self.env.company).id,
            }
        )

    def test_complaint_handling_time_in_hours(self):
        customer = self._customer("Complaining Customer")
        lead = self._lead("Deal with issues", self.dt("2024-01-01"), partner_id=customer.id)
        fast = self._complaint(customer, "2024-03-01 08:00", "2024-03-01 18:00", lead=lead)
        self._complaint(customer, "2024-03-02 08:00", "2024-03-03 14:00", lead=lead)
        slow = self._complaint(customer, "2024-03-10 00:00", "2024-03-12 12:00", lead=lead)
        self._complaint(customer, "2024-03-20 00:00", "2024-04-02 00:00", lead=lead)
        self._complaint(customer, "2024-03-25 00:00", lead=lead)
        # 10 h, 30 h, 60 h resolved in March; the target is 48 h
        self.assertEqual(self._value("complaint_time"), 33.33)
        problems = self.kpi._kpi_record_ids("complaint_time", *MARCH, team=self.team)
        self.assertEqual(problems, slow.ids)
        self.assertNotIn(fast.id, problems)

    def test_comparison_lower_is_better_for_hours(self):
        customer = self._customer("Complaining Customer")
        lead = self._lead("Deal", self.dt("2024-01-01"), partner_id=customer.id)
        self._complaint(customer, "2024-02-01 00:00", "2024-02-03 00:00", lead=lead)
        self._complaint(customer, "2024-03-01 00:00", "2024-03-01 12:00", lead=lead)
        wizard = self.env["crm.kpi.comparison"].create(
            {
                "before_mode": "month",
                "before_month": "2024-02-01",
                "after_month": "2024-03-01",
                "team_id": self.team.id,
            }
        )
        lines = self.env["crm.kpi.comparison.line"].search(wizard.action_compare()["domain"])
        handling = lines.filtered(lambda line: line.kpi_code == "complaint_time")
        self.assertEqual((handling.before_value, handling.after_value), (48.0, 12.0))
        self.assertEqual(handling.change, -36.0)
        self.assertTrue(handling.improved, "a shorter handling time is an improvement")

    def test_diagnosis_reads_the_complaint_handling_time(self):
        company = self.env["res.company"].create({"name": "Complaint Diagnosis Co."})
        self.salesperson.write({"company_ids": [(4, company.id)]})
        self.team = self.env["crm.team"].create(
            {
                "name": "Complaint Sales",
                "company_id": company.id,
                "member_ids": self.salesperson.ids,
            }
        )
        admin = new_test_user(
            self.env,
            login="complaint_diag_admin",
            groups="crm_process_std_base.group_process_admin",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
        )
        customer = self._customer("Complaining Customer", company_id=company.id)
        lead = self._lead("Deal with issues", self.dt("2024-01-01"), partner_id=customer.id)
        self._complaint(customer, "2024-03-01 08:00", "2024-03-01 18:00", lead=lead)
        self._complaint(customer, "2024-03-02 08:00", "2024-03-03 14:00", lead=lead)
        diagnosis = (
            self.env["crm.process.diagnosis"]
            .with_user(admin)
            .create({"name": "Before", "months": 1, "company_id": company.id})
        )
        diagnosis.action_run()
        line = diagnosis.line_ids.filtered(lambda line: line.kpi_code == "complaint_time")
        # 10 h and 30 h; the 48 h target's derived threshold is twice the target
        self.assertEqual((line.value, line.attention_value), (20.0, 96.0))
        self.assertFalse(line.needs_attention)
        self.assertEqual(diagnosis.line_ids[-1], line, "reported last, after the lead figures")

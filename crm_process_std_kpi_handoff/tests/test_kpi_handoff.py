# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.crm_process_std_kpi.tests.common_kpi import KpiCase

MARCH = ("2024-03-01", "2024-03-31")


@tagged("post_install", "-at_install")
@freeze_time("2024-04-15 12:00:00")
class TestHandoffKpi(KpiCase):
    def _handoff(self, deadline, state="submitted", accepted=None, user=None):
        user = user or self.salesperson
        lead = self._lead(f"Handoff deal {deadline}", self.dt("2024-02-01 09:00"), user=user)
        return (
            self.env["crm.handoff"]
            .sudo()
            .create(
                {
                    "name": f"Handoff {deadline}",
                    "lead_id": lead.id,
                    "sender_id": user.id,
                    "state": state,
                    "deadline": self.dt(deadline),
                    "accepted_date": self.dt(accepted) if accepted else False,
                }
            )
        )

    def _handoff_dataset(self):
        """March 2024: 2 accepted on time, 1 accepted late, 1 still submitted past
        its deadline (50 %); not judged: one due in May, one due in February."""
        on_time = self._handoff("2024-03-05 10:00", "accepted", "2024-03-05 09:00")
        on_time |= self._handoff(
            "2024-03-20 10:00", "accepted", "2024-03-19 09:00", user=self.salesperson2
        )
        late = self._handoff("2024-03-10 10:00", "accepted", "2024-03-12 09:00")
        late |= self._handoff("2024-03-25 10:00", "submitted", user=self.salesperson2)
        self._handoff("2024-05-02 10:00", "submitted")
        self._handoff("2024-02-25 10:00", "accepted", "2024-02-26 10:00")
        return on_time, late

    def test_handoff_on_time_rate_is_accepted_by_deadline_over_due(self):
        _on_time, late = self._handoff_dataset()
        self.assertEqual(self.kpi._kpi_value("handoff_ontime", *MARCH, team=self.team), 50.0)
        results = self.kpi._kpi_compute("handoff_ontime", *MARCH, team=self.team, by_user=True)
        self.assertEqual(results[(False, self.salesperson.id)].value, 50.0)
        self.assertEqual(results[(False, self.salesperson2.id)].value, 50.0)
        self.assertEqual(results[(False, False)].denominator, 4)
        problems = self.kpi._kpi_record_ids("handoff_ontime", *MARCH, team=self.team)
        self.assertCountEqual(problems, late.ids)

    def test_handoff_not_due_yet_is_not_judged(self):
        self._handoff_dataset()
        with freeze_time("2024-03-15 12:00:00"):
            # on time (03-05), late (03-10); the 03-20 one is accepted early,
            # the 03-25 one is not due yet
            results = self.kpi._kpi_compute("handoff_ontime", *MARCH, team=self.team)
        self.assertEqual(results[(False, False)].denominator, 3)
        self.assertEqual(results[(False, False)].value, 66.67)

    def _march_report(self, groupby=()):
        return self.env["crm.kpi.report"]._read_group(
            [
                ("team_id", "=", self.team.id),
                ("date", ">=", "2024-03-01"),
                ("date", "<", "2024-04-01"),
            ],
            list(groupby),
            ["handoff_due_count:sum", "handoff_ontime_count:sum", "handoff_ontime_rate:avg"],
        )

    def test_report_handoff_rows_are_the_month_kpi(self):
        self._handoff_dataset()
        ((due, on_time, rate),) = self._march_report()
        self.assertEqual((due, on_time), (4, 2))
        self.assertEqual(rate, 50.0)
        self.assertEqual(self.kpi._kpi_value("handoff_ontime", *MARCH, team=self.team), rate)

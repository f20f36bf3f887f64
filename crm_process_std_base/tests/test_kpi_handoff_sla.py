# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from .common_kpi import KpiCase

MARCH = ("2024-03-01", "2024-03-31")


@freeze_time("2024-04-15 12:00:00")
class TestHandoffAndSlaKpis(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.node = cls.env["crm.sla.node"].create(
            {"name": "KPI Test Node", "time_limit_hours": 4.0, "active": False}
        )

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

    def _timer(self, deadline, state, user=None, stop=None):
        user = user or self.salesperson
        lead = self._lead(f"Timed lead {deadline}", self.dt("2024-02-01 09:00"), user=user)
        deadline = self.dt(deadline)
        return self.env["crm.sla.timer"].create(
            {
                "node_id": self.node.id,
                "lead_id": lead.id,
                "user_id": user.id,
                "team_id": self.team.id,
                "company_id": self.env.company.id,
                "date_start": deadline.replace(hour=0),
                "date_deadline": deadline,
                "date_stop": self.dt(stop) if stop else False,
                "state": state,
            }
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

    def test_sla_breach_rate_counts_breached_and_overdue_timers(self):
        self._timer("2024-03-02 12:00", "met", stop="2024-03-02 10:00")
        self._timer("2024-03-04 12:00", "met", stop="2024-03-04 11:00", user=self.salesperson2)
        self._timer("2024-03-06 12:00", "met", stop="2024-03-06 11:30")
        breached = self._timer("2024-03-08 12:00", "breached", stop="2024-03-09 10:00")
        # still running past its deadline: the cron has not flagged it yet
        breached |= self._timer("2024-03-30 12:00", "running", user=self.salesperson2)
        self._timer("2024-03-12 12:00", "cancelled", stop="2024-03-11 10:00")
        self._timer("2024-04-02 12:00", "breached", stop="2024-04-03 10:00")
        results = self.kpi._kpi_compute("sla_breach", *MARCH, team=self.team, by_user=True)
        self.assertEqual(results[(False, False)].value, 40.0)
        self.assertEqual(results[(False, False)].numerator, 2)
        self.assertEqual(results[(False, self.salesperson.id)].value, 33.33)
        self.assertEqual(results[(False, self.salesperson2.id)].value, 50.0)
        problems = self.kpi._kpi_record_ids("sla_breach", *MARCH, team=self.team)
        self.assertCountEqual(problems, breached.ids)

    def test_sla_timer_running_before_its_deadline_is_not_judged(self):
        self._timer("2024-03-08 12:00", "met", stop="2024-03-08 10:00")
        self._timer("2024-03-20 12:00", "running")
        with freeze_time("2024-03-10 00:00:00"):
            value = self.kpi._kpi_compute("sla_breach", *MARCH, team=self.team)
        self.assertEqual(value[(False, False)].denominator, 1)
        self.assertEqual(value[(False, False)].value, 0.0)

    def test_every_kpi_is_available(self):
        for code in self.kpi._kpi_definitions():
            self.assertTrue(self.kpi._kpi_is_available(code), code)

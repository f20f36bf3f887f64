# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.crm_process_std_kpi.tests.common_kpi import KpiCase

MARCH = ("2024-03-01", "2024-03-31")


@tagged("post_install", "-at_install")
@freeze_time("2024-04-15 12:00:00")
class TestSlaKpi(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.node = cls.env["crm.sla.node"].create(
            {"name": "KPI Test Node", "time_limit_hours": 4.0, "active": False}
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

    def _timer_dataset(self):
        """March 2024: 3 timers met, 1 breached, 1 still running past its deadline
        (40 % breached); not judged: a cancelled one, one due in April."""
        self._timer("2024-03-02 12:00", "met", stop="2024-03-02 10:00")
        self._timer("2024-03-04 12:00", "met", stop="2024-03-04 11:00", user=self.salesperson2)
        self._timer("2024-03-06 12:00", "met", stop="2024-03-06 11:30")
        breached = self._timer("2024-03-08 12:00", "breached", stop="2024-03-09 10:00")
        # still running past its deadline: the cron has not flagged it yet
        breached |= self._timer("2024-03-30 12:00", "running", user=self.salesperson2)
        self._timer("2024-03-12 12:00", "cancelled", stop="2024-03-11 10:00")
        self._timer("2024-04-02 12:00", "breached", stop="2024-04-03 10:00")
        return breached

    def test_sla_breach_rate_counts_breached_and_overdue_timers(self):
        breached = self._timer_dataset()
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

    def _march_report(self, groupby=()):
        return self.env["crm.kpi.report"]._read_group(
            [
                ("team_id", "=", self.team.id),
                ("date", ">=", "2024-03-01"),
                ("date", "<", "2024-04-01"),
            ],
            list(groupby),
            ["sla_timer_count:sum", "sla_breach_count:sum", "sla_breach_rate:avg"],
        )

    def test_report_sla_rows_are_the_month_kpi_by_node(self):
        self._timer_dataset()
        ((due, breaches, rate),) = self._march_report()
        self.assertEqual((due, breaches), (5, 2))
        self.assertEqual(rate, 40.0)
        self.assertEqual(self.kpi._kpi_value("sla_breach", *MARCH, team=self.team), rate)
        ((node, *_figures),) = self._march_report(groupby=["node_id"])
        self.assertEqual(node, self.node)

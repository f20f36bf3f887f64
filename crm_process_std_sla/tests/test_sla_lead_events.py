# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Lead events start and stop clocks at explicit points (before the commit, the
scheduled check, a change of timers, an explicit application); a read never does."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tools import SQL

from odoo.addons.crm_process_std_sla.models.crm_sla_lead_event import LEAD_EVENT_QUEUE

from .common import MONDAY_9, SlaCase


class TestLeadEventsApplied(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.sla.node"].search([]).action_archive()
        cls.qualified = cls.env.ref("crm.stage_lead2")
        cls.node = cls.env["crm.sla.node"].create(
            {
                "name": "Qualify within a day",
                "start_event": "stage_entered",
                "stop_event": "stage_left",
                "stage_id": cls.qualified.id,
                "time_limit_hours": 1,
            }
        )
        with freeze_time(MONDAY_9):
            cls.lead = cls.env["crm.lead"].create(
                {
                    "name": "Qualified lead",
                    "type": "opportunity",
                    "user_id": cls.salesman.id,
                    "team_id": cls.team.id,
                    "stage_id": cls.qualified.id,
                }
            )
        cls.env.cr.flush()  # the lead's creation committed: its clock runs

    def _rows(self):
        """The lead's timers as the database holds them."""
        return self.env.execute_query(
            SQL(
                "SELECT id, state, date_stop, duration_hours FROM crm_sla_timer"
                " WHERE lead_id = %s ORDER BY id",
                self.lead.id,
            )
        )

    def _move_late(self):
        with freeze_time("2026-03-02 11:00:00"):
            self.lead.stage_id = self.env.ref("crm.stage_lead3")
        self.env.flush_all()

    def test_reading_timers_and_leads_after_a_move_writes_nothing(self):
        self._move_late()
        self.assertIn(LEAD_EVENT_QUEUE, self.env.cr.precommit.data, "queued, not applied")
        before = self._rows()
        self.env.invalidate_all()
        # a search and a read of the timers, a read of the lead's flags: three SELECTs
        with self.assertQueryCount(3, flush=False):
            timers = self.env["crm.sla.timer"].search([("lead_id", "=", self.lead.id)])
            timers.read(["state", "date_stop", "duration_hours"])
            self.lead.read(["sla_overdue", "sla_breach_count"])
        self.assertEqual(self._rows(), before)
        self.assertEqual(timers.state, "running", "a read shows the last applied state")
        self.assertIn(LEAD_EVENT_QUEUE, self.env.cr.precommit.data)

    def test_the_commit_applies_the_move_in_the_same_transaction(self):
        self._move_late()
        self.end_of_request()
        self.assertNotIn(LEAD_EVENT_QUEUE, self.env.cr.precommit.data)
        timer = self.lead.crm_sla_timer_ids
        self.assertEqual(timer.state, "breached")
        self.assertEqual(timer.date_stop, datetime(2026, 3, 2, 11, 0))
        self.assertAlmostEqual(timer.duration_hours, 2.0)
        self.assertEqual(self.lead.sla_breach_count, 1)
        self.assertFalse(self.lead.sla_overdue)
        # the stored values, recomputed by the ORM, are those of the database
        [[_id, state, date_stop, duration]] = self._rows()
        self.assertEqual((state, date_stop, duration), ("breached", timer.date_stop, 2.0))

    def test_an_explicit_application_shows_the_move_at_once(self):
        self._move_late()
        self.env["crm.sla.timer"]._apply_lead_events()
        self.assertNotIn(LEAD_EVENT_QUEUE, self.env.cr.precommit.data)
        self.assertEqual(self.lead.crm_sla_timer_ids.state, "breached")
        self.assertEqual(self.lead.sla_breach_count, 1)
        self.env["crm.sla.timer"]._apply_lead_events()  # nothing left: no change
        self.assertEqual(len(self.lead.crm_sla_timer_ids), 1)

    def test_changing_timers_applies_the_events_first(self):
        """A follow-up stops clocks: those the lead's events of this transaction
        started are stopped too."""
        research = self._node(
            start_event="lead_assigned", stop_event="followup_logged", time_limit_hours=48
        )
        with freeze_time(MONDAY_9):
            lead = self._lead(user_id=False)
            lead.user_id = self.salesman
            self.env["crm.followup"].with_user(self.salesman).create(
                {"partner_id": self.customer.id, "lead_id": lead.id, **self._summary()}
            )
        self.assertEqual(self._timer(lead, research).state, "met")

    def test_a_lead_moved_twice_in_a_transaction_times_each_stay(self):
        with freeze_time("2026-03-02 09:30:00"):
            self.lead.stage_id = self.env.ref("crm.stage_lead1")
        with freeze_time("2026-03-02 09:40:00"):
            self.lead.stage_id = self.qualified
        self.end_of_request()
        timers = self.lead.crm_sla_timer_ids.sorted("date_start")
        self.assertEqual(timers.mapped("state"), ["met", "running"])
        self.assertEqual(timers[1].date_start, datetime(2026, 3, 2, 9, 40))

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user

from .common import CRON, MONDAY_9, SlaCase


class TestSlaDefaults(SlaCase):
    """The default process nodes of leads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.assignment = cls.env.ref("crm_process_std_sla.sla_node_lead_assignment")
        cls.research = cls.env.ref("crm_process_std_sla.sla_node_needs_research")

    def test_lead_assigned_within_30_minutes_is_met_then_research_starts(self):
        with freeze_time(MONDAY_9):
            lead = self._lead(user_id=False)
        self.end_of_request()
        assignment = self._timer(lead, self.assignment)
        self.assertEqual(assignment.state, "running")
        self.assertEqual(assignment.date_deadline, datetime(2026, 3, 2, 9, 30))
        self.assertEqual(assignment.user_id, self.leader, "nobody owns the node: team leader")

        with freeze_time("2026-03-02 09:20:00"):
            lead.user_id = self.salesman
        self.end_of_request()
        self.assertEqual(assignment.state, "met")
        self.assertAlmostEqual(assignment.duration_hours, 20 / 60)
        research = self._timer(lead, self.research)
        self.assertEqual(research.user_id, self.salesman)
        self.assertEqual(research.date_deadline, datetime(2026, 3, 4, 9, 20))

        with freeze_time("2026-03-03 10:00:00"):
            self.env["crm.followup"].with_user(self.salesman).create(
                {"partner_id": self.customer.id, "lead_id": lead.id, **self._summary()}
            )
        self.assertEqual(research.state, "met")
        self.assertEqual(research.date_stop, datetime(2026, 3, 3, 10, 0))
        self.assertEqual(lead.sla_breach_count, 0)

    def test_escalations_of_one_run_reach_each_assignee_in_one_notification(self):
        self.leader.notification_type = "inbox"
        with freeze_time(MONDAY_9):
            leads = self._lead(user_id=False) | self._lead(user_id=False, name="Second lead")
        self.end_of_request()
        Notification = self.env["mail.notification"]
        before = Notification.search([("res_partner_id", "=", self.leader.partner_id.id)])

        self._check("2026-03-02 09:40:00")

        self.assertEqual([len(self._escalations(lead)) for lead in leads], [1, 1])
        notified = (
            Notification.search([("res_partner_id", "=", self.leader.partner_id.id)]) - before
        )
        self.assertEqual(len(notified), 1, "one notification for both escalations")
        self.assertEqual(notified.notification_type, "inbox")
        message = notified.mail_message_id
        self.assertEqual(message.subject, "Process time limits: 2 escalations for you")
        for lead in leads:
            self.assertIn(f"/odoo/crm.lead/{lead.id}", str(message.body))

    def test_unassigned_lead_breached_flagged_and_escalated_once_per_step(self):
        with freeze_time(MONDAY_9):
            lead = self._lead(user_id=False)
        self.end_of_request()
        timer = self._timer(lead, self.assignment)

        self._check("2026-03-02 09:25:00")
        self.assertEqual(timer.state, "running")
        self.assertFalse(lead.sla_overdue)

        self._check("2026-03-02 09:40:00")
        self.assertEqual(timer.state, "breached")
        self.assertTrue(lead.sla_overdue)
        self.assertEqual(lead.sla_breach_count, 1)
        reminder = self._escalations(lead)
        self.assertEqual(reminder.user_id, self.leader)
        self.assertIn("Time limit passed: Lead assignment", reminder.summary)

        self._check("2026-03-02 09:45:00")
        self.assertEqual(self._escalations(lead), reminder, "each step happens once")

        self._check("2026-03-02 10:01:00")
        escalations = self._escalations(lead)
        self.assertEqual(len(escalations), 2)
        self.assertIn("Escalated: Lead assignment is late", escalations[1].summary)
        self.assertEqual(timer.escalation_level, "2")

        with freeze_time("2026-03-02 10:05:00"):
            lead.user_id = self.salesman
        self.end_of_request()
        self.assertEqual(timer.state, "breached", "a late stop stays a breach")
        self.assertEqual(timer.date_stop, datetime(2026, 3, 2, 10, 5))
        self.assertFalse(lead.sla_overdue)
        self.assertEqual(lead.sla_breach_count, 1)

    def test_timers_of_lost_leads_cancelled(self):
        with freeze_time(MONDAY_9):
            lead = self._lead(user_id=False)
        lead.action_set_lost()
        self._check("2026-03-02 10:00:00")
        timer = self._timer(lead, self.assignment)
        self.assertEqual(timer.state, "cancelled")
        self.assertFalse(self._escalations(lead))

    def _assign_one_by_one(self, minutes):
        """Leads created at 9:00, assigned one by one at 9:``minutes``; return them and
        the statements that applying the assignments cost."""
        with freeze_time(MONDAY_9):
            leads = self.env["crm.lead"].concat(
                *(self._lead(name=f"Batch lead {minute}", user_id=False) for minute in minutes)
            )
        self.end_of_request()
        for minute, lead in zip(minutes, leads, strict=True):
            with freeze_time(f"2026-03-02 09:{minute:02d}:00"):
                lead.user_id = self.salesman
        self.env.flush_all()
        queries = self.env.cr.sql_log_count
        self.env["crm.sla.timer"]._apply_lead_events()
        self.env.flush_all()  # the ORM recomputes the durations and the SLA flags
        return leads, self.env.cr.sql_log_count - queries

    def test_mass_assignment_applies_each_leads_own_time_in_one_batch(self):
        """Lead events are applied set-based once per transaction: a mass assignment
        keeps every lead's own assignment time, in statements that do not grow with
        the number of leads."""
        minutes = (5, 10, 15, 40, 50)
        leads, statements = self._assign_one_by_one(minutes)
        # stop the clocks, recompute their durations, start the next ones, recompute
        # the flags of the leads whose clock was late
        self.assertLessEqual(statements, 8)
        assignment = self.env["crm.sla.timer"].search(
            [("lead_id", "in", leads.ids), ("node_id", "=", self.assignment.id)]
        )
        self.assertEqual(
            {timer.lead_id.name: timer.state for timer in assignment},
            {lead.name: "met" if index < 3 else "breached" for index, lead in enumerate(leads)},
        )
        self.assertEqual(
            sorted(assignment.mapped("duration_hours")), [minute / 60 for minute in minutes]
        )
        research = self.env["crm.sla.timer"].search(
            [("lead_id", "in", leads.ids), ("node_id", "=", self.research.id)]
        )
        self.assertEqual(
            sorted(research.mapped("date_start")),
            [datetime(2026, 3, 2, 9, minute) for minute in minutes],
        )
        self.assertEqual(leads.mapped("sla_breach_count"), [0, 0, 0, 1, 1])
        _more, more_statements = self._assign_one_by_one((5, 10, 15, 20, 25, 30, 40, 45, 50, 55))
        self.assertEqual(more_statements, statements, "twice the leads, the same statements")

    def test_events_of_a_rolled_back_or_deleted_lead_start_no_clock(self):
        Timer = self.env["crm.sla.timer"]
        before = Timer.search_count([])
        savepoint = self.env.cr.savepoint()
        self._lead(name="Rolled back lead", user_id=False)
        savepoint.close(rollback=True)
        gone = self._lead(name="Deleted lead", user_id=False)
        gone.unlink()
        self.end_of_request()
        self.assertEqual(Timer.search_count([]), before)


class TestSlaNodes(SlaCase):
    """Process nodes configured by the tests only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.sla.node"].search([]).action_archive()
        cls.ops = new_test_user(cls.env, login="fu_ops", groups="sales_team.group_sale_salesman")
        cls.dispatcher = new_test_user(
            cls.env, login="fu_dispatch", groups="sales_team.group_sale_salesman"
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Office hours (UTC)",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (0, 0, {"name": f"Day {day} {period}", "dayofweek": str(day),
                            "hour_from": start, "hour_to": stop, "day_period": period})
                    for day in range(5)
                    for start, stop, period in ((8, 12, "morning"), (13, 17, "afternoon"))
                ],
            }
        )  # fmt: skip

    def test_escalation_ladder_reminds_then_escalates_then_reassigns(self):
        node = self._node(
            start_event="lead_created",
            stop_event="lead_assigned",
            time_limit_hours=0.5,
            responsible="node_owner",
            user_id=self.ops.id,
            escalation_user_id=self.dispatcher.id,
            escalate_leader_after_hours=1,
            reassign_after_hours=2,
        )
        with freeze_time(MONDAY_9):
            lead = self._lead(user_id=False)
        self.end_of_request()
        timer = self._timer(lead, node)
        self.assertEqual(timer.user_id, self.ops)

        self._check("2026-03-02 09:31:00")
        self.assertEqual(self._escalations(lead).user_id, self.ops)
        self._check("2026-03-02 10:31:00")
        self.assertEqual(self._escalations(lead)[1:].user_id, self.dispatcher)
        self.assertFalse(lead.user_id)

        self._check("2026-03-02 11:31:00")
        self.assertEqual(lead.user_id, self.dispatcher, "reassigned at the third step")
        self.assertEqual(timer.escalation_level, "3")
        self.assertEqual(timer.state, "breached")
        self.assertTrue(timer.date_stop, "assigning the lead stops the clock")
        escalations = self._escalations(lead)
        self.assertIn("Reassigned to you", escalations[-1].summary)

        self._check("2026-03-02 13:00:00")
        self.assertEqual(self._escalations(lead), escalations)

    def test_working_hours_skip_night_and_weekend(self):
        self._node(
            start_event="lead_created",
            stop_event="lead_assigned",
            time_limit_hours=2,
            use_working_hours=True,
            resource_calendar_id=self.calendar.id,
        )
        with freeze_time("2026-03-06 16:00:00"):  # Friday, one working hour left
            on_time = self._lead(name="Late invoice", user_id=False)
            late = self._lead(name="Missing part", user_id=False)
        self.end_of_request()
        [timer] = on_time.crm_sla_timer_ids
        self.assertEqual(timer.date_deadline, datetime(2026, 3, 9, 9, 0))

        with freeze_time("2026-03-09 08:30:00"):  # Monday
            on_time.user_id = self.salesman
        with freeze_time("2026-03-09 09:30:00"):
            late.user_id = self.salesman
        self.end_of_request()
        self.assertEqual(on_time.crm_sla_timer_ids.state, "met")
        self.assertAlmostEqual(on_time.crm_sla_timer_ids.duration_hours, 1.5)
        self.assertEqual(late.crm_sla_timer_ids.state, "breached")
        self.assertAlmostEqual(late.crm_sla_timer_ids.duration_hours, 2.5)
        self.assertEqual(late.sla_breach_count, 1)

    def test_without_working_hours_the_limit_runs_through_the_night(self):
        node = self._node(
            start_event="lead_created", stop_event="lead_assigned", time_limit_hours=2
        )
        with freeze_time("2026-03-06 16:00:00"):
            lead = self._lead(user_id=False)
        self.end_of_request()
        self.assertEqual(self._timer(lead, node).date_deadline, datetime(2026, 3, 6, 18, 0))

    def test_stage_node_times_the_stay_in_its_stage(self):
        qualified = self.env.ref("crm.stage_lead2")
        node = self._node(
            start_event="stage_entered",
            stop_event="stage_left",
            stage_id=qualified.id,
            time_limit_hours=24,
        )
        with freeze_time(MONDAY_9):
            lead = self._lead(stage_id=self.env.ref("crm.stage_lead1").id)
            self.end_of_request()
            self.assertFalse(self._timer(lead, node))
            lead.stage_id = qualified
        with freeze_time("2026-03-02 14:00:00"):
            lead.stage_id = self.env.ref("crm.stage_lead3")
        self.end_of_request()
        timer = self._timer(lead, node)
        self.assertEqual(timer.state, "met")
        self.assertAlmostEqual(timer.duration_hours, 5)

    def test_interrupted_check_resumes_without_duplicates(self):
        node = self._node(
            start_event="lead_created",
            stop_event="lead_assigned",
            time_limit_hours=0.5,
            escalate_leader_after_hours=10,
        )
        with freeze_time(MONDAY_9):
            leads = (
                self._lead(user_id=False) | self._lead(user_id=False) | self._lead(user_id=False)
            )
        self.end_of_request()
        timers = self.env["crm.sla.timer"].search(
            [("lead_id", "in", leads.ids), ("node_id", "=", node.id)]
        )
        self._check("2026-03-02 09:10:00")  # nothing late yet; clears other work
        with freeze_time("2026-03-02 10:00:00"):
            done, remaining = self.run_cron_cut_short(
                "crm.sla.timer", "_cron_check_timers", CRON, batch_size=1
            )
        self.env.invalidate_all()
        self.assertEqual((done, remaining), (1, 2))
        self.assertEqual(timers.mapped("state").count("breached"), 1)

        self._check("2026-03-02 10:05:00", batch_size=1)
        self._check("2026-03-02 10:10:00", batch_size=1)
        self.assertEqual(set(timers.mapped("state")), {"breached"})
        for lead in leads:
            self.assertEqual(len(self._escalations(lead)), 1, "one reminder per breach")

    def test_archiving_a_node_cancels_its_running_clocks(self):
        node = self._node(time_limit_hours=1)
        with freeze_time(MONDAY_9):
            lead = self._lead(user_id=False)
        node.action_archive()
        self._check("2026-03-02 11:00:00")
        timer = self._timer(lead, node)
        self.assertEqual(timer.state, "cancelled")
        self.assertFalse(self._escalations(lead))

    def test_bad_node_and_timer_values_refused(self):
        with self.assertRefused(ValidationError, "must be positive, not -1.0 hours"):
            self._node(time_limit_hours=-1)
        with self.assertRefused(ValidationError, "starts or stops on a stage: choose"):
            self._node(start_event="stage_entered", stop_event="stage_left")
        node = self._node()
        with freeze_time(MONDAY_9):
            lead = self._lead(user_id=False)
        self.end_of_request()
        timer = self._timer(lead, node)
        with self.assertRefused(
            ValidationError, "cannot be before its start (2026-03-02 09:00:00)"
        ):
            timer.date_deadline = datetime(2026, 3, 2, 8, 0)

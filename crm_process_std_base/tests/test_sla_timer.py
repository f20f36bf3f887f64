# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user

from .followup_common import FollowupCase

CRON = "crm_process_std_base.ir_cron_crm_sla_check"
MONDAY_9 = "2026-03-02 09:00:00"


class SlaCase(FollowupCase):
    def _check(self, at, **kwargs):
        with freeze_time(at):
            return self.run_cron("crm.sla.timer", "_cron_check_timers", **kwargs)

    def _timer(self, record, node):
        field = "lead_id" if record._name == "crm.lead" else "complaint_id"
        return self.env["crm.sla.timer"].search(
            [(field, "=", record.id), ("node_id", "=", node.id)]
        )

    def _escalations(self, record):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("activity_type_id", "=", self.escalation_type.id),
            ],
            order="id",
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.escalation_type = cls.env.ref("crm_process_std_base.mail_activity_type_escalation")


class TestSlaDefaults(SlaCase):
    """The seeded process nodes of seed 003."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.assignment = cls.env.ref("crm_process_std_base.sla_node_lead_assignment")
        cls.research = cls.env.ref("crm_process_std_base.sla_node_needs_research")
        cls.urgent = cls.env.ref("crm_process_std_base.sla_node_urgent_complaint")

    def test_lead_assigned_within_30_minutes_is_met_then_research_starts(self):
        with freeze_time(MONDAY_9):
            lead = self._lead(user_id=False)
        assignment = self._timer(lead, self.assignment)
        self.assertEqual(assignment.state, "running")
        self.assertEqual(assignment.date_deadline, datetime(2026, 3, 2, 9, 30))
        self.assertEqual(assignment.user_id, self.leader, "nobody owns the node: team leader")

        with freeze_time("2026-03-02 09:20:00"):
            lead.user_id = self.salesman
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

    def test_unassigned_lead_breached_flagged_and_escalated_once_per_step(self):
        with freeze_time(MONDAY_9):
            lead = self._lead(user_id=False)
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
        self.assertEqual(timer.state, "breached", "a late stop stays a breach")
        self.assertEqual(timer.date_stop, datetime(2026, 3, 2, 10, 5))
        self.assertFalse(lead.sla_overdue)
        self.assertEqual(lead.sla_breach_count, 1)

    def test_urgent_complaint_answered_late_is_breached_normal_one_untimed(self):
        Complaint = self.env["crm.complaint"]
        with freeze_time(MONDAY_9):
            urgent = Complaint.create(
                {"name": "Broken desks", "partner_id": self.customer.id, "severity": "urgent"}
            )
            normal = Complaint.create({"name": "Wrong colour", "partner_id": self.customer.id})
        timer = self._timer(urgent, self.urgent)
        self.assertEqual(timer.date_deadline, datetime(2026, 3, 2, 11, 0))
        self.assertFalse(self._timer(normal, self.urgent))

        with freeze_time("2026-03-02 11:30:00"):
            urgent.action_start()
        self.assertEqual(urgent.first_response_date, datetime(2026, 3, 2, 11, 30))
        self.assertEqual(timer.state, "breached")
        self.assertAlmostEqual(timer.duration_hours, 2.5)
        self.assertEqual(urgent.sla_breach_count, 1)

    def test_won_opportunity_times_the_handoff_only_with_the_handoff_model(self):
        handoff = self.env.ref("crm_process_std_base.sla_node_handoff")
        lead = self._lead()
        lead.action_set_won()
        timer = self._timer(lead, handoff)
        if "crm.handoff" in self.env:
            self.assertEqual(timer.state, "running")
        else:
            self.assertFalse(timer, "nothing could ever stop it")

    def test_timers_of_lost_leads_cancelled(self):
        with freeze_time(MONDAY_9):
            lead = self._lead(user_id=False)
        lead.action_set_lost()
        self._check("2026-03-02 10:00:00")
        timer = self._timer(lead, self.assignment)
        self.assertEqual(timer.state, "cancelled")
        self.assertFalse(self._escalations(lead))

    def test_mass_assignment_applies_each_leads_own_time_in_one_batch(self):
        """Lead events are applied set-based once per transaction (or when timers
        are read): a mass assignment keeps every lead's own assignment time."""
        with freeze_time(MONDAY_9):
            leads = self.env["crm.lead"].concat(
                *(self._lead(name=f"Batch lead {index}", user_id=False) for index in range(5))
            )
        for minute, lead in zip((5, 10, 15, 40, 50), leads, strict=True):
            with freeze_time(f"2026-03-02 09:{minute:02d}:00"):
                lead.user_id = self.salesman
        self.env.flush_all()
        queries = self.env.cr.sql_log_count
        self.env.cr.flush()  # what a commit does: the queued events are applied
        # two statements for the five assignments: stop the clocks, start the next
        self.assertLessEqual(self.env.cr.sql_log_count - queries, 4)
        assignment = self.env["crm.sla.timer"].search(
            [("lead_id", "in", leads.ids), ("node_id", "=", self.assignment.id)]
        )
        self.assertEqual(
            {timer.lead_id.name: timer.state for timer in assignment},
            {lead.name: "met" if index < 3 else "breached" for index, lead in enumerate(leads)},
        )
        research = self.env["crm.sla.timer"].search(
            [("lead_id", "in", leads.ids), ("node_id", "=", self.research.id)]
        )
        self.assertEqual(
            sorted(research.mapped("date_start")),
            [datetime(2026, 3, 2, 9, minute) for minute in (5, 10, 15, 40, 50)],
        )
        self.assertEqual(leads.mapped("sla_breach_count"), [0, 0, 0, 1, 1])

    def test_events_of_a_rolled_back_or_deleted_lead_start_no_clock(self):
        Timer = self.env["crm.sla.timer"]
        before = Timer.search_count([])
        savepoint = self.env.cr.savepoint()
        self._lead(name="Rolled back lead", user_id=False)
        savepoint.close(rollback=True)
        gone = self._lead(name="Deleted lead", user_id=False)
        gone.unlink()
        self.env.cr.flush()
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

    def _node(self, **values):
        return self.env["crm.sla.node"].create({"name": "Test node", **values})

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
        node = self._node(
            start_event="complaint_opened",
            stop_event="complaint_answered",
            time_limit_hours=2,
            use_working_hours=True,
            resource_calendar_id=self.calendar.id,
        )
        Complaint = self.env["crm.complaint"]
        with freeze_time("2026-03-06 16:00:00"):  # Friday, one working hour left
            on_time = Complaint.create({"name": "Late invoice", "partner_id": self.customer.id})
            late = Complaint.create({"name": "Missing part", "partner_id": self.customer.id})
        self.assertEqual(self._timer(on_time, node).date_deadline, datetime(2026, 3, 9, 9, 0))

        with freeze_time("2026-03-09 08:30:00"):  # Monday
            on_time.action_start()
        with freeze_time("2026-03-09 09:30:00"):
            late.action_start()
        self.assertEqual(self._timer(on_time, node).state, "met")
        self.assertAlmostEqual(self._timer(on_time, node).duration_hours, 1.5)
        self.assertEqual(self._timer(late, node).state, "breached")
        self.assertAlmostEqual(self._timer(late, node).duration_hours, 2.5)

    def test_without_working_hours_the_limit_runs_through_the_night(self):
        node = self._node(
            start_event="complaint_opened", stop_event="complaint_answered", time_limit_hours=2
        )
        with freeze_time("2026-03-06 16:00:00"):
            complaint = self.env["crm.complaint"].create(
                {"name": "Late invoice", "partner_id": self.customer.id}
            )
        self.assertEqual(self._timer(complaint, node).date_deadline, datetime(2026, 3, 6, 18, 0))

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
            self.assertFalse(self._timer(lead, node))
            lead.stage_id = qualified
        with freeze_time("2026-03-02 14:00:00"):
            lead.stage_id = self.env.ref("crm.stage_lead3")
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
        timers = self.env["crm.sla.timer"].search(
            [("lead_id", "in", leads.ids), ("node_id", "=", node.id)]
        )
        self._check("2026-03-02 09:10:00")  # nothing late yet; clears other work
        with freeze_time("2026-03-02 10:00:00"):
            done, remaining = self.run_cron_cut_short(
                "crm.sla.timer", "_cron_check_timers", CRON, batch_size=1
            )
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
        with self.assertRefused(ValidationError, "a complaint node stops when"):
            self._node(start_event="complaint_opened", stop_event="lead_assigned")
        node = self._node()
        with freeze_time(MONDAY_9):
            timer = self._timer(self._lead(user_id=False), node)
        with self.assertRefused(
            ValidationError, "cannot be before its start (2026-03-02 09:00:00)"
        ):
            timer.date_deadline = datetime(2026, 3, 2, 8, 0)

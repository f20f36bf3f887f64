# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The response clock of complaints: started when a complaint is opened (for the
nodes of its severity), stopped by its first answer, seen like the complaint."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user

from odoo.addons.crm_process_std_sla.tests.common import MONDAY_9, SlaCase


class TestComplaintSla(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.urgent = cls.env.ref("crm_process_std_sla_complaint.sla_node_urgent_complaint")
        cls.urgent.write({"active": True, "user_id": False, "company_id": False})

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
        self.assertIn("Broken desks", timer.display_name)

        with freeze_time("2026-03-02 11:30:00"):
            urgent.action_start()
        self.assertEqual(urgent.first_response_date, datetime(2026, 3, 2, 11, 30))
        self.assertEqual(timer.state, "breached")
        self.assertAlmostEqual(timer.duration_hours, 2.5)
        self.assertEqual(urgent.sla_breach_count, 1)

    def test_a_complaint_made_urgent_gets_its_clock_from_its_opening(self):
        with freeze_time(MONDAY_9):
            complaint = self.env["crm.complaint"].create(
                {"name": "Scratched table", "partner_id": self.customer.id}
            )
        with freeze_time("2026-03-02 10:00:00"):
            complaint.severity = "urgent"
        timer = self._timer(complaint, self.urgent)
        self.assertEqual(timer.date_start, datetime(2026, 3, 2, 9, 0))
        self.assertEqual(timer.state, "running")

    def test_late_complaint_flagged_and_its_owner_reminded(self):
        owner = new_test_user(
            self.env, login="cmp_sla_owner", groups="crm_process_std_base.group_after_sales"
        )
        with freeze_time(MONDAY_9):
            complaint = self.env["crm.complaint"].create(
                {
                    "name": "Missing screws",
                    "partner_id": self.customer.id,
                    "severity": "urgent",
                    "user_id": owner.id,
                }
            )
        self._check("2026-03-02 11:30:00")
        self.assertTrue(complaint.sla_overdue)
        self.assertEqual(self._escalations(complaint).user_id, owner)

    def test_complaint_and_lead_events_do_not_mix(self):
        with self.assertRefused(ValidationError, "a complaint node stops when"):
            self._node(start_event="complaint_opened", stop_event="lead_assigned")
        node = self._node(start_event="complaint_opened", stop_event="complaint_answered")
        self.assertEqual(node.res_model, "crm.complaint")


class TestComplaintSlaWorkingHours(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.sla.node"].search([]).action_archive()
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


class TestComplaintSlaOwner(SlaCase):
    """The clock belongs to whoever handles the complaint, and is seen like it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.after_sales = new_test_user(
            cls.env, login="cmp_sla_after_sales", groups="crm_process_std_base.group_after_sales"
        )
        cls.after_sales_lead = new_test_user(
            cls.env, login="cmp_sla_as_leader", groups="crm_process_std_base.group_after_sales"
        )
        cls.urgent = cls.env.ref("crm_process_std_sla_complaint.sla_node_urgent_complaint")
        cls.urgent.write({"active": True, "user_id": False, "company_id": False})

    def _record(self, user, owner=None):
        form = Form(self.env["crm.complaint"].with_user(user))
        form.name = "Chair legs bent on delivery"
        form.partner_id = self.customer
        form.severity = "urgent"
        if owner:
            form.user_id = owner
        return form.save()

    def test_after_sales_author_owns_the_complaint_clock(self):
        complaint = self._record(self.after_sales)
        timer = complaint.crm_sla_timer_ids.filtered(lambda t: t.node_id == self.urgent)
        self.assertEqual(timer.user_id, self.after_sales)

    def test_salesperson_complaint_clock_goes_to_its_after_sales_owner(self):
        complaint = self._record(self.salesman, owner=self.after_sales_lead)
        timer = complaint.crm_sla_timer_ids.filtered(lambda t: t.node_id == self.urgent)
        self.assertEqual(timer.user_id, self.after_sales_lead)
        # the salesperson sees the clock of the complaint it recorded, not the others'
        Timer = self.env["crm.sla.timer"].with_user(self.salesman)
        self.assertEqual(Timer.search([("complaint_id", "=", complaint.id)]), timer)
        other = self._record(self.other_salesman, owner=self.after_sales_lead)
        self.assertFalse(Timer.search([("complaint_id", "=", other.id)]))
        # its owner sees it too
        self.assertEqual(
            Timer.with_user(self.after_sales_lead).search([("complaint_id", "=", complaint.id)]),
            timer,
        )

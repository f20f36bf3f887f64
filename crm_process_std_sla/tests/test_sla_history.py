# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Timers are process history: they survive the deletion of their lead, keep their
node and stage, follow merged leads, and are set by the process only."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .common import MONDAY_9, SlaCase


class TestSlaHistoryKept(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="hist_admin",
            groups="sales_team.group_sale_manager,crm_process_std_base.group_process_admin",
        )
        cls.stage = cls.env["crm.stage"].create({"name": "Hist Stage", "sequence": 70})
        cls.node = cls.env["crm.sla.node"].create(
            {
                "name": "Hist node",
                "start_event": "lead_created",
                "stop_event": "followup_logged",
                "time_limit_hours": 24,
                "active": False,  # timers of the tests only
            }
        )

    def _make_timer(self, lead, **values):
        return self.env["crm.sla.timer"].create(
            {
                "node_id": self.node.id,
                "lead_id": lead.id,
                "date_start": datetime(2026, 1, 5, 9),
                "date_deadline": datetime(2026, 1, 6, 9),
                **values,
            }
        )

    def test_deleting_a_stage_timed_by_a_node_is_refused(self):
        self.node.write({"start_event": "stage_entered", "stage_id": self.stage.id})
        with self.assertRaisesRegex(UserError, "process history"):
            self.stage.with_user(self.leader).unlink()
        self.assertTrue(self.node.exists())

    def test_deleting_a_node_with_timers_is_refused(self):
        timer = self._make_timer(self._lead(name="Hist node lead"))
        with self.assertRaisesRegex(UserError, "archive them"):
            self.node.with_user(self.admin).unlink()
        self.assertTrue(timer.exists())
        self.node.with_user(self.admin).action_archive()
        self.assertTrue(timer.exists())

    def test_deleting_a_lead_keeps_its_timers(self):
        lead = self._lead(name="Hist deleted lead")
        timer = self._make_timer(lead)
        lead.with_user(self.leader).unlink()
        self.assertTrue(timer.exists())
        self.assertEqual(timer.lead_name, "Hist deleted lead")
        self.assertEqual(timer.state, "cancelled")
        self.assertTrue(timer.date_stop)
        self.assertIn("Hist deleted lead", timer.display_name)

    def test_deleting_a_lead_without_right_keeps_its_timers_running(self):
        lead = self._lead(name="Hist not mine", user_id=self.other_salesman.id)
        timer = self._make_timer(lead)
        with self.assertRaises(AccessError):
            lead.with_user(self.salesman).unlink()
        self.assertEqual(timer.state, "running")
        self.assertFalse(timer.lead_name)

    def test_merge_moves_the_clocks_to_the_surviving_lead(self):
        """The merged lead's clocks follow it; of two open clocks of one node, the
        surviving lead's is kept and the other cancelled, its duration recomputed."""
        self.node.active = True
        other = self._node(start_event="lead_created", stop_event="lead_assigned")
        with freeze_time(MONDAY_9):
            head = self._lead(name="Merge head", probability=90, user_id=False)
            tail = self._lead(name="Merge tail", probability=10, user_id=False)
        self.end_of_request()
        other_timer = self._timer(tail, other)
        other_timer.sudo()._stop({other_timer: datetime(2026, 3, 2, 9, 10)})
        head_clock, tail_clock = self._timer(head, self.node), self._timer(tail, self.node)
        with freeze_time("2026-03-02 12:00:00"):
            survivor = (head | tail).merge_opportunity()
        self.assertEqual(survivor, head)
        self.assertEqual((head_clock | tail_clock | other_timer).lead_id, head)
        self.assertEqual(head_clock.state, "running")
        self.assertEqual(tail_clock.state, "cancelled")
        self.assertAlmostEqual(tail_clock.duration_hours, 3.0)
        self.assertEqual(other_timer.state, "met", "a stopped clock moves as it is")


class TestSlaFlowOnlyFields(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="flow_admin",
            groups="sales_team.group_sale_manager,crm_process_std_base.group_process_admin",
        )
        cls.node = cls.env["crm.sla.node"].create(
            {
                "name": "Flow node",
                "start_event": "lead_created",
                "stop_event": "followup_logged",
                "active": False,
            }
        )

    def test_timers_are_set_by_the_process_only(self):
        lead = self._lead(name="Flow lead")
        timer = self.env["crm.sla.timer"].create(
            {
                "node_id": self.node.id,
                "lead_id": lead.id,
                "date_start": datetime(2026, 1, 5, 9),
                "date_deadline": datetime(2026, 1, 6, 9),
            }
        )
        for user in (self.admin, self.salesman):
            for vals in (
                {"state": "met"},
                {"date_deadline": datetime(2099, 1, 1)},
                {"lead_id": self._lead(name="Other").id},
            ):
                with self.assertRaises(AccessError):
                    timer.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            self.env["crm.sla.timer"].with_user(self.admin).create(
                {
                    "node_id": self.node.id,
                    "lead_id": lead.id,
                    "state": "met",
                    "date_start": datetime(2026, 1, 5, 9),
                    "date_deadline": datetime(2026, 1, 6, 9),
                }
            )
        self.assertEqual(timer.state, "running")

    def test_huge_node_time_limit_refused_and_leads_still_created(self):
        with (
            self.assertRaisesRegex(ValidationError, "cannot exceed 43800 hours"),
            self.env.cr.savepoint(),
        ):
            self.env["crm.sla.node"].with_user(self.admin).create(
                {
                    "name": "Forever",
                    "start_event": "lead_created",
                    "stop_event": "lead_assigned",
                    "time_limit_hours": 1e12,
                }
            )
        self.assertFalse(self.env["crm.sla.node"].search([("name", "=", "Forever")]))
        node = self.env["crm.sla.node"].search([], limit=1)
        with self.assertRaisesRegex(ValidationError, "cannot exceed"):
            node.with_user(self.admin).write({"reassign_after_hours": 1e12})
        self._lead(name="Still created").flush_recordset()
        self.end_of_request()

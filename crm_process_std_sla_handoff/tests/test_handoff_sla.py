# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The "Handoff to after-sales" clock starts when a deal is won, stops when after-sales
accepts, in the same transaction, and never runs for a handoff accepted already."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.crm_process_std_base.tests.common import WebClientCase
from odoo.addons.crm_process_std_handoff.tests.test_handoff import HandoffCase


class HandoffSlaCase(HandoffCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.node = cls.env.ref("crm_process_std_sla_handoff.sla_node_handoff")
        cls.node.write({"active": True, "team_ids": False, "company_id": False})

    def _timers(self, lead):
        """The lead's handoff clocks, once the requests so far committed."""
        self.env.cr.flush()
        return self.env["crm.sla.timer"].search(
            [("lead_id", "=", lead.id), ("node_id", "=", self.node.id)], order="id"
        )

    def _accept(self, handoff):
        handoff.checklist_line_ids.write({"is_done": True})
        if handoff.state != "submitted":
            handoff.with_user(self.salesperson).action_submit()
        handoff.with_user(self.receiver).action_accept("4")

    def _run_timer_check(self):
        self.env.cr.flush()
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            self.env(cr=cr)["crm.sla.timer"]._cron_check_timers()
        self.env.invalidate_all()


class TestHandoffSlaTimer(HandoffSlaCase):
    def test_won_deal_starts_the_handoff_clock(self):
        with freeze_time("2026-03-02 09:00:00"):
            self._win()
        timer = self._timers(self.lead)
        self.assertEqual(timer.state, "running")
        self.assertEqual(timer.date_deadline, datetime(2026, 3, 3, 9, 0))

    def test_lead_created_won_starts_the_handoff_clock(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Created won",
                "type": "opportunity",
                "team_id": self.sales_team.id,
                "stage_id": self.stage_won.id,
            }
        )
        self.assertEqual(lead.won_status, "won")
        self.assertEqual(len(self._timers(lead)), 1, "the clock of a won deal starts too")

    def test_acceptance_stops_the_clock_at_once(self):
        with freeze_time("2026-03-02 09:00:00"):
            handoff = self._win()
            timer = self._timers(self.lead)
        self.assertEqual(timer.state, "running")
        with freeze_time("2026-03-02 15:00:00"):
            self._accept(handoff)
        # no scheduled run in between: the acceptance itself stopped it
        self.assertEqual(timer.state, "met")
        self.assertEqual(timer.date_stop, datetime(2026, 3, 2, 15, 0))
        self.assertAlmostEqual(timer.duration_hours, 6.0)

    def test_lead_won_again_after_accepted_handoff_starts_no_clock(self):
        handoff = self._win()
        # the win's request ends: its clock runs (accepted in a later request)
        self.assertEqual(self._timers(self.lead).mapped("state"), ["running"])
        self._accept(handoff)
        lead = self.lead.with_user(self.salesperson)
        lead.stage_id = self.stage_new  # reopened
        self.assertEqual(lead.won_status, "pending")
        lead.action_set_won()
        self.assertEqual(self.lead.handoff_ids.mapped("state"), ["accepted"])
        self.assertEqual(self._timers(self.lead).mapped("state"), ["met"])
        self.assertFalse(self.lead.sla_overdue)

    def test_handoff_accepted_before_the_win_starts_no_clock(self):
        handoff = self.env["crm.handoff"].create(
            {
                "lead_id": self.lead.id,
                "sender_id": self.salesperson.id,
                "receiver_user_id": self.receiver.id,
            }
        )
        self._accept(handoff)
        self._win()
        self.assertFalse(self._timers(self.lead).filtered(lambda t: t.state == "running"))

    def test_scheduled_run_cancels_a_clock_left_running_after_an_earlier_acceptance(self):
        """A clock started before this fix on a lead won again after its acceptance."""
        with freeze_time("2026-03-02 09:00:00"):
            self._accept(self._win())
        self.env.flush_all()
        stale = (
            self.env["crm.sla.timer"]
            .sudo()
            .create(
                {
                    "node_id": self.node.id,
                    "lead_id": self.lead.id,
                    "date_start": datetime(2026, 3, 5, 9, 0),
                    "date_deadline": datetime(2026, 3, 6, 9, 0),
                }
            )
        )
        with freeze_time("2026-03-05 10:00:00"):
            self._run_timer_check()
        self.assertEqual(stale.state, "cancelled")
        self.assertTrue(stale.date_stop)


@tagged("post_install", "-at_install")
class TestHandoffSlaDialog(WebClientCase, HandoffSlaCase):
    def test_accepting_through_the_dialog_stops_the_handoff_clock(self):
        handoff = self._submitted_handoff()
        timer = self._timers(self.lead)
        self.assertEqual(timer.state, "running")
        self.authenticate("ho_receiver", "ho_receiver")
        action = self.button(
            "crm.handoff", handoff.id, "action_open_decision", {"handoff_decision": "accept"}
        )
        wizard_id = self.open_dialog(action, {"quality_rating": "4", "rating_comment": "Clear"})
        self.button("crm.handoff.decision", wizard_id, "action_confirm", action["context"])
        self.env.invalidate_all()
        self.assertEqual(handoff.state, "accepted")
        self.assertEqual(timer.state, "met", "stopped by the acceptance, not by the cron")
        self.assertTrue(timer.date_stop)

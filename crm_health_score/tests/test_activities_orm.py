# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.bus.models.bus import json_dump

from .common import HealthCase

TODAY = date(2024, 6, 25)
CHURN_SUMMARY = "Churn risk: contact within 3 days"


@tagged("post_install", "-at_install")
class TestHealthActivitiesThroughTheOrm(HealthCase):
    """Churn warnings and intervention activities are made by ``mail.activity`` and
    ``mail.message`` themselves: the same activity as one scheduled by hand, the
    assignee follows the customer, finds it in their activity counters and is
    notified; a cleared warning leaves neither activity nor count behind."""

    def setUp(self):
        super().setUp()
        # The success manager reads notifications in Odoo: they arrive over the bus.
        self.success_manager.notification_type = "inbox"
        self.env.cr.precommit.run()
        self.env["bus.bus"].sudo().search([]).unlink()

    def _bus_messages(self, user):
        """Bus notifications sent to ``user``'s web client, as (type, payload)."""
        self.env.cr.precommit.run()  # the bus rows are written before the commit
        channel = json_dump((self.env.cr.dbname, "res.partner", user.partner_id.id))
        notifications = self.env["bus.bus"].sudo().search([("channel", "=", channel)])
        return [
            (message["type"], message["payload"])
            for message in (json.loads(notification.message) for notification in notifications)
        ]

    def _systray(self, user, day):
        """The activity counters of ``user``'s systray on ``day``, per model."""
        self.env.invalidate_all()  # the activities' state depends on the day
        with freeze_time(self.at(day, 12)):
            groups = self.env["res.users"].with_user(user)._get_activity_groups()
        return {group["model"]: group for group in groups}

    def _silent_customer(self, name, days=31):
        customer = self.make_customer(name, customer_success_user_id=self.success_manager.id)
        self.log_followup(customer, TODAY - timedelta(days=days))
        return customer

    def test_churn_warning_is_the_activity_the_orm_schedules(self):
        customer = self._silent_customer("Silent Corp")
        record = self.score(customer, TODAY)

        activity = record.churn_activity_id
        self.assertEqual(activity.summary, CHURN_SUMMARY)
        self.assertEqual(activity.res_name, customer.display_name)
        self.assertTrue(activity.automated)
        self.assertIn("no open order or opportunity", activity.note)

        # the assignee follows the customer and sees the To-Do as theirs
        self.assertIn(self.success_manager.partner_id, customer.message_partner_ids)
        as_manager = customer.with_user(self.success_manager)
        with freeze_time(self.at(TODAY, 12)):
            self.assertEqual(as_manager.activity_ids, activity)
            self.assertEqual(as_manager.activity_state, "planned")
            self.assertEqual(as_manager.activity_user_id, self.success_manager)
            self.assertEqual(as_manager.my_activity_date_deadline, TODAY + timedelta(days=3))
        self.assertEqual(
            self._systray(self.success_manager, TODAY)["res.partner"]["planned_count"], 1
        )
        # once due, it counts in the systray's total
        self.assertEqual(
            self._systray(self.success_manager, TODAY + timedelta(days=3))["res.partner"][
                "total_count"
            ],
            1,
        )

        # the note is in the customer's chatter, logged by OdooBot
        note = customer.message_ids.filtered(lambda m: "no interaction for 31 days" in m.body)
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"))
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertTrue(note.is_internal)

        # the assignee is told in their inbox, live over the bus
        inbox = self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.success_manager.partner_id.id),
                ("notification_type", "=", "inbox"),
            ]
        )
        self.assertEqual(len(inbox), 1)
        self.assertIn("Silent Corp", inbox.mail_message_id.body)
        self.assertIn(CHURN_SUMMARY, inbox.mail_message_id.body)
        types = [kind for kind, _payload in self._bus_messages(self.success_manager)]
        self.assertIn("mail.message/inbox", types)

        # the same as the To-Do a user schedules on another customer
        by_hand = self.make_customer("Scheduled By Hand").activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=TODAY + timedelta(days=3),
            summary=CHURN_SUMMARY,
            user_id=self.success_manager.id,
        )
        for name in (
            "res_model",
            "res_model_id",
            "activity_type_id",
            "user_id",
            "date_deadline",
            "active",
        ):
            self.assertEqual(activity[name], by_hand[name], name)

    def test_one_notification_per_assignee_and_batch(self):
        customers = self._silent_customer("Quiet A") | self._silent_customer("Quiet B")
        with freeze_time(self.at(TODAY, 23)):
            self.engine._sync_scope(customers.ids)
            records = self.env["crm.health.score"].search([("partner_id", "in", customers.ids)])
            self.engine._recompute(records.ids)

        self.assertEqual(len(records.churn_activity_id), 2)
        inbox = self.env["mail.notification"].search(
            [("res_partner_id", "=", self.success_manager.partner_id.id)]
        )
        self.assertEqual(len(inbox), 1)
        self.assertIn("Quiet A", inbox.mail_message_id.body)
        self.assertIn("Quiet B", inbox.mail_message_id.body)

    def test_activity_due_today_updates_the_assignee_counter_live(self):
        self.env["crm.health.intervention.rule"].create(
            {
                "name": "Call today",
                "risk_level": "high",
                "suggestion": "Call the customer today.",
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "activity_due_days": 0,
                "assignee": "user",
                "user_id": self.staff.id,
            }
        )
        customer = self.seed_example_yy(TODAY)

        self.score(customer, TODAY)

        activity = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", customer.id),
                ("summary", "=", "Call today"),
            ]
        )
        self.assertEqual(activity.user_id, self.staff)
        self.assertIn(
            ("mail.activity/updated", {"activity_created": True, "count_diff": 1}),
            self._bus_messages(self.staff),
        )
        self.assertEqual(self._systray(self.staff, TODAY)["res.partner"]["today_count"], 1)
        self.assertIn(self.staff.partner_id, customer.message_partner_ids)

    def test_cleared_warning_removes_the_activity_and_its_count(self):
        customer = self._silent_customer("Comeback Ltd", days=45)
        activity = self.score(customer, TODAY).churn_activity_id
        self.assertTrue(activity)

        # overdue by now, then the customer calls
        later = TODAY + timedelta(days=4)
        self.assertEqual(
            self._systray(self.success_manager, later)["res.partner"]["overdue_count"], 1
        )
        self.log_followup(customer, later)
        self.env["bus.bus"].sudo().search([]).unlink()
        record = self.score(customer, later)

        self.assertFalse(record.churn_activity_id)
        self.assertFalse(activity.exists())
        self.assertFalse(customer.with_user(self.success_manager).activity_ids)
        self.assertNotIn("res.partner", self._systray(self.success_manager, later))
        self.assertIn(
            ("mail.activity/updated", {"activity_deleted": True, "count_diff": -1}),
            self._bus_messages(self.success_manager),
        )
        self.assertEqual(
            len(customer.message_ids.filtered(lambda m: "Churn risk cleared" in m.body)), 1
        )

    def test_new_record_gets_its_computed_fields_from_the_orm(self):
        customer = self.make_customer(
            "Brand New", needs_match="low", customer_success_user_id=self.success_manager.id
        )

        self.engine._sync_scope(customer.ids)

        record = self.health_of(customer)
        self.assertEqual(record.customer_success_user_id, self.success_manager)
        self.assertEqual(record.risk_level, "insufficient_data")
        self.assertFalse(record.score)

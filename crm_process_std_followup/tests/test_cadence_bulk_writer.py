# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_process_std_base.tests.followup_common import FollowupCase

# Written by the web client's own code or at each write, not part of what a reminder is.
NOT_COMPARED = {"id", "res_id", "res_name", "create_date", "write_date"}


@tagged("post_install", "-at_install")
class TestCadenceBulkWriter(FollowupCase):
    """The cadence run inserts its reminders in one statement (``_create_reminders``).
    What it leaves behind must be what ``mail.activity.create()`` leaves for the same
    reminder, created without a notification as the cadence promises: the same stored
    values, the assignee following the record, the same activity counters and the same
    bus notification."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.assignee = new_test_user(
            cls.env,
            login="cadence_bulk_assignee",
            name="Ada Assignee",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.rule = cls.env["crm.cadence.rule"].create(
            {
                "name": "Weekly call",
                "applies_to": "lead",
                "interval_days": 7,
                "channel": "phone",
                "assignee": "user",
                "user_id": cls.assignee.id,
            }
        )

    def _bus_updates(self, after_id):
        self.env.cr.flush()  # the bus messages of the transaction are inserted here
        messages = self.env["bus.bus"].sudo().search([("id", ">", after_id)])
        return [
            json.loads(message.message)["payload"]
            for message in messages
            if json.loads(message.message)["type"] == "mail.activity/updated"
        ]

    def test_bulk_reminders_equal_what_the_orm_creates(self):
        bulk_lead, orm_lead = self._lead(), self._lead(name="Harbour Logistics: 12 chairs")
        for lead in bulk_lead | orm_lead:
            self.assertNotIn(self.assignee.partner_id, lead.message_partner_ids)
        self.env.cr.flush()
        last_bus = self.env["bus.bus"].sudo().search([], order="id desc", limit=1).id

        Rule = self.env["crm.cadence.rule"]
        Rule._create_reminders([(self.rule, (bulk_lead.id, self.assignee.id))])
        bulk_updates = self._bus_updates(last_bus)
        last_bus = self.env["bus.bus"].sudo().search([], order="id desc", limit=1).id
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            {
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": orm_lead.id,
                "activity_type_id": self.rule.activity_type_id.id,
                "summary": self.rule._reminder_summary(),
                "user_id": self.assignee.id,
                "date_deadline": fields.Date.context_today(Rule),
                "automated": True,
                "crm_cadence_rule_id": self.rule.id,
                "crm_cadence_kind": "reminder",
            }
        )
        orm_updates = self._bus_updates(last_bus)
        self.env.invalidate_all()

        bulk, orm = (lead.activity_ids for lead in (bulk_lead, orm_lead))
        self.assertEqual((len(bulk), len(orm)), (1, 1))
        for name, field in bulk._fields.items():
            if field.store and name not in NOT_COMPARED:
                with self.subTest(field=name):
                    self.assertEqual(bulk[name], orm[name])
        self.assertEqual(bulk.res_name, bulk_lead.display_name)
        # the assignee follows both records, their activity fields agree
        for lead in bulk_lead | orm_lead:
            self.assertIn(self.assignee.partner_id, lead.message_partner_ids)
        for name in ("activity_state", "activity_user_id", "activity_type_id", "activity_summary"):
            self.assertEqual(bulk_lead[name], orm_lead[name], name)
        # the assignee's activity counter counts both, and was told of each alike
        groups = self.assignee.with_user(self.assignee)._get_activity_groups()
        leads = next(group for group in groups if group["model"] == "crm.lead")
        self.assertGreaterEqual(leads["today_count"], 2)
        self.assertEqual(bulk_updates, orm_updates)
        self.assertEqual(bulk_updates, [{"activity_created": True, "count_diff": 1}])

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError

from odoo.addons.crm_process_std_base.tests.followup_common import FollowupCase

CRON = "crm_process_std_followup.ir_cron_crm_cadence_reminders"


class TestCadenceRule(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the rules of these tests run; demo records stay out of their segment.
        cls.env["crm.cadence.rule"].search([]).action_archive()
        cls.tag = cls.env["crm.tag"].create({"name": "Cadence test"})
        cls.rule = cls.env["crm.cadence.rule"].create(
            {
                "name": "Prospects weekly",
                "applies_to": "lead",
                "tag_ids": [(6, 0, cls.tag.ids)],
                "interval_days": 7,
                "channel": "phone",
                "escalation_days": 2,
                "escalation_target": "team_leader",
            }
        )
        cls.start = fields.Datetime.now()
        # "Now" of the tests: ten days after the leads were created.
        cls.now = cls.start + timedelta(days=10)

    def _tagged_lead(self, name, **values):
        return self._lead(name=name, tag_ids=[(6, 0, self.tag.ids)], **values)

    def _followup(self, lead, when):
        self.env["crm.followup"].create(
            {"partner_id": self.customer.id, "lead_id": lead.id, "date": when, **self._summary()}
        )

    def _reminders(self, records, kind="reminder"):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("crm_cadence_kind", "=", kind),
            ]
        )

    def _run(self, at, **kwargs):
        with freeze_time(at):
            return self.run_cron("crm.cadence.rule", "_cron_create_due_activities", **kwargs)

    def test_cadence_creates_exactly_the_due_reminders_once(self):
        old_contact = self._tagged_lead("Contacted 8 days ago")
        self._followup(old_contact, self.now - timedelta(days=8))
        recent_contact = self._tagged_lead("Contacted 2 days ago")
        self._followup(recent_contact, self.now - timedelta(days=2))
        never_contacted = self._tagged_lead("Never contacted")
        recent_activity = self._tagged_lead("Call done 3 days ago")
        with freeze_time(self.now - timedelta(days=3)):
            recent_activity.activity_schedule(
                "mail.mail_activity_data_call", user_id=self.salesman.id
            ).action_done()
        other_segment = self._lead(name="Not in the segment")
        leads = old_contact | recent_contact | never_contacted | recent_activity | other_segment

        self._run(self.now)

        reminders = self._reminders(leads)
        self.assertEqual(
            sorted(reminders.mapped("res_id")), sorted((old_contact | never_contacted).ids)
        )
        self.assertEqual(reminders.user_id, self.salesman)
        self.assertEqual(reminders.crm_cadence_rule_id, self.rule)
        self.assertEqual(set(reminders.mapped("date_deadline")), {self.now.date()})
        self.assertEqual(reminders[0].summary, "Follow up (Prospects weekly, by Phone)")
        self.assertEqual(
            reminders.activity_type_id,
            self.env.ref("crm_process_std_followup.mail_activity_type_followup"),
        )

        self._run(self.now + timedelta(hours=1))
        self.assertEqual(self._reminders(leads), reminders, "a second run creates nothing")

    def test_stage_change_does_not_reset_the_due_date(self):
        lead = self._tagged_lead("Moved yesterday")
        self._followup(lead, self.now - timedelta(days=8))
        with freeze_time(self.now - timedelta(days=1)):
            lead.stage_id = self.env.ref("crm.stage_lead2")
        self._run(self.now)
        self.assertEqual(len(self._reminders(lead)), 1)

    def test_fractional_interval_twice_a_week(self):
        self.rule.interval_days = 3.5
        due = self._tagged_lead("3 days 13 hours ago")
        self._followup(due, self.now - timedelta(days=3, hours=13))
        not_due = self._tagged_lead("3 days 11 hours ago")
        self._followup(not_due, self.now - timedelta(days=3, hours=11))
        self._run(self.now)
        self.assertEqual(self._reminders(due | not_due).mapped("res_id"), due.ids)

    def test_overdue_reminder_escalated_once_to_team_leader(self):
        lead = self._tagged_lead("Neglected")
        self._run(self.now)
        reminder = self._reminders(lead)
        self._run(self.now + timedelta(days=1))
        self.assertFalse(self._reminders(lead, "escalation"), "not overdue long enough yet")

        self._run(self.now + timedelta(days=3))
        escalation = self._reminders(lead, "escalation")
        self.assertEqual(escalation.user_id, self.leader)
        self.assertIn(f"Overdue follow-up of {self.salesman.name}", escalation.summary)
        self.assertTrue(reminder.crm_cadence_escalated)
        self.assertTrue(reminder.active, "the owner still has to follow up")

        self._run(self.now + timedelta(days=4))
        self.assertEqual(self._reminders(lead, "escalation"), escalation, "escalated once")
        self.assertEqual(self._reminders(lead), reminder, "and never a second reminder")

    def test_logging_a_followup_closes_the_reminder(self):
        lead = self._tagged_lead("Called back")
        self._run(self.now)
        reminder = self._reminders(lead)
        with freeze_time(self.now):
            self._followup(lead, self.now)
        self.assertFalse(reminder.active)
        self.assertIn("Confirm the demo date.", reminder.feedback)
        self._run(self.now + timedelta(hours=2))
        self.assertFalse(self._reminders(lead), "just contacted: nothing due")

    def test_first_matching_rule_wins(self):
        proposal = self.env.ref("crm.stage_lead3")
        self.env["crm.cadence.rule"].create(
            {
                "name": "Proposals monthly, team leader",
                "sequence": 1,
                "applies_to": "lead",
                "tag_ids": [(6, 0, self.tag.ids)],
                "stage_ids": [(6, 0, proposal.ids)],
                "interval_days": 30,
                "assignee": "team_leader",
            }
        )
        in_proposal = self._tagged_lead("In proposal", stage_id=proposal.id)
        self._followup(in_proposal, self.now - timedelta(days=8))
        elsewhere = self._tagged_lead("Qualified", stage_id=self.env.ref("crm.stage_lead2").id)
        self._followup(elsewhere, self.now - timedelta(days=8))
        self._run(self.now)
        self.assertFalse(self._reminders(in_proposal), "its own rule allows 30 days")
        self.assertEqual(self._reminders(elsewhere).crm_cadence_rule_id, self.rule)

        self._run(self.now + timedelta(days=25))
        self.assertEqual(self._reminders(in_proposal).user_id, self.leader)

    def test_customer_rule_selects_by_tier(self):
        Partner = self.env["res.partner"]
        vip = Partner.create(
            {"name": "Pearl River Trading", "is_company": True, "user_id": self.salesman.id,
             "customer_tier_manual": "vip", "customer_tier_locked": True}
        )  # fmt: skip
        regular = Partner.create(
            {"name": "Small Shop", "is_company": True, "user_id": self.salesman.id,
             "customer_tier_manual": "regular", "customer_tier_locked": True}
        )  # fmt: skip
        self.env["crm.cadence.rule"].create(
            {"name": "VIP twice a week", "applies_to": "partner", "customer_tier": "vip",
             "interval_days": 3.5}
        )  # fmt: skip
        self._run(self.start + timedelta(days=4))
        reminders = self._reminders(vip | regular)
        self.assertEqual(reminders.mapped("res_id"), vip.ids)
        self.assertEqual(reminders.user_id, self.salesman)

    def test_interrupted_run_resumes_without_duplicates(self):
        leads = self.env["crm.lead"]
        for index in range(5):
            leads |= self._tagged_lead(f"Batch lead {index}")
        with freeze_time(self.now):
            done, remaining = self.run_cron_cut_short(
                "crm.cadence.rule", "_cron_create_due_activities", CRON, batch_size=2
            )
        self.assertEqual((done, remaining), (2, 3))
        self.assertEqual(len(self._reminders(leads)), 2, "the first batch is committed")

        self._run(self.now + timedelta(minutes=5), batch_size=2)
        self._run(self.now + timedelta(minutes=10), batch_size=2)
        reminders = self._reminders(leads)
        self.assertEqual(sorted(reminders.mapped("res_id")), sorted(leads.ids))

    def test_negative_or_zero_interval_refused(self):
        with self.assertRefused(
            ValidationError, "interval of cadence rule Prospects weekly must be positive"
        ):
            self.rule.interval_days = -1
        with self.assertRefused(ValidationError, "must be positive, not 0.0 days"):
            self.rule.interval_days = 0

    def test_invalid_conditions_refused(self):
        with self.assertRefused(ValidationError, "not a valid domain"):
            self.rule.domain = "[('no_such_field', '=', 1)]"

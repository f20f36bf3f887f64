# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form

from odoo.addons.crm_process_std_base.tests.followup_common import FollowupCase


class TestFollowup(FollowupCase):
    def test_logging_followup_updates_last_contact_of_lead_and_customer(self):
        lead = self._lead()
        followup = (
            self.env["crm.followup"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.contact.id,
                    "lead_id": lead.id,
                    "date": datetime(2026, 3, 2, 6, 0),
                    "channel": "wechat",
                    **self._summary(),
                }
            )
        )
        self.assertEqual(followup.commercial_partner_id, self.customer)
        for record in (lead, self.customer):
            self.assertEqual(record.last_contact_date, datetime(2026, 3, 2, 6, 0))
            self.assertEqual(record.last_contact_channel, "wechat")
            self.assertIn("Sent the comparison sheet", record.last_contact_summary)
            self.assertIn("Confirm the demo date.", record.last_contact_summary)
        self.assertEqual(lead.crm_followup_count, 1)
        self.assertEqual(self.customer.crm_followup_count, 1)

    def test_latest_followup_wins_whatever_the_logging_order(self):
        lead = self._lead()
        Followup = self.env["crm.followup"].with_user(self.salesman)
        Followup.create(
            {"partner_id": self.customer.id, "lead_id": lead.id, "channel": "visit",
             "date": datetime(2026, 3, 5, 8, 0), **self._summary()}
        )  # fmt: skip
        Followup.create(
            {"partner_id": self.customer.id, "lead_id": lead.id, "channel": "email",
             "date": datetime(2026, 3, 1, 8, 0), **self._summary()}
        )  # fmt: skip
        self.assertEqual(lead.last_contact_channel, "visit")
        self.assertEqual(lead.last_contact_date, datetime(2026, 3, 5, 8, 0))

    def test_next_action_scheduled_as_activity_for_owner(self):
        lead = self._lead()
        followup = (
            self.env["crm.followup"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "lead_id": lead.id,
                    "date": datetime(2026, 3, 2, 6, 0),
                    "next_action": "Send the detailed quotation",
                    "next_action_date": date(2026, 3, 6),
                    **self._summary(),
                }
            )
        )
        activity = followup.next_activity_id
        self.assertEqual(activity.res_model, "crm.lead")
        self.assertEqual(activity.res_id, lead.id)
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.summary, "Send the detailed quotation")
        self.assertEqual(activity.date_deadline, date(2026, 3, 6))
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("crm_process_std_followup.mail_activity_type_followup"),
        )

    def test_next_action_without_lead_lands_on_customer(self):
        followup = self.env["crm.followup"].create(
            {
                "partner_id": self.contact.id,
                "user_id": self.other_salesman.id,
                "date": datetime(2026, 3, 2, 6, 0),
                "next_action_date": date(2026, 3, 3),
                **self._summary(),
            }
        )
        activity = followup.next_activity_id
        self.assertEqual((activity.res_model, activity.res_id), ("res.partner", self.customer.id))
        self.assertEqual(activity.user_id, self.other_salesman)
        self.assertEqual(activity.summary, "Confirm the demo date.")

    def test_missing_summary_parts_refused_naming_them(self):
        with self.assertRaises(ValidationError) as error:
            self.env["crm.followup"].with_user(self.salesman).create(
                {
                    "partner_id": self.customer.id,
                    **self._summary(previous_conclusion="   ", next_step=False),
                }
            )
        message = str(error.exception)
        self.assertIn(self.customer.name, message)
        self.assertIn("Previous Conclusion", message)
        self.assertIn("Next Step", message)
        self.assertNotIn("Value Delivered", message)

    def test_next_action_before_followup_refused(self):
        with self.assertRefused(ValidationError, "cannot be before the follow-up itself"):
            self.env["crm.followup"].create(
                {
                    "partner_id": self.customer.id,
                    "date": datetime(2026, 3, 2, 6, 0),
                    "next_action_date": date(2026, 2, 27),
                    **self._summary(),
                }
            )

    def test_new_followup_starts_from_previous_next_step(self):
        lead = self._lead()
        self.env["crm.followup"].create(
            {"partner_id": self.customer.id, "lead_id": lead.id,
             **self._summary(next_step="Prepare the draft contract.")}
        )  # fmt: skip
        form = Form(self.env["crm.followup"].with_user(self.salesman).with_context(
            default_lead_id=lead.id))  # fmt: skip
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.previous_conclusion, "Prepare the draft contract.")

    @freeze_time("2026-03-02 06:00:00")
    def test_log_as_followup_from_activity_prefills_and_marks_it_done(self):
        lead = self._lead(partner_id=self.contact.id)
        activity = lead.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.salesman.id, summary="Call Lin Wei"
        )
        action = activity.with_user(self.salesman).action_crm_log_followup()
        self.assertEqual(action["res_model"], "crm.followup")
        form = Form(
            self.env["crm.followup"].with_user(self.salesman).with_context(**action["context"])
        )
        self.assertEqual(form.lead_id, lead)
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.contact_id, self.contact)
        self.assertEqual(form.channel, "phone")
        form.previous_conclusion = "First contact."
        form.value_delivered = "Explained the delivery options."
        form.next_step = "Send the price list."
        followup = form.save()
        self.assertEqual(followup.activity_id, activity)
        self.assertFalse(activity.active, "the activity is done")
        self.assertIn("Send the price list.", activity.feedback)
        self.assertEqual(lead.last_contact_channel, "phone")

    def test_log_followup_button_on_lead_opens_prefilled_form(self):
        lead = self._lead(partner_id=self.contact.id)
        action = lead.with_user(self.salesman).action_crm_log_followup()
        form = Form(
            self.env["crm.followup"].with_user(self.salesman).with_context(**action["context"])
        )
        self.assertEqual(form.lead_id, lead)
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.contact_id, self.contact)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo.tests import new_test_user

from odoo.addons.crm.tests.common import TestCrmCommon


class HealthCase(TestCrmCommon):
    """Customers with real interactions, orders and complaints, and a helper to
    score them the way the nightly recompute does; staff are crm's own test users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.user_sales_leads
        cls.success_manager = new_test_user(
            cls.env,
            login="health_success",
            name="Sam Success",
            groups="crm_process_std_base.group_customer_success",
        )
        cls.scorecard = cls.env.ref("crm_health_score.crm_health_scorecard_default")
        cls.engine = cls.env["crm.health.engine"]
        cls.won_stage = cls.env.ref("crm.stage_lead4")
        cls.new_stage = cls.env.ref("crm.stage_lead1")
        cls.env["ir.config_parameter"].sudo().set_param("crm_health_score.snapshot_period", "week")

    # -- customers and their history ---------------------------------------
    def make_customer(self, name, **vals):
        return self.env["res.partner"].create(
            {"name": name, "is_company": True, "user_id": self.staff.id, **vals}
        )

    @staticmethod
    def at(day, hour=10):
        return datetime.combine(day, time(hour))

    def log_followup(self, partner, day, **vals):
        return self.env["crm.followup"].create(
            {
                "partner_id": partner.id,
                "date": self.at(day),
                "user_id": self.staff.id,
                "previous_conclusion": "Customer asked for a quote",
                "value_delivered": "Sent the revised quote",
                "next_step": "Call back next week",
                **vals,
            }
        )

    def post_note(self, record, day, user=None):
        with freeze_time(self.at(day, 15)):
            return record.with_user(user or self.staff).message_post(
                body="Discussed the renewal.", message_type="comment", subtype_xmlid="mail.mt_note"
            )

    def mark_activity_done(self, record, day):
        with freeze_time(self.at(day, 11)):
            activity = record.activity_schedule(
                "mail.mail_activity_data_call", date_deadline=day, user_id=self.staff.id
            )
            activity.with_user(self.staff).action_feedback(feedback="Reached the buyer.")
            self.env.flush_all()  # the done date is computed now, not later
        return activity

    def hold_meeting(self, attendee, day):
        start = self.at(day, 9)
        return self.env["calendar.event"].create(
            {
                "name": "Quarterly review",
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [(6, 0, [attendee.id, self.staff.partner_id.id])],
            }
        )

    def win_opportunity(self, partner, day, revenue=10000):
        return self.env["crm.lead"].create(
            {
                "name": f"Order of {partner.name} on {day}",
                "type": "opportunity",
                "partner_id": partner.id,
                "user_id": self.staff.id,
                "stage_id": self.won_stage.id,
                "probability": 100,
                "expected_revenue": revenue,
                "date_closed": self.at(day),
            }
        )

    def open_opportunity(self, partner):
        return self.env["crm.lead"].create(
            {
                "name": f"New need of {partner.name}",
                "type": "opportunity",
                "partner_id": partner.id,
                "user_id": self.staff.id,
                "stage_id": self.new_stage.id,
            }
        )

    def file_complaint(self, partner, day, state="open"):
        return self.env["crm.complaint"].create(
            {
                "name": "Late delivery",
                "partner_id": partner.id,
                "date_open": self.at(day),
                "state": state,
                "resolved_date": self.at(day + timedelta(days=2)) if state == "resolved" else False,
                "resolution": "<p>Replacement shipped</p>" if state == "resolved" else False,
            }
        )

    # -- scoring ------------------------------------------------------------
    def health_of(self, partner):
        return self.env["crm.health.score"].search([("partner_id", "=", partner.id)])

    def score(self, partner, day):
        """Score ``partner`` on ``day`` as the nightly recompute would."""
        with freeze_time(self.at(day, 23)):
            self.engine._sync_scope(partner.ids)
            record = self.health_of(partner)
            self.engine._recompute(record.ids)
        record.invalidate_recordset()
        return record

    def seed_example_a(self, today):
        """Seed template 4, first line: last interaction 10 days ago, 2 interactions
        a month, 2 orders in 3 months, no complaint, needs match high."""
        customer = self.make_customer(
            "Tech Co.", needs_match="high", customer_success_user_id=self.success_manager.id
        )
        for days in (10, 35, 65, 80):
            self.log_followup(customer, today - timedelta(days=days))
        for days in (20, 50):
            self.post_note(customer, today - timedelta(days=days))
        self.win_opportunity(customer, today - timedelta(days=25), 750000)
        self.win_opportunity(customer, today - timedelta(days=55), 750000)
        return customer

    def seed_example_yy(self, today):
        """Seed template 4, second line: silent for 20 days, 1 interaction a month,
        no order, one unresolved complaint, needs match low."""
        customer = self.make_customer(
            "YY Trading", needs_match="low", customer_success_user_id=self.success_manager.id
        )
        for days in (20, 50, 80):
            self.log_followup(customer, today - timedelta(days=days))
        self.file_complaint(customer, today - timedelta(days=45))
        return customer

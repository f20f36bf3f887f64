# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user

from odoo.addons.crm_process_std_base.tests.followup_common import FollowupCase

MONDAY_9 = "2026-03-02 09:00:00"


class TestComplaint(FollowupCase):
    def _complaint(self, **values):
        return self.env["crm.complaint"].create(
            {"name": "Desks delivered damaged", "partner_id": self.contact.id, **values}
        )

    def _settings(self):
        return Form(self.env["res.config.settings"])

    def test_response_deadline_follows_severity_and_settings(self):
        with freeze_time(MONDAY_9):
            urgent = self._complaint(severity="urgent")
            normal = self._complaint()
        self.assertEqual(urgent.response_deadline, datetime(2026, 3, 2, 11, 0))
        self.assertEqual(normal.response_deadline, datetime(2026, 3, 3, 9, 0))
        self.assertRegex(urgent.reference, r"^CMP/\d{4}/\d{4}$")
        self.assertEqual(urgent.commercial_partner_id, self.customer)

        settings = self._settings()
        settings.crm_std_complaint_hours_normal = 8
        settings.save().execute()
        with freeze_time(MONDAY_9):
            self.assertEqual(self._complaint().response_deadline, datetime(2026, 3, 2, 17, 0))
        normal.severity = "urgent"
        self.assertEqual(normal.response_deadline, datetime(2026, 3, 2, 11, 0))

    def test_deadline_before_opening_refused(self):
        with freeze_time(MONDAY_9):
            complaint = self._complaint()
        with self.assertRefused(
            ValidationError, "cannot be before its opening (2026-03-02 09:00:00)"
        ):
            complaint.response_deadline = datetime(2026, 3, 2, 8, 0)

    def test_moving_through_states_stamps_answer_and_resolution(self):
        with freeze_time(MONDAY_9):
            complaint = self._complaint(severity="urgent")
        with freeze_time("2026-03-02 09:45:00"):
            complaint.write({"state": "in_progress"})  # e.g. dragged in the kanban
        self.assertEqual(complaint.first_response_date, datetime(2026, 3, 2, 9, 45))
        self.assertFalse(complaint.is_response_overdue)
        complaint.resolution = "<p>Replaced the three desks.</p>"
        with freeze_time("2026-03-03 15:00:00"):
            complaint.action_resolve()
        self.assertEqual(complaint.state, "resolved")
        self.assertEqual(complaint.resolved_date, datetime(2026, 3, 3, 15, 0))
        self.assertAlmostEqual(complaint.handling_hours, 30)
        self.assertEqual(complaint.first_response_date, datetime(2026, 3, 2, 9, 45))

    def test_unanswered_complaint_past_its_deadline_is_overdue(self):
        with freeze_time(MONDAY_9):
            complaint = self._complaint(severity="urgent")
        Complaint = self.env["crm.complaint"]
        with freeze_time("2026-03-02 12:00:00"):
            complaint.invalidate_recordset(["is_response_overdue"])
            self.assertTrue(complaint.is_response_overdue)
            self.assertIn(complaint, Complaint.search([("is_response_overdue", "=", True)]))
        with freeze_time("2026-03-02 10:00:00"):
            self.assertNotIn(complaint, Complaint.search([("is_response_overdue", "=", True)]))

    def test_resolving_without_resolution_refused(self):
        complaint = self._complaint()
        complaint.action_start()
        with self.assertRefused(UserError, "Write the resolution of complaint"):
            complaint.action_resolve()
        with self.assertRefused(ValidationError, "cannot be resolved without a resolution"):
            complaint.write({"state": "resolved"})
        self.assertEqual(complaint.state, "in_progress")

    def test_non_positive_response_time_refused_in_settings(self):
        settings = self._settings()
        settings.crm_std_complaint_hours_urgent = 0
        with self.assertRefused(ValidationError, "response times of complaints must be positive"):
            settings.save()

    def test_huge_response_time_refused_in_settings(self):
        settings = self._settings()
        settings.crm_std_complaint_hours_normal = 1e12
        with self.assertRefused(ValidationError, "cannot exceed"):
            settings.save()

    def test_response_times_are_per_company(self):
        company_b = self.env["res.company"].create({"name": "Complaint Company B"})
        company_b.crm_complaint_hours_urgent = 4
        with freeze_time(MONDAY_9):
            here = self._complaint(severity="urgent")
            there = self._complaint(severity="urgent", company_id=company_b.id)
        self.assertEqual(here.response_deadline, datetime(2026, 3, 2, 11, 0))
        self.assertEqual(there.response_deadline, datetime(2026, 3, 2, 13, 0))


class ComplaintOwnerCase(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.after_sales = new_test_user(
            cls.env, login="cmp_after_sales", groups="crm_process_std_base.group_after_sales"
        )

    def _record(self, user, company=None):
        form = Form(
            self.env["crm.complaint"].with_user(user).with_company(company or user.company_id)
        )
        form.name = "Chair legs bent on delivery"
        form.partner_id = self.customer
        form.severity = "urgent"
        return form.save()


class TestComplaintOwner(ComplaintOwnerCase):
    """A complaint starts with an owner when one is known;
    its deadline shows the time."""

    def test_after_sales_author_owns_the_complaint(self):
        complaint = self._record(self.after_sales)
        self.assertEqual(complaint.user_id, self.after_sales)

    def test_salesperson_complaint_waits_in_the_pool(self):
        # a company where nobody dispatches complaints (a bridge may name a dispatcher
        # from a company's settings: this one has none)
        company = self.env["res.company"].create({"name": "Complaint Pool Co"})
        self.salesman.write({"company_ids": [(4, company.id)]})
        complaint = self._record(self.salesman, company)
        self.assertFalse(complaint.user_id)
        # the salesperson still sees the complaint it recorded
        self.assertTrue(complaint.with_user(self.salesman).read(["name"]))

    def test_kanban_card_shows_the_answer_deadline_with_its_time(self):
        arch = (
            self.env["crm.complaint"]
            .with_user(self.after_sales)
            .get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        )
        deadline = etree.fromstring(arch).xpath("//field[@name='response_deadline']")
        self.assertTrue(deadline)
        for node in deadline:
            # "remaining_days" shows "Today" alone for a 2-hour deadline
            self.assertEqual(node.get("widget"), "datetime")
            self.assertNotIn("show_time", node.get("options") or "")

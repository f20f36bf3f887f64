# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

ACTIVITY_TYPE = "crm_process_std_kpi.mail_activity_type_staff_feedback"


@tagged("post_install", "-at_install")
@freeze_time("2024-04-15 12:00:00")
class TestStaffFeedback(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Listening Co."})
        users = {}
        for login in ("fb_sales_1", "fb_sales_2"):
            users[login] = new_test_user(
                cls.env,
                login=login,
                groups="sales_team.group_sale_salesman",
                company_id=cls.company.id,
                company_ids=[(6, 0, cls.company.ids)],
            )
        cls.seller1, cls.seller2 = users["fb_sales_1"], users["fb_sales_2"]
        cls.admin = new_test_user(
            cls.env,
            login="fb_process_admin",
            groups="crm_process_std_base.group_process_admin",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.env["crm.team"].create(
            {
                "name": "Listening Sales",
                "company_id": cls.company.id,
                "member_ids": [(6, 0, (cls.seller1 | cls.seller2).ids)],
            }
        )
        cls.Request = cls.env["crm.feedback.request"]
        cls.questions = cls.env["crm.feedback.question"].search([])

    def _send(self):
        return self.Request._send_requests("2024-04-15", self.company)

    def _answer(self, request, ratings, comment=None):
        request = request.with_user(request.user_id)
        for answer, rating in zip(request.answer_ids, ratings, strict=True):
            answer.rating_choice = str(rating)
        if comment:
            request.answer_ids[0].comment = comment
        request.action_submit()

    def test_monthly_requests_reach_each_salesperson_once(self):
        requests = self._send()
        self.assertEqual(requests.user_id, self.seller1 | self.seller2)
        self.assertEqual({str(day) for day in requests.mapped("period_start")}, {"2024-04-01"})
        self.assertEqual(requests[0].answer_ids.question_id, self.questions)
        activities = requests.activity_ids
        self.assertEqual(activities.activity_type_id, self.env.ref(ACTIVITY_TYPE))
        self.assertEqual(activities.user_id, self.seller1 | self.seller2)
        self.assertFalse(self._send(), "the month's requests are not sent twice")
        with freeze_time("2024-05-02"):
            self.assertEqual(len(self.Request._send_requests(companies=self.company)), 2)

    def test_salesperson_answers_own_request(self):
        requests = self._send()
        mine = requests.filtered(lambda request: request.user_id == self.seller1)
        theirs = requests - mine
        self.assertEqual(
            self.Request.with_user(self.seller1).search([("id", "in", requests.ids)]), mine
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.seller1).answer_ids[:1].rating_choice = "1"
        self._answer(mine, [4] * len(self.questions), comment="Reminders arrive on time.")
        self.assertEqual(mine.state, "answered")
        self.assertFalse(mine.activity_ids, "the activity is done once answered")

    def test_unrated_question_is_named_when_sending(self):
        request = self._send().filtered(lambda request: request.user_id == self.seller1)
        first = request.answer_ids[0]
        (request.answer_ids - first).with_user(self.seller1).rating_choice = "3"
        with self.assertRaisesRegex(UserError, first.question_id.name):
            request.with_user(self.seller1).action_submit()
        self.assertEqual(request.state, "pending")

    def test_feedback_results_averaged_per_question(self):
        requests = self._send()
        one = requests.filtered(lambda request: request.user_id == self.seller1)
        two = requests - one
        self._answer(one, [2] + [4] * (len(self.questions) - 1))
        self._answer(two, [3] + [5] * (len(self.questions) - 1))
        Answer = self.env["crm.feedback.answer"].with_user(self.admin)
        groups = Answer._read_group(
            [("period_start", "=", "2024-04-01"), ("state", "=", "answered")],
            ["question_id"],
            ["rating:avg", "__count"],
        )
        averages = {question: (average, count) for question, average, count in groups}
        self.assertEqual(averages[self.questions[0]], (2.5, 2))
        self.assertEqual(averages[self.questions[1]], (4.5, 2))
        with self.assertRaises(AccessError):
            self.env["crm.feedback.question"].with_user(self.seller1).create({"name": "Mine?"})

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Run over JSON-RPC as a salesperson would: feedback answers bound
to their request."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException


class SecurityRpcCase(HttpCase):
    def rpc(self, login, model, method, args, kwargs=None):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def assertRefused(self, error, call):
        with self.assertRaises(JsonRpcException) as caught:
            call()
        self.assertIn(error, str(caught.exception))


@tagged("post_install", "-at_install")
class TestFeedbackAnswersRpc(SecurityRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Candid Co."})
        users = []
        for login in ("fbr_seller_1", "fbr_seller_2"):
            users.append(
                new_test_user(
                    cls.env,
                    login=login,
                    groups="sales_team.group_sale_salesman",
                    company_id=cls.company.id,
                    company_ids=[(6, 0, cls.company.ids)],
                )
            )
        cls.seller1, cls.seller2 = users
        cls.env["crm.team"].create(
            {
                "name": "Candid Sales",
                "company_id": cls.company.id,
                "member_ids": [(6, 0, [user.id for user in users])],
            }
        )
        requests = cls.env["crm.feedback.request"]._send_requests(fields.Date.today(), cls.company)
        cls.mine = requests.filtered(lambda r: r.user_id == cls.seller1)
        cls.theirs = requests.filtered(lambda r: r.user_id == cls.seller2)

    def test_own_answer_cannot_be_moved_to_a_colleague(self):
        answer = self.mine.answer_ids[:1]
        for name, value in (
            ("request_id", self.theirs.id),
            ("user_id", self.seller2.id),
            ("question_id", self.theirs.answer_ids[-1:].question_id.id),
            ("company_id", self.env.ref("base.main_company").id),
            ("state", "answered"),
        ):
            with self.subTest(field=name):
                self.assertRefused(
                    "AccessError",
                    lambda name=name, value=value: self.rpc(
                        "fbr_seller_1", "crm.feedback.answer", "write", [answer.ids, {name: value}]
                    ),
                )
        answer.invalidate_recordset()
        self.assertEqual(answer.request_id, self.mine)
        self.assertEqual(answer.user_id, self.seller1)
        self.assertEqual(self.theirs.answer_ids.user_id, self.seller2)

    def test_own_request_cannot_be_given_away_or_marked_answered(self):
        for name, value in (
            ("user_id", self.seller2.id),
            ("state", "answered"),
            ("date_answered", "2020-01-01 00:00:00"),
            ("period_start", "2020-01-01"),
        ):
            with self.subTest(field=name):
                self.assertRefused(
                    "AccessError",
                    lambda name=name, value=value: self.rpc(
                        "fbr_seller_1",
                        "crm.feedback.request",
                        "write",
                        [self.mine.ids, {name: value}],
                    ),
                )
        self.mine.invalidate_recordset()
        self.assertEqual((self.mine.user_id, self.mine.state), (self.seller1, "pending"))

    def test_answers_are_sent_through_the_flow_then_kept(self):
        commands = [(1, answer.id, {"rating_choice": "4"}) for answer in self.mine.answer_ids]
        self.rpc(
            "fbr_seller_1",
            "crm.feedback.request",
            "write",
            [self.mine.ids, {"answer_ids": commands}],
        )
        self.rpc("fbr_seller_1", "crm.feedback.request", "action_submit", [self.mine.ids])
        self.mine.invalidate_recordset()
        self.assertEqual(self.mine.state, "answered")
        self.assertTrue(self.mine.date_answered)
        self.assertRefused(
            "UserError",
            lambda: self.rpc(
                "fbr_seller_1",
                "crm.feedback.answer",
                "write",
                [self.mine.answer_ids[:1].ids, {"rating_choice": "1"}],
            ),
        )
        # a colleague's request is neither readable nor submittable
        self.assertRefused(
            "AccessError",
            lambda: self.rpc(
                "fbr_seller_1", "crm.feedback.request", "action_submit", [self.theirs.ids]
            ),
        )
        self.assertRefused(
            "AccessError",
            lambda: self.rpc("fbr_seller_1", "crm.feedback.request", "action_send_requests", [[]]),
        )
        self.assertEqual(self.theirs.state, "pending")
        self.assertLess(self.mine.date_answered, datetime.now() + timedelta(minutes=5))

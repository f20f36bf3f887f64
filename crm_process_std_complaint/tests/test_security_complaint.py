# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Run over JSON-RPC as a salesperson would: complaint figures stamped
by the flow only."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException


@tagged("post_install", "-at_install")
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


class TestComplaintFiguresRpc(SecurityRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env, login="cmp_rpc_seller", groups="sales_team.group_sale_salesman"
        )
        cls.customer = cls.env["res.partner"].create({"name": "Dock Supplies", "is_company": True})

    def _create(self, **values):
        complaint_id = self.rpc(
            "cmp_rpc_seller",
            "crm.complaint",
            "create",
            [{"name": "Crates broken", "partner_id": self.customer.id,
              "user_id": self.seller.id, **values}],
        )  # fmt: skip
        return self.env["crm.complaint"].browse(complaint_id)

    def test_flow_dates_cannot_be_given_or_rewritten(self):
        past = "2020-01-01 08:00:00"
        for name, value in (
            ("date_open", past),
            ("first_response_date", past),
            ("resolved_date", past),
            ("response_deadline", "2099-01-01 00:00:00"),
            ("reference", "CMP/FAKE"),
        ):
            with self.subTest(field=name, on="create"):
                self.assertRefused("AccessError", lambda name=name, value=value: self._create(
                    **{name: value}))  # fmt: skip
        complaint = self._create()
        before = complaint.read(
            ["date_open", "first_response_date", "resolved_date", "response_deadline", "reference"]
        )[0]
        for name, value in (
            ("date_open", "2099-01-01 00:00:00"),  # negative handling hours
            ("first_response_date", past),  # answered before it was opened: SLA met
            ("resolved_date", past),
            ("response_deadline", "2099-01-01 00:00:00"),
            ("reference", "CMP/FAKE"),
            ("handling_hours", -5),
        ):
            with self.subTest(field=name, on="write"):
                self.assertRefused(
                    "AccessError",
                    lambda name=name, value=value: self.rpc(
                        "cmp_rpc_seller", "crm.complaint", "write", [complaint.ids, {name: value}]
                    ),
                )
        complaint.invalidate_recordset()
        self.assertEqual(complaint.read(list(before))[0], before)
        self.assertRegex(complaint.reference, r"^CMP/")

    def test_flow_stamps_the_dates_for_the_salesperson(self):
        complaint = self._create(severity="urgent")
        self.assertAlmostEqual(
            complaint.date_open, fields.Datetime.now(), delta=timedelta(minutes=5)
        )
        self.assertEqual(complaint.response_deadline, complaint.date_open + timedelta(hours=2))
        self.rpc("cmp_rpc_seller", "crm.complaint", "action_start", [complaint.ids])
        complaint.invalidate_recordset()
        self.assertEqual(complaint.state, "in_progress")
        self.assertTrue(complaint.first_response_date)
        self.rpc(
            "cmp_rpc_seller",
            "crm.complaint",
            "write",
            [complaint.ids, {"resolution": "<p>New crates sent.</p>"}],
        )
        self.rpc("cmp_rpc_seller", "crm.complaint", "action_resolve", [complaint.ids])
        complaint.invalidate_recordset()
        self.assertEqual(complaint.state, "resolved")
        self.assertGreaterEqual(complaint.handling_hours, 0)
        self.assertGreaterEqual(complaint.resolved_date, complaint.date_open)
        self.rpc("cmp_rpc_seller", "crm.complaint", "action_reopen", [complaint.ids])
        complaint.invalidate_recordset()
        self.assertFalse(complaint.resolved_date)
        self.assertEqual(complaint.handling_hours, 0)

    def test_out_of_range_response_hours_fall_back_to_the_default(self):
        # a value stored past the settings' checks must not break every complaint
        self.env.company.crm_complaint_hours_normal = 1e12
        complaint = self._create()
        self.assertEqual(complaint.response_deadline, complaint.date_open + timedelta(hours=24))

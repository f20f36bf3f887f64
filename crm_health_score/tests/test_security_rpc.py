# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Run over JSON-RPC as each role would: recompute on
demand and the audited values of the health records."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import JsonRpcException
from odoo.tools import SQL, mute_logger

from .common import HealthCase

STALE = datetime(2001, 1, 1, 1, 0)


class TestHealthSecurityRpc(HttpCase, HealthCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(cls.env, login="health_rpc_portal", groups="base.group_portal")
        cls.seller = new_test_user(
            cls.env, login="health_rpc_seller", groups="sales_team.group_sale_salesman"
        )
        cls.manager = new_test_user(
            cls.env, login="health_rpc_manager", groups="sales_team.group_sale_manager"
        )
        cls.process_admin = new_test_user(
            cls.env, login="health_rpc_admin", groups="crm_process_std_base.group_process_admin"
        )
        cls.company_b = cls.env["res.company"].create({"name": "Health RPC Sister Co"})
        cls.manager_b = new_test_user(
            cls.env,
            login="health_rpc_manager_b",
            groups="sales_team.group_sale_manager",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )
        cls.main_company = cls.env.ref("base.main_company")

    # -- helpers -------------------------------------------------------------
    def rpc(self, login, model, method, args, kwargs=None, route="/web/dataset/call_kw"):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            route, {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}
        )

    def assertRefused(self, error, call):
        with self.assertRaises(JsonRpcException) as caught:
            call()
        self.assertIn(error, str(caught.exception))

    def scored(self, name, **vals):
        vals.setdefault("company_id", self.main_company.id)
        customer = self.make_customer(name, **vals)
        self.log_followup(customer, fields.Date.today() - timedelta(days=3))
        record = self.score(customer, fields.Date.today())
        self.make_stale(record)
        return customer, record

    def make_stale(self, records):
        """Mark records as computed long ago with a score nobody would compute."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_health_score SET computed_on = %s, computed_score = 3"
                " WHERE id = ANY(%s)",
                STALE,
                records.ids,
            )
        )
        records.invalidate_recordset()

    def assertNotRescored(self, record):
        record.invalidate_recordset()
        self.assertEqual(record.computed_on, STALE, f"{record.display_name} was rescored")
        self.assertEqual(record.computed_score, 3)

    def assertRescored(self, record):
        record.invalidate_recordset()
        self.assertNotEqual(record.computed_on, STALE, f"{record.display_name} not rescored")

    # -- recompute for anyone ------------------------------------------
    def test_portal_user_cannot_recompute_every_customer(self):
        __, record = self.scored("Portal Target Ltd")
        # as an @api.model call (Odoo's own dispatcher refuses a recordset method called
        # without ids, and logs it) and as a recordset call
        with mute_logger("odoo.http"):
            self.assertRefused(
                "IndexError",
                lambda: self.rpc(
                    "health_rpc_portal", "crm.health.score", "action_recompute_all", []
                ),
            )
        self.assertRefused(
            "AccessError",
            lambda: self.rpc("health_rpc_portal", "crm.health.score", "action_recompute_all", [[]]),
        )
        self.assertNotRescored(record)

    def test_salesperson_cannot_recompute_with_a_scorecard(self):
        __, record = self.scored("Seller Target Ltd", user_id=self.seller.id)
        self.assertRefused(
            "AccessError",
            lambda: self.rpc(
                "health_rpc_seller",
                "crm.health.scorecard",
                "action_recompute_with_scorecard",
                [[self.scorecard.id]],
            ),
        )
        self.assertNotRescored(record)

    def test_salesperson_and_customer_success_cannot_recompute_all(self):
        __, record = self.scored("Everyone Ltd", user_id=self.seller.id)
        for login in ("health_rpc_seller", "health_success"):
            with self.subTest(login=login):
                self.assertRefused(
                    "AccessError",
                    lambda login=login: self.rpc(
                        login, "crm.health.score", "action_recompute_all", [[]]
                    ),
                )
        self.assertRefused(
            "AccessError",
            lambda: self.rpc(
                "health_rpc_seller", "crm.health.score", "action_recompute", [record.ids]
            ),
        )
        self.assertNotRescored(record)

    def test_customer_success_recomputes_the_selected_customers(self):
        __, record = self.scored("Selected Ltd")
        self.rpc("health_success", "crm.health.score", "action_recompute", [record.ids])
        self.assertRescored(record)
        self.assertNotEqual(record.computed_score, 3)

    def test_recompute_all_button_as_the_web_client_presses_it(self):
        """The list header button (display="always") sends the selection, here none,
        with the list's context: the manager's readable customers are rescored, those
        of a company the manager may not read are not, and a shared customer gets a
        shared record, not one in the manager's company."""
        __, abroad = self.scored("Main Company Customer Ltd")  # main company, not B
        __, in_b = self.scored("Sister Customer Ltd", company_id=self.company_b.id)
        shared = self.env["res.partner"].create(
            {"name": "Shared Customer Ltd", "is_company": True, "needs_match": "high"}
        )
        self.log_followup(shared, fields.Date.today() - timedelta(days=1))

        result = self.rpc(
            "health_rpc_manager_b",
            "crm.health.score",
            "action_recompute_all",
            [[]],
            {
                "context": {
                    "lang": "en_US",
                    "tz": "UTC",
                    "uid": self.manager_b.id,
                    "allowed_company_ids": [self.company_b.id],
                    "search_default_current": 1,
                    "pivot_measures": ["score", "__count"],
                }
            },
            route="/web/dataset/call_button",
        )

        self.assertEqual(result["tag"], "soft_reload")
        self.assertRescored(in_b)
        self.assertNotRescored(abroad)
        shared_record = self.health_of(shared)
        self.assertTrue(shared_record, "the shared customer is scored")
        self.assertFalse(
            shared_record.company_id, "a shared customer is not put in the caller's company"
        )
        self.assertEqual(shared_record.state, "scored")

    def test_process_admin_recomputes_with_the_scorecard(self):
        __, record = self.scored("Admin Target Ltd")
        result = self.rpc(
            "health_rpc_admin",
            "crm.health.scorecard",
            "action_recompute_with_scorecard",
            [[self.scorecard.id]],
        )
        self.assertEqual(result["tag"], "soft_reload")
        self.assertRescored(record)

    def test_compute_health_button_needs_the_role(self):
        customer = self.make_customer("Unscored Ltd", user_id=self.seller.id)
        self.assertRefused(
            "AccessError",
            lambda: self.rpc(
                "health_rpc_seller", "res.partner", "action_open_health_score", [customer.ids]
            ),
        )
        self.assertFalse(self.health_of(customer))
        action = self.rpc(
            "health_rpc_manager", "res.partner", "action_open_health_score", [customer.ids]
        )
        self.assertEqual(action["res_id"], self.health_of(customer).id)

    # -- audited values bypassed -----------------------------------------
    def test_computed_values_state_and_company_cannot_be_written(self):
        __, record = self.scored("Audited Ltd")
        attempts = {
            "computed_score": 99,
            "score": 99,
            "state": "frozen",
            "company_id": self.company_b.id,
            "partner_id": self.customer_b().id,
            "risk_level": "low",
            "customer_success_user_id": self.manager.id,
            "override_user_id": self.manager.id,
        }
        for login in ("health_success", "health_rpc_manager"):
            for name, value in attempts.items():
                with self.subTest(login=login, field=name):
                    self.assertRefused(
                        "AccessError",
                        lambda login=login, name=name, value=value: self.rpc(
                            login, "crm.health.score", "write", [record.ids, {name: value}]
                        ),
                    )
        record.invalidate_recordset()
        self.assertEqual(record.computed_score, 3)
        self.assertEqual(record.company_id, self.main_company)
        self.assertEqual(record.state, "scored")

    def test_manual_override_keeps_its_audited_path(self):
        __, record = self.scored("Override Ltd")
        expiry = fields.Date.to_string(fields.Date.today() + timedelta(days=10))
        self.rpc(
            "health_success",
            "crm.health.score",
            "write",
            [
                record.ids,
                {
                    "override_active": True,
                    "override_score": 55,
                    "override_reason": "Renewal signed yesterday",
                    "override_expiry": expiry,
                },
            ],
        )
        record.invalidate_recordset()
        self.assertEqual(record.score, 55)
        self.assertEqual(record.override_user_id, self.success_manager)
        tracked = record.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("override_reason", tracked)
        self.assertRefused(
            "ValidationError",
            lambda: self.rpc(
                "health_success",
                "crm.health.score",
                "write",
                [record.ids, {"override_reason": " "}],
            ),
        )

    def customer_b(self):
        return self.env["res.partner"].create({"name": "Another Customer Ltd", "is_company": True})

    # -- scorecard preview -----------------------------------------------------
    def test_salesperson_cannot_read_the_scorecard_preview(self):
        self.assertRefused(
            "AccessError",
            lambda: self.rpc(
                "health_rpc_seller",
                "crm.health.scorecard",
                "read",
                [[self.scorecard.id], ["preview_html"]],
            ),
        )
        data = self.rpc(
            "health_rpc_admin",
            "crm.health.scorecard",
            "read",
            [[self.scorecard.id], ["preview_html"]],
        )
        self.assertIn("o_crm_health_preview", data[0]["preview_html"])

    def test_preview_counts_only_the_allowed_companies(self):
        admin_card = self.scorecard.with_user(self.process_admin)
        before_current, __ = admin_card._preview_counts()
        self.scored("Sister Preview Ltd", company_id=self.company_b.id)
        after_current, __ = admin_card._preview_counts()
        self.assertEqual(after_current, before_current, "company B is not the admin's")
        self.scored("Main Preview Ltd")
        main_current, __ = admin_card._preview_counts()
        self.assertEqual(main_current.total(), before_current.total() + 1)

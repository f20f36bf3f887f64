# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import HealthCase

TODAY = date(2024, 6, 25)
CHURN_SUMMARY = "Churn risk: contact within 3 days"


@tagged("post_install", "-at_install")
class TestHealthActivityCap(HealthCase):
    """A first recompute flags many customers at once: each assignee gets at most the
    daily cap of new churn To-Dos and intervention activities, the most urgent and
    valuable customers first; the others wait on their health record and get theirs
    on the next days, once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.company.crm_health_activity_cap = 2
        cls.other_success = new_test_user(
            cls.env,
            login="health_cap_success_2",
            name="Sue Second",
            groups="crm_process_std_base.group_customer_success",
        )

    # -- customers -----------------------------------------------------------
    def silent_customer(self, name, risk="high", revenue=0, success=None):
        """A customer silent for 40 days (a churn risk). High risk: needs match low
        and no recent order (score 36). Medium risk: needs match high and 4 orders
        in the last 3 months (score 65). ``revenue``: a deal won 200 days ago (out
        of the order dimension, within the 12 months of revenue)."""
        success = success or self.success_manager
        customer = self.make_customer(
            name,
            needs_match="low" if risk == "high" else "high",
            customer_success_user_id=success.id,
        )
        self.log_followup(customer, TODAY - timedelta(days=40))
        if risk == "medium":
            for days in (45, 50, 55, 60):
                self.win_opportunity(customer, TODAY - timedelta(days=days), 100)
        if revenue:
            self.win_opportunity(customer, TODAY - timedelta(days=200), revenue)
        return customer

    def five_customers(self):
        """Expected order: high risk by revenue (B, C, A), then medium by revenue (D, E)."""
        return {
            "A": self.silent_customer("Alpha Ltd"),
            "B": self.silent_customer("Bravo Ltd", revenue=50000),
            "C": self.silent_customer("Charlie Ltd", revenue=20000),
            "D": self.silent_customer("Delta Ltd", risk="medium", revenue=3000),
            "E": self.silent_customer("Echo Ltd", risk="medium"),
        }

    def nightly(self, customers, day):
        """Recompute these customers together on ``day``, as one batch of the night."""
        partners = self.env["res.partner"].union(*customers)
        with freeze_time(self.at(day, 23)):
            self.engine._sync_scope(partners.ids)
            records = self.env["crm.health.score"].search([("partner_id", "in", partners.ids)])
            self.engine._recompute(records.ids)
        records.invalidate_recordset()
        return records

    def activities(self, customer, user=None):
        """The customer's activities, done ones included."""
        domain = [("res_model", "=", "res.partner"), ("res_id", "=", customer.id)]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].with_context(active_test=False).search(domain)

    @staticmethod
    def ids(customers):
        return [customer.id for customer in customers.values()]

    def with_activity(self, customers):
        return {key for key, customer in customers.items() if self.activities(customer)}

    def digests(self, user):
        return self.env["mail.message"].search(
            [
                ("partner_ids", "in", user.partner_id.ids),
                ("subject", "like", "Customer health:"),
            ],
            order="id",
        )

    # -- tests -----------------------------------------------------------------
    def test_cap_lets_the_highest_risk_then_revenue_through_and_the_rest_next_days(self):
        customers = self.five_customers()

        records = self.nightly(customers.values(), TODAY)

        by_key = {key: self.health_of(customer) for key, customer in customers.items()}
        self.assertEqual(
            {key: record.risk_level for key, record in by_key.items()},
            {"A": "high", "B": "high", "C": "high", "D": "medium", "E": "medium"},
        )
        self.assertTrue(all(records.mapped("churn_risk")))
        # two To-Dos, for the most valuable high-risk customers
        self.assertEqual(self.with_activity(customers), {"B", "C"})
        todo = self.activities(customers["B"])
        self.assertEqual(todo.summary, CHURN_SUMMARY)
        self.assertEqual(todo.user_id, self.success_manager)
        self.assertEqual(by_key["B"].churn_activity_id, todo)
        # the others wait, visibly; their churn note is there already
        waiting = self.env["crm.health.score"].with_user(self.success_manager)
        self.assertEqual(
            waiting.search([("intervention_pending", "=", True), ("id", "in", records.ids)]),
            by_key["A"] | by_key["D"] | by_key["E"],
        )
        self.assertEqual(by_key["A"].pending_since, TODAY)
        self.assertTrue(by_key["A"].churn_activity_pending)
        self.assertFalse(by_key["A"].churn_activity_id)
        for customer in customers.values():
            notes = customer.message_ids.filtered(
                lambda m: "Churn risk: no interaction for 40 days" in (m.body or "")
            )
            self.assertEqual(len(notes), 1, customer.name)
        # the assignee hears of the two and of the three held back
        digest = self.digests(self.success_manager)
        self.assertEqual(len(digest), 1)
        self.assertIn("Bravo Ltd", digest.body)
        self.assertIn("Charlie Ltd", digest.body)
        self.assertNotIn("Alpha Ltd", digest.body)
        self.assertIn("3 more were held back by the daily cap", digest.body)

        # the B To-Do is done the next morning: still one activity, no second one
        todo.with_user(self.success_manager).action_feedback(feedback="Called them.")
        self.nightly(customers.values(), TODAY + timedelta(days=1))
        self.assertEqual(self.with_activity(customers), {"A", "B", "C", "D"})
        self.assertFalse(by_key["A"].intervention_pending)
        self.assertTrue(by_key["E"].intervention_pending)
        self.assertEqual(by_key["E"].pending_since, TODAY)

        self.nightly(customers.values(), TODAY + timedelta(days=2))
        self.assertEqual(self.with_activity(customers), set(customers))
        for key, customer in customers.items():
            self.assertEqual(len(self.activities(customer)), 1, key)
            self.assertFalse(by_key[key].intervention_pending, key)
        # nothing left: the fourth night schedules nothing
        self.nightly(customers.values(), TODAY + timedelta(days=3))
        self.assertEqual(sum(len(self.activities(customer)) for customer in customers.values()), 5)

    def test_scheduled_run_gives_the_slots_to_the_whole_base_not_batch_by_batch(self):
        """Two customers per committed batch: Alpha and Bravo are scored first, yet
        the slots go to Bravo and Charlie, the most valuable high-risk customers."""
        customers = self.five_customers()
        self.engine._sync_scope(self.ids(customers))

        with freeze_time(self.at(TODAY, 23)):
            self.assertTrue(self.engine._run(fields.Datetime.now(), batch_size=2))

        self.assertEqual(self.with_activity(customers), {"B", "C"})
        waiting = self.env["crm.health.score"].search(
            [("intervention_pending", "=", True), ("partner_id", "in", self.ids(customers))]
        )
        self.assertEqual(waiting.partner_id, customers["A"] | customers["D"] | customers["E"])
        self.assertIn("3 more were held back", self.digests(self.success_manager).body)

    def test_cap_zero_schedules_every_activity_at_once(self):
        self.company.crm_health_activity_cap = 0
        customers = self.five_customers()

        self.nightly(customers.values(), TODAY)

        self.assertEqual(self.with_activity(customers), set(customers))
        self.assertFalse(
            self.env["crm.health.score"].search_count(
                [
                    ("intervention_pending", "=", True),
                    ("partner_id", "in", self.ids(customers)),
                ]
            )
        )
        self.assertNotIn("held back", self.digests(self.success_manager).body)

    def test_each_assignee_has_a_cap_of_their_own(self):
        first = [self.silent_customer(f"First {n} Ltd", revenue=1000 * n) for n in range(1, 4)]
        second = [
            self.silent_customer(f"Second {n} Ltd", revenue=1000 * n, success=self.other_success)
            for n in range(1, 4)
        ]

        self.nightly(first + second, TODAY)

        for user, customers in ((self.success_manager, first), (self.other_success, second)):
            scheduled = [c.name for c in customers if self.activities(c, user)]
            # highest revenue first: 3, then 2; 1 waits
            self.assertEqual(scheduled, [customers[1].name, customers[2].name], user.name)
            self.assertTrue(self.health_of(customers[0]).intervention_pending)

    def test_activities_scheduled_by_hand_or_for_another_day_do_not_count(self):
        others = [self.make_customer(f"Handled {n} Ltd") for n in range(3)]
        with freeze_time(self.at(TODAY, 9)):
            for other in others:
                other.with_user(self.staff).activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=CHURN_SUMMARY,
                    user_id=self.success_manager.id,
                )
        yesterday = self.silent_customer("Yesterday Ltd")
        self.nightly([yesterday], TODAY - timedelta(days=1))
        self.assertTrue(self.activities(yesterday))
        customers = self.five_customers()

        self.nightly(customers.values(), TODAY)

        self.assertEqual(self.with_activity(customers), {"B", "C"})

    def test_intervention_activities_share_the_cap_with_churn_todos(self):
        self.env["crm.health.intervention.rule"].create(
            {
                "name": "Call today",
                "risk_level": "high",
                "suggestion": "Call the customer today.",
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "activity_due_days": 0,
                "assignee": "customer_success",
            }
        )
        customers = self.five_customers()

        self.nightly(customers.values(), TODAY)

        # the most valuable high-risk customer takes both slots: its To-Do and its call
        self.assertEqual(self.with_activity(customers), {"B"})
        self.assertEqual(
            sorted(self.activities(customers["B"]).mapped("summary")),
            ["Call today", CHURN_SUMMARY],
        )
        record = self.health_of(customers["C"])
        self.assertTrue(record.churn_activity_pending)
        # its call waits, standing for the default 3-day call of high-risk customers
        self.assertEqual(
            set(record.pending_rule_ids.mapped("name")),
            {"Call today", "Contact the customer within 3 days"},
        )

        self.nightly(customers.values(), TODAY + timedelta(days=1))
        self.assertEqual(self.with_activity(customers), {"B", "C"})
        self.assertFalse(record.intervention_pending)
        self.assertEqual(
            sorted(self.activities(customers["C"]).mapped("summary")),
            ["Call today", CHURN_SUMMARY],
        )
        self.assertFalse(record.pending_rule_ids)

    def test_preview_counts_the_activities_and_what_the_cap_lets_through(self):
        """Five medium-risk customers (score 61: contacted 10 days ago, needs match
        high) of a company with a scorecard of its own: raising the medium threshold
        to 70 makes them high risk, which schedules a call for each (the default rule),
        two of them on the first day with a cap of 2."""
        branch = self.env["res.company"].create({"name": "Health Cap Branch"})
        card = self.scorecard.copy({"name": "Branch scorecard", "company_id": branch.id})
        admin = new_test_user(
            self.env,
            login="health_cap_admin",
            groups="crm_process_std_base.group_process_admin",
            company_id=self.company.id,
            company_ids=[self.company.id, branch.id],
        )
        customers = []
        for n in range(5):
            customer = self.make_customer(
                f"Branch {n} Ltd",
                company_id=branch.id,
                needs_match="high",
                customer_success_user_id=self.success_manager.id,
            )
            self.log_followup(customer, TODAY - timedelta(days=10), company_id=branch.id)
            customers.append(customer)
        records = self.nightly(customers, TODAY)
        self.assertEqual(set(records.mapped("risk_level")), {"medium"})
        self.assertEqual(set(records.mapped("computed_score")), {61})

        with freeze_time(self.at(TODAY, 12)):
            form = Form(card.with_user(admin))
            self.assertIn("would schedule no new activity", form.preview_html)
            form.medium_risk_threshold = 70
            preview = form.preview_html

        self.assertIn(
            "would schedule 5 activities: 0 churn To-Dos and 5 intervention activities", preview
        )
        self.assertIn("lets 2 through on the first day", preview)

        # what the first night then does
        card.medium_risk_threshold = 70
        self.nightly(customers, TODAY + timedelta(days=1))
        scheduled = [c for c in customers if self.activities(c, self.success_manager)]
        self.assertEqual(len(scheduled), 2)

    # -- setting -------------------------------------------------------------------
    def test_cap_setting_is_per_company_and_never_negative(self):
        manager = new_test_user(
            self.env,
            login="health_cap_settings",
            groups="sales_team.group_sale_manager,base.group_system",
        )
        settings = Form(self.env["res.config.settings"].with_user(manager))
        self.assertEqual(settings.crm_health_activity_cap, 2)
        settings.crm_health_activity_cap = 15
        settings.save().execute()
        self.assertEqual(self.company.crm_health_activity_cap, 15)

        settings = Form(self.env["res.config.settings"].with_user(manager))
        settings.crm_health_activity_cap = -1
        # (assertRaises rolls back to a savepoint, as the request would)
        with self.assertRaises(ValidationError) as caught:
            settings.save().execute()
        self.assertIn("cannot be negative (-1): set 0 for no cap", str(caught.exception))
        self.company.invalidate_recordset()
        self.assertEqual(self.company.crm_health_activity_cap, 15)

    def test_new_company_caps_at_twenty(self):
        self.assertEqual(
            self.env["res.company"].create({"name": "New Co"}).crm_health_activity_cap, 20
        )


@tagged("post_install", "-at_install")
class TestHealthActivityCapRpc(HttpCase):
    """The cap is an administrator's setting: a salesperson cannot change it over
    RPC, neither on the company nor through the settings."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env, login="health_cap_seller", groups="sales_team.group_sale_salesman"
        )
        cls.company = cls.env.ref("base.main_company")
        cls.company.crm_health_activity_cap = 20

    def rpc(self, model, method, args, kwargs=None):
        self.authenticate("health_cap_seller", "health_cap_seller")
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_salesperson_cannot_change_the_cap(self):
        with self.assertRaises(JsonRpcException) as caught:
            self.rpc("res.company", "write", [self.company.ids, {"crm_health_activity_cap": 0}])
        self.assertIn("AccessError", str(caught.exception))
        with self.assertRaises(JsonRpcException) as caught:
            self.rpc("res.config.settings", "create", [{"crm_health_activity_cap": 0}])
        self.assertIn("AccessError", str(caught.exception))
        # settings an administrator opened (execute saves whatever they hold)
        prepared = self.env["res.config.settings"].create({})
        with self.assertRaises(JsonRpcException) as caught:
            self.rpc("res.config.settings", "execute", [prepared.ids])
        self.assertIn("AccessError", str(caught.exception))
        self.company.invalidate_recordset()
        self.assertEqual(self.company.crm_health_activity_cap, 20)

"""Production deployment: several servers on one database, users beside the crons.

Two Odoo servers, one database: a rule saved through one is enforced by the other.

Companies that outgrow one machine run several Odoo servers behind a load balancer on
one PostgreSQL. Each server caches the process configuration (approval levels, stage
requirements, gate settings) so that lead writes cost no query; Odoo signals cache
invalidations through the database. This test starts two real server processes on a
copy of the CRM template database (as two machines would be), warms each one's caches,
changes the configuration through server A as an administrator, and checks that server B
enforces the change on the very next request of a salesperson, over JSON-RPC as the web
client calls it. No restart, no sleep.

A user beside a scheduled action: a user saving a customer while the customer-tier run
writes it makes the run meet a serialization failure; the run retries and finishes.
"""

import subprocess
import tempfile
import time
import unittest

import psycopg2
import requests

from tests.odoo_cli import (
    ADDONS,
    _connect,
    copy_template,
    drop_db,
    free_port,
    log_errors,
    odoo,
    odoo_command,
    query,
    template_db,
)

LEAD_AMOUNT = 50000


class RpcError(Exception):
    pass


class Client:
    """A web-client session on one server."""

    def __init__(self, port, db, login, password):
        self.url = f"http://127.0.0.1:{port}"
        self.session = requests.Session()
        result = self._post(
            "/web/session/authenticate", {"db": db, "login": login, "password": password}
        )
        self.uid = result["uid"]

    def _post(self, path, params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=120,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            data = body["error"].get("data") or {}
            raise RpcError(f"{data.get('name')}: {data.get('message')}")
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


@unittest.skipUnless(template_db(), "run through setup/test.sh (needs CRM_STD_TEMPLATE_DB)")
class TestProductionDeployment(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.db = copy_template("crm_std_deploy")
        cls.servers = []
        try:
            done = odoo(cls.db, "server", "-i", ",".join(ADDONS), "--stop-after-init")
            if done.returncode:
                raise AssertionError("install failed:\n" + "\n".join(log_errors(done.stderr)))
            cls.ports = [free_port(), free_port()]
            for port in cls.ports:
                cls.servers.append(
                    subprocess.Popen(
                        odoo_command(
                            cls.db,
                            "server",
                            f"--http-port={port}",
                            "--http-interface=127.0.0.1",
                            "--workers=0",
                            "--max-cron-threads=0",
                        ),
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
            for port in cls.ports:
                cls._wait_for(port)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for server in cls.servers:
            server.terminate()
        for server in cls.servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        drop_db(cls.db)

    @staticmethod
    def _wait_for(port):
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/web/login", timeout=5).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise AssertionError(f"server on port {port} did not answer")

    # ------------------------------------------------------------------
    def _admin(self, port):
        return Client(port, self.db, "admin", "admin")

    def _lead(self, admin, name, amount, stage_id):
        return admin.call(
            "crm.lead",
            "create",
            {
                "name": name,
                "type": "opportunity",
                "expected_revenue": amount,
                "user_id": self.salesperson_uid,
                "stage_id": stage_id,
            },
        )

    def _move(self, client, lead_id, stage_id):
        return client.call("crm.lead", "write", [lead_id], {"stage_id": stage_id})

    def test_configuration_saved_on_one_server_is_enforced_by_the_other(self):
        admin_a = self._admin(self.ports[0])
        admin_b = self._admin(self.ports[1])
        group = admin_a.call(
            "ir.model.data", "check_object_reference", "sales_team", "group_sale_salesman_all_leads"
        )[1]
        self.salesperson_uid = admin_a.call(
            "res.users",
            "create",
            {
                "name": "Two-server salesperson",
                "login": "two_server_sales",
                "password": "two_server_sales_pw",
                "group_ids": [(6, 0, [group])],
            },
        )
        # a known starting point: no approval level, no stage requirement
        for model in ("crm.approval.level", "crm.stage.requirement"):
            ids = admin_a.call(model, "search", [])
            if ids:
                admin_a.call(model, "write", ids, {"active": False})
        stages = admin_a.call(
            "crm.stage", "search_read", [("is_won", "=", False)], ["name"], order="sequence, id"
        )
        first, early, gate = stages[0]["id"], stages[1]["id"], stages[2]["id"]
        company = admin_a.call("res.users", "read", [admin_a.uid], ["company_id"])[0]
        admin_a.call(
            "res.company", "write", [company["company_id"][0]], {"crm_approval_stage_id": gate}
        )
        sales_b = Client(self.ports[1], self.db, "two_server_sales", "two_server_sales_pw")

        # 1. An approval level created on A: B refuses a deal above it entering the gate.
        warm, checked = (
            self._lead(admin_a, f"Approval {i}", LEAD_AMOUNT, first) for i in ("warm", "checked")
        )
        self._move(sales_b, warm, gate)  # no level yet: allowed, and B's caches are filled
        admin_a.call(
            "crm.approval.level",
            "create",
            {
                "name": "Two-server level",
                "min_amount": 10000,
                "approver_group_id": admin_a.call(
                    "ir.model.data", "check_object_reference", "sales_team", "group_sale_manager"
                )[1],
            },
        )
        with self.assertRaisesRegex(
            RpcError, "(?i)approv", msg="B let a deal above the new level through"
        ):
            self._move(sales_b, checked, gate)

        # 2. A setting saved on A (approval gate moved to an earlier stage) holds on B.
        warm, checked = (
            self._lead(admin_a, f"Setting {i}", LEAD_AMOUNT, first) for i in ("warm", "checked")
        )
        self._move(sales_b, warm, early)  # not a gate yet: allowed
        settings = admin_a.call(
            "res.config.settings", "create", {"crm_std_approval_stage_id": early}
        )
        admin_a.call("res.config.settings", "execute", [settings])
        with self.assertRaisesRegex(
            RpcError, "(?i)approv", msg="B ignored the approval stage saved on A"
        ):
            self._move(sales_b, checked, early)

        # 3. A stage requirement created on A: B refuses a lead that does not meet it.
        warm, checked = (
            self._lead(admin_a, f"Requirement {i}", 0, first) for i in ("warm", "checked")
        )
        self._move(sales_b, warm, early)  # no requirement yet: allowed
        field = admin_a.call(
            "ir.model.fields", "search", [("model", "=", "crm.lead"), ("name", "=", "function")]
        )
        admin_a.call(
            "crm.stage.requirement",
            "create",
            {
                "name": "Two-server job position",
                "stage_id": early,
                "kind": "field",
                "mode": "block",
                "lead_field_ids": [(6, 0, field)],
            },
        )
        with self.assertRaisesRegex(
            RpcError, "Job Position", msg="B ignored the requirement created on A"
        ):
            self._move(sales_b, checked, early)

        # 4. Scorecard weights changed on A: B scores with the new weights at once.
        partner = admin_a.call("res.partner", "search", [("customer_rank", ">", 0)], limit=1)
        health = admin_b.call("crm.health.score", "search", [("partner_id", "in", partner)])
        if not health:
            admin_b.call("res.partner", "action_open_health_score", partner)
            health = admin_b.call("crm.health.score", "search", [("partner_id", "in", partner)])
        self.assertTrue(health, "no health record for the demo customer")
        scorecard = admin_a.call("crm.health.scorecard", "search", [], limit=1)
        self.assertTrue(scorecard)
        weights = ("recency", "frequency", "orders", "complaints", "needs")
        for only in ("recency", "complaints"):
            admin_a.call(
                "crm.health.scorecard",
                "write",
                scorecard,
                {f"weight_{name}": 100 if name == only else 0 for name in weights},
            )
            admin_b.call("crm.health.score", "action_recompute", health)
            on_b = admin_b.call("crm.health.score", "read", health, ["score"])[0]["score"]
            admin_a.call("crm.health.score", "action_recompute", health)
            on_a = admin_a.call("crm.health.score", "read", health, ["score"])[0]["score"]
            self.assertEqual(on_b, on_a, f"B scored with other weights than A ({only} only)")

    def test_tier_run_survives_a_user_saving_the_same_customer(self):
        tier_run = "env['res.partner']._cron_crm_std_recompute_tiers()\nenv.cr.commit()\n"
        done = odoo(self.db, "shell", "--no-http", stdin=tier_run)
        self.assertFalse(log_errors(done.stderr), done.stderr[-3000:])
        rows = query(
            self.db,
            "SELECT id FROM res_partner WHERE id = commercial_partner_id"
            " AND customer_tier_auto IS NOT NULL ORDER BY id LIMIT 1",
        )
        self.assertTrue(rows, "the demo has no classified customer")
        partner_id = rows[0][0]
        # the run has something to write for this customer
        query(
            self.db,
            "UPDATE res_partner SET customer_tier_auto = NULL WHERE id = %s RETURNING id",
            [partner_id],
        )
        # a user saves the same customer and keeps the transaction open
        user = _connect(self.db)
        user.autocommit = False
        run_log = tempfile.TemporaryFile("w+")  # noqa: SIM115 read after the run
        self.addCleanup(run_log.close)
        try:
            with user.cursor() as cr:
                cr.execute(
                    "UPDATE res_partner SET comment = '<p>saved by a user</p>' WHERE id = %s",
                    [partner_id],
                )
            run = subprocess.Popen(
                odoo_command(self.db, "shell", "--no-http"),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=run_log,
                text=True,
            )
            run.stdin.write(tier_run)
            run.stdin.close()
            deadline = time.monotonic() + 300
            while not query(
                "postgres",
                "SELECT 1 FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                [self.db],
            ):
                self.assertIsNone(run.poll(), "the run ended without meeting the user's lock")
                self.assertLess(time.monotonic(), deadline, "the run never met the user's lock")
                time.sleep(0.2)
            user.commit()  # the run, waiting on the row, now fails to serialize
        except psycopg2.Error:
            user.rollback()
            raise
        finally:
            user.close()
        run.wait(timeout=300)
        run_log.seek(0)
        err = run_log.read()
        # PostgreSQL's refusal is logged by Odoo as a bad query; anything else is an error
        self.assertFalse([line for line in log_errors(err) if "bad query" not in line], err[-3000:])
        self.assertIn("could not serialize", err, "the run did not meet the concurrent save")
        [[tier, comment]] = query(
            self.db,
            "SELECT customer_tier_auto, comment FROM res_partner WHERE id = %s",
            [partner_id],
        )
        self.assertIsNotNone(tier, "the run gave up the customer the user saved")
        self.assertEqual(comment, "<p>saved by a user</p>", "the user's save was lost")

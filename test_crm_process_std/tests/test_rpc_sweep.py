"""Public-method sweep: every public method of the addons, called over JSON-RPC as a web
client would, by users who must not touch the record it is called on.

The methods are found in the registry (rpc_sweep_data.py classifies each one);
they are called through ``/web/dataset/call_button`` (buttons) or
``/web/dataset/call_kw`` (model methods) as a portal user, a salesperson on "own
documents only" and a salesperson of another company, on records of a colleague of
company A (made with the factories of access_matrix_data.py). Each call must be
refused or have no effect: no row of the watched tables inserted, updated or deleted
(PostgreSQL's ``xmin`` of every row written after a probe taken just before the call,
plus row counts), and nothing of the colleague's lead in the answer.
"""

import inspect
import json

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

from . import repository
from .access_matrix_data import RECORDS, make_role_fixtures
from .buttons_press import REFUSALS
from .rpc_sweep_data import KNOWN_HOLE, METHODS, ORM_OVERRIDES_REASON, SETTINGS_API

ADDON_MODULES = tuple(f"odoo.addons.{addon}." for addon in repository.ADDONS)
ROLES = {
    "portal": "base.group_portal",
    "salesperson_own": "sales_team.group_sale_salesman",
    "other_company": "sales_team.group_sale_salesman_all_leads",
}
# Marks the colleague's lead: it must never come back in an answer.
CANARY = "RPC-SWEEP-CANARY-7Q"
# Tables of Odoo the methods could change besides those of the addons' models.
WATCHED_TABLES = (
    "crm_lead",
    "res_partner",
    "crm_stage",
    "crm_team",
    "mail_activity",
    "mail_message",
    "mail_followers",
    "ir_config_parameter",
    "ir_model_data",
    "res_company",
)


def public_methods(registry):
    """{(model, method)} of the public methods the addons' Python modules define on the
    registry's models (RPC endpoints: not ``_`` prefixed, not ``@api.private``)."""
    found = set()
    for model_name in registry:
        cls = registry[model_name]
        for klass in cls.__mro__:
            if not klass.__module__.startswith(ADDON_MODULES):
                continue
            for name, value in vars(klass).items():
                function = getattr(value, "__func__", value)
                if name.startswith("_") or not inspect.isfunction(function):
                    continue
                if any(
                    getattr(getattr(base, name, None), "_api_private", False)
                    for base in cls.__mro__
                ):
                    continue
                found.add((model_name, name))
    return found


def orm_api(registry):
    """Public methods of every model: the ORM and the web client's API (``base``)."""
    return frozenset(
        name
        for name, value in inspect.getmembers(registry["base"])
        if not name.startswith("_") and callable(value)
    )


def is_orm_override(model_name, method, api):
    return method in api or (model_name == "res.config.settings" and method in SETTINGS_API)


@tagged("post_install", "-at_install")
class TestRpcSweep(HttpCase):
    # Odoo tags only the test classes of addons by itself; this one lives outside them.
    test_tags = frozenset({"standard", "at_install"})
    test_module = "crm_process_std"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        make_role_fixtures(cls, "sweep", "Sweep", ROLES)
        cls.colleague = new_test_user(
            cls.env,
            login="sweep_colleague",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        cls.watched = cls._watched_tables()
        cls.env.cr.execute("CREATE TEMPORARY TABLE rpc_sweep_probe (id integer)")

    @classmethod
    def _watched_tables(cls):
        tables = set(WATCHED_TABLES)
        for name in cls.env.registry:
            model = cls.env[name]
            if (
                model._original_module in repository.ADDONS
                and model._auto
                and not model._abstract
                and not model._transient
            ):
                tables.add(model._table)
        return sorted(tables)

    # -- targets -------------------------------------------------------------------------

    def _target(self, model):
        """A record of ``model`` of the colleague in company A, made as superuser."""
        owner, company = self.colleague, self.company_a
        Model = self.env[model].sudo()
        if model == "crm.lead":
            return Model.with_company(company).create(
                {
                    "name": f"Colleague deal {CANARY}",
                    "type": "opportunity",
                    "partner_id": self.customer.id,
                    "user_id": owner.id,
                    "team_id": False,
                    "company_id": company.id,
                    "description": f"<p>{CANARY}</p>",
                    "phone": "+32 2 555 01 99",
                    "expected_revenue": 50000,
                }
            )
        if model == "res.partner":
            return Model.create(
                {"name": "Colleague Customer", "is_company": True, "user_id": owner.id}
            )
        if model == "mail.activity":
            lead = self._target("crm.lead")
            return lead.activity_schedule("mail.mail_activity_data_call", user_id=owner.id)
        if model == "res.config.settings":
            return Model.create({})
        if model == "crm.health.scorecard":
            active = Model.search([("company_id", "in", [company.id, False])], limit=1)
            if active:
                return active
        spec = RECORDS[model]
        Model = Model.with_user(owner).sudo().with_company(company)
        return Model.create(spec["values"](self, owner, company))

    # -- effects -------------------------------------------------------------------------

    def _probe(self):
        """A transaction id lower than that of any row written from now on."""
        self.env.flush_all()
        with self.env.cr.savepoint(flush=False):
            self.env.cr.execute("INSERT INTO rpc_sweep_probe VALUES (1) RETURNING xmin::text")
            return int(self.env.cr.fetchone()[0])

    def _table_state(self, probe):
        """{table: (rows, rows written after ``probe``)} of the watched tables."""
        query = SQL(" UNION ALL ").join(
            SQL(
                "SELECT %s, COUNT(*), COUNT(*) FILTER (WHERE xmin::text::bigint > %s) FROM %s",
                table,
                probe,
                SQL.identifier(table),
            )
            for table in self.watched
        )
        self.env.cr.execute(query)
        return {table: (rows, written) for table, rows, written in self.env.cr.fetchall()}

    def _rpc(self, route, params):
        response = self.opener.post(
            f"{self.base_url()}{route}",
            json={"id": 0, "jsonrpc": "2.0", "method": "call", "params": params},
            timeout=60,
        )
        response.raise_for_status()
        return response.text, response.json()

    def _attack(self, model, method, row, target):
        """Call ``method`` on ``target`` over RPC; return what went wrong ('' if sound)."""
        kwargs = dict(row.get("kwargs", {}), context={"lang": "en_US"})
        if row["call"] == "button":
            route, args = "/web/dataset/call_button", [target.ids]
        else:
            route, args = "/web/dataset/call_kw", []
        savepoint = self.env.cr.savepoint()
        try:
            if row.get("prepare"):
                target.sudo().write(row["prepare"])
            probe = self._probe()
            before = self._table_state(probe)
            text, answer = self._rpc(
                f"{route}/{model}/{method}",
                {"model": model, "method": method, "args": args, "kwargs": kwargs},
            )
            if "error" in answer:
                data = answer["error"].get("data", {})
                if data.get("name") in REFUSALS:
                    return ""
                message = (data.get("message") or "").splitlines()[:1]
                return f"crashed: {data.get('name')}: {' '.join(message)}"
            after = self._table_state(probe)
            changed = [
                f"{table} ({after[table][1]} written, {after[table][0] - before[table][0]:+d})"
                for table in self.watched
                if after[table][1] or after[table][0] != before[table][0]
            ]
            problems = []
            if changed:
                problems.append("changed " + ", ".join(changed))
            if CANARY in text:
                problems.append("answer holds the colleague's lead")
            if problems:
                result = json.dumps(answer.get("result"))[:120]
                return f"allowed: {'; '.join(problems)} (answer {result})"
            return ""
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()

    # -- tests ---------------------------------------------------------------------------

    def test_every_public_method_is_classified(self):
        found = public_methods(self.env.registry)
        api = orm_api(self.env.registry)
        unclassified = sorted(
            f"{model}.{method}"
            for model, method in found
            if (model, method) not in METHODS and not is_orm_override(model, method, api)
        )
        self.assertFalse(
            unclassified,
            "public methods (RPC endpoints) not classified in rpc_sweep_data.py "
            "METHODS (check who may call each, then add its row): " + ", ".join(unclassified),
        )
        stale = sorted(f"{model}.{method}" for model, method in set(METHODS) - found)
        self.assertFalse(
            stale, "rows of METHODS for methods that do not exist: " + ", ".join(stale)
        )
        orm_rows = sorted(f"{m}.{n}" for m, n in METHODS if is_orm_override(m, n, api))
        self.assertFalse(
            orm_rows, f"ORM overrides are not rows ({ORM_OVERRIDES_REASON}): {orm_rows}"
        )
        stale_holes = sorted(f"{m}.{n}" for m, n in set(KNOWN_HOLE) - set(METHODS))
        self.assertFalse(
            stale_holes, "KNOWN_HOLE rows of unknown methods: " + ", ".join(stale_holes)
        )

    def test_public_methods_refused_or_without_effect(self):
        found = public_methods(self.env.registry)
        failures, fixed = [], []
        rows = sorted(item for item in METHODS.items() if item[0] in found)
        targets = {}
        for (model, _method), row in rows:
            if row["call"] == "button" and model not in targets:
                targets[model] = self._target(model)
        for role, user in self.users.items():
            self.authenticate(user.login, user.login)
            for (model, method), row in rows:
                outcome = self._attack(model, method, row, targets.get(model))
                known = KNOWN_HOLE.get((model, method), {}).get(role)
                label = f"{model}.{method} as {role}"
                if outcome and not known:
                    failures.append(f"{label}: {outcome}")
                elif known and not outcome:
                    fixed.append(f"{label} (remove it from KNOWN_HOLE)")
        self.assertFalse(
            failures,
            "public methods callable by users who must not (refuse them, or classify the "
            "method in rpc_sweep_data.py):\n" + "\n".join(failures),
        )
        self.assertFalse(fixed, "KNOWN_HOLE entries now refused:\n" + "\n".join(fixed))

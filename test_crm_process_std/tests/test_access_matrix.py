"""Access matrix: for every model the addons add and every role, what the role may do
(create / read / update / delete) and which records it sees, checked by real
operations under ``with_user``.

The tables live in ``access_matrix_data.py``: ROLES (groups of each test user),
MATRIX (model -> role -> (operations, seen)) and RECORDS (model -> how to make its
records). A model without a row fails ``test_every_model_of_the_addons_has_a_row``.

For each model and role the test makes, once per class (and shared between roles where
they are the same record): "mine" (owned by the role, in its company; for a model
without owner, a record of its company), "theirs" (a colleague's, same company),
"unassigned" (no owner), "foreign" (of the other company) and "shared" (no company), as
the model's RECORDS entry asks. Wizards are owned by their creator. SQL-view reports
have no "values": nobody may create, update or delete their rows, and "find" gives the
rows of a lead made for the owner.
"""

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from . import repository
from .access_matrix_data import MATRIX, RECORDS, ROLES, make_role_fixtures

ADDONS = repository.ADDONS

# Records each "seen" value of MATRIX shows, among those made for the checks.
SEEN = {
    "mine": {"mine"},
    "own": {"mine", "unassigned"},
    "all": {"mine", "theirs", "unassigned", "shared"},
    "": set(),
}


def _first_line(error):
    return str(error).strip().splitlines()[0] if str(error).strip() else ""


@tagged("post_install", "-at_install")
class TestAccessMatrix(TransactionCase):
    # Odoo tags only the test classes of addons by itself; this one lives outside them.
    test_tags = frozenset({"standard", "at_install"})
    test_module = "crm_process_std"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        make_role_fixtures(cls, "matrix", "Matrix")
        cls.colleague = {
            company: new_test_user(
                cls.env,
                login=f"matrix_colleague_{company.id}",
                groups="sales_team.group_sale_salesman",
                company_id=company.id,
                company_ids=[company.id],
            )
            for company in (cls.company_a, cls.company_b)
        }
        cls.made = {}
        cls.records = {
            (model, role): cls._records_for(model, user)
            for model in RECORDS
            for role, user in cls.users.items()
        }

    @classmethod
    def _records_for(cls, model, user):
        """{key: record} of ``model`` for the checks of ``user`` (see the module docstring)."""
        spec = RECORDS[model]
        nobody, no_company = cls.env["res.users"], cls.env["res.company"]
        company = user.company_id
        other = cls.company_a if company == cls.company_b else cls.company_b
        if spec["owner"]:
            owners = {"mine": (user, company), "theirs": (cls.colleague[company], company)}
            if spec.get("unassigned"):
                owners["unassigned"] = (nobody, company)
            if spec["company"]:
                owners["foreign"] = (cls.colleague[other], other)
        else:
            owners = {"mine": (nobody, company if spec["company"] else no_company)}
            if spec["company"]:
                owners["foreign"] = (nobody, other)
            if spec["company"] == "optional":
                owners["shared"] = (nobody, no_company)
        return {key: cls._made_once(model, *owner) for key, owner in owners.items()}

    @classmethod
    def _made_once(cls, model, owner, company):
        """The record of ``model`` for ``owner`` in ``company``, made once per class."""
        key = (model, owner.id, company.id)
        if key not in cls.made:
            cls.made[key] = cls._make(model, owner, company)
        return cls.made[key]

    @classmethod
    def _make(cls, model, owner, company):
        spec = RECORDS[model]
        if not spec["values"]:
            cls.env.flush_all()
            return spec["find"](cls, owner, company)
        Model = cls.env[model].with_user(owner or cls.env.user).sudo()
        if company:
            Model = Model.with_company(company)
        return Model.create(spec["values"](cls, owner, company))

    def _attempt(self, function):
        """Run ``function`` and roll it back; return the exception it raised, or None."""
        savepoint = self.env.cr.savepoint()
        try:
            function()
            self.env.flush_all()
        except Exception as error:  # noqa: BLE001 (any refusal is reported below)
            return error
        finally:
            savepoint.close(rollback=True)
        return None

    def _check(self, mismatches, label, allowed, error):
        if allowed and error is not None:
            mismatches.append(
                f"{label}: refused ({type(error).__name__}: {_first_line(error)}), expected allowed"
            )
        elif not allowed and error is None:
            mismatches.append(f"{label}: allowed, expected refused")
        elif not allowed and not isinstance(error, AccessError):
            mismatches.append(
                f"{label}: refused with {type(error).__name__} ({_first_line(error)}),"
                " expected AccessError"
            )

    def test_every_model_of_the_addons_has_a_row(self):
        models = sorted(
            name
            for name in self.env.registry
            if self.env[name]._original_module in ADDONS and not self.env[name]._abstract
        )
        missing = [name for name in models if name not in MATRIX or name not in RECORDS]
        self.assertFalse(
            missing,
            "models of the addons without a row in access_matrix_data.py "
            f"(add them to MATRIX and RECORDS): {', '.join(missing)}",
        )
        stale = sorted(set(MATRIX) - set(self.env.registry))
        self.assertFalse(stale, f"rows of models that no longer exist: {', '.join(stale)}")
        incomplete = [
            f"{model} ({', '.join(sorted(set(ROLES) - set(row)))})"
            for model, row in MATRIX.items()
            if set(row) != set(ROLES)
        ]
        self.assertFalse(incomplete, f"rows without every role: {'; '.join(incomplete)}")

    def test_operations_allowed_and_refused_per_role(self):
        mismatches = []
        for model, row in MATRIX.items():
            spec = RECORDS[model]
            for role, (operations, _seen) in row.items():
                user = self.users[role]
                label = f"{model} / {role}"
                Model = self.env[model].with_user(user)

                # the loop's values bound as defaults (not shared mutable state)
                def create(Model=Model, spec=spec, user=user):  # pylint: disable=dangerous-default-value
                    values = spec["values"](self, user, user.company_id) if spec["values"] else {}
                    record = Model.create(values)
                    if spec.get("save"):
                        spec["save"](record)

                self._check(
                    mismatches, f"{label} / create", "c" in operations, self._attempt(create)
                )
                self._check(
                    mismatches,
                    f"{label} / read",
                    "r" in operations,
                    self._attempt(lambda Model=Model: Model.check_access("read")),
                )
                mine = self.records[model, role]["mine"].with_user(user)
                self._check(
                    mismatches,
                    f"{label} / update own",
                    "u" in operations,
                    self._attempt(lambda mine=mine, spec=spec: mine.write(spec["write"])),
                )
                self._check(
                    mismatches,
                    f"{label} / delete own",
                    "d" in operations,
                    self._attempt(lambda mine=mine: mine.unlink()),
                )
        self.assertFalse(mismatches, "access matrix not met:\n" + "\n".join(mismatches))

    def test_records_seen_follow_own_documents_and_company_rules(self):
        mismatches = []
        for model, row in MATRIX.items():
            spec = RECORDS[model]
            for role, (operations, seen) in row.items():
                if seen is None:
                    continue
                user = self.users[role]
                records = self.records[model, role]
                label = f"{model} / {role}"
                expected = SEEN[seen] & set(records)
                ids = {
                    record_id: key for key, record in records.items() for record_id in record.ids
                }
                try:
                    found = (
                        self.env[model]
                        .with_user(user)
                        .with_context(active_test=False)
                        .search([("id", "in", list(ids))])
                    )
                    visible = {ids[record_id] for record_id in found.ids}
                except AccessError:
                    visible = set()
                if visible != expected:
                    mismatches.append(
                        f"{label}: sees {sorted(visible)}, expected {sorted(expected)}"
                    )
                for key, allowed in (("theirs", seen == "all"), ("foreign", False)):
                    if key not in records:
                        continue
                    other = records[key].with_user(user)
                    self._check(
                        mismatches,
                        f"{label} / update {key}",
                        "u" in operations and allowed,
                        self._attempt(lambda other=other, spec=spec: other.write(spec["write"])),
                    )
                    self._check(
                        mismatches,
                        f"{label} / delete {key}",
                        "d" in operations and allowed,
                        self._attempt(lambda other=other: other.unlink()),
                    )
        self.assertFalse(mismatches, "record rules not met:\n" + "\n".join(mismatches))

    def test_user_of_both_companies_sees_the_records_of_the_active_ones(self):
        user = new_test_user(
            self.env,
            login="matrix_both_companies",
            groups=ROLES["process_admin"],
            company_id=self.company_a.id,
            company_ids=[self.company_a.id, self.company_b.id],
        )
        mismatches = []
        for model, spec in RECORDS.items():
            if not spec["company"] or "r" not in MATRIX[model]["process_admin"][0]:
                continue
            record_a = self._make(model, user, self.company_a)
            record_b = self._make(model, user, self.company_b)
            domain = [("id", "in", (record_a | record_b).ids)]
            Model = self.env[model].with_user(user).with_context(active_test=False)
            for active, expected in (
                (self.company_a, record_a),
                (self.company_a | self.company_b, record_a | record_b),
            ):
                found = Model.with_context(allowed_company_ids=active.ids).search(domain)
                if found != expected:
                    mismatches.append(
                        f"{model}: companies {active.mapped('name')} active, sees "
                        f"{found.ids}, expected {expected.ids}"
                    )
        self.assertFalse(mismatches, "multi-company rules not met:\n" + "\n".join(mismatches))

    def test_manager_cannot_compare_the_kpis_of_another_company(self):
        # The comparison computes its company's figures in SQL: its company rule is what
        # keeps a manager of company A from reading company B's.
        manager = self.users["sales_manager"]
        Comparison = self.env["crm.kpi.comparison"].with_user(manager)
        values = RECORDS["crm.kpi.comparison"]["values"](self, manager, self.company_b)
        with self.assertRaises(AccessError):
            Comparison.create(values).action_compare()
        own = Comparison.create(
            RECORDS["crm.kpi.comparison"]["values"](self, manager, self.company_a)
        )
        own.action_compare()
        self.assertTrue(own.line_ids, "the manager compares the KPIs of their own company")

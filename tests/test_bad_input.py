"""Bad-input sweep over the addons' configuration: every user-editable numeric, date,
selection and domain field refuses invalid values, at creation and at update, with a
message in the user's language, and leaves the record (and what it saved) unchanged.

The fields come from the models themselves: a configuration field missing from
BAD_VALUES fails ``test_every_configuration_field_is_swept`` (add its invalid values,
or list it in ANY_VALUE_VALID with the reason).
"""

import re

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user

from . import odoo_cli

ADDONS = odoo_cli.ADDONS
SWEPT_TYPES = ("integer", "float", "monetary", "date", "datetime", "selection")
CJK = re.compile(r"[\u4e00-\u9fff]")


class Core:
    """An invalid value no form can send (e.g. an unknown selection key): Odoo's ORM
    itself refuses it with a technical ValueError, untranslated (import and RPC only)."""

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return f"Core({self.value!r})"


# Configuration model -> field -> invalid values (Core(...) for ORM-level refusals).
BAD_VALUES = {
    "res.config.settings": {
        "crm_std_completeness_threshold": (-1, 101, 1000),
        "crm_std_requirement_mode": (Core("sometimes"),),
        "crm_health_churn_days": (0, -5),
        "crm_std_handoff_deadline_hours": (0, -24),
        # tiers: VIP above regular, neither negative (regular 1, VIP 100 000 around them)
        "crm_std_tier_vip_revenue": (-1.0, 0.5),
        "crm_std_tier_regular_revenue": (-1.0, 100000.0),
        # purchase frequency: high above medium, medium at least 1 (medium 2, high 6)
        "crm_std_frequency_high": (2, 0),
        "crm_std_frequency_medium": (0, 6),
        "crm_std_complaint_hours_urgent": (0.0, -2.0),
        "crm_std_complaint_hours_normal": (0.0, -1.0),
        # KPI and diagnosis windows: at least one day
        "crm_std_kpi_churn_days": (0, -30),
        "crm_std_kpi_uncontacted_days": (0, -7),
        "crm_std_kpi_neglect_days": (0, -1),
        # health history: a known period, kept at least one month
        "crm_health_snapshot_period": (Core("daily"),),
        "crm_health_snapshot_retention_months": (0, -12),
    },
}

# Fields of the swept models for which every value of their type is valid:
# "model.field" -> why.
ANY_VALUE_VALID = {}

# How to make a valid record of each configuration model, who edits it, and what it
# saves besides itself (settings live in ir.config_parameter).
CONFIG = {
    "res.config.settings": {
        "groups": "crm_process_std.group_process_admin,base.group_system",
        "values": {
            "crm_std_completeness_threshold": 80,
            "crm_std_requirement_mode": "block",
            "crm_health_churn_days": 30,
            "crm_std_handoff_deadline_hours": 24,
            "crm_std_tier_vip_revenue": 100000.0,
            "crm_std_tier_regular_revenue": 1.0,
            "crm_std_frequency_high": 6,
            "crm_std_frequency_medium": 2,
            "crm_std_complaint_hours_urgent": 2.0,
            "crm_std_complaint_hours_normal": 24.0,
            "crm_std_kpi_churn_days": 30,
            "crm_std_kpi_uncontacted_days": 7,
            "crm_std_kpi_neglect_days": 30,
            "crm_health_snapshot_period": "week",
            "crm_health_snapshot_retention_months": 24,
        },
        "save": lambda settings: settings.execute(),
        "saved": lambda env: {
            name: param.value
            for param in env["ir.config_parameter"].sudo().search([("key", "=like", "crm_%")])
            for name in [param.key]
        },
    },
}


def _is_ours(field):
    return bool(field._modules) and set(field._modules) <= set(ADDONS)


class TestBadInput(TransactionCase):
    # Odoo tags only the test classes of addons by itself; this one lives outside them.
    test_tags = frozenset({"standard", "at_install"})
    test_module = "crm_process_std"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.editors = {
            model: new_test_user(
                cls.env, login=f"bad_input_{model.replace('.', '_')}", groups=spec["groups"]
            )
            for model, spec in CONFIG.items()
        }

    def _attempt(self, function):
        """Run ``function`` and roll it back; return the exception it raised, or None."""
        savepoint = self.env.cr.savepoint()
        try:
            function()
            self.env.flush_all()
        except Exception as error:  # noqa: BLE001 (the caller judges the exception)
            return error
        finally:
            savepoint.close(rollback=True)
        return None

    def _saved(self, model):
        saved = CONFIG[model].get("saved")
        return saved(self.env) if saved else None

    def _save(self, model, record):
        save = CONFIG[model].get("save")
        if save:
            save(record)

    def test_every_configuration_field_is_swept(self):
        missing = []
        for model, bad_values in BAD_VALUES.items():
            for name, field in self.env[model]._fields.items():
                if model == "res.config.settings" and not _is_ours(field):
                    continue
                if field.readonly or (field.compute and not field.inverse):
                    continue
                swept = field.type in SWEPT_TYPES or (
                    field.type in ("char", "text") and name.endswith("domain")
                )
                if swept and name not in bad_values and f"{model}.{name}" not in ANY_VALUE_VALID:
                    missing.append(f"{model}.{name} ({field.type})")
        self.assertFalse(
            missing,
            "configuration fields without invalid values in tests/test_bad_input.py "
            f"(add them to BAD_VALUES, or to ANY_VALUE_VALID with the reason): {missing}",
        )

    def test_invalid_values_refused_in_the_users_language_and_nothing_saved(self):
        problems = []
        for model, fields_values in BAD_VALUES.items():
            Model = self.env[model].with_user(self.editors[model])
            record = Model.create(CONFIG[model]["values"])
            self._save(model, record)
            for name, values in fields_values.items():
                for bad in values:
                    problems += self._sweep(record, name, bad)
        self.assertFalse(problems, "bad input accepted or badly refused:\n" + "\n".join(problems))

    def test_refusals_read_in_chinese_for_a_chinese_user(self):
        untranslated = []
        for model, fields_values in BAD_VALUES.items():
            Model = self.env[model].with_user(self.editors[model])
            for name, values in fields_values.items():
                for value in values:
                    if isinstance(value, Core):
                        continue

                    def create(Model, model=model, name=name, value=value):
                        record = Model.create({**CONFIG[model]["values"], name: value})
                        self._save(model, record)

                    english = self._attempt(
                        lambda c=create, M=Model: c(M.with_context(lang="en_US"))
                    )
                    chinese = self._attempt(
                        lambda c=create, M=Model: c(M.with_context(lang="zh_CN"))
                    )
                    if str(chinese) == str(english) or not CJK.search(str(chinese)):
                        untranslated.append(f"{model}.{name} = {value!r}: {chinese}")
        self.assertFalse(
            untranslated,
            "refusals not translated to zh_CN (run setup/i18n.sh, then translate them in "
            "i18n/zh_CN.po):\n" + "\n".join(untranslated),
        )

    def _sweep(self, record, name, bad):
        """Problems of one invalid value, at creation and at update of ``record``."""
        model = record._name
        core = isinstance(bad, Core)
        value = bad.value if core else bad
        label = f"{model}.{name} = {value!r}"
        expected = ValueError if core else (ValidationError, UserError)
        Model = self.env[model].with_user(record.env.user)
        count = None if Model._transient else Model.search_count([])
        before, saved = record[name], self._saved(model)

        def create(Model=Model):
            self._save(model, Model.create({**CONFIG[model]["values"], name: value}))

        def update():
            record.write({name: value})
            self._save(model, record)

        problems = []
        for path, function in (("create", create), ("update", update)):
            error = self._attempt(function)
            if not isinstance(error, expected):
                outcome = f"{type(error).__name__} ({error})" if error else "accepted"
                problems.append(f"{label} ({path}): {outcome}, expected {expected}")
                continue
            record.invalidate_recordset()
            if record[name] != before:
                problems.append(f"{label} ({path}): the record changed")
            if self._saved(model) != saved:
                problems.append(f"{label} ({path}): the saved configuration changed")
            if count is not None and Model.search_count([]) != count:
                problems.append(f"{label} ({path}): a record was created")
        return problems

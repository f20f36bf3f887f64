"""Bad-input sweep over the addons' configuration: every user-editable numeric, date,
selection and domain field refuses invalid values, at creation and at update, with a
message in the user's language, and leaves the record (and what it saved) unchanged.

The configuration models come from the menus: every model opened from CRM >
Configuration that the addons define or extend, and the lines edited inside them,
must be in CONFIG (``test_every_configuration_model_is_swept``). Their fields come from
the models themselves: a field missing from BAD_VALUES fails
``test_every_configuration_field_is_swept`` (add its invalid values, or list it in
ANY_VALUE_VALID with the reason).
"""

import re

import psycopg2

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from . import repository

ADDONS = repository.ADDONS
SWEPT_TYPES = ("integer", "float", "monetary", "date", "datetime", "selection")
CJK = re.compile(r"[\u4e00-\u9fff]")
PROCESS_ADMIN = "crm_process_std_base.group_process_admin"
# Domains no condition field may hold: unknown field, unparsable, not a list.
BAD_DOMAINS = ("[('no_such_field', '=', 1)]", "[('name', '=',", "name == 'x'")


class Core:
    """An invalid value no form can send (e.g. an unknown selection key): Odoo's ORM
    itself refuses it with a technical ValueError, untranslated (import and RPC only)."""

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return f"Core({self.value!r})"


def _bands(dimensions, points=50):
    """One open band [0, ∞) per dimension, as one2many commands."""
    return [
        Command.create({"dimension": dimension, "value_from": 0, "value_to": 0, "points": points})
        for dimension in dimensions
    ]


HEALTH_DIMENSIONS = ("recency", "frequency", "orders", "complaints", "needs")


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
        # new health activities per assignee and day: 0 is no cap, never negative
        "crm_health_activity_cap": (-1, -20),
    },
    "crm.stage": {},  # the addon adds guidance text and requirements only
    "crm.stage.requirement": {
        "kind": (Core("signature"),),
        "mode": (Core("maybe"),),
        "domain": BAD_DOMAINS,
    },
    # the field of the valid record is a lead field: "Customer" does not match it
    "crm.completeness.field": {
        "model_name": (Core("sale.order"), "res.partner"),
        "weight": (0.0, -1.0),
    },
    "crm.cadence.rule": {
        "applies_to": (Core("order"),),
        "customer_tier": (Core("platinum"),),
        "domain": BAD_DOMAINS,
        "interval_days": (0.0, -7.0),
        "channel": (Core("fax"),),
        # "a chosen user" without choosing one
        "assignee": (Core("nobody"), "user"),
        "escalation_days": (-1.0,),
        "escalation_target": (Core("ceo"), "user"),
    },
    # valid node: lead created -> lead assigned, escalate after 1 h, reassign after 48 h
    "crm.sla.node": {
        # a complaint start with a lead stop, a stage event without a stage
        "start_event": (Core("lead_lost"), "complaint_opened", "stage_entered"),
        "stop_event": (Core("never"), "complaint_answered", "stage_left"),
        "complaint_severity": (Core("critical"),),
        "time_limit_hours": (0.0, -1.0),
        "responsible": (Core("nobody"),),
        "escalate_leader_after_hours": (-1.0, 72.0),
        "reassign_after_hours": (-1.0, 0.5),
    },
    "crm.handoff.checklist.template": {},
    "crm.handoff.checklist.item": {},
    "crm.approval.level": {"min_amount": (-1.0, -1000000.0)},
    # valid target: a % KPI, at least 80, attention below 60
    "crm.kpi.target": {
        "kpi_code": ("happiness",),  # the KPI list is computed: the ORM accepts any key
        "comparison": (Core("=="),),
        "target_value": (-1.0, 100.5),
        "attention_value": (-1.0, 101.0, 95.0),
    },
    "crm.feedback.question": {"topic": (Core("salary"),)},
    # (its state is set by the run only: refused for every value, see test_protected_fields)
    "crm.process.diagnosis": {"months": (0, -1, 37)},
    "crm.improvement.task": {"area": (Core("budget"),), "state": (Core("blocked"),)},
    # valid scorecard: weights 20 each, one open band per dimension, risk 60 / 90
    "crm.health.scorecard": {
        "weight_recency": (-5, 101, 30),
        "weight_frequency": (-1, 120),
        "weight_orders": (-20, 0),
        "weight_complaints": (-1, 50),
        "weight_needs": (-1, 21),
        "low_risk_threshold": (101, 60, 0),
        "medium_risk_threshold": (0, -10, 90),
        "complaint_unresolved_factor": (0.5, 0.0, -1.0),
        "min_data_weight": (0, -1, 101),
        # a second recency band overlapping the open one
        "band_ids": (
            [
                Command.create(
                    {"dimension": "recency", "value_from": 5, "value_to": 10, "points": 10}
                )
            ],
        ),
    },
    # valid band: the only "needs" band, [0, ∞), of a scorecard not weighting needs
    "crm.health.band": {
        "dimension": (Core("mood"), "recency"),  # recency has its band: they overlap
        "value_from": (-1.0, 5.0),  # the first band must start at 0
        "value_to": (-1.0, 10.0),  # the last band must stay open
        "points": (-1, 101),
    },
    "crm.health.intervention.rule": {
        "risk_level": (Core("extreme"),),
        "dimension": (Core("mood"),),
        "max_points": (-1, 101),
        "activity_due_days": (-1, -30),
        "assignee": (Core("robot"), "user"),
    },
    # Backfill History: at least one month (more than the history kept is clamped)
    "crm.health.backfill": {"months": (0, -12)},
    "crm.industry.template.wizard": {
        "template": (Core("bakery"),),
        "state": (Core("applying"),),
    },
    "crm.process.map": {},
}

ORDER_ONLY = "a sequence only orders the records: every integer is valid"
# Fields of the swept models for which every value of their type is valid:
# "model.field" -> why.
ANY_VALUE_VALID = {
    **{
        f"{model}.sequence": ORDER_ONLY
        for model in (
            "crm.stage.requirement",
            "crm.completeness.field",
            "crm.cadence.rule",
            "crm.sla.node",
            "crm.handoff.checklist.template",
            "crm.handoff.checklist.item",
            "crm.approval.level",
            "crm.kpi.target",
            "crm.feedback.question",
            "crm.improvement.task",
            "crm.health.scorecard",
            "crm.health.intervention.rule",
        )
    },
    "crm.kpi.target.date_deadline": "a time-bound target may be due on any day, a past "
    "one records a deadline met or missed",
    "crm.improvement.task.date_planned": "a plan may be dated on any day, a past date "
    "records when a task was planned",
    "crm.improvement.task.color": "a kanban colour index: an unknown index shows no colour",
}

# Models opened from CRM > Configuration, or edited inside them, that are no
# configuration (they are not swept): model -> why.
NOT_CONFIGURATION = {
    "crm.sla.timer": "the timers of a node, started and stopped by the SLA engine",
    "crm.process.diagnosis.line": "the figures a diagnosis run writes, read-only results",
}


def _fixtures(env):
    """Records the valid configuration records refer to."""
    Field = env["ir.model.fields"]
    configured = env["crm.completeness.field"].with_context(active_test=False).search([]).field_id
    candidates = Field.search(
        [
            ("model", "=", "crm.lead"),
            ("name", "in", list(env["crm.lead"]._completeness_candidate_fields)),
            ("id", "not in", configured.ids),
        ]
    )
    kpis = env["crm.kpi"]._kpi_definitions()
    targeted = set(
        env["crm.kpi.target"]
        .with_context(active_test=False)
        .search([("company_id", "=", env.company.id)])
        .mapped("kpi_code")
    )
    return {
        "email_field": Field._get("crm.lead", "email_from"),
        "completeness_field": candidates[:1],
        "kpi_code": next(
            code
            for code, definition in kpis.items()
            if definition["unit"] == "percent" and code not in targeted
        ),
        "checklist": env["crm.handoff.checklist.template"].create(
            {"name": "Bad input checklist", "active": False}
        ),
        # needs weighs nothing and has no band: a band [0, ∞) of it is valid
        "scorecard": env["crm.health.scorecard"].create(
            {
                "name": "Bad input band scorecard",
                "active": False,
                "weight_recency": 25,
                "weight_frequency": 25,
                "weight_orders": 25,
                "weight_complaints": 25,
                "weight_needs": 0,
                "band_ids": _bands(HEALTH_DIMENSIONS[:4]),
            }
        ),
    }


# How to make a valid record of each configuration model (values, or a function of
# the environment and the fixtures), who edits it, and what it saves besides itself
# (settings live in ir.config_parameter).
CONFIG = {
    "res.config.settings": {
        "groups": "crm_process_std_base.group_process_admin,base.group_system",
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
            "crm_health_activity_cap": 20,
        },
        "save": lambda settings: settings.execute(),
        "saved": lambda env: {
            name: param.value
            for param in env["ir.config_parameter"].sudo().search([("key", "=like", "crm_%")])
            for name in [param.key]
        },
    },
    "crm.stage": {"groups": PROCESS_ADMIN, "values": {"name": "Bad input stage"}},
    "crm.stage.requirement": {
        "groups": PROCESS_ADMIN,
        "values": lambda env, fixtures: {
            "name": "Bad input requirement",
            "stage_id": env.ref("crm.stage_lead3").id,
            "kind": "field",
            "lead_field_ids": [Command.set(fixtures["email_field"].ids)],
            "domain": "[('expected_revenue', '>', 1000000000)]",
            "mode": "warn",
        },
    },
    "crm.completeness.field": {
        "groups": PROCESS_ADMIN,
        "values": lambda env, fixtures: {
            "model_name": "crm.lead",
            "field_id": fixtures["completeness_field"].id,
            "weight": 2.0,
        },
    },
    "crm.cadence.rule": {
        "groups": PROCESS_ADMIN,
        "values": {
            "name": "Bad input cadence",
            "applies_to": "lead",
            "domain": "[('expected_revenue', '>', 1000000000)]",
            "interval_days": 7.0,
            "assignee": "owner",
            "escalation_days": 2.0,
            "escalation_target": "team_leader",
        },
    },
    "crm.sla.node": {
        "groups": PROCESS_ADMIN,
        "values": {
            "name": "Bad input node",
            "start_event": "lead_created",
            "stop_event": "lead_assigned",
            "time_limit_hours": 24.0,
            "responsible": "record_owner",
            "escalate_leader_after_hours": 1.0,
            "reassign_after_hours": 48.0,
        },
    },
    "crm.handoff.checklist.template": {
        "groups": PROCESS_ADMIN,
        "values": {"name": "Bad input checklist template", "active": False},
    },
    "crm.handoff.checklist.item": {
        "groups": PROCESS_ADMIN,
        "values": lambda env, fixtures: {
            "template_id": fixtures["checklist"].id,
            "name": "Contract attached",
        },
    },
    "crm.approval.level": {
        "groups": PROCESS_ADMIN,
        "values": lambda env, fixtures: {
            "name": "Bad input approval",
            "min_amount": 1000000000.0,
            "approver_group_id": env.ref(PROCESS_ADMIN).id,
            "active": False,
        },
    },
    "crm.kpi.target": {
        "groups": PROCESS_ADMIN,
        "values": lambda env, fixtures: {
            "kpi_code": fixtures["kpi_code"],
            "company_id": env.company.id,
            "comparison": ">=",
            "target_value": 80.0,
            "flag_attention": True,
            "attention_value": 60.0,
        },
    },
    "crm.feedback.question": {
        "groups": PROCESS_ADMIN,
        "values": {"name": "Are the reminders useful?", "topic": "reminders"},
    },
    "crm.process.diagnosis": {
        "groups": PROCESS_ADMIN,
        "values": {"name": "Bad input diagnosis", "months": 6},
    },
    "crm.improvement.task": {
        "groups": PROCESS_ADMIN,
        "values": {"name": "Map the handoff", "area": "process", "state": "not_started"},
    },
    "crm.health.scorecard": {
        "groups": PROCESS_ADMIN,
        "values": {
            "name": "Bad input scorecard",
            "active": False,
            **{f"weight_{dimension}": 20 for dimension in HEALTH_DIMENSIONS},
            "band_ids": _bands(HEALTH_DIMENSIONS),
            "low_risk_threshold": 90,
            "medium_risk_threshold": 60,
            "complaint_unresolved_factor": 2.0,
            "min_data_weight": 60,
        },
    },
    "crm.health.band": {
        "groups": PROCESS_ADMIN,
        "values": lambda env, fixtures: {
            "scorecard_id": fixtures["scorecard"].id,
            "dimension": "needs",
            "value_from": 0.0,
            "value_to": 0.0,
            "points": 50,
        },
    },
    "crm.health.intervention.rule": {
        "groups": PROCESS_ADMIN,
        "values": {
            "name": "Call back",
            "risk_level": "high",
            "dimension": "recency",
            "max_points": 50,
            "suggestion": "Call the customer.",
            "activity_due_days": 3,
            "assignee": "salesperson",
            "active": False,
        },
    },
    "crm.health.backfill": {"groups": PROCESS_ADMIN, "values": {"months": 12}},
    "crm.industry.template.wizard": {
        "groups": PROCESS_ADMIN,
        "values": {"template": "retail_store"},
    },
    "crm.process.map": {"groups": PROCESS_ADMIN, "values": {}},
}


def _is_ours(field):
    return bool(field._modules) and set(field._modules) <= set(ADDONS)


def _model_is_ours(model):
    return type(model)._original_module in ADDONS


def _swept_fields(model):
    """{name: field} of the user-editable fields of ``model`` the sweep covers: all of
    an addon model's, the addons' own on a model they extend."""
    ours = _model_is_ours(model)
    return {
        name: field
        for name, field in model._fields.items()
        if (ours or _is_ours(field))
        and not field.readonly
        and not (field.compute and not field.inverse)
        and (
            field.type in SWEPT_TYPES
            or (field.type in ("char", "text") and name.endswith("domain"))
        )
    }


def _configuration_models(env):
    """Models opened from the menus under CRM > Configuration that the addons define
    or extend, and the addons' lines edited inside them (their editable one2many)."""
    menus = (
        env["ir.ui.menu"]
        .sudo()
        .with_context(**{"ir.ui.menu.full_list": True, "active_test": False})
        .search([("id", "child_of", env.ref("crm.crm_menu_config").id)])
    )
    # a window action opens its model; a server action (e.g. the process map's, which
    # saves the map it opens) works on its model
    todo = [
        menu.action.res_model
        if menu.action._name == "ir.actions.act_window"
        else menu.action.model_id.model
        for menu in menus
        if menu.action and menu.action._name in ("ir.actions.act_window", "ir.actions.server")
    ]
    found = set()
    while todo:
        name = todo.pop()
        model = env[name]
        if name in found or not (
            _model_is_ours(model) or any(_is_ours(field) for field in model._fields.values())
        ):
            continue
        found.add(name)
        todo += [
            field.comodel_name
            for field in model._fields.values()
            if field.type == "one2many"
            and not field.readonly
            and not (field.compute and not field.inverse)
            and _model_is_ours(env[field.comodel_name])
        ]
    return found - set(NOT_CONFIGURATION)


@tagged("post_install", "-at_install")
class TestBadInput(TransactionCase):
    # Odoo tags only the test classes of addons by itself; this one lives outside them.
    test_tags = frozenset({"standard", "at_install"})
    test_module = "crm_process_std"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # as in a database with Chinese installed: the addons' model terms (constraint
        # messages, labels) in Chinese too, not only their Python messages
        cls.env["ir.module.module"]._load_module_terms(list(ADDONS), ["zh_CN"])
        cls.editors = {
            model: new_test_user(
                cls.env, login=f"bad_input_{model.replace('.', '_')}", groups=spec["groups"]
            )
            for model, spec in CONFIG.items()
        }
        fixtures = _fixtures(cls.env)
        cls.valid_values = {
            model: spec["values"](cls.env, fixtures)
            if callable(spec["values"])
            else dict(spec["values"])
            for model, spec in CONFIG.items()
        }

    def _attempt(self, function):
        """Run ``function`` and roll it back; return the exception it raised, or None.

        A violated SQL constraint reads as Odoo's RPC layer shows it: a ValidationError
        with the constraint's (translated) message."""
        savepoint = self.env.cr.savepoint()
        error = None
        try:
            with mute_logger("odoo.sql_db"):  # a refusing SQL constraint logs its query
                function()
                self.env.flush_all()
        except Exception as exception:  # noqa: BLE001 (the caller judges the exception)
            error = exception
        finally:
            savepoint.close(rollback=True)
        if isinstance(error, psycopg2.IntegrityError):
            return self._constraint_refusal(error) or error
        return error

    def _constraint_refusal(self, error):
        """The ValidationError a user sees for ``error``, if its constraint has a message."""
        name, table = error.diag.constraint_name, error.diag.table_name
        for model_name in CONFIG:
            model = self.env[model_name]
            constraint = model._table_objects.get(name)
            if model._table == table and constraint and constraint.message:
                lang = getattr(error, "lang", None) or self.env.lang
                message = model.with_context(lang=lang)._sql_error_to_message(error)
                return ValidationError(message)
        return None

    def _saved(self, model):
        saved = CONFIG[model].get("saved")
        return saved(self.env) if saved else None

    def _save(self, model, record):
        save = CONFIG[model].get("save")
        if save:
            save(record)

    def test_every_configuration_model_is_swept(self):
        models = _configuration_models(self.env)
        self.assertIn("crm.health.band", models)  # found through the scorecard's bands
        self.assertFalse(
            sorted(models - set(CONFIG)),
            "configuration models (opened from CRM > Configuration, or edited inside such "
            "a model) missing from CONFIG in test_bad_input.py (add them with "
            "their invalid values, or to NOT_CONFIGURATION with the reason)",
        )
        self.assertFalse(
            sorted(set(CONFIG) - models),
            "models in CONFIG no longer reachable from CRM > Configuration",
        )
        self.assertEqual(set(BAD_VALUES), set(CONFIG))

    def test_every_configuration_field_is_swept(self):
        missing, unknown = [], []
        for model, bad_values in BAD_VALUES.items():
            fields = _swept_fields(self.env[model])
            missing += [
                f"{model}.{name} ({field.type})"
                for name, field in fields.items()
                if name not in bad_values and f"{model}.{name}" not in ANY_VALUE_VALID
            ]
            unknown += [
                f"{model}.{name}" for name in bad_values if name not in self.env[model]._fields
            ]
        self.assertFalse(
            missing,
            "configuration fields without invalid values in test_bad_input.py "
            f"(add them to BAD_VALUES, or to ANY_VALUE_VALID with the reason): {missing}",
        )
        self.assertFalse(unknown, "BAD_VALUES lists fields that do not exist")

    def test_invalid_values_refused_in_the_users_language_and_nothing_saved(self):
        problems = []
        for model, fields_values in BAD_VALUES.items():
            Model = self.env[model].with_user(self.editors[model])
            record = Model.create(self.valid_values[model])
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
                        record = Model.create({**self.valid_values[model], name: value})
                        self._save(model, record)

                    english = self._attempt(
                        lambda c=create, M=Model: c(M.with_context(lang="en_US"))
                    )
                    chinese = self._attempt(lambda c=create, M=Model: self._in_lang(c, M, "zh_CN"))
                    if str(chinese) == str(english) or not CJK.search(str(chinese)):
                        untranslated.append(f"{model}.{name} = {value!r}: {chinese}")
        self.assertFalse(
            untranslated,
            "refusals not translated to zh_CN (run setup/i18n.sh, then translate them in "
            "i18n/zh_CN.po):\n" + "\n".join(untranslated),
        )

    def _in_lang(self, create, Model, lang):
        """``create`` in ``lang``; a refusing SQL constraint answers in it too."""
        try:
            create(Model.with_context(lang=lang))
            self.env.flush_all()
        except psycopg2.IntegrityError as error:
            error.lang = lang
            raise

    def _sweep(self, record, name, bad):
        """Problems of one invalid value, at creation and at update of ``record``."""
        model = record._name
        core = isinstance(bad, Core)
        value = bad.value if core else bad
        label = f"{model}.{name} = {value!r}"
        expected = ValueError if core else (ValidationError, UserError)
        Model = self.env[model].with_user(record.env.user)
        All = Model.with_context(active_test=False)
        count = None if Model._transient else All.search_count([])
        before, saved = record[name], self._saved(model)

        def create(Model=Model):
            self._save(model, Model.create({**self.valid_values[model], name: value}))

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
            if count is not None and All.search_count([]) != count:
                problems.append(f"{label} ({path}): a record was created")
        return problems

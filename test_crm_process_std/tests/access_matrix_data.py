"""The access matrix of test_access_matrix.py: roles, expected rights per model and
role (MATRIX) and how to make the records of each model (RECORDS). See the test module's
docstring for the meaning of each entry."""

from datetime import date, datetime

from odoo import Command
from odoo.tests import new_test_user

# Roles of the process (README "Roles"): the groups of each test user. "other_company"
# works in company B only; every other role works in company A.
ROLES = {
    "salesperson_own": "sales_team.group_sale_salesman",
    "salesperson_all": "sales_team.group_sale_salesman_all_leads",
    "sales_manager": "sales_team.group_sale_manager",
    "director": "crm_process_std_base.group_sales_director",
    "after_sales": "crm_process_std_base.group_after_sales",
    "customer_success": "crm_process_std_base.group_customer_success",
    "process_admin": "crm_process_std_base.group_process_admin",
    "administrator": "crm_process_std_base.group_process_admin,base.group_system",
    "portal": "base.group_portal",
    "other_company": "sales_team.group_sale_salesman_all_leads",
}


def make_role_fixtures(cls, prefix, label, roles=None):
    """Set on test class ``cls`` what the RECORDS factories read (the two companies, a
    customer, a feedback question) and one user per role of ``roles`` (default ROLES;
    "other_company" works in company B), logged in as ``<prefix>_<role>``."""
    cls.company_a = cls.env.company
    cls.company_b = cls.env["res.company"].create({"name": f"{label} Company B"})
    cls.customer = cls.env["res.partner"].create(
        {"name": f"{label} Customer Ltd", "is_company": True}
    )
    cls.feedback_question = cls.env["crm.feedback.question"].create(
        {"name": "What slows you down?"}
    )
    cls.users = {}
    for role, groups in (ROLES if roles is None else roles).items():
        company = cls.company_b if role == "other_company" else cls.company_a
        cls.users[role] = new_test_user(
            cls.env,
            login=f"{prefix}_{role}",
            groups=groups,
            company_id=company.id,
            company_ids=[company.id],
        )


STAFF = ("salesperson_own", "salesperson_all", "after_sales", "customer_success")
MANAGERS = ("sales_manager", "director")
ADMINS = ("process_admin", "administrator")


def row(staff, managers, admins, other_company, **exceptions):
    """A MATRIX row: the same cell for the four staff roles, for the sales manager and the
    director, for both process administrators; portal users get nothing. ``exceptions``
    override single roles."""
    cells = {role: staff for role in STAFF}
    cells.update({role: managers for role in MANAGERS})
    cells.update({role: admins for role in ADMINS})
    cells.update(portal=("", ""), other_company=other_company)
    cells.update(exceptions)
    return cells


# Configuration: every sales user reads the rules of their companies (and the shared
# ones), only process administrators change them.
CONFIGURATION = row(("r", "all"), ("r", "all"), ("crud", "all"), ("r", "all"))
# Wizards and reports of the process administrator only.
ADMIN_ONLY = row(("", ""), ("", ""), ("crud", "all"), ("", ""))

# model -> role -> (operations allowed, records seen). Operations: "c"reate, "r"ead,
# "u"pdate (write), "d"elete (unlink), on a record of the role ("mine"). Seen: "mine" =
# its own records, "own" = its own and unassigned records (CRM's "own documents only"),
# "all" = every record of its company and the shared ones (no company), "" = none; None:
# not checked. Records of a company the user does not work in are never seen. Update /
# delete of a colleague's record follow "seen".
MATRIX = {
    # -- Staff documents: follow CRM's "own documents only" ------------------------------
    # Follow-ups always have an owner: "own documents" shows the salesperson's own and
    # those about their leads and customers.
    "crm.followup": row(
        ("cru", "mine"),
        ("crud", "all"),
        ("crud", "all"),
        ("cru", "all"),
        salesperson_all=("cru", "all"),
    ),
    # Complaints: salespeople see the ones they own, created, or about their leads and
    # customers; after-sales users also see those waiting for an owner.
    "crm.complaint": row(
        ("cru", "mine"),
        ("crud", "all"),
        ("crud", "all"),
        ("cru", "all"),
        salesperson_all=("cru", "all"),
        after_sales=("cru", "own"),
    ),
    # Handoffs: the sender (or the lead's salesperson, or the receiver) works on it;
    # only managers delete one.
    "crm.handoff": row(
        ("cru", "mine"),
        ("crud", "all"),
        ("crud", "all"),
        ("cru", "all"),
        salesperson_all=("cru", "all"),
    ),
    # The sender keeps the checklist of the handoffs they see (editable list).
    "crm.handoff.checklist.line": row(
        ("crud", "mine"),
        ("crud", "all"),
        ("crud", "all"),
        ("crud", "all"),
        salesperson_all=("crud", "all"),
    ),
    # Deal approvals change only through request / approve / reject (run as superuser
    # after their own checks): nobody edits or deletes them directly.
    "crm.lead.approval": row(
        ("r", "own"),
        ("r", "all"),
        ("r", "all"),
        ("r", "all"),
        salesperson_all=("r", "all"),
    ),
    # Process deviations are logged by the stage checks (nobody creates one by hand);
    # managers explain them (reason).
    "crm.stage.deviation": row(
        ("r", "own"),
        ("ru", "all"),
        ("rud", "all"),
        ("r", "all"),
        salesperson_all=("r", "all"),
    ),
    # SLA timers are run by the process itself (nobody writes one); staff see their own.
    "crm.sla.timer": row(
        ("r", "mine"),
        ("r", "all"),
        ("rd", "all"),
        ("r", "all"),
        salesperson_all=("r", "all"),
    ),
    # Monthly staff feedback: each salesperson answers their own; the process
    # administrator reads every answer (managers see only their own: it is candid).
    "crm.feedback.request": row(("ru", "mine"), ("ru", "mine"), ("crud", "all"), ("ru", "mine")),
    "crm.feedback.answer": row(("ru", "mine"), ("ru", "mine"), ("crud", "all"), ("ru", "mine")),
    # -- Customer health: customer success and managers ----------------------------------
    # Computed by the engine (nobody creates one by hand); managers and customer success
    # override it; salespeople on "own documents" see their customers'.
    "crm.health.score": row(
        ("r", "mine"),
        ("ru", "all"),
        ("rud", "all"),
        ("r", "all"),
        salesperson_all=("r", "all"),
        customer_success=("ru", "all"),
    ),
    "crm.health.snapshot": row(
        ("r", "mine"),
        ("r", "all"),
        ("rd", "all"),
        ("r", "all"),
        salesperson_all=("r", "all"),
        customer_success=("r", "all"),
    ),
    "crm.health.scorecard": CONFIGURATION,
    "crm.health.band": CONFIGURATION,
    "crm.health.intervention.rule": CONFIGURATION,
    # Scorecard backtests: run by process administrators, read by sales managers (counts
    # and rates only); their lines are written by the run only, replaced as a whole.
    "crm.health.backtest": row(("", ""), ("r", "all"), ("crud", "all"), ("", "")),
    "crm.health.backtest.line": row(("", ""), ("r", "all"), ("r", "all"), ("", "")),
    "crm.health.backtest.dimension": row(("", ""), ("r", "all"), ("r", "all"), ("", "")),
    # -- Configuration ---------------------------------------------------------------------
    "crm.approval.level": CONFIGURATION,
    "crm.cadence.rule": CONFIGURATION,
    "crm.completeness.field": CONFIGURATION,
    "crm.feedback.question": CONFIGURATION,
    "crm.handoff.checklist.template": CONFIGURATION,
    "crm.handoff.checklist.item": CONFIGURATION,
    "crm.kpi.target": CONFIGURATION,
    "crm.sla.node": CONFIGURATION,
    "crm.stage.requirement": CONFIGURATION,
    # The improvement plan is shared with the whole sales staff, kept by the administrator.
    "crm.improvement.task": CONFIGURATION,
    # -- KPIs and diagnosis ----------------------------------------------------------------
    # Monthly figures: salespeople see the overall ones and their own, managers everyone's.
    # Measured, never typed in: administrators take and delete them, nobody edits them.
    "crm.kpi.snapshot": row(("r", "own"), ("r", "all"), ("rd", "all"), ("r", "own")),
    # Live report (SQL view, read-only for everyone): rows like CRM's leads.
    "crm.kpi.report": row(
        ("r", "own"),
        ("r", "all"),
        ("r", "all"),
        ("r", "all"),
        salesperson_all=("r", "all"),
    ),
    "crm.process.diagnosis": row(("", ""), ("r", "all"), ("crud", "all"), ("", "")),
    "crm.process.diagnosis.line": row(("", ""), ("r", "all"), ("rd", "all"), ("", "")),
    # -- Wizards (transient): their creator's ----------------------------------------------
    "crm.handoff.decision": row(("cru", "mine"), ("cru", "mine"), ("cru", "mine"), ("cru", "mine")),
    "crm.lead.approval.decision": row(
        ("cru", "mine"), ("cru", "mine"), ("cru", "mine"), ("cru", "mine")
    ),
    "crm.stage.exception.wizard": row(("", ""), ("cru", "mine"), ("cru", "mine"), ("", "")),
    "crm.kpi.comparison": row(("", ""), ("crud", "mine"), ("crud", "mine"), ("", "")),
    "crm.kpi.comparison.line": row(("", ""), ("crud", "mine"), ("crud", "mine"), ("", "")),
    "crm.kpi.snapshot.wizard": row(("", ""), ("", ""), ("crud", "mine"), ("", "")),
    "crm.health.backfill": row(("", ""), ("", ""), ("crud", "mine"), ("", "")),
    # The backfills asked for: written by the engine only, read by process admins.
    "crm.health.backfill.run": row(("", ""), ("", ""), ("r", "all"), ("", "")),
    "crm.kpi.target.proposal": row(("", ""), ("", ""), ("crud", "mine"), ("", "")),
    "crm.kpi.target.proposal.line": row(("", ""), ("", ""), ("crud", "mine"), ("", "")),
    "crm.industry.template.wizard": row(("", ""), ("", ""), ("cru", "mine"), ("", "")),
    "crm.process.map": row(("", ""), ("", ""), ("cru", "mine"), ("", "")),
    # -- The addons' settings: only the "Administration: Settings" right opens them --------
    "res.config.settings": row(
        ("", None),
        ("", None),
        ("", None),
        ("", None),
        administrator=("cru", None),
        portal=("", None),
    ),
}


# -- Record factories ----------------------------------------------------------------------
# Each takes (case, owner, company): ``owner`` is a res.users record (empty: unassigned or
# ownerless), ``company`` a res.company record (empty: shared). They run as superuser and
# make fresh parent records each time (a record made during a test is rolled back with it).


def _next(case):
    case.sequence_number = getattr(case, "sequence_number", 0) + 1
    return case.sequence_number


def _customer(case, owner):
    return (
        case.env["res.partner"]
        .sudo()
        .create({"name": f"Matrix Customer {_next(case)}", "is_company": True, "user_id": owner.id})
    )


def _lead(case, owner, company):
    return (
        case.env["crm.lead"]
        .sudo()
        .with_company(company or case.company_a)
        .create(
            {
                "name": f"Matrix deal {_next(case)}",
                "type": "opportunity",
                "partner_id": case.customer.id,
                "user_id": owner.id,
                "team_id": False,
                "company_id": company.id,
                "expected_revenue": 50000,
            }
        )
    )


def _handoff(case, owner, company):
    return (
        case.env["crm.handoff"]
        .sudo()
        .create(
            {
                "name": "Handover of Matrix Customer",
                "lead_id": _lead(case, owner, company).id,
                "sender_id": owner.id,
                "company_id": company.id,
            }
        )
    )


def _health(case, owner, company):
    return (
        case.env["crm.health.score"]
        .sudo()
        .create(
            {
                "partner_id": _customer(case, owner).id,
                "user_id": owner.id,
                "company_id": company.id,
            }
        )
    )


def _approval_level(case, company):
    return (
        case.env["crm.approval.level"]
        .sudo()
        .create(
            {
                "name": f"Matrix level {_next(case)}",
                "min_amount": 1000000 + _next(case),
                "company_id": company.id,
                "approver_group_id": case.env.ref("crm_process_std_base.group_sales_director").id,
            }
        )
    )


def _approval(case, owner, company):
    return {
        "lead_id": _lead(case, owner, company).id,
        "level_id": _approval_level(case, company).id,
        "requested_by_id": owner.id,
        "state": "pending",
    }


def _scorecard_values(case, company):
    """An inactive scorecard (one active per company) scoring recency alone."""
    weights = {f"weight_{name}": 0 for name in ("frequency", "orders", "complaints", "needs")}
    return {
        "name": f"Matrix scorecard {_next(case)}",
        "company_id": company.id,
        "active": False,
        "weight_recency": 100,
        **weights,
        "band_ids": [Command.create({"dimension": "recency", "value_from": 0, "points": 100})],
    }


def _scorecard(case, company):
    return case.env["crm.health.scorecard"].sudo().create(_scorecard_values(case, company))


def _backtest(case, company):
    return (
        case.env["crm.health.backtest"]
        .sudo()
        .create({"scorecard_id": _scorecard(case, company).id})
    )


def _checklist_template(case, company):
    return (
        case.env["crm.handoff.checklist.template"]
        .sudo()
        .create({"name": f"Matrix checklist {_next(case)}", "company_id": company.id})
    )


def _sla_node(case, company):
    return (
        case.env["crm.sla.node"]
        .sudo()
        .create(
            {
                "name": f"Matrix node {_next(case)}",
                "company_id": company.id,
                "start_event": "lead_created",
                "stop_event": "followup_logged",
                "time_limit_hours": 24,
                "team_ids": [Command.set([])],
                "active": False,
            }
        )
    )


def _diagnosis(case, company):
    return (
        case.env["crm.process.diagnosis"]
        .sudo()
        .create({"name": f"Matrix diagnosis {_next(case)}", "company_id": company.id})
    )


def _free_kpi_code(case, company):
    """A KPI without a target in ``company`` (one target per KPI and company): when every
    KPI has one (the shared default targets), the last one is removed (rolled back with
    the test)."""
    targets = (
        case.env["crm.kpi.target"]
        .sudo()
        .with_context(active_test=False)
        .search([("company_id", "=", company.id)])
    )
    used = set(targets.mapped("kpi_code"))
    codes = [code for code, _label in case.env["crm.kpi"]._kpi_selection()]
    free = [code for code in codes if code not in used]
    if free:
        return free[0]
    code = targets[-1].kpi_code
    targets[-1].unlink()
    return code


def _free_completeness_field(case):
    Lead = case.env["crm.lead"]
    used = set(
        case.env["crm.completeness.field"]
        .sudo()
        .with_context(active_test=False)
        .search([("model_name", "=", "crm.lead")])
        .field_id.mapped("name")
    )
    name = next(name for name in Lead._completeness_candidate_fields if name not in used)
    return case.env["ir.model.fields"]._get("crm.lead", name)


def _month(case):
    """A distinct first day of a month for period-unique records."""
    number = _next(case)
    return date(2000 + number // 12, number % 12 + 1, 1)


# model -> how to make a record for the checks:
#   "values": function(case, owner, company) -> values of a valid record; None when
#       nobody creates the model's records (SQL view): creating ``{}`` is then checked
#       (refused for every role) and "find" gives the records,
#   "find": function(case, owner, company) -> existing records of that owner / company,
#   "write": values of a harmless update,
#   "owner": how records are owned: "user" (a salesperson field, made by the factory from
#       ``owner``), "creator" (``create_uid``: wizards), None (no owner),
#   "unassigned": also check a record without owner (CRM's own documents show those),
#   "company": "required" (checked with a record of the other company), "optional" (also
#       with a shared record without company), None (the model holds no company),
#   "save": optional function(record) that commits the record's effect (settings).
RECORDS = {
    "crm.followup": {
        "values": lambda case, owner, company: {
            "partner_id": case.customer.id,
            "user_id": owner.id,
            "company_id": company.id,
            "previous_conclusion": "Budget confirmed",
            "value_delivered": "Price list sent",
            "next_step": "Send the offer",
        },
        "write": {"next_step": "Call back on Monday"},
        "owner": "user",
        "company": "required",
    },
    "crm.complaint": {
        "values": lambda case, owner, company: {
            "name": "Late delivery",
            "partner_id": case.customer.id,
            "user_id": owner.id,
            "company_id": company.id,
        },
        "write": {"name": "Late delivery of the spare parts"},
        "owner": "user",
        "unassigned": True,
        "company": "required",
    },
    "crm.handoff": {
        "values": lambda case, owner, company: {
            "name": "Handover of Matrix Customer",
            "lead_id": _lead(case, owner, company).id,
            "sender_id": owner.id,
            "company_id": company.id,
        },
        "write": {"open_issues": "<p>Spare parts on order</p>"},
        "owner": "user",
        "company": "required",
    },
    "crm.handoff.checklist.line": {
        "values": lambda case, owner, company: {
            "handoff_id": _handoff(case, owner, company).id,
            "name": "Signed contract attached",
        },
        "write": {"note": "In the shared folder"},
        "owner": "user",
        "company": "required",
    },
    "crm.lead.approval": {
        "values": _approval,
        "write": {"comment": "Approved by phone"},
        "owner": "user",
        "unassigned": True,
        "company": "required",
    },
    "crm.stage.deviation": {
        "values": lambda case, owner, company: {
            "lead_id": _lead(case, owner, company).id,
            "stage_id": case.env.ref("crm.stage_lead3").id,
            "kind": "warning",
            "lead_user_id": owner.id,
            "company_id": company.id,
            "missing_items": "Phone",
        },
        "write": {"reason": "Customer asked to skip"},
        "owner": "user",
        "unassigned": True,
        "company": "required",
    },
    "crm.sla.timer": {
        "values": lambda case, owner, company: {
            "node_id": _sla_node(case, company).id,
            "lead_id": _lead(case, owner, company).id,
            "user_id": owner.id,
            "company_id": company.id,
            "date_start": datetime(2026, 1, 5, 9),
            "date_deadline": datetime(2026, 1, 6, 9),
        },
        "write": {"date_deadline": datetime(2026, 1, 7, 9)},
        "owner": "user",
        "unassigned": True,
        "company": "required",
    },
    "crm.feedback.request": {
        "values": lambda case, owner, company: {
            "user_id": owner.id,
            "period_start": _month(case),
            "company_id": company.id,
        },
        "write": {"answer_ids": []},
        "owner": "user",
        "company": "required",
    },
    "crm.feedback.answer": {
        "values": lambda case, owner, company: {
            "request_id": case.env["crm.feedback.request"]
            .sudo()
            .create({"user_id": owner.id, "period_start": _month(case), "company_id": company.id})
            .id,
            "question_id": case.feedback_question.id,
        },
        "write": {"comment": "The cadence reminders come too often."},
        "owner": "user",
        "company": "required",
    },
    "crm.health.score": {
        "values": lambda case, owner, company: {
            "partner_id": _customer(case, owner).id,
            "user_id": owner.id,
            "company_id": company.id,
        },
        "write": {"override_reason": "Key account under review"},
        "owner": "user",
        "unassigned": True,
        "company": "required",
    },
    "crm.health.snapshot": {
        "values": lambda case, owner, company: {
            "partner_id": _health(case, owner, company).partner_id.id,
            "company_id": company.id,
            "period_start": date(2026, 1, 1),
            "score": 70,
        },
        "write": {"score": 72},
        "owner": "user",
        "unassigned": True,
        "company": "required",
    },
    "crm.health.scorecard": {
        "values": lambda case, owner, company: _scorecard_values(case, company),
        "write": {"low_risk_threshold": 75},
        "owner": None,
        "company": "optional",
    },
    "crm.health.band": {
        "values": lambda case, owner, company: {
            "scorecard_id": _scorecard(case, company).id,
            "dimension": "needs",
            "value_from": 0,
            "points": 50,
        },
        "write": {"points": 90},
        "owner": None,
        "company": "optional",
    },
    "crm.health.backtest": {
        "values": lambda case, owner, company: {"scorecard_id": _scorecard(case, company).id},
        "write": {"fit_thresholds": True},
        "owner": None,
        "company": "optional",
    },
    "crm.health.backtest.line": {
        "values": lambda case, owner, company: {
            "backtest_id": _backtest(case, company).id,
            "date": date(2026, 1, 31),
            "risk_level": "high",
            "customers": 10,
            "churned": 2,
            "churn_rate": 20.0,
        },
        "write": {"customers": 11},
        "owner": None,
        "company": "optional",
    },
    "crm.health.backtest.dimension": {
        "values": lambda case, owner, company: {
            "backtest_id": _backtest(case, company).id,
            "dimension": "recency",
            "weight": 25,
            "auc": 0.7,
        },
        "write": {"weight": 30},
        "owner": None,
        "company": "optional",
    },
    "crm.health.intervention.rule": {
        "values": lambda case, owner, company: {
            "name": f"Matrix intervention {_next(case)}",
            "risk_level": "high",
            "suggestion": "Call the customer within 3 days.",
            "company_id": company.id,
        },
        "write": {"suggestion": "Visit the customer within a week."},
        "owner": None,
        "company": "optional",
    },
    "crm.approval.level": {
        "values": lambda case, owner, company: {
            "name": f"Matrix level {_next(case)}",
            "min_amount": 1000000 + _next(case),
            "company_id": company.id,
            "approver_group_id": case.env.ref("crm_process_std_base.group_sales_director").id,
        },
        "write": {"name": "Large deals"},
        "owner": None,
        "company": "required",
    },
    "crm.cadence.rule": {
        "values": lambda case, owner, company: {
            "name": f"Matrix cadence {_next(case)}",
            "interval_days": 7,
            "company_id": company.id,
            "active": False,
        },
        "write": {"interval_days": 10},
        "owner": None,
        "company": "optional",
    },
    "crm.completeness.field": {
        "values": lambda case, owner, company: {
            "model_name": "crm.lead",
            "field_id": _free_completeness_field(case).id,
            "active": False,
        },
        "write": {"weight": 2},
        "owner": None,
        "company": None,
    },
    "crm.feedback.question": {
        "values": lambda case, owner, company: {
            "name": "Which rule slows you down?",
            "topic": "other",
        },
        "write": {"name": "Which rule slows you down most?"},
        "owner": None,
        "company": None,
    },
    "crm.handoff.checklist.template": {
        "values": lambda case, owner, company: {
            "name": f"Matrix checklist {_next(case)}",
            "company_id": company.id,
        },
        "write": {"sequence": 30},
        "owner": None,
        "company": "optional",
    },
    "crm.handoff.checklist.item": {
        "values": lambda case, owner, company: {
            "template_id": _checklist_template(case, company).id,
            "name": "Signed contract",
        },
        "write": {"description": "Scan of the signed contract"},
        "owner": None,
        "company": "optional",
    },
    "crm.kpi.target": {
        "values": lambda case, owner, company: {
            "kpi_code": _free_kpi_code(case, company),
            "target_value": 80,
            "company_id": company.id,
        },
        "write": {"target_value": 85},
        "owner": None,
        "company": "optional",
    },
    "crm.sla.node": {
        "values": lambda case, owner, company: {
            "name": f"Matrix node {_next(case)}",
            "company_id": company.id,
            "active": False,
        },
        "write": {"time_limit_hours": 48},
        "owner": None,
        "company": "optional",
    },
    "crm.stage.requirement": {
        "values": lambda case, owner, company: {
            "name": f"Matrix requirement {_next(case)}",
            "stage_id": case.env.ref("crm.stage_lead4").id,
            "kind": "attachment",
            "mode": "warn",
            "company_id": company.id,
            "active": False,
        },
        "write": {"message": "Attach the signed offer."},
        "owner": None,
        "company": "optional",
    },
    "crm.improvement.task": {
        "values": lambda case, owner, company: {
            "name": "Train the team on the follow-up cadence",
            "company_id": company.id,
        },
        "write": {"state": "in_progress"},
        "owner": None,
        "company": "required",
    },
    "crm.kpi.snapshot": {
        "values": lambda case, owner, company: {
            "date_from": _month(case),
            "date_to": date(2030, 1, 31),
            "kpi_code": "completeness",
            "unit": "percent",
            "value": 80,
            "user_id": owner.id,
            "company_id": company.id,
        },
        "write": {"value": 82},
        "owner": "user",
        "unassigned": True,
        "company": "required",
    },
    "crm.kpi.report": {
        "values": None,
        "find": lambda case, owner, company: (
            case.env["crm.kpi.report"]
            .sudo()
            .search([("lead_id", "=", _lead(case, owner, company).id), ("kind", "=", "created")])
        ),
        "write": {"kind": "closed"},
        "owner": "user",
        "unassigned": True,
        "company": "required",
    },
    "crm.process.diagnosis": {
        "values": lambda case, owner, company: {
            "name": f"Matrix diagnosis {_next(case)}",
            "company_id": company.id,
        },
        "write": {"months": 6},
        "owner": None,
        "company": "required",
    },
    "crm.process.diagnosis.line": {
        "values": lambda case, owner, company: {
            "diagnosis_id": _diagnosis(case, company).id,
            "kpi_code": "completeness",
            "value": 60,
        },
        "write": {"value": 65},
        "owner": None,
        "company": "required",
    },
    "crm.handoff.decision": {
        "values": lambda case, owner, company: {
            "handoff_id": _handoff(case, owner, company).id,
            "decision": "reject",
            "rejection_reason": "The contract is missing.",
        },
        "write": {"rejection_reason": "The signed contract is missing."},
        "owner": "creator",
        "company": None,
    },
    "crm.lead.approval.decision": {
        "values": lambda case, owner, company: {
            "approval_id": case.env["crm.lead.approval"]
            .sudo()
            .create(_approval(case, owner, company))
            .id,
            "decision": "approve",
        },
        "write": {"comment": "Margin is fine."},
        "owner": "creator",
        "company": None,
    },
    "crm.stage.exception.wizard": {
        "values": lambda case, owner, company: {
            "lead_id": _lead(case, owner, company).id,
            "stage_id": case.env.ref("crm.stage_lead3").id,
            "reason": "The customer signs on Friday.",
        },
        "write": {"reason": "The customer signs on Monday."},
        "owner": "creator",
        "company": None,
    },
    "crm.kpi.comparison": {
        "values": lambda case, owner, company: {
            "before_mode": "month",
            "before_month": date(2026, 1, 1),
            "after_month": date(2026, 2, 1),
            "company_id": company.id,
        },
        "write": {"after_month": date(2026, 3, 1)},
        "owner": "creator",
        "company": "required",
    },
    "crm.kpi.comparison.line": {
        "values": lambda case, owner, company: {
            "comparison_id": case.env["crm.kpi.comparison"]
            .with_user(owner or case.env.user)
            .sudo()
            .create(
                {
                    "before_mode": "month",
                    "before_month": date(2026, 1, 1),
                    "after_month": date(2026, 2, 1),
                    "company_id": company.id,
                }
            )
            .id,
            "kpi_code": "completeness",
            "before_value": 60,
            "after_value": 70,
        },
        "write": {"after_value": 72},
        "owner": "creator",
        "company": "required",
    },
    "crm.health.backfill": {
        "values": lambda case, owner, company: {"months": 3},
        "write": {"months": 6},
        "owner": "creator",
        "company": None,
    },
    "crm.health.backfill.run": {
        "values": lambda case, owner, company: {"months": 3, "as_of": date(2026, 1, 1)},
        "write": {"months": 6},
        "owner": None,
        "company": None,
    },
    "crm.kpi.snapshot.wizard": {
        "values": lambda case, owner, company: {"month": date(2026, 1, 1)},
        "write": {"month": date(2026, 2, 1)},
        "owner": "creator",
        "company": None,
    },
    "crm.kpi.target.proposal": {
        "values": lambda case, owner, company: {"diagnosis_id": _diagnosis(case, company).id},
        "write": {"months": 6},
        "owner": "creator",
        "company": None,
    },
    "crm.kpi.target.proposal.line": {
        "values": lambda case, owner, company: {
            "proposal_id": case.env["crm.kpi.target.proposal"]
            .with_user(owner or case.env.user)
            .sudo()
            .create({"diagnosis_id": _diagnosis(case, company).id})
            .id,
            "kpi_code": "completeness",
            "comparison": ">=",
            "target_value": 80,
        },
        "write": {"target_value": 85},
        "owner": "creator",
        "company": None,
    },
    "crm.industry.template.wizard": {
        "values": lambda case, owner, company: {"template": "retail_store"},
        "write": {"template": "ecommerce"},
        "owner": "creator",
        "company": None,
    },
    "crm.process.map": {
        "values": lambda case, owner, company: {},
        "write": {"team_id": False},
        "owner": "creator",
        "company": None,
    },
    "res.config.settings": {
        "values": lambda case, owner, company: {
            "crm_std_completeness_threshold": 75,
            "crm_health_churn_days": 40,
        },
        "write": {"crm_std_completeness_threshold": 65},
        "owner": None,
        "company": None,
        "save": lambda settings: settings.execute(),
    },
}

"""Classification of every public method of the addons for test_rpc_sweep.py.

Every method a model of the addons defines or overrides without a leading underscore
(and without ``@api.private``) can be called by any logged-in user over JSON-RPC,
whatever the views show. Each one is listed in METHODS with how the sweep calls it and
why it is safe; a public method missing from METHODS, or a row whose method no longer
exists, fails ``test_every_public_method_is_classified``.

Overrides of Odoo's ORM API (a name public on ``models.BaseModel``: create, write,
unlink, copy, read, search..., default_get, web_save...; and the settings'
``get_values`` / ``set_values``) are classified by name in ORM_OVERRIDES: the access
rights and record rules decide who may run them (test_access_matrix.py), and the
fields only flows may write are refused on create / write / web_save for every role
(test_protected_fields.py).

A row of METHODS:
  "call": "button" (``/web/dataset/call_button`` on the target record, as the web client
      presses it) or "model" (``/web/dataset/call_kw`` without records: ``@api.model``),
  "reason": what makes the method safe (what it checks, or why it is harmless),
  "kwargs": optional keyword arguments of the call,
  "prepare": optional values written as superuser on the target before the call, to put
      it in the state where the method acts for an authorised user.
Each method is called as a portal user, a salesperson on "own documents only" and a
salesperson of another company, on a record of a colleague (company A). Expected:
refused (AccessError, UserError, ValidationError, MissingError) or no effect (no row
of the process tables, leads, partners, activities, messages or parameters changed,
and nothing of the target lead in the answer).
"""

ORM_OVERRIDES_REASON = (
    "ORM override: access rights and record rules (test_access_matrix.py); "
    "flow-only fields refused on create / write (test_protected_fields.py)"
)
# Public methods of res.config.settings's own API (not on BaseModel).
SETTINGS_API = frozenset({"get_values", "set_values", "execute"})

_BUTTON_WRITE = "button: writes the record as the caller, so write access (rules) decides"
_OPEN_ACTION = (
    "harmless: returns a window action; the records it lists are filtered by the "
    "caller's rules when the client reads them"
)

METHODS = {
    # -- crm_process_std: staff documents ---------------------------------------------
    ("crm.complaint", "action_start"): {
        "call": "button",
        "reason": _BUTTON_WRITE,
    },
    ("crm.complaint", "action_resolve"): {
        "call": "button",
        "reason": _BUTTON_WRITE + "; a resolution text is required first",
        "prepare": {"resolution": "<p>Parts replaced</p>"},
    },
    ("crm.complaint", "action_reopen"): {
        "call": "button",
        "reason": _BUTTON_WRITE,
        "prepare": {"state": "resolved", "resolution": "<p>Parts replaced</p>"},
    },
    ("crm.followup", "action_open_lead"): {"call": "button", "reason": _OPEN_ACTION},
    ("crm.handoff", "action_submit"): {
        "call": "button",
        "reason": "button: checks that the caller is the sender (or a manager) before sudo",
    },
    ("crm.handoff", "action_accept"): {
        "call": "button",
        "reason": "button: checks that the caller is a receiver (or a manager) before sudo",
        "prepare": {"state": "submitted"},
    },
    ("crm.handoff", "action_reject"): {
        "call": "button",
        "reason": "button: checks that the caller is a receiver (or a manager) before sudo",
        "kwargs": {"reason": "Not mine"},
        "prepare": {"state": "submitted"},
    },
    ("crm.handoff", "action_open_decision"): {
        "call": "button",
        "reason": "opens the decision wizard; the decision itself checks the receiver",
        "prepare": {"state": "submitted"},
    },
    ("crm.handoff.decision", "action_confirm"): {
        "call": "button",
        "reason": "wizard of its creator only (rule); the handoff decision checks the receiver",
    },
    ("crm.lead.approval", "action_approve"): {
        "call": "button",
        "reason": "button: checks the approver group / user of the level before sudo",
    },
    ("crm.lead.approval", "action_reject"): {
        "call": "button",
        "reason": "button: checks the approver group / user of the level before sudo",
        "kwargs": {"comment": "No"},
    },
    ("crm.lead.approval", "action_open_decision"): {
        "call": "button",
        "reason": "opens the decision wizard; the decision itself checks the approver",
    },
    ("crm.lead.approval.decision", "action_confirm"): {
        "call": "button",
        "reason": "wizard of its creator only (rule); the decision checks the approver",
    },
    ("crm.stage.exception.wizard", "action_grant"): {
        "call": "button",
        "reason": "wizard of its creator only (rule), managers only (access rights)",
    },
    ("crm.feedback.request", "action_submit"): {
        "call": "button",
        "reason": "button: the caller's own request only (record rule, write access)",
    },
    ("crm.feedback.request", "action_send_requests"): {
        "call": "button",
        "reason": "list-header button: checks the process admin group and create access",
    },
    ("crm.lead", "action_crm_log_followup"): {"call": "button", "reason": _OPEN_ACTION},
    ("crm.lead", "action_crm_view_followups"): {"call": "button", "reason": _OPEN_ACTION},
    ("crm.lead", "action_crm_view_sla_timers"): {"call": "button", "reason": _OPEN_ACTION},
    ("crm.lead", "action_open_handoffs"): {"call": "button", "reason": _OPEN_ACTION},
    ("crm.lead", "action_open_stage_exception_wizard"): {
        "call": "button",
        "reason": _OPEN_ACTION + "; the exception itself is granted by managers only",
    },
    ("crm.lead", "action_view_stage_deviations"): {"call": "button", "reason": _OPEN_ACTION},
    ("crm.lead", "action_request_approval"): {
        "call": "button",
        "reason": "button: the caller must be able to write the lead before approvals "
        "are requested as superuser",
    },
    ("mail.activity", "action_crm_log_followup"): {
        "call": "button",
        "reason": "opens the follow-up form for an activity the caller can read",
    },
    ("res.partner", "action_crm_log_followup"): {"call": "button", "reason": _OPEN_ACTION},
    ("res.partner", "action_crm_view_followups"): {"call": "button", "reason": _OPEN_ACTION},
    ("res.partner", "action_crm_view_complaints"): {"call": "button", "reason": _OPEN_ACTION},
    ("res.partner", "action_crm_std_recompute_tier"): {
        "call": "button",
        "reason": "button: recomputes the tier of partners the caller may write",
    },
    # -- crm_process_std: configuration --------------------------------------------------
    ("crm.cadence.rule", "action_view_reminders"): {"call": "button", "reason": _OPEN_ACTION},
    ("crm.sla.node", "action_view_timers"): {"call": "button", "reason": _OPEN_ACTION},
    ("crm.stage.requirement", "action_open_affected_leads"): {
        "call": "button",
        "reason": _OPEN_ACTION,
    },
    ("res.config.settings", "action_crm_std_open_diagnosis"): {
        "call": "button",
        "reason": "settings wizard: administrators only (access rights on the settings)",
    },
    # -- crm_process_std: KPIs, diagnosis, improvement plan ------------------------------
    ("crm.improvement.task", "action_start"): {
        "call": "button",
        "reason": "button: checks write access on the task (process admins, its company)",
    },
    ("crm.improvement.task", "action_done"): {
        "call": "button",
        "reason": "button: checks write access on the task (process admins, its company)",
    },
    ("crm.process.diagnosis", "action_run"): {
        "call": "button",
        "reason": "button: checks write access on the diagnosis (process admins, its "
        "company) before its figures are measured",
    },
    ("crm.process.diagnosis", "action_propose_targets"): {
        "call": "button",
        "reason": "button: checks write access on the KPI targets (process admins) and "
        "read access on the diagnosis",
        "prepare": {"state": "done"},
    },
    ("crm.process.diagnosis", "action_generate_plan"): {
        "call": "button",
        "reason": "button: checks create access on the tasks (process admins) and write "
        "access on the diagnosis",
        "prepare": {"state": "done"},
    },
    ("crm.process.diagnosis", "action_open_plan"): {
        "call": "button",
        "reason": "checks read access on the diagnosis; returns a window action",
    },
    ("crm.process.diagnosis", "action_open_comparison"): {
        "call": "button",
        "reason": "checks read access on the diagnosis; returns a window action",
        "prepare": {"state": "done"},
    },
    ("crm.process.diagnosis.line", "action_view_records"): {
        "call": "button",
        "reason": "checks read access on the figure (managers, its company) before the "
        "record ids are read in SQL",
    },
    ("crm.kpi.comparison", "action_compare"): {
        "call": "button",
        "reason": "wizard of its creator only, company rule: figures of an allowed company",
    },
    ("crm.kpi.snapshot.wizard", "action_snapshot"): {
        "call": "button",
        "reason": "wizard of its creator only; checks create access on snapshots (admins)",
    },
    ("crm.kpi.target.proposal", "action_accept"): {
        "call": "button",
        "reason": "wizard of its creator only; checks write access on targets (admins) and "
        "read access on the diagnosis",
    },
    ("crm.industry.template.wizard", "action_apply"): {
        "call": "button",
        "reason": "wizard of its creator only; checks create access on every model it fills",
    },
    ("crm.process.map", "action_print"): {
        "call": "button",
        "reason": "wizard of its creator only; renders the configuration the caller reads",
    },
    # -- crm_health_score --------------------------------------------------------------
    ("crm.health.score", "action_recompute_all"): {
        "call": "button",
        "reason": "list-header button: checks the sales manager group in Python, then "
        "rescores only the customers the caller may read",
    },
    ("crm.health.score", "action_recompute"): {
        "call": "button",
        "reason": "button: must check write access on the selected health records",
    },
    ("crm.health.score", "action_open_trend"): {"call": "button", "reason": _OPEN_ACTION},
    ("crm.health.scorecard", "action_recompute_with_scorecard"): {
        "call": "button",
        "reason": "button: must check write access on the scorecard (process admins)",
        "prepare": {"active": True},
    },
    ("crm.health.scorecard", "action_backtest"): {
        "call": "button",
        "reason": "button: checks the process admin group and read access on the scorecard; "
        "returns a window action (a new backtest form)",
    },
    ("crm.health.scorecard", "action_activate"): {
        "call": "button",
        "reason": "button: checks the process admin group and write access on the scorecard "
        "before archiving the company's active one",
    },
    ("crm.health.backtest", "action_run"): {
        "call": "button",
        "reason": "button: checks the process admin group, write access on the backtest and "
        "read access on its scorecard before the system read of the history",
    },
    ("crm.health.backtest", "action_propose_weights"): {
        "call": "button",
        "reason": "button: checks the process admin group, write access on the backtest and "
        "create access on scorecards before fitting",
        "prepare": {"state": "done", "churned_customer_count": 40},
    },
    ("crm.health.backfill", "action_backfill"): {
        "call": "button",
        "reason": "wizard of its creator only (process admins); checks the process admin "
        "group before the system backfill of the history",
    },
    ("crm.health.backtest", "action_open_graph"): {
        "call": "button",
        "reason": "checks read access on the backtest; returns a window action",
    },
    ("res.config.settings", "action_crm_health_open_schedule"): {
        "call": "button",
        "reason": "settings wizard: administrators only (access rights on the settings)",
    },
    ("res.partner", "action_open_health_score"): {"call": "button", "reason": _OPEN_ACTION},
}

# Holes known and not fixed yet: (model, method) -> {role: what happens}. A listed role
# must still fail (strict, like xfail), so a fixed hole leaves the list. Empty on main.
KNOWN_HOLE = {}

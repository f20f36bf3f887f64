"""Records of test_buttons.py in states the demo database does not hold.

The button test presses each button on a record of the demo database on which the button
is visible. When no such record exists (a state the demo never reaches), the button is
reported "unreached": add its state here (or to the demo data). Each function makes its
records as superuser for the test roles (``case.users``) and returns them; the test
checks that each one shows what it was made for.
"""

from odoo import Command, fields


def pending_feedback_request(case):
    """This month's staff feedback request of a salesperson, rated but not sent yet
    ("Send Feedback")."""
    questions = case.env["crm.feedback.question"].search([])
    return (
        case.env["crm.feedback.request"]
        .sudo()
        .create(
            {
                "user_id": case.users["salesperson_own"].id,
                "company_id": case.company_a.id,
                "period_start": fields.Date.context_today(case.env.user).replace(day=1),
                "answer_ids": [
                    Command.create({"question_id": question.id, "rating_choice": "4"})
                    for question in questions
                ],
            }
        )
    )


def lead_to_request_approval(case):
    """A deal of a salesperson above the first approval level, not requested yet
    ("Request Approval")."""
    level = (
        case.env["crm.approval.level"]
        .sudo()
        .search([("company_id", "in", [case.company_a.id, False])], order="min_amount", limit=1)
    )
    if not level:
        return case.env["crm.lead"]
    return (
        case.env["crm.lead"]
        .sudo()
        .create(
            {
                "name": "Buttons deal to approve",
                "type": "opportunity",
                "partner_id": case.customer.id,
                "user_id": case.users["salesperson_own"].id,
                "company_id": case.company_a.id,
                "team_id": level.team_ids[:1].id,
                "expected_revenue": level.min_amount + 1000,
            }
        )
    )


def handoff_to_accept(case):
    """A handoff submitted to an after-sales user, its checklist done ("Accept" with a
    rating: the demo's submitted handoff still misses a checklist item)."""
    lead = (
        case.env["crm.lead"]
        .sudo()
        .create(
            {
                "name": "Buttons deal handed over",
                "type": "opportunity",
                "partner_id": case.customer.id,
                "user_id": case.users["salesperson_own"].id,
                "company_id": case.company_a.id,
            }
        )
    )
    handoff = (
        case.env["crm.handoff"]
        .sudo()
        .create(
            {
                "lead_id": lead.id,
                "sender_id": case.users["salesperson_own"].id,
                "receiver_user_id": case.users["after_sales"].id,
                "company_id": case.company_a.id,
            }
        )
    )
    handoff.checklist_line_ids.write({"is_done": True})
    handoff.with_user(case.users["salesperson_own"]).action_submit()
    return handoff


def complaint_to_resolve(case):
    """A complaint being handled by a salesperson, its resolution written ("Resolve":
    the demo's complaint in progress has none yet)."""
    complaint = (
        case.env["crm.complaint"]
        .sudo()
        .create(
            {
                "name": "Buttons complaint",
                "partner_id": case.customer.id,
                "user_id": case.users["salesperson_own"].id,
                "company_id": case.company_a.id,
                "resolution": "<p>Replaced the damaged part</p>",
            }
        )
    )
    complaint.with_user(case.users["salesperson_own"]).action_start()
    return complaint


# function -> (field, value) the record it makes must hold
EXTRA_RECORDS = {
    pending_feedback_request: ("state", "pending"),
    lead_to_request_approval: ("approval_state", "to_request"),
    handoff_to_accept: ("state", "submitted"),
    complaint_to_resolve: ("state", "in_progress"),
}


def make_extra_records(case):
    """Make the records; a list of those not in the expected state (a broken recipe)."""
    wrong = []
    for function, (name, value) in EXTRA_RECORDS.items():
        records = function(case)
        if not records or any(record[name] != value for record in records):
            wrong.append(f"{function.__name__}: {name} is not {value!r}")
    return wrong

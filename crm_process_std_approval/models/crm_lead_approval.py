# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, LockError, UserError
from odoo.tools.i18n import format_list

APPROVAL_ACTIVITY = "crm_process_std_approval.mail_activity_type_deal_approval"
# Leads named in one gate error; the rest are counted.
MAX_LEADS_IN_ERROR = 10


class CrmLeadApproval(models.Model):
    """One level's decision on a deal: requested by sales, approved in sequence."""

    _name = "crm.lead.approval"
    _inherit = "crm.protected.fields.mixin"
    _description = "Deal Approval"
    _order = "lead_id, is_current desc, sequence, id"
    _rec_name = "level_id"
    # Written by request / approve / reject only (as superuser, after their checks).
    _protected_fields = frozenset(
        {
            "state",
            "is_current",
            "sequence",
            "amount",
            "request_date",
            "decided_by_id",
            "decision_date",
            "comment",
        }
    )
    _frozen_fields = frozenset({"lead_id", "level_id", "requested_by_id", "salesperson_id"})

    lead_id = fields.Many2one(
        "crm.lead", string="Lead / Opportunity", required=True, index=True, ondelete="cascade"
    )
    level_id = fields.Many2one(
        "crm.approval.level", string="Approval Level", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(default=10)
    state = fields.Selection(
        [
            ("waiting", "Waiting for Previous Level"),
            ("pending", "To Approve"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="waiting",
        index=True,
    )
    is_current = fields.Boolean(
        string="Current Request",
        default=True,
        index=True,
        help="Part of the lead's current approval request. Requests end when rejected or "
        "when the amount later needs a higher level.",
    )
    company_id = fields.Many2one(related="level_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="level_id.currency_id")
    amount = fields.Monetary(string="Amount Requested", help="Expected revenue when requested.")
    approver_user_id = fields.Many2one(related="level_id.approver_user_id", store=True)
    approver_group_id = fields.Many2one(related="level_id.approver_group_id", store=True)
    requested_by_id = fields.Many2one("res.users", index=True)
    salesperson_id = fields.Many2one(
        "res.users",
        string="Salesperson When Requested",
        help="The deal's salesperson at the time of the request: like the requester and "
        "the current salesperson, never its approver.",
    )
    request_date = fields.Datetime(string="Requested On")
    decided_by_id = fields.Many2one("res.users")
    decision_date = fields.Datetime(string="Decided On")
    comment = fields.Text()
    lead_user_id = fields.Many2one(related="lead_id.user_id", string="Salesperson")
    lead_team_id = fields.Many2one(related="lead_id.team_id", string="Sales Team")
    can_approve = fields.Boolean(
        compute="_compute_can_approve",
        search="_search_can_approve",
        help="The current user may approve or reject this level now.",
    )

    @api.depends("state", "level_id", "requested_by_id", "salesperson_id", "lead_id.user_id")
    @api.depends_context("uid")
    def _compute_can_approve(self):
        user = self.env.user
        for approval in self:
            approval.can_approve = (
                approval.state == "pending"
                and approval.level_id._can_be_approved_by(user)
                and user not in approval._interested_users()
            )

    def _search_can_approve(self, operator, value):
        if operator != "in":
            return NotImplemented
        user = self.env.user
        return [
            ("state", "=", "pending"),
            ("requested_by_id", "!=", user.id),
            ("salesperson_id", "!=", user.id),
            ("lead_id.user_id", "!=", user.id),
            "|",
            ("approver_user_id", "=", user.id),
            "&",
            ("approver_user_id", "=", False),
            ("approver_group_id", "in", user.all_group_ids.ids),
        ]

    # --- Status and gate -------------------------------------------------------------
    def _interested_users(self):
        """Who may not decide this approval: its requester, the deal's salesperson when it
        was requested and now (a deal reassigned in between keeps both out)."""
        self.ensure_one()
        # sudo: the current salesperson of the approval's lead (the caller reads the
        # approval; an approver may not read the lead itself)
        return self.requested_by_id | self.salesperson_id | self.sudo().lead_id.user_id

    @api.model
    def _approval_status(self, leads):
        """{lead id: (approval state, missing levels)} for the leads' current amounts."""
        levels_by_lead = self.env["crm.approval.level"]._levels_by_lead(leads)
        # sudo: only the states of the approvals of ``leads`` are used, which the caller
        # reads (lead compute), writes (gate, request) or decides on
        approvals = self.sudo().search_fetch(
            [("lead_id", "in", leads.ids)],
            ["lead_id", "level_id", "state", "is_current", "request_date"],
        )
        by_lead = defaultdict(list)
        for approval in approvals:
            by_lead[approval.lead_id.id].append(approval)
        status = {}
        for lead in leads:
            required = levels_by_lead[lead.id]
            lines = by_lead.get(lead.id, [])
            current = [line for line in lines if line.is_current]
            approved_ids = {line.level_id.id for line in current if line.state == "approved"}
            asked_ids = {line.level_id.id for line in current}
            missing = required.filtered(lambda level, ids=approved_ids: level.id not in ids)
            if not required:
                state = "not_required"
            elif not missing:
                state = "approved"
            elif all(level.id in asked_ids for level in missing):
                state = "pending"
            # sudo: the approvals read above (same leads)
            elif "rejected" in self.sudo().browse(line.id for line in lines)._last_request().mapped(
                "state"
            ):
                state = "rejected"
            else:
                state = "to_request"
            status[lead.id] = (state, missing)
        return status

    def _last_request(self):
        """Lines of the most recent request among these (one request shares its date)."""
        last = self.sorted("id")[-1:]
        return self.filtered(lambda approval: approval.request_date == last.request_date)

    @api.model
    def _check_leads(self, leads, stage):
        """Refuse moving leads into (or past) the gated stage before every level approved.

        Costs no query unless a lead's amount reaches a level: the gate runs on every
        stage write."""
        levels_by_lead = self.env["crm.approval.level"]._levels_by_lead(leads)
        leads = leads.filtered(lambda lead: levels_by_lead[lead.id])
        if not leads:
            return
        gates = self._gate_stages(leads, levels_by_lead)
        leads = leads.filtered(lambda lead: self._is_past_gate(stage, gates[lead.id]))
        if not leads:
            return
        status = self._approval_status(leads)
        blocked = [(lead, status[lead.id][1]) for lead in leads if status[lead.id][1]]
        if not blocked:
            return
        lines = [
            self.env._(
                "%(lead)s: missing approval of %(levels)s",
                lead=lead.display_name,
                levels=format_list(self.env, missing.mapped("name")),
            )
            for lead, missing in blocked[:MAX_LEADS_IN_ERROR]
        ]
        if len(blocked) > MAX_LEADS_IN_ERROR:
            lines.append(self.env._("... and %s more.", len(blocked) - MAX_LEADS_IN_ERROR))
        raise UserError(
            self.env._(
                "Deals of this amount need approval before entering the stage %(stage)s. "
                "Request it from the lead's Approvals tab.\n%(details)s",
                stage=stage.display_name,
                details="\n".join(lines),
            )
        )

    @api.model
    def _is_past_gate(self, stage, gate):
        """Whether ``stage`` is the gated stage ``gate`` or a later one."""
        return bool(gate) and (stage == gate or stage.sequence >= gate.sequence)

    @api.model
    def _gate_stages(self, leads, levels_by_lead=None):
        """{lead id: the stage from which its deal needs approval (Settings of its
        company), or an empty recordset}. As for the levels, the company is the lead's,
        else its sales team's; a lead with neither may be moved into any company: the
        earliest gate of the companies whose levels it needs applies (the strictest)."""
        if levels_by_lead is None:
            levels_by_lead = self.env["crm.approval.level"]._levels_by_lead(leads)
        gates = {}
        for lead in leads:
            companies = lead.company_id or lead.team_id.company_id
            # sudo: reads configuration only (the gated stages and their order)
            companies = (companies or levels_by_lead[lead.id].company_id).sudo()
            gates[lead.id] = min(
                companies.crm_approval_stage_id,
                key=lambda gate: (gate.sequence, gate.id),
                default=self.env["crm.stage"],
            )
        return gates

    # --- Request ---------------------------------------------------------------------
    @api.model
    def _request(self, leads):
        """Ask every level the leads' amounts need, in sequence; the first level is asked now.

        Behind crm.lead's public action_request_approval: whoever may edit the deal asks."""
        leads.check_access("write")
        levels_by_lead = self.env["crm.approval.level"]._levels_by_lead(leads)
        status = self._approval_status(leads)
        for lead in leads:
            state, missing = status[lead.id]
            if state == "not_required":
                raise UserError(
                    self.env._("%s needs no approval for its expected revenue.", lead.display_name)
                )
            if state == "approved":
                raise UserError(self.env._("%s is already approved.", lead.display_name))
            if state == "pending":
                raise UserError(
                    self.env._(
                        "%(lead)s already waits for approval of %(levels)s.",
                        lead=lead.display_name,
                        levels=format_list(self.env, missing.mapped("name")),
                    )
                )
        # A request that no longer covers the deal (e.g. moved to another team) is replaced.
        # sudo here and below: the caller may edit these leads (checked above)
        outdated = self.sudo().search([("lead_id", "in", leads.ids), ("is_current", "=", True)])
        if outdated:
            outdated._close_request()
            outdated.lead_id.activity_unlink([APPROVAL_ACTIVITY])
        now = fields.Datetime.now()
        vals_list = []
        for lead in leads:
            for index, level in enumerate(levels_by_lead[lead.id]):
                vals_list.append(
                    {
                        "lead_id": lead.id,
                        "level_id": level.id,
                        "sequence": index,
                        "state": "pending" if index == 0 else "waiting",
                        "amount": lead.expected_revenue,
                        "requested_by_id": self.env.user.id,
                        "salesperson_id": lead.user_id.id,
                        "request_date": now,
                    }
                )
        approvals = self.sudo().create(vals_list)
        for lead in leads:
            lead_approvals = approvals.filtered(lambda a, lead=lead: a.lead_id == lead)
            lead.sudo().message_post(
                body=self.env._(
                    "Approval requested for %(amount)s: %(levels)s.",
                    amount=lead.company_currency.format(lead.expected_revenue),
                    levels=format_list(self.env, lead_approvals.level_id.mapped("name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        approvals.filtered(lambda a: a.state == "pending")._notify_approvers()
        return True

    def _notify_approvers(self):
        for approval in self:
            company = approval.lead_id.company_id or approval.level_id.company_id
            for user in approval.level_id._approver_users(approval.lead_id):
                if company not in user.company_ids or user in approval._interested_users():
                    continue
                # sudo: an activity for the approver, scheduled by the request / approval
                # flow after its own checks
                approval.lead_id.sudo().activity_schedule(
                    APPROVAL_ACTIVITY,
                    summary=self.env._("Approve: %s", approval.level_id.name),
                    note=self.env._(
                        "Expected revenue %(amount)s, requested by %(user)s.",
                        amount=approval.currency_id.format(approval.amount),
                        user=approval.requested_by_id.name,
                    ),
                    user_id=user.id,
                )

    # --- Decisions -------------------------------------------------------------------
    def _check_can_decide(self):
        user = self.env.user
        for approval in self:
            if approval.state != "pending":
                raise UserError(
                    self.env._(
                        "The approval %(level)s of %(lead)s does not wait for a decision "
                        "(status: %(state)s).",
                        level=approval.level_id.name,
                        lead=approval.lead_id.display_name,
                        state=approval._fields["state"].convert_to_export(approval.state, approval),
                    )
                )
            if user in approval._interested_users():
                raise UserError(
                    self.env._(
                        "You cannot approve your own deal or request: %s needs another approver.",
                        approval.lead_id.display_name,
                    )
                )
            if not approval.level_id._can_be_approved_by(user):
                raise AccessError(
                    self.env._(
                        "Only %(approver)s may decide the approval %(level)s of %(lead)s.",
                        approver=approval.approver_user_id.name
                        or approval.approver_group_id.display_name,
                        level=approval.level_id.name,
                        lead=approval.lead_id.display_name,
                    )
                )

    def action_open_decision(self):
        """Open the approve / reject dialog (decision in the context); approvers only."""
        self.ensure_one()
        self._check_can_decide()
        decision = self.env.context.get("approval_decision", "approve")
        names = {"level": self.level_id.name, "lead": self.lead_id.display_name}
        if decision == "approve":
            title = self.env._("Approve %(level)s: %(lead)s", **names)
        else:
            title = self.env._("Reject %(level)s: %(lead)s", **names)
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "crm.lead.approval.decision",
            "view_mode": "form",
            "target": "new",
            "context": {"default_approval_id": self.id, "default_decision": decision},
        }

    def _lock_for_decision(self):
        """Lock the rows, then re-check: of two approvers deciding at once, one wins."""
        try:
            # sudo: locks rows the caller may decide (_check_can_decide ran before)
            self.sudo().lock_for_update()
        except LockError:
            raise UserError(
                self.env._("Another user is deciding this approval right now; try again.")
            ) from None
        self.invalidate_recordset(["state"])
        self._check_can_decide()

    def action_approve(self, comment=None):
        """Approve this level (its approver, neither requester nor salesperson)."""
        self._check_can_decide()
        self._lock_for_decision()
        now = fields.Datetime.now()
        # the flow runs as superuser from here on: the caller may decide (checked above)
        for approval in self:
            approval.sudo().write(
                {
                    "state": "approved",
                    "decided_by_id": self.env.user.id,
                    "decision_date": now,
                    "comment": comment or False,
                }
            )
            lead = approval.lead_id.sudo()
            lead.activity_feedback([APPROVAL_ACTIVITY], user_id=self.env.user.id, feedback=comment)
            lead.activity_unlink([APPROVAL_ACTIVITY])
            next_approval = lead.approval_ids.filtered(
                lambda a: a.is_current and a.state == "waiting"
            )[:1]
            body = self.env._("Approved: %s.", approval.level_id.name)
            if comment:
                body = Markup("%s<br/>%s") % (body, comment)
            lead.message_post(body=body, subtype_xmlid="mail.mt_note")
            if next_approval:
                next_approval.sudo().state = "pending"
                next_approval._notify_approvers()
            else:
                lead.message_post(
                    body=self.env._("Every approval level is granted: the deal may go on."),
                    partner_ids=approval.requested_by_id.partner_id.ids,
                    subtype_xmlid="mail.mt_comment",
                )
        return True

    def action_reject(self, comment):
        """Reject this level with a reason (its approver); the request ends."""
        if not (comment or "").strip():
            raise UserError(self.env._("Say why you reject the approval: a comment is required."))
        self._check_can_decide()
        self._lock_for_decision()
        now = fields.Datetime.now()
        # the flow runs as superuser from here on: the caller may decide (checked above)
        for approval in self:
            lead = approval.lead_id.sudo()
            approval.sudo().write(
                {
                    "state": "rejected",
                    "decided_by_id": self.env.user.id,
                    "decision_date": now,
                    "comment": comment,
                }
            )
            lead.approval_ids.filtered("is_current")._close_request()
            lead.activity_feedback([APPROVAL_ACTIVITY], user_id=self.env.user.id, feedback=comment)
            lead.activity_unlink([APPROVAL_ACTIVITY])
            lead.message_post(
                body=Markup("%s<br/>%s")
                % (self.env._("Approval rejected: %s.", approval.level_id.name), comment),
                partner_ids=approval.requested_by_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
            if approval.requested_by_id:
                lead.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Approval rejected: %s", approval.level_id.name),
                    note=comment,
                    user_id=approval.requested_by_id.id,
                )
        return True

    def _close_request(self):
        """End the current request: undecided levels are cancelled, none counts any more.

        Flow step (as superuser): callers checked who acts on the leads before."""
        self.filtered(lambda a: a.state in ("waiting", "pending")).sudo().write(
            {"state": "cancelled"}
        )
        self.sudo().write({"is_current": False})

    @api.model
    def _reset_outdated(self, leads):
        """After a change of the amount of ``leads`` (written by the caller).

        A lead already in or past the gated stage must hold the approval of every level
        its new amount needs: otherwise the change is refused (and rolled back), as the
        stage would have been. Before the gated stage, a request that misses a level the
        new amount needs is reset, to be asked again."""
        levels_by_lead = self.env["crm.approval.level"]._levels_by_lead(leads)
        leads = leads.filtered(lambda lead: levels_by_lead[lead.id])
        if not leads:
            return
        self._check_amount_in_gated_stages(leads)
        # sudo: the requests of leads the caller just wrote
        current = self.sudo().search([("lead_id", "in", leads.ids), ("is_current", "=", True)])
        leads = current.lead_id
        for lead in leads:
            lead_current = current.filtered(lambda a, lead=lead: a.lead_id == lead)
            new_levels = levels_by_lead[lead.id] - lead_current.level_id
            if not new_levels:
                continue
            lead_current._close_request()
            lead.sudo().activity_unlink([APPROVAL_ACTIVITY])
            lead.sudo().message_post(
                body=self.env._(
                    "Approvals reset: the expected revenue %(amount)s now needs %(levels)s. "
                    "Request the approval again.",
                    amount=lead.company_currency.format(lead.expected_revenue),
                    levels=format_list(self.env, new_levels.mapped("name")),
                ),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _check_amount_in_gated_stages(self, leads):
        """Refuse an amount that needs a level not approved yet to leads in or past the
        gated stage (flows running as superuser are trusted)."""
        if self.env.su:
            return
        gates = self._gate_stages(leads)
        gated = leads.filtered(lambda lead: self._is_past_gate(lead.stage_id, gates[lead.id]))
        if not gated:
            return
        status = self._approval_status(gated)
        blocked = [(lead, status[lead.id][1]) for lead in gated if status[lead.id][1]]
        if not blocked:
            return
        lead, missing = blocked[0]
        raise UserError(
            self.env._(
                "%(lead)s is already in the stage %(stage)s: an expected revenue of "
                "%(amount)s needs the approval of %(levels)s first. Move the deal back "
                "before %(gate)s, change the amount there and request the approval, or "
                "keep the approved amount.",
                lead=lead.display_name,
                stage=lead.stage_id.display_name,
                amount=lead.company_currency.format(lead.expected_revenue),
                levels=format_list(self.env, missing.mapped("name")),
                gate=gates[lead.id].display_name,
            )
        )

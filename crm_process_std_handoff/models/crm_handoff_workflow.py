# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, LockError, UserError
from odoo.tools.i18n import format_list

from odoo.addons.crm_process_std_base.models.crm_cached_config_mixin import config_cache

from .crm_handoff import HANDOFF_ACTIVITY, MAX_LEADS_IN_ERROR, QUALITY_RATINGS, TODO_ACTIVITY


class CrmHandoff(models.Model):
    """The handoff's workflow: who may submit, accept or reject it, the transitions
    themselves, the stage gate on its leads, the overdue flag and navigation."""

    _inherit = "crm.handoff"

    # --- Who may do what ----------------------------------------------------------------
    def _is_receiver(self, user):
        self.ensure_one()
        team = self.receiver_team_id
        return user == self.receiver_user_id or (
            bool(team) and (user == team.user_id or user in team.member_ids)
        )

    def _receiver_users(self):
        """Users asked to review: the receiver, else the team leader, else its members."""
        self.ensure_one()
        return (
            self.receiver_user_id
            or self.receiver_team_id.user_id
            or self.receiver_team_id.member_ids.filtered("active")
        )

    def _check_state(self, allowed):
        for handoff in self:
            if handoff.state not in allowed:
                raise UserError(
                    self.env._(
                        "The handoff %(handoff)s is %(state)s: this action is not possible.",
                        handoff=handoff.display_name,
                        state=handoff._fields["state"].convert_to_export(handoff.state, handoff),
                    )
                )

    def _check_can_submit(self):
        self._check_state(("draft", "rejected"))
        user = self.env.user
        is_manager = user.has_group("sales_team.group_sale_manager")
        for handoff in self:
            # sudo: the salesperson of the handoff's lead (the caller reads the handoff)
            if user not in handoff.sender_id | handoff.sudo().lead_id.user_id and not is_manager:
                raise AccessError(
                    self.env._(
                        "Only the sender %(sender)s or a sales manager may submit %(handoff)s.",
                        sender=handoff.sender_id.name,
                        handoff=handoff.display_name,
                    )
                )
            if not handoff.receiver_user_id and not handoff.receiver_team_id:
                raise UserError(
                    self.env._(
                        "Choose a receiving team or receiver for %s before submitting it.",
                        handoff.display_name,
                    )
                )
            if handoff.receiver_user_id in handoff._sender_side():
                raise UserError(
                    self.env._(
                        "%s cannot receive their own handoff: choose another receiver.",
                        handoff.sender_id.name,
                    )
                )

    def _sender_side(self):
        """The sender and the opportunity's salesperson: never the receiver as well."""
        self.ensure_one()
        # sudo: the salesperson of the handoff's lead (the caller reads the handoff)
        return self.sender_id | self.sudo().lead_id.user_id

    def _check_can_decide(self):
        self._check_state(("submitted",))
        user = self.env.user
        for handoff in self:
            # also when the sender belongs to the receiving team
            if user in handoff._sender_side():
                raise UserError(
                    self.env._(
                        "You sent %s: the receiving team must accept or reject it.",
                        handoff.display_name,
                    )
                )
            if not handoff._is_receiver(user):
                raise AccessError(
                    self.env._(
                        "Only the receiver %(receiver)s or members of the team %(team)s may "
                        "accept or reject %(handoff)s.",
                        receiver=handoff.receiver_user_id.name or "-",
                        team=handoff.receiver_team_id.name or "-",
                        handoff=handoff.display_name,
                    )
                )

    def _lock_for_decision(self):
        """Lock the rows, then re-check: of two receivers deciding at once, one wins."""
        try:
            # sudo: locks rows the caller may decide (_check_can_decide ran before)
            self.sudo().lock_for_update()
        except LockError:
            raise UserError(
                self.env._(
                    "Another user is accepting or rejecting this handoff right now; "
                    "reload it in a moment."
                )
            ) from None
        self.invalidate_recordset()
        self._check_can_decide()

    # --- Transitions --------------------------------------------------------------------
    def action_submit(self):
        """Send the handoff to the receiver (sender, lead's salesperson or sales manager)."""
        self._check_can_submit()
        # the flow runs as superuser from here on: the caller may submit (checked above)
        self._restore_required_lines()
        now = fields.Datetime.now()
        for handoff in self:
            handoff.sudo().write(
                {"state": "submitted", "submitted_date": now, "rejection_reason": False}
            )
            handoff.sudo().activity_feedback([TODO_ACTIVITY], user_id=handoff.sender_id.id)
            for user in handoff._receiver_users():
                handoff.sudo().activity_schedule(
                    HANDOFF_ACTIVITY,
                    date_deadline=fields.Date.context_today(self, handoff.deadline or now),
                    summary=self.env._("Confirm the handoff of %s", handoff.partner_id.name or ""),
                    user_id=user.id,
                )
        return True

    def action_accept(self, rating=None, comment=None):
        """Confirm the handoff (a receiver other than the sender side), with a rating."""
        if rating and rating not in dict(QUALITY_RATINGS):
            raise UserError(self.env._("Rate the handoff from 1 to 5."))
        self._check_can_decide()
        self._check_checklist()
        self._lock_for_decision()
        now = fields.Datetime.now()
        # the flow runs as superuser from here on: the caller may decide (checked above)
        for handoff in self:
            handoff.sudo().write(
                {
                    "state": "accepted",
                    "accepted_date": now,
                    "accepted_by_id": self.env.user.id,
                    "quality_rating": rating or False,
                    "rating_comment": comment or False,
                }
            )
            handoff.sudo().activity_feedback([HANDOFF_ACTIVITY], user_id=self.env.user.id)
            handoff.sudo().activity_unlink([HANDOFF_ACTIVITY])
            handoff.message_post(
                body=self.env._("Handoff accepted by %s.", self.env.user.name),
                partner_ids=handoff.sender_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
            handoff.lead_id.sudo().message_post(
                body=Markup("%s %s")
                % (
                    self.env._("After-sales accepted the handoff:"),
                    handoff._get_html_link(),
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._mark_customers()
        self._sla_on_accepted()
        return True

    def _sla_on_accepted(self):
        """Hook: these handoffs were just accepted (by a receiver whose right to decide
        was checked). The SLA bridge stops the clocks waiting for the acceptance now."""

    def action_reject(self, reason):
        """Send the handoff back to the sender (a receiver), with the reason."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the rejection: the sender needs it."))
        self._check_can_decide()
        self._lock_for_decision()
        now = fields.Datetime.now()
        # the flow runs as superuser from here on: the caller may decide (checked above)
        for handoff in self:
            handoff.sudo().write(
                {"state": "rejected", "rejected_date": now, "rejection_reason": reason}
            )
            handoff.sudo().activity_feedback(
                [HANDOFF_ACTIVITY], user_id=self.env.user.id, feedback=reason
            )
            handoff.sudo().activity_unlink([HANDOFF_ACTIVITY])
            handoff.sudo().activity_schedule(
                TODO_ACTIVITY,
                summary=self.env._("Handoff rejected: complete and submit it again"),
                note=reason,
                user_id=handoff.sender_id.id,
            )
            handoff.message_post(
                body=Markup("%s<br/>%s") % (self.env._("Handoff rejected."), reason),
                partner_ids=handoff.sender_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def _check_checklist(self):
        for handoff in self:
            missing = handoff.checklist_line_ids.filtered(lambda line: line.required)
            missing = missing.filtered(lambda line: not line.is_done)
            if missing:
                raise UserError(
                    self.env._(
                        "The checklist of %(handoff)s is not complete: %(items)s.",
                        handoff=handoff.display_name,
                        items=format_list(self.env, missing.mapped("name")),
                    )
                )

    @api.model
    def _marks_customer_on_acceptance(self, companies):
        """Whether the customer type waits for the handoff's acceptance (not the win) in
        one of ``companies`` (Settings)."""
        # sudo: reads configuration only
        return any(companies.sudo().mapped("crm_handoff_marks_customer"))

    def _mark_customers(self):
        """The accepted customer becomes a "customer" (when the standard field exists).

        The customer is the opportunity's (a handoff's lead is frozen), read as
        superuser: called by action_accept once the receiver's right to accept is checked."""
        # sudo: see the docstring
        handoffs = self.sudo().filtered(
            lambda handoff: handoff.company_id.crm_handoff_marks_customer
        )
        partners = handoffs.lead_id.partner_id.commercial_partner_id
        if not partners or "customer_type" not in partners._fields:
            return
        selection = dict(partners._fields["customer_type"]._description_selection(self.env))
        if "customer" not in selection:
            return
        to_mark = partners.filtered(lambda partner: partner.customer_type != "customer")
        # sudo: the flow marks the customer once after-sales accepted (checked by caller)
        to_mark.sudo().write({"customer_type": "customer"})
        for partner in to_mark:
            partner.sudo().message_post(
                body=self.env._("Marked as customer: after-sales accepted the handoff."),
                subtype_xmlid="mail.mt_note",
            )

    def action_open_decision(self):
        """Open the accept / reject dialog (decision in the context); receivers only."""
        self.ensure_one()
        decision = self.env.context.get("handoff_decision", "accept")
        self._check_can_decide()
        if decision == "accept":
            self._check_checklist()
            title = self.env._("Accept %(handoff)s", handoff=self.display_name)
        else:
            title = self.env._("Reject %(handoff)s", handoff=self.display_name)
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "crm.handoff.decision",
            "view_mode": "form",
            "target": "new",
            "context": {"default_handoff_id": self.id, "default_decision": decision},
        }

    # --- Gate, overdue, navigation ------------------------------------------------------
    @api.model
    @config_cache
    def _gate_company_ids(self, stage_id):
        """Ids of the companies whose leads enter the stage ``stage_id`` only once
        their handoff is accepted (cached: every stage move asks; a change of the
        setting clears the cache, see res.company)."""
        # configuration of every company (system data; only ids leave this method)
        companies = self.env["res.company"].sudo().search([("crm_handoff_stage_id", "=", stage_id)])
        return frozenset(companies.ids)

    @api.model
    def _check_leads(self, leads, stage):
        """Refuse the stage after acceptance (Settings of the lead's company) to leads
        whose handoff is not accepted yet. A lead without company may be moved into any
        company: the setting of every company applies (the strictest)."""
        gating = self._gate_company_ids(stage.id)
        leads = leads.filtered(lambda lead: not lead.company_id or lead.company_id.id in gating)
        if not gating or not leads:
            return
        # sudo: counts accepted handoffs of leads the caller is moving (its write access
        # to them is checked by crm.lead's write); nothing of them is returned
        accepted = self.sudo()._read_group(
            [("lead_id", "in", leads.ids), ("state", "=", "accepted")], ["lead_id"]
        )
        blocked = leads - self.env["crm.lead"].browse(lead.id for [lead] in accepted)
        if not blocked:
            return
        names = blocked[:MAX_LEADS_IN_ERROR].mapped("display_name")
        if len(blocked) > MAX_LEADS_IN_ERROR:
            # the last item of the list: "A, B, and 3 more"
            names.append(self.env._("%s more", len(blocked) - MAX_LEADS_IN_ERROR))
        raise UserError(
            self.env._(
                "The stage %(stage)s is reached only once after-sales accepted the handoff. "
                "Not accepted yet: %(leads)s.",
                stage=stage.display_name,
                leads=format_list(self.env, names),
            )
        )

    @api.model
    def _overdue_domain(self):
        return [
            ("state", "in", ("draft", "submitted", "rejected")),
            ("deadline", "<", fields.Datetime.now()),
            ("is_overdue", "=", False),
        ]

    @api.model
    def _cron_flag_overdue(self, batch_size=500):
        """Flag open handoffs whose deadline passed; commits per batch and resumes."""
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=self.search_count(self._overdue_domain()))
        while processed := self._flag_overdue_batch(batch_size):
            if not cron._commit_progress(processed):
                break

    @api.model
    def _flag_overdue_batch(self, limit):
        """Flag one batch of newly overdue handoffs; return how many were processed."""
        handoffs = self.search(self._overdue_domain(), limit=limit)
        if handoffs:
            self.env.add_to_compute(self._fields["is_overdue"], handoffs)
            handoffs.flush_recordset(["is_overdue"])
            note = self.env._("The handoff is overdue: its deadline passed.")
            handoffs._message_log_batch(bodies=dict.fromkeys(handoffs.ids, note))
        return len(handoffs)

    @api.model
    def _action_open_for_lead(self, lead):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std_handoff.action_crm_handoff"
        )
        action["domain"] = [("lead_id", "=", lead.id)]
        action["context"] = {"default_lead_id": lead.id}
        if len(lead.handoff_ids) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=lead.handoff_ids.id)
        return action

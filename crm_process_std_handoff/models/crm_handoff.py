# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, LockError, UserError, ValidationError
from odoo.tools.i18n import format_list

HANDOFF_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
]
QUALITY_RATINGS = [
    ("1", "Poor"),
    ("2", "Fair"),
    ("3", "Good"),
    ("4", "Very Good"),
    ("5", "Excellent"),
]
HANDOFF_ACTIVITY = "crm_process_std_handoff.mail_activity_type_handoff_review"
TODO_ACTIVITY = "mail.mail_activity_data_todo"
# Only the submit / accept / reject transitions write these (with the figures derived
# from them, protected by crm.protected.fields.mixin).
TRANSITION_FIELDS = frozenset(
    {
        "state",
        "submitted_date",
        "accepted_date",
        "accepted_by_id",
        "rejected_date",
        "rejection_reason",
        "quality_rating",
        "rating_comment",
    }
)
# Given at creation (and validated there), never changed afterwards.
FROZEN_FIELDS = frozenset({"lead_id", "sender_id", "partner_id", "company_id"})
# Whom the handoff goes to: changed by the sender side before submission only.
RECEIVER_FIELDS = frozenset({"receiver_user_id", "receiver_team_id", "checklist_template_id"})
# Open handoffs and accepted ones stand for the lead: a won lead gets no second one.
SUPPRESSING_STATES = ("draft", "submitted", "accepted")
MAX_LEADS_IN_ERROR = 10
MAX_DEADLINE_HOURS = 8760 * 5  # as the setting's bound
# What _values_from_leads fills in: a creation giving all of them reads nothing again.
DEFAULTED_FIELDS = frozenset(
    {
        "name",
        "partner_id",
        "company_id",
        "sender_id",
        "receiver_team_id",
        "receiver_user_id",
        "deadline",
        "checklist_template_id",
        "customer_info",
        "followup_summary",
        "open_issues",
        "customer_needs",
    }
)


class CrmHandoff(models.Model):
    """A won customer handed from sales to after-sales, confirmed by the receiver."""

    _name = "crm.handoff"
    _description = "Sales to After-Sales Handoff"
    _inherit = ("mail.thread", "mail.activity.mixin", "crm.protected.fields.mixin")
    _order = "deadline desc, id desc"
    _check_company_auto = True
    _protected_fields = TRANSITION_FIELDS
    _frozen_fields = FROZEN_FIELDS

    name = fields.Char(string="Title", required=True)
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        check_company=True,
    )
    partner_id = fields.Many2one("res.partner", string="Customer", index=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        HANDOFF_STATES,
        string="Status",
        required=True,
        default="draft",
        index=True,
        copy=False,
        tracking=True,
        group_expand=True,
    )
    sender_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        tracking=True,
        help="Salesperson handing the customer over.",
    )
    receiver_team_id = fields.Many2one(
        "crm.team",
        string="Receiving Team",
        index=True,
        tracking=True,
        help="Any member of this team may accept or reject the handoff.",
        check_company=True,
    )
    receiver_user_id = fields.Many2one(
        "res.users",
        string="Receiver",
        index=True,
        domain=[("share", "=", False)],
        tracking=True,
        help="After-sales or customer-success user taking the customer over.",
        check_company=True,
    )
    deadline = fields.Datetime(
        tracking=True,
        help="The receiver should accept the handoff before this time. Set from the "
        "settings when the handoff is created; only sales managers change it.",
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        store=True,
        help="The deadline passed before the handoff was accepted. Refreshed by a "
        "scheduled action for open handoffs.",
    )
    submitted_date = fields.Datetime(string="Submitted On", copy=False, readonly=True)
    accepted_date = fields.Datetime(string="Accepted On", copy=False, readonly=True, index=True)
    accepted_by_id = fields.Many2one("res.users", copy=False, readonly=True)
    rejected_date = fields.Datetime(string="Rejected On", copy=False, readonly=True)
    rejection_reason = fields.Text(copy=False, readonly=True, tracking=True)
    quality_rating = fields.Selection(
        QUALITY_RATINGS,
        string="Handoff Quality",
        copy=False,
        readonly=True,
        help="How complete and useful the handoff was, rated by the receiver.",
    )
    quality_score = fields.Integer(
        compute="_compute_quality_score",
        store=True,
        aggregator="avg",
        help="Quality rating as a number (1-5) for reports.",
    )
    rating_comment = fields.Text(string="Quality Comment", copy=False, readonly=True)
    # Content, pre-filled from the lead and editable by the sender.
    customer_info = fields.Html(string="Customer Data")
    followup_summary = fields.Html(string="Follow-up History")
    open_issues = fields.Html()
    customer_needs = fields.Html()
    checklist_template_id = fields.Many2one("crm.handoff.checklist.template", check_company=True)
    checklist_line_ids = fields.One2many(
        "crm.handoff.checklist.line", "handoff_id", string="Checklist", copy=True
    )
    checklist_progress = fields.Char(compute="_compute_checklist_progress")
    checklist_complete = fields.Boolean(compute="_compute_checklist_progress")
    expected_revenue = fields.Monetary(related="lead_id.expected_revenue")
    currency_id = fields.Many2one(related="lead_id.company_currency")

    # --- Computes -----------------------------------------------------------------------
    @api.depends("state", "deadline", "accepted_date")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for handoff in self:
            if not handoff.deadline:
                handoff.is_overdue = False
            elif handoff.state == "accepted":
                handoff.is_overdue = bool(handoff.accepted_date) and (
                    handoff.accepted_date > handoff.deadline
                )
            else:
                handoff.is_overdue = handoff.deadline < now

    @api.depends("quality_rating")
    def _compute_quality_score(self):
        for handoff in self:
            handoff.quality_score = int(handoff.quality_rating or 0)

    @api.depends("checklist_line_ids.is_done", "checklist_line_ids.required")
    def _compute_checklist_progress(self):
        for handoff in self:
            lines = handoff.checklist_line_ids
            done = lines.filtered("is_done")
            handoff.checklist_progress = f"{len(done)} / {len(lines)}" if lines else ""
            handoff.checklist_complete = not (lines.filtered("required") - done)

    # --- Creation -----------------------------------------------------------------------
    @api.model
    def _default_receiver_team(self, company=None):
        """The team receiving the handoffs of ``company`` (Settings; default: the
        current company), or an empty recordset."""
        company = company or self.env.company
        # sudo: reads configuration only
        return company.sudo().crm_handoff_team_id.with_env(self.env)

    @api.model
    def _check_lead_access(self, leads):
        """The caller may hand over only leads it may read, in a company it works in.

        Called before anything of the leads is read as superuser (content, defaults)."""
        if self.env.su or not leads:
            return
        leads.check_access("read")
        # sudo: reads the company only, of leads the caller may read (checked above)
        foreign = leads.sudo().filtered(
            lambda lead: lead.company_id and lead.company_id not in self.env.user.company_ids
        )
        if foreign:
            raise AccessError(
                self.env._(
                    "You cannot hand over %(lead)s: it belongs to the company %(company)s.",
                    lead=foreign[0].display_name,
                    company=foreign[0].company_id.name,
                )
            )

    @api.model
    def _deadline_hours(self, company):
        """Hours after the win within which after-sales of ``company`` should accept
        (Settings), read within bounds: a value stored by hand out of range gives 24."""
        # sudo: reads configuration only
        hours = company.sudo().crm_handoff_deadline_hours
        return hours if 0 < hours <= MAX_DEADLINE_HOURS else 24

    @api.model
    def _values_from_leads(self, leads):
        """Default values of a handoff per lead, read in a few batched queries."""
        self._check_lead_access(leads)
        content = self.env["crm.handoff.content"]._content_by_lead(leads)
        Template = self.env["crm.handoff.checklist.template"]
        values = {}
        # sudo: the caller may read these leads (_check_lead_access above); their
        # salesperson and customer are copied into the handoff's defaults
        for lead in leads.sudo():
            company = lead.company_id or self.env.company
            # the receiving side must work in the handoff's company
            team = self._default_receiver_team(company).filtered(
                lambda t, c=company: t.company_id in (c, t.company_id.browse())
            )
            sender = lead.user_id or self.env.user
            # sudo: the receiver's companies (configuration of users)
            receiver = (
                lead.partner_id.commercial_partner_id.customer_success_user_id or team.user_id
            ).sudo()
            if receiver == sender or company not in receiver.company_ids:
                receiver = receiver.browse()  # nobody receives their own handoff
            won_date = lead.date_closed or fields.Datetime.now()
            values[lead.id] = {
                "name": self.env._("Handoff: %s", lead.name),
                "partner_id": lead.partner_id.id,
                "company_id": company.id,
                "sender_id": sender.id,
                "receiver_team_id": team.id,
                "receiver_user_id": receiver.id,
                "deadline": won_date + timedelta(hours=self._deadline_hours(company)),
                "checklist_template_id": Template._default_for_team(team, company).id,
                **content[lead.id],
            }
        return values

    def _check_creation(self, given_list, filled_list):
        """Who may open a handoff, for whom, from whom (non-superuser callers).

        ``given_list``: the values as the caller gave them; ``filled_list``: with the
        defaults of the leads."""
        user = self.env.user
        is_manager = user.has_group("sales_team.group_sale_manager")
        if not is_manager and any("deadline" in vals for vals in given_list):
            raise AccessError(
                self.env._(
                    "The deadline of a handoff comes from the settings: only a sales "
                    "manager sets another one."
                )
            )
        leads = self.env["crm.lead"].browse(vals.get("lead_id") for vals in filled_list)
        # sudo: reads the salesperson of leads the caller may read (_check_lead_access)
        owners = {lead.id: lead.user_id for lead in leads.sudo()}
        for vals in filled_list:
            owner = owners.get(vals.get("lead_id")) or self.env["res.users"]
            sender = self.env["res.users"].browse(vals.get("sender_id") or user.id)
            if sender not in user | owner and not is_manager:
                raise AccessError(
                    self.env._(
                        "You may send a handoff in your own name or in the name of the "
                        "opportunity's salesperson only."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # a draft is what every handoff starts as: the default, not a forged status
        vals_list = [
            {key: value for key, value in vals.items() if (key, value) != ("state", "draft")}
            for vals in vals_list
        ]
        leads = self.env["crm.lead"].browse(
            {vals["lead_id"] for vals in vals_list if vals.get("lead_id")}
        )
        self._check_lead_access(leads)
        # values already given (the automatic handoff on win) are not read again
        to_fill = leads.filtered(
            lambda lead: any(
                vals.get("lead_id") == lead.id and not DEFAULTED_FIELDS <= vals.keys()
                for vals in vals_list
            )
        )
        defaults = self._values_from_leads(to_fill)
        # the customer of a handoff is its opportunity's, whatever a user gives; sudo:
        # the caller may read these leads (_check_lead_access above)
        customers = {} if self.env.su else {lead.id: lead.partner_id.id for lead in leads.sudo()}
        filled = []
        for vals in vals_list:
            vals = {**defaults.get(vals.get("lead_id"), {}), **vals}
            if vals.get("lead_id") in customers:
                vals["partner_id"] = customers[vals["lead_id"]]
            filled.append(vals)
        if not self.env.su:
            self._check_creation(vals_list, filled)
        for vals in filled:
            if "checklist_line_ids" not in vals and vals.get("checklist_template_id"):
                template = self.env["crm.handoff.checklist.template"].browse(
                    vals["checklist_template_id"]
                )
                vals["checklist_line_ids"] = template._line_commands()
        handoffs = super().create(filled)
        for sender in handoffs.sender_id:
            sent = handoffs.filtered(lambda handoff, sender=sender: handoff.sender_id == sender)
            sent.message_subscribe(partner_ids=sender.partner_id.ids)
        return handoffs

    def onchange(self, values, field_names, fields_spec):
        # The web client's form asks the content of the lead it is given: refuse a lead
        # the caller may not read before any field of it (content, related amount) is
        # computed. A saved handoff keeps its own lead (frozen), readable through it.
        lead_id = values.get("lead_id")
        if isinstance(lead_id, dict):
            lead_id = lead_id.get("id")
        if lead_id and lead_id != self.lead_id.id:
            self._check_lead_access(self.env["crm.lead"].browse(lead_id))
        return super().onchange(values, field_names, fields_spec)

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        if self.lead_id and self.state == "draft" and not self._origin:
            values = self._values_from_leads(self.lead_id._origin)[self.lead_id._origin.id]
            self.update(values)
            self.checklist_line_ids = self.checklist_template_id._line_commands(clear=True)

    @api.onchange("checklist_template_id")
    def _onchange_checklist_template_id(self):
        if self.state == "draft":
            self.checklist_line_ids = self.checklist_template_id._line_commands(clear=True)

    def write(self, vals):
        if not self.env.su:
            self._check_write(vals)
        return super().write(vals)

    def _check_write(self, vals):
        """Rules of a user's change (status, dates and links are refused by the mixin)."""
        if TRANSITION_FIELDS & vals.keys():
            raise AccessError(
                self.env._(
                    "The status of a handoff changes only through Submit, Accept and Reject."
                )
            )
        user = self.env.user
        is_manager = user.has_group("sales_team.group_sale_manager")
        if "deadline" in vals and not is_manager:
            raise AccessError(
                self.env._(
                    "Only a sales manager may change the deadline of a handoff: it measures "
                    "whether after-sales confirmed it in time."
                )
            )
        for handoff in self:
            if handoff.state == "accepted":
                raise AccessError(
                    self.env._(
                        "%s is accepted: it records what was handed over and cannot be "
                        "changed any more.",
                        handoff.display_name,
                    )
                )
            if RECEIVER_FIELDS & vals.keys():
                handoff._check_state(("draft", "rejected"))
                if user not in handoff.sender_id | handoff.sudo().lead_id.user_id and (
                    not is_manager
                ):
                    raise AccessError(
                        self.env._(
                            "Only the sender %(sender)s or a sales manager may choose who "
                            "receives %(handoff)s.",
                            sender=handoff.sender_id.name,
                            handoff=handoff.display_name,
                        )
                    )

    @api.constrains("receiver_user_id", "sender_id")
    def _check_receiver_not_sender(self):
        for handoff in self:
            if handoff.receiver_user_id and handoff.receiver_user_id == handoff.sender_id:
                raise ValidationError(
                    self.env._(
                        "%s cannot receive their own handoff: choose another receiver.",
                        handoff.sender_id.name,
                    )
                )

    def _restore_required_lines(self):
        """Give back the required items of the checklist template that have no line.

        Run as superuser after the caller's own checks (submission, template change):
        a required item cannot be avoided by deleting its line or creating none."""
        commands_by_handoff = {}
        for handoff in self:
            present = handoff.checklist_line_ids.item_id
            missing = handoff.checklist_template_id.item_ids.filtered(
                lambda item, present=present: item.required and item not in present
            )
            if missing:
                commands_by_handoff[handoff] = missing._line_commands()
        for handoff, commands in commands_by_handoff.items():
            # sudo: see the docstring (a flow step after the caller's checks)
            handoff.sudo().checklist_line_ids = commands

    @api.model
    def _create_for_won_leads(self, leads):
        """Draft handoff for each newly won lead that has none (Settings switch).

        Called by crm.lead's write with the leads the caller just won (its write access
        to them was checked): the content is read with the caller's rights, the handoff
        created as superuser (the caller may not be allowed to create one itself)."""
        # sudo: reads the companies' setting only, of leads the caller just wrote
        leads = leads.filtered(
            lambda lead: (lead.company_id or self.env.company).sudo().crm_handoff_auto_create
        )
        if not leads:
            return self.browse()
        # sudo: only which leads already have a handoff (open or accepted, see
        # SUPPRESSING_STATES) is read, for leads the caller just wrote
        existing = (
            self.sudo()
            .search([("lead_id", "in", leads.ids), ("state", "in", SUPPRESSING_STATES)])
            .lead_id
        )
        leads = leads - existing
        if not leads:
            return self.browse()
        values = self._values_from_leads(leads)
        # sudo: the system opens the handoff for the leads the caller won (see above)
        handoffs = self.sudo().create([{**values[lead.id], "lead_id": lead.id} for lead in leads])
        note = self.env._("Created when the opportunity was won.")
        handoffs._message_log_batch(bodies=dict.fromkeys(handoffs.ids, note))
        if len(handoffs) == 1:
            # sudo: a note on the lead the caller just won
            handoffs.lead_id.sudo().message_post(
                body=Markup("%s %s")
                % (self.env._("Handoff to after-sales created:"), handoffs._get_html_link()),
                subtype_xmlid="mail.mt_note",
            )
        return handoffs

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
    def _check_leads(self, leads, stage):
        """Refuse the stage after acceptance (Settings of the lead's company) to leads
        whose handoff is not accepted yet. A lead without company may be moved into any
        company: the setting of every company applies (the strictest)."""
        # sudo: reads configuration only
        gating = self.env["res.company"].sudo().search([("crm_handoff_stage_id", "=", stage.id)])
        leads = leads.filtered(lambda lead: not lead.company_id or lead.company_id in gating)
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

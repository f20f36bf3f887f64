# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

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
                # the handoff's state, not the user's rights: a colleague may have
                # accepted it a moment ago
                raise UserError(
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

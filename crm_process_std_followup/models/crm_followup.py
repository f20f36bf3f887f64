# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.i18n import format_list

FOLLOWUP_CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("visit", "Visit"),
    ("meeting", "Meeting"),
    ("wechat", "WeChat"),
    ("other", "Other"),
]

# The three parts every follow-up must state (seed 003, step 2).
SUMMARY_PARTS = ("previous_conclusion", "value_delivered", "next_step")

# Activity categories of Odoo that map to a follow-up channel.
CHANNEL_BY_ACTIVITY_CATEGORY = {"phonecall": "phone", "meeting": "meeting"}


class CrmFollowup(models.Model):
    """One structured contact with a customer (seed template 2)."""

    _name = "crm.followup"
    _description = "Customer Follow-up"
    _inherit = ["mail.thread"]  # noqa: RUF012
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _rec_names_search = ["partner_id", "lead_id"]  # noqa: RUF012 - a prospect has no customer

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True, tracking=True)
    # A prospect without a customer yet gets follow-ups too: they hang on the lead and
    # count for the customer the lead gets later (see _attach_to_lead_customers).
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        ondelete="restrict",
        help="Leave empty for a lead without a customer yet: the follow-up then counts for "
        "the customer the lead gets.",
    )
    lead_id = fields.Many2one(
        "crm.lead", string="Lead / Opportunity", index=True, ondelete="set null"
    )
    contact_id = fields.Many2one("res.partner")
    channel = fields.Selection(FOLLOWUP_CHANNELS, required=True, default="phone", tracking=True)
    previous_conclusion = fields.Text(help="What was concluded at the previous contact.")
    value_delivered = fields.Text(help="What value this contact brought to the customer.")
    next_step = fields.Text(help="The next step agreed with the customer.")
    customer_feedback = fields.Text(string="Customer Feedback / Need Change")
    next_action = fields.Char(
        help="Scheduled as an activity of the follow-up's owner and copied to the lead "
        "(or the customer) as its next action."
    )
    next_action_date = fields.Date(
        help="Deadline of the next action. Left empty with a next action: today plus the "
        "delay of the Customer Follow-up activity type."
    )
    user_id = fields.Many2one(
        "res.users", string="Owner", required=True, index=True, default=lambda self: self.env.user
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    # --- Follow-up log ---------------------------------------------
    commercial_partner_id = fields.Many2one(
        "res.partner",
        string="Commercial Customer",
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
    )
    summary = fields.Text(
        compute="_compute_summary",
        store=True,
        help="The three parts of the follow-up in one text: previous conclusion, "
        "value delivered, next step.",
    )
    activity_id = fields.Many2one(
        "mail.activity",
        string="Completed Activity",
        ondelete="set null",
        help="The activity this follow-up completed.",
    )
    next_activity_id = fields.Many2one(
        "mail.activity",
        string="Next Action Activity",
        ondelete="set null",
        readonly=True,
        help="The activity scheduled for the next action.",
    )

    @api.depends(*SUMMARY_PARTS)
    def _compute_summary(self):
        labels = self._summary_labels()
        for followup in self:
            followup.summary = "\n".join(
                f"{labels[part]}: {(followup[part] or '').strip()}" for part in SUMMARY_PARTS
            )

    def _summary_labels(self):
        descriptions = self.fields_get(list(SUMMARY_PARTS), ["string"])
        return {part: descriptions[part]["string"] for part in SUMMARY_PARTS}

    @api.depends("partner_id", "lead_id", "date", "channel")
    def _compute_display_name(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for followup in self:
            date = followup.date and fields.Date.to_string(
                fields.Datetime.context_timestamp(followup, followup.date)
            )
            followup.display_name = (
                f"{followup._subject_name()} - {date or ''} ({channels.get(followup.channel, '')})"
            )

    def _subject_name(self):
        """Whom the follow-up is about: the customer, else the lead (a prospect)."""
        self.ensure_one()
        return self.partner_id.display_name or self.lead_id.display_name or ""

    @api.constrains("partner_id", "lead_id")
    def _check_customer_or_lead(self):
        if any(not (followup.partner_id or followup.lead_id) for followup in self):
            raise ValidationError(
                self.env._(
                    "A follow-up is logged with a customer or on a lead / opportunity: "
                    "choose at least one of them."
                )
            )

    @api.constrains(*SUMMARY_PARTS)
    def _check_summary_parts(self):
        labels = self._summary_labels()
        for followup in self:
            missing = [labels[part] for part in SUMMARY_PARTS if not (followup[part] or "").strip()]
            if missing:
                raise ValidationError(
                    self.env._(
                        "The follow-up with %(customer)s must state the previous conclusion, "
                        "the value delivered and the next step. Missing: %(missing)s.",
                        customer=followup._subject_name(),
                        missing=format_list(self.env, missing),
                    )
                )

    @api.constrains("date", "next_action_date")
    def _check_next_action_date(self):
        for followup in self:
            if not followup.next_action_date:
                continue
            day = fields.Datetime.context_timestamp(followup, followup.date).date()
            if followup.next_action_date < day:
                raise ValidationError(
                    self.env._(
                        "The next action date (%(next)s) of the follow-up with %(customer)s "
                        "cannot be before the follow-up itself (%(date)s).",
                        next=followup.next_action_date,
                        customer=followup._subject_name(),
                        date=day,
                    )
                )

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        lead = self.lead_id
        if not lead:
            return
        if lead.partner_id and not self.partner_id:
            self.partner_id = lead.partner_id.commercial_partner_id
            if lead.partner_id != lead.partner_id.commercial_partner_id:
                self.contact_id = lead.partner_id
        if lead.company_id:
            self.company_id = lead.company_id

    @api.onchange("lead_id", "partner_id")
    def _onchange_prefill_previous_conclusion(self):
        """Start from what the previous follow-up agreed as next step."""
        if self.previous_conclusion:
            return
        previous = self._latest_followups(
            "lead_id" if self.lead_id else "commercial_partner_id",
            (self.lead_id or self.partner_id.commercial_partner_id)._origin.ids,
        )
        if previous:
            self.previous_conclusion = next(iter(previous.values())).next_step

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        activity = self.env["mail.activity"].browse(values.get("activity_id"))
        if activity.exists():
            activity.check_access("read")  # prefilled from an activity the caller may read
            values.update(activity._crm_followup_defaults())
        return values

    @api.model_create_multi
    def create(self, vals_list):
        leads = self.env["crm.lead"].browse(
            [vals["lead_id"] for vals in vals_list if vals.get("lead_id")]
        )
        company_by_lead = {lead.id: lead.company_id.id for lead in leads}
        for vals in vals_list:
            if (
                vals.get("lead_id")
                and not vals.get("company_id")
                and company_by_lead[vals["lead_id"]]
            ):
                vals["company_id"] = company_by_lead[vals["lead_id"]]
        # the caller logs follow-ups on leads it may read (the company read above checked
        # it too): only then do the hooks below react on them (as superuser where needed)
        leads.check_access("read")
        followups = super().create(vals_list)
        # also when neither is given (constraints only check the fields given)
        followups._check_customer_or_lead()
        followups._schedule_next_actions()
        followups._close_fulfilled_activities()
        followups._on_followups_logged()
        return followups

    def _on_followups_logged(self):
        """Hook called with the follow-ups just logged (the caller's create, its
        access to their leads checked), once their next actions are scheduled and
        the activities they fulfil are done. Other parts react to a contact with
        the customer here, e.g. the process clocks a follow-up stops or the first
        contact of their leads."""

    def write(self, vals):
        if vals.get("lead_id"):
            # moved to a lead the caller may read only
            self.env["crm.lead"].browse(vals["lead_id"]).check_access("read")
        before = self.lead_id if {"lead_id", "date"} & vals.keys() else None
        result = super().write(vals)
        if before is not None:
            self._on_followup_leads_changed(before | self.lead_id)
        return result

    def unlink(self):
        leads = self.lead_id
        result = super().unlink()
        self._on_followup_leads_changed(leads)
        return result

    @api.model
    def _on_followup_leads_changed(self, leads):
        """Hook: follow-ups of ``leads`` were moved to or from them, redated or
        deleted (extended by the addons that follow the contacts of leads)."""

    def _latest_followups(self, group_field, ids):
        """Return {id of ``group_field``: latest follow-up} for the given ids, in one query."""
        ids = [record_id for record_id in ids if record_id]
        if not ids:
            return {}
        self.flush_model([group_field, "date"])
        column = SQL.identifier(group_field)
        # ids only: the follow-ups are then read through the ORM (record rules apply)
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT ON (%(col)s) %(col)s, id FROM crm_followup"
                " WHERE %(col)s = ANY(%(ids)s) ORDER BY %(col)s, date DESC, id DESC",
                col=column,
                ids=ids,
            )
        )
        followups = self.browse([row[1] for row in rows])
        return dict(zip([row[0] for row in rows], followups, strict=True))

    def _set_last_contact(self, records, group_field):
        """Set the last-contact fields of leads or customers from their latest follow-up."""
        latest = self._latest_followups(group_field, records._origin.ids)
        for record in records:
            followup = latest.get(record._origin.id)
            record.last_contact_date = followup.date if followup else False
            record.last_contact_channel = followup.channel if followup else False
            record.last_contact_summary = followup.summary if followup else False

    def _schedule_next_actions(self):
        """Schedule each next action as an activity for the follow-up's owner, on its
        lead (else its customer), and make it the next action of that record when the
        follow-up is its latest. A next action without a date is due today plus the
        delay of the follow-up activity type (Settings > Activity Types)."""
        todo = self.filtered(lambda followup: followup.next_action or followup.next_action_date)
        if not todo:
            return
        activity_type = self.env.ref(
            "crm_process_std_followup.mail_activity_type_followup", raise_if_not_found=False
        )
        for followup in todo.filtered(lambda followup: not followup.next_action_date):
            day = fields.Datetime.context_timestamp(followup, followup.date).date()
            default = activity_type._get_date_deadline() if activity_type else day
            followup.next_action_date = max(default, day)
        vals_list = []
        for followup in todo:
            record = followup._next_action_record()
            vals_list.append(
                {
                    "res_model_id": self.env["ir.model"]._get_id(record._name),
                    "res_id": record.id,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "summary": followup._next_action_text(),
                    "note": followup.next_step,
                    "date_deadline": followup.next_action_date,
                    "user_id": followup.user_id.id,
                }
            )
        activities = self.env["mail.activity"].create(vals_list)
        for followup, activity in zip(todo, activities, strict=True):
            followup.next_activity_id = activity
        todo._copy_next_actions()

    def _next_action_record(self):
        """The lead of the follow-up, else its customer's company."""
        self.ensure_one()
        return self.lead_id or self.commercial_partner_id

    def _next_action_text(self):
        self.ensure_one()
        return self.next_action or (self.next_step or "").strip()[:100]

    def _copy_next_actions(self):
        """The next action of the latest follow-up of a lead (else a customer) becomes
        the lead's (customer's) Next Action, where the author may write that record."""
        latest = {
            **{
                ("crm.lead", key): followup
                for key, followup in self._latest_followups("lead_id", self.lead_id.ids).items()
            },
            **{
                ("res.partner", key): followup
                for key, followup in self._latest_followups(
                    "commercial_partner_id",
                    self.filtered(lambda f: not f.lead_id).commercial_partner_id.ids,
                ).items()
            },
        }
        for followup in self:
            record = followup._next_action_record()
            if latest.get((record._name, record.id)) != followup:
                continue  # a later follow-up already states the next action
            # written with the author's rights: nothing changes where it may not write
            record = record._filtered_access("write")
            if record:
                record.write(
                    {
                        "next_action": followup._next_action_text(),
                        "next_action_date": followup.next_action_date,
                    }
                )

    def _close_fulfilled_activities(self):
        """Mark done the activity each follow-up completes and the open cadence
        reminders of its lead and customer: the contact they asked for took place."""
        followup_by_record = {}
        for followup in self:
            if followup.lead_id:
                followup_by_record["crm.lead", followup.lead_id.id] = followup
            if followup.commercial_partner_id:
                followup_by_record["res.partner", followup.commercial_partner_id.id] = followup
        reminders = self.env["mail.activity"]._crm_cadence_open_activities(
            self.lead_id, self.commercial_partner_id
        )
        to_close = {}
        for activity in reminders:
            followup = followup_by_record[activity.res_model, activity.res_id]
            to_close[followup] = to_close.get(followup, activity.browse()) | activity
        for followup in self.filtered(lambda f: f.activity_id.active):
            to_close[followup] = (
                to_close.get(followup, followup.activity_id.browse()) | followup.activity_id
            )
        for followup, activities in to_close.items():
            activities.action_feedback(feedback=followup.summary)

    @api.model
    def _of_leads_without_customer(self, leads):
        """The follow-ups of ``leads`` logged while they had no customer, whoever wrote
        them (sudo: the callers checked their access to the leads)."""
        return self.sudo().search([("lead_id", "in", leads.ids), ("partner_id", "=", False)])

    @api.model
    def _attach_to_lead_customers(self, leads):
        """The follow-ups logged on ``leads`` while they had no customer count for the
        customer they have now (its company; the person, if any, as contact).

        Called by crm.lead's write with the leads whose customer the caller just set
        (its write access to them checked by the ORM)."""
        leads = leads.filtered(lambda lead: lead.partner_id and lead.last_contact_date)
        if not leads:
            return
        # follow-ups of those leads by any author, given the leads' new customer
        for lead, mine in self._of_leads_without_customer(leads).grouped("lead_id").items():
            customer = lead.partner_id
            mine.write({"partner_id": customer.commercial_partner_id.id})
            if customer != customer.commercial_partner_id:
                mine.filtered(lambda followup: not followup.contact_id).write(
                    {"contact_id": customer.id}
                )

    def action_open_lead(self):
        self.ensure_one()
        self.lead_id.check_access("read")
        return {**self.lead_id.get_formview_action(), "name": self.lead_id.display_name}

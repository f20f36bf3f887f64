# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

# Default response time of a complaint by severity, in hours (Settings override).
DEFAULT_RESPONSE_HOURS = {"urgent": 2.0, "normal": 24.0}
MAX_RESPONSE_HOURS = 24.0 * 366


class CrmComplaint(models.Model):
    """A customer complaint, answered within a deadline set by its severity."""

    _name = "crm.complaint"
    _description = "Customer Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.protected.fields.mixin"]  # noqa: RUF012
    _order = "date_open desc, id desc"
    # Figures of the response SLA and the handling time: stamped by the flow (opening,
    # answer, resolution, numbering), never typed. The Python-readonly fields below are
    # protected by the mixin; the stored related customer would write through.
    _protected_fields = frozenset(
        {
            "date_open",
            "first_response_date",
            "resolved_date",
            "response_deadline",
            "reference",
            "commercial_partner_id",
        }
    )

    name = fields.Char(string="Subject", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    lead_id = fields.Many2one("crm.lead", string="Related Lead", index=True, ondelete="set null")
    severity = fields.Selection(
        [("urgent", "Urgent"), ("normal", "Normal")], required=True, default="normal", tracking=True
    )
    description = fields.Html()
    state = fields.Selection(
        [("open", "Open"), ("in_progress", "In Progress"), ("resolved", "Resolved")],
        required=True,
        default="open",
        index=True,
        tracking=True,
    )
    date_open = fields.Datetime(
        string="Opened On", required=True, readonly=True, default=fields.Datetime.now, index=True
    )
    response_deadline = fields.Datetime(
        compute="_compute_response_deadline",
        store=True,
        tracking=True,
        help="When the customer must have an answer: opening time plus the response "
        "time of the severity (Settings).",
    )
    first_response_date = fields.Datetime(string="Answered On", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="After-Sales Owner",
        index=True,
        tracking=True,
        default=lambda self: self._default_user_id(),
        help="Answers and handles the complaint. By default its author when in after-sales.",
    )
    resolution = fields.Html()
    resolved_date = fields.Datetime(string="Resolved On", readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    reference = fields.Char(readonly=True, copy=False, index="trigram", default="/")
    commercial_partner_id = fields.Many2one(
        "res.partner",
        string="Commercial Customer",
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
    )
    is_response_overdue = fields.Boolean(
        string="Answer Overdue",
        compute="_compute_is_response_overdue",
        search="_search_is_response_overdue",
    )
    handling_hours = fields.Float(
        string="Handling Time (h)",
        compute="_compute_handling_hours",
        store=True,
        aggregator="avg",
        help="Hours from opening to resolution.",
    )
    color = fields.Integer(compute="_compute_color")

    _check_deadline_after_opening = models.Constraint(
        "CHECK(response_deadline IS NULL OR response_deadline >= date_open)",
        "The response deadline of a complaint cannot be before its opening.",
    )

    @api.model
    def _default_user_id(self):
        """After-sales handles complaints: its member recording one owns it; anyone
        else's complaint goes to ``_default_dispatcher``. Nobody when neither is known."""
        user = self.env.user
        if user.has_group("crm_process_std_base.group_after_sales"):
            return user
        return self._default_dispatcher()

    @api.model
    def _default_dispatcher(self):
        """Who owns, to dispatch it, a complaint recorded outside after-sales: nobody
        here (the pool); the handoff bridge names the leader of the receiving team."""
        return self.env["res.users"]

    @api.model
    def _response_hours(self, severity, company):
        """Response time of ``severity`` in ``company`` (Settings). Configuration only: a
        value out of range (stored by hand) gives the default instead of failing every
        complaint."""
        # sudo: reads configuration only
        hours = company.sudo()[f"crm_complaint_hours_{severity}"]
        return hours if 0 < hours <= MAX_RESPONSE_HOURS else DEFAULT_RESPONSE_HOURS[severity]

    @api.depends("severity", "date_open", "company_id")
    def _compute_response_deadline(self):
        for complaint in self:
            if complaint.date_open and complaint.severity:
                hours = self._response_hours(
                    complaint.severity, complaint.company_id or self.env.company
                )
                complaint.response_deadline = complaint.date_open + timedelta(hours=hours)
            else:
                complaint.response_deadline = False

    @api.depends("response_deadline", "first_response_date")
    def _compute_is_response_overdue(self):
        now = fields.Datetime.now()
        for complaint in self:
            complaint.is_response_overdue = bool(
                not complaint.first_response_date
                and complaint.response_deadline
                and complaint.response_deadline < now
            )

    def _search_is_response_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        domain = [
            ("first_response_date", "=", False),
            ("response_deadline", "<", fields.Datetime.now()),
        ]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", *domain]

    @api.depends("date_open", "resolved_date")
    def _compute_handling_hours(self):
        for complaint in self:
            if complaint.resolved_date and complaint.date_open:
                delta = complaint.resolved_date - complaint.date_open
                complaint.handling_hours = delta.total_seconds() / 3600
            else:
                complaint.handling_hours = 0.0

    @api.depends("severity", "is_response_overdue")
    def _compute_color(self):
        for complaint in self:
            complaint.color = 1 if complaint.is_response_overdue else 0

    @api.depends("reference", "name")
    def _compute_display_name(self):
        for complaint in self:
            reference = complaint.reference if complaint.reference not in (False, "/") else ""
            complaint.display_name = (
                f"[{reference}] {complaint.name}" if reference else complaint.name or ""
            )

    @api.constrains("response_deadline", "date_open")
    def _check_response_deadline(self):
        for complaint in self:
            if complaint.response_deadline and complaint.response_deadline < complaint.date_open:
                raise ValidationError(
                    self.env._(
                        "The response deadline of complaint %(complaint)s (%(deadline)s) cannot "
                        "be before its opening (%(opened)s).",
                        complaint=complaint.display_name,
                        deadline=complaint.response_deadline,
                        opened=complaint.date_open,
                    )
                )

    @api.constrains("state", "resolution")
    def _check_resolution(self):
        for complaint in self:
            if (
                complaint.state == "resolved"
                and not html2plaintext(complaint.resolution or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Complaint %s cannot be resolved without a resolution: describe how "
                        "it was solved.",
                        complaint.display_name,
                    )
                )

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        if self.lead_id.partner_id and not self.partner_id:
            self.partner_id = self.lead_id.partner_id

    @api.model_create_multi
    def create(self, vals_list):
        # The mixin refuses the flow's fields given by a user; the flow then stamps them.
        complaints = super().create(vals_list)
        sequence = self.env["ir.sequence"]
        for complaint in complaints.filtered(lambda c: c.reference in (False, "/")):
            # Flow value on the records just created by the caller.
            super(CrmComplaint, complaint.sudo()).write(
                {"reference": sequence.next_by_code("crm.complaint") or "/"}
            )
        complaints._stamp_state_dates()
        complaints._sla_on_created()
        return complaints

    def write(self, vals):
        unanswered = self.filtered(lambda c: not c.first_response_date)
        result = super().write(vals)
        if "state" in vals:
            self._stamp_state_dates()
        answered = unanswered.filtered("first_response_date")
        if answered:
            answered._sla_on_answered()
        if "severity" in vals:
            self.filtered(lambda c: not c.first_response_date)._sla_on_severity_changed()
        return result

    # Hooks of the SLA bridge (process clocks of complaints), called with the complaints
    # the caller just created or wrote: they do nothing here.
    def _sla_on_created(self):
        """These complaints were just created (some may be answered already)."""

    def _sla_on_answered(self):
        """These complaints were just answered (their first response date is set)."""

    def _sla_on_severity_changed(self):
        """The severity of these unanswered complaints just changed."""

    def _stamp_state_dates(self):
        """Leaving 'open' answers the complaint, reaching 'resolved' resolves it and
        going back clears the resolution date: dates set where not set yet, now."""
        now = fields.Datetime.now()
        stamps = {}
        for complaint in self:
            vals = {}
            if complaint.state in ("in_progress", "resolved") and not complaint.first_response_date:
                vals["first_response_date"] = now
            if complaint.state == "resolved" and not complaint.resolved_date:
                vals["resolved_date"] = now
            if complaint.state in ("open", "in_progress") and complaint.resolved_date:
                vals["resolved_date"] = False
            if vals:
                stamps.setdefault(tuple(sorted(vals.items())), []).append(complaint.id)
        for vals, ids in stamps.items():
            # Flow values, on complaints the caller has just created or written.
            super(CrmComplaint, self.browse(ids).sudo()).write(dict(vals))
        return True

    def action_start(self):
        """Answer the customer and start handling the complaint."""
        self.filtered(lambda c: c.state == "open").write({"state": "in_progress"})
        return True

    def action_resolve(self):
        for complaint in self:
            if not html2plaintext(complaint.resolution or "").strip():
                raise UserError(
                    self.env._(
                        "Write the resolution of complaint %s before resolving it.",
                        complaint.display_name,
                    )
                )
        self.write({"state": "resolved"})
        return True

    def action_reopen(self):
        self.write({"state": "in_progress"})
        return True

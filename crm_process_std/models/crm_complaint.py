# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

# Default response time of a complaint by severity, in hours (Settings override).
DEFAULT_RESPONSE_HOURS = {"urgent": 2.0, "normal": 24.0}


class CrmComplaint(models.Model):
    """A customer complaint, answered within a deadline set by its severity."""

    _name = "crm.complaint"
    _description = "Customer Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin"]  # noqa: RUF012
    _order = "date_open desc, id desc"

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
        string="Opened On", required=True, default=fields.Datetime.now, index=True
    )
    response_deadline = fields.Datetime(
        compute="_compute_response_deadline",
        store=True,
        readonly=False,
        tracking=True,
        help="When the customer must have an answer: opening time plus the response "
        "time of the severity (Settings), unless set by hand.",
    )
    first_response_date = fields.Datetime(string="Answered On")
    user_id = fields.Many2one("res.users", string="After-Sales Owner", index=True, tracking=True)
    resolution = fields.Html()
    resolved_date = fields.Datetime(string="Resolved On", index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    # --- Complaint handling (issue 4) -----------------------------------------
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
    crm_sla_timer_ids = fields.One2many("crm.sla.timer", "complaint_id", string="SLA Timers")
    sla_breach_count = fields.Integer(
        string="SLA Breaches", compute="_compute_sla_flags", store=True, compute_sudo=True
    )
    sla_overdue = fields.Boolean(
        string="SLA Overdue", compute="_compute_sla_flags", store=True, compute_sudo=True
    )
    color = fields.Integer(compute="_compute_color")

    _check_deadline_after_opening = models.Constraint(
        "CHECK(response_deadline IS NULL OR response_deadline >= date_open)",
        "The response deadline of a complaint cannot be before its opening.",
    )

    @api.model
    def _response_hours(self, severity):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(f"crm_process_std.complaint_hours_{severity}")
        )
        return float(value) if value else DEFAULT_RESPONSE_HOURS[severity]

    @api.depends("severity", "date_open")
    def _compute_response_deadline(self):
        hours = {severity: self._response_hours(severity) for severity in DEFAULT_RESPONSE_HOURS}
        for complaint in self:
            if complaint.date_open and complaint.severity:
                complaint.response_deadline = complaint.date_open + timedelta(
                    hours=hours[complaint.severity]
                )
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

    @api.depends("crm_sla_timer_ids.state", "crm_sla_timer_ids.date_stop")
    def _compute_sla_flags(self):
        self.env["crm.sla.timer"]._set_record_flags(self, "complaint_id")

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
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("reference", "/") == "/":
                vals["reference"] = sequence.next_by_code("crm.complaint") or "/"
            self._stamp_state_dates(vals, answered=False, resolved=False)
        complaints = super().create(vals_list)
        timers = self.env["crm.sla.timer"].sudo()
        timers._start_timers("complaint_opened", complaints, start_of=lambda c: c.date_open)
        answered = complaints.filtered("first_response_date")
        timers._stop_timers("complaint_answered", answered, stop_of=lambda c: c.first_response_date)
        return complaints

    def write(self, vals):
        unanswered = self.filtered(lambda c: not c.first_response_date)
        if "state" in vals:
            # Stamp the answer / resolution dates only where they are not set yet.
            groups = self.grouped(lambda c: (bool(c.first_response_date), bool(c.resolved_date)))
            for (answered, resolved), complaints in groups.items():
                complaint_vals = dict(vals)
                self._stamp_state_dates(complaint_vals, answered, resolved)
                super(CrmComplaint, complaints).write(complaint_vals)
            result = True
        else:
            result = super().write(vals)
        timers = self.env["crm.sla.timer"].sudo()
        answered = unanswered.filtered("first_response_date")
        if answered:
            timers._stop_timers(
                "complaint_answered", answered, stop_of=lambda c: c.first_response_date
            )
        if "severity" in vals:
            timers._start_timers(
                "complaint_opened",
                self.filtered(lambda c: not c.first_response_date),
                start_of=lambda c: c.date_open,
            )
        return result

    @api.model
    def _stamp_state_dates(self, vals, answered, resolved):
        """Leaving 'open' answers the complaint; reaching 'resolved' resolves it."""
        now = fields.Datetime.now()
        state = vals.get("state")
        if (
            state in ("in_progress", "resolved")
            and not answered
            and not vals.get("first_response_date")
        ):
            vals["first_response_date"] = now
        if state == "resolved" and not resolved and not vals.get("resolved_date"):
            vals["resolved_date"] = now
        if state in ("open", "in_progress") and "resolved_date" not in vals:
            vals["resolved_date"] = False

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

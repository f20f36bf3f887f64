# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.i18n import format_list

ACTIVITY_TYPE_XMLID = "crm_process_std_kpi.mail_activity_type_staff_feedback"


class CrmFeedbackRequest(models.Model):
    """The question set sent to one salesperson for one month."""

    _name = "crm.feedback.request"
    _description = "Staff Feedback Request"
    _inherit = ("mail.thread", "mail.activity.mixin", "crm.protected.fields.mixin")
    _order = "period_start desc, id desc"
    _rec_name = "period_start"
    # Requests are sent by the flow (monthly action) to one salesperson for one month
    # and company; only their answers are edited, and submitting sets the state.
    _frozen_fields = frozenset({"user_id", "period_start", "company_id"})
    _protected_fields = frozenset({"state", "date_answered"})

    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, index=True, ondelete="cascade"
    )
    period_start = fields.Date(string="Month", required=True, index=True)
    state = fields.Selection(
        [("pending", "To Answer"), ("answered", "Answered")],
        required=True,
        default="pending",
        index=True,
    )
    date_answered = fields.Datetime(string="Answered On", readonly=True)
    answer_ids = fields.One2many("crm.feedback.answer", "request_id", string="Answers")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _user_period_unique = models.Constraint(
        "UNIQUE(user_id, period_start, company_id)",
        "A salesperson gets one feedback request per month.",
    )

    @api.depends("user_id", "period_start")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "Process feedback %(month)s - %(user)s",
                month=request.period_start and request.period_start.strftime("%Y-%m") or "",
                user=request.user_id.name or "",
            )

    def action_submit(self):
        """Send the answers: the requests the caller may write (their own)."""
        self.check_access("write")
        for request in self:
            missing = request.answer_ids.filtered(lambda answer: not answer.rating)
            if missing:
                raise UserError(
                    self.env._(
                        "Rate every question of %(request)s before sending it; "
                        "not rated yet: %(questions)s",
                        request=request.display_name,
                        questions=format_list(self.env, missing.mapped("question_id.name")),
                    )
                )
        # Flow values, on requests the caller may write (checked above).
        self.sudo().write({"state": "answered", "date_answered": fields.Datetime.now()})
        self.activity_feedback([ACTIVITY_TYPE_XMLID], feedback=self.env._("Feedback sent."))
        return True

    @api.model
    def _feedback_recipients(self, company):
        """Salespeople of the company: members and leaders of its sales teams."""
        teams = self.env["crm.team"].search([("company_id", "in", [company.id, False])])
        users = teams.member_ids | teams.user_id
        return users.filtered(
            lambda user: user.active and not user.share and company in user.company_ids
        )

    @api.model
    def _send_requests(self, day=None, companies=None):
        """Create this month's request for every salesperson who has none yet,
        with one answer line per active question and an activity to answer."""
        day = fields.Date.to_date(day) if day else fields.Date.context_today(self)
        period_start = day.replace(day=1)
        # Flow of the monthly action (cron, or a process administrator: see
        # action_send_requests): questions and requests of every recipient.
        questions = self.env["crm.feedback.question"].sudo().search([])
        if not questions:
            return self.browse()
        requests = self.sudo().browse()
        for company in companies or self.env["res.company"].search([]):
            users = self._feedback_recipients(company)
            done = (
                self.sudo()
                .search([("period_start", "=", period_start), ("company_id", "=", company.id)])
                .mapped("user_id")
            )
            vals_list = [
                {
                    "user_id": user.id,
                    "period_start": period_start,
                    "company_id": company.id,
                    "answer_ids": [
                        fields.Command.create({"question_id": question.id})
                        for question in questions
                    ],
                }
                for user in users - done
            ]
            new = self.sudo().create(vals_list)
            requests |= new
        if requests:
            model_id = self.env["ir.model"]._get_id(self._name)
            activity_type = self.env.ref(ACTIVITY_TYPE_XMLID)
            # Flow: one activity per request just created, for its salesperson.
            self.env["mail.activity"].sudo().create(
                [
                    {
                        "activity_type_id": activity_type.id,
                        "res_model_id": model_id,
                        "res_id": request.id,
                        "user_id": request.user_id.id,
                        "date_deadline": day + timedelta(days=activity_type.delay_count or 7),
                        "summary": activity_type.summary,
                        "automated": True,
                    }
                    for request in requests
                ]
            )
        return requests

    def action_send_requests(self):
        """Send this month's requests now (those already sent are not repeated). A
        list-header button: the selection the web client passes is ignored."""
        if not (self.env.su or self.env.user.has_group("crm_process_std_base.group_process_admin")):
            raise AccessError(self.env._("Only process administrators send feedback requests."))
        self.check_access("create")
        requests = self._send_requests(companies=self.env.companies)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%s feedback requests sent.", len(requests)),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_send_requests(self):
        self._send_requests()

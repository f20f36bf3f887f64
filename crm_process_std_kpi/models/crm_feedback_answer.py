# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

RATINGS = [
    ("0", "Not Rated"),
    ("1", "Very Poor"),
    ("2", "Poor"),
    ("3", "Fair"),
    ("4", "Good"),
    ("5", "Very Good"),
]


class CrmFeedbackAnswer(models.Model):
    """One salesperson's 1-5 rating and comment on one question."""

    _name = "crm.feedback.answer"
    _description = "Staff Feedback Answer"
    _inherit = ["crm.protected.fields.mixin"]  # noqa: RUF012
    _order = "request_id, sequence, id"
    # An answer belongs to its request and question for good (moving it would count it
    # as a colleague's); the stored related fields would write through to the request.
    _frozen_fields = frozenset({"request_id", "question_id"})
    _protected_fields = frozenset(
        {"sequence", "topic", "user_id", "period_start", "company_id", "state"}
    )

    request_id = fields.Many2one(
        "crm.feedback.request", required=True, index=True, ondelete="cascade"
    )
    question_id = fields.Many2one("crm.feedback.question", required=True, ondelete="restrict")
    sequence = fields.Integer(related="question_id.sequence", store=True)
    topic = fields.Selection(related="question_id.topic", store=True)
    user_id = fields.Many2one(related="request_id.user_id", store=True, index=True)
    period_start = fields.Date(related="request_id.period_start", store=True, string="Month")
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    state = fields.Selection(related="request_id.state", store=True)
    rating_choice = fields.Selection(RATINGS, string="Rating", default="0")
    rating = fields.Integer(
        string="Score",
        compute="_compute_rating",
        store=True,
        aggregator="avg",
        help="1 (very poor) to 5 (very good); 0 when not rated.",
    )
    comment = fields.Text()

    def write(self, vals):
        if not self.env.su and self.filtered(lambda answer: answer.state == "answered"):
            raise UserError(
                self.env._("Feedback already sent cannot be changed: answer next month's.")
            )
        return super().write(vals)

    @api.depends("rating_choice")
    def _compute_rating(self):
        for answer in self:
            answer.rating = int(answer.rating_choice or 0)

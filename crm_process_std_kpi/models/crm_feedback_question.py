# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

FEEDBACK_TOPICS = [
    ("reminders", "Reminders and Cadences"),
    ("handoff", "Handoff"),
    ("requirements", "Required Fields"),
    ("tool", "Tool and Guidance"),
    ("other", "Other"),
]


class CrmFeedbackQuestion(models.Model):
    """A question of the recurring staff feedback on the process (seed 003 step 5)."""

    _name = "crm.feedback.question"
    _description = "Staff Feedback Question"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(string="Question", required=True, translate=True)
    topic = fields.Selection(FEEDBACK_TOPICS, required=True, default="other")
    help_text = fields.Char(
        string="What to Tune",
        translate=True,
        help="The rule an admin would adjust when the answers are low.",
    )
    active = fields.Boolean(default=True)

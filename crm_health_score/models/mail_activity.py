# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class MailActivity(models.Model):
    """Which activities the customer health recompute scheduled, and on which day:
    the daily cap per assignee counts them (done ones included), never the
    activities people schedule by hand or other processes create."""

    _inherit = "mail.activity"

    crm_health_scheduled_on = fields.Date(
        string="Scheduled by the Health Score On",
        readonly=True,
        copy=False,
        # Empty on every other activity: the partial index holds the health ones only.
        index="btree_not_null",
        help="Day the customer health recompute scheduled this churn To-Do or "
        "intervention activity.",
    )

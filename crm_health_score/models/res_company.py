# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Largest daily cap: an integer column refuses 1e12 with a database error, not with a
# message, and a cap this high is no cap (0 says so).
MAX_ACTIVITY_CAP = 100000


class ResCompany(models.Model):
    """How many new activities the customer health recompute gives each assignee a
    day (the assignee's company's setting)."""

    _inherit = "res.company"

    crm_health_activity_cap = fields.Integer(
        string="Max New Health Activities per Assignee per Day",
        default=20,
        help="The customer health recompute schedules at most this many new churn To-Dos "
        "and intervention activities per assignee and day, highest risk then revenue "
        "first; the customers held back wait for the next days. 0: no cap.",
    )

    @api.constrains("crm_health_activity_cap")
    def _check_crm_health_activity_cap(self):
        for company in self:
            if company.crm_health_activity_cap < 0:
                raise ValidationError(
                    self.env._(
                        "The daily cap of new health activities per assignee cannot be "
                        "negative (%s): set 0 for no cap.",
                        company.crm_health_activity_cap,
                    )
                )
            if company.crm_health_activity_cap > MAX_ACTIVITY_CAP:
                raise ValidationError(
                    self.env._(
                        "The daily cap of new health activities per assignee can be at most "
                        "%(max)s, not %(value)s: set 0 for no cap.",
                        max=MAX_ACTIVITY_CAP,
                        value=company.crm_health_activity_cap,
                    )
                )

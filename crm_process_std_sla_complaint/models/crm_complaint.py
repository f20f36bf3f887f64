# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmComplaint(models.Model):
    _inherit = "crm.complaint"

    crm_sla_timer_ids = fields.One2many("crm.sla.timer", "complaint_id", string="SLA Timers")
    sla_breach_count = fields.Integer(
        string="SLA Breaches", compute="_compute_sla_flags", store=True, compute_sudo=True
    )
    sla_overdue = fields.Boolean(
        string="SLA Overdue", compute="_compute_sla_flags", store=True, compute_sudo=True
    )

    @api.depends("crm_sla_timer_ids.state", "crm_sla_timer_ids.date_stop")
    def _compute_sla_flags(self):
        self.env["crm.sla.timer"]._set_record_flags(self, "complaint_id")

    # SLA timers are system records of the complaints the caller just created or wrote.
    def _sla_on_created(self):
        res = super()._sla_on_created()
        timers = self.env["crm.sla.timer"].sudo()
        timers._start_timers("complaint_opened", self, start_of=lambda c: c.date_open)
        answered = self.filtered("first_response_date")
        timers._stop_timers("complaint_answered", answered, stop_of=lambda c: c.first_response_date)
        return res

    def _sla_on_answered(self):
        res = super()._sla_on_answered()
        self.env["crm.sla.timer"].sudo()._stop_timers(
            "complaint_answered", self, stop_of=lambda c: c.first_response_date
        )
        return res

    def _sla_on_severity_changed(self):
        res = super()._sla_on_severity_changed()
        self.env["crm.sla.timer"].sudo()._start_timers(
            "complaint_opened", self, start_of=lambda c: c.date_open
        )
        return res

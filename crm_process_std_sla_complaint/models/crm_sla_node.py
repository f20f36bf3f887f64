# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

COMPLAINT_EVENTS = {"complaint_opened", "complaint_answered"}


class CrmSlaNode(models.Model):
    _inherit = "crm.sla.node"

    # Complaint nodes mean nothing without complaints: they go (with their timers)
    # when this bridge is uninstalled.
    start_event = fields.Selection(
        selection_add=[("complaint_opened", "Complaint opened")],
        ondelete={"complaint_opened": "cascade"},
    )
    stop_event = fields.Selection(
        selection_add=[("complaint_answered", "Complaint answered")],
        ondelete={"complaint_answered": "cascade"},
    )
    res_model = fields.Selection(
        selection_add=[("crm.complaint", "Complaint")], ondelete={"crm.complaint": "cascade"}
    )
    complaint_severity = fields.Selection(
        [("urgent", "Urgent"), ("normal", "Normal")],
        help="Leave empty to time complaints of every severity.",
    )

    @api.depends("start_event")
    def _compute_res_model(self):
        res = super()._compute_res_model()
        for node in self:
            if node.start_event in COMPLAINT_EVENTS:
                node.res_model = "crm.complaint"
        return res

    @api.constrains("start_event", "stop_event")
    def _check_complaint_events(self):
        labels = dict(self._fields["stop_event"]._description_selection(self.env))
        for node in self:
            is_complaint = node.start_event in COMPLAINT_EVENTS
            if is_complaint != (node.stop_event in COMPLAINT_EVENTS):
                raise ValidationError(
                    self.env._(
                        "Process node %(node)s cannot stop on '%(stop)s': a complaint node "
                        "stops when the complaint is answered, a lead node on a lead event.",
                        node=node.name,
                        stop=labels[node.stop_event],
                    )
                )

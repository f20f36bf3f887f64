# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.crm_process_std_sla.models.crm_sla_timer import PROTECTED_FIELDS


class CrmSlaTimer(models.Model):
    """The response clock of complaints: started when a complaint is opened, stopped
    when the customer gets a first answer."""

    _inherit = "crm.sla.timer"
    _protected_fields = PROTECTED_FIELDS | {"complaint_id"}

    complaint_id = fields.Many2one("crm.complaint", index=True, ondelete="cascade")

    _check_one_record = models.Constraint(
        "CHECK(lead_id IS NULL OR complaint_id IS NULL)",
        "An SLA timer times either a lead or a complaint.",
    )
    # One open clock per node and complaint, whatever runs concurrently.
    _one_open_complaint_timer = models.UniqueIndex(
        "(node_id, complaint_id) WHERE (date_stop IS NULL AND complaint_id IS NOT NULL)",
        "This node already times this complaint.",
    )

    @api.depends("complaint_id")
    def _compute_display_name(self):
        return super()._compute_display_name()

    def _timed_record(self):
        return super()._timed_record() or self.complaint_id

    @api.model
    def _record_field(self, records):
        if records._name == "crm.complaint":
            return "complaint_id"
        return super()._record_field(records)

    @api.model
    def _record_team(self, record):
        if record._name == "crm.complaint":
            return record.lead_id.team_id
        return super()._record_team(record)

    @api.model
    def _node_matches(self, node, record):
        if record._name == "crm.complaint" and node.complaint_severity not in (
            False,
            record.severity,
        ):
            return False
        return super()._node_matches(node, record)

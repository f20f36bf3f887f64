# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Helpers of the SLA tests (the bridges' tests use them too)."""

from freezegun import freeze_time

from odoo.addons.crm_process_std_base.tests.followup_common import FollowupCase

CRON = "crm_process_std_sla.ir_cron_crm_sla_check"
MONDAY_9 = "2026-03-02 09:00:00"


class SlaCase(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.escalation_type = cls.env.ref("crm_process_std_base.mail_activity_type_escalation")

    def end_of_request(self):
        """What the end of a request does before its commit: the lead events of the
        transaction start and stop their clocks (reading timers does not)."""
        self.env.cr.flush()

    def _check(self, at, **kwargs):
        """The scheduled check at ``at``, after the requests before it committed."""
        self.end_of_request()
        with freeze_time(at):
            result = self.run_cron("crm.sla.timer", "_cron_check_timers", **kwargs)
        self.env.invalidate_all()
        return result

    def _timer(self, record, node):
        field = self.env["crm.sla.timer"]._record_field(record)
        return self.env["crm.sla.timer"].search(
            [(field, "=", record.id), ("node_id", "=", node.id)]
        )

    def _escalations(self, record):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("activity_type_id", "=", self.escalation_type.id),
            ],
            order="id",
        )

    def _node(self, **values):
        return self.env["crm.sla.node"].create({"name": "Test node", **values})

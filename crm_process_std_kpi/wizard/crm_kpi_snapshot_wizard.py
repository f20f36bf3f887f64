# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmKpiSnapshotWizard(models.TransientModel):
    """Take (or retake) the monthly KPI snapshots of one month on demand."""

    _name = "crm.kpi.snapshot.wizard"
    _description = "Take KPI Snapshots"

    month = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="Any day of the month to snapshot; the current month is measured to date.",
    )

    def action_snapshot(self):
        self.ensure_one()
        self.check_access("write")
        # snapshots are written as superuser (flow-only figures): only those who may
        # create them (process administrators), for their allowed companies
        self.env["crm.kpi.snapshot"].check_access("create")
        snapshots = self.env["crm.kpi.snapshot"]._snapshot_month(self.month, self.env.companies)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std_kpi.action_crm_kpi_snapshot"
        )
        action["domain"] = [("id", "in", snapshots.ids)]
        action["context"] = {"search_default_company_level": 1}
        return action

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmStageRequirement(models.Model):
    """A stage may require a follow-up logged in the stage being left."""

    _inherit = "crm.stage.requirement"

    kind = fields.Selection(
        selection_add=[("field",), ("followup", "Follow-up logged in the stage being left")],
        ondelete={"followup": "cascade"},
    )

    def _missing(self, leads, since):
        self.ensure_one()
        if self.kind != "followup":
            return super()._missing(leads, since)
        origin = {lead.id: lead._origin.id for lead in leads}
        # sudo: only the date of the latest follow-up of each lead is used (a gate
        # outcome), for leads the caller moves (write checked) or reads (form preview)
        last_followup = {
            lead.id: date
            for lead, date in self.env["crm.followup"]
            .sudo()
            ._read_group(
                [("lead_id", "in", [i for i in origin.values() if i])],
                ["lead_id"],
                ["date:max"],
            )
        }
        label = self.env._("A follow-up logged in the current stage")
        missing = {}
        for lead in leads:
            entered, logged = since.get(lead.id), last_followup.get(origin[lead.id])
            if not entered or not logged or logged < entered:
                missing[lead.id] = [label]
        return missing

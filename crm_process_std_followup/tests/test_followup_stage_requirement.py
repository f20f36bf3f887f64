# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError

from odoo.addons.crm_process_std_base.tests.common import StageRequirementCase


class TestFollowupStageRequirement(StageRequirementCase):
    def test_followup_must_be_logged_in_the_stage_being_left(self):
        self.make_requirement(self.proposal, kind="followup", name="Follow-up done")
        lead = self.make_lead("Std Follow deal", stage=self.discovery)
        # The lead entered its stage on March 2 (crm stamps it with the transaction's
        # time, which freezegun does not move).
        lead.sudo().date_last_stage_update = datetime(2026, 3, 2, 9)
        Followup = self.env["crm.followup"].with_user(self.salesperson)
        # A follow-up from before the lead entered its current stage does not count.
        Followup.create(
            {"partner_id": self.customer.id, "lead_id": lead.id, "date": datetime(2026, 3, 1, 9)}
        )
        with (
            freeze_time("2026-03-05 09:00:00"),
            self.assertRaisesRegex(
                UserError, "Std Follow deal: A follow-up logged in the current stage"
            ),
        ):
            lead.write({"stage_id": self.proposal.id})
        Followup.create(
            {"partner_id": self.customer.id, "lead_id": lead.id, "date": datetime(2026, 3, 4, 9)}
        )
        with freeze_time("2026-03-05 09:00:00"):
            lead.write({"stage_id": self.proposal.id})
        self.assertEqual(lead.stage_id, self.proposal)

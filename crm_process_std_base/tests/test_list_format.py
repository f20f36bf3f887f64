# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError

from .common import StageRequirementCase


class TestListFormat(StageRequirementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")

    def test_stage_refusal_joins_missing_fields_in_chinese(self):
        self.make_requirement(self.proposal, ("phone", "email_from"))
        lead = self.make_lead("Std Chinese deal")
        with self.assertRaises(UserError) as caught:
            lead.with_user(self.salesperson).with_context(lang="zh_CN").write(
                {"stage_id": self.proposal.id}
            )
        line = next(
            line for line in str(caught.exception).splitlines() if "Std Chinese deal" in line
        )
        self.assertNotIn(", ", line)
        self.assertTrue("、" in line or "和" in line, line)
        self.assertEqual(lead.stage_id, self.start)

    def test_stage_refusal_joins_missing_fields_in_english(self):
        self.make_requirement(self.proposal, ("phone", "email_from", "expected_revenue"))
        lead = self.make_lead("Std English deal")
        with self.assertRaisesRegex(
            UserError, "- Std English deal: Phone, Email, and Expected Revenue"
        ):
            lead.with_user(self.salesperson).with_context(lang="en_US").write(
                {"stage_id": self.proposal.id}
            )

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, new_test_user


class StageRequirementCase(TransactionCase):
    """A sales team with its own three-stage pipeline, a salesperson and a manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env,
            login="std_stage_salesperson",
            name="Sally Salesperson",
            groups="sales_team.group_sale_salesman",
        )
        cls.manager = new_test_user(
            cls.env,
            login="std_stage_manager",
            name="Max Manager",
            groups="sales_team.group_sale_manager",
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Std Test Team", "member_ids": [(4, cls.salesperson.id)], "sequence": 999}
        )
        cls.other_team = cls.env["crm.team"].create({"name": "Std Other Team", "sequence": 999})
        Stage = cls.env["crm.stage"]
        teams = [(6, 0, [cls.team.id, cls.other_team.id])]
        cls.discovery = Stage.create({"name": "Std Discovery", "sequence": 12, "team_ids": teams})
        cls.proposal = Stage.create({"name": "Std Proposal", "sequence": 13, "team_ids": teams})
        cls.closing = Stage.create({"name": "Std Closing", "sequence": 14, "team_ids": teams})
        cls.start = Stage.create({"name": "Std Start", "sequence": 11, "team_ids": teams})
        cls.industry = cls.env.ref("base.res_partner_industry_C")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Std Customer Ltd", "is_company": True}
        )

    @classmethod
    def lead_field(cls, name):
        return cls.env["ir.model.fields"]._get("crm.lead", name)

    @classmethod
    def partner_field(cls, name):
        return cls.env["ir.model.fields"]._get("res.partner", name)

    def make_requirement(self, stage, lead_fields=(), partner_fields=(), **values):
        return self.env["crm.stage.requirement"].create(
            {
                "name": values.pop("name", f"Need {', '.join(lead_fields + partner_fields)}"),
                "stage_id": stage.id,
                "lead_field_ids": [(6, 0, [self.lead_field(name).id for name in lead_fields])],
                "partner_field_ids": [
                    (6, 0, [self.partner_field(name).id for name in partner_fields])
                ],
                "mode": values.pop("mode", "block"),
                **values,
            }
        )

    def make_lead(self, name="Std Lead", stage=None, team=None, **values):
        return (
            self.env["crm.lead"]
            .with_user(self.salesperson)
            .create(
                {
                    "name": name,
                    "type": "opportunity",
                    "team_id": (team or self.team).id,
                    "user_id": self.salesperson.id,
                    "stage_id": (stage or self.start).id,
                    **values,
                }
            )
        )

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user

from ..wizard.crm_industry_template_data import TEMPLATES
from ..wizard.crm_industry_template_wizard import XMLID_MODULE


class TestIndustryTemplate(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="std_template_admin",
            name="Template Admin",
            groups="crm_process_std.group_process_admin",
        )
        cls.salesperson = new_test_user(
            cls.env,
            login="std_template_salesperson",
            name="Template Salesperson",
            groups="sales_team.group_sale_salesman",
        )

    def wizard(self, template):
        return (
            self.env["crm.industry.template.wizard"]
            .with_user(self.admin)
            .create({"template": template})
        )

    def template_records(self, template):
        data = self.env["ir.model.data"].search(
            [("module", "=", XMLID_MODULE), ("name", "=like", f"{template}\\_%")]
        )
        return {row.name: (row.model, row.res_id) for row in data}

    def counts(self):
        return {
            model: self.env[model].with_context(active_test=False).search_count([])
            for model in (
                "crm.stage",
                "crm.stage.requirement",
                "crm.sla.node",
                "crm.cadence.rule",
                "crm.health.scorecard",
            )
            if model in self.env
        }

    def test_each_template_applies_twice_without_duplicates(self):
        for template in TEMPLATES:
            with self.subTest(template=template):
                self.wizard(template).action_apply()
                after_first = self.counts()
                made = self.template_records(template)
                preset = TEMPLATES[template]
                self.assertEqual(
                    len([name for name in made if "_requirement_" in name]),
                    len(preset["requirements"]),
                )
                self.assertEqual(
                    len([name for name in made if "_sla_" in name]), len(preset["slas"])
                )
                self.assertEqual(
                    len([name for name in made if "_cadence_" in name]), len(preset["cadences"])
                )
                second = self.wizard(template)
                self.assertEqual(
                    {item["action"] for item in second._plan()} - {"reuse"}, {"unchanged"}
                )
                second.action_apply()
                self.assertEqual(self.counts(), after_first)
                self.assertEqual(self.template_records(template), made)

    def test_preview_lists_what_will_be_created(self):
        wizard = self.wizard("car_dealership")
        html = str(wizard.preview_html)
        for name in ("Test Drive", "Phone and e-mail", "Car prospects: every 3 days"):
            self.assertIn(name, html)
        plan = {item["name"]: item["action"] for item in wizard._plan()}
        self.assertEqual(plan["First call of a car prospect"], "create")
        self.assertEqual(plan["Offer / Financing"], "create")
        # crm demo data already has a "Won" stage: it is used, not duplicated
        self.assertEqual(plan["Won"], "reuse")
        self.assertNotIn(
            "First call of a car prospect", self.env["crm.sla.node"].search([]).mapped("name")
        )

    def test_modified_rule_is_kept_and_listed(self):
        self.wizard("ecommerce").action_apply()
        model, res_id = self.template_records("ecommerce")["ecommerce_sla_online_reply"]
        node = self.env[model].browse(res_id)
        node.time_limit_hours = 3
        model, res_id = self.template_records("ecommerce")["ecommerce_requirement_cart_email"]
        requirement = self.env[model].browse(res_id)
        requirement.active = False
        wizard = self.wizard("ecommerce")
        plan = {item["name"]: item["action"] for item in wizard._plan()}
        self.assertEqual(plan["Reply to an online enquiry"], "modified")
        self.assertIn("Kept (modified)", str(wizard.preview_html))
        wizard.action_apply()
        self.assertEqual(node.time_limit_hours, 3)
        self.assertFalse(requirement.active)
        self.assertEqual(
            self.env["crm.sla.node"].search_count([("name", "=", "Reply to an online enquiry")]), 1
        )
        self.assertIn("Kept (modified)", str(wizard.result_html))

    def test_scorecard_is_new_and_inactive(self):
        if "crm.health.scorecard" not in self.env:
            self.skipTest("crm_health_score is not installed")
        Scorecard = self.env["crm.health.scorecard"].with_context(active_test=False)
        active_before = Scorecard.search([("active", "=", True)])
        weights_before = active_before.read(["weight_orders"])
        self.wizard("b2b_manufacturing").action_apply()
        card = Scorecard.search([("name", "=", "B2B manufacturing health scorecard")])
        self.assertEqual(len(card), 1)
        self.assertFalse(card.active)
        self.assertEqual(card.weight_orders, 30)
        self.assertEqual(Scorecard.search([("active", "=", True)]), active_before)
        self.assertEqual(active_before.read(["weight_orders"]), weights_before)

    def test_salesperson_cannot_run_the_wizard(self):
        with self.assertRaises(AccessError):
            self.env["crm.industry.template.wizard"].with_user(self.salesperson).create(
                {"template": "retail_store"}
            )

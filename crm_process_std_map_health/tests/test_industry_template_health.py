# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.crm_process_std_map.wizard.crm_industry_template_wizard import XMLID_MODULE

from ..wizard.crm_industry_template_data import TEMPLATE_WEIGHTS


@tagged("post_install", "-at_install")
class TestIndustryTemplateHealth(TransactionCase):
    """A template also proposes a health scorecard with its weights: new, inactive,
    and never a second one when applied again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="std_template_health_admin",
            groups="crm_process_std_base.group_process_admin",
        )

    def wizard(self, template):
        return (
            self.env["crm.industry.template.wizard"]
            .with_user(self.admin)
            .create({"template": template})
        )

    def test_scorecard_is_new_and_inactive(self):
        Scorecard = self.env["crm.health.scorecard"].with_context(active_test=False)
        active_before = Scorecard.search([("active", "=", True)])
        weights_before = active_before.read(["weight_orders"])
        wizard = self.wizard("b2b_manufacturing")
        self.assertIn("B2B manufacturing health scorecard", str(wizard.preview_html))
        self.assertIn("Health scorecard", str(wizard.preview_html))
        wizard.action_apply()
        card = Scorecard.search([("name", "=", "B2B manufacturing health scorecard")])
        self.assertEqual(len(card), 1)
        self.assertFalse(card.active)
        self.assertEqual(card.weight_orders, 30)
        self.assertEqual(Scorecard.search([("active", "=", True)]), active_before)
        self.assertEqual(active_before.read(["weight_orders"]), weights_before)

    def test_each_template_makes_one_scorecard_once(self):
        Scorecard = self.env["crm.health.scorecard"].with_context(active_test=False)
        for template, weights in TEMPLATE_WEIGHTS.items():
            with self.subTest(template=template):
                self.wizard(template).action_apply()
                [data] = self.env["ir.model.data"].search(
                    [("module", "=", XMLID_MODULE), ("name", "=", f"{template}_scorecard_weights")]
                )
                card = Scorecard.browse(data.res_id)
                self.assertEqual(card.weight_total, 100)
                self.assertEqual(
                    {dimension: card[f"weight_{dimension}"] for dimension in weights}, weights
                )
                count = Scorecard.search_count([])
                second = self.wizard(template)
                plan = {item["kind"]: item["action"] for item in second._plan()}
                self.assertEqual(plan["scorecard"], "unchanged")
                second.action_apply()
                self.assertEqual(Scorecard.search_count([]), count)


@tagged("post_install", "-at_install")
class TestIndustryTemplateHealthInChinese(TransactionCase):
    """The scorecard a Chinese administrator makes is named in both languages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        crm_addons = cls.env["ir.module.module"].search(
            [("state", "=", "installed"), ("name", "=like", "crm%")]
        )
        cls.env["ir.module.module"]._load_module_terms(crm_addons.mapped("name"), ["zh_CN"])
        cls.admin = new_test_user(
            cls.env,
            login="std_template_health_zh",
            groups="crm_process_std_base.group_process_admin",
            lang="zh_CN",
        )

    def test_scorecard_named_in_both_languages(self):
        env = self.env(user=self.admin, context=dict(self.env.context, lang="zh_CN"))
        env["crm.industry.template.wizard"].create({"template": "b2b_manufacturing"}).action_apply()
        data = self.env["ir.model.data"].search(
            [("module", "=", XMLID_MODULE), ("name", "=", "b2b_manufacturing_scorecard_weights")]
        )
        card = self.env["crm.health.scorecard"].browse(data.res_id)
        self.assertEqual(card.with_context(lang="en_US").name, "B2B manufacturing health scorecard")
        self.assertEqual(card.with_context(lang="zh_CN").name, "B2B 制造业 健康度评分卡")

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.crm.tests.common import TestCrmCommon

from ..wizard.crm_industry_template_data import TEMPLATES
from ..wizard.crm_industry_template_wizard import XMLID_MODULE


@tagged("post_install", "-at_install")
class TestIndustryTemplate(TestCrmCommon):
    """On crm's own test organisation (its salesperson on own documents)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="std_template_admin",
            name="Template Admin",
            groups="crm_process_std_base.group_process_admin",
        )
        cls.salesperson = cls.user_sales_salesman

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

    def offered(self, preset):
        """The preset's SLA nodes whose events an installed part offers."""
        node_fields = self.env["crm.sla.node"]._fields
        starts, stops = (
            dict(node_fields[name]._description_selection(self.env))
            for name in ("start_event", "stop_event")
        )
        return [row for row in preset["slas"] if row[2] in starts and row[3] in stops]

    def counts(self):
        return {
            model: self.env[model].with_context(active_test=False).search_count([])
            for model in (
                "crm.stage",
                "crm.stage.requirement",
                "crm.sla.node",
                "crm.cadence.rule",
            )
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
                    len([name for name in made if "_sla_" in name]), len(self.offered(preset))
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

    def test_a_node_of_another_part_comes_with_its_bridge(self):
        """The e-commerce preset times the answer to a complaint: that node is created
        where complaints have SLA events (crm_process_std_sla_complaint), and left out,
        with the rest applied, where they have none."""
        timed = "complaint_opened" in dict(
            self.env["crm.sla.node"]._fields["start_event"]._description_selection(self.env)
        )
        wizard = self.wizard("ecommerce")
        self.assertEqual("Answer an online complaint" in str(wizard.preview_html), timed)
        wizard.action_apply()
        records = self.template_records("ecommerce")
        self.assertIn("ecommerce_sla_online_reply", records)
        self.assertEqual("ecommerce_sla_complaint_reply" in records, timed)
        if timed:
            model, res_id = records["ecommerce_sla_complaint_reply"]
            self.assertEqual(self.env[model].browse(res_id).start_event, "complaint_opened")

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

    def test_salesperson_cannot_run_the_wizard(self):
        with self.assertRaises(AccessError):
            self.env["crm.industry.template.wizard"].with_user(self.salesperson).create(
                {"template": "retail_store"}
            )


@tagged("post_install", "-at_install")
class TestIndustryTemplateInChinese(TransactionCase):
    """A Chinese process administrator previews and applies a preset: it reads in
    Chinese, and the records it makes speak both languages (English source,
    Chinese translation), so an English colleague reads them in English."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # the shipped translations of crm and of every part the presets fill
        crm_addons = cls.env["ir.module.module"].search(
            [("state", "=", "installed"), ("name", "=like", "crm%")]
        )
        cls.env["ir.module.module"]._load_module_terms(crm_addons.mapped("name"), ["zh_CN"])
        cls.admins = {
            lang: new_test_user(
                cls.env,
                login=f"std_template_{lang}",
                groups="crm_process_std_base.group_process_admin",
                lang=lang,
            )
            for lang in ("en_US", "zh_CN")
        }

    def wizard(self, lang, template="b2b_manufacturing"):
        user = self.admins[lang]
        env = self.env(user=user, context=dict(self.env.context, lang=lang))
        return env["crm.industry.template.wizard"].create({"template": template})

    def made(self, name):
        data = self.env["ir.model.data"].search(
            [("module", "=", XMLID_MODULE), ("name", "=", name)]
        )
        return self.env[data.model].browse(data.res_id)

    def test_chinese_preview_and_records_in_both_languages(self):
        wizard = self.wizard("zh_CN")
        preview = str(wizard.preview_html)
        self.assertIn("样品/试用", preview)
        self.assertIn("进行中的 B2B 商机：每 7 天", preview)
        self.assertNotIn("Sample / Trial", preview)
        wizard.action_apply()
        stage = self.made("b2b_manufacturing_stage_sample")
        self.assertEqual(stage.with_context(lang="en_US").name, "Sample / Trial")
        self.assertEqual(stage.with_context(lang="zh_CN").name, "样品/试用")
        self.assertIn("Ship samples", stage.with_context(lang="en_US").guidance)
        self.assertIn("寄送样品，书面约定试用标准。", stage.with_context(lang="zh_CN").guidance)
        cadence = self.made("b2b_manufacturing_cadence_open_deals")
        self.assertEqual(cadence.with_context(lang="en_US").name, "Open B2B deals: every 7 days")
        self.assertEqual(cadence.with_context(lang="zh_CN").name, "进行中的 B2B 商机：每 7 天")
        requirement = self.made("b2b_manufacturing_requirement_qualified_contact")
        self.assertEqual(requirement.with_context(lang="zh_CN").name, "联系方式")
        node = self.made("b2b_manufacturing_sla_first_contact")
        self.assertEqual(node.with_context(lang="zh_CN").name, "新询盘的首次联系")
        # applying again, in either language, finds what was made: nothing to create
        for lang in ("zh_CN", "en_US"):
            with self.subTest(lang=lang):
                actions = {item["action"] for item in self.wizard(lang)._plan()}
                self.assertEqual(actions - {"reuse"}, {"unchanged"})

    def test_existing_stage_is_found_by_its_chinese_name(self):
        stage = self.env["crm.stage"].with_context(lang="zh_CN").create({"name": "试驾"})
        plan = {item["key"]: item for item in self.wizard("zh_CN", "car_dealership")._plan()}
        self.assertEqual(plan["test_drive"]["action"], "reuse")
        self.assertEqual(plan["test_drive"]["record"], stage)

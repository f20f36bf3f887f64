# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from pathlib import Path

from odoo.tests import TransactionCase, new_test_user
from odoo.tools.misc import file_path

REPO_DATA = Path(__file__).resolve().parents[2] / "data"
SAMPLES = {
    "res.partner": "customer_information_sample.csv",
    "crm.lead": "lead_information_sample.csv",
}
TEMPLATE_LABELS = {
    "res.partner": "Customer Information Standard (template 1)",
    "crm.lead": "Lead Information Standard (template 1)",
}
# Options the import dialog sends on upload: separator, encoding and date format
# left for the preview to detect.
DIALOG_OPTIONS = {
    "advanced": True,
    "has_headers": True,
    "keep_matches": False,
    "limit": 2000,
    "sheets": [],
    "sheet": "",
    "skip": 0,
    "tracking_disable": True,
    "encoding": "",
    "separator": "",
    "quoting": '"',
    "date_format": "",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
}


class TestImportTemplates(TransactionCase):
    """The import dialog of customers and leads, used by an English and by a Chinese
    salesperson: the template it offers and the repository's sample files import
    with the right industry, customer type and need priority for both."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # as in a database where Chinese is installed: field labels, industries and
        # selection labels in Chinese
        cls.env["ir.module.module"]._load_module_terms(
            ["base", "crm", "crm_process_std_base"], ["zh_CN"]
        )
        groups = "sales_team.group_sale_salesman,base.group_partner_manager"
        cls.salespeople = {
            lang: new_test_user(cls.env, login=f"std_import_{lang}", groups=groups, lang=lang)
            for lang in ("en_US", "zh_CN")
        }
        cls.manufacturing = cls.env.ref("base.res_partner_industry_C")

    def as_salesperson(self, lang):
        """The environment of the salesperson of ``lang`` as the web client calls:
        the user's language in the context."""
        user = self.salespeople[lang]
        return self.env(user=user, context=dict(self.env.context, lang=user.lang))

    def offered_templates(self, model, lang):
        """Our templates the import dialog offers to the salesperson of ``lang``."""
        Model = self.as_salesperson(lang)[model]
        return [
            template
            for template in Model.get_import_templates()
            if template["template"].startswith("/crm_process_std_base/")
        ]

    def import_file(self, model, lang, filename, content):
        """Import ``content`` as the import dialog does for the salesperson of
        ``lang``: preview, keep the proposed mapping, import."""
        # mappings saved by an earlier import would hide a header that does not match
        self.env["base_import.mapping"].search([("res_model", "=", model)]).unlink()
        importer = self.as_salesperson(lang)["base_import.import"].create(
            {
                "res_model": model,
                "file": content,
                "file_name": filename,
                "file_type": "text/csv",
            }
        )
        preview = importer.parse_preview(dict(DIALOG_OPTIONS))
        self.assertFalse(preview.get("error"), preview.get("error"))
        fields = [
            "/".join(path) if path else False
            for path in (preview["matches"].get(index) for index in range(len(preview["headers"])))
        ]
        unmatched = [
            header for header, name in zip(preview["headers"], fields, strict=True) if not name
        ]
        self.assertFalse(unmatched, f"{filename} ({lang}): columns the dialog does not map")
        options = {
            **preview["options"],
            "import_skip_records": [],
            "import_set_empty_fields": [],
            "fallback_values": {},
            "name_create_enabled_fields": {},
        }
        result = importer.execute_import(fields, preview["headers"], options)
        errors = [message["message"] for message in result["messages"]]
        self.assertFalse(errors, f"{filename} ({lang})")
        return self.env[model].browse(result["ids"])

    def test_salespeople_speak_their_language(self):
        self.assertEqual(self.as_salesperson("zh_CN")["res.partner"].env.lang, "zh_CN")
        self.assertEqual(self.manufacturing.with_env(self.as_salesperson("zh_CN")).name, "制造")

    def test_dialog_offers_one_template_per_model_and_keeps_odoos_own(self):
        for model, label in TEMPLATE_LABELS.items():
            for lang in self.salespeople:
                with self.subTest(model=model, lang=lang):
                    ours = self.offered_templates(model, lang)
                    self.assertEqual(len(ours), 1)
                    all_templates = self.as_salesperson(lang)[model].get_import_templates()
                    self.assertGreater(len(all_templates), 1, "Odoo's own template is kept")
                    expected = (
                        label
                        if lang == "en_US"
                        else {
                            "res.partner": "客户信息标准（模板 1）",
                            "crm.lead": "销售线索信息标准（模板 1）",
                        }[model]
                    )
                    self.assertEqual(ours[0]["label"], expected)

    def test_template_headers_follow_template_1(self):
        headers = {
            "en_US": "Core Need,Need Priority,Budget Range,Expected Delivery Date",
            "zh_CN": "核心需求,需求优先级,预算范围,期望交付时间",
        }
        for model in TEMPLATE_LABELS:
            for lang, expected in headers.items():
                with self.subTest(model=model, lang=lang):
                    template = self.offered_templates(model, lang)[0]["template"]
                    path = Path(file_path(template.lstrip("/")))
                    self.assertIn(expected, path.read_text(encoding="utf-8").splitlines()[0])

    def test_offered_template_imports_for_its_user(self):
        for model in TEMPLATE_LABELS:
            for lang in self.salespeople:
                with self.subTest(model=model, lang=lang):
                    template = self.offered_templates(model, lang)[0]["template"]
                    path = Path(file_path(template.lstrip("/")))
                    records = self.import_file(model, lang, path.name, path.read_bytes())
                    self.assertEqual(len(records), 1)
                    self.assertEqual(records.industry_id, self.manufacturing)
                    self.assertEqual(records.need_priority, "high")
                    self.assertEqual(str(records.expected_delivery_date), "2026-12-31")
                    self.assertEqual(str(records.next_action_date), "2026-06-20")
                    self.assertTrue(records.phone and records.core_need and records.next_action)
                    self.assertTrue(records.budget_range)
                    email = records.email if model == "res.partner" else records.email_from
                    self.assertIn("@example.com", email)
                    if model == "res.partner":
                        self.assertTrue(records.is_company)
                        self.assertEqual(records.customer_type, "potential")
                    else:
                        self.assertEqual(records.expected_revenue, 800000)
                        self.assertEqual(records.source_id, self.env.ref("utm.utm_source_referral"))

    def test_language_independent_template_imports_for_every_user(self):
        """The template offered to languages without their own file."""
        for model, template in (
            ("res.partner", "customer_information_standard.csv"),
            ("crm.lead", "lead_information_standard.csv"),
        ):
            content = Path(file_path(f"crm_process_std_base/static/xls/{template}")).read_bytes()
            for lang in self.salespeople:
                with self.subTest(model=model, lang=lang):
                    records = self.import_file(model, lang, template, content)
                    self.assertEqual(records.industry_id, self.manufacturing)
                    self.assertEqual(records.need_priority, "high")

    def test_sample_customer_file_imports_for_every_user(self):
        content = (REPO_DATA / SAMPLES["res.partner"]).read_bytes()
        for lang in self.salespeople:
            with self.subTest(lang=lang):
                partners = self.import_file("res.partner", lang, SAMPLES["res.partner"], content)
                self.assertEqual(len(partners), 4)
                by_name = {partner.name: partner for partner in partners}
                hengyuan = by_name["Sample Hengyuan Machinery"]
                self.assertEqual(hengyuan.industry_id, self.manufacturing)
                self.assertEqual(hengyuan.customer_type, "potential")
                self.assertEqual(hengyuan.need_priority, "high")
                self.assertEqual(str(hengyuan.expected_delivery_date), "2026-12-31")
                self.assertGreater(hengyuan.completeness_rate, 80)
                qingfeng = by_name["Sample Qingfeng Retail"]
                self.assertEqual(qingfeng.industry_id, self.env.ref("base.res_partner_industry_G"))
                self.assertEqual(qingfeng.customer_type, "customer")
                self.assertEqual(qingfeng.need_priority, "medium")
                yunfan = by_name["Sample Yunfan Software"]
                self.assertEqual(yunfan.industry_id, self.env.ref("base.res_partner_industry_J"))
                self.assertEqual(yunfan.customer_type, "lost")

    def test_sample_lead_file_imports_for_every_user(self):
        content = (REPO_DATA / SAMPLES["crm.lead"]).read_bytes()
        for lang in self.salespeople:
            with self.subTest(lang=lang):
                leads = self.import_file("crm.lead", lang, SAMPLES["crm.lead"], content)
                self.assertEqual(len(leads), 3)
                lead = leads.filtered(lambda l: l.partner_name == "Sample Hengyuan Machinery")
                self.assertEqual(lead.core_need, "Lower production costs")
                self.assertEqual(lead.expected_revenue, 800000)
                self.assertEqual(lead.source_id, self.env.ref("utm.utm_source_referral"))
                self.assertEqual(lead.industry_id, self.manufacturing)
                self.assertEqual(lead.need_priority, "high")
                jiahe = leads.filtered(lambda l: l.partner_name == "Sample Jiahe Logistics")
                self.assertEqual(jiahe.industry_id, self.env.ref("base.res_partner_industry_H"))
                self.assertEqual(jiahe.need_priority, "low")

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from pathlib import Path

from odoo.tests import TransactionCase, new_test_user
from odoo.tools.misc import file_path

REPO_DATA = Path(__file__).resolve().parents[2] / "data"


class TestImportTemplates(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env,
            login="std_import_sales",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )

    def test_import_dialog_offers_template_1_files(self):
        for model, template in (
            ("res.partner", "customer_information_standard.csv"),
            ("crm.lead", "lead_information_standard.csv"),
        ):
            templates = self.env[model].get_import_templates()
            ours = [t for t in templates if t["template"].endswith(template)]
            self.assertEqual(len(ours), 1, model)
            self.assertGreater(len(templates), 1, "Odoo's own template is kept")
            header = Path(file_path(ours[0]["template"].lstrip("/"))).read_text().splitlines()[0]
            self.assertIn("Core Need,Need Priority,Budget Range,Expected Delivery Date", header)

    def _import(self, model, filename):
        content = (REPO_DATA / filename).read_bytes()
        importer = (
            self.env["base_import.import"]
            .with_user(self.salesperson)
            .create(
                {
                    "res_model": model,
                    "file": content,
                    "file_name": filename,
                    "file_type": "text/csv",
                }
            )
        )
        options = {
            "has_headers": True,
            "quoting": '"',
            "separator": ",",
            "encoding": "utf-8",
            "date_format": "%Y-%m-%d",
            "float_thousand_separator": ",",
            "float_decimal_separator": ".",
        }
        preview = importer.parse_preview(options)
        self.assertFalse(preview.get("error"), preview.get("error"))
        fields = [
            "/".join(path) if path else False
            for path in (preview["matches"].get(index) for index in range(len(preview["headers"])))
        ]
        self.assertNotIn(False, fields, f"every column of {filename} maps to a field")
        result = importer.execute_import(fields, preview["headers"], options)
        self.assertFalse(result["messages"], result["messages"])
        return self.env[model].browse(result["ids"])

    def test_sample_customer_file_imports_cleanly(self):
        partners = self._import("res.partner", "customer_information_sample.csv")
        self.assertEqual(len(partners), 4)
        hengyuan = partners.filtered(lambda p: p.name == "Sample Hengyuan Machinery")
        self.assertEqual(hengyuan.industry_id, self.env.ref("base.res_partner_industry_C"))
        self.assertEqual(hengyuan.customer_type, "potential")
        self.assertEqual(hengyuan.need_priority, "high")
        self.assertEqual(str(hengyuan.expected_delivery_date), "2026-12-31")
        self.assertGreater(hengyuan.completeness_rate, 80)

    def test_sample_lead_file_imports_cleanly(self):
        leads = self._import("crm.lead", "lead_information_sample.csv")
        self.assertEqual(len(leads), 3)
        lead = leads.filtered(lambda l: l.partner_name == "Sample Hengyuan Machinery")
        self.assertEqual(lead.core_need, "Lower production costs")
        self.assertEqual(lead.expected_revenue, 800000)
        self.assertEqual(lead.source_id, self.env.ref("utm.utm_source_referral"))
        self.assertEqual(lead.industry_id, self.env.ref("base.res_partner_industry_C"))

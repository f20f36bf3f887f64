# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestContactValidation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env,
            login="std_phone_sales",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        cls.china = cls.env.ref("base.cn")

    def test_malformed_phone_refused_in_lead_form(self):
        form = Form(self.env["crm.lead"].with_user(self.salesperson))
        form.name = "Std Phone lead"
        form.country_id = self.china
        form.phone = "12ab"
        with self.assertRaisesRegex(UserError, '"12ab" is not a valid phone number'):
            form.save()
        form.phone = "138 0013 8000"  # national number, country China
        lead = form.save()
        self.assertTrue(lead.phone)

    def test_malformed_email_refused_in_customer_form(self):
        form = Form(self.env["res.partner"].with_user(self.salesperson))
        form.name = "Std Email customer"
        form.email = "zhang.example.com"
        with self.assertRaisesRegex(UserError, '"zhang.example.com" is not a valid email address'):
            form.save()
        form.email = "zhang@example.com"
        self.assertEqual(form.save().email, "zhang@example.com")

    def test_malformed_phone_refused_in_customer_import(self):
        result = (
            self.env["res.partner"]
            .with_user(self.salesperson)
            .with_context(import_file=True)
            .load(["name", "phone"], [["Std Import ok", "+86 21 6288 0101"], ["Std Bad", "99"]])
        )
        self.assertFalse(result["ids"])
        self.assertIn('"99" is not a valid phone number', result["messages"][0]["message"])

    def test_integrations_are_not_refused(self):
        # Website forms, the mail gateway and RPC integrations must never lose a lead.
        lead = self.env["crm.lead"].create({"name": "Std Web lead", "phone": "hello"})
        self.assertEqual(lead.phone, "hello")

    def test_contact_forms_of_the_erp_follow_the_company_setting(self):
        # a company that switched it off keeps Odoo's own contact forms as they were
        self.env.company.crm_std_validate_partner_contacts = False
        form = Form(self.env["res.partner"].with_user(self.salesperson))
        form.name = "Std Email unchecked"
        form.email = "zhang.example.com"
        self.assertEqual(form.save().email, "zhang.example.com")
        # leads stay checked: they are the process this addon standardises
        form = Form(self.env["crm.lead"].with_user(self.salesperson))
        form.name = "Std Phone lead unchecked company"
        form.phone = "12ab"
        with self.assertRaisesRegex(UserError, '"12ab" is not a valid phone number'):
            form.save()

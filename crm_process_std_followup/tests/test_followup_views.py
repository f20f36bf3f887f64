# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user

from odoo.addons.crm_process_std_base.tests.followup_common import FollowupCase


class TestFollowupViews(FollowupCase):
    """Every view of the concern opens for the users who work with it."""

    def _open_action(self, xmlid, user):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        modes = action["view_mode"].split(",")
        views = (
            self.env[action["res_model"]]
            .with_user(user)
            .get_views([(False, mode) for mode in modes] + [(False, "search")])
        )
        self.assertEqual(set(views["views"]), {*modes, "search"})
        return views

    def test_followup_action_opens_for_a_salesperson(self):
        self._open_action("crm_process_std_followup.action_crm_followup", self.salesman)

    def test_cadence_action_opens_for_a_process_admin(self):
        admin = new_test_user(
            self.env, login="fu_process_admin", groups="crm_process_std_base.group_process_admin"
        )
        self._open_action("crm_process_std_followup.action_crm_cadence_rule", admin)

    def test_lead_customer_and_activity_forms_show_the_followup_entry_points(self):
        lead_form = self.env["crm.lead"].with_user(self.salesman).get_views([(False, "form")])
        arch = lead_form["views"]["form"]["arch"]
        self.assertIn('name="action_crm_log_followup"', arch)
        self.assertIn('name="crm_followup_count"', arch)
        partner_form = self.env["res.partner"].with_user(self.salesman).get_views([(False, "form")])
        self.assertIn('name="customer_tier"', partner_form["views"]["form"]["arch"])
        popup = self.env.ref("mail.mail_activity_view_form_popup")
        activity_form = (
            self.env["mail.activity"].with_user(self.salesman).get_views([(popup.id, "form")])
        )
        self.assertIn('name="action_crm_log_followup"', activity_form["views"]["form"]["arch"])

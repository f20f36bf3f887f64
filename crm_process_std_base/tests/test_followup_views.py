# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user

from .followup_common import FollowupCase


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

    def test_staff_actions_open_for_a_salesperson(self):
        for xmlid in (
            "crm_process_std_base.action_crm_complaint",
            "crm_process_std_base.action_crm_sla_timer",
        ):
            self._open_action(xmlid, self.salesman)

    def test_configuration_actions_open_for_a_process_admin(self):
        admin = new_test_user(
            self.env, login="fu_process_admin", groups="crm_process_std_base.group_process_admin"
        )
        for xmlid in ("crm_process_std_base.action_crm_sla_node",):
            self._open_action(xmlid, admin)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who sees timers and configures nodes, the views and buttons of the SLA addon as
the web client uses them, and a node change enforced by every later request."""

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.crm_process_std_base.tests.common import ConfigCacheRaceMixin, WebClientCase
from odoo.addons.crm_process_std_base.tests.test_security_configuration import (
    ProcessAdminConfigCase,
)

from .common import SlaCase


class TestSlaAccess(SlaCase):
    """SLA timers mirror CRM's own documents rule; nodes are configuration."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.all_docs = new_test_user(
            cls.env, login="sla_all_docs", groups="sales_team.group_sale_salesman_all_leads"
        )
        cls.process_admin = new_test_user(
            cls.env, login="sla_process_admin", groups="crm_process_std_base.group_process_admin"
        )
        cls.env["crm.sla.node"].create(
            {"name": "Access node", "start_event": "lead_created", "stop_event": "lead_assigned"}
        )
        cls.my_lead = cls.env["crm.lead"].create({"name": "Mine", "user_id": cls.salesman.id})
        cls.other_lead = cls.env["crm.lead"].create(
            {"name": "Theirs", "user_id": cls.other_salesman.id}
        )
        cls.env.cr.flush()  # the leads' creation committed: their clocks run

    def _visible(self, user, records):
        return records.with_user(user).search([("id", "in", records.ids)])

    def test_salesperson_sees_sla_timers_of_own_leads_only(self):
        timers = self.env["crm.sla.timer"].search(
            [("lead_id", "in", (self.my_lead | self.other_lead).ids)]
        )
        self.assertTrue(timers.filtered(lambda t: t.lead_id == self.other_lead))
        self.assertEqual(
            self._visible(self.salesman, timers).lead_id, self.my_lead, "only his own lead"
        )
        self.assertEqual(self._visible(self.all_docs, timers), timers)

    def test_only_process_administrators_configure_nodes(self):
        with self.assertRaises(AccessError):
            self.env["crm.sla.node"].with_user(self.leader).create(
                {"name": "Node", "time_limit_hours": 1}
            )
        self.env["crm.sla.node"].with_user(self.process_admin).create(
            {"name": "Node", "time_limit_hours": 1}
        )

    def _open_action(self, xmlid, user):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        modes = action["view_mode"].split(",")
        views = (
            self.env[action["res_model"]]
            .with_user(user)
            .get_views([(False, mode) for mode in modes] + [(False, "search")])
        )
        self.assertEqual(set(views["views"]), {*modes, "search"})

    def test_timers_open_for_a_salesperson_and_nodes_for_a_process_admin(self):
        self._open_action("crm_process_std_sla.action_crm_sla_timer", self.salesman)
        self._open_action("crm_process_std_sla.action_crm_sla_node", self.process_admin)
        arch = self.env["crm.lead"].with_user(self.salesman).get_views([(False, "form")])
        self.assertIn('name="action_crm_view_sla_timers"', arch["views"]["form"]["arch"])


@tagged("post_install", "-at_install")
class TestSlaButtons(WebClientCase):
    """The buttons of the SLA views, pressed as the web client presses them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="sla_btn_sales", groups="sales_team.group_sale_salesman"
        )
        new_test_user(
            cls.env, login="sla_btn_admin", groups="crm_process_std_base.group_process_admin"
        )
        cls.lead = cls.env["crm.lead"].create({"name": "Buttons", "user_id": cls.salesman.id})
        cls.node = cls.env.ref("crm_process_std_sla.sla_node_lead_assignment")

    def test_lead_and_node_buttons_open_titled_timer_lists(self):
        for login, record, method, domain in (
            ("sla_btn_sales", self.lead, "action_crm_view_sla_timers", ["lead_id", "="]),
            ("sla_btn_admin", self.node, "action_view_timers", ["node_id", "="]),
        ):
            with self.subTest(method=method):
                self.authenticate(login, login)
                action = self.button(record._name, record.id, method)
                self.assertEqual(action["res_model"], "crm.sla.timer")
                self.assertTrue(action["name"])
                self.assertEqual(action["domain"], [[*domain, record.id]])


@tagged("post_install", "-at_install")
class TestSlaNodeConfiguration(ProcessAdminConfigCase):
    def test_sla_node(self):
        node, _changed = self.configure(
            "crm_process_std_sla.action_crm_sla_node",
            lambda: {
                "name": "Proposal sent within 3 days",
                "start_event": "stage_entered",
                "stop_event": "stage_left",
                "stage_id": self.pick("crm.stage", "Proposition"),
                "team_ids": [[6, 0, [self.pick("crm.team", "Config Team")]]],
                "time_limit_hours": 24,
                "use_working_hours": True,
                "resource_calendar_id": self.pick("resource.calendar", ""),
                "responsible": "node_owner",
                "user_id": self.pick("res.users", self.admin.name),
            },
            {"time_limit_hours": 72},
        )
        self.assertEqual(node.time_limit_hours, 72)


@tagged("post_install", "-at_install")
class TestSlaNodeCacheSnapshots(ConfigCacheRaceMixin, TransactionCase):
    """A node change is seen by every later request (the lead hooks cache the nodes)."""

    @staticmethod
    def _add_node(env):
        return (
            env["crm.sla.node"]
            .create(
                {
                    "name": "Snapshot race node",
                    "start_event": "stage_entered",
                    "stop_event": "stage_left",
                    "stage_id": env["crm.stage"].search([], limit=1).id,
                    "time_limit_hours": 5,
                }
            )
            .id
        )

    @staticmethod
    def _node_ids(env):
        return {node.id for node in env["crm.sla.node"]._lead_nodes()}

    def _cases(self):
        return [
            (
                "SLA node",
                self._add_node,
                lambda env, token: env["crm.sla.node"].browse(token).unlink(),
                lambda env, token: token in self._node_ids(env),
            ),
        ]

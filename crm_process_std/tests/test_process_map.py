# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import shutil
import unittest

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user


class TestProcessMap(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="std_map_admin",
            name="Map Admin",
            groups="crm_process_std.group_process_admin",
        )
        cls.salesperson = new_test_user(
            cls.env,
            login="std_map_salesperson",
            name="Map Salesperson",
            groups="sales_team.group_sale_salesman",
        )
        cls.team = cls.env["crm.team"].create({"name": "Map Team", "sequence": 999})
        cls.stage = cls.env["crm.stage"].create(
            {
                "name": "Map Negotiation",
                "sequence": 50,
                "guidance": "<p>Negotiate the <b>terms</b> with the buyer.</p>",
                "team_ids": [(6, 0, cls.team.ids)],
            }
        )
        cls.requirement = cls.env["crm.stage.requirement"].create(
            {
                "name": "Map budget known",
                "stage_id": cls.stage.id,
                "kind": "attachment",
                "mode": "warn",
            }
        )
        cls.node = cls.env["crm.sla.node"].create(
            {
                "name": "Map negotiation limit",
                "start_event": "stage_entered",
                "stop_event": "stage_left",
                "stage_id": cls.stage.id,
                "time_limit_hours": 36,
            }
        )
        cls.cadence = cls.env["crm.cadence.rule"].create(
            {"name": "Map weekly call", "stage_ids": [(6, 0, cls.stage.ids)], "interval_days": 7}
        )

    def render(self, team=None):
        process_map = (
            self.env["crm.process.map"].with_user(self.admin).create({"team_id": team and team.id})
        )
        return process_map, str(process_map.html)

    def test_map_shows_every_active_stage_requirement_and_sla_node(self):
        _map, html = self.render()
        for stage in self.env["crm.stage"].search([]):
            self.assertIn(stage.name, html)
        for requirement in self.env["crm.stage.requirement"].search([]):
            self.assertIn(requirement.name, html)
        for node in self.env["crm.sla.node"].search([]):
            self.assertIn(node.name, html)
        self.assertIn("Negotiate the terms with the buyer.", html)
        self.assertIn("36 h", html)
        self.assertIn("Map weekly call", html)

    def test_map_follows_configuration_changes(self):
        _map, html = self.render()
        self.assertNotIn("Map signed NDA", html)
        extra = self.env["crm.stage.requirement"].create(
            {
                "name": "Map signed NDA",
                "stage_id": self.stage.id,
                "kind": "attachment",
                "mode": "block",
            }
        )
        _map, html = self.render()
        self.assertIn("Map signed NDA", html)
        extra.active = False
        self.node.active = False
        _map, html = self.render()
        self.assertNotIn("Map signed NDA", html)
        self.assertNotIn("Map negotiation limit", html)

    def test_map_shows_approval_and_handoff_gates(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_process_std.approval_stage_id", self.stage.id)
        params.set_param("crm_process_std.handoff_deadline_hours", 12)
        self.env["crm.approval.level"].create(
            {
                "name": "Map director sign-off",
                "min_amount": 50000,
                "approver_user_id": self.admin.id,
            }
        )
        _map, html = self.render()
        self.assertIn("Approval gate", html)
        self.assertIn("Map director sign-off", html)
        self.assertIn("Accept within 12 h", html)

    def test_team_filter_hides_other_teams_stages(self):
        other_team = self.env["crm.team"].create({"name": "Map Other Team", "sequence": 999})
        _map, html = self.render(other_team)
        self.assertNotIn("Map Negotiation", html)
        self.assertNotIn("Map budget known", html)
        _map, html = self.render(self.team)
        self.assertIn("Map Negotiation", html)

    def test_report_renders_the_map(self):
        process_map, _html = self.render()
        content, _type = self.env["ir.actions.report"]._render_qweb_html(
            "crm_process_std.action_report_process_map", process_map.ids
        )
        self.assertIn(b"Map Negotiation", content)
        self.assertIn(b"Map budget known", content)

    @unittest.skipUnless(shutil.which("wkhtmltopdf"), "wkhtmltopdf is not installed")
    def test_report_renders_pdf(self):
        process_map, _html = self.render()
        content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            "crm_process_std.action_report_process_map", process_map.ids
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))

    def test_salesperson_cannot_open_the_map(self):
        with self.assertRaises(AccessError):
            self.env["crm.process.map"].with_user(self.salesperson).create({})

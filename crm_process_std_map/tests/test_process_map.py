# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
import shutil
import unittest

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.crm.tests.common import TestCrmCommon


@tagged("post_install", "-at_install")
class TestProcessMap(TestCrmCommon):
    """On crm's own test organisation (its salesperson on own documents)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="std_map_admin",
            name="Map Admin",
            groups="crm_process_std_base.group_process_admin",
        )
        cls.salesperson = cls.user_sales_salesman
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
        self.assertIn("Negotiate the <b>terms</b> with the buyer.", html)
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
        self.env.company.crm_approval_stage_id = self.stage
        self.env.company.crm_handoff_deadline_hours = 12
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
            "crm_process_std_map.action_report_process_map", process_map.ids
        )
        self.assertIn(b"Map Negotiation", content)
        self.assertIn(b"Map budget known", content)

    @unittest.skipUnless(shutil.which("wkhtmltopdf"), "wkhtmltopdf is not installed")
    def test_report_renders_pdf(self):
        process_map, _html = self.render()
        content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            "crm_process_std_map.action_report_process_map", process_map.ids
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))

    def test_salesperson_cannot_open_the_map(self):
        with self.assertRaises(AccessError):
            self.env["crm.process.map"].with_user(self.salesperson).create({})

    def test_team_map_leaves_out_empty_sections(self):
        """Filtered on a team whose deals need no approval: no empty approval gate, no
        "Before <stage>:" with nothing after it."""
        other_team = self.env["crm.team"].create({"name": "Map Approval Team", "sequence": 999})
        self.env["crm.approval.level"].search([]).active = False
        self.env["crm.approval.level"].create(
            {
                "name": "Map other team sign-off",
                "min_amount": 1000,
                "approver_user_id": self.admin.id,
                "team_ids": [(6, 0, other_team.ids)],
            }
        )
        self.env.company.crm_approval_stage_id = self.stage
        _map, html = self.render(self.team)
        self.assertIn("Map Negotiation", html)
        self.assertNotIn("Approval gate", html)
        self.assertNotIn("Before", html)
        self.assertNotIn("Map other team sign-off", html)
        _map, html = self.render(other_team)
        self.assertNotIn("Map Negotiation", html)
        self.assertNotIn("Approval gate", html, "the approval stage is not in this pipeline")
        _map, html = self.render()
        self.assertIn("Approval gate", html)
        self.assertIn("Before Map Negotiation, deals from these amounts need approval:", html)
        self.assertIn("Map other team sign-off: from", html)

    def test_guidance_keeps_its_paragraphs_and_lists(self):
        self.stage.guidance = (
            "<h4>Negotiation</h4><p>Agree the price.</p><p>Agree the terms.</p>"
            "<ul><li>Owner: the salesperson</li><li>Time limit: 5 days</li></ul>"
        )
        _map, html = self.render(self.team)
        self.assertIn("<p>Agree the price.</p><p>Agree the terms.</p>", html)
        self.assertIn("<li>Owner: the salesperson</li><li>Time limit: 5 days</li>", html)
        self.assertIn("<h4>Negotiation</h4>", html)

    def test_cadence_and_time_limit_lines_are_whole_sentences(self):
        self.cadence.write({"escalation_days": 3})
        self.node.use_working_hours = True
        self.env["crm.cadence.rule"].create(
            {
                "name": "Map VIP care",
                "applies_to": "partner",
                "customer_tier": "vip",
                "interval_days": 14,
                "escalation_days": 7,
            }
        )
        _map, html = self.render()
        self.assertIn(
            "Map weekly call (Leads / Opportunities): every 7 days, escalated after 3 days overdue",
            html,
        )
        self.assertIn("Map negotiation limit: 36 working hours (Stage entered → Stage left)", html)
        self.assertIn(
            "Map VIP care (Customers of tier VIP): every 14 days, escalated after 7 days overdue",
            html,
        )

    def test_menu_opens_a_read_only_page(self):
        menu = self.env.ref("crm_process_std_map.menu_crm_process_map")
        self.assertEqual(
            menu.action, self.env.ref("crm_process_std_map.action_crm_process_map_open")
        )
        arch = self.env["crm.process.map"].with_user(self.admin).get_view(view_type="form")["arch"]
        form = etree.fromstring(arch)
        for action in ("create", "edit", "delete", "duplicate"):
            self.assertIn(form.get(action), ("0", "false", "False"), action)
        self.assertFalse(form.xpath("//field[@name='team_id' and not(@invisible)]"))


@tagged("post_install", "-at_install")
class TestProcessMapInTheWebClient(HttpCase):
    """The map as the web client opens it: the menu's action, then the team dialog."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="std_map_web_admin",
            password="std_map_web_admin_pw",
            groups="crm_process_std_base.group_process_admin",
        )
        cls.other_admin = new_test_user(
            cls.env,
            login="std_map_web_other",
            password="std_map_web_other_pw",
            groups="crm_process_std_base.group_process_admin",
        )
        cls.team = cls.env["crm.team"].create({"name": "Map Web Team", "sequence": 999})
        cls.team_stage = cls.env["crm.stage"].create(
            {"name": "Map Web Team Stage", "sequence": 60, "team_ids": [(6, 0, cls.team.ids)]}
        )
        cls.other_team = cls.env["crm.team"].create({"name": "Map Web Other", "sequence": 999})
        cls.other_stage = cls.env["crm.stage"].create(
            {
                "name": "Map Web Other Stage",
                "sequence": 61,
                "team_ids": [(6, 0, cls.other_team.ids)],
            }
        )
        cls.open_action = cls.env.ref("crm_process_std_map.action_crm_process_map_open")

    def call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def run_open_action(self, context=None):
        return self.make_jsonrpc_request(
            "/web/action/run", {"action_id": self.open_action.id, "context": context or {}}
        )

    def read_map(self, map_id):
        [values] = self.call_kw(
            "crm.process.map",
            "web_read",
            [[map_id]],
            {"specification": {"html": {}, "display_name": {}, "team_id": {}}},
        )
        return values

    def test_menu_opens_a_saved_map_in_the_read_only_form(self):
        self.authenticate("std_map_web_admin", "std_map_web_admin_pw")
        menu = self.env.ref("crm_process_std_map.menu_crm_process_map")
        loaded = self.make_jsonrpc_request("/web/action/load", {"action_id": menu.action.id})
        self.assertEqual(loaded["type"], "ir.actions.server")
        action = self.run_open_action()
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(
            action["views"],
            [[self.env.ref("crm_process_std_map.crm_process_map_view_form").id, "form"]],
        )
        self.assertTrue(action["res_id"], "a saved map, not a new record (/new)")
        process_map = self.env["crm.process.map"].browse(action["res_id"])
        self.assertEqual(process_map.create_uid, self.admin)
        self.assertFalse(process_map.team_id)
        values = self.read_map(action["res_id"])
        self.assertIn("Map Web Team Stage", values["html"])
        self.assertIn("Map Web Other Stage", values["html"])

    def test_team_dialog_opens_the_map_of_that_team(self):
        self.authenticate("std_map_web_admin", "std_map_web_admin_pw")
        dialog = self.env.ref("crm_process_std_map.action_crm_process_map_team")
        loaded = self.make_jsonrpc_request("/web/action/load", {"action_id": dialog.id})
        self.assertEqual(loaded["target"], "new")
        # the dialog saves its record, then runs the button's action on it
        saved = self.call_kw(
            "crm.process.map",
            "web_save",
            [[], {"team_id": self.team.id}],
            {"specification": {}, "context": {"default_team_id": False}},
        )
        map_id = saved[0]["id"]
        action = self.run_open_action(
            {"active_model": "crm.process.map", "active_id": map_id, "active_ids": [map_id]}
        )
        self.assertEqual(action["res_id"], map_id)
        values = self.read_map(map_id)
        self.assertEqual(values["display_name"], "Process Map: Map Web Team")
        self.assertIn("Map Web Team Stage", values["html"])
        self.assertNotIn("Map Web Other Stage", values["html"])

    def test_map_of_another_user_is_not_opened(self):
        other_map = self.env["crm.process.map"].with_user(self.other_admin).create({})
        self.authenticate("std_map_web_admin", "std_map_web_admin_pw")
        with self.assertRaises(Exception) as caught:
            self.run_open_action(
                {
                    "active_model": "crm.process.map",
                    "active_id": other_map.id,
                    "active_ids": other_map.ids,
                }
            )
        self.assertIn("AccessError", str(caught.exception))


@tagged("post_install", "-at_install")
class TestProcessMapInChinese(TransactionCase):
    """The map as a Chinese process administrator reads it, with the shipped
    translations: whole sentences, Chinese punctuation, nothing lost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # the shipped translations of crm and of every part the map shows
        crm_addons = cls.env["ir.module.module"].search(
            [("state", "=", "installed"), ("name", "=like", "crm%")]
        )
        cls.env["ir.module.module"]._load_module_terms(crm_addons.mapped("name"), ["zh_CN"])
        cls.admin = new_test_user(
            cls.env,
            login="std_map_zh_admin",
            groups="crm_process_std_base.group_process_admin",
            lang="zh_CN",
        )
        cls.team = cls.env["crm.team"].create({"name": "流程图团队", "sequence": 999})
        cls.stage = cls.env["crm.stage"].create(
            {"name": "商务谈判", "sequence": 50, "team_ids": [(6, 0, cls.team.ids)]}
        )
        cls.env["crm.sla.node"].create(
            {
                "name": "谈判时限",
                "start_event": "stage_entered",
                "stop_event": "stage_left",
                "stage_id": cls.stage.id,
                "time_limit_hours": 36,
                "use_working_hours": True,
            }
        )
        cls.env["crm.cadence.rule"].create(
            {
                "name": "每周回访",
                "stage_ids": [(6, 0, cls.stage.ids)],
                "interval_days": 7,
                "escalation_days": 3,
            }
        )
        cls.env["crm.cadence.rule"].create(
            {
                "name": "大客户关怀",
                "applies_to": "partner",
                "customer_tier": "vip",
                "interval_days": 14,
                "escalation_days": 5,
            }
        )
        cls.env.company.crm_approval_stage_id = cls.stage
        cls.env.company.crm_handoff_stage_id = cls.stage
        cls.env.company.crm_handoff_auto_create = True
        cls.env["crm.approval.level"].create(
            {"name": "总监审批", "min_amount": 50000, "approver_user_id": cls.admin.id}
        )

    def render_text(self, team=None):
        """The text the administrator reads (style sheet left out), one line per
        element."""
        env = self.env(user=self.admin, context=dict(self.env.context, lang="zh_CN"))
        process_map = env["crm.process.map"].create({"team_id": team and team.id})
        root = etree.fromstring(str(process_map.html), etree.HTMLParser())
        for style in root.iter("style"):
            style.getparent().remove(style)
        return "\n".join(text.strip() for text in root.itertext() if text.strip())

    def test_map_reads_as_chinese_sentences(self):
        for team in (None, self.team):
            with self.subTest(team=team and team.name):
                # numbered lines ("1. 新建") are numbering, not punctuation
                text = re.sub(r"(?<![\d.])\d+\. ", "", self.render_text(team))
                self.assertIn("每周回访", text)
                # the cadence keeps its escalation
                self.assertIn("逾期 3 天后升级", text)
                self.assertIn("逾期 5 天后升级", text)
                self.assertIn("36 个工作小时", text)
                self.assertIn("总监审批", text)
                # no ASCII separators nor English sentence fragments in Chinese text
                for separator in ("; ", ", ", ". "):
                    self.assertNotIn(separator, text)
                for english in ("every", "escalated", "Accept within", "Before", "from"):
                    self.assertNotIn(english, text)
                self.assertFalse(re.search(r"[\u4e00-\u9fff][.;,:]", text), text)

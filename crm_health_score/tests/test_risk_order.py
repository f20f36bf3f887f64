# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Risk levels read High, Medium, Low, Insufficient Data in every
view that groups or sorts by them (kanban columns, pivot rows, graph bars, list
groups), and "Insufficient Data" is a level with a title, not an empty group."""

from datetime import date, timedelta

from lxml import etree

from odoo.tests import new_test_user

from .common import HealthCase

TODAY = date(2024, 6, 25)
SEVERITY = ["high", "medium", "low", "insufficient_data"]


class TestHealthRiskOrder(HealthCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="health_order_manager", groups="sales_team.group_sale_manager"
        )

    def setUp(self):
        super().setUp()
        # One customer per level, created in the alphabetical order of the levels'
        # keys, so that an order by id or by key would show.
        self.customers = {
            "high": self.seed_example_yy(TODAY),  # 40
            "insufficient_data": self.make_customer("Brand New Ltd", needs_match="high"),
            "low": self.make_customer("Loyal Ltd", needs_match="high"),
            "medium": self.seed_example_a(TODAY),  # 85
        }
        self.open_opportunity(self.customers["insufficient_data"])
        for week in range(13):
            self.log_followup(self.customers["low"], TODAY - timedelta(days=1 + 7 * week))
        self.win_opportunity(self.customers["low"], TODAY - timedelta(days=5))
        self.win_opportunity(self.customers["low"], TODAY - timedelta(days=40))
        for level, customer in self.customers.items():
            self.assertEqual(self.score(customer, TODAY).risk_level, level)
        self.domain = [("partner_id", "in", [c.id for c in self.customers.values()])]
        self.Health = self.env["crm.health.score"].with_user(self.manager)

    def test_insufficient_data_is_a_level_with_a_title(self):
        selection = self.Health.fields_get(["risk_level"])["risk_level"]["selection"]
        self.assertEqual(
            selection,
            [
                ("high", "High"),
                ("medium", "Medium"),
                ("low", "Low"),
                ("insufficient_data", "Insufficient Data"),
            ],
        )
        record = self.health_of(self.customers["insufficient_data"])
        self.assertEqual(record.state, "insufficient_data")
        self.assertFalse(record.score)
        self.assertEqual(record.partner_id.health_risk_level, "insufficient_data")

    def test_kanban_columns_in_severity_order_even_when_empty(self):
        arch = etree.fromstring(
            self.Health.get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        )
        self.assertEqual(arch.get("default_group_by"), "risk_level")
        self.assertIn('"insufficient_data"', arch.find("progressbar").get("colors"))

        # The kanban's own call (relational_model.js): read_group_expand, no order.
        result = self.Health.with_context(read_group_expand=True).web_read_group(
            self.domain, ["risk_level"], ["__count"], order="", auto_unfold=True
        )
        self.assertEqual([group["risk_level"] for group in result["groups"]], SEVERITY)
        self.assertEqual([group["__count"] for group in result["groups"]], [1, 1, 1, 1])

        low = self.customers["low"]
        only_low = self.Health.with_context(read_group_expand=True).web_read_group(
            [("partner_id", "=", low.id)], ["risk_level"], ["__count"]
        )
        self.assertEqual(
            [(group["risk_level"], group["__count"]) for group in only_low["groups"]],
            [("high", 0), ("medium", 0), ("low", 1), ("insufficient_data", 0)],
        )

    def test_pivot_graph_and_list_groups_in_severity_order(self):
        # list group-by and graph: formatted_read_group, default and explicit order
        groups = self.Health.formatted_read_group(self.domain, ["risk_level"], ["score:avg"])
        self.assertEqual([group["risk_level"] for group in groups], SEVERITY)
        self.assertEqual([group["score:avg"] for group in groups], [40, 85, 94, False])
        groups = self.Health.formatted_read_group(
            self.domain, ["risk_level"], ["__count"], order="risk_level desc"
        )
        self.assertEqual([group["risk_level"] for group in groups], SEVERITY[::-1])

        # pivot: rows by risk level, columns by salesperson, in one grouping-sets call
        rows, cells, _total = self.Health.formatted_read_grouping_sets(
            self.domain, [["risk_level"], ["risk_level", "user_id"], []], ["__count"]
        )
        self.assertEqual([row["risk_level"] for row in rows], SEVERITY)
        self.assertEqual([cell["risk_level"] for cell in cells], SEVERITY)

        # snapshots (history pivot) too
        snapshots = (
            self.env["crm.health.snapshot"]
            .with_user(self.manager)
            .formatted_read_group(
                [("partner_id", "in", self.domain[0][2])], ["risk_level"], ["__count"]
            )
        )
        self.assertEqual([group["risk_level"] for group in snapshots], SEVERITY)

    def test_list_sorted_by_risk_in_severity_order(self):
        records = self.Health.search(self.domain, order="risk_level, id")
        self.assertEqual(records.mapped("risk_level"), SEVERITY)
        records = self.Health.search(self.domain, order="risk_level desc, id")
        self.assertEqual(records.mapped("risk_level"), SEVERITY[::-1])

    def test_levels_in_chinese_keep_the_order(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_health_score"], ["zh_CN"])
        self.manager.lang = "zh_CN"
        Health = self.Health.with_context(lang="zh_CN")
        labels = dict(Health.fields_get(["risk_level"])["risk_level"]["selection"])
        self.assertEqual([labels[level] for level in SEVERITY], ["高", "中", "低", "数据不足"])
        groups = Health.formatted_read_group(self.domain, ["risk_level"], ["__count"])
        self.assertEqual([group["risk_level"] for group in groups], SEVERITY)

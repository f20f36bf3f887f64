# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Customer Process dashboard as the Dashboards app loads it: who sees it, what
its spreadsheet asks the server for (every pivot, list and chart, run as a sales
manager the way the spreadsheet runs it), and that its labels reach translators."""

import itertools
import json
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import file_open
from odoo.tools.safe_eval import safe_eval
from odoo.tools.translate import TranslationModuleReader

MODULE = "spreadsheet_dashboard_crm_process_std"
DASHBOARD_FILE = f"{MODULE}/data/files/customer_process_dashboard.json"
SAMPLE_FILE = f"{MODULE}/data/files/customer_process_sample_dashboard.json"
# An Odoo dashboard of this version: ours must not be in a newer spreadsheet format.
ODOO_DASHBOARD_FILE = "spreadsheet_dashboard_sale/data/files/sales_dashboard.json"

FORMULA_CALL = re.compile(r"(ODOO\.LIST\.HEADER|ODOO\.LIST|PIVOT\.VALUE|PIVOT\.HEADER)\(([^()]*)\)")
TRANSLATED = re.compile(r'_t\("[^"]*"\)')
MENU_LINK = re.compile(r"odoo://ir_menu_xml_id/([\w.]+)")


def version_tuple(version):
    return tuple(int(part) for part in version.split("."))


def formula_args(text):
    """The literal arguments of a formula call: strings unquoted, the rest as written."""
    return [arg.strip().strip('"') for arg in re.findall(r'"[^"]*"|[^,]+', text)]


# Run in the browser once the dashboard is shown: wait until every data source has
# answered, then report every cell that evaluates to an error (a formula the server
# data cannot satisfy: unknown pivot value, bad domain, missing field...).
BROWSER_CHECK = """
(async () => {
    const loader = odoo.__WOWL_DEBUG__.root.env.services.spreadsheet_dashboard_loader;
    const started = Date.now();
    let dashboard = loader.getDashboard(%(id)s);
    while (dashboard.status !== "Loaded") {
        if (dashboard.status === "Error" || Date.now() - started > 60000) {
            console.error(`dashboard not loaded: ${dashboard.status} ${dashboard.error}`);
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
        dashboard = loader.getDashboard(%(id)s);
    }
    const model = dashboard.model;
    await odoo.loader.modules.get("@spreadsheet/helpers/model").waitForDataLoaded(model);
    const { toCartesian } = odoo.loader.modules.get("@odoo/o-spreadsheet").helpers;
    const errors = [];
    for (const sheet of model.exportData().sheets) {
        for (const xc of Object.keys(sheet.cells)) {
            const cell = model.getters.getEvaluatedCell({ sheetId: sheet.id, ...toCartesian(xc) });
            if (cell.type === "error") {
                errors.push(`${sheet.name}!${xc}: ${cell.value} ${cell.message || ""}`);
            }
        }
    }
    const onTarget = model.getters.getEvaluatedCell({
        sheetId: model.getters.getSheetIdByName("Data"), ...toCartesian("B10"),
    }).value;
    if (errors.length) {
        console.error(`cells in error:\\n${errors.join("\\n")}`);
    } else if (!/^\\d+ \\/ \\d+$/.test(onTarget)) {
        console.error(`KPIs on target shows "${onTarget}"`);
    } else {
        console.log("test successful");
    }
})();
"""


@tagged("post_install", "-at_install")
class TestCustomerProcessDashboard(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref(f"{MODULE}.spreadsheet_dashboard_customer_process")
        cls.data = json.loads(cls.dashboard.spreadsheet_data)
        cls.manager = new_test_user(
            cls.env,
            login="dash_sales_manager",
            name="Dashboard Sales Manager",
            groups="sales_team.group_sale_manager",
        )
        cls.salesperson = new_test_user(
            cls.env,
            login="dash_salesperson",
            name="Dashboard Salesperson",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.team = cls.env["crm.team"].create({"name": "Dashboard Team"})

    # -- helpers -----------------------------------------------------------------------

    def as_manager(self, model):
        return self.env[model].with_user(self.manager)

    def fields_of(self, model):
        return self.as_manager(model).fields_get(
            attributes=["type", "store", "groupable", "aggregator", "searchable", "sortable"]
        )

    def resolve_chain(self, model, chain):
        """The field a filter's path reaches; every step must be searchable."""
        field = None
        for name in chain.split("."):
            model_fields = self.as_manager(model).fields_get(
                attributes=["type", "searchable", "relation"]
            )
            self.assertIn(name, model_fields, f"{model} has no field {name} ({chain})")
            field = model_fields[name]
            self.assertTrue(field["searchable"], f"{model}.{name} cannot be searched")
            model = field.get("relation", model)
        return field

    def check_groupable(self, model, spec):
        name = spec.split(":")[0]
        field = self.fields_of(model).get(name)
        self.assertTrue(field, f"{model} has no field {name}")
        self.assertTrue(field["groupable"], f"{model}.{name} cannot be grouped by")
        self.assertTrue(field["store"], f"{model}.{name} is not stored")

    def check_measure(self, model, name, aggregator=None):
        if name == "__count":
            return
        field = self.fields_of(model).get(name)
        self.assertTrue(field, f"{model} has no field {name}")
        self.assertTrue(field["store"], f"{model}.{name} is not stored")
        self.assertTrue(
            aggregator or field["aggregator"], f"{model}.{name} has no aggregator to sum it"
        )

    def source_domain(self, domain, context=None):
        """A data source's domain as the spreadsheet sends it: a string domain is
        evaluated with the user's context (uid, allowed companies)."""
        if isinstance(domain, str):
            return safe_eval(domain, context)
        return domain

    def filter_domains(self, matching):
        """The domain each global filter adds to a data source: the last 90 days, the
        test team, the sales manager."""
        filters = {flt["id"]: flt for flt in self.data["globalFilters"]}
        today = fields.Date.today()
        domains = []
        for filter_id, match in matching.items():
            kind = filters[filter_id]["type"]
            if kind == "date":
                start, end = today - timedelta(days=90), today + timedelta(days=1)
                if match["type"] == "datetime":
                    start, end = fields.Datetime.to_string(start), fields.Datetime.to_string(end)
                domains.append([(match["chain"], ">=", start), (match["chain"], "<", end)])
            elif filters[filter_id]["modelName"] == "crm.team":
                domains.append([(match["chain"], "in", self.team.ids)])
            else:
                domains.append([(match["chain"], "in", self.manager.ids)])
        return domains

    def user_context(self):
        return {
            "uid": self.manager.id,
            "allowed_company_ids": self.manager.company_ids.ids,
            "lang": "en_US",
            "tz": "UTC",
        }

    def odoo_charts(self):
        return [
            figure["data"]
            for sheet in self.data["sheets"]
            for figure in sheet["figures"]
            if figure["data"].get("type", "").startswith("odoo_")
        ]

    def formulas(self):
        for sheet in self.data["sheets"]:
            for cell, content in sheet["cells"].items():
                if content.startswith("="):
                    yield sheet["name"], cell, content

    # -- who sees it -------------------------------------------------------------------

    def test_dashboard_listed_for_sales_managers_only(self):
        self.assertEqual(self.dashboard.name, "Customer Process")
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(
            self.dashboard.dashboard_group_id,
            self.env.ref("spreadsheet_dashboard.spreadsheet_dashboard_group_sales"),
        )
        self.assertEqual(self.dashboard.main_data_model_ids.model, "crm.lead")

        def listed(user):
            # what the Dashboards app reads to list the dashboards (dashboard_loader_service)
            self.authenticate(user.login, user.login)
            groups = self.make_jsonrpc_request(
                "/web/dataset/call_kw/spreadsheet.dashboard.group/web_search_read",
                {
                    "model": "spreadsheet.dashboard.group",
                    "method": "web_search_read",
                    "args": [[("published_dashboard_ids", "!=", False)]],
                    "kwargs": {
                        "specification": {
                            "name": {},
                            "published_dashboard_ids": {"fields": {"name": {}}},
                        }
                    },
                },
            )["records"]
            return {
                dashboard["id"]
                for group in groups
                for dashboard in group["published_dashboard_ids"]
            }

        self.assertIn(self.dashboard.id, listed(self.manager))
        self.assertNotIn(self.dashboard.id, listed(self.salesperson))

    def test_sales_manager_opens_dashboard(self):
        self.authenticate(self.manager.login, self.manager.login)
        response = self.url_open(f"/spreadsheet/dashboard/data/{self.dashboard.id}")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        # the demo pipeline has opportunities: live data, not the sample
        self.assertFalse(data.get("is_sample"))
        self.assertEqual(data["translation_namespace"], MODULE)
        self.assertEqual(data["snapshot"]["pivots"].keys(), self.data["pivots"].keys())
        self.assertEqual(data["snapshot"]["sheets"][0]["name"], "Dashboard")

    def test_every_cell_evaluates_in_the_browser(self):
        """The spreadsheet engine itself, in the Dashboards app of a sales manager."""
        self.browser_js(
            f"/odoo/dashboards?dashboard_id={self.dashboard.id}",
            BROWSER_CHECK % {"id": self.dashboard.id},
            ready="!!odoo.__WOWL_DEBUG__.root.env.services.spreadsheet_dashboard_loader",
            login=self.manager.login,
            timeout=120,
        )

    def test_salesperson_cannot_open_dashboard(self):
        self.authenticate(self.salesperson.login, self.salesperson.login)
        response = self.url_open(f"/spreadsheet/dashboard/data/{self.dashboard.id}")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn("pivots", response.text)

    # -- the spreadsheet files ---------------------------------------------------------

    def test_files_are_dashboards_of_this_odoo_version(self):
        with file_open(ODOO_DASHBOARD_FILE) as f:
            odoo_version = json.load(f)["version"]
        with file_open(SAMPLE_FILE) as f:
            sample = json.load(f)
        with file_open(DASHBOARD_FILE) as f:
            self.assertEqual(json.load(f), self.data)
        for data in (self.data, sample):
            # the web client migrates older spreadsheets, it cannot read newer ones
            self.assertLessEqual(version_tuple(data["version"]), version_tuple(odoo_version))
            self.assertEqual([sheet["name"] for sheet in data["sheets"]], ["Dashboard", "Data"])
            figure_ids = [f["id"] for sheet in data["sheets"] for f in sheet["figures"]]
            self.assertEqual(len(figure_ids), len(set(figure_ids)))
        # the sample is shown when there is nothing to read: it reads nothing
        self.assertEqual(sample["pivots"], {})
        self.assertEqual(sample["lists"], {})
        self.assertFalse(
            [
                f
                for sheet in sample["sheets"]
                for f in sheet["figures"]
                if f["data"]["type"].startswith("odoo_")
            ]
        )
        self.assertEqual(self.dashboard._get_sample_dashboard(), sample)

    def test_menu_links_exist_and_open_for_sales_managers(self):
        xmlids = set(self.data["chartOdooMenusReferences"].values())
        for _sheet, _cell, content in (
            (sheet["name"], cell, content)
            for sheet in self.data["sheets"]
            for cell, content in sheet["cells"].items()
        ):
            xmlids.update(MENU_LINK.findall(content))
        self.assertGreater(len(xmlids), 4)
        # the menus the web client loads, where the spreadsheet looks its links up
        menus = self.env["ir.ui.menu"].with_user(self.manager).load_menus(debug=False)
        loaded = {menu.get("xmlid") for menu in menus.values()}
        for xmlid in xmlids:
            self.assertEqual(self.env.ref(xmlid)._name, "ir.ui.menu", xmlid)
            self.assertIn(xmlid, loaded, f"{xmlid} is hidden from sales managers")

    def test_formulas_use_declared_sources_measures_and_values(self):
        pivots, lists = self.data["pivots"], self.data["lists"]
        calls = 0
        for sheet, cell, content in self.formulas():
            for function, args in FORMULA_CALL.findall(TRANSLATED.sub('""', content)):
                where = f"{sheet}!{cell}: {content}"
                args = formula_args(args)
                calls += 1
                if function.startswith("ODOO.LIST"):
                    source = lists.get(args[0])
                    self.assertTrue(source, f"unknown list in {where}")
                    field = args[1] if function == "ODOO.LIST.HEADER" else args[2]
                    self.assertIn(field, source["columns"], where)
                    continue
                source = pivots.get(args[0])
                self.assertTrue(source, f"unknown pivot in {where}")
                dimensions = {d["fieldName"] for d in source["rows"] + source["columns"]}
                pairs = args[2:] if function == "PIVOT.VALUE" else args[1:]
                if function == "PIVOT.VALUE":
                    self.assertIn(args[1], [m["id"] for m in source["measures"]], where)
                model_fields = self.as_manager(source["model"]).fields_get(
                    attributes=["type", "selection"]
                )
                for name, value in zip(pairs[::2], pairs[1::2], strict=False):
                    self.assertIn(name.lstrip("#"), dimensions, where)
                    field = model_fields[name.lstrip("#")]
                    if field["type"] == "selection" and not re.fullmatch(r"[A-Z]+\d+", value):
                        self.assertIn(value, dict(field["selection"]), where)
        self.assertGreater(calls, 50)
        # KPI codes the target formulas look up (Data!J2:J7) are KPIs of the registry
        data_cells = self.data["sheets"][1]["cells"]
        codes = {data_cells[f"J{row}"] for row in range(2, 8)}
        self.assertLessEqual(codes, set(self.env["crm.kpi"]._kpi_definitions()))

    # -- the data sources, run as the sales manager ------------------------------------

    def test_pivots_load_for_sales_manager(self):
        self.assertEqual(len(self.data["pivots"]), 8)
        for pivot in self.data["pivots"].values():
            model = pivot["model"]
            rows = [d["fieldName"] for d in pivot["rows"]]
            columns = [d["fieldName"] for d in pivot["columns"]]
            for spec in rows + columns:
                self.check_groupable(model, spec)
            aggregates = []
            for measure in pivot["measures"]:
                self.check_measure(model, measure["fieldName"], measure.get("aggregator"))
                aggregates.append(
                    "__count"
                    if measure["fieldName"] == "__count"
                    else f"{measure['fieldName']}:{measure['aggregator']}"
                )
            for match in pivot["fieldMatching"].values():
                self.resolve_chain(model, match["chain"])
            # the grouping sets of the pivot model: every prefix of rows by every prefix
            # of columns, each with the measures
            grouping_sets = [
                rows[:i] + columns[:j]
                for i, j in itertools.product(range(len(rows) + 1), range(len(columns) + 1))
            ]
            domain = self.source_domain(pivot["domain"], self.user_context())
            for extra in [[], *self.filter_domains(pivot["fieldMatching"])]:
                groups = self.as_manager(model).formatted_read_grouping_sets(
                    domain + extra, grouping_sets, aggregates
                )
                self.assertEqual(len(groups), len(grouping_sets), pivot["name"])

    def test_lists_load_for_sales_manager(self):
        self.assertEqual(len(self.data["lists"]), 2)
        for source in self.data["lists"].values():
            model = source["model"]
            model_fields = self.fields_of(model)
            specification = {}
            for name in source["columns"]:
                self.assertIn(name, model_fields, f"{model} has no field {name}")
                relational = model_fields[name]["type"] in ("many2one", "many2many")
                specification[name] = {"fields": {"display_name": {}}} if relational else {}
            for order in source["orderBy"]:
                self.assertTrue(model_fields[order["name"]]["sortable"], order)
            for match in source["fieldMatching"].values():
                self.resolve_chain(model, match["chain"])
            order = ", ".join(
                f"{order['name']} {'ASC' if order['asc'] else 'DESC'}"
                for order in source["orderBy"]
            )
            for extra in [[], *self.filter_domains(source["fieldMatching"])]:
                records = self.as_manager(model).web_search_read(
                    self.source_domain(source["domain"]) + extra,
                    specification,
                    order=order,
                    limit=10,
                )["records"]
                self.assertLessEqual(len(records), 10)

    def test_charts_load_for_sales_manager(self):
        charts = self.odoo_charts()
        self.assertEqual(len(charts), 2)
        for chart in charts:
            meta = chart["metaData"]
            model = meta["resModel"]
            for spec in meta["groupBy"]:
                self.check_groupable(model, spec)
            self.check_measure(model, meta["measure"])
            for match in chart["fieldMatching"].values():
                self.resolve_chain(model, match["chain"])
            aggregator = self.fields_of(model)[meta["measure"]]["aggregator"]
            for extra in [[], *self.filter_domains(chart["fieldMatching"])]:
                self.as_manager(model).formatted_read_group(
                    chart["searchParams"]["domain"] + extra,
                    meta["groupBy"],
                    [f"{meta['measure']}:{aggregator}"],
                )

    def test_global_filters_point_to_readable_models(self):
        labels = {flt["label"] for flt in self.data["globalFilters"]}
        self.assertEqual(labels, {"Period", "Sales Team", "Salesperson"})
        for flt in self.data["globalFilters"]:
            if flt["type"] == "relation":
                self.as_manager(flt["modelName"]).search([], limit=1)

    def test_targets_pivot_prefers_the_company_target(self):
        """The company's own target replaces the shared one (pivot 2 before pivot 3)."""
        shared = self.env.ref("crm_process_std_kpi.crm_kpi_target_conversion")
        own = self.env["crm.kpi.target"].create(
            {
                "kpi_code": "conversion",
                "comparison": ">=",
                "target_value": 42,
                "company_id": self.manager.company_id.id,
            }
        )
        values = {}
        for pivot_id in ("2", "3"):
            pivot = self.data["pivots"][pivot_id]
            groups = self.as_manager("crm.kpi.target").formatted_read_group(
                self.source_domain(pivot["domain"], self.user_context()),
                ["kpi_code", "comparison"],
                ["target_value:avg"],
            )
            values[pivot_id] = {
                (group["kpi_code"], group["comparison"]): group["target_value:avg"]
                for group in groups
            }
        self.assertEqual(values["2"][("conversion", ">=")], own.target_value)
        self.assertEqual(values["3"][("conversion", ">=")], shared.target_value)

    # -- translations ------------------------------------------------------------------

    def test_labels_are_extracted_for_translators(self):
        reader = TranslationModuleReader(self.env.cr, modules=[MODULE])
        terms = {source for _module, _type, _name, _res_id, source, _value, _comments in reader}
        for label in (
            "Customer Process",  # the dashboard's name
            "KPIs against Targets",  # section links
            "Churn Risks",
            "Lead Conversion",  # scorecard titles and descriptions
            "vs target",
            "Period",  # global filters
            "Sales Team",
            "Insufficient Data",  # labels computed in cells
            "Opportunity",  # list headers
        ):
            self.assertIn(label, terms)

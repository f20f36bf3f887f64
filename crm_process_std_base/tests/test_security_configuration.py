# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A Process Administrator who is neither an "Access Rights" nor a
system administrator configures every process rule the way the web client does it:
the views of the menu's action, the new record's defaults (``onchange``), every picker
of the form (``web_name_search``), the save of a new record and of a change
(``web_save``), the list (``web_search_read``). Field pickers show the fields of leads
and customers, and of no other model."""

import ast

from lxml import etree

from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import JsonRpcException

ADMIN = "cfg_process_admin"


def literal(text, default):
    """A domain or context of a view or field, when it does not depend on the record."""
    if not isinstance(text, str):
        return text if text is not None else default
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return default


class ProcessAdminConfigCase(HttpCase):
    """A process administrator configuring the rules through the web client's calls."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env, login=ADMIN, groups="crm_process_std_base.group_process_admin"
        )
        cls.team = cls.env["crm.team"].create({"name": "Config Team"})
        cls.env["crm.completeness.field"].search(
            [("field_id.name", "=", "budget_range"), ("model_name", "=", "crm.lead")]
        ).unlink()

    def setUp(self):
        super().setUp()
        self.authenticate(ADMIN, ADMIN)

    # -- the web client's calls ----------------------------------------------------------

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def pick(self, model, name, domain=()):
        """The id of the first choice a picker offers when ``name`` is typed."""
        found = self.call(
            model,
            "web_name_search",
            name,
            {"display_name": {}},
            domain=list(domain),
            limit=8,
        )
        self.assertTrue(found, f"the {model} picker offers nothing for {name!r}")
        return found[0]["id"]

    def _views(self, action_xmlid):
        action = self.env.ref(action_xmlid)
        modes = action.view_mode.split(",")
        views = self.call(
            action.res_model,
            "get_views",
            views=[[False, mode] for mode in modes] + [[False, "search"]],
            options={"action_id": action.id, "load_filters": True, "toolbar": True},
        )
        return action, modes, views

    def _spec(self, arch_node, model, fields_by_model, pickers):
        """The specification the web client reads for the fields of a view, and the
        pickers it offers: [(comodel, domain)]."""
        spec = {}
        fields = fields_by_model[model]["fields"]
        for node in arch_node.iter("field"):
            # fields of a sub-view are read through their x2many field
            if any(parent.tag == "field" for parent in node.iterancestors()):
                continue
            name = node.get("name")
            meta = fields.get(name, {})
            if meta.get("type") in ("many2one", "many2many"):
                spec[name] = {"fields": {"display_name": {}}}
                domain = literal(node.get("domain"), None)
                if domain is None:
                    domain = literal(meta.get("domain"), [])
                pickers.append((meta["relation"], domain))
            elif meta.get("type") == "one2many":
                sub = next(iter(node.iterchildren("list", "form")), None)
                spec[name] = {
                    "fields": self._spec(sub, meta["relation"], fields_by_model, pickers)
                    if sub is not None
                    else {"display_name": {}}
                }
            else:
                spec[name] = {}
        return spec

    def configure(self, action_xmlid, values, change):
        """Open the action's views, create a record with ``values`` (a function of the
        pickers) and change it with ``change``: the web client's calls."""
        action, modes, views = self._views(action_xmlid)
        model = action.res_model
        context = literal(action.context, {})
        edit_mode = "form" if "form" in modes else "list"
        pickers = []
        spec = self._spec(
            etree.fromstring(views["views"][edit_mode]["arch"]), model, views["models"], pickers
        )
        list_spec = self._spec(
            etree.fromstring(views["views"]["list"]["arch"]), model, views["models"], []
        )
        self.call(model, "web_search_read", [], list_spec, limit=80, context=context)
        self.call(model, "onchange", [], {}, [], spec, context=context)
        for comodel, domain in pickers:
            with self.subTest(model=model, picker=comodel):
                self.call(comodel, "web_name_search", "", {"display_name": {}}, domain=domain)
        [created] = self.call(model, "web_save", [], values(), specification=spec, context=context)
        [changed] = self.call(
            model, "web_save", [created["id"]], change, specification=spec, context=context
        )
        self.call(
            model, "web_search_read", [("id", "=", created["id"])], list_spec, context=context
        )
        return self.env[model].browse(created["id"]), changed


class TestProcessAdminConfiguration(ProcessAdminConfigCase):
    # -- the configuration flows ---------------------------------------------------------
    def test_process_admin_is_not_an_access_rights_administrator(self):
        self.assertFalse(self.admin.has_group("base.group_erp_manager"))
        self.assertFalse(self.admin.has_group("base.group_system"))

    def test_stage_requirement_with_lead_and_customer_fields(self):
        lead_fields = [("model", "=", "crm.lead")]
        vat = [("model", "=", "res.partner"), ("name", "=", "vat")]
        requirement, changed = self.configure(
            "crm_process_std_base.action_crm_stage_requirement",
            lambda: {
                "name": "Budget known before the proposal",
                "stage_id": self.pick("crm.stage", "Proposition"),
                "kind": "field",
                "lead_field_ids": [[6, 0, [self.pick("ir.model.fields", "Budget", lead_fields)]]],
                "partner_field_ids": [[6, 0, [self.pick("ir.model.fields", "Tax ID", vat)]]],
                "team_ids": [[6, 0, [self.pick("crm.team", "Config Team")]]],
                "mode": "block",
            },
            {
                "lead_field_ids": [
                    [
                        4,
                        self.pick(
                            "ir.model.fields", "Phone", [*lead_fields, ("name", "=", "phone")]
                        ),
                    ]
                ]
            },
        )
        self.assertEqual(
            sorted(requirement.lead_field_ids.mapped("name")), ["budget_range", "phone"]
        )
        self.assertEqual(requirement.partner_field_ids.name, "vat")
        self.assertEqual(len(changed["lead_field_ids"]), 2)
        self.assertTrue(all(tag["display_name"] for tag in changed["lead_field_ids"]))

    def test_completeness_field(self):
        line, _changed = self.configure(
            "crm_process_std_base.action_crm_completeness_field",
            lambda: {
                "model_name": "crm.lead",
                "field_id": self.pick(
                    "ir.model.fields",
                    "Budget",
                    [("model", "=", "crm.lead"), ("name", "=", "budget_range")],
                ),
                "weight": 2,
            },
            {"weight": 3},
        )
        self.assertEqual((line.field_id.name, line.weight), ("budget_range", 3))

    def test_field_pickers_offer_no_other_models_fields(self):
        self.assertFalse(
            self.call(
                "ir.model.fields",
                "web_name_search",
                "Password",
                {"display_name": {}},
                domain=[("model", "=", "res.users")],
            )
        )
        password = self.env["ir.model.fields"]._get("res.users", "password")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.call("ir.model.fields", "read", [password.id], ["name"])
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.call("ir.model.fields", "write", [self.env["ir.model.fields"]._get(
                "crm.lead", "phone").id], {"field_description": "Mobile"})  # fmt: skip
        # another model's field cannot even be linked: the process admin may not read it
        stage = self.env.ref("crm.stage_lead3")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.call(
                "crm.stage.requirement",
                "create",
                {"name": "Wrong", "stage_id": stage.id, "lead_field_ids": [[6, 0, password.ids]]},
            )

    def test_stage_guidance_and_its_requirements(self):
        stage, changed = self.configure(
            "crm.crm_stage_action",
            lambda: {"name": "Site Visit", "guidance": "<p>Visit the site with the engineer.</p>"},
            {"guidance": "<p>Visit the site; photograph the floor.</p>"},
        )
        self.assertIn("photograph", stage.guidance)
        self.assertEqual(changed["requirement_ids"], [])

    def test_settings_stay_with_system_administrators(self):
        """Odoo's Settings page (every app's settings) is for system administrators; the
        process rules above are the process administrator's."""
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.call(
                "res.config.settings",
                "onchange",
                [],
                {},
                [],
                {"crm_std_requirement_mode": {}},
            )

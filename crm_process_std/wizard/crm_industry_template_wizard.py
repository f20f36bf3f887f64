# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import float_compare, html2plaintext

from .crm_industry_template_data import TEMPLATES

# Records made by a template carry an external id in this namespace, so that
# applying it again finds them instead of creating duplicates.
XMLID_MODULE = "__crm_industry_template__"
KIND_MODELS = {
    "stage": "crm.stage",
    "requirement": "crm.stage.requirement",
    "sla": "crm.sla.node",
    "cadence": "crm.cadence.rule",
    "scorecard": "crm.health.scorecard",
}


class CrmIndustryTemplateWizard(models.TransientModel):
    """Preview and apply a preset process (stages, requirements, cadences, SLAs,
    health weights) for an industry. Idempotent: records it made are found again
    by external id; records an admin changed are kept as they are."""

    _name = "crm.industry.template.wizard"
    _description = "Industry Process Template"

    template = fields.Selection(
        [
            ("b2b_manufacturing", "B2B manufacturing"),
            ("retail_store", "Retail store"),
            ("ecommerce", "E-commerce"),
            ("car_dealership", "Car dealership"),
            ("professional_services", "Professional services"),
        ],
        required=True,
        default="b2b_manufacturing",
    )
    preview_html = fields.Html(string="Preview", compute="_compute_preview_html", sanitize=False)
    result_html = fields.Html(string="Result", readonly=True, sanitize=False)
    state = fields.Selection([("draft", "Preview"), ("done", "Applied")], default="draft")

    # ------------------------------------------------------------------
    # Plan: what applying would do, item by item
    # ------------------------------------------------------------------
    def _action_labels(self):
        return {
            "create": self.env._("Create"),
            "unchanged": self.env._("Skip (exists)"),
            "reuse": self.env._("Use existing stage"),
            "modified": self.env._("Kept (modified)"),
        }

    def _kind_labels(self):
        return {
            "stage": self.env._("Stage"),
            "requirement": self.env._("Stage requirement"),
            "sla": self.env._("SLA node"),
            "cadence": self.env._("Cadence rule"),
            "scorecard": self.env._("Health scorecard"),
        }

    def _template_label(self):
        return dict(self._fields["template"]._description_selection(self.env))[self.template]

    def _items(self):
        """[(kind, key, name, vals)] of the preset; stage references are stage keys."""
        preset = TEMPLATES[self.template]
        items = [
            ("stage", key, name, {"name": name, "sequence": seq, "guidance": f"<p>{guide}</p>"})
            for key, name, seq, guide in preset["stages"]
        ]
        for key, name, stage, mode, lead_fields, partner_fields in preset["requirements"]:
            vals = {"name": name, "stage_id": ("stage", stage), "kind": "field", "mode": mode}
            vals["lead_field_ids"] = ("fields", "crm.lead", lead_fields)
            vals["partner_field_ids"] = ("fields", "res.partner", partner_fields)
            items.append(("requirement", key, name, vals))
        for key, name, start, stop, stage, hours in preset["slas"]:
            vals = {"name": name, "start_event": start, "stop_event": stop}
            vals.update(time_limit_hours=hours, stage_id=("stage", stage) if stage else False)
            items.append(("sla", key, name, vals))
        for key, name, stages, days, escalation, tier in preset["cadences"]:
            vals = {"name": name, "applies_to": "lead" if stages else "partner"}
            vals.update(interval_days=days, escalation_days=escalation, customer_tier=tier or False)
            vals["stage_ids"] = ("stages", stages)
            items.append(("cadence", key, name, vals))
        if "crm.health.scorecard" in self.env:
            name = self.env._("%s health scorecard", self._template_label())
            vals = {f"weight_{dim}": weight for dim, weight in preset["weights"].items()}
            items.append(("scorecard", "weights", name, vals))
        return items

    def _xmlid_name(self, kind, key):
        return f"{self.template}_{kind}_{key}"

    def _existing(self):
        """{xmlid name: record} of the records this template made before."""
        # sudo: external ids of the template's own namespace (system data); the records
        # are then browsed as the caller, whose rules apply
        rows = (
            self.env["ir.model.data"]
            .sudo()
            .search_read(
                [("module", "=", XMLID_MODULE), ("name", "=like", f"{self.template}\\_%")],
                ["name", "model", "res_id"],
            )
        )
        found = {}
        for row in rows:
            record = self.env[row["model"]].with_context(active_test=False).browse(row["res_id"])
            if record.exists():
                found[row["name"]] = record
        return found

    def _resolve(self, vals, stages):
        """Preset values with references turned into ids (None when a stage is
        still to be created)."""
        resolved = {}
        for name, value in vals.items():
            if isinstance(value, tuple) and value[0] == "stage":
                stage = stages.get(value[1])
                resolved[name] = stage.id if stage else None
            elif isinstance(value, tuple) and value[0] == "stages":
                resolved[name] = [stages[key].id if key in stages else None for key in value[1]]
            elif isinstance(value, tuple) and value[0] == "fields":
                # sudo: field definitions (metadata, not user data)
                resolved[name] = (
                    self.env["ir.model.fields"]
                    .sudo()
                    .search([("model", "=", value[1]), ("name", "in", value[2])])
                    .ids
                )
            else:
                resolved[name] = value
        return resolved

    def _differs(self, record, vals):
        """Whether ``record`` no longer holds the preset ``vals`` (changed by an admin)."""
        for name, value in vals.items():
            field = record._fields[name]
            current = record[name]
            if field.type == "many2one":
                same = current.id == (value or False)
            elif field.type == "many2many":
                same = set(current.ids) == set(value)
            elif field.type == "html":
                same = html2plaintext(current or "").strip() == html2plaintext(value or "").strip()
            elif field.type == "float":
                same = float_compare(current, value or 0.0, precision_digits=4) == 0
            else:
                same = current == (value if value is not None else False)
            if not same:
                return True
        return False

    def _plan(self):
        """[{kind, key, name, action, record, vals}] in the order of application."""
        self.ensure_one()
        existing = self._existing()
        stages = {}
        plan = []
        for kind, key, name, vals in self._items():
            record = existing.get(self._xmlid_name(kind, key))
            action = "create"
            if record:
                resolved = self._resolve(vals, stages)
                action = "modified" if self._differs(record, resolved) else "unchanged"
            elif kind == "stage":
                record = self.env["crm.stage"].search([("name", "=ilike", name)], limit=1)
                action = "reuse" if record else "create"
            if kind == "stage" and record:
                stages[key] = record
            plan.append(
                {"kind": kind, "key": key, "name": name, "action": action, "record": record}
            )
            plan[-1]["vals"] = vals
        return plan

    @api.depends("template")
    def _compute_preview_html(self):
        for wizard in self:
            wizard.preview_html = wizard._plan_html(wizard._plan()) if wizard.template else False

    def _plan_html(self, plan):
        kinds, actions = self._kind_labels(), self._action_labels()
        colours = {"create": "success", "modified": "warning"}
        rows = Markup().join(
            Markup(
                '<tr><td>%s</td><td>%s</td><td><span class="badge text-bg-%s">%s</span></td></tr>'
            )
            % (
                kinds[item["kind"]],
                item["name"],
                colours.get(item["action"], "secondary"),
                actions[item["action"]],
            )
            for item in plan
        )
        head = Markup("<thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead>") % (
            self.env._("Type"),
            self.env._("Name"),
            self.env._("Action"),
        )
        return Markup('<table class="table table-sm">%s<tbody>%s</tbody></table>') % (head, rows)

    # ------------------------------------------------------------------
    # Apply
    # ------------------------------------------------------------------
    def action_apply(self):
        self.ensure_one()
        # the wizard is its creator's (rule); every record it makes is created as the
        # caller, so the access rights of each configuration model decide
        self.check_access("write")
        plan = self._plan()
        stages = {item["key"]: item["record"] for item in plan if item["record"]}
        stages = {key: rec for key, rec in stages.items() if rec._name == "crm.stage"}
        xmlids = []
        for item in plan:
            if item["action"] != "create":
                continue
            vals = self._resolve(item["vals"], stages)
            if item["kind"] == "cadence":
                vals["stage_ids"] = [(6, 0, vals["stage_ids"])]
            if item["kind"] == "requirement":
                vals["lead_field_ids"] = [(6, 0, vals["lead_field_ids"])]
                vals["partner_field_ids"] = [(6, 0, vals["partner_field_ids"])]
            record = self._create_item(item["kind"], item["name"], vals)
            item["record"] = record
            if item["kind"] == "stage":
                stages[item["key"]] = record
            xmlids.append(
                {
                    "module": XMLID_MODULE,
                    "name": self._xmlid_name(item["kind"], item["key"]),
                    "model": record._name,
                    "res_id": record.id,
                    "noupdate": True,
                }
            )
        # sudo: external ids of records the caller has just created (system data)
        self.env["ir.model.data"].sudo().create(xmlids)
        self.write({"state": "done", "result_html": self._plan_html(plan)})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _create_item(self, kind, name, vals):
        Model = self.env[KIND_MODELS[kind]]
        if kind == "stage":
            vals["is_won"] = vals["sequence"] >= 70
        if kind != "scorecard":
            return Model.create(vals)
        # A new, inactive scorecard with the template's weights and the bands of the
        # active (or any) scorecard: the active one is never changed.
        Scorecard = Model.with_context(active_test=False)
        base = Scorecard.search(
            [("company_id", "in", [self.env.company.id, False])], order="active desc, id", limit=1
        )
        vals.update(name=name, active=False)
        return base.copy(vals) if base else Scorecard.create(vals)

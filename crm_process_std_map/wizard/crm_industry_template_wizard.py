# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import float_compare, html2plaintext

from .crm_industry_template_data import TEMPLATES

# Records made by a template carry an external id in this namespace, so that
# applying it again finds them instead of creating duplicates.
XMLID_MODULE = "__crm_industry_template__"


class PresetText(dict):
    """A text of a preset in every installed language: ``{lang: text}``, en_US the
    source. Records get the source and a translation per language, so each user
    reads the preset in their own language whoever applied it."""

    html = False

    @property
    def source(self):
        return self["en_US"]


class PresetParagraph(PresetText):
    """A preset text stored as one HTML paragraph (stage guidance)."""

    html = True


class CrmIndustryTemplateWizard(models.TransientModel):
    """Preview and apply a preset process (stages, requirements, cadences, SLAs)
    for an industry. Idempotent: records it made are found again by external id;
    records an admin changed are kept as they are. Bridges add items of their part
    (``_kind_models``, ``_kind_labels``, ``_extra_items``, ``_create_record``)."""

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

    def _kind_models(self):
        """{kind: model} of the items a template makes."""
        return {
            "stage": "crm.stage",
            "requirement": "crm.stage.requirement",
            "sla": "crm.sla.node",
            "cadence": "crm.cadence.rule",
        }

    def _kind_labels(self):
        return {
            "stage": self.env._("Stage"),
            "requirement": self.env._("Stage requirement"),
            "sla": self.env._("SLA node"),
            "cadence": self.env._("Cadence rule"),
        }

    def _template_label(self):
        return dict(self._fields["template"]._description_selection(self.env))[self.template]

    def _languages(self):
        return [code for code, _name in self.env["res.lang"].get_installed()]

    def _text(self, lazy, kind=PresetText):
        return kind({lang: lazy._translate(lang) for lang in self._languages()})

    def _items(self):
        """[(kind, key, name, vals)] of the preset; stage references are stage keys;
        names and texts are PresetText (every installed language)."""
        preset = TEMPLATES[self.template]
        items = []
        for key, name, seq, guide in preset["stages"]:
            name = self._text(name)
            vals = {"name": name, "sequence": seq, "guidance": self._text(guide, PresetParagraph)}
            items.append(("stage", key, name, vals))
        for key, name, stage, mode, lead_fields, partner_fields in preset["requirements"]:
            name = self._text(name)
            vals = {"name": name, "stage_id": ("stage", stage), "kind": "field", "mode": mode}
            vals["lead_field_ids"] = ("fields", "crm.lead", lead_fields)
            vals["partner_field_ids"] = ("fields", "res.partner", partner_fields)
            items.append(("requirement", key, name, vals))
        # A node timing another part's records (a complaint answered...) comes with
        # that part's SLA bridge: without it, its events are not offered, nor is it.
        node_fields = self.env["crm.sla.node"]._fields
        known = {
            event: dict(node_fields[field]._description_selection(self.env))
            for event, field in (("start", "start_event"), ("stop", "stop_event"))
        }
        for key, name, start, stop, stage, hours in preset["slas"]:
            if start not in known["start"] or stop not in known["stop"]:
                continue
            name = self._text(name)
            vals = {"name": name, "start_event": start, "stop_event": stop}
            vals.update(time_limit_hours=hours, stage_id=("stage", stage) if stage else False)
            items.append(("sla", key, name, vals))
        for key, name, stages, days, escalation, tier in preset["cadences"]:
            name = self._text(name)
            vals = {"name": name, "applies_to": "lead" if stages else "partner"}
            vals.update(interval_days=days, escalation_days=escalation, customer_tier=tier or False)
            vals["stage_ids"] = ("stages", stages)
            items.append(("cadence", key, name, vals))
        return items + self._extra_items()

    def _extra_items(self):
        """Items of other parts, after the preset's own: [(kind, key, name, vals)]."""
        return []

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
                [
                    ("module", "=", XMLID_MODULE),
                    ("name", "=like", f"{self.template}\\_%"),
                    # the kinds made by the installed parts only
                    ("model", "in", list(self._kind_models().values())),
                ],
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
            if isinstance(value, PresetText):
                resolved[name] = Markup("<p>%s</p>") % value.source if value.html else value.source
            elif isinstance(value, tuple) and value[0] == "stage":
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
        """Whether ``record`` no longer holds the preset ``vals`` (changed by an admin):
        compared with the English source of its texts."""
        record = record.with_context(lang="en_US")
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
        lang = self.env.lang or "en_US"
        for kind, key, name, vals in self._items():
            record = existing.get(self._xmlid_name(kind, key))
            action = "create"
            if record:
                resolved = self._resolve(vals, stages)
                action = "modified" if self._differs(record, resolved) else "unchanged"
            elif kind == "stage":
                record = self._existing_stage(name)
                action = "reuse" if record else "create"
            if kind == "stage" and record:
                stages[key] = record
            plan.append(
                {
                    "kind": kind,
                    "key": key,
                    "name": name.get(lang, name.source),
                    "action": action,
                    "record": record,
                    "vals": vals,
                }
            )
        return plan

    def _existing_stage(self, name):
        """A stage of this name, in English or in the user's language."""
        Stage = self.env["crm.stage"]
        return Stage.with_context(lang="en_US").search(
            [("name", "=ilike", name.source)], limit=1
        ).with_env(self.env) or Stage.search(
            [("name", "=ilike", name.get(self.env.lang, name.source))], limit=1
        )

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
            texts = {
                name: value for name, value in item["vals"].items() if isinstance(value, PresetText)
            }
            vals = self._resolve(item["vals"], stages)
            if item["kind"] == "cadence":
                vals["stage_ids"] = [(6, 0, vals["stage_ids"])]
            if item["kind"] == "requirement":
                vals["lead_field_ids"] = [(6, 0, vals["lead_field_ids"])]
                vals["partner_field_ids"] = [(6, 0, vals["partner_field_ids"])]
            record = self._create_item(item["kind"], texts, vals)
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
            "name": self.env._("Industry Template Applied"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _create_item(self, kind, texts, vals):
        """Create the item with the English source of its texts (``vals``, resolved),
        then give each text its translation in every installed language."""
        record = self._create_record(kind, vals)
        for field_name, text in texts.items():
            self._translate_field(record, field_name, text)
        return record.with_env(self.env)

    def _create_record(self, kind, vals):
        """The record of an item, created with the English source of its texts."""
        if kind == "stage":
            vals["is_won"] = vals["sequence"] >= 70
        return self.env[self._kind_models()[kind]].with_context(lang="en_US").create(vals)

    def _translate_field(self, record, field_name, text):
        translations = {
            lang: value for lang, value in text.items() if lang != "en_US" and value != text.source
        }
        if not translations:
            return
        if text.html:
            # the stored paragraph's one term (as the HTML translation reads it)
            field = record._fields[field_name]
            [term] = field.get_translation_dictionary(record[field_name], {})
            translations = {
                lang: {term: str(escape(value))} for lang, value in translations.items()
            }
        record.update_field_translations(field_name, translations)

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Body of setup/i18n.sh, run in `odoo shell` with ``env``, ``addon`` and ``repo_root``
given: write <addon>/i18n/<addon>.pot and merge it into <addon>/i18n/zh_CN.po."""

import io
import os

import polib

from odoo.tools.translate import TranslationFileWriter, TranslationModuleReader


class AddonTermsReader(TranslationModuleReader):
    """The addon's terms (its demo records' too when the database has demo data),
    plus two kinds of terms Odoo's export lists under no addon, because it files a
    record under the module of its external id only:

    - the translatable fields the addon defines, where they hold a value on records
      of another module (e.g. the guidance this addon's demo writes on crm's stages);
    - the selection values of the addon's own models reflected under the module of
      an inherited field (e.g. ``mail.selection__crm_complaint__activity_state__today``
      for a model inheriting mail.activity.mixin), which label the selection on these
      models only."""

    def _export_translatable_records(self):
        super()._export_translatable_records()
        for module in self._modules:
            self._export_own_fields_of_other_records(module)
            self._export_inherited_selections_of_own_models(module)

    def _export_inherited_selections_of_own_models(self, module):
        own_models = [
            name
            for name in self.env["ir.model"].search([]).mapped("model")
            if name in self.env and self.env[name]._original_module == module
        ]
        selections = self.env["ir.model.fields.selection"].search(
            [("field_id.model_id.model", "in", own_models)]
        )
        external_ids = self.env["ir.model.data"].search(
            [
                ("model", "=", "ir.model.fields.selection"),
                ("res_id", "in", selections.ids),
                ("module", "!=", module),
            ],
            order="module, name",
        )
        for imd in external_ids:
            selection = selections.browse(imd.res_id)
            self._push_translation(
                module,
                "model",
                "ir.model.fields.selection,name",
                f"{imd.module}.{imd.name}",
                selection.name,
                record_id=selection.id,
                value="",
            )

    def _export_own_fields_of_other_records(self, module):
        for field_def in self.env["ir.model.fields"].search([("translate", "!=", False)]):
            if module not in (field_def.modules or "").split(", "):
                continue
            model = self.env.get(field_def.model)
            field = model._fields.get(field_def.name) if model is not None else None
            if not field or not field.store or not field.translate or not model._translate:
                continue
            external_ids = self.env["ir.model.data"].search(
                [("model", "=", model._name), ("module", "!=", module)], order="module, name"
            )
            for imd in external_ids:
                if imd.module.startswith("__"):  # exported or generated ids
                    continue
                record = model.browse(imd.res_id).exists()
                value = record[field.name] if record else None
                if not value:
                    continue
                trans_type = "model_terms" if callable(field.translate) else "model"
                for term in field.get_translation_dictionary(value, {}):
                    self._push_translation(
                        module,
                        trans_type,
                        f"{model._name},{field.name}",
                        f"{imd.module}.{imd.name}",
                        term,
                        record_id=record.id,
                        value="",
                    )


def export(env, addon, repo_root):
    if not env["ir.module.module"]._get(addon).demo:
        print(f"{addon}: WARNING: no demo data in this database, its demo terms are left out")
    buffer = io.BytesIO()
    TranslationFileWriter(buffer, fileformat="po", lang=None).write_rows(
        AddonTermsReader(env.cr, modules=[addon])
    )
    pot_path = os.path.join(repo_root, addon, "i18n", f"{addon}.pot")
    os.makedirs(os.path.dirname(pot_path), exist_ok=True)
    with open(pot_path, "wb") as pot_file:
        pot_file.write(buffer.getvalue())
    pot = polib.pofile(pot_path)
    po_path = os.path.join(repo_root, addon, "i18n", "zh_CN.po")
    po = polib.pofile(po_path) if os.path.exists(po_path) else polib.POFile()
    po.merge(pot)
    po.metadata.update(
        {
            "Project-Id-Version": "Odoo Server 19.0",
            "Language": "zh_CN",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )
    po.save(po_path)
    missing = [entry.msgid for entry in po if not entry.msgstr and not entry.obsolete]
    print(f"{addon}: {len(pot)} terms, {len(missing)} without zh_CN translation")


export(env, addon, repo_root)  # noqa: F821 (given by setup/i18n.sh)

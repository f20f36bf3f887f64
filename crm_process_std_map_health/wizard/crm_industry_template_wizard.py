# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.crm_process_std_map.wizard.crm_industry_template_wizard import PresetText

from .crm_industry_template_data import TEMPLATE_WEIGHTS


class CrmIndustryTemplateWizard(models.TransientModel):
    """The preset's health weights as one more item of the template: a new, inactive
    scorecard named after the template, found again by external id like the rest."""

    _inherit = "crm.industry.template.wizard"

    def _kind_models(self):
        return {**super()._kind_models(), "scorecard": "crm.health.scorecard"}

    def _kind_labels(self):
        return {**super()._kind_labels(), "scorecard": self.env._("Health scorecard")}

    def _scorecard_name(self):
        names = {}
        for lang in self._languages():
            wizard = self.with_context(lang=lang)
            names[lang] = wizard.env._(
                "%(template)s health scorecard", template=wizard._template_label()
            )
        return PresetText(names)

    def _extra_items(self):
        items = super()._extra_items()
        weights = TEMPLATE_WEIGHTS.get(self.template)
        if weights:
            name = self._scorecard_name()
            vals = {f"weight_{dimension}": weight for dimension, weight in weights.items()}
            vals["name"] = name
            items.append(("scorecard", "weights", name, vals))
        return items

    def _create_record(self, kind, vals):
        if kind != "scorecard":
            return super()._create_record(kind, vals)
        # A new, inactive scorecard with the template's weights and the bands of the
        # active (or any) scorecard: the active one is never changed.
        Scorecard = self.env["crm.health.scorecard"].with_context(lang="en_US", active_test=False)
        base = Scorecard.search(
            [("company_id", "in", [self.env.company.id, False])],
            order="active desc, id",
            limit=1,
        )
        vals["active"] = False
        return base.copy(vals) if base else Scorecard.create(vals)

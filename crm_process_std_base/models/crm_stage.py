# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .crm_cached_config_mixin import config_cache

# Stage values the gate configuration depends on (pipeline order, teams, folding).
GATE_STAGE_FIELDS = frozenset({"sequence", "name", "fold", "team_ids", "is_won"})


class CrmStage(models.Model):
    _inherit = "crm.stage"

    guidance = fields.Html(
        string="Stage Guidance",
        translate=True,
        help="What to do in this stage: inputs, outputs and time limit. Shown on the "
        "leads in this stage.",
    )
    requirement_ids = fields.One2many(
        "crm.stage.requirement", "stage_id", string="Stage Requirements"
    )

    # ------------------------------------------------------------------
    # Which stages a gate may refuse (cached: lead creation asks on every call)
    # ------------------------------------------------------------------
    @api.model
    @config_cache
    def _gated_stages(self):
        """(ids of the stages a gate may refuse, whether the entry stage of some team
        is one of them). Costs no query once cached; the cache is cleared when
        requirements, approval levels, stages or parameters change."""
        # configuration of every company and team, as the gates evaluate it (system
        # data, cached; only stage ids leave this method)
        stages = self.sudo().search([])
        position = {stage.id: index for index, stage in enumerate(stages)}
        gated = set()
        requirements = self.env["crm.stage.requirement"].sudo()
        if requirements._active_modes():
            rule_stages = requirements.search([]).stage_id
            first = min(
                (position.get(stage.id, len(stages)) for stage in rule_stages), default=None
            )
            if first is not None:
                gated.update(sid for sid, index in position.items() if index >= first)
        gated.update(self._gated_stage_ids(stages))
        # the stage a lead gets without one given: the first unfolded stage of its team
        unfolded = stages.filtered(lambda stage: not stage.fold).sorted(
            lambda s: (s.sequence, s.id)
        )
        teams = self.env["crm.team"].sudo().with_context(active_test=False).search([])
        entries = {unfolded.filtered(lambda stage: not stage.team_ids)[:1].id}
        for team in teams:
            entries.add(
                unfolded.filtered(lambda stage, t=team: not stage.team_ids or t in stage.team_ids)[
                    :1
                ].id
            )
        return frozenset(gated), bool(entries & gated)

    @api.model
    def _gated_stage_ids(self, stages):
        """Ids among ``stages`` (every stage, pipeline order, as superuser) that the
        gate of a part may refuse; parts extend it. Read within ``_gated_stages``:
        configuration it reads must clear the registry cache when it changes."""
        return set()

    @api.model_create_multi
    def create(self, vals_list):
        stages = super().create(vals_list)
        self.env.registry.clear_cache()  # the pipeline order changed: gated stages too
        return stages

    def write(self, vals):
        result = super().write(vals)
        if GATE_STAGE_FIELDS & vals.keys():
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        # Deviations keep the name of the stage they were logged for (set null).
        self.env["crm.stage.deviation"].sudo()._keep_stage_names(self)
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

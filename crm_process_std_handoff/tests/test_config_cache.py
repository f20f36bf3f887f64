# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The stage after acceptance (a company setting) is enforced by every request after
its change, also by a request of the same process whose snapshot is older (see
crm_process_std_base's test_config_cache.py)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_process_std_base.tests.common import ConfigCacheRaceMixin


@tagged("post_install", "-at_install")
class TestHandoffConfigCache(ConfigCacheRaceMixin, TransactionCase):
    def _cases(self):
        free_stage = self._free_stage()
        company_id = self.env.company.id
        previous = self._read(
            lambda env: env["res.company"].browse(company_id).crm_handoff_stage_id.id
        )

        def set_gate(env):
            env["res.company"].browse(company_id).crm_handoff_stage_id = free_stage
            return free_stage

        return [
            (
                "handoff gate setting",
                set_gate,
                lambda env, token: (
                    env["res.company"].browse(company_id).write({"crm_handoff_stage_id": previous})
                ),
                lambda env, token: token in env["crm.stage"]._gated_stages()[0],
            ),
            (
                "companies held by the handoff gate",
                set_gate,
                lambda env, token: (
                    env["res.company"].browse(company_id).write({"crm_handoff_stage_id": previous})
                ),
                lambda env, token: company_id in env["crm.handoff"]._gate_company_ids(token),
            ),
        ]

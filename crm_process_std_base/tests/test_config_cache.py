# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A configuration change is enforced by every later request of the same process.

Odoo clears its caches inside the transaction that changes the configuration. A
request of the same process (threaded server) whose snapshot is older than the
change could refill the cache with the old rule afterwards, and nothing cleared it
again. These tests play that race with real, committed transactions (the server's
order: commit, then signal the change), so they leave the database as they found it.
Each part plays its own configuration (approval levels, handoff and SLA settings) in
its addon's tests; here, the stage requirements of the base.
"""

from odoo.tests import TransactionCase, tagged

from .common import ConfigCacheRaceMixin


@tagged("post_install", "-at_install")
class TestConfigCacheSnapshots(ConfigCacheRaceMixin, TransactionCase):
    def _add_requirement(self, env):
        stage = env["crm.stage"].browse(self._free_stage())
        phone = env["ir.model.fields"]._get("crm.lead", "phone")
        env["crm.stage.requirement"].create(
            {
                "name": "Snapshot race requirement",
                "stage_id": stage.id,
                "lead_field_ids": [(6, 0, phone.ids)],
                "mode": "block",
            }
        )
        return stage.id

    @staticmethod
    def _remove_requirement(env, token):
        env["crm.stage.requirement"].search(
            [("stage_id", "=", token), ("name", "=", "Snapshot race requirement")]
        ).unlink()

    def _cases(self):
        return [
            (
                "stage requirement",
                self._add_requirement,
                self._remove_requirement,
                lambda env, token: token in env["crm.stage"]._gated_stages()[0],
            ),
        ]

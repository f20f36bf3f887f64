# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A configuration change is enforced by every later request of the same process.

Odoo clears its caches inside the transaction that changes the configuration. A
request of the same process (threaded server) whose snapshot is older than the
change could refill the cache with the old rule afterwards, and nothing cleared it
again. These tests play that race with real, committed transactions (the server's
order: commit, then signal the change), so they leave the database as they found it.
"""

from odoo.tests import TransactionCase, tagged

from .common import ConfigCacheRaceMixin


@tagged("post_install", "-at_install")
class TestConfigCacheSnapshots(ConfigCacheRaceMixin, TransactionCase):
    @staticmethod
    def _add_node(env):
        return (
            env["crm.sla.node"]
            .create(
                {
                    "name": "Snapshot race node",
                    "start_event": "stage_entered",
                    "stop_event": "stage_left",
                    "stage_id": env["crm.stage"].search([], limit=1).id,
                    "time_limit_hours": 5,
                }
            )
            .id
        )

    @staticmethod
    def _node_ids(env):
        return {node.id for node in env["crm.sla.node"]._lead_nodes()}

    def _cases(self):
        return [
            (
                "SLA node",
                self._add_node,
                lambda env, token: env["crm.sla.node"].browse(token).unlink(),
                lambda env, token: token in self._node_ids(env),
            ),
        ]

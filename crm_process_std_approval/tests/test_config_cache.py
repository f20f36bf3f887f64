# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Approval levels and the approval gate are enforced by every request after their
change, also by a request of the same process whose snapshot is older (see
crm_process_std_base's test_config_cache.py)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_process_std_base.tests.common import ConfigCacheRaceMixin


@tagged("post_install", "-at_install")
class TestApprovalConfigCache(ConfigCacheRaceMixin, TransactionCase):
    @staticmethod
    def _add_level(env):
        return (
            env["crm.approval.level"]
            .create(
                {
                    "name": "Snapshot race level",
                    "min_amount": 123456,
                    "approver_group_id": env.ref("sales_team.group_sale_manager").id,
                }
            )
            .id
        )

    @staticmethod
    def _level_ids(env):
        return {row[0] for row in env["crm.approval.level"]._level_rows()}

    def _cases(self):
        return [
            (
                "approval level",
                self._add_level,
                lambda env, token: env["crm.approval.level"].browse(token).unlink(),
                lambda env, token: token in self._level_ids(env),
            ),
        ]

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A configuration change is enforced by every later request of the same process.

Odoo clears its caches inside the transaction that changes the configuration. A
request of the same process (threaded server) whose snapshot is older than the
change could refill the cache with the old rule afterwards, and nothing cleared it
again. These tests play that race with real, committed transactions (the server's
order: commit, then signal the change), so they leave the database as they found it.
"""

import functools
from contextlib import closing

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_process_std_base.models.crm_handoff import PARAM as HANDOFF_PARAM

GATE_PARAM = HANDOFF_PARAM % "stage_id"


@tagged("post_install", "-at_install")
class TestConfigCacheSnapshots(TransactionCase):
    def _commit(self, work):
        """Run ``work(env)`` in its own transaction and commit it as a request would."""
        with self.registry.cursor() as cr:
            result = work(api.Environment(cr, SUPERUSER_ID, {}))
        self.registry.signal_changes()
        return result

    def _read(self, read):
        """What a new request reads through the cache."""
        with closing(self.registry.cursor()) as cr:
            return read(api.Environment(cr, SUPERUSER_ID, {}))

    # --- the changes played (each returns what the undo needs) -------------------------
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
        """(label, change(env) -> token, undo(env, token), is_visible(env, token))."""
        stages = self._read(lambda env: env["crm.stage"].search([]).ids)
        gated = self._read(lambda env: env["crm.stage"]._gated_stages()[0])
        free_stage = next(sid for sid in stages if sid not in gated)
        previous = self._read(lambda env: env["ir.config_parameter"].sudo().get_param(GATE_PARAM))

        def set_gate(env):
            env["ir.config_parameter"].sudo().set_param(GATE_PARAM, str(free_stage))
            return free_stage

        return [
            (
                "approval level",
                self._add_level,
                lambda env, token: env["crm.approval.level"].browse(token).unlink(),
                lambda env, token: token in self._level_ids(env),
            ),
            (
                "handoff gate setting",
                set_gate,
                lambda env, token: (
                    env["ir.config_parameter"].sudo().set_param(GATE_PARAM, previous or False)
                ),
                lambda env, token: token in env["crm.stage"]._gated_stages()[0],
            ),
        ]

    def test_old_snapshot_read_after_the_change(self):
        """A request that began before the change and reads after it does not leave
        the old rule in the cache."""
        for label, change, undo, is_visible in self._cases():
            with self.subTest(label):
                with closing(self.registry.cursor()) as old_cr:
                    old_env = api.Environment(old_cr, SUPERUSER_ID, {})
                    old_cr.execute("SELECT 1")  # the old request's snapshot starts here
                    token = self._commit(change)
                    try:
                        # the old request sees its own snapshot (without the change)...
                        self.assertFalse(is_visible(old_env, token))
                        # ...and the next request sees the change
                        self.assertTrue(
                            self._read(functools.partial(is_visible, token=token)),
                            f"{label}: a request after the change still gets the old rule",
                        )
                    finally:
                        self._commit(functools.partial(undo, token=token))
                self.assertFalse(self._read(functools.partial(is_visible, token=token)))

    def test_read_while_the_change_is_in_progress(self):
        """A request that reads while the change is being saved (its transaction not yet
        committed) does not leave the old rule in the cache either."""
        for label, change, undo, is_visible in self._cases():
            with self.subTest(label):
                with self.registry.cursor() as changing_cr:
                    token = change(api.Environment(changing_cr, SUPERUSER_ID, {}))
                    # another request reads now: the cache was cleared by the change
                    self.assertFalse(self._read(functools.partial(is_visible, token=token)))
                self.registry.signal_changes()
                try:
                    self.assertTrue(
                        self._read(functools.partial(is_visible, token=token)),
                        f"{label}: a request after the change still gets the old rule",
                    )
                finally:
                    self._commit(functools.partial(undo, token=token))

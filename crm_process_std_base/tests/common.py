# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import functools
from contextlib import closing

from odoo import SUPERUSER_ID, api
from odoo.tests import HttpCase

from odoo.addons.crm.tests.common import TestCrmCommon


class StageRequirementCase(TestCrmCommon):
    """crm's own test organisation (its sales team, manager and salesperson on own
    documents, made a member of the team here), a second team, and a four-stage pipeline
    of both teams on which the requirements are set."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = cls.user_sales_salesman
        cls.manager = cls.user_sales_manager
        cls.team = cls.sales_team_1
        cls.env["crm.team.member"].create(
            {"crm_team_id": cls.team.id, "user_id": cls.salesperson.id}
        )
        cls.other_team = cls.env["crm.team"].create({"name": "Std Other Team", "sequence": 999})
        Stage = cls.env["crm.stage"]
        teams = [(6, 0, [cls.team.id, cls.other_team.id])]
        cls.discovery = Stage.create({"name": "Std Discovery", "sequence": 12, "team_ids": teams})
        cls.proposal = Stage.create({"name": "Std Proposal", "sequence": 13, "team_ids": teams})
        cls.closing = Stage.create({"name": "Std Closing", "sequence": 14, "team_ids": teams})
        cls.start = Stage.create({"name": "Std Start", "sequence": 11, "team_ids": teams})
        cls.industry = cls.env.ref("base.res_partner_industry_C")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Std Customer Ltd", "is_company": True}
        )

    @classmethod
    def lead_field(cls, name):
        return cls.env["ir.model.fields"]._get("crm.lead", name)

    @classmethod
    def partner_field(cls, name):
        return cls.env["ir.model.fields"]._get("res.partner", name)

    def make_requirement(self, stage, lead_fields=(), partner_fields=(), **values):
        return self.env["crm.stage.requirement"].create(
            {
                "name": values.pop("name", f"Need {', '.join(lead_fields + partner_fields)}"),
                "stage_id": stage.id,
                "lead_field_ids": [(6, 0, [self.lead_field(name).id for name in lead_fields])],
                "partner_field_ids": [
                    (6, 0, [self.partner_field(name).id for name in partner_fields])
                ],
                "mode": values.pop("mode", "block"),
                **values,
            }
        )

    def make_lead(self, name="Std Lead", stage=None, team=None, **values):
        return (
            self.env["crm.lead"]
            .with_user(self.salesperson)
            .create(
                {
                    "name": name,
                    "type": "opportunity",
                    "team_id": (team or self.team).id,
                    "user_id": self.salesperson.id,
                    "stage_id": (stage or self.start).id,
                    **values,
                }
            )
        )


class WebClientCase(HttpCase):
    def button(self, model, record_id, method, context=None):
        """Press an object button: what ``/web/dataset/call_button`` answers."""
        return self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {
                "model": model,
                "method": method,
                "args": [[record_id]],
                "kwargs": {"context": {"lang": "en_US", **(context or {})}},
            },
        )

    def call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def open_dialog(self, action, values):
        """Open the dialog of a window action as the web client does (defaults from the
        action's context), fill it in and save it; return the wizard's id."""
        context = {"lang": "en_US", **action["context"]}
        spec = {name: {} for name in values}
        self.call_kw(action["res_model"], "onchange", [[], {}, [], spec], {"context": context})
        saved = self.call_kw(
            action["res_model"],
            "web_save",
            [[], values],
            {"specification": {"display_name": {}}, "context": context},
        )
        return saved[0]["id"]


class ConfigCacheRaceMixin:
    """A configuration change is enforced by every later request of the same process
    (see test_config_cache.py). Mixed into a TransactionCase tagged post_install; each
    part plays its own configuration with ``_cases``."""

    def _cases(self):
        """(label, change(env) -> token, undo(env, token), is_visible(env, token))."""
        raise NotImplementedError

    def _free_stage(self):
        """A stage no gate refuses yet."""
        stages = self._read(lambda env: env["crm.stage"].search([]).ids)
        gated = self._read(lambda env: env["crm.stage"]._gated_stages()[0])
        return next(sid for sid in stages if sid not in gated)

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

"""Every button of the addons' views, pressed the way the web client presses it.

The buttons are found by construction (buttons_catalog.py): every ``type="object"``
and ``type="action"`` button of every view of the addons, inherited views and wizards
included, located in the view the web client receives. Each is pressed over HTTP
(buttons_press.py): ``/web/dataset/call_button`` or ``/web/action/load``, as a
user it is shown to, on a record of the demo database on which it is visible (a wizard
or settings button: in the dialog its opener opens), with the context of the view's
action and of the button, in English and in Chinese. Then the action it returns is
opened as the client opens it (views loaded, records read).

A refusal with a message (UserError, ValidationError, AccessError) is fine: the web
client shows it (the next roles, and the record's own people, then try the button, so
that a refusal does not hide a crash further on). A crash is not, nor an action the
client cannot open or a window action without a name (a dialog titled "Odoo"), nor a
button no user can press.
A new button is covered with no change here; a state the demo database never reaches
is made in buttons_records.py.
"""

import logging
import time

from odoo.tests import HttpCase, tagged

from .access_matrix_data import ROLES, make_role_fixtures
from .buttons_catalog import find_buttons, missing_buttons, project_addons
from .buttons_press import ROLE_LADDER, ButtonPresser
from .buttons_records import make_extra_records

_logger = logging.getLogger(__name__)

FAILING = ("crashed", "bad_action", "unreached")


@tagged("post_install", "-at_install")
class TestButtons(ButtonPresser, HttpCase):
    # Odoo tags only the test classes of addons by itself; this one lives outside them.
    test_tags = frozenset({"standard", "at_install"})
    test_module = "crm_process_std"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        addons = cls.env["ir.module.module"].search(
            [("name", "in", project_addons()), ("state", "=", "installed")]
        )
        cls.env["ir.module.module"]._load_module_terms(addons.mapped("name"), ["zh_CN"])
        make_role_fixtures(cls, "buttons", "Buttons", {role: ROLES[role] for role in ROLE_LADDER})
        cls.wrong_extra_records = make_extra_records(cls)
        cls.buttons = find_buttons(cls.env)

    def test_buttons_are_found_by_construction(self):
        """The catalog sees every kind of button, and none of the addons' buttons is
        lost on the way to the view the client receives."""
        kinds = {button.kind for button in self.buttons}
        self.assertTrue(
            {"form_header", "list_header", "list_row", "footer", "button_box"} <= kinds,
            f"button kinds found: {sorted(kinds)}",
        )
        found = {(button.model, button.name, button.kind) for button in self.buttons}
        for expected in (
            ("crm.health.score", "action_recompute_all", "list_header"),
            ("crm.handoff.decision", "action_confirm", "footer"),
            ("crm.lead", "action_crm_log_followup", "form_header"),
            ("res.partner", "action_open_health_score", "button_box"),
            ("mail.activity", "action_crm_log_followup", "footer"),
        ):
            self.assertIn(expected, found)
        self.assertIn("action", {button.type for button in self.buttons})
        self.assertFalse(missing_buttons(self.env, self.buttons))
        self.assertFalse(self.wrong_extra_records, "buttons_records.py")

    def _press_every_button(self, lang):
        started = time.time()
        outcomes = self.press_all(lang)
        by_status = {}
        for outcome in outcomes:
            by_status.setdefault(outcome.status, []).append(outcome)
        _logger.info(
            "buttons [%s]: %s outcomes of %s buttons in %.0fs: %s",
            lang,
            len(outcomes),
            len(self.buttons),
            time.time() - started,
            ", ".join(f"{status} {len(items)}" for status, items in sorted(by_status.items())),
        )
        for status in ("pressed", "refused"):
            for outcome in by_status.get(status, []):
                _logger.info("buttons %s: %s", status, outcome.line())
        for outcome in by_status.get("skipped", []):
            _logger.warning("buttons skipped: %s", outcome.line())
        pressed = {outcome.button for outcome in outcomes}
        self.assertEqual(set(self.buttons) - pressed, set(), "buttons without an outcome")
        failures = [
            f"{outcome.status}: {outcome.line()}"
            for outcome in outcomes
            if outcome.status in FAILING
        ]
        self.assertFalse(
            failures,
            f"{len(failures)} buttons fail as the web client presses them in {lang} "
            "(crashed: the client shows 'Oops'; bad_action: the action it returns has no "
            "name or does not open; unreached: no role it is shown to has a record on "
            "which it is visible: add one to buttons_records.py or the demo "
            "data):\n" + "\n".join(failures),
        )

    def test_every_button_in_english(self):
        self._press_every_button("en_US")

    def test_every_button_in_chinese(self):
        self._press_every_button("zh_CN")

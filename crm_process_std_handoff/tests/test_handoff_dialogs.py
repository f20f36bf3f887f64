# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pressed the way the web client presses them: the Accept / Reject
dialogs of handoffs carry a title."""

from odoo.tests import tagged

from odoo.addons.crm_process_std_base.tests.common import WebClientCase

from .test_handoff import HandoffCase


@tagged("post_install", "-at_install")
class TestHandoffDialogs(WebClientCase, HandoffCase):
    def _submitted(self):
        handoff = self._submitted_handoff()
        self.env.flush_all()
        return handoff

    def test_accept_and_reject_dialogs_have_a_title(self):
        handoff = self._submitted()
        self.authenticate("ho_receiver", "ho_receiver")
        for decision, verb in (("accept", "Accept"), ("reject", "Reject")):
            action = self.button(
                "crm.handoff", handoff.id, "action_open_decision", {"handoff_decision": decision}
            )
            self.assertEqual(action["res_model"], "crm.handoff.decision")
            self.assertEqual(action["name"], f"{verb} {handoff.name}")

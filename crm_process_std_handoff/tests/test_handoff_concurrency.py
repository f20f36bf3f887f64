# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase


class TestHandoffConcurrentAccept(TransactionCase):
    """Two receivers accept the same handoff from two transactions at once.

    Both receivers work in transactions of their own, so the handoff is committed
    first and deleted again at the end."""

    def setUp(self):
        super().setUp()
        self.receiver = self.env.ref("base.user_admin")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            lead = env["crm.lead"].create(
                {"name": "Concurrency check", "type": "opportunity", "user_id": False}
            )
            handoff = env["crm.handoff"].create(
                {
                    "lead_id": lead.id,
                    "name": "Concurrency check",
                    "state": "submitted",
                    "sender_id": env.ref("base.user_root").id,
                    "receiver_user_id": self.receiver.id,
                    "checklist_line_ids": [],
                }
            )
            self.lead_id, self.handoff_id = lead.id, handoff.id
        self.addCleanup(self._delete_committed_records)

    def _delete_committed_records(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["crm.handoff"].browse(self.handoff_id).unlink()
            env["crm.lead"].browse(self.lead_id).unlink()

    def test_two_receivers_accepting_at_once_leave_one_result(self):
        with self.registry.cursor() as cr_first, self.registry.cursor() as cr_second:
            first = api.Environment(cr_first, self.receiver.id, {})["crm.handoff"]
            second = api.Environment(cr_second, self.receiver.id, {})["crm.handoff"]
            # First receiver accepts; their transaction is still running (row locked).
            first.browse(self.handoff_id).action_accept("5")
            # Second receiver still sees a submitted handoff, but cannot take the lock.
            self.assertEqual(second.browse(self.handoff_id).state, "submitted")
            with self.assertRaisesRegex(UserError, "Another user is accepting or rejecting"):
                second.browse(self.handoff_id).action_accept("1")
            cr_second.rollback()
            cr_first.commit()
            # Once the first one committed, the second gets told it is accepted already.
            with self.assertRaisesRegex(UserError, "is Accepted"):
                second.browse(self.handoff_id).action_accept("1")
            cr_second.rollback()
            handoff = second.browse(self.handoff_id)
            self.assertEqual(handoff.state, "accepted")
            self.assertEqual(handoff.quality_rating, "5")
            self.assertEqual(
                len(handoff.message_ids.filtered(lambda m: "Handoff accepted" in (m.body or ""))), 1
            )

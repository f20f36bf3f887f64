# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
from odoo import models
from odoo.exceptions import AccessError, UserError

from .crm_health_backtest import ADMIN_GROUP


class CrmHealthScorecard(models.Model):
    """Scorecards tested against history (Backtest) and switched on by a process
    administrator (Activate: the company's active scorecard is archived at once)."""

    _inherit = "crm.health.scorecard"

    def _check_admin(self, message):
        if not (self.env.su or self.env.user.has_group(ADMIN_GROUP)):
            raise AccessError(message)

    def action_backtest(self):
        """A new backtest of this scorecard, to set up and run."""
        self.ensure_one()
        self._check_admin(self.env._("Only process administrators can backtest a scorecard."))
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Scorecard Backtest"),
            "res_model": "crm.health.backtest",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_scorecard_id": self.id},
        }

    def action_activate(self):
        """Make this scorecard the active one of its company (of every company without
        its own, when shared): the active one is archived in the same transaction. The
        customers get its scores at the next recompute."""
        self.ensure_one()
        self._check_admin(self.env._("Only process administrators can activate a scorecard."))
        self.check_access("write")
        errors = self._configuration_errors()
        if errors:
            raise UserError("\n".join(errors))
        if self.active:
            return True
        # the active one, whatever the form's context (the scorecards' list shows archived)
        current = self.with_context(active_test=True).search(
            [("company_id", "=", self.company_id.id), ("id", "!=", self.id)]
        )
        current.write({"active": False})
        self.write({"active": True})
        for card in current:
            card.message_post(
                body=self.env._("Archived: %s was activated instead.", self.display_name)
            )
        return True

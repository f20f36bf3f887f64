# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class CrmSlaTimer(models.Model):
    """The acceptance clock of the handoff: stopped when after-sales accepts, or by the
    scheduled check when the acceptance came meanwhile."""

    _inherit = "crm.sla.timer"

    @api.model
    def _check_steps(self):
        steps = super()._check_steps()
        # after the clocks of closed leads are cancelled, before the breaches
        steps.insert(1, (self._select_accepted_handoff_timers, self._stop_handoff_batch))
        return steps

    @api.model
    def _select_accepted_handoff_timers(self, now):
        """Timers waiting for a handoff already accepted, with the first acceptance
        since they started (NULL: accepted only before they started)."""
        self.env["crm.handoff"].flush_model()
        accepted = SQL("COALESCE(h.accepted_date, h.write_date)")
        return self.env.execute_query(
            SQL(
                "SELECT t.id, MIN(%(accepted)s) FILTER (WHERE %(accepted)s >= t.date_start)"
                " FROM crm_sla_timer t"
                " JOIN crm_sla_node n ON n.id = t.node_id"
                " JOIN crm_handoff h ON h.lead_id = t.lead_id AND h.state = 'accepted'"
                " WHERE %(open)s AND n.stop_event = 'handoff_accepted' GROUP BY t.id ORDER BY t.id",
                accepted=accepted,
                open=self._open_timers_sql(),
            )
        )

    @api.model
    def _stop_handoff_batch(self, rows, now):
        """Stop the timers at the acceptance; cancel those started after it (a lead won
        again once its handoff was accepted): they wait for nothing."""
        timers = self.browse([row[0] for row in rows if row[1]])
        self._stop(dict(zip(timers, [row[1] for row in rows if row[1]], strict=True)))
        self._cancel_batch([row for row in rows if not row[1]], now)

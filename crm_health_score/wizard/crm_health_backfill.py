# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..models.crm_health_engine_backfill import INSTALL_MONTHS

ADMIN_GROUP = "crm_process_std_base.group_process_admin"
# A backfill on demand runs at once up to this many customers, in the background above
# (as the recompute of every customer).
SYNC_BACKFILL_LIMIT = 2000


class CrmHealthBackfill(models.TransientModel):
    """Backfill History: the weekly or monthly health snapshots of the last months,
    computed from the customers' dated follow-ups, messages, orders and complaints, so
    that trends, the history graph and before / after comparisons have a past."""

    _name = "crm.health.backfill"
    _description = "Backfill Health History"

    months = fields.Integer(
        required=True,
        default=INSTALL_MONTHS,
        help="How many months back to fill, at most the history kept (Settings).",
    )
    period = fields.Selection(
        [("week", "Weekly"), ("month", "Monthly")],
        compute="_compute_settings",
        help="One snapshot per customer and period, as the nightly recompute records "
        "them (Settings: Health History Period).",
    )
    retention_months = fields.Integer(
        string="History Kept (months)",
        compute="_compute_settings",
        help="Older snapshots are deleted by the nightly recompute (Settings).",
    )
    customer_count = fields.Integer(
        string="Customers", compute="_compute_settings", help="Current customers to backfill."
    )
    months_note = fields.Char(compute="_compute_months_note")
    run_ids = fields.Many2many(
        "crm.health.backfill.run",
        string="Recent Backfills",
        compute="_compute_run_ids",
        help="The last backfills asked for, with their progress.",
    )

    @api.depends_context("uid")
    def _compute_settings(self):
        # Configuration and a count of the records the backfill covers.
        engine = self.env["crm.health.engine"].sudo()
        period = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_health_score.snapshot_period", "week")
        )
        retention = self.env["res.config.settings"]._crm_health_retention_months()
        count = engine._backfill_pending_count()
        for wizard in self:
            wizard.period = "month" if period == "month" else "week"
            wizard.retention_months = retention
            wizard.customer_count = count

    @api.depends_context("uid")
    def _compute_run_ids(self):
        # Read with the caller's rights: process administrators read the runs.
        runs = self.env["crm.health.backfill.run"].search([], limit=5)
        for wizard in self:
            wizard.run_ids = runs

    @api.constrains("months")
    def _check_months(self):
        for wizard in self:
            if wizard.months < 1:
                raise ValidationError(
                    self.env._(
                        "Backfill at least one month of health history, not %s.", wizard.months
                    )
                )

    @api.depends("months", "retention_months")
    def _compute_months_note(self):
        for wizard in self:
            wizard.months_note = (
                wizard.months > wizard.retention_months
                and wizard._clamped_message(wizard.retention_months)
            )

    def _clamped_message(self, months):
        return self.env._(
            "The health history is kept %(kept)s months (Settings): %(months)s months will "
            "be backfilled, not %(asked)s.",
            kept=self.retention_months,
            months=months,
            asked=self.months,
        )

    def action_backfill(self):
        """Backfill the snapshots of the chosen months for every current customer:
        at once on a small base, else by the scheduled action in the background.
        Process administrators only (a button's ``groups`` only hides it)."""
        self.ensure_one()
        if not (self.env.su or self.env.user.has_group(ADMIN_GROUP)):
            raise AccessError(
                self.env._("Only process administrators can backfill the health history.")
            )
        # System run over every current customer, the caller's role checked above: it
        # writes their computed history only.
        engine = self.env["crm.health.engine"].sudo()
        months, _retention = engine._backfill_months(self.months)
        notes = [self._clamped_message(months)] if months < self.months else []
        engine._sync_scope()
        count = engine._backfill_pending_count()
        if count > SYNC_BACKFILL_LIMIT:
            engine._backfill_request(months)
            notes.append(
                self.env._(
                    "The health history of the last %(months)s months is being backfilled "
                    "in the background for %(count)s customers.",
                    months=months,
                    count=count,
                )
            )
            return self._notify(notes, "info")
        periods = engine._backfill_periods(months, fields.Date.today())
        # Recorded as the background runs are (Recent Backfills).
        run = (
            self.env["crm.health.backfill.run"]
            .sudo()
            .create({"months": months, "as_of": fields.Date.today()})
        )
        _done, customers, written = engine._backfill(months, run=run)
        run.write({"state": "done", "date_done": fields.Datetime.now()})
        notes.append(
            self.env._(
                "Health history backfilled: %(periods)s periods of the last %(months)s "
                "months for %(customers)s customers, %(written)s snapshots written (recorded "
                "ones kept).",
                periods=len(periods),
                months=months,
                customers=customers,
                written=written,
            )
        )
        return self._notify(notes, "success")

    def _notify(self, notes, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if len(notes) > 1 else kind,
                "message": "\n".join(notes),
                "sticky": len(notes) > 1,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

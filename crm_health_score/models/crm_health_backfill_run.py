# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmHealthBackfillRun(models.Model):
    """One backfill of the health history, asked for by the install or by an
    administrator (*Backfill History*): what was asked, how far the run got and what
    it wrote. The scheduled action *Customer Health: backfill history* works through
    the waiting ones, oldest first, and records its progress here after each
    committed batch (the last health record done): a run stopped by its time limit or
    a crash resumes after it. A row of its own, not a system parameter: writing a
    system parameter clears the configuration caches of every Odoo process.

    Written by the engine only (system); process administrators read it."""

    _name = "crm.health.backfill.run"
    _description = "Health History Backfill"
    _order = "id desc"

    months = fields.Integer(required=True, readonly=True, help="Months of history backfilled.")
    as_of = fields.Date(
        string="Asked On",
        required=True,
        readonly=True,
        help="The periods backfilled are the ones before this day.",
    )
    install = fields.Boolean(
        string="Asked at Install",
        readonly=True,
        help="Once done, the nightly recompute is started: today's scores and trends "
        "then compare with the history just filled.",
    )
    state = fields.Selection(
        [("waiting", "In Progress"), ("done", "Done")],
        required=True,
        default="waiting",
        readonly=True,
    )
    background = fields.Boolean(
        string="In the Background",
        readonly=True,
        help="Run by the scheduled action in committed batches (a large base).",
    )
    last_health_id = fields.Integer(
        string="Last Record Done",
        readonly=True,
        help="Technical: the last health record done (the run resumes after it).",
    )
    customer_count = fields.Integer(
        string="Customers Done", readonly=True, help="Customers whose history is filled."
    )
    snapshot_count = fields.Integer(
        string="Snapshots Written",
        readonly=True,
        help="Snapshots added or filled again (the recorded ones are kept as they are).",
    )
    date_done = fields.Datetime(string="Finished On", readonly=True)

    @api.depends("months", "as_of")
    def _compute_display_name(self):
        for run in self:
            run.display_name = self.env._(
                "%(months)s months of health history asked on %(day)s",
                months=run.months,
                day=run.as_of,
            )

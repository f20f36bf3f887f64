# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .crm_health_band import DIMENSIONS
from .crm_health_scorecard import RISK_LEVELS


class CrmHealthBacktestLine(models.Model):
    """One month-end and risk level of a backtest: the customers scored at that
    level and how many of them churned within the horizon (the graph per month)."""

    _name = "crm.health.backtest.line"
    _description = "Health Scorecard Backtest per Month"
    _inherit = ["crm.health.risk.mixin"]  # noqa: RUF012
    _order = "backtest_id, date, id"
    _rec_name = "date"
    # Written by the backtest's run only, replaced as a whole by the next run.
    _log_access = False

    backtest_id = fields.Many2one(
        "crm.health.backtest", required=True, index=True, ondelete="cascade", readonly=True
    )
    date = fields.Date(string="Month-End", required=True, readonly=True)
    risk_level = fields.Selection(
        RISK_LEVELS,
        required=True,
        readonly=True,
        help="Risk level of the customers at the month-end.",
    )
    customers = fields.Integer(readonly=True, help="Customers scored at this level.")
    churned = fields.Integer(readonly=True, help="Of them, those who churned within the horizon.")
    churn_rate = fields.Float(
        string="Churn Rate (%)",
        readonly=True,
        digits=(5, 1),
        aggregator="avg",
        help="Churned customers out of the customers of this level and month-end, in %.",
    )


class CrmHealthBacktestDimension(models.Model):
    """How well one dimension alone predicted churn in a backtest (AUC of its points),
    with its weight in the scorecard and, once proposed, in the proposed scorecard."""

    _name = "crm.health.backtest.dimension"
    _description = "Health Scorecard Backtest per Dimension"
    _order = "backtest_id, id"
    _rec_name = "dimension"
    _log_access = False

    backtest_id = fields.Many2one(
        "crm.health.backtest", required=True, index=True, ondelete="cascade", readonly=True
    )
    dimension = fields.Selection(DIMENSIONS, required=True, readonly=True)
    weight = fields.Integer(string="Weight (%)", readonly=True)
    customers = fields.Integer(
        string="Customers With Data",
        readonly=True,
        help="Customers scored who had data in this dimension (added over the month-ends).",
    )
    auc = fields.Float(
        string="AUC Alone",
        readonly=True,
        digits=(4, 3),
        help="Chance that a customer who churned had fewer points in this dimension than "
        "one who stayed (ties count half): 0.5 predicts nothing.",
    )
    proposed_weight = fields.Integer(string="Proposed Weight (%)", readonly=True)
    weight_change = fields.Integer(string="Change", readonly=True)

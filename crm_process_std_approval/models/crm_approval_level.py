# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_process_std_base.models.crm_cached_config_mixin import config_cache


def gated_amount(amount):
    """The amount a deal is checked with: its size, whatever its sign; an amount that is
    no number (NaN, infinite) reaches every level."""
    amount = float(amount or 0.0)
    return abs(amount) if math.isfinite(amount) else math.inf


class CrmApprovalLevel(models.Model):
    """One tier of deal approval: deals from this amount need this approver."""

    _name = "crm.approval.level"
    _inherit = "crm.cached.config.mixin"
    _description = "Deal Approval Level"
    _order = "sequence, min_amount, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10, help="Levels are approved one after the other, in this order."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    min_amount = fields.Monetary(
        string="From Expected Revenue",
        required=True,
        help="Deals whose expected revenue (in the company currency) reaches this amount "
        "need this approval.",
    )
    approver_user_id = fields.Many2one(
        "res.users",
        string="Approver",
        domain=[("share", "=", False)],
        help="This user approves. Leave empty to let any member of the approver group approve.",
    )
    approver_group_id = fields.Many2one(
        "res.groups",
        help="Any member of this group may approve (used when no approver user is set).",
    )
    team_ids = fields.Many2many(
        "crm.team",
        string="Sales Teams",
        help="Only deals of these sales teams need this approval. Empty: every team.",
    )

    _min_amount_positive = models.Constraint(
        "CHECK(min_amount >= 0)", "The amount of an approval level cannot be negative."
    )
    _approver_set = models.Constraint(
        "CHECK(approver_user_id IS NOT NULL OR approver_group_id IS NOT NULL)",
        "An approval level needs an approver user or an approver group.",
    )

    @api.depends("name", "min_amount", "currency_id")
    def _compute_display_name(self):
        for level in self:
            amount = level.currency_id.format(level.min_amount) if level.currency_id else ""
            level.display_name = f"{level.name} (>= {amount})" if amount else level.name

    @api.model
    @config_cache
    def _level_rows(self):
        """Active levels as plain values, cached: stage writes need them without a query."""
        # one query (it is refilled after every cache clear, e.g. in mass writes); reads
        # configuration only, filtered per lead by _levels_by_lead
        self.flush_model()
        team_ids = self._fields["team_ids"]
        rows = self.env.execute_query(
            SQL(
                """SELECT l.id, l.company_id, l.min_amount,
                          ARRAY_REMOVE(ARRAY_AGG(r.%(team)s), NULL)
                     FROM crm_approval_level l
                LEFT JOIN %(rel)s r ON r.%(level)s = l.id
                    WHERE l.active
                 GROUP BY l.id
                 ORDER BY l.sequence, l.min_amount, l.id""",
                team=SQL.identifier(team_ids.column2),
                rel=SQL.identifier(team_ids.relation),
                level=SQL.identifier(team_ids.column1),
            )
        )
        return tuple(
            (level_id, company_id or False, float(min_amount or 0.0), frozenset(teams))
            for level_id, company_id, min_amount, teams in rows
        )

    @api.model
    def _levels_by_lead(self, leads):
        """Required levels of each lead for its current amount: {lead id: levels}.

        The amount counts by its size (``gated_amount``: -1e12 needs every level 1e12
        needs). The levels are those of the lead's company, else of its sales team's
        company; a lead with neither may be moved into any company, so the levels of
        every company apply (the strictest set): the caller's active company never
        decides which levels a deal needs."""
        rows = self._level_rows()
        # sudo: levels are configuration; a lead without company needs those of
        # companies the caller may not be active in, whose names the messages show
        levels = self.sudo()
        result = {}
        for lead in leads:
            company_id = lead.company_id.id or lead.team_id.company_id.id
            amount, team_id = gated_amount(lead.expected_revenue), lead.team_id.id
            result[lead.id] = levels.browse(
                level_id
                for level_id, level_company_id, min_amount, team_ids in rows
                if (not company_id or level_company_id == company_id)
                and amount >= min_amount
                and (not team_ids or team_id in team_ids)
            )
        return result

    def _approver_users(self, lead):
        """Users asked to approve ``lead`` at this level (for activities)."""
        self.ensure_one()
        if self.approver_user_id:
            return self.approver_user_id
        # sudo: members of the approver group, to address activities (no data returned)
        group_users = self.approver_group_id.sudo().all_user_ids.filtered(
            lambda user: user.active and not user.share
        )
        leader = lead.team_id.user_id
        # The team leader approves for the team when they hold the role.
        if leader in group_users and leader != lead.user_id:
            return leader
        return group_users

    def _can_be_approved_by(self, user):
        self.ensure_one()
        if self.approver_user_id:
            return user == self.approver_user_id
        return self.approver_group_id in user.all_group_ids

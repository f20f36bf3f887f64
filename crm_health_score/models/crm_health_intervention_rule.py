# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .crm_health_band import DIMENSIONS
from .crm_health_scorecard import RISK_LEVELS

# Column of the health record holding each dimension's points.
POINT_COLUMNS = {
    "recency": "recency_points",
    "frequency": "frequency_points",
    "orders": "order_points",
    "complaints": "complaint_points",
    "needs": "needs_points",
}
# A due date further away would leave the calendar and fail the nightly recompute.
MAX_DUE_DAYS = 365
ASSIGNEES = [
    ("customer_success", "Customer Success Manager (else Salesperson)"),
    ("salesperson", "Salesperson"),
    ("user", "Specific User"),
]


class CrmHealthInterventionRule(models.Model):
    """What to do for a customer in a given health situation (seed template 4,
    'intervention suggestion'): a suggestion shown on the health record and,
    optionally, an activity scheduled when the customer starts matching."""

    _name = "crm.health.intervention.rule"
    _description = "Health Intervention Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, help="Also the summary of the activity.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to apply the rule in every company."
    )
    risk_level = fields.Selection(
        RISK_LEVELS, help="Apply to customers at this risk level (any level when empty)."
    )
    dimension = fields.Selection(
        DIMENSIONS, help="Apply when this dimension earns at most the given points."
    )
    max_points = fields.Integer(
        string="At Most (points)", default=50, help="Points of the dimension (0-100)."
    )
    suggestion = fields.Text(required=True, translate=True)
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Activity",
        help="Schedule this activity when a customer starts matching the rule.",
    )
    activity_due_days = fields.Integer(string="Due In (days)", default=3)
    assignee = fields.Selection(ASSIGNEES, required=True, default="customer_success")
    user_id = fields.Many2one("res.users", string="Assigned User", domain=[("share", "=", False)])

    @api.constrains(
        "risk_level", "dimension", "max_points", "activity_due_days", "assignee", "user_id"
    )
    def _check_rule(self):
        for rule in self:
            if not rule.risk_level and not rule.dimension:
                raise ValidationError(
                    self.env._(
                        "Intervention rule %s needs a condition: a risk level, a dimension, "
                        "or both.",
                        rule.name,
                    )
                )
            if rule.dimension and not 0 <= rule.max_points <= 100:
                raise ValidationError(
                    self.env._(
                        "Intervention rule %(rule)s: the points limit must be between 0 and "
                        "100, not %(points)s.",
                        rule=rule.name,
                        points=rule.max_points,
                    )
                )
            if rule.activity_due_days > MAX_DUE_DAYS:
                raise ValidationError(
                    self.env._(
                        "Intervention rule %(rule)s: the activity can be due at most "
                        "%(max)s days after the match, not %(days)s.",
                        rule=rule.name,
                        max=MAX_DUE_DAYS,
                        days=rule.activity_due_days,
                    )
                )
            if rule.activity_due_days < 0:
                raise ValidationError(
                    self.env._(
                        "Intervention rule %(rule)s: the activity cannot be due %(days)s "
                        "days in the past.",
                        rule=rule.name,
                        days=-rule.activity_due_days,
                    )
                )
            if rule.assignee == "user" and not rule.user_id:
                raise ValidationError(
                    self.env._("Intervention rule %s: choose the user to assign.", rule.name)
                )

    def _condition_sql(self):
        """SQL condition (on health record ``s``) of this rule."""
        self.ensure_one()
        # Customers with a risk (scored, or overridden): not those without enough data.
        conditions = [SQL("s.risk_level = ANY(%s)", [level for level, _label in RISK_LEVELS])]
        if self.company_id:
            conditions.append(SQL("s.company_id = %s", self.company_id.id))
        if self.risk_level:
            conditions.append(SQL("s.risk_level = %s", self.risk_level))
        if self.dimension:
            column = SQL.identifier(POINT_COLUMNS[self.dimension])
            conditions.append(SQL("%s IS NOT NULL AND %s <= %s", column, column, self.max_points))
        return SQL(" AND ").join(conditions)

    def _matches_sql(self, source):
        """SELECT ``(health_id, rule_id)`` for each of these rules matched by a row of
        ``source``: a FROM clause whose rows, aliased ``s``, have the columns of a
        health record the conditions read (id, company_id, risk_level, points). One
        pass over the rows: an array of the matching rule ids per row."""
        if not self:
            return SQL("SELECT NULL::int AS health_id, NULL::int AS rule_id WHERE FALSE")
        return SQL(
            """
            SELECT health_id, rule_id FROM (
                SELECT s.id AS health_id, unnest(ARRAY[%s]) AS rule_id FROM %s
            ) AS matched WHERE rule_id IS NOT NULL
            """,
            SQL(", ").join(
                SQL("CASE WHEN %s THEN %s END", rule._condition_sql(), rule.id) for rule in self
            ),
            source,
        )

    @api.model
    def _apply_rules(self):
        """Match the rules against the batch being recomputed (temporary table
        ``crm_health_batch``) and queue the activity of every rule a customer newly
        matches (``pending_rule_ids``): ``crm.health.activity.queue._grant``
        schedules one per customer and assignee within the daily cap. A few
        statements per batch.

        :return: ids of the records whose queue of rule activities changed
        """
        cr = self.env.cr
        # Engine step (system data): every company's rules, each limited to its company
        # by its SQL condition.
        rules = self.sudo().search([])
        matches = rules._matches_sql(
            SQL("crm_health_score s JOIN crm_health_batch b ON b.health_id = s.id")
        )
        # Engine step on the batch table (system data, after the recompute checks).
        cr.execute("DROP TABLE IF EXISTS crm_health_matches, crm_health_new_matches")
        cr.execute(SQL("CREATE TEMP TABLE crm_health_matches ON COMMIT DROP AS %s", matches))
        # Only the pairs that changed are written: most nights, next to none.
        cr.execute(
            """
            DELETE FROM crm_health_score_rule_rel r USING crm_health_batch b
             WHERE b.health_id = r.health_id
               AND NOT EXISTS (SELECT 1 FROM crm_health_matches m
                                WHERE m.health_id = r.health_id AND m.rule_id = r.rule_id)
            """
        )
        cr.execute(
            """
            CREATE TEMP TABLE crm_health_new_matches ON COMMIT DROP AS
            SELECT m.health_id, m.rule_id FROM crm_health_matches m
             WHERE NOT EXISTS (SELECT 1 FROM crm_health_score_rule_rel r
                                WHERE r.health_id = m.health_id AND r.rule_id = m.rule_id)
            """
        )
        cr.execute(
            "INSERT INTO crm_health_score_rule_rel (health_id, rule_id) "
            "SELECT health_id, rule_id FROM crm_health_new_matches"
        )
        # The activities of the new matches wait for a slot (the daily cap of new
        # activities per assignee, crm.health.activity.queue._grant); those of
        # rules no longer matched are not scheduled any more.
        cr.execute(
            """
            DELETE FROM crm_health_score_pending_rule_rel r USING crm_health_batch b
             WHERE b.health_id = r.health_id
               AND NOT EXISTS (SELECT 1 FROM crm_health_matches m
                                WHERE m.health_id = r.health_id AND m.rule_id = r.rule_id)
            RETURNING r.health_id
            """
        )
        touched = {row[0] for row in cr.fetchall()}
        cr.execute(
            """
            INSERT INTO crm_health_score_pending_rule_rel (health_id, rule_id)
            SELECT m.health_id, m.rule_id FROM crm_health_new_matches m
              JOIN crm_health_intervention_rule r ON r.id = m.rule_id
             WHERE r.activity_type_id IS NOT NULL
            ON CONFLICT DO NOTHING
            RETURNING health_id
            """
        )
        return touched | {row[0] for row in cr.fetchall()}

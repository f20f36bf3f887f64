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

    @api.model
    def _apply_rules(self, today):
        """Match the rules against the batch being recomputed (temporary table
        ``crm_health_batch``) and schedule one activity per customer newly matching
        a rule with an activity, unless the assignee already has an open activity
        on the customer due as soon. A few statements per batch, and one creation of
        the activities through their model.

        :return: the activities created
        """
        cr = self.env.cr
        # Engine step (system data): every company's rules, each limited to its company
        # by its SQL condition.
        rules = self.sudo().search([])
        # One pass over the batch: an array of the matching rule ids per record.
        matches = (
            SQL(
                """
            SELECT health_id, rule_id FROM (
                SELECT s.id AS health_id, unnest(ARRAY[%s]) AS rule_id
                  FROM crm_health_score s JOIN crm_health_batch b ON b.health_id = s.id
            ) AS matched WHERE rule_id IS NOT NULL
            """,
                SQL(", ").join(
                    SQL("CASE WHEN %s THEN %s END", rule._condition_sql(), rule.id)
                    for rule in rules
                ),
            )
            if rules
            else SQL("SELECT NULL::int AS health_id, NULL::int AS rule_id WHERE FALSE")
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
        # One activity per customer and assignee (the soonest due, then the first rule),
        # unless the assignee already has an open one on the customer due as soon.
        self.env.flush_all()
        cr.execute(
            SQL(
                """
            SELECT DISTINCT ON (w.partner_id, w.user_id)
                   w.partner_id, w.activity_type_id, w.user_id, w.summary, w.note,
                   w.date_deadline
              FROM (
                SELECT s.partner_id, r.activity_type_id, who.user_id, r.sequence,
                       COALESCE(r.name ->> up.lang, r.name ->> 'en_US') AS summary,
                       COALESCE(r.suggestion ->> up.lang, r.suggestion ->> 'en_US') AS note,
                       %(today)s::date + r.activity_due_days AS date_deadline
                  FROM crm_health_new_matches m
                  JOIN crm_health_score s ON s.id = m.health_id
                  JOIN crm_health_intervention_rule r ON r.id = m.rule_id
                 CROSS JOIN LATERAL (
                     SELECT CASE r.assignee
                                WHEN 'user' THEN r.user_id
                                WHEN 'salesperson' THEN s.user_id
                                ELSE COALESCE(s.customer_success_user_id, s.user_id)
                            END AS user_id
                 ) AS who
                  JOIN res_users u ON u.id = who.user_id
                  JOIN res_partner up ON up.id = u.partner_id
                 WHERE r.activity_type_id IS NOT NULL
              ) AS w
             WHERE NOT EXISTS (
                 SELECT 1 FROM mail_activity a
                  WHERE a.res_model = 'res.partner' AND a.res_id = w.partner_id
                    AND a.user_id = w.user_id AND a.active
                    AND a.date_deadline <= w.date_deadline)
             ORDER BY w.partner_id, w.user_id, w.date_deadline, w.sequence
            """,
                today=today,
            )
        )
        return self.env["crm.health.engine"]._schedule_partner_activities(cr.dictfetchall())

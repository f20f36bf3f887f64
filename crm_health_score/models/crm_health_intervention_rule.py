# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .crm_health_band import DIMENSIONS
from .crm_health_scorecard import RISK_LEVELS

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

    @api.constrains("risk_level", "dimension", "max_points", "activity_due_days", "assignee", "user_id")
    def _check_rule(self):
        for rule in self:
            if not rule.risk_level and not rule.dimension:
                raise ValidationError(
                    self.env._(
                        "Intervention rule %s needs a condition: a risk level, a dimension, or both.",
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

    @api.model
    def _compiled_rules(self):
        return [
            {
                "id": rule.id,
                "company_id": rule.company_id.id,
                "risk_level": rule.risk_level,
                "dimension": rule.dimension,
                "max_points": rule.max_points,
                "activity_type_id": rule.activity_type_id.id,
                "due_days": rule.activity_due_days,
                "assignee": rule.assignee,
                "user_id": rule.user_id.id,
            }
            for rule in self.sudo().search([])
        ]

    @api.model
    def _matches(self, rule, result):
        """Whether a compiled rule applies to a scored customer (engine result)."""
        if not result["final_risk"]:
            return False
        if rule["company_id"] and rule["company_id"] != result["row"]["company_id"]:
            return False
        if rule["risk_level"] and rule["risk_level"] != result["final_risk"]:
            return False
        if rule["dimension"]:
            points = result["points"].get(rule["dimension"])
            if points is None or points > rule["max_points"]:
                return False
        return True

    @api.model
    def _create_activities(self, results, previous_rule_ids):
        """One activity per customer newly matching a rule with an activity, unless
        the assignee already has an open activity on the customer due as soon."""
        rules = {rule["id"]: rule for rule in self._compiled_rules()}
        wanted = []
        for result in results:
            row = result["row"]
            new_ids = set(result["rule_ids"]) - previous_rule_ids.get(row["health_id"], set())
            for rule_id in sorted(new_ids):
                rule = rules[rule_id]
                user_id = self._assignee(rule, row)
                if rule["activity_type_id"] and user_id:
                    wanted.append((row["partner_id"], rule, user_id))
        if not wanted:
            return self.env["mail.activity"]
        # Open activities of the assignees on these customers (the churn warning's
        # included): a rule adds none when its assignee already has one due as soon.
        today = fields.Date.today()
        planned = {}
        for activity in (
            self.env["mail.activity"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", list({w[0] for w in wanted})),
                    ("user_id", "in", list({w[2] for w in wanted})),
                ],
                ["res_id", "user_id", "date_deadline"],
            )
        ):
            key = (activity.res_id, activity.user_id.id)
            planned[key] = min(planned.get(key, activity.date_deadline), activity.date_deadline)
        model_id = self.env["ir.model"]._get_id("res.partner")
        names = {rule.id: rule for rule in self.sudo().browse(list({w[1]["id"] for w in wanted}))}
        vals_list = []
        for partner_id, rule, user_id in wanted:
            deadline = today + timedelta(days=rule["due_days"])
            key = (partner_id, user_id)
            if key in planned and planned[key] <= deadline:
                continue
            planned[key] = deadline
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner_id,
                    "activity_type_id": rule["activity_type_id"],
                    "summary": names[rule["id"]].name,
                    "note": names[rule["id"]].suggestion,
                    "date_deadline": deadline,
                    "user_id": user_id,
                }
            )
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )

    @staticmethod
    def _assignee(rule, row):
        if rule["assignee"] == "user":
            return rule["user_id"]
        if rule["assignee"] == "salesperson":
            return row["user_id"]
        return row["customer_success_user_id"] or row["user_id"]

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A Process Administrator configures a cadence rule the way the web client does it."""

from odoo.tests import tagged

from odoo.addons.crm_process_std_base.tests.test_security_configuration import (
    ProcessAdminConfigCase,
)


@tagged("post_install", "-at_install")
class TestCadenceRuleConfiguration(ProcessAdminConfigCase):
    def test_cadence_rule(self):
        rule, _changed = self.configure(
            "crm_process_std_followup.action_crm_cadence_rule",
            lambda: {
                "name": "Proposals: every 5 days",
                "applies_to": "lead",
                "stage_ids": [[6, 0, [self.pick("crm.stage", "Proposition")]]],
                "interval_days": 5,
                "activity_type_id": self.pick("mail.activity.type", "Customer Follow-up"),
                "assignee": "user",
                "user_id": self.pick("res.users", self.admin.name),
                "escalation_days": 2,
                "escalation_target": "team_leader",
            },
            {"interval_days": 4},
        )
        self.assertEqual(rule.interval_days, 4)

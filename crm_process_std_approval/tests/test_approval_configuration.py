# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from odoo.addons.crm_process_std_base.tests.test_security_configuration import (
    ProcessAdminConfigCase,
)


@tagged("post_install", "-at_install")
class TestApprovalLevelConfiguration(ProcessAdminConfigCase):
    """A Process Administrator (no Access Rights role) configures approval levels the way the
    web client does it."""

    def test_approval_level(self):
        level, _changed = self.configure(
            "crm_process_std_approval.action_crm_approval_level",
            lambda: {
                "name": "Board",
                "min_amount": 2000000,
                "approver_group_id": self.pick("res.groups", "Director"),
                "team_ids": [[6, 0, [self.pick("crm.team", "Config Team")]]],
            },
            {"min_amount": 3000000},
        )
        self.assertEqual(
            level.approver_group_id, self.env.ref("crm_process_std_base.group_sales_director")
        )

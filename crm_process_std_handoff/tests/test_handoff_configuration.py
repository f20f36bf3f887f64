# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from odoo.addons.crm_process_std_base.tests.test_security_configuration import (
    ProcessAdminConfigCase,
)


@tagged("post_install", "-at_install")
class TestHandoffChecklistConfiguration(ProcessAdminConfigCase):
    """A Process Administrator (no Access Rights role) configures handoff checklists the way the
    web client does it."""

    def test_handoff_checklist_template(self):
        template, _changed = self.configure(
            "crm_process_std_handoff.action_crm_handoff_checklist_template",
            lambda: {
                "name": "Installation handoff",
                "team_ids": [[6, 0, [self.pick("crm.team", "Config Team")]]],
                "item_ids": [[0, 0, {"name": "Site survey attached", "required": True}]],
            },
            {"item_ids": [[0, 0, {"name": "Keys handed over", "required": False}]]},
        )
        self.assertEqual(len(template.item_ids), 2)

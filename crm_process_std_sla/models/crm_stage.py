# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools.i18n import format_list


class CrmStage(models.Model):
    _inherit = "crm.stage"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_timed_by_nodes(self):
        """A stage that process nodes time is process history."""
        # existence checks only: the caller deletes stages (sales manager), the message
        # names the nodes, which every salesperson may read
        nodes = (
            self.env["crm.sla.node"]
            .sudo()
            .with_context(active_test=False)
            .search([("stage_id", "in", self.ids)])
        )
        if nodes:
            raise UserError(
                self.env._(
                    "The stage %(stages)s has process history: the process nodes %(nodes)s "
                    "time it. Point them to another stage first, or keep the stage.",
                    stages=format_list(self.env, nodes.stage_id.mapped("name")),
                    nodes=format_list(self.env, nodes.mapped("name")),
                )
            )

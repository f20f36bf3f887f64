# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models


class CrmHandoffChecklistTemplate(models.Model):
    """The checklist a handoff must complete before the receiver accepts it."""

    _name = "crm.handoff.checklist.template"
    _description = "Handoff Checklist Template"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: every company.")
    team_ids = fields.Many2many(
        "crm.team",
        string="Receiving Teams",
        help="Used for handoffs to these teams. Empty: the default checklist.",
    )
    item_ids = fields.One2many(
        "crm.handoff.checklist.item", "template_id", string="Items", copy=True
    )

    @api.model
    def _default_for_team(self, team, company=None):
        """The first template of the receiving team, else the first one without team,
        among those of ``company`` (default: the current one) and the shared ones."""
        company = company or self.env.company
        templates = self.search([("company_id", "in", [company.id, False])], order="sequence, id")
        return (
            templates.filtered(lambda template: team and team in template.team_ids)[:1]
            or templates.filtered(lambda template: not template.team_ids)[:1]
        )

    def _line_commands(self, clear=False):
        """Commands creating the checklist lines of a handoff from this template."""
        commands = [Command.clear()] if clear else []
        return commands + self.item_ids._line_commands()

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .crm_handoff import MAX_DEADLINE_HOURS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_std_handoff_auto_create = fields.Boolean(
        related="company_id.crm_handoff_auto_create", readonly=False
    )
    crm_std_handoff_deadline_hours = fields.Integer(
        related="company_id.crm_handoff_deadline_hours", readonly=False
    )
    crm_std_handoff_team_id = fields.Many2one(
        related="company_id.crm_handoff_team_id", readonly=False
    )
    crm_std_handoff_stage_id = fields.Many2one(
        related="company_id.crm_handoff_stage_id", readonly=False
    )
    crm_std_handoff_marks_customer = fields.Boolean(
        related="company_id.crm_handoff_marks_customer", readonly=False
    )

    @api.model
    def _crm_std_integer_bounds(self):
        return {
            **super()._crm_std_integer_bounds(),
            "crm_std_handoff_deadline_hours": (1, MAX_DEADLINE_HOURS),
        }

    @api.constrains("crm_std_handoff_deadline_hours")
    def _check_crm_std_handoff_deadline_hours(self):
        for settings in self:
            if settings.crm_std_handoff_deadline_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "The handoff deadline must be a positive number of hours, not %s.",
                        settings.crm_std_handoff_deadline_hours,
                    )
                )
            if settings.crm_std_handoff_deadline_hours > MAX_DEADLINE_HOURS:
                raise ValidationError(
                    self.env._(
                        "The handoff deadline cannot exceed %(max)s hours (5 years), not "
                        "%(hours)s.",
                        max=MAX_DEADLINE_HOURS,
                        hours=settings.crm_std_handoff_deadline_hours,
                    )
                )

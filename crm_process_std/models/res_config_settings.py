# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_std_completeness_threshold = fields.Integer(
        string="Completeness Threshold (%)",
        config_parameter="crm_process_std.completeness_threshold",
        default=80,
        help="Records whose completeness rate is below this share get a "
        "'complete the customer record' activity for their owner.",
    )
    crm_std_requirement_mode = fields.Selection(
        [("block", "Block the stage change"), ("warn", "Warn and log a deviation")],
        string="Default Requirement Mode",
        config_parameter="crm_process_std.requirement_mode",
        default="block",
        help="Mode given to new stage requirements.",
    )

    @api.constrains("crm_std_completeness_threshold")
    def _check_crm_std_completeness_threshold(self):
        for settings in self:
            if not 0 <= settings.crm_std_completeness_threshold <= 100:
                raise ValidationError(
                    self.env._(
                        "The completeness threshold must be between 0 and 100 %%, not %s.",
                        settings.crm_std_completeness_threshold,
                    )
                )

    # -- Process KPIs and diagnosis -------------------------------------------------
    crm_std_kpi_churn_days = fields.Integer(
        string="Churn After (days)",
        config_parameter="crm_process_std.kpi_churn_days",
        default=30,
        help="Churn KPI: a customer is lost in the month in which it goes this many "
        "days without interaction while it has no open opportunity.",
    )
    crm_std_kpi_uncontacted_days = fields.Integer(
        string="Unattended Lead After (days)",
        config_parameter="crm_process_std.kpi_uncontacted_days",
        default=7,
        help="A lead left unassigned or uncontacted for longer counts as unattended.",
    )
    crm_std_kpi_neglect_days = fields.Integer(
        string="High-Value Customer Neglected After (days)",
        config_parameter="crm_process_std.kpi_neglect_days",
        default=30,
        help="A high-value customer without interaction for this long counts as neglected.",
    )
    crm_std_kpi_completeness_field_ids = fields.Many2many(
        "ir.model.fields",
        string="Completeness KPI Fields",
        compute="_compute_crm_std_kpi_completeness_field_ids",
        inverse="_inverse_crm_std_kpi_completeness_field_ids",
        domain="[('model', '=', 'crm.lead'), ('store', '=', True), "
        "('ttype', 'not in', ['one2many', 'many2many', 'binary', 'properties', 'json'])]",
        help="Lead fields whose filled share gives the completeness KPI when the "
        "completeness rate of the stage requirements is not available.",
    )

    def _compute_crm_std_kpi_completeness_field_ids(self):
        names = self.env["crm.kpi"]._kpi_completeness_fields()
        fields_ = self.env["ir.model.fields"].search(
            [("model", "=", "crm.lead"), ("name", "in", names)]
        )
        for settings in self:
            settings.crm_std_kpi_completeness_field_ids = fields_

    def _inverse_crm_std_kpi_completeness_field_ids(self):
        for settings in self:
            chosen = settings.crm_std_kpi_completeness_field_ids
            wrong = chosen.filtered(
                lambda field: (
                    field.model != "crm.lead"
                    or not self.env["crm.kpi"]._kpi_completeness_field_allowed(field.name)
                )
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "The completeness KPI can only count stored simple fields of "
                        "leads, not: %s",
                        ", ".join(wrong.mapped("field_description")),
                    )
                )
            self.env["ir.config_parameter"].sudo().set_param(
                "crm_process_std.kpi_completeness_fields", ",".join(chosen.mapped("name"))
            )

    def action_crm_std_open_diagnosis(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std.action_crm_process_diagnosis"
        )

    @api.constrains(
        "crm_std_kpi_churn_days", "crm_std_kpi_uncontacted_days", "crm_std_kpi_neglect_days"
    )
    def _check_crm_std_kpi_days(self):
        for settings in self:
            for field_name in (
                "crm_std_kpi_churn_days",
                "crm_std_kpi_uncontacted_days",
                "crm_std_kpi_neglect_days",
            ):
                if settings[field_name] < 1:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s must be at least one day, not %(value)s.",
                            setting=settings._fields[field_name].get_description(self.env)[
                                "string"
                            ],
                            value=settings[field_name],
                        )
                    )

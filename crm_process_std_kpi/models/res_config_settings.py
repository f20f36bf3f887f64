# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.i18n import format_list

from .crm_kpi import KPI_DAYS_MAX

KPI_DAY_SETTINGS = (
    "crm_std_kpi_churn_days",
    "crm_std_kpi_uncontacted_days",
    "crm_std_kpi_neglect_days",
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

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
                        format_list(self.env, wrong.mapped("field_description")),
                    )
                )
            # inverse of a settings field: the caller wrote the settings (administrator)
            self.env["ir.config_parameter"].sudo().set_param(
                "crm_process_std.kpi_completeness_fields", ",".join(chosen.mapped("name"))
            )

    def action_crm_std_open_diagnosis(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std_kpi.action_crm_process_diagnosis"
        )

    @api.constrains(*KPI_DAY_SETTINGS)
    def _check_crm_std_kpi_days(self):
        for settings in self:
            for field_name in KPI_DAY_SETTINGS:
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
                if settings[field_name] > KPI_DAYS_MAX:
                    settings._raise_kpi_days_too_high(field_name, settings[field_name])

    @api.model_create_multi
    def create(self, vals_list):
        # Checked before the values reach the database: an integer column refuses
        # 1e12 with a database error, not with a message (the lower bound is the
        # constraint's).
        for vals in vals_list:
            for name in KPI_DAY_SETTINGS:
                try:
                    too_high = float(vals.get(name) or 0) > KPI_DAYS_MAX
                except (TypeError, ValueError):
                    continue  # not a number: the ORM refuses it
                if too_high:
                    self._raise_kpi_days_too_high(name, vals[name])
        return super().create(vals_list)

    def _raise_kpi_days_too_high(self, field_name, value):
        raise ValidationError(
            self.env._(
                "%(setting)s cannot exceed %(max)s days (10 years), not %(value)s.",
                max=KPI_DAYS_MAX,
                setting=self._fields[field_name].get_description(self.env)["string"],
                value=value,
            )
        )

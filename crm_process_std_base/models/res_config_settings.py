# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.i18n import format_list

# Upper bounds of the settings: larger values overflow the date arithmetic of the
# scheduled actions and reports that read them (5 years of hours, 10 years of days).
MAX_SETTING_HOURS = 8760 * 5
MAX_SETTING_DAYS = 3650
# Integer settings and their bounds, checked before the values reach the database:
# an integer column refuses 1e12 with a database error, not with a message.
INTEGER_SETTING_BOUNDS = {
    "crm_std_completeness_threshold": (0, 100),
    "crm_std_handoff_deadline_hours": (1, MAX_SETTING_HOURS),
    "crm_std_kpi_churn_days": (1, MAX_SETTING_DAYS),
    "crm_std_kpi_uncontacted_days": (1, MAX_SETTING_DAYS),
    "crm_std_kpi_neglect_days": (1, MAX_SETTING_DAYS),
}


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

    @api.model_create_multi
    def create(self, vals_list):
        # Upper bounds only: lower ones are the constraints' (their own messages).
        for vals in vals_list:
            for name, (_low, high) in INTEGER_SETTING_BOUNDS.items():
                value = vals.get(name)
                if value is None or value is False:
                    continue
                try:
                    in_range = float(value) <= high
                except (TypeError, ValueError):
                    continue  # not a number: the ORM refuses it
                if not in_range and name == "crm_std_completeness_threshold":
                    raise ValidationError(
                        self.env._(
                            "The completeness threshold must be between 0 and 100 %%, not %s.",
                            value,
                        )
                    )
                if not in_range:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s cannot exceed %(high)s, not %(value)s.",
                            setting=self._fields[name].get_description(self.env)["string"],
                            high=high,
                            value=value,
                        )
                    )
        return super().create(vals_list)

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

    # --- Completeness reminders (stage requirements concern) ---
    # The switch is the scheduled action itself: off = the cron is deactivated.
    crm_std_completeness_reminder = fields.Boolean(
        string="Completeness Reminders",
        help="Give owners of incomplete leads and customers a 'complete the customer "
        "record' activity (scheduled action, daily).",
    )

    def _completeness_reminder_cron(self):
        return self.env.ref(
            "crm_process_std_base.ir_cron_crm_completeness_reminder", raise_if_not_found=False
        )

    @api.model
    def get_values(self):
        values = super().get_values()
        cron = self._completeness_reminder_cron()
        # settings are an administrator's (ACL of res.config.settings); cron state only
        values["crm_std_completeness_reminder"] = bool(cron and cron.sudo().active)
        return values

    def set_values(self):
        result = super().set_values()
        cron = self._completeness_reminder_cron()
        # the caller created these settings (administrator ACL): it may switch the cron
        if cron and cron.sudo().active != self.crm_std_completeness_reminder:
            cron.sudo().active = self.crm_std_completeness_reminder
        return result

    # --- Handoff and tiered approval ---
    crm_std_handoff_auto_create = fields.Boolean(
        string="Create Handoff When Won",
        config_parameter="crm_process_std.handoff_auto_create",
        help="A draft handoff to after-sales is created when an opportunity is won.",
    )
    crm_std_handoff_deadline_hours = fields.Integer(
        string="Handoff Deadline (hours)",
        config_parameter="crm_process_std.handoff_deadline_hours",
        default=24,
        help="The receiver should accept the handoff within this time after the win.",
    )
    crm_std_handoff_team_id = fields.Many2one(
        "crm.team",
        string="Receiving Team",
        config_parameter="crm_process_std.handoff_team_id",
        help="Team receiving new handoffs (after-sales or customer success).",
    )
    crm_std_handoff_stage_id = fields.Many2one(
        "crm.stage",
        string="Stage After Acceptance",
        config_parameter="crm_process_std.handoff_stage_id",
        help="Leads cannot enter this stage (e.g. Onboarding) before their handoff is "
        "accepted. Empty: no stage waits for the handoff.",
    )
    crm_std_handoff_marks_customer = fields.Boolean(
        string="Mark Customer on Acceptance",
        config_parameter="crm_process_std.handoff_marks_customer",
        help="The customer's type becomes 'customer' when after-sales accepts the handoff, "
        "not before.",
    )
    crm_std_approval_stage_id = fields.Many2one(
        "crm.stage",
        string="Stage Needing Approval",
        config_parameter="crm_process_std.approval_stage_id",
        help="Deals whose amount reaches an approval level cannot enter this stage, or a "
        "later one, before every level approved. Empty: no approval needed.",
    )

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
            if settings.crm_std_handoff_deadline_hours > MAX_SETTING_HOURS:
                raise ValidationError(
                    self.env._(
                        "The handoff deadline cannot exceed %(max)s hours (5 years), not "
                        "%(hours)s.",
                        max=MAX_SETTING_HOURS,
                        hours=settings.crm_std_handoff_deadline_hours,
                    )
                )

    # --- Customer tiers and complaint deadlines (issue 4) ----------------------
    crm_std_complaint_hours_urgent = fields.Float(
        string="Urgent Complaint Answered Within (hours)",
        config_parameter="crm_process_std.complaint_hours_urgent",
        default=2.0,
    )
    crm_std_complaint_hours_normal = fields.Float(
        string="Normal Complaint Answered Within (hours)",
        config_parameter="crm_process_std.complaint_hours_normal",
        default=24.0,
    )

    @api.constrains(
        "crm_std_complaint_hours_urgent",
        "crm_std_complaint_hours_normal",
    )
    def _check_crm_std_tiers_and_deadlines(self):
        for settings in self:
            if (
                settings.crm_std_complaint_hours_urgent <= 0
                or settings.crm_std_complaint_hours_normal <= 0
            ):
                raise ValidationError(
                    self.env._(
                        "The response times of complaints must be positive numbers of hours."
                    )
                )
            if not (
                settings.crm_std_complaint_hours_urgent <= MAX_SETTING_HOURS
                and settings.crm_std_complaint_hours_normal <= MAX_SETTING_HOURS
            ):
                raise ValidationError(
                    self.env._(
                        "The response times of complaints cannot exceed %(max)s hours (5 years).",
                        max=MAX_SETTING_HOURS,
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
                        format_list(self.env, wrong.mapped("field_description")),
                    )
                )
            # inverse of a settings field: the caller wrote the settings (administrator)
            self.env["ir.config_parameter"].sudo().set_param(
                "crm_process_std.kpi_completeness_fields", ",".join(chosen.mapped("name"))
            )

    def action_crm_std_open_diagnosis(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std_base.action_crm_process_diagnosis"
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
                if settings[field_name] > MAX_SETTING_DAYS:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s cannot exceed %(max)s days (10 years), not %(value)s.",
                            max=MAX_SETTING_DAYS,
                            setting=settings._fields[field_name].get_description(self.env)[
                                "string"
                            ],
                            value=settings[field_name],
                        )
                    )

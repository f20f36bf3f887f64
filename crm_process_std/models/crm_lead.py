# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models

from .crm_followup import FOLLOWUP_CHANNELS
from .crm_handoff import HANDOFF_STATES
from .crm_stage_requirement import STAGE_LEFT_SINCE
from .customer_information import COMPLETENESS_BANDS, NEED_PRIORITIES


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # --- Standard customer information, stage requirements, completeness ---
    # Fields an admin may weigh in the completeness rate (extend in other modules).
    _completeness_candidate_fields = (
        "partner_id",
        "partner_name",
        "contact_name",
        "function",
        "phone",
        "email_from",
        "website",
        "street",
        "city",
        "country_id",
        "industry_id",
        "core_need",
        "need_priority",
        "budget_range",
        "expected_delivery_date",
        "decision_maker_id",
        "next_action",
        "next_action_date",
        "source_id",
        "medium_id",
        "campaign_id",
        "user_id",
        "team_id",
        "expected_revenue",
        "date_deadline",
    )

    industry_id = fields.Many2one(
        "res.partner.industry",
        compute="_compute_industry_id",
        store=True,
        readonly=False,
        help="Industry of the customer; given to the customer created from this lead.",
    )
    core_need = fields.Char(help="What the customer mainly needs, e.g. lower production costs.")
    need_priority = fields.Selection(NEED_PRIORITIES, help="How urgent the need is.")
    budget_range = fields.Char(help="e.g. 500k-1M")
    expected_delivery_date = fields.Date()
    decision_maker_id = fields.Many2one(
        "res.partner",
        string="Key Decision Maker",
        index="btree_not_null",
        help="The contact who takes the buying decision.",
    )
    next_action = fields.Char(help="The next step planned with the customer.")
    next_action_date = fields.Date()
    completeness_rate = fields.Float(
        compute="_compute_completeness_rate",
        store=True,
        aggregator="avg",
        digits=(5, 1),
        help="Weighted share (%) of the standard customer fields that are filled.",
    )
    completeness_band = fields.Selection(
        COMPLETENESS_BANDS, compute="_compute_completeness_rate", store=True
    )
    completeness_incomplete = fields.Boolean(
        string="Below Completeness Threshold",
        compute="_compute_completeness_incomplete",
        search="_search_completeness_incomplete",
    )
    stage_guidance = fields.Html(related="stage_id.guidance", string="Stage Guidance")
    next_stage_id = fields.Many2one("crm.stage", compute="_compute_next_stage_info")
    next_stage_name = fields.Char(compute="_compute_next_stage_info")
    next_stage_missing = fields.Char(
        compute="_compute_next_stage_info",
        string="Missing for the Next Stage",
        help="Required by the next stage: moving there is blocked until filled.",
    )
    next_stage_warning = fields.Char(
        compute="_compute_next_stage_info",
        string="Recommended for the Next Stage",
        help="Expected by the next stage: moving without them is logged as a deviation.",
    )
    stage_deviation_ids = fields.One2many(
        "crm.stage.deviation", "lead_id", string="Process Deviations"
    )
    stage_deviation_count = fields.Integer(compute="_compute_stage_deviation_count")

    @api.depends("partner_id")
    def _compute_industry_id(self):
        for lead in self:
            industry = lead.partner_id.commercial_partner_id.industry_id
            if industry:
                lead.industry_id = industry

    @api.depends(lambda self: self._completeness_candidate_fields)
    def _compute_completeness_rate(self):
        self.env["crm.completeness.field"]._compute_rates(self)

    @api.depends("completeness_rate")
    def _compute_completeness_incomplete(self):
        self.env["crm.completeness.field"]._compute_incomplete(self)

    def _search_completeness_incomplete(self, operator, value):
        return self.env["crm.completeness.field"]._search_incomplete(operator, value)

    @api.depends(
        lambda self: (
            "stage_id",
            "team_id",
            "company_id",
            "won_status",
            "partner_id",
            "date_last_stage_update",
            *self._completeness_candidate_fields,
        )
    )
    def _compute_next_stage_info(self):
        self.env["crm.stage.requirement"]._compute_next_stage_info(self)

    @api.depends("stage_deviation_ids")
    def _compute_stage_deviation_count(self):
        counts = dict(
            self.env["crm.stage.deviation"]._read_group(
                [("lead_id", "in", self._origin.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.stage_deviation_count = counts.get(lead._origin, 0)

    # Stage gates: the one write/create override of crm.lead for stage changes.
    @api.model_create_multi
    def create(self, vals_list):
        if not any(vals.get("stage_id") for vals in vals_list):
            leads = super().create(vals_list)
            self.env["crm.sla.timer"].sudo()._on_leads_created(leads)
            return leads
        # A refused stage rolls the creation back, cache included: nothing half-saved.
        with self.env.cr.savepoint():
            leads = super().create(vals_list)
            by_stage = defaultdict(list)
            for lead, vals in zip(leads, vals_list, strict=True):
                if vals.get("stage_id"):
                    by_stage[vals["stage_id"]].append(lead.id)
            for stage_id, lead_ids in by_stage.items():
                stage = self.env["crm.stage"].browse(stage_id)
                entered = self.browse(lead_ids).with_context(**{STAGE_LEFT_SINCE: {}})
                entered._check_stage_gates(stage)
                entered._log_stage_deviations(stage)
        self.env["crm.sla.timer"].sudo()._on_leads_created(leads)
        return leads

    def write(self, vals):
        sla_snapshot = self.env["crm.sla.timer"]._lead_snapshot(self, vals)
        stage = self.env["crm.stage"].browse(vals.get("stage_id"))
        moving = self.filtered(lambda lead: lead.stage_id != stage) if stage else self.browse()
        if not moving:
            result = super().write(vals)
        else:
            # The gates check the values as written (a form may fill a field and
            # move the stage in one save); remember when each lead entered the
            # stage it leaves, for "follow-up logged in this stage". A refused
            # move rolls the whole write back, cache included: nothing half-saved.
            left_since = {lead.id: lead.date_last_stage_update for lead in moving}
            with self.env.cr.savepoint():
                result = super().write(vals)
                moving = moving.with_context(**{STAGE_LEFT_SINCE: left_since})
                moving._check_stage_gates(stage)
            moving._log_stage_deviations(stage)
            if stage.is_won and not self.env["crm.handoff"]._marks_customer_on_acceptance():
                # A won deal makes its company a customer (seed: customer type),
                # unless the handoff decides it when after-sales accepts.
                moving.partner_id.commercial_partner_id.filtered(
                    lambda partner: partner.customer_type != "customer"
                ).sudo().customer_type = "customer"
        if sla_snapshot:
            self.env["crm.sla.timer"].sudo()._on_leads_written(self, sla_snapshot)
        self._after_write_concerns(vals)
        return result

    def unlink(self):
        self.env["crm.sla.timer"]._forget_lead_events(self.ids)
        return super().unlink()

    def _check_stage_gates(self, stage):
        """Raise when a gate forbids moving these leads into ``stage``; concerns extend this."""
        self.env["crm.stage.requirement"]._check_leads(self, stage)
        self.env["crm.lead.approval"]._check_leads(self, stage)
        self.env["crm.handoff"]._check_leads(self, stage)

    def _after_write_concerns(self, vals):
        """React to written values for every entry point; concerns extend this."""
        # tiered approval: an amount crossing a higher threshold resets the approvals
        if "expected_revenue" in vals:
            self.env["crm.lead.approval"]._reset_outdated(self)

    def _log_stage_deviations(self, stage):
        """After a move into ``stage``: record deviations (warn rules, exceptions)."""
        self.env["crm.stage.requirement"]._log_deviations(self, stage)

    def action_open_stage_exception_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Grant a Stage Exception"),
            "res_model": "crm.stage.exception.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id, "default_stage_id": self.next_stage_id.id},
        }

    def action_view_stage_deviations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std.action_crm_stage_deviation"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {}
        return action

    def _prepare_customer_values(self, partner_name, is_company=False, parent_id=False):
        values = super()._prepare_customer_values(partner_name, is_company, parent_id)
        if is_company or not parent_id:
            values.update(
                {
                    "industry_id": self.industry_id.id,
                    "customer_type": "potential",
                    "core_need": self.core_need,
                    "need_priority": self.need_priority,
                    "budget_range": self.budget_range,
                    "expected_delivery_date": self.expected_delivery_date,
                }
            )
        return values

    # Phones and emails typed by users are validated (see crm.contact.validation).
    def web_save(self, vals, specification, next_id=None):
        self.env["crm.contact.validation"]._check_entries(self, [vals])
        return super().web_save(vals, specification, next_id=next_id)

    def web_save_multi(self, vals_list, specification):
        self.env["crm.contact.validation"]._check_entries(self, vals_list)
        return super().web_save_multi(vals_list, specification)

    @api.model
    def _load_records_create(self, vals_list):
        self.env["crm.contact.validation"]._check_imported(self, vals_list)
        return super()._load_records_create(vals_list)

    def _load_records_write(self, values):
        self.env["crm.contact.validation"]._check_imported(self, [values])
        return super()._load_records_write(values)

    @api.model
    def get_import_templates(self):
        return [
            *super().get_import_templates(),
            {
                "label": self.env._("Lead Information Standard (template 1)"),
                "template": "/crm_process_std/static/xls/lead_information_standard.csv",
            },
        ]

    # --- Handoff to after-sales ---
    handoff_ids = fields.One2many("crm.handoff", "lead_id", string="Handoffs")
    handoff_state = fields.Selection(
        HANDOFF_STATES,
        string="Handoff Status",
        compute="_compute_handoff_state",
        help="Status of the latest handoff of this deal to after-sales.",
    )
    handoff_count = fields.Integer(compute="_compute_handoff_state")

    @api.depends("handoff_ids.state")
    def _compute_handoff_state(self):
        for lead in self:
            lead.handoff_state = lead.handoff_ids[:1].state
            lead.handoff_count = len(lead.handoff_ids)

    def _handle_won_lost(self, old_status_by_lead, new_status_by_lead):
        res = super()._handle_won_lost(old_status_by_lead, new_status_by_lead)
        # Only leads won by a write (old status known): imported won deals get no handoff.
        newly_won = self.filtered(
            lambda lead: (
                lead.id in old_status_by_lead
                and not old_status_by_lead[lead.id]["is_won"]
                and new_status_by_lead.get(lead.id, {}).get("is_won")
            )
        )
        self.env["crm.handoff"]._create_for_won_leads(newly_won)
        won = self.filtered(
            lambda lead: (
                new_status_by_lead.get(lead.id, {}).get("is_won")
                and not old_status_by_lead.get(lead.id, {}).get("is_won")
            )
        )
        if won:
            self.env["crm.sla.timer"].sudo()._queue_lead_event("won", won)
        return res

    def action_open_handoffs(self):
        self.ensure_one()
        return self.env["crm.handoff"]._action_open_for_lead(self)

    # --- Tiered approval by amount ---
    approval_ids = fields.One2many("crm.lead.approval", "lead_id", string="Approvals")
    approval_state = fields.Selection(
        [
            ("not_required", "Not Required"),
            ("to_request", "To Request"),
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        compute="_compute_approval_state",
        help="Approval of the deal by amount, needed before the gated stage.",
    )
    approval_missing_levels = fields.Char(
        compute="_compute_approval_state",
        string="Approvals Missing",
        help="Approval levels this deal still needs for its current amount.",
    )

    @api.depends("expected_revenue", "team_id", "company_id", "approval_ids.state")
    def _compute_approval_state(self):
        status = self.env["crm.lead.approval"]._approval_status(self)
        for lead in self:
            lead.approval_state, missing = status[lead.id]
            lead.approval_missing_levels = ", ".join(missing.mapped("name"))

    def action_request_approval(self):
        return self.env["crm.lead.approval"]._request(self)

    # --- Process KPIs: first contact, stored for the KPI report ---
    first_contact_date = fields.Datetime(
        string="First Contact",
        readonly=True,
        copy=False,
        help="First follow-up, done activity, message or e-mail of a staff member on this "
        "lead after its creation (automatic).",
    )

    def _fetch_query(self, query, fields):
        if any(field.name == "first_contact_date" for field in fields):
            self.env["crm.kpi"]._kpi_apply_first_contact()
        return super()._fetch_query(query, fields)

    def init(self):
        result = super().init()
        # fill it on install and upgrade (leads contacted before it existed)
        self.env["crm.kpi"]._kpi_store_first_contact()
        return result

    # --- Follow-ups, last contact and SLA timers ---
    # Fields only; crm.followup and crm.sla.timer hold the logic.
    crm_followup_ids = fields.One2many("crm.followup", "lead_id", string="Follow-ups")
    crm_followup_count = fields.Integer(
        string="Follow-up Count", compute="_compute_crm_followup_count"
    )
    last_contact_date = fields.Datetime(
        compute="_compute_last_contact",
        store=True,
        index=True,
        help="Date of the latest follow-up logged on this lead (automatic).",
    )
    last_contact_channel = fields.Selection(
        FOLLOWUP_CHANNELS, compute="_compute_last_contact", store=True
    )
    last_contact_summary = fields.Text(compute="_compute_last_contact", store=True)
    crm_sla_timer_ids = fields.One2many("crm.sla.timer", "lead_id", string="SLA Timers")
    sla_breach_count = fields.Integer(
        string="SLA Breaches", compute="_compute_sla_flags", store=True, compute_sudo=True
    )
    sla_overdue = fields.Boolean(
        string="SLA Overdue",
        compute="_compute_sla_flags",
        store=True,
        compute_sudo=True,
        help="A process time limit of this lead has passed and its node is not done yet.",
    )

    @api.depends("crm_followup_ids")
    def _compute_crm_followup_count(self):
        counts = dict(
            self.env["crm.followup"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.crm_followup_count = counts.get(lead._origin, 0)

    @api.depends("crm_followup_ids.date", "crm_followup_ids.channel", "crm_followup_ids.summary")
    def _compute_last_contact(self):
        self.env["crm.followup"]._set_last_contact(self, "lead_id")

    @api.depends("crm_sla_timer_ids.state", "crm_sla_timer_ids.date_stop")
    def _compute_sla_flags(self):
        self.env["crm.sla.timer"]._set_record_flags(self, "lead_id")

    def action_crm_log_followup(self):
        """Open a new follow-up of this lead."""
        self.ensure_one()
        partner = self.partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Follow-up"),
            "res_model": "crm.followup",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_lead_id": self.id,
                "default_partner_id": partner.commercial_partner_id.id,
                "default_contact_id": partner.id if partner.parent_id else False,
                "default_company_id": self.company_id.id or self.env.company.id,
            },
        }

    def action_crm_view_followups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std.action_crm_followup"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {
            "default_lead_id": self.id,
            "default_partner_id": self.partner_id.commercial_partner_id.id,
        }
        return action

    def action_crm_view_sla_timers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std.action_crm_sla_timer"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"search_default_group_state": False}
        return action

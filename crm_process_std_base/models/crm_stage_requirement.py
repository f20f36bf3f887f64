# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import split_every
from odoo.tools.i18n import format_list
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval

from .crm_cached_config_mixin import config_cache

REQUIREMENT_KINDS = [
    ("field", "Fields filled"),
    ("attachment", "Attachment present"),
]
REQUIREMENT_MODES = [("block", "Block the stage change"), ("warn", "Warn and log a deviation")]
# Context key: {lead id: when it entered the stage it is leaving}, set by crm.lead.write.
STAGE_LEFT_SINCE = "crm_stage_left_since"


def _is_filled(value):
    """A field counts as filled when it holds a value: text, a record, a non-zero
    number, a date, a ticked box."""
    return bool(value)


def _may_concern(rule, team_id, company_id):
    """Whether a requirement cached by ``_rule_ids_for`` (id, teams, teams of its
    stage, company) may apply to a lead of ``team_id`` and ``company_id`` (empty
    when unknown: then it may), as ``CrmStageRequirement._scope`` decides it."""
    _rule_id, teams, stage_teams, company = rule
    if not isinstance(team_id, int) or not isinstance(company_id, int):
        return True
    return (
        (not teams or team_id in teams)
        and (not stage_teams or team_id in stage_teams)
        and (not company or not company_id or company_id == company)
    )


class CrmStageRequirement(models.Model):
    """What a lead must have before it may enter a stage (seed template 1).

    Requirements are cumulative: entering a stage needs the requirements of that
    stage and of every earlier stage (pipeline order) that applies to the lead.
    """

    _name = "crm.stage.requirement"
    _inherit = "crm.cached.config.mixin"
    _description = "Stage Requirement"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    stage_id = fields.Many2one(
        "crm.stage",
        required=True,
        index=True,
        ondelete="cascade",
        help="Entering this stage, or any later one, needs this requirement.",
    )
    kind = fields.Selection(
        REQUIREMENT_KINDS, string="Requirement Type", required=True, default="field"
    )
    lead_field_ids = fields.Many2many(
        "ir.model.fields",
        "crm_stage_requirement_lead_field_rel",
        "requirement_id",
        "field_id",
        string="Lead Fields",
        domain=[("model", "=", "crm.lead")],
        help="Fields of the lead that must be filled.",
    )
    partner_field_ids = fields.Many2many(
        "ir.model.fields",
        "crm_stage_requirement_partner_field_rel",
        "requirement_id",
        "field_id",
        string="Customer Fields",
        domain=[("model", "=", "res.partner")],
        help="Fields of the lead's customer (its company when the customer is a "
        "contact person) that must be filled.",
    )
    team_ids = fields.Many2many(
        "crm.team", string="Sales Teams", help="Leave empty to apply to every sales team."
    )
    domain = fields.Char(
        string="Applies When",
        default="[]",
        help="Only leads matching this condition, e.g. expected revenue above 100 000.",
    )
    mode = fields.Selection(
        REQUIREMENT_MODES, required=True, default=lambda self: self._default_mode()
    )
    message = fields.Text(
        string="Help Message",
        translate=True,
        help="Why this is needed; shown with the missing items.",
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to apply to every company."
    )
    impact_scope_count = fields.Integer(
        string="Open Leads In or Past the Stage", compute="_compute_impact"
    )
    impact_current_count = fields.Integer(
        string="Open Leads Affected",
        compute="_compute_impact",
        help="Open leads in or past the stage that miss this requirement: blocked "
        "(or flagged in warn mode) on their next move.",
    )
    impact_upcoming_count = fields.Integer(
        string="Earlier Leads Missing It",
        compute="_compute_impact",
        help="Open leads in earlier stages that will be stopped (or flagged) when "
        "they reach this stage unless completed.",
    )

    @api.model
    def _default_mode(self):
        # reads configuration only
        mode = self.env["ir.config_parameter"].sudo().get_param("crm_process_std.requirement_mode")
        return mode if mode in dict(REQUIREMENT_MODES) else "block"

    @api.constrains("kind", "lead_field_ids", "partner_field_ids")
    def _check_fields(self):
        for requirement in self:
            if requirement.kind == "field" and not (
                requirement.lead_field_ids or requirement.partner_field_ids
            ):
                raise ValidationError(
                    self.env._(
                        'Requirement "%s" needs at least one lead or customer field.',
                        requirement.name,
                    )
                )
            # sudo: field definitions (a process administrator reads those of leads and
            # customers only; another model's field must be refused, not hidden)
            wrong = requirement.lead_field_ids.sudo().filtered(
                lambda field: field.model != "crm.lead"
            ) | requirement.partner_field_ids.sudo().filtered(
                lambda field: field.model != "res.partner"
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        'Requirement "%(name)s": %(fields)s do not belong to the lead or '
                        "to the customer.",
                        name=requirement.name,
                        fields=format_list(self.env, wrong.mapped("field_description")),
                    )
                )

    @api.constrains("domain")
    def _check_domain(self):
        for requirement in self:
            try:
                # validates the administrator's condition only: no lead data returned
                with self.env.cr.savepoint():
                    self.env["crm.lead"].sudo().search_count(requirement._get_domain(), limit=1)
            except Exception as error:  # any failure means a bad condition
                raise ValidationError(
                    self.env._(
                        'The condition of requirement "%(name)s" is not valid: %(error)s',
                        name=requirement.name,
                        error=error,
                    )
                ) from error

    def _get_domain(self):
        self.ensure_one()
        return safe_eval(
            self.domain or "[]",
            {
                "uid": self.env.uid,
                "user": self.env.user,
                "context_today": lambda: fields.Date.context_today(self),
                "datetime": safe_datetime,
                "relativedelta": relativedelta,
            },
        )

    # ------------------------------------------------------------------
    # Evaluation (set-based: a batch write of many leads costs a few queries)
    # ------------------------------------------------------------------
    @api.model
    @config_cache
    def _active_modes(self):
        """Modes of the active requirements (cached: most stage changes meet none,
        and then cost no query)."""
        # reads configuration only (every company's rules; cached modes, no record data)
        groups = self.sudo()._read_group([], ["mode"])
        return frozenset(mode for [mode] in groups)

    @api.model
    def _stage_positions(self):
        """{stage id: position in the pipeline order}."""
        stages = self.env["crm.stage"].sudo().search([])  # pipeline order: configuration
        return {stage.id: index for index, stage in enumerate(stages)}

    @api.model
    def _rules_for(self, stage, mode=None, leads=None):
        """Active requirements to enter ``stage``: its own and the earlier stages'.
        With ``leads``, only those whose teams and company may concern one of the
        leads (each rule's ``_scope`` then applies all its conditions): a move of a
        team no requirement concerns reads no requirement."""
        modes = self._active_modes()
        if not modes or (mode and mode not in modes) or not isinstance(stage.id, int):
            return self.browse()
        rules = self._rule_ids_for(stage.id, mode or "")
        if leads is not None and rules:
            # (team, company) of the leads; an unsaved value (form preview) may be any
            keys = {(lead.team_id._origin.id, lead.company_id._origin.id) for lead in leads}
            rules = [rule for rule in rules if any(_may_concern(rule, *key) for key in keys)]
        # configuration: each rule's _scope() then keeps the leads it applies to
        return self.sudo().browse(rule[0] for rule in rules)

    @api.model
    @config_cache
    def _rule_ids_for(self, stage_id, mode):
        """(id, team ids, team ids of its stage, company id) of the active
        requirements (of ``mode``; every mode when empty) to enter the stage
        ``stage_id``, in their order (cached: every move into a gated stage asks,
        twice; the cache is cleared when requirements or stages change)."""
        # configuration of every company (system data; only ids leave this method)
        positions = self._stage_positions()
        target = positions.get(stage_id, -1)
        rules = self.sudo().search([("mode", "=", mode)] if mode else [])
        return tuple(
            (
                rule.id,
                frozenset(rule.team_ids.ids),
                frozenset(rule.stage_id.team_ids.ids),
                rule.company_id.id,
            )
            for rule in rules
            if positions.get(rule.stage_id.id, target + 1) <= target
        )

    def _scope(self, leads):
        """The leads of ``leads`` this requirement applies to."""
        self.ensure_one()
        # _origin: the preview evaluates unsaved (new) requirements too.
        teams = self.team_ids._origin
        stage_teams = self.stage_id._origin.team_ids
        company = self.company_id._origin
        leads = leads.filtered(
            lambda lead: (
                (not teams or lead.team_id in teams)
                and (not stage_teams or lead.team_id in stage_teams)
                and (not company or not lead.company_id or lead.company_id == company)
            )
        )
        domain = self._get_domain()
        return leads.filtered_domain(domain) if domain and leads else leads

    def _field_labels(self):
        """[(model name, field name, label in the user's language)] to check."""
        self.ensure_one()
        specs = []
        for model_name, field_records in (
            ("crm.lead", self.lead_field_ids._origin),
            ("res.partner", self.partner_field_ids._origin),
        ):
            model = self.env[model_name]
            names = [name for name in field_records.mapped("name") if name in model._fields]
            for name in names:
                # the label in the user's language (fields_get would build the whole
                # description of each field, on every form read and every gated move)
                label = model._fields[name]._description_string(self.env)
                if model_name == "res.partner":
                    label = self.env._("%s (customer)", label)
                specs.append((model_name, name, label))
        return specs

    def _missing(self, leads, since):
        """{lead id: [missing labels]} of the ``leads`` that miss this requirement.

        ``since`` maps lead ids to when they entered the stage they are leaving.
        Addons adding a kind of requirement extend this for their kind.
        """
        self.ensure_one()
        missing = {}
        if self.kind == "field":
            specs = self._field_labels()
            for lead in leads:
                customer = lead.partner_id.commercial_partner_id
                items = [
                    label
                    for model_name, name, label in specs
                    if not _is_filled(
                        lead[name] if model_name == "crm.lead" else customer and customer[name]
                    )
                ]
                if items:
                    missing[lead.id] = items
            return missing
        origin = {lead.id: lead._origin.id for lead in leads}
        if self.kind == "attachment":
            # sudo: existence of an attachment per lead only (a gate outcome), for
            # leads the caller moves (write checked) or reads (form preview)
            with_attachment = {
                res_id
                for [res_id] in self.env["ir.attachment"]
                .sudo()
                ._read_group(
                    [
                        ("res_model", "=", "crm.lead"),
                        ("res_id", "in", [i for i in origin.values() if i]),
                    ],
                    ["res_id"],
                )
            }
            label = self.env._("An attachment")
            for lead in leads:
                if origin[lead.id] not in with_attachment:
                    missing[lead.id] = [label]
        return missing

    @api.model
    def _evaluate(self, leads, stage, since, mode=None):
        """Unmet requirements of ``leads`` entering ``stage``:
        {lead id: [(requirement, [missing labels])]}."""
        unmet = defaultdict(list)
        for rule in self._rules_for(stage, mode, leads):
            scope = rule._scope(leads)
            if scope:
                for lead_id, items in rule._missing(scope, since).items():
                    unmet[lead_id].append((rule, items))
        return unmet

    @api.model
    def _since(self, leads):
        """When each lead entered the stage it leaves (set by the write override;
        before a move, the current stage's entry date)."""
        if STAGE_LEFT_SINCE in self.env.context:
            return self.env.context[STAGE_LEFT_SINCE]
        return {lead.id: lead.date_last_stage_update for lead in leads}

    @api.model
    def _check_leads(self, leads, stage):
        """Raise one UserError naming each lead that misses a blocking requirement
        of ``stage`` (unless a sales manager granted it an exception)."""
        # the leads the caller is moving: its write (or create) access was checked by the
        # ORM; the gate reads every field it needs, whatever field access the caller has
        leads = leads.sudo()
        unmet = self._evaluate(leads, stage, self._since(leads), mode="block")
        if not unmet:
            return
        excused = self.env["crm.stage.deviation"]._granted_exceptions(
            leads.browse(list(unmet)), stage
        )
        failing = leads.filtered(lambda lead: lead.id in unmet and lead.id not in excused)
        if failing:
            raise UserError(self._blocking_message(failing, stage, unmet))

    @api.model
    def _blocking_message(self, leads, stage, unmet):
        lines = [
            self.env._('Cannot move to stage "%s": required information is missing.', stage.name)
        ]
        messages = []
        for lead in leads:
            labels = []
            for rule, items in unmet[lead.id]:
                labels += [item for item in items if item not in labels]
                if rule.message and rule.message not in messages:
                    messages.append(rule.message)
            lines.append(
                self.env._(
                    "- %(lead)s: %(missing)s",
                    lead=lead.display_name,
                    missing=format_list(self.env, labels),
                )
            )
        lines += messages
        lines.append(self.env._("Fill them in, or ask a sales manager for an exception."))
        return "\n".join(lines)

    @api.model
    def _log_deviations(self, leads, stage):
        """After a move: log the warn-mode misses and use up the exceptions that let
        leads through, each as a process deviation with a note in the chatter."""
        # the leads the caller just moved (write checked); deviations are flow records
        leads = leads.sudo()
        since = self._since(leads)
        warned = self._evaluate(leads, stage, since, mode="warn")
        # Exceptions only ever waive blocking requirements.
        exceptions = (
            self.env["crm.stage.deviation"]._granted_exceptions(leads, stage)
            if self._rules_for(stage, "block", leads)
            else {}
        )
        waived = {}
        if exceptions:
            excused = leads.filtered(lambda lead: lead.id in exceptions)
            waived = self._evaluate(excused, stage, since, mode="block")
        if not warned and not waived:
            return
        Deviation = self.env["crm.stage.deviation"].sudo()  # history written by the flow
        vals_list, bodies = [], {}
        for lead in leads:
            if lead.id in warned:
                items = self._flatten(warned[lead.id])
                vals_list.append(
                    Deviation._prepare_vals(lead, stage, "warning", warned[lead.id], items)
                )
                bodies[lead.id] = Markup("<p>%s</p>") % self.env._(
                    "Moved to %(stage)s although the process standard is not met (%(missing)s). "
                    "Logged as a process deviation.",
                    stage=stage.name,
                    missing=format_list(self.env, items),
                )
            if lead.id in waived:
                items = self._flatten(waived[lead.id])
                exception = exceptions[lead.id]
                exception._use(waived[lead.id], items)
                body = Markup("<p>%s</p>") % self.env._(
                    "Moved to %(stage)s under the exception granted by %(manager)s "
                    "(%(reason)s). Waived: %(missing)s.",
                    stage=stage.name,
                    manager=exception.granted_by_id.name,
                    reason=exception.reason,
                    missing=format_list(self.env, items),
                )
                bodies[lead.id] = bodies.get(lead.id, Markup()) + body
        Deviation.create(vals_list)
        leads.browse(list(bodies))._message_log_batch(bodies)

    @api.model
    def _flatten(self, rule_items):
        labels = []
        for _rule, items in rule_items:
            labels += [item for item in items if item not in labels]
        return labels

    # ------------------------------------------------------------------
    # What the lead form shows
    # ------------------------------------------------------------------
    @api.model
    def _compute_next_stage_info(self, leads):
        stages = self.env["crm.stage"].search([])
        for lead in leads:
            position = list(stages).index(lead.stage_id) if lead.stage_id in stages else None
            later = stages[position + 1 :] if position is not None else stages.browse()
            later = later.filtered(
                lambda stage, lead=lead: not stage.team_ids or lead.team_id in stage.team_ids
            )
            next_stage = later[:1] if lead.won_status == "pending" else stages.browse()
            lead.next_stage_id = next_stage
            lead.next_stage_name = next_stage.name
            lead.next_stage_missing = lead.next_stage_warning = False
            if not next_stage:
                continue
            unmet = self._evaluate(lead, next_stage, {lead.id: lead.date_last_stage_update})
            for mode, fname in (("block", "next_stage_missing"), ("warn", "next_stage_warning")):
                items = self._flatten(
                    [(rule, labels) for rule, labels in unmet.get(lead.id, []) if rule.mode == mode]
                )
                lead[fname] = format_list(self.env, items) or False

    # ------------------------------------------------------------------
    # Impact preview
    # ------------------------------------------------------------------
    @api.depends(
        "stage_id",
        "kind",
        "lead_field_ids",
        "partner_field_ids",
        "team_ids",
        "domain",
        "company_id",
    )
    def _compute_impact(self):
        positions = self._stage_positions()
        Lead = self.env["crm.lead"]
        open_lead_ids = Lead.search([("won_status", "=", "pending"), ("stage_id", "!=", False)]).ids
        for requirement in self:
            current = upcoming = scope_count = 0
            target = positions.get(requirement.stage_id._origin.id)
            if target is not None and requirement._is_complete_for_preview():
                for batch_ids in split_every(1000, open_lead_ids):
                    scope = requirement._scope(Lead.browse(batch_ids))
                    missing = requirement._missing(
                        scope, {lead.id: lead.date_last_stage_update for lead in scope}
                    )
                    for lead in scope:
                        past = positions.get(lead.stage_id.id, -1) >= target
                        scope_count += past
                        if lead.id in missing:
                            current += past
                            upcoming += not past
            requirement.impact_current_count = current
            requirement.impact_upcoming_count = upcoming
            requirement.impact_scope_count = scope_count

    def _is_complete_for_preview(self):
        if self.kind == "field" and not (self.lead_field_ids or self.partner_field_ids):
            return False
        try:
            self._get_domain()
        except Exception:  # noqa: BLE001 - an unfinished condition previews nothing
            return False
        return True

    def action_open_affected_leads(self):
        """List the open leads this requirement affects (in or past its stage)."""
        self.ensure_one()
        # the caller's own search below: only leads it may read are listed
        self.check_access("read")
        positions = self._stage_positions()
        target = positions.get(self.stage_id.id, 0)
        leads = self.env["crm.lead"].search(
            [
                ("won_status", "=", "pending"),
                ("stage_id", "in", [sid for sid, pos in positions.items() if pos >= target]),
            ]
        )
        scope = self._scope(leads)
        missing = self._missing(scope, {lead.id: lead.date_last_stage_update for lead in scope})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Leads affected by %s", self.name),
            "res_model": "crm.lead",
            "view_mode": "list,form",
            "domain": [("id", "in", list(missing))],
        }

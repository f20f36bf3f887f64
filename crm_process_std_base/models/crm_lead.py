# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.i18n import format_list

from .crm_stage_requirement import STAGE_LEFT_SINCE

# precommit data: {merged lead id: id of the lead it was merged into}
MERGED_INTO = "crm_process_std.merged_into"


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ("crm.lead", "crm.customer.information.mixin")

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

    # OCA's crm_industry labels it "Main Industry" (beside its secondary industries);
    # the standard customer information and its import template 1 say "Industry".
    # (not redundant: it replaces crm_industry's "Main Industry")
    industry_id = fields.Many2one(string="Industry")  # pylint: disable=attribute-string-redundant
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

    # industry_id comes from OCA's crm_industry; a lead keeps the industry typed in
    # when its customer has none (crm_industry would empty it).
    @api.depends("partner_id")
    def _compute_industry_id(self):
        for lead in self:
            industry = lead.partner_id.commercial_partner_id.industry_id
            if industry:
                lead.industry_id = industry

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
    # Every way a lead arrives in a stage passes them: create (stage given, context
    # default, or the team's entry stage computed by crm), write (stage given, or
    # recomputed from a new team or type), copy, import (load), merge and conversion.
    @api.model
    def _loading_module_data(self):
        """Data files of a module being installed (superuser, install mode): trusted
        records, loaded in file order; gates and automatic handoffs would refuse or
        duplicate what the file states itself. ``env.su`` cannot be set over RPC."""
        return self.env.su and self.env.context.get("install_mode")

    @api.model_create_multi
    def create(self, vals_list):
        gated, entry_gated = self.env["crm.stage"]._gated_stages()
        if not gated or self._loading_module_data():
            leads = super().create(vals_list)
        else:
            default_stage = self.env.context.get("default_stage_id")
            if any(
                (stage_id in gated) if stage_id else entry_gated
                for stage_id in (vals.get("stage_id") or default_stage for vals in vals_list)
            ):
                # A refused stage rolls the creation back, cache included.
                with self.env.cr.savepoint():
                    leads = super().create(vals_list)
                    leads._enter_stages(gated, {})
            else:
                leads = super().create(vals_list)
                # a stage nobody asked for (e.g. a user default) is checked all the same
                leads._enter_stages(gated, {})
        return leads

    def _enter_stages(self, gated, left_since):
        """Run the gates of the stages these leads just entered, when gated;
        ``left_since``: {lead id: when it entered the stage it left}."""
        by_stage = defaultdict(list)
        for lead in self:
            if lead.stage_id.id in gated:
                by_stage[lead.stage_id].append(lead.id)
        for stage, lead_ids in by_stage.items():
            entered = self.browse(lead_ids).with_context(**{STAGE_LEFT_SINCE: left_since})
            entered._check_stage_gates(stage)
            entered._log_stage_deviations(stage)

    def write(self, vals):
        stage = self.env["crm.stage"].browse(vals.get("stage_id"))
        moving = self.filtered(lambda lead: lead.stage_id != stage) if stage else self.browse()
        if not moving:
            result = self._write_recomputing_stage(vals)
        elif stage.id not in self.env["crm.stage"]._gated_stages()[0]:
            # no gate may refuse this stage, no requirement can be missed there
            # (cached: no query, no savepoint when nothing is configured)
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
        if moving and stage.is_won and self._won_marks_customer():
            # A won deal makes its company a customer (customer type). Sudo: the
            # caller may write the lead (checked by the write above), not the partner.
            moving.partner_id.commercial_partner_id.filtered(
                lambda partner: partner.customer_type != "customer"
            ).sudo().customer_type = "customer"
        self._after_write_concerns(vals)
        return result

    def _write_recomputing_stage(self, vals):
        """Write ``vals`` without a stage: crm recomputes the stage of leads whose team
        or type changes (the team's entry stage), which passes the gates too. Costs
        nothing unless the entry stage of some team is gated (cached)."""
        gated = ()
        if {"team_id", "type"} & vals.keys() and not self._loading_module_data():
            gated, entry_gated = self.env["crm.stage"]._gated_stages()
            gated = gated if entry_gated else ()  # crm only recomputes to an entry stage
        if not gated:
            return super().write(vals)
        before = {lead.id: (lead.stage_id.id, lead.date_last_stage_update) for lead in self}
        with self.env.cr.savepoint():
            result = super().write(vals)
            moved = self.filtered(lambda lead: lead.stage_id.id != before[lead.id][0])
            moved._enter_stages(gated, {lead.id: before[lead.id][1] for lead in moved})
        return result

    def unlink(self):
        # the caller's right to delete them, before anything is kept as superuser
        self.check_access("unlink")
        present = self._process_records_of(self)
        if any(present.values()):
            # leads merged into another one first hand their records over (crm deletes
            # them right after the merge, or all at once after an assignment run)
            self._move_merged_process_records(present)
        if any(present[model_name] for model_name in self._process_history_kept_models()):
            self._check_unlink_process_history()
        # the caller may delete the leads (checked above)
        self._detach_process_records(present)
        return super().unlink()

    @api.model
    def _process_history_models(self):
        """Models whose records name a lead (``lead_id``), the lead's process history:
        kept (or deleted with it) when the lead is deleted, moved when it is merged.
        Each part of the process adds its own."""
        return ("crm.stage.deviation",)

    @api.model
    def _process_history_kept_models(self):
        """Among ``_process_history_models``, those whose records forbid deleting the
        lead (decisions of other people about the deal)."""
        return ()

    def _detach_process_records(self, present):
        """The leads are deleted next: history stays, with the lead's name (set null).
        ``present``: see ``_process_records_of``. Parts extend for their models."""
        if present["crm.stage.deviation"]:
            self.env["crm.stage.deviation"].sudo()._keep_lead_names(self)

    def _check_unlink_process_history(self):
        """Approvals and handoffs are decisions of other people about the deal: a lead
        that has some is archived (lost), not deleted. Superuser code (data cleanup,
        crm's own tests, merge after moving them) still may: ``env.su`` is never set
        over RPC, so no user deletes that history."""
        if self.env.su:
            return
        # existence checks on the leads being deleted; only their names are shown
        kept = self.browse()
        for model_name in self._process_history_kept_models():
            kept |= self.env[model_name].sudo().search([("lead_id", "in", self.ids)]).lead_id
        if kept:
            raise UserError(
                self.env._(
                    "%(leads)s cannot be deleted: their approvals or handoffs are process "
                    "history. Archive them (mark them lost) instead.",
                    leads=format_list(self.env, kept.with_env(self.env).mapped("display_name")),
                )
            )

    @api.model
    def _process_records_of(self, leads):
        """{process model: ids of ``leads`` holding records of it}: one query."""
        models_ = self._process_history_models()
        found = dict.fromkeys(models_, frozenset())
        if not leads:
            return found
        for model_name in models_:
            self.env[model_name].flush_model(["lead_id"])
        # which of the leads being deleted or merged hold history (system data)
        rows = self.env.execute_query(
            SQL(" UNION ALL ").join(
                SQL(
                    "(SELECT %s, array_agg(DISTINCT lead_id) FROM %s WHERE lead_id = ANY(%s))",
                    model_name,
                    SQL.identifier(self.env[model_name]._table),
                    leads.ids,
                )
                for model_name in models_
            )
        )
        found.update({model_name: frozenset(ids or ()) for model_name, ids in rows})
        return found

    def _merge_dependences(self, opportunities):
        """Merged leads are deleted next: their process records then move to this lead
        (noted here, moved by ``unlink`` with the query it makes anyway, so a merge of
        leads without process records costs nothing)."""
        result = super()._merge_dependences(opportunities)
        # a transaction's own notes (never sent over RPC), forgotten on rollback
        merged = self.env.cr.precommit.data.setdefault(MERGED_INTO, {})
        merged.update(dict.fromkeys(opportunities.ids, self.id))
        return result

    def _move_merged_process_records(self, present):
        """Move the process records of the merged leads among ``self`` to the lead they
        were merged into; ``present`` (see ``_process_records_of``) is updated."""
        merged = self.env.cr.precommit.data.get(MERGED_INTO) or {}
        deleted = set(self.ids)
        heads = {}
        for tail in deleted & merged.keys():
            head = merged.pop(tail)
            while head in merged and head in deleted:
                head = merged[head]
            if head not in deleted:
                heads[tail] = head
        if heads:
            self._move_process_records_to(heads, present)

    def _move_process_records_to(self, heads, present):
        """Move the records of merged leads to their surviving lead, ``heads``: {merged
        lead id: surviving lead id}. Parts extend this for their models."""
        self._move_lead_records("crm.stage.deviation", heads, present)

    def _move_lead_records(self, model_name, heads, present):
        """Give the ``model_name`` records of the merged leads to the lead each was
        merged into; return the surviving leads that received some."""
        tails = present[model_name] & heads.keys()
        if not tails:
            return self.browse()
        # crm's merge read the merged leads and deletes them: their records follow them
        # to the surviving lead, whoever may read those records (system move).
        records = self.env[model_name].sudo().search([("lead_id", "in", list(tails))])
        for head in {heads[tail] for tail in tails}:
            records.filtered(lambda record, head=head: heads[record.lead_id.id] == head).write(
                {"lead_id": head}
            )
        present[model_name] -= tails
        return self.browse({heads[tail] for tail in tails})

    def _won_marks_customer(self):
        """Whether winning these deals makes their company a customer now (the handoff
        may decide it later, when after-sales accepts)."""
        return True

    def _check_stage_gates(self, stage):
        """Raise when a gate forbids moving these leads into ``stage``; parts extend this."""
        self.env["crm.stage.requirement"]._check_leads(self, stage)

    def _after_write_concerns(self, vals):
        """React to written values for every entry point; parts extend this."""

    def _log_stage_deviations(self, stage):
        """After a move into ``stage``: record deviations (warn rules, exceptions)."""
        self.env["crm.stage.requirement"]._log_deviations(self, stage)

    def action_open_stage_exception_wizard(self):
        self.ensure_one()
        self.check_access("read")  # the wizard itself checks the manager and write access
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
        self.check_access("read")  # the deviations listed follow their own record rules
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std_base.action_crm_stage_deviation"
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

    @api.model
    def get_import_templates(self):
        return [
            *super().get_import_templates(),
            self._customer_information_import_template(
                "lead_information_standard",
                self.env._("Lead Information Standard (template 1)"),
            ),
        ]

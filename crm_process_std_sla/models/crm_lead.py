# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.crm_process_std_base.tools import known_without


class CrmLead(models.Model):
    """Process time limits (SLA timers) of a lead."""

    _inherit = "crm.lead"

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

    @api.depends("crm_sla_timer_ids.state", "crm_sla_timer_ids.date_stop")
    def _compute_sla_flags(self):
        # a lead just created has no timer yet (they start at the commit): no query
        empty = known_without(self, "crm_sla_timer_ids")
        empty.update({"sla_breach_count": 0, "sla_overdue": False})
        if self - empty:
            self.env["crm.sla.timer"]._set_record_flags(self - empty, "lead_id")

    def action_crm_view_sla_timers(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std_sla.action_crm_sla_timer"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"search_default_group_state": False}
        return action

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        # the leads the caller just created (create rights and rules checked by the ORM)
        self.env["crm.sla.lead.event"].sudo()._on_leads_created(leads)
        return leads

    def write(self, vals):
        sla_snapshot = self.env["crm.sla.lead.event"]._snapshot(self, vals)
        result = super().write(vals)
        if sla_snapshot:
            # clocks of the leads the caller just wrote (write access checked by the write)
            self.env["crm.sla.lead.event"].sudo()._on_leads_written(self, sla_snapshot)
        return result

    def _handle_won_lost(self, old_status_by_lead, new_status_by_lead):
        res = super()._handle_won_lost(old_status_by_lead, new_status_by_lead)
        won = self.filtered(
            lambda lead: (
                new_status_by_lead.get(lead.id, {}).get("is_won")
                and not old_status_by_lead.get(lead.id, {}).get("is_won")
            )
        )
        if won:
            # leads won by the caller's create or write (access checked by the ORM)
            self.env["crm.sla.lead.event"].sudo()._queue("won", won)
        return res

    @api.model
    def _process_history_models(self):
        return (*super()._process_history_models(), "crm.sla.timer")

    def _detach_process_records(self, present):
        res = super()._detach_process_records(present)
        self.env["crm.sla.lead.event"]._forget(self.ids)
        if present["crm.sla.timer"]:
            self.env["crm.sla.timer"].sudo()._detach_leads(self)
        return res

    def _move_process_records_to(self, heads, present):
        res = super()._move_process_records_to(heads, present)
        if tails := present["crm.sla.timer"] & heads.keys():
            self.env["crm.sla.timer"].sudo()._merge_into({tail: heads[tail] for tail in tails})
            present["crm.sla.timer"] -= tails
        return res

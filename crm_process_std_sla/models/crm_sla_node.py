# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import namedtuple
from datetime import timedelta

from pytz import utc

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.i18n import format_list

from odoo.addons.crm_process_std_base.models.crm_cached_config_mixin import config_cache

# Events of leads; the bridges add those of the records they time (handoffs,
# complaints).
START_EVENTS = [
    ("lead_created", "Lead created"),
    ("lead_assigned", "Lead assigned"),
    ("stage_entered", "Stage entered"),
    ("lead_won", "Opportunity won"),
]
STOP_EVENTS = [
    ("lead_assigned", "Lead assigned"),
    ("followup_logged", "Follow-up logged"),
    ("stage_left", "Stage left"),
]
STAGE_EVENTS = {"stage_entered", "stage_left"}
# An active lead node as plain data (see CrmSlaNode._lead_nodes).
# Longest time limit or escalation delay a node may have (5 years): a larger one
# overflows the deadline arithmetic of every timer started afterwards.
MAX_NODE_HOURS = 8760 * 5
LeadNode = namedtuple(
    "LeadNode",
    "id start_event stop_event company_id stage_id team_ids responsible user_id "
    "time_limit_hours use_working_hours",
)


class CrmSlaNode(models.Model):
    """A process node with an owner, an input, an output and a time limit: a timer
    starts on one event and must stop on another."""

    _name = "crm.sla.node"
    _inherit = "crm.cached.config.mixin"
    _description = "SLA Process Node"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to apply the node to every company."
    )
    res_model = fields.Selection(
        [("crm.lead", "Lead / Opportunity")],
        string="Applies To",
        compute="_compute_res_model",
        store=True,
    )
    start_event = fields.Selection(START_EVENTS, required=True, default="lead_created")
    stop_event = fields.Selection(STOP_EVENTS, required=True, default="lead_assigned")
    stage_id = fields.Many2one(
        "crm.stage",
        ondelete="restrict",
        help="The stage whose entry starts, or whose exit stops, the timer.",
    )
    team_ids = fields.Many2many(
        "crm.team", string="Sales Teams", help="Leave empty to time the leads of every team."
    )
    time_limit_hours = fields.Float(string="Time Limit (hours)", required=True, default=24.0)
    use_working_hours = fields.Boolean(
        string="Working Hours Only",
        help="Count the time limit in the working hours of the calendar (company "
        "calendar by default): nights, weekends and public holidays do not count.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        help="Leave empty to use the working hours of the record's company.",
    )
    responsible = fields.Selection(
        [("record_owner", "Owner of the record"), ("node_owner", "Node owner")],
        required=True,
        default="record_owner",
        help="Who must complete the node: the salesperson / after-sales owner of the "
        "record, or the node owner (e.g. the sales operations specialist assigning leads).",
    )
    user_id = fields.Many2one("res.users", string="Node Owner", help="Owner of this process node.")
    input_description = fields.Text(string="Input", translate=True)
    output_description = fields.Text(string="Output", translate=True)
    escalation_user_id = fields.Many2one(
        "res.users",
        string="Escalation Target",
        help="Told at the second step of the escalation and receiving the record at the "
        "third; the team leader when empty.",
    )
    escalate_leader_after_hours = fields.Float(
        string="Escalate After (hours)",
        default=1.0,
        help="Hours after the breach before the escalation target (or team leader) is "
        "told. The responsible is reminded at the breach itself.",
    )
    reassign_after_hours = fields.Float(
        string="Reassign After (hours)",
        help="Hours after the breach before the record is reassigned to the escalation "
        "target. 0 never reassigns.",
    )
    timer_ids = fields.One2many("crm.sla.timer", "node_id", string="Timers")
    timer_running_count = fields.Integer(string="Running", compute="_compute_timer_counts")
    timer_met_count = fields.Integer(string="Met", compute="_compute_timer_counts")
    timer_breached_count = fields.Integer(string="Breached", compute="_compute_timer_counts")

    @api.depends("start_event")
    def _compute_res_model(self):
        """The model of the records the node times (bridges set theirs)."""
        for node in self:
            node.res_model = "crm.lead"

    def _compute_timer_counts(self):
        counts = {
            (node.id, state): count
            for node, state, count in self.env["crm.sla.timer"]._read_group(
                [("node_id", "in", self.ids)], ["node_id", "state"], ["__count"]
            )
        }
        for node in self:
            node.timer_running_count = counts.get((node.id, "running"), 0)
            node.timer_met_count = counts.get((node.id, "met"), 0)
            node.timer_breached_count = counts.get((node.id, "breached"), 0)

    @api.constrains(
        "start_event",
        "stop_event",
        "stage_id",
        "time_limit_hours",
        "escalate_leader_after_hours",
        "reassign_after_hours",
    )
    def _check_node(self):
        for node in self:
            if node.time_limit_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "The time limit of process node %(node)s must be positive, not "
                        "%(hours)s hours.",
                        node=node.name,
                        hours=node.time_limit_hours,
                    )
                )
            if node.escalate_leader_after_hours < 0 or node.reassign_after_hours < 0:
                raise ValidationError(
                    self.env._(
                        "The escalation delays of process node %s cannot be negative.", node.name
                    )
                )
            if (
                max(
                    node.time_limit_hours,
                    node.escalate_leader_after_hours,
                    node.reassign_after_hours,
                )
                > MAX_NODE_HOURS
            ):
                raise ValidationError(
                    self.env._(
                        "The time limit and escalation delays of process node %(node)s cannot "
                        "exceed %(max)s hours (5 years).",
                        node=node.name,
                        max=MAX_NODE_HOURS,
                    )
                )
            if node.reassign_after_hours and (
                node.reassign_after_hours < node.escalate_leader_after_hours
            ):
                raise ValidationError(
                    self.env._(
                        "Process node %s reassigns the record before telling the escalation "
                        "target: the reassignment delay must be at least the escalation delay.",
                        node.name,
                    )
                )
            if (STAGE_EVENTS & {node.start_event, node.stop_event}) and not node.stage_id:
                raise ValidationError(
                    self.env._(
                        "Process node %s starts or stops on a stage: choose the stage.", node.name
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_timed(self):
        """Timers are process history: a node that timed records is archived instead."""
        # existence check only (system data): whoever deletes nodes is a process admin
        timed = self.env["crm.sla.timer"].sudo().search([("node_id", "in", self.ids)]).node_id
        if timed:
            raise UserError(
                self.env._(
                    "The process nodes %(nodes)s have timed records: archive them instead "
                    "of deleting them, to keep their history.",
                    nodes=format_list(self.env, timed.mapped("name")),
                )
            )

    def _calendar_for(self, company):
        self.ensure_one()
        return self.resource_calendar_id or company.resource_calendar_id

    def _deadline(self, start, company, cache=None):
        """Deadline of a timer of this node started at ``start`` (naive UTC)."""
        self.ensure_one()
        calendar = self.use_working_hours and self._calendar_for(company)
        if not calendar:
            return start + timedelta(hours=self.time_limit_hours)
        key = (calendar.id, start, self.time_limit_hours)
        if cache is not None and key in cache:
            return cache[key]
        deadline = calendar.plan_hours(
            self.time_limit_hours, start.replace(tzinfo=utc), compute_leaves=True
        )
        deadline = (
            deadline.astimezone(utc).replace(tzinfo=None)
            if deadline
            else start + timedelta(hours=self.time_limit_hours)
        )
        if cache is not None:
            cache[key] = deadline
        return deadline

    def _duration_hours(self, start, stop, company):
        """Hours between start and stop, in working hours when the node says so."""
        self.ensure_one()
        calendar = self.use_working_hours and self._calendar_for(company)
        if not calendar:
            return (stop - start).total_seconds() / 3600
        return calendar.get_work_hours_count(
            start.replace(tzinfo=utc), stop.replace(tzinfo=utc), compute_leaves=True
        )

    def action_view_timers(self):
        self.ensure_one()
        self.check_access("read")  # the timers listed follow their own record rules
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std_sla.action_crm_sla_timer"
        )
        action["domain"] = [("node_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Configuration cache of the lead hooks
    # ------------------------------------------------------------------
    @api.model
    @config_cache
    def _lead_nodes(self):
        """The active lead nodes as plain data, cached until a node changes: the
        lead hooks ask it on every lead write and must cost no query."""
        # reads configuration only (every company's nodes; the hooks match companies)
        nodes = self.sudo().with_context(active_test=True).search([("res_model", "=", "crm.lead")])
        return tuple(
            LeadNode(
                node.id,
                node.start_event,
                node.stop_event,
                node.company_id.id,
                node.stage_id.id,
                frozenset(node.team_ids.ids),
                node.responsible,
                node.user_id.id,
                node.time_limit_hours,
                node.use_working_hours,
            )
            for node in nodes
        )

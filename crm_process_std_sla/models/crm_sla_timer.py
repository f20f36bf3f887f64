# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, split_every

TIMER_STATES = [
    ("running", "Running"),
    ("met", "Met"),
    ("breached", "Breached"),
    ("cancelled", "Cancelled"),
]
# Escalation ladder: 1 reminds the responsible, 2 tells the escalation target
# (or team leader), 3 reassigns the record to it.
ESCALATION_LEVELS = [
    ("0", "None"),
    ("1", "Responsible reminded"),
    ("2", "Escalated"),
    ("3", "Reassigned"),
]
# Clocks are run by the process alone (lead events, the scheduled action, the events
# of the records the bridges time), always through sudo() after the event's own
# checks: nobody sets them.
PROTECTED_FIELDS = frozenset(
    {
        "node_id",
        "lead_id",
        "user_id",
        "team_id",
        "company_id",
        "date_start",
        "date_deadline",
        "date_stop",
        "time_limit_hours",
        "state",
        "escalation_level",
        "lead_name",
    }
)


class CrmSlaTimer(models.Model):
    """The clock of one process node on one lead (bridges time other records too):
    started by the node's start event, stopped by its stop event, met or breached."""

    _name = "crm.sla.timer"
    _inherit = "crm.protected.fields.mixin"
    _description = "SLA Timer"
    _order = "date_start desc, id desc"
    _protected_fields = PROTECTED_FIELDS

    # History: a node with timers is archived, not deleted (see crm.sla.node); a deleted
    # lead leaves its timers, stopped, with its name.
    # A node with timers is never deleted (crm.sla.node refuses it, superuser included);
    # only uninstalling the addon, which drops this table too, deletes nodes first.
    node_id = fields.Many2one(
        "crm.sla.node", string="Process Node", required=True, index=True, ondelete="cascade"
    )
    lead_id = fields.Many2one(
        "crm.lead", string="Lead / Opportunity", index=True, ondelete="set null"
    )
    lead_name = fields.Char(readonly=True, help="Name of the lead, kept if it is deleted.")
    user_id = fields.Many2one("res.users", string="Responsible", index=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    company_id = fields.Many2one("res.company", index=True)
    date_start = fields.Datetime(string="Started", required=True, index=True)
    date_deadline = fields.Datetime(string="Deadline", required=True, index=True)
    date_stop = fields.Datetime(string="Stopped", index=True)
    time_limit_hours = fields.Float(string="Time Limit (hours)")
    state = fields.Selection(TIMER_STATES, required=True, default="running", index=True)
    duration_hours = fields.Float(
        string="Duration (hours)",
        compute="_compute_duration_hours",
        store=True,
        aggregator="avg",
        help="Time from start to stop, in working hours when the node counts them.",
    )
    escalation_level = fields.Selection(ESCALATION_LEVELS, default="0", required=True)
    escalated = fields.Boolean(compute="_compute_escalated", store=True)

    _check_deadline_after_start = models.Constraint(
        "CHECK(date_deadline >= date_start)",
        "The deadline of an SLA timer cannot be before its start.",
    )
    # One open clock per node and lead, whatever runs concurrently.
    # (clocks left by a deleted lead do not count: our unlink stops them, but a
    # registry without this addon's code, e.g. crm's at-install tests, deletes without)
    _one_open_timer = models.UniqueIndex(
        "(node_id, lead_id) WHERE (date_stop IS NULL AND lead_id IS NOT NULL)",
        "This node already times this lead.",
    )

    @api.depends("node_id", "lead_id")
    def _compute_display_name(self):
        for timer in self:
            name = timer._timed_record().display_name or timer.lead_name or ""
            timer.display_name = f"{timer.node_id.name} - {name}"

    @api.depends("date_start", "date_stop", "node_id.use_working_hours")
    def _compute_duration_hours(self):
        for timer in self:
            if timer.date_stop and timer.date_start:
                timer.duration_hours = timer.node_id._duration_hours(
                    timer.date_start, timer.date_stop, timer.company_id or self.env.company
                )
            else:
                timer.duration_hours = 0.0

    @api.depends("escalation_level")
    def _compute_escalated(self):
        for timer in self:
            timer.escalated = timer.escalation_level != "0"

    @api.constrains("date_start", "date_deadline")
    def _check_dates(self):
        for timer in self:
            if timer.date_deadline < timer.date_start:
                raise ValidationError(
                    self.env._(
                        "The deadline of SLA timer %(timer)s (%(deadline)s) cannot be before "
                        "its start (%(start)s).",
                        timer=timer.display_name,
                        deadline=timer.date_deadline,
                        start=timer.date_start,
                    )
                )

    # Whoever changes timers applies the lead events of this transaction first; reads
    # never do.
    @api.model
    def _apply_lead_events(self):
        """Apply the lead events queued in this transaction (see crm.sla.lead.event).
        Called before the transaction commits, by the scheduled check, before timers
        are changed, and by whoever needs the clocks of this very transaction
        (reports, tests): a read of timers alone shows them as the last application
        left them."""
        self.env["crm.sla.lead.event"]._apply()

    @api.model_create_multi
    def create(self, vals_list):
        self._apply_lead_events()
        return super().create(vals_list)

    def write(self, vals):
        self._apply_lead_events()
        return super().write(vals)

    def _written_in_sql(self, fnames):
        """These timers were just updated in SQL (set-based statements of the flow):
        forget their cached values and let the ORM recompute what depends on the
        changed fields (their durations, the SLA flags of the timed records)."""
        self.invalidate_recordset([*fnames, "write_uid", "write_date"])
        self.modified(fnames)

    # ------------------------------------------------------------------
    # The timed records (bridges add theirs)
    # ------------------------------------------------------------------
    def _timed_record(self):
        """The record this timer times."""
        self.ensure_one()
        return self.lead_id

    @api.model
    def _record_field(self, records):
        """The field of the timers naming ``records``."""
        if records._name != "crm.lead":
            raise ValueError(f"SLA timers do not time {records._name} records")
        return "lead_id"

    @api.model
    def _record_team(self, record):
        """The sales team answerable for ``record``."""
        return record.team_id

    @api.model
    def _set_record_flags(self, records, field_name):
        """Set ``sla_breach_count`` and ``sla_overdue`` of the timed records."""
        groups = self._read_group(
            [(field_name, "in", records._origin.ids), ("state", "=", "breached")],
            [field_name, "date_stop:day"],
            ["__count"],
        )
        breaches, overdue = defaultdict(int), set()
        for record, date_stop, count in groups:
            breaches[record.id] += count
            if not date_stop:
                overdue.add(record.id)
        for record in records:
            record.sla_breach_count = breaches[record._origin.id]
            record.sla_overdue = record._origin.id in overdue

    # ------------------------------------------------------------------
    # Starting and stopping the clocks of records (follow-ups, bridges)
    # ------------------------------------------------------------------
    @api.model
    def _node_matches(self, node, record):
        """Whether ``node`` times ``record``: same company, and for a lead its team and
        the stage the node starts on."""
        if node.company_id and record.company_id and node.company_id != record.company_id:
            return False
        if record._name != "crm.lead":
            return True
        if node.team_ids and record.team_id not in node.team_ids:
            return False
        return node.start_event != "stage_entered" or node.stage_id == record.stage_id

    @api.model
    def _responsible(self, node, record):
        """Who must complete the node on this record."""
        team = self._record_team(record)
        owner_first = [record.user_id, team.user_id, node.user_id]
        node_first = [node.user_id, team.user_id, record.user_id]
        chain = node_first if node.responsible == "node_owner" else owner_first
        return next((user for user in chain if user), self.env["res.users"])

    @api.model
    def _start_timers(self, event, records, start_of=None):
        """Start the timers of the nodes starting on ``event`` for ``records``,
        skipping those already running. (Lead events go through the queue of
        ``crm.sla.lead.event``; this is the way of the records bridges time.)

        :param start_of: function giving the start time of a record (default: now)
        """
        self._apply_lead_events()
        if not records:
            return self.browse()
        nodes = self.env["crm.sla.node"].search([("start_event", "=", event)])
        if not nodes:
            return self.browse()
        field_name = self._record_field(records)
        running = {
            (timer.node_id.id, timer[field_name].id)
            for timer in self.search(
                [
                    ("node_id", "in", nodes.ids),
                    (field_name, "in", records.ids),
                    ("date_stop", "=", False),
                ]
            )
        }
        now = fields.Datetime.now()
        deadlines = {}
        vals_list = []
        for node in nodes:
            for record in records:
                if (node.id, record.id) in running or not self._node_matches(node, record):
                    continue
                start = (start_of and start_of(record)) or now
                company = record.company_id or self.env.company
                vals_list.append(
                    {
                        "node_id": node.id,
                        field_name: record.id,
                        "user_id": self._responsible(node, record).id,
                        "team_id": self._record_team(record).id,
                        "company_id": company.id,
                        "date_start": start,
                        "date_deadline": node._deadline(start, company, deadlines),
                        "time_limit_hours": node.time_limit_hours,
                    }
                )
        return self.create(vals_list)

    @api.model
    def _stop_timers(self, event, records, stop_of=None, stage_of=None):
        """Stop the open timers of ``records`` whose node stops on ``event``.

        :param stop_of: function giving the stop time of a record (default: now)
        :param stage_of: {record id: stage id left}, for ``stage_left``
        """
        self._apply_lead_events()
        if not records:
            return self.browse()
        field_name = self._record_field(records)
        domain = [
            ("node_id.stop_event", "=", event),
            (field_name, "in", records.ids),
            ("date_stop", "=", False),
        ]
        timers = (
            self.with_context(active_test=False)
            .search(domain)
            .with_context(active_test=self.env.context.get("active_test", True))
        )
        if stage_of is not None:
            timers = timers.filtered(
                lambda t: t.node_id.stage_id.id == stage_of.get(t[field_name].id)
            )
        now = fields.Datetime.now()
        stops = {timer: (stop_of and stop_of(timer[field_name])) or now for timer in timers}
        self._stop(stops)
        return timers

    @api.model
    def _stop(self, stops):
        """Stop timers at the given times: ``{timer: stop datetime}``."""
        groups = defaultdict(list)
        for timer, stop in stops.items():
            stop = max(stop, timer.date_start)
            state = (
                "met" if stop <= timer.date_deadline and timer.state == "running" else "breached"
            )
            groups[stop, state].append(timer.id)
        for (stop, state), timer_ids in groups.items():
            self.browse(timer_ids).write({"date_stop": stop, "state": state})

    # ------------------------------------------------------------------
    # Deleted and merged leads
    # ------------------------------------------------------------------
    @api.model
    def _detach_leads(self, leads):
        """Before ``leads`` are deleted: their timers stay, stopped, with the lead's name
        (history of the process, counted by the KPIs)."""
        timers = self.with_context(active_test=False).search([("lead_id", "in", leads.ids)])
        if not timers:
            return
        now = fields.Datetime.now()
        running = timers.filtered(lambda timer: timer.state == "running" and not timer.date_stop)
        running.write({"state": "cancelled", "date_stop": now})
        timers.filtered(lambda timer: not timer.date_stop).write({"date_stop": now})
        for timer in timers:
            timer.lead_name = timer.lead_id.name

    @api.model
    def _merge_into(self, heads):
        """Move the timers of merged leads to the lead each was merged into (``heads``:
        {merged lead id: surviving lead id}; one statement): a clock the surviving lead
        already runs for the same node is kept, and of the merged leads' clocks of one
        node only the earliest; the others are cancelled."""
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                WITH map AS (
                    SELECT * FROM unnest(%(tails)s::int[], %(heads)s::int[]) AS m(tail, head)
                )
                UPDATE crm_sla_timer t
                   SET lead_id = c.head,
                       state = CASE WHEN c.cancel THEN 'cancelled' ELSE t.state END,
                       date_stop = CASE WHEN c.cancel THEN GREATEST(%(now)s, t.date_start)
                                        ELSE t.date_stop END,
                       write_uid = %(uid)s, write_date = %(now)s
                  FROM (SELECT m.id, map.head, m.date_stop IS NULL AND (
                               EXISTS (SELECT 1 FROM crm_sla_timer h
                                        WHERE h.lead_id = map.head AND h.node_id = m.node_id
                                          AND h.date_stop IS NULL)
                            OR EXISTS (SELECT 1 FROM crm_sla_timer o
                                         JOIN map om ON om.tail = o.lead_id
                                        WHERE om.head = map.head
                                          AND o.node_id = m.node_id AND o.date_stop IS NULL
                                          AND (o.date_start, o.id) < (m.date_start, m.id))
                          ) AS cancel
                          FROM crm_sla_timer m JOIN map ON map.tail = m.lead_id) c
                 WHERE c.id = t.id
             RETURNING t.id
                """,
                tails=list(heads),
                heads=list(heads.values()),
                now=fields.Datetime.now(),
                uid=self.env.uid,
            )
        )
        # the durations of the cancelled clocks are recomputed by the ORM
        self.browse([row[0] for row in rows])._written_in_sql(["lead_id", "state", "date_stop"])
        leads = self.env["crm.lead"].browse({*heads, *heads.values()})
        leads.invalidate_recordset(["crm_sla_timer_ids"], flush=False)
        # the surviving leads' stored SLA flags follow their new timers
        leads.modified(["crm_sla_timer_ids"])

    # ------------------------------------------------------------------
    # Scheduled check: breaches and the escalation ladder
    # ------------------------------------------------------------------
    @api.model
    def _cron_check_timers(self, batch_size=500):
        """Every few minutes: cancel the clocks of closed leads, stop those whose
        event happened meanwhile (bridges), flag breaches and climb the escalation
        ladder. Each step works in committed batches and only on what is left to do,
        so a second run does nothing and an interrupted run is finished by the next."""
        self._apply_lead_events()
        cron = self.env["ir.cron"]
        now = fields.Datetime.now()
        for select, apply in self._check_steps():
            work = select(now)
            cron._commit_progress(remaining=len(work))
            for batch in split_every(batch_size, work, list):
                apply(batch, now)
                if not cron._commit_progress(len(batch)):
                    return False
        return True

    @api.model
    def _check_steps(self):
        """The steps of the scheduled check, in order: (select(now) -> rows of work,
        apply(batch of rows, now)). Bridges insert theirs before the breaches."""
        return [
            (self._select_closed_record_timers, self._cancel_batch),
            (self._select_late_timers, self._breach_batch),
            (self._select_escalations, self._escalate_batch),
        ]

    # The selections below run in the scheduled action (superuser): system data.
    def _open_timers_sql(self):
        self.flush_model()
        return SQL("t.date_stop IS NULL AND t.state IN ('running', 'breached')")

    @api.model
    def _select_closed_record_timers(self, now):
        """Open timers of archived (lost) leads and of archived nodes."""
        self.env["crm.lead"].flush_model(["active"])
        self.env["crm.sla.node"].flush_model(["active"])
        return self.env.execute_query(
            SQL(
                "SELECT t.id FROM crm_sla_timer t JOIN crm_sla_node n ON n.id = t.node_id"
                " LEFT JOIN crm_lead l ON l.id = t.lead_id"
                " WHERE %s AND (NOT n.active OR l.active IS FALSE) ORDER BY t.id",
                self._open_timers_sql(),
            )
        )

    @api.model
    def _cancel_batch(self, rows, now):
        self.browse([row[0] for row in rows]).write({"state": "cancelled", "date_stop": now})

    @api.model
    def _select_late_timers(self, now):
        return self.env.execute_query(
            SQL(
                "SELECT t.id FROM crm_sla_timer t WHERE %s AND t.state = 'running'"
                " AND t.date_deadline <= %s ORDER BY t.id",
                self._open_timers_sql(),
                now,
            )
        )

    @api.model
    def _breach_batch(self, rows, now):
        self.browse([row[0] for row in rows]).write({"state": "breached"})

    @api.model
    def _select_escalations(self, now):
        """(timer id, level to reach) of breached open timers below their level."""
        self.env["crm.sla.node"].flush_model()
        return self.env.execute_query(
            SQL(
                """
                SELECT id, level FROM (
                    SELECT t.id, t.escalation_level::int AS current, CASE
                        WHEN n.reassign_after_hours > 0 AND t.date_deadline
                             + n.reassign_after_hours * INTERVAL '1 hour' <= %(now)s THEN 3
                        WHEN t.date_deadline
                             + n.escalate_leader_after_hours * INTERVAL '1 hour' <= %(now)s THEN 2
                        ELSE 1 END AS level
                    FROM crm_sla_timer t JOIN crm_sla_node n ON n.id = t.node_id
                    WHERE %(open)s AND t.state = 'breached'
                ) AS ladder WHERE level > current ORDER BY id
                """,
                now=now,
                open=self._open_timers_sql(),
            )
        )

    @api.model
    def _escalate_batch(self, rows, now):
        """Climb each timer to its level, doing every step not done yet once."""
        timers = self.browse([row[0] for row in rows])
        target_level = dict(rows)
        activity_type = self.env.ref("crm_process_std_base.mail_activity_type_escalation")
        today = fields.Date.context_today(self)
        activities, reassign = [], defaultdict(list)
        for timer in timers:
            record = timer._timed_record()
            if not record:  # the timed record was deleted since
                continue
            target = timer.node_id.escalation_user_id or self._record_team(record).user_id
            for level in range(int(timer.escalation_level) + 1, target_level[timer.id] + 1):
                if level == 1:
                    user, summary = (
                        timer.user_id,
                        self.env._(
                            "Time limit passed: %(node)s (due %(deadline)s)",
                            node=timer.node_id.name,
                            deadline=timer.date_deadline,
                        ),
                    )
                elif level == 2:
                    user, summary = (
                        target,
                        self.env._(
                            "Escalated: %(node)s is late for %(owner)s",
                            node=timer.node_id.name,
                            owner=timer.user_id.name or self.env._("nobody"),
                        ),
                    )
                else:
                    user, summary = (
                        target,
                        self.env._(
                            "Reassigned to you: %s was not done in time", timer.node_id.name
                        ),
                    )
                    if target and record.user_id != target:
                        reassign[record._name, target.id].append(record.id)
                if user:
                    activities.append(
                        {
                            "res_model_id": self.env["ir.model"]._get_id(record._name),
                            "res_id": record.id,
                            "activity_type_id": activity_type.id,
                            "summary": summary,
                            "date_deadline": today,
                            "user_id": user.id,
                            "automated": True,
                        }
                    )
        # One notification per assignee of the run instead of one per escalation (a
        # weekend's breaches would otherwise send hundreds of mails, ~0.6 s each).
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            activities
        )._crm_std_notify_assignees(
            subject=lambda env, count: env._(
                "Process time limits: %(count)s escalations for you", count=count
            ),
            intro=lambda env: env._("These process steps are late and now on your list:"),
        )
        for (model, user_id), record_ids in reassign.items():
            self.env[model].browse(record_ids).write({"user_id": user_id})
        by_level = defaultdict(list)
        for timer in timers:
            by_level[str(target_level[timer.id])].append(timer.id)
        for level, timer_ids in by_level.items():
            self.browse(timer_ids).write({"escalation_level": level})

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict, namedtuple
from datetime import timedelta

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


# Lead events queued in the transaction (see CrmSlaTimer._queue_lead_event), and the
# clocks each kind of event stops and starts, in this order.
LEAD_EVENT_QUEUE = "crm_process_std.sla_lead_events"
LEAD_EVENT_STEPS = {
    "created": (("start", "lead_created"),),
    "entered": (("start", "stage_entered"),),
    "assigned": (("stop", "lead_assigned"), ("start", "lead_assigned")),
    "moved": (("stop", "stage_left"), ("start", "stage_entered")),
    "won": (("start", "lead_won"),),
}


# A lead as it was when its event happened.
LeadState = namedtuple("LeadState", "at user_id team_id company_id stage_id")


class CrmSlaTimer(models.Model):
    """The clock of one process node on one lead or complaint: started by the
    node's start event, stopped by its stop event, met or breached."""

    _name = "crm.sla.timer"
    _inherit = "crm.protected.fields.mixin"
    _description = "SLA Timer"
    _order = "date_start desc, id desc"
    # Clocks are run by the process alone (lead and complaint events, the scheduled
    # action), always through sudo() after the event's own checks: nobody sets them.
    _protected_fields = frozenset(
        {
            "node_id",
            "lead_id",
            "complaint_id",
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
    complaint_id = fields.Many2one("crm.complaint", index=True, ondelete="cascade")
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
    _check_one_record = models.Constraint(
        "CHECK(lead_id IS NULL OR complaint_id IS NULL)",
        "An SLA timer times either a lead or a complaint.",
    )
    # One open clock per node and record, whatever runs concurrently.
    # (clocks left by a deleted record do not count: our unlink stops them, but a
    # registry without this addon's code, e.g. crm's at-install tests, deletes without)
    _one_open_timer = models.UniqueIndex(
        "(node_id, COALESCE(lead_id, 0), COALESCE(complaint_id, 0))"
        " WHERE (date_stop IS NULL AND (lead_id IS NOT NULL OR complaint_id IS NOT NULL))",
        "This node already times this record.",
    )

    @api.depends("node_id", "lead_id", "complaint_id")
    def _compute_display_name(self):
        for timer in self:
            record = timer.lead_id or timer.complaint_id
            name = record.display_name or timer.lead_name or ""
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

    # Whoever reads or changes timers sees the lead events of this transaction first.
    @api.model_create_multi
    def create(self, vals_list):
        self._apply_lead_events()
        return super().create(vals_list)

    def write(self, vals):
        self._apply_lead_events()
        return super().write(vals)

    def _fetch_query(self, query, fields):
        if self.env.cr.precommit.data.get(LEAD_EVENT_QUEUE):
            self._apply_lead_events()
        return super()._fetch_query(query, fields)

    @api.model
    def _search(self, domain, *args, **kwargs):
        if self.env.cr.precommit.data.get(LEAD_EVENT_QUEUE):
            self._apply_lead_events()
        return super()._search(domain, *args, **kwargs)

    # ------------------------------------------------------------------
    # Flags on the timed records
    # ------------------------------------------------------------------
    @api.model
    def _set_record_flags(self, records, field_name):
        """Set ``sla_breach_count`` and ``sla_overdue`` of leads or complaints."""
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
    # Events
    # ------------------------------------------------------------------
    @api.model
    def _lead_snapshot(self, leads, vals):
        """Owner and stage of leads before a write that may change them."""
        if not ({"user_id", "stage_id"} & vals.keys()) or not self._lead_events_listened():
            return {}
        return {lead.id: (lead.user_id.id, lead.stage_id.id) for lead in leads}

    @api.model
    def _on_leads_created(self, leads):
        self._queue_lead_event("created", leads)
        self._queue_lead_event("entered", leads.filtered("stage_id"))
        self._queue_lead_event("assigned", leads.filtered("user_id"))

    @api.model
    def _on_leads_written(self, leads, snapshot):
        assigned = leads.filtered(lambda l: l.user_id and l.user_id.id != snapshot[l.id][0])
        self._queue_lead_event("assigned", assigned)
        moved = leads.filtered(lambda l: l.stage_id.id != snapshot[l.id][1])
        self._queue_lead_event(
            "moved", moved, stage_of={lead.id: snapshot[lead.id][1] for lead in moved}
        )

    # Lead events are queued when they happen (no query: the lead, its owner, team,
    # company and stage are noted then) and applied set-based, once per
    # transaction: before it commits, or as soon as anything reads or changes
    # timers. A mass assignment of a thousand leads costs two statements, not a
    # few queries per lead. Each event keeps its own time and the nodes in force.
    @api.model
    def _lead_events_listened(self, kind=None):
        """Whether an active lead node starts or stops on the events of ``kind``."""
        kinds = [kind] if kind else list(LEAD_EVENT_STEPS)
        events = {event for name in kinds for _op, event in LEAD_EVENT_STEPS[name]}
        return any(
            node.start_event in events or node.stop_event in events
            for node in self.env["crm.sla.node"]._lead_nodes()
        )

    @api.model
    def _queue_lead_event(self, kind, leads, stage_of=None):
        if not leads or not self._lead_events_listened(kind):
            return
        # the timers of these leads change: read them again when asked (a read
        # of the timers applies the queue first, see _fetch_query)
        leads.invalidate_recordset(["crm_sla_timer_ids"], flush=False)
        self.invalidate_model()
        precommit = self.env.cr.precommit
        queue = precommit.data.get(LEAD_EVENT_QUEUE)
        if queue is None:
            queue = precommit.data[LEAD_EVENT_QUEUE] = []
            # applied as superuser: the events come from the caller's create/write of
            # these leads (access checked by the ORM), the clocks are flow records
            precommit.add(self.sudo()._apply_lead_events)
        nodes = self.env["crm.sla.node"]._lead_nodes()
        last = queue[-1] if queue else None
        if (
            last
            and last["kind"] == kind
            and last["nodes"] is nodes
            # a lead moved twice leaves two stages: keep the moves apart
            and (kind != "moved" or not (last["leads"].keys() & set(leads.ids)))
        ):
            entry = last
        else:
            entry = {"kind": kind, "leads": {}, "stage_of": {}, "nodes": nodes}
            queue.append(entry)
        now = fields.Datetime.now()
        for lead in leads:
            entry["leads"].setdefault(
                lead.id,
                LeadState(
                    now,
                    lead.user_id.id,
                    lead.team_id.id,
                    lead.company_id.id,
                    lead.stage_id.id,
                ),
            )
        entry["stage_of"].update(stage_of or {})

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
        self.env.execute_query(
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
                       duration_hours = CASE WHEN c.cancel
                           THEN EXTRACT(EPOCH FROM GREATEST(%(now)s, t.date_start)
                                                  - t.date_start) / 3600.0
                           ELSE t.duration_hours END,
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
                """,
                tails=list(heads),
                heads=list(heads.values()),
                now=fields.Datetime.now(),
                uid=self.env.uid,
            )
        )
        self.invalidate_model(
            ["lead_id", "state", "date_stop", "duration_hours", "write_uid", "write_date"]
        )
        leads = self.env["crm.lead"].browse({*heads, *heads.values()})
        leads.invalidate_recordset(["crm_sla_timer_ids"], flush=False)
        # the surviving leads' stored SLA flags follow their new timers
        leads.modified(["crm_sla_timer_ids"])

    @api.model
    def _forget_lead_events(self, lead_ids):
        """Deleted leads have no clocks to start or stop."""
        for entry in self.env.cr.precommit.data.get(LEAD_EVENT_QUEUE) or []:
            for lead_id in lead_ids:
                entry["leads"].pop(lead_id, None)

    @api.model
    def _apply_lead_events(self):
        """Apply the queued lead events, in the order they happened."""
        queue = self.env.cr.precommit.data.pop(LEAD_EVENT_QUEUE, None)
        # events queued by the caller's own lead writes (see _queue_lead_event)
        timers = self.sudo()
        for entry in queue or ():
            states = entry["leads"]
            for operation, event in LEAD_EVENT_STEPS[entry["kind"]]:
                if event == "stage_entered":
                    states = {key: state for key, state in states.items() if state.stage_id}
                if not states:
                    continue
                if operation == "stop":
                    if any(node.stop_event == event for node in entry["nodes"]):
                        timers._stop_lead_timers(event, states, entry["stage_of"])
                else:
                    starting = [node for node in entry["nodes"] if node.start_event == event]
                    if starting:
                        timers._start_lead_timers(states, starting)

    @api.model
    def _stop_lead_timers(self, event, states, stage_of):
        """Stop the open timers of the leads (``{lead id: LeadState}``) whose node
        stops on ``event``: one statement."""
        # SQL on the clocks of leads whose events were queued by a checked lead write
        self.flush_model()
        values = SQL(", ").join(
            SQL("(%s::int, %s::timestamp, %s::int)", lead_id, state.at, stage_of.get(lead_id))
            for lead_id, state in states.items()
        )
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE crm_sla_timer t
                   SET date_stop = GREATEST(v.at, t.date_start),
                       state = CASE WHEN t.state = 'running'
                                     AND GREATEST(v.at, t.date_start) <= t.date_deadline
                                    THEN 'met' ELSE 'breached' END,
                       duration_hours = EXTRACT(EPOCH FROM GREATEST(v.at, t.date_start)
                                                          - t.date_start) / 3600.0,
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM (VALUES %(values)s) AS v(lead_id, at, stage_id), crm_sla_node n
                 WHERE t.lead_id = v.lead_id AND n.id = t.node_id AND t.date_stop IS NULL
                   AND n.stop_event = %(event)s
                   AND (n.stop_event != 'stage_left' OR n.stage_id = v.stage_id)
             RETURNING t.id, t.lead_id, n.use_working_hours, t.state
                """,
                uid=self.env.uid,
                now=fields.Datetime.now(),
                values=values,
                event=event,
            )
        )
        if not rows:
            return
        self.invalidate_model(["date_stop", "state", "duration_hours", "write_uid", "write_date"])
        # working hours: the duration counts the calendar, not the clock
        for timer in self.browse([row[0] for row in rows if row[2]]):
            timer.duration_hours = timer.node_id._duration_hours(
                timer.date_start, timer.date_stop, timer.company_id or self.env.company
            )
        breached = self.env["crm.lead"].browse({row[1] for row in rows if row[3] == "breached"})
        for name in ("sla_breach_count", "sla_overdue"):
            if breached:
                self.env.add_to_compute(breached._fields[name], breached)

    @api.model
    def _start_lead_timers(self, states, nodes):
        """Start the timers of ``nodes`` on the leads (``{lead id: LeadState}``),
        skipping those already running (the open-timer unique index decides):
        one statement."""
        values, deadlines = [], {}
        Team, Company = self.env["crm.team"], self.env["res.company"]
        for lead_id, state in states.items():
            team = Team.browse(state.team_id)
            company = Company.browse(state.company_id) or self.env.company
            for node in nodes:
                if node.company_id and state.company_id and node.company_id != state.company_id:
                    continue
                if node.team_ids and state.team_id not in node.team_ids:
                    continue
                if node.start_event == "stage_entered" and node.stage_id != state.stage_id:
                    continue
                chain = (state.user_id, team.user_id.id, node.user_id)
                if node.responsible == "node_owner":
                    chain = chain[::-1]
                if node.use_working_hours:
                    record = self.env["crm.sla.node"].browse(node.id)
                    deadline = record._deadline(state.at, company, deadlines)
                else:
                    deadline = state.at + timedelta(hours=node.time_limit_hours)
                values.append(
                    SQL(
                        "(%s::int, %s::int, %s::int, %s::int, %s::int,"
                        " %s::timestamp, %s::timestamp, %s::float8, %s::bool)",
                        node.id,
                        lead_id,
                        next((user for user in chain if user), None),
                        state.team_id or None,
                        company.id,
                        state.at,
                        deadline,
                        node.time_limit_hours,
                        node.stop_event == "handoff_accepted",
                    )
                )
        if not values:
            return
        self.flush_model()
        self.env["crm.handoff"].flush_model(["lead_id", "state"])
        now = fields.Datetime.now()
        # A clock waiting for the handoff's acceptance does not start on a lead whose
        # handoff is accepted already (won again, or accepted before the win): nothing
        # would ever stop it.
        self.env.execute_query(
            SQL(
                """
                INSERT INTO crm_sla_timer (node_id, lead_id, user_id, team_id, company_id,
                       date_start, date_deadline, time_limit_hours, state, escalation_level,
                       escalated, duration_hours, create_uid, create_date, write_uid, write_date)
                SELECT v.node_id, v.lead_id, v.user_id, v.team_id, v.company_id, v.date_start,
                       v.date_deadline, v.hours, 'running', '0', FALSE, 0.0,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (VALUES %(values)s) AS v(node_id, lead_id, user_id, team_id, company_id,
                                                date_start, date_deadline, hours, on_handoff)
                  JOIN crm_lead l ON l.id = v.lead_id
                 WHERE NOT (v.on_handoff AND EXISTS (
                           SELECT 1 FROM crm_handoff h
                            WHERE h.lead_id = v.lead_id AND h.state = 'accepted'))
                ON CONFLICT DO NOTHING
                """,
                uid=self.env.uid,
                now=now,
                values=SQL(", ").join(values),
            )
        )
        self.env["crm.lead"].browse(states).invalidate_recordset(["crm_sla_timer_ids"], flush=False)

    @api.model
    def _record_field(self, records):
        return "lead_id" if records._name == "crm.lead" else "complaint_id"

    @api.model
    def _node_matches(self, node, record):
        if node.company_id and record.company_id and node.company_id != record.company_id:
            return False
        if record._name == "crm.complaint":
            return not node.complaint_severity or node.complaint_severity == record.severity
        if node.team_ids and record.team_id not in node.team_ids:
            return False
        return node.start_event != "stage_entered" or node.stage_id == record.stage_id

    @api.model
    def _responsible(self, node, record):
        """Who must complete the node on this record."""
        team = record.team_id if record._name == "crm.lead" else record.lead_id.team_id
        owner_first = [record.user_id, team.user_id, node.user_id]
        node_first = [node.user_id, team.user_id, record.user_id]
        chain = node_first if node.responsible == "node_owner" else owner_first
        return next((user for user in chain if user), self.env["res.users"])

    @api.model
    def _start_timers(self, event, records, start_of=None):
        """Start the timers of the nodes starting on ``event`` for ``records``
        (leads or complaints), skipping those already running."""
        self._apply_lead_events()
        if not records:
            return self.browse()
        nodes = self.env["crm.sla.node"].search([("start_event", "=", event)])
        if "crm.handoff" not in self.env:
            # Without the handoff model nothing could ever stop these clocks.
            nodes = nodes.filtered(lambda n: n.stop_event != "handoff_accepted")
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
                team = record.team_id if record._name == "crm.lead" else record.lead_id.team_id
                vals_list.append(
                    {
                        "node_id": node.id,
                        field_name: record.id,
                        "user_id": self._responsible(node, record).id,
                        "team_id": team.id,
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
    # Scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _cron_check_timers(self, batch_size=500):
        """Every few minutes: cancel the clocks of closed leads, stop those whose
        handoff was accepted, flag breaches and climb the escalation ladder.
        Each step works in committed batches and only on what is left to do, so
        a second run does nothing and an interrupted run is finished by the next."""
        self._apply_lead_events()
        cron = self.env["ir.cron"]
        now = fields.Datetime.now()
        steps = (
            (self._select_closed_record_timers, self._cancel_batch),
            (self._select_accepted_handoff_timers, self._stop_handoff_batch),
            (self._select_late_timers, self._breach_batch),
            (self._select_escalations, self._escalate_batch),
        )
        for select, apply in steps:
            work = select(now)
            cron._commit_progress(remaining=len(work))
            for batch in split_every(batch_size, work, list):
                apply(batch, now)
                if not cron._commit_progress(len(batch)):
                    return False
        return True

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
    def _select_accepted_handoff_timers(self, now):
        """Timers waiting for a handoff already accepted, with the first acceptance
        since they started (NULL: accepted only before they started)."""
        if "crm.handoff" not in self.env:
            return []
        Handoff = self.env["crm.handoff"]
        Handoff.flush_model()
        accepted = SQL("h.write_date")
        if "accepted_date" in Handoff._fields:
            accepted = SQL("COALESCE(h.accepted_date, h.write_date)")
        return self.env.execute_query(
            SQL(
                "SELECT t.id, MIN(%(accepted)s) FILTER (WHERE %(accepted)s >= t.date_start)"
                " FROM crm_sla_timer t"
                " JOIN crm_sla_node n ON n.id = t.node_id"
                " JOIN crm_handoff h ON h.lead_id = t.lead_id AND h.state = 'accepted'"
                " WHERE %(open)s AND n.stop_event = 'handoff_accepted' GROUP BY t.id ORDER BY t.id",
                accepted=accepted,
                open=self._open_timers_sql(),
            )
        )

    @api.model
    def _stop_handoff_batch(self, rows, now):
        """Stop the timers at the acceptance; cancel those started after it (a lead won
        again once its handoff was accepted): they wait for nothing."""
        timers = self.browse([row[0] for row in rows if row[1]])
        self._stop(dict(zip(timers, [row[1] for row in rows if row[1]], strict=True)))
        self._cancel_batch([row for row in rows if not row[1]], now)

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
            record = timer.lead_id or timer.complaint_id
            if not record:  # its lead or complaint was deleted since
                continue
            team = record.team_id if record._name == "crm.lead" else record.lead_id.team_id
            target = timer.node_id.escalation_user_id or team.user_id
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
        self.env["mail.activity"].create(activities)
        for (model, user_id), record_ids in reassign.items():
            self.env[model].browse(record_ids).write({"user_id": user_id})
        by_level = defaultdict(list)
        for timer in timers:
            by_level[str(target_level[timer.id])].append(timer.id)
        for level, timer_ids in by_level.items():
            self.browse(timer_ids).write({"escalation_level": level})

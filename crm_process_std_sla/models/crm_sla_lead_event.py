# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import namedtuple
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Lead events queued in the transaction (see CrmSlaLeadEvent._queue), and the
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


class CrmSlaLeadEvent(models.AbstractModel):
    """The clocks of leads, started and stopped by the events of the leads.

    Lead events are queued when they happen (no query: the lead, its owner, team,
    company and stage are noted then) and applied set-based, once per transaction,
    at explicit points: before the transaction commits (a pre-commit hook), when the
    scheduled check runs, or when timers are created or changed (``create``,
    ``write``, ``_start_timers``, ``_stop_timers`` of ``crm.sla.timer``). Reading
    timers never applies them. A mass assignment of a thousand leads costs a few
    statements, not a few queries per lead. Each event keeps its own time and the
    nodes in force."""

    _name = "crm.sla.lead.event"
    _description = "Lead Events of SLA Timers"

    @api.model
    def _snapshot(self, leads, vals):
        """Owner and stage of leads before a write that may change them."""
        if not ({"user_id", "stage_id"} & vals.keys()) or not self._listened():
            return {}
        return {lead.id: (lead.user_id.id, lead.stage_id.id) for lead in leads}

    @api.model
    def _on_leads_created(self, leads):
        self._queue("created", leads)
        self._queue("entered", leads.filtered("stage_id"))
        self._queue("assigned", leads.filtered("user_id"))

    @api.model
    def _on_leads_written(self, leads, snapshot):
        assigned = leads.filtered(lambda l: l.user_id and l.user_id.id != snapshot[l.id][0])
        self._queue("assigned", assigned)
        moved = leads.filtered(lambda l: l.stage_id.id != snapshot[l.id][1])
        self._queue("moved", moved, stage_of={lead.id: snapshot[lead.id][1] for lead in moved})

    @api.model
    def _listened(self, kind=None):
        """Whether an active lead node starts or stops on the events of ``kind``."""
        kinds = [kind] if kind else list(LEAD_EVENT_STEPS)
        events = {event for name in kinds for _op, event in LEAD_EVENT_STEPS[name]}
        return any(
            node.start_event in events or node.stop_event in events
            for node in self.env["crm.sla.node"]._lead_nodes()
        )

    @api.model
    def _queue(self, kind, leads, stage_of=None):
        """Note the event ``kind`` of ``leads`` (the leads the caller just created or
        wrote); ``stage_of``: {lead id: stage id left} of moved leads."""
        if not leads or not self._listened(kind):
            return
        precommit = self.env.cr.precommit
        queue = precommit.data.get(LEAD_EVENT_QUEUE)
        if queue is None:
            queue = precommit.data[LEAD_EVENT_QUEUE] = []
            # applied as superuser: the events come from the caller's create/write of
            # these leads (access checked by the ORM), the clocks are flow records
            precommit.add(self.sudo()._apply)
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
    def _forget(self, lead_ids):
        """Deleted leads have no clocks to start or stop."""
        for entry in self.env.cr.precommit.data.get(LEAD_EVENT_QUEUE) or []:
            for lead_id in lead_ids:
                entry["leads"].pop(lead_id, None)

    @api.model
    def _apply(self):
        """Apply the lead events queued in this transaction, in the order they happened
        (see ``crm.sla.timer._apply_lead_events``)."""
        queue = self.env.cr.precommit.data.pop(LEAD_EVENT_QUEUE, None)
        # events queued by the caller's own lead writes (see _queue)
        events = self.sudo()
        for entry in queue or ():
            states = entry["leads"]
            for operation, event in LEAD_EVENT_STEPS[entry["kind"]]:
                if event == "stage_entered":
                    states = {key: state for key, state in states.items() if state.stage_id}
                if not states:
                    continue
                if operation == "stop":
                    if any(node.stop_event == event for node in entry["nodes"]):
                        events._stop_timers(event, states, entry["stage_of"])
                else:
                    starting = [node for node in entry["nodes"] if node.start_event == event]
                    if starting:
                        events._start_timers(states, starting)

    @api.model
    def _stop_timers(self, event, states, stage_of):
        """Stop the open timers of the leads (``{lead id: LeadState}``) whose node
        stops on ``event``: one statement; the ORM then recomputes the durations and
        the leads' SLA flags."""
        # SQL on the clocks of leads whose events were queued by a checked lead write
        Timer = self.env["crm.sla.timer"]
        Timer.flush_model()
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
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM (VALUES %(values)s) AS v(lead_id, at, stage_id), crm_sla_node n
                 WHERE t.lead_id = v.lead_id AND n.id = t.node_id AND t.date_stop IS NULL
                   AND n.stop_event = %(event)s
                   AND (n.stop_event != 'stage_left' OR n.stage_id = v.stage_id)
             RETURNING t.id
                """,
                uid=self.env.uid,
                now=fields.Datetime.now(),
                values=values,
                event=event,
            )
        )
        Timer.browse([row[0] for row in rows])._written_in_sql(["date_stop", "state"])

    @api.model
    def _start_condition(self):
        """SQL condition a new lead clock must meet to start, on ``v`` (the values of
        the clock: node_id, lead_id...) and ``n`` (its node). Bridges add theirs."""
        return SQL("TRUE")

    @api.model
    def _start_timers(self, states, nodes):
        """Start the timers of ``nodes`` on the leads (``{lead id: LeadState}``),
        skipping those already running (the open-timer unique index decides) and the
        leads deleted since: one statement."""
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
                        " %s::timestamp, %s::timestamp, %s::float8)",
                        node.id,
                        lead_id,
                        next((user for user in chain if user), None),
                        state.team_id or None,
                        company.id,
                        state.at,
                        deadline,
                        node.time_limit_hours,
                    )
                )
        if not values:
            return
        Timer = self.env["crm.sla.timer"]
        Timer.flush_model()
        condition = self._start_condition()
        now = fields.Datetime.now()
        # The computed columns get the values of a clock that just started; the ORM
        # recomputes them below all the same.
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO crm_sla_timer (node_id, lead_id, user_id, team_id, company_id,
                       date_start, date_deadline, time_limit_hours, state, escalation_level,
                       escalated, duration_hours, create_uid, create_date, write_uid, write_date)
                SELECT v.node_id, v.lead_id, v.user_id, v.team_id, v.company_id, v.date_start,
                       v.date_deadline, v.hours, 'running', '0', FALSE, 0.0,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (VALUES %(values)s) AS v(node_id, lead_id, user_id, team_id, company_id,
                                                date_start, date_deadline, hours)
                  JOIN crm_lead l ON l.id = v.lead_id
                  JOIN crm_sla_node n ON n.id = v.node_id
                 WHERE %(condition)s
                ON CONFLICT DO NOTHING
             RETURNING id
                """,
                uid=self.env.uid,
                now=now,
                values=SQL(", ").join(values),
                condition=condition,
            )
        )
        started = Timer.browse([row[0] for row in rows])
        for name in ("duration_hours", "escalated"):
            self.env.add_to_compute(Timer._fields[name], started)
        # a running clock changes no SLA flag of its lead, only the list of its clocks
        self.env["crm.lead"].browse(states).invalidate_recordset(["crm_sla_timer_ids"], flush=False)

"""Simulated staff of setup/load.sh, over JSON-RPC as Odoo's web client calls it.

Environment (set by setup/load.sh): LOAD_SIDE (addons / vanilla), LOAD_DB, LOAD_SETUP
(the JSON written by prepare.py), LOAD_STATS (where the outcomes are written),
LOAD_MAX_REQUESTS (the run stops after that many requests), LOAD_WARMUP (seconds
at the start whose actions are not counted: logins, first reads of each worker).

Both sides run the same generic actions (open the pipeline, open a lead, create a lead,
move it to the next stage, win it, the pipeline pivot); on the addons' side the same
users also work the process: leads of gated teams moved into gated stages (refusals
expected), follow-ups logged, approvals requested and decided, handoffs submitted,
accepted or rejected, the health kanban and pivot, the KPI pivot. On vanilla CRM the
same staff do the same work with what vanilla CRM offers (the baseline is what they
would otherwise have, at the same pace): a follow-up is a note in the chatter, an
approval request, a decision or a handoff a message on the deal, a gated move a plain
move, the health and KPI views the customers kanban and the pipeline pivot.
"""

import itertools
import json
import os
import random
import time

from locust import HttpUser, between, events, task
from webclient import STATS, Skip, WebClient, view_spec

SIDE = os.environ.get("LOAD_SIDE", "addons")
DB = os.environ.get("LOAD_DB", "")
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "50000"))
WARMUP = float(os.environ.get("LOAD_WARMUP", "0"))
with open(os.environ["LOAD_SETUP"], encoding="utf-8") as setup_file:
    SETUP = json.load(setup_file)
PROCESS = SIDE == "addons"
NEXT_LOGIN = {role: itertools.count() for role in SETUP["logins"]}
OPEN_STAGES = SETUP["open_stages"]


@events.test_start.add_listener
def _started(**_kwargs):
    STATS.started = time.time()
    STATS.warmup = WARMUP


@events.test_stop.add_listener
def _stopped(**_kwargs):
    STATS.stopped = time.time()
    with open(os.environ["LOAD_STATS"], "w", encoding="utf-8") as out:
        json.dump({"side": SIDE, **STATS.as_json()}, out)


class Staff(HttpUser):
    abstract = True
    role = None
    wait_time = between(0.5, 2.5)

    def on_start(self):
        self.web = WebClient(self.client, on_request=self._bounded)
        logins = SETUP["logins"][self.role]
        login = logins[next(NEXT_LOGIN[self.role]) % len(logins)]
        with self.web.action("log in"):
            self.web.authenticate(DB, login, SETUP["password"])
        self.leads = {}

    def _bounded(self):
        if STATS.requests >= MAX_REQUESTS:
            self.environment.runner.quit()

    # --- generic: the same on both sides ---------------------------------------------
    def _pipeline(self, name, domain):
        with self.web.action(name):
            spec = view_spec(self.web, "crm.lead", "kanban")
            result = self.web.call(
                "crm.lead",
                "web_read_group",
                domain,
                ["stage_id"],
                ["expected_revenue:sum"],
                auto_unfold=True,
                unfold_read_specification=spec,
                unfold_read_default_limit=80,
            )
            self.leads = {
                record["id"]: record
                for group in result["groups"]
                for record in group.get("__records", ())
            }

    def _my_leads(self, team, stages):
        return [
            lead
            for lead in self.leads.values()
            if (lead.get("team_id") or {}).get("id") == team
            and (lead.get("stage_id") or {}).get("id") in stages
        ]

    def _pick(self, leads):
        if not leads:
            raise Skip
        return random.choice(leads)

    def _post(self, lead_id, body, note=False):
        """A message (or an internal note) in a deal's chatter, as the web client's
        composer posts it: vanilla CRM's way to log, ask, decide and hand over."""
        self.web.call(
            "crm.lead",
            "message_post",
            [lead_id],
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_note" if note else "mail.mt_comment",
        )

    def _open_deal(self, domain, order):
        """Open one of the deals of ``domain`` (list, then form), as staff find it."""
        deals = self.web.call(
            "crm.lead",
            "web_search_read",
            domain,
            view_spec(self.web, "crm.lead", "list"),
            limit=20,
            order=order,
        )["records"]
        deal = self._pick(deals)
        self.web.call("crm.lead", "web_read", [deal["id"]], view_spec(self.web, "crm.lead", "form"))
        return deal


class Salesperson(Staff):
    role = "sales"
    weight = 6

    @task(3)
    def open_pipeline(self):
        self._pipeline(
            "open pipeline", [("type", "=", "opportunity"), ("user_id", "=", self.web.uid)]
        )

    @task(2)
    def open_lead(self):
        with self.web.action("open lead"):
            lead = self._pick(list(self.leads.values()))
            self.web.call(
                "crm.lead", "web_read", [lead["id"]], view_spec(self.web, "crm.lead", "form")
            )

    @task(2)
    def create_lead(self):
        with self.web.action("create lead"):
            self.web.call(
                "crm.lead",
                "web_save",
                [],
                {
                    "name": f"Load deal {random.randint(1, 10**6)}",
                    "type": "opportunity",
                    "partner_id": random.choice(SETUP["partners"]),
                    "expected_revenue": random.randint(5, 90) * 1000,
                    "team_id": SETUP["sales_team"],
                    "user_id": self.web.uid,
                    "stage_id": OPEN_STAGES[0],
                },
                {"display_name": {}, "stage_id": {"fields": {"display_name": {}}}},
            )

    @task(3)
    def move_stage(self):
        with self.web.action("move stage"):
            lead = self._pick(self._my_leads(SETUP["sales_team"], OPEN_STAGES))
            position = OPEN_STAGES.index(lead["stage_id"]["id"])
            target = OPEN_STAGES[(position + 1) % len(OPEN_STAGES)]
            self._save_stage(lead, target)

    def _save_stage(self, lead, target):
        records = self.web.call(
            "crm.lead",
            "web_save",
            [lead["id"]],
            {"stage_id": target},
            view_spec(self.web, "crm.lead", "kanban"),
        )
        self.leads[lead["id"]] = records[0]

    @task(1)
    def win(self):
        with self.web.action("win"):
            lead = self._pick(self._my_leads(SETUP["sales_team"], OPEN_STAGES[-1:]))
            self.web.button("crm.lead", "action_set_won_rainbowman", [lead["id"]])
            self.leads.pop(lead["id"], None)

    # --- the process (addons only) ------------------------------------------------------
    @task(1)
    def create_gated_lead(self):
        with self.web.action("create lead (gated team)"):
            approval = PROCESS and random.random() < 0.5
            values = {
                "name": f"Load gated deal {random.randint(1, 10**6)}",
                "type": "opportunity",
                "user_id": self.web.uid,
                "stage_id": OPEN_STAGES[0],
            }
            if approval:
                low = SETUP["approval_amounts"][0] if SETUP["approval_amounts"] else 100000
                values.update(
                    team_id=SETUP["approval_team"],
                    partner_id=random.choice(SETUP["partners"]),
                    expected_revenue=random.choice([low * 1.2, low * 2, low * 6]),
                )
            else:
                # now and then a customer without industry (the won gate) or without
                # phone (the lead takes its customer's; the proposal gate): refusals
                # (vanilla CRM: the same deal, in its only team)
                partners = SETUP["partners"]
                if random.random() < 0.2 and SETUP["partners_without_industry"]:
                    partners = SETUP["partners_without_industry"]
                values.update(
                    team_id=SETUP["requirement_team"] if PROCESS else SETUP["sales_team"],
                    partner_id=random.choice(partners),
                    expected_revenue=random.randint(10, 95) * 1000,
                )
            self.web.call(
                "crm.lead",
                "web_save",
                [],
                values,
                {"display_name": {}, "stage_id": {"fields": {"display_name": {}}}},
            )

    def _gated_leads(self):
        if not PROCESS:
            sales = self._my_leads(SETUP["sales_team"], OPEN_STAGES)
            return [(lead, OPEN_STAGES) for lead in sales]
        return [
            (lead, SETUP["requirement_stages"])
            for lead in self._my_leads(SETUP["requirement_team"], OPEN_STAGES)
        ] + [
            (lead, SETUP["approval_stages"])
            for lead in self._my_leads(SETUP["approval_team"], SETUP["approval_stages"])
        ]

    @task(3)
    def move_gated(self):
        with self.web.action("move stage (gated)", may_refuse=True):
            lead, stages = self._pick(self._gated_leads())
            open_stages = [stage for stage in stages if stage in OPEN_STAGES]
            position = open_stages.index(lead["stage_id"]["id"])
            if position + 1 >= len(open_stages):
                raise Skip
            self._save_stage(lead, open_stages[position + 1])

    @task(1)
    def complete_lead(self):
        with self.web.action("complete lead"):
            team = SETUP["requirement_team"] if PROCESS else SETUP["sales_team"]
            lead = self._pick(self._my_leads(team, OPEN_STAGES))
            if self.web.call("crm.lead", "web_read", [lead["id"]], {"phone": {}})[0]["phone"]:
                raise Skip
            records = self.web.call(
                "crm.lead",
                "web_save",
                [lead["id"]],
                {"phone": "+86 21 6288 0177"},
                view_spec(self.web, "crm.lead", "kanban"),
            )
            self.leads[lead["id"]] = records[0]

    @task(1)
    def request_approval(self):
        with self.web.action("request approval", may_refuse=True):
            if not PROCESS:
                lead = self._pick(self._my_leads(SETUP["sales_team"], OPEN_STAGES))
                self._post(lead["id"], "Please approve this deal: margin and terms attached.")
                return
            lead = self._pick(self._my_leads(SETUP["approval_team"], OPEN_STAGES))
            state = self.web.call("crm.lead", "web_read", [lead["id"]], {"approval_state": {}})
            if state[0]["approval_state"] not in ("to_request", "rejected"):
                raise Skip
            self.web.button("crm.lead", "action_request_approval", [lead["id"]])

    @task(1)
    def win_gated(self):
        with self.web.action("win (gated team)", may_refuse=True):
            lead, _stages = self._pick(
                [
                    (lead, stages)
                    for lead, stages in self._gated_leads()
                    if lead["stage_id"]["id"] == OPEN_STAGES[-1]
                ]
            )
            self.web.button("crm.lead", "action_set_won_rainbowman", [lead["id"]])
            self.leads.pop(lead["id"], None)

    @task(2)
    def log_followup(self):
        with self.web.action("log follow-up"):
            lead = self._pick(list(self.leads.values()))
            if not PROCESS:
                self._post(
                    lead["id"],
                    "Phone: the customer asked for a revised quotation; walked through the "
                    "proposal. Next: send the revised quotation.",
                    note=True,
                )
                return
            partner = (lead.get("partner_id") or {}).get("id") or False
            self.web.call(
                "crm.followup",
                "web_save",
                [],
                {
                    "lead_id": lead["id"],
                    "partner_id": partner,
                    "previous_conclusion": "The customer asked for a revised quotation",
                    "channel": random.choice(["phone", "email", "visit"]),
                    "value_delivered": "Walked through the proposal",
                    "next_step": "Send the revised quotation",
                },
                {"display_name": {}},
                context={"default_lead_id": lead["id"]},
            )

    @task(2)
    def submit_handoff(self):
        with self.web.action("submit handoff"):
            if not PROCESS:
                deal = self._open_deal(
                    [("won_status", "=", "won"), ("user_id", "=", self.web.uid)],
                    "date_closed desc",
                )
                self._post(deal["id"], "Handing this customer over to after-sales: see the deal.")
                return
            handoffs = self.web.call(
                "crm.handoff",
                "web_search_read",
                [("state", "in", ["draft", "rejected"]), ("sender_id", "=", self.web.uid)],
                {"display_name": {}, "state": {}},
                limit=10,
            )["records"]
            handoff = self._pick(handoffs)
            self.web.button("crm.handoff", "action_submit", [handoff["id"]])

    @task(1)
    def move_to_onboarding(self):
        if not PROCESS or not SETUP["handoff_stage"]:
            return
        with self.web.action("move stage (handoff gate)", may_refuse=True):
            won = self._my_leads(SETUP["approval_team"], [SETUP["approval_won"]])
            won += self._my_leads(SETUP["sales_team"], [SETUP["won_stage"]])
            lead = self._pick(
                [lead for lead in won if lead["stage_id"]["id"] != SETUP["handoff_stage"]]
            )
            self._save_stage(lead, SETUP["handoff_stage"])


class AfterSales(Staff):
    role = "after_sales"
    weight = 2

    @task(2)
    def open_won_deals(self):
        with self.web.action("open won deals"):
            spec = view_spec(self.web, "crm.lead", "list")
            self.web.call(
                "crm.lead",
                "web_search_read",
                [("won_status", "=", "won")],
                spec,
                limit=80,
                order="date_closed desc",
            )

    def _submitted(self):
        handoffs = self.web.call(
            "crm.handoff",
            "web_search_read",
            [("state", "=", "submitted")],
            {"display_name": {}, "state": {}},
            limit=20,
            order="deadline desc, id desc",
        )["records"]
        return self._pick(handoffs)

    def _acknowledge(self, body):
        """Vanilla CRM: after-sales open a deal won lately and answer in its chatter."""
        deal = self._open_deal([("won_status", "=", "won")], "date_closed desc")
        self._post(deal["id"], body)

    @task(3)
    def accept_handoff(self):
        with self.web.action("accept handoff", may_refuse=True):
            if not PROCESS:
                self._acknowledge("Received: after-sales takes it from here.")
                return
            handoff = self._submitted()
            spec = {
                "checklist_line_ids": {"fields": {"is_done": {}, "required": {}, "name": {}}},
                "state": {},
            }
            record = self.web.call("crm.handoff", "web_read", [handoff["id"]], spec)[0]
            ticks = [
                [1, line["id"], {"is_done": True}]
                for line in record["checklist_line_ids"]
                if line["required"] and not line["is_done"]
            ]
            if ticks:
                self.web.call(
                    "crm.handoff",
                    "web_save",
                    [handoff["id"]],
                    {"checklist_line_ids": ticks},
                    {"display_name": {}},
                )
            self._decide(handoff, "accept", {"quality_rating": random.choice("345")})

    @task(1)
    def reject_handoff(self):
        with self.web.action("reject handoff", may_refuse=True):
            if not PROCESS:
                self._acknowledge("The delivery address is missing.")
                return
            handoff = self._submitted()
            self._decide(
                handoff, "reject", {"rejection_reason": "The delivery address is missing."}
            )

    def _decide(self, handoff, decision, values):
        action = self.web.button(
            "crm.handoff",
            "action_open_decision",
            [handoff["id"]],
            context={"handoff_decision": decision},
        )
        wizard = self.web.call(
            "crm.handoff.decision",
            "web_save",
            [],
            {"handoff_id": handoff["id"], "decision": decision, **values},
            {"display_name": {}},
            context=action["context"],
        )
        self.web.button(
            "crm.handoff.decision", "action_confirm", [wizard[0]["id"]], context=action["context"]
        )


class Manager(Staff):
    role = "manager"
    weight = 2

    @task(2)
    def open_team_pipeline(self):
        self._pipeline("open pipeline (team)", [("type", "=", "opportunity")])

    @task(2)
    def pipeline_pivot(self):
        with self.web.action("pipeline pivot"):
            self.web.call(
                "crm.lead",
                "formatted_read_grouping_sets",
                [("type", "=", "opportunity")],
                [[], ["stage_id"], ["user_id"], ["stage_id", "user_id"]],
                ["__count", "expected_revenue:sum"],
            )

    @task(3)
    def approve_deal(self):
        with self.web.action("approve deal", may_refuse=True):
            if not PROCESS:
                # vanilla CRM: the manager opens a large open deal and answers in its chatter
                deal = self._open_deal(
                    [("type", "=", "opportunity"), ("won_status", "=", "pending")],
                    "expected_revenue desc",
                )
                self._post(deal["id"], "Approved: margin checked.")
                return
            approvals = self.web.call(
                "crm.lead.approval",
                "web_search_read",
                [("state", "=", "pending"), ("can_approve", "=", True)],
                {"display_name": {}, "lead_id": {"fields": {"display_name": {}}}},
                limit=20,
            )["records"]
            approval = self._pick(approvals)
            decision = "reject" if random.random() < 0.1 else "approve"
            action = self.web.button(
                "crm.lead.approval",
                "action_open_decision",
                [approval["id"]],
                context={"approval_decision": decision},
            )
            wizard = self.web.call(
                "crm.lead.approval.decision",
                "web_save",
                [],
                {
                    "approval_id": approval["id"],
                    "decision": decision,
                    "comment": "Margin checked." if decision == "approve" else "Margin too low.",
                },
                {"display_name": {}},
                context=action["context"],
            )
            self.web.button(
                "crm.lead.approval.decision",
                "action_confirm",
                [wizard[0]["id"]],
                context=action["context"],
            )

    @task(1)
    def health_kanban(self):
        with self.web.action("health kanban"):
            if not PROCESS:
                # vanilla CRM: the customers kanban
                self.web.call(
                    "res.partner",
                    "web_search_read",
                    [("is_company", "=", True)],
                    view_spec(self.web, "res.partner", "kanban"),
                    limit=40,
                )
                return
            self.web.call(
                "crm.health.score",
                "web_read_group",
                [],
                ["risk_level"],
                ["__count"],
                auto_unfold=True,
                unfold_read_specification=view_spec(self.web, "crm.health.score", "kanban"),
                unfold_read_default_limit=40,
            )

    @task(1)
    def health_pivot(self):
        with self.web.action("health pivot"):
            if not PROCESS:
                self._lead_report(["user_id"])
                return
            self.web.call(
                "crm.health.score",
                "formatted_read_grouping_sets",
                [],
                [[], ["risk_level"], ["user_id"], ["risk_level", "user_id"]],
                ["__count", "score:avg"],
            )

    def _lead_report(self, rows):
        """Vanilla CRM's reporting: the pipeline pivot by month and ``rows``."""
        self.web.call(
            "crm.lead",
            "formatted_read_grouping_sets",
            [],
            [[], ["create_date:month"], rows, ["create_date:month", *rows]],
            ["__count", "expected_revenue:sum", "prorated_revenue:sum"],
        )

    @task(1)
    def kpi_pivot(self):
        with self.web.action("KPI pivot"):
            if not PROCESS:
                self._lead_report(["team_id"])
                return
            self.web.call(
                "crm.kpi.report",
                "formatted_read_grouping_sets",
                [],
                [[], ["date:month"], ["team_id"], ["date:month", "team_id"]],
                [
                    "lead_count:sum",
                    "won_count:sum",
                    "conversion_rate:avg",
                    "handoff_ontime_rate:avg",
                    "sla_breach_rate:avg",
                ],
            )

"""JSON-RPC as Odoo's web client calls it, timed per user action (for locustfile.py).

An *action* is what a user does and waits for (open the pipeline, move a lead, accept a
handoff): one or a few requests. Each ends as one of:

- ``ok``;
- ``refused``: a UserError / ValidationError of an action that may meet a gate (a
  stage requirement, a missing approval, a handoff not accepted yet, a colleague who
  decided first); the user reads the message, nothing is wrong;
- ``failed``: anything else (an access error, a server error, a serialization failure
  that reached the user, a refusal of an action no gate concerns, a timeout).
"""

import math
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

REFUSALS = ("odoo.exceptions.UserError", "odoo.exceptions.ValidationError")
# A database constraint violated by two concurrent transactions, which Odoo answers as a
# ValidationError: not a gate's answer.
INTEGRITY_ERROR = "The operation cannot be completed"


class RpcFault(Exception):
    """An error answered by the server (``name``: the exception's class path)."""

    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message
        self.refusal = name in REFUSALS and not message.startswith(INTEGRITY_ERROR)


class Skip(Exception):
    """Nothing to do for this action now (e.g. no lead to move): not counted."""


class Stats:
    """Outcomes and latencies per action, for the whole Locust process."""

    def __init__(self):
        self.latencies = defaultdict(list)  # action -> ms of ok and refused actions
        self.counts = defaultdict(Counter)  # action -> outcome -> count
        self.samples = defaultdict(Counter)  # (action, outcome) -> first line of error
        self.requests = 0
        self.started = self.stopped = None
        self.warmup = 0.0  # seconds after the start whose actions are not counted

    def measuring(self):
        return self.started is not None and time.time() >= self.started + self.warmup

    def record(self, action, outcome, elapsed_ms, sample=None):
        if not self.measuring():
            return
        self.counts[action][outcome] += 1
        if outcome != "failed":
            self.latencies[action].append(elapsed_ms)
        if sample:
            self.samples[action, outcome][sample[:160]] += 1

    def as_json(self):
        return {
            "started": self.started + self.warmup if self.started else None,
            "stopped": self.stopped,
            "requests": self.requests,
            "actions": {
                action: {
                    "ok": counts["ok"],
                    "refused": counts["refused"],
                    "failed": counts["failed"],
                    "latencies_ms": sorted(self.latencies[action]),
                    "refusals": dict(self.samples[action, "refused"].most_common(8)),
                    "failures": dict(self.samples[action, "failed"].most_common(8)),
                }
                for action, counts in sorted(self.counts.items())
            },
        }


STATS = Stats()


class Action:
    """``with client.action("move stage", may_refuse=True):`` times the requests made
    inside and records the outcome; exceptions are classified, never raised."""

    def __init__(self, client, name, may_refuse):
        self.client = client
        self.name = name
        self.may_refuse = may_refuse
        self.elapsed = 0.0

    def __enter__(self):
        self.client.current = self
        return self

    def __exit__(self, exc_type, exc, _tb):
        self.client.current = None
        ms = self.elapsed * 1000
        if exc_type is not None and not issubclass(exc_type, Exception):
            return False  # the run stops this user (GreenletExit): not an outcome
        if exc_type is None:
            STATS.record(self.name, "ok", ms)
        elif issubclass(exc_type, Skip):
            pass
        elif isinstance(exc, RpcFault) and exc.refusal and self.may_refuse:
            STATS.record(self.name, "refused", ms, exc.message.splitlines()[0])
        elif isinstance(exc, RpcFault):
            STATS.record(self.name, "failed", ms, f"{exc.name}: {exc.message.splitlines()[0]}")
        else:
            STATS.record(self.name, "failed", ms, f"{exc_type.__name__}: {exc}")
        return True


class WebClient:
    """A logged-in web client session of one simulated user (Locust's HttpSession)."""

    def __init__(self, http, on_request=None):
        self.http = http
        self.on_request = on_request
        self.current = None
        self.uid = None
        self.context = {}

    def action(self, name, may_refuse=False):
        return Action(self, name, may_refuse)

    def _post(self, path, params, name):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        if STATS.measuring():
            STATS.requests += 1
        if self.on_request:
            self.on_request()
        started = time.perf_counter()
        with self.http.post(path, json=payload, name=name, catch_response=True) as response:
            elapsed = time.perf_counter() - started
            if self.current is not None:
                self.current.elapsed += elapsed
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                raise RpcFault(f"HTTP {response.status_code}", response.text[:200] or "-")
            try:
                body = response.json()
            except ValueError:
                response.failure("not JSON")
                raise RpcFault("not JSON", response.text[:200]) from None
            error = body.get("error")
            if not error:
                response.success()
                return body.get("result")
            data = error.get("data") or {}
            fault = RpcFault(data.get("name") or error.get("message"), data.get("message") or "")
            if fault.refusal and self.current is not None and self.current.may_refuse:
                response.success()  # a gate's answer: expected
            else:
                response.failure(str(fault)[:200])
            raise fault

    def authenticate(self, db, login, password):
        result = self._post(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
            "/web/session/authenticate",
        )
        if not result or not result.get("uid"):
            raise RpcFault("login refused", login)
        self.uid = result["uid"]
        self.context = dict(result.get("user_context") or {})
        return result

    def call(self, model, method, *args, context=None, **kwargs):
        kwargs["context"] = {**self.context, **(context or {})}
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            f"{model}.{method}",
        )

    def button(self, model, method, ids, context=None):
        return self._post(
            f"/web/dataset/call_button/{model}/{method}",
            {
                "model": model,
                "method": method,
                "args": [ids],
                "kwargs": {"context": {**self.context, **(context or {})}},
            },
            f"button {model}.{method}",
        )


# --- Specifications of the views, as the web client derives them --------------------
VIEW_SPECS = {}  # (model, view type) -> (specification, fields), shared by the users


def _spec_for(node, fields):
    spec = {}
    for element in node.iter("field"):
        name = element.get("name")
        if name not in fields or name in spec:
            continue
        ftype = fields[name]["type"]
        if ftype == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif ftype in ("one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}, "limit": 40}
        else:
            spec[name] = {}
    return spec


def _outer_fields(root):
    """The view's own fields (not those of the sub-views of its x2many fields)."""
    holder = ET.Element("view")
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node:
            if child.tag == "field":
                holder.append(ET.Element("field", name=child.get("name")))
            else:
                stack.append(child)
    return holder


def view_spec(client, model, view_type):
    """The read specification of ``model``'s default ``view_type`` view (get_views once
    per Locust process, as the web client caches views)."""
    key = (model, view_type)
    if key not in VIEW_SPECS:
        result = client.call(model, "get_views", [[False, view_type]], options={})
        fields = result["models"][model]["fields"]
        arch = result["views"][view_type]["arch"]
        spec = _spec_for(_outer_fields(ET.fromstring(arch)), fields)
        spec.setdefault("display_name", {})
        VIEW_SPECS[key] = (spec, fields)
    return VIEW_SPECS[key][0]


def percentile(values, share):
    """Nearest-rank percentile of sorted ``values`` (``share`` in 0..1)."""
    if not values:
        return None
    rank = max(1, math.ceil(share * len(values)))
    return values[rank - 1]

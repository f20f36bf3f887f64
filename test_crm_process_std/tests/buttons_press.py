"""Press the buttons of buttons_catalog.py the way the web client does.

Each button is pressed over HTTP by a user it is shown to, on a record on which it is
visible, with the context the web client sends (the user's context, the context of the
action that opens the view, the button's own context), then the action it returns is
opened as the web client opens it. Every press runs in a savepoint rolled back after
it: each button, in each language, starts from the demo database as it is.
"""

import ast
import datetime
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import time as safe_time

# Refusals the web client shows as a message (anything else is a crash).
REFUSALS = {
    "odoo.exceptions.AccessError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.RedirectWarning",
}
# Roles of access_matrix_data.py, least privileged first: a button is pressed by
# the first role it is shown to that can open its view and sees a record showing it.
ROLE_LADDER = (
    "salesperson_own",
    "salesperson_all",
    "after_sales",
    "customer_success",
    "sales_manager",
    "director",
    "process_admin",
    "administrator",
)
CANDIDATES = 200  # records looked at to find one on which a button is visible
MAX_ATTEMPTS = 8  # presses of one button refused before its refusal is the outcome
SELECTION = 3  # records selected in a list before pressing one of its header buttons
VIEW_TYPES_WITH_RECORDS = ("list", "kanban", "form")
# Context keys of one view the web client drops before opening the action a button
# returns (CTX_KEY_REGEX of its action service).
VIEW_KEYS = re.compile(
    r"^(?:(?:default_|search_default_|show_).+|.+_view_ref|group_by|active_id|active_ids|orderedBy)$"
)
CLIENT_NAMES = {"True", "False", "None", "true", "false"}


class Unevaluable(Exception):
    """An expression of the view this test cannot evaluate as the web client would."""


class Refused(Exception):
    """The server refused with a message the web client shows (not a crash)."""


class Crash(Exception):
    """Anything the web client shows as "Oops! Something went wrong"."""


@dataclass
class Outcome:
    button: object
    lang: str
    status: str  # pressed, refused, crashed, bad_action, skipped, unreached
    role: str = ""
    record: str = ""
    detail: str = ""
    ids: list = field(default_factory=list, repr=False)
    opener: object = field(default=None, repr=False)  # how its dialog was opened
    action: dict = field(default=None, repr=False)

    def line(self):
        who = f" as {self.role}" if self.role else ""
        on = f" on {self.record}" if self.record else ""
        return f"{self.button} [{self.lang}]{who}{on}: {self.detail}"


@dataclass
class Opener:
    """A way to open a dialog (wizard, settings): how the web client gets there."""

    label: str
    role: str
    replay: object  # callable() -> (action dict, context) run in the pressing session
    order: int = 0


def names_of(expression):
    return {
        node.id
        for node in ast.walk(ast.parse(expression.strip(), mode="eval"))
        if isinstance(node, ast.Name)
    }


def client_value(record, name):
    """A field value as the web client holds it in its evaluation context."""
    fld = record._fields[name]
    value = record[name]
    if fld.type == "many2one":
        return value.id or False
    if fld.type in ("one2many", "many2many"):
        return value.ids
    if fld.type == "date":
        return fields.Date.to_string(value) if value else False
    if fld.type == "datetime":
        return fields.Datetime.to_string(value) if value else False
    if fld.type in ("monetary", "float", "integer", "boolean", "selection", "char", "text"):
        return value
    return value or False


def evaluate(expression, context, record=None, values=None):
    """Evaluate a view expression (``invisible``, ``context``...) as the web client does:
    field values of ``record`` (or ``values``), ``context``, ``uid``, ``id``..."""
    if not expression:
        return False
    namespace = {
        "context": context,
        "uid": context.get("uid"),
        "allowed_company_ids": context.get("allowed_company_ids", []),
        "current_company_id": (context.get("allowed_company_ids") or [False])[0],
        "active_id": context.get("active_id", False),
        "active_ids": context.get("active_ids", []),
        "active_model": context.get("active_model", False),
        "time": safe_time,
        "datetime": safe_datetime,
        "relativedelta": relativedelta,
        "context_today": lambda: datetime.date.today(),
        "today": fields.Date.to_string(datetime.date.today()),
        "now": fields.Datetime.to_string(fields.Datetime.now()),
        "current_date": fields.Date.to_string(datetime.date.today()),
    }
    for name in names_of(expression) - CLIENT_NAMES - set(namespace):
        if name == "id":
            namespace["id"] = record.id if record else (values or {}).get("id", False)
        elif name == "parent":
            raise Unevaluable(f"{expression!r} reads the parent record")
        elif values is not None and name in values:
            namespace[name] = values[name]
        elif record is not None and name in record._fields:
            try:
                namespace[name] = client_value(record, name)
            except Exception as error:
                raise Unevaluable(f"{expression!r}: {name} unreadable ({error})") from error
        else:
            raise Unevaluable(f"{expression!r}: unknown name {name!r}")
    namespace.update(true=True, false=False)
    try:
        return safe_eval(expression, namespace)
    except Exception as error:
        raise Unevaluable(f"{expression!r}: {error}") from error


def top_level_fields(arch):
    """(name, node) of the fields of a view arch outside its embedded subviews."""
    root = etree.fromstring(arch.encode() if isinstance(arch, str) else arch)
    found = []

    def walk(node):
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "field":
                found.append((child.get("name"), child))
                continue  # its subviews are the comodel's
            walk(child)

    walk(root)
    return found


class ButtonPresser:
    """Mixin of an HttpCase: ``press_all(lang)`` presses every button of
    ``self.buttons`` as ``self.users[role]`` and returns the outcomes."""

    # -- over HTTP ------------------------------------------------------------------------

    def _login(self, role):
        if getattr(self, "_logged_in", None) != role:
            user = self.users[role]
            self.authenticate(user.login, user.login)
            self._logged_in = role

    def _rpc(self, route, params):
        """The answer of a JSON-RPC route; raises Refused or Crash as the client shows it."""
        response = self.opener.post(
            f"{self.base_url()}{route}",
            json={"id": 0, "jsonrpc": "2.0", "method": "call", "params": params},
            timeout=120,
        )
        if response.status_code != 200:
            raise Crash(f"HTTP {response.status_code} on {route}")
        answer = response.json()
        if "error" in answer:
            data = answer["error"].get("data") or {}
            name = data.get("name") or answer["error"].get("message")
            message = " ".join((data.get("message") or "").split())[:200]
            if name in REFUSALS:
                raise Refused(f"{name.rsplit('.', 1)[-1]}: {message}")
            debug = [line for line in (data.get("debug") or "").splitlines() if line.strip()]
            last = debug[-1].strip() if debug else f"{name}: {message}"
            raise Crash(last)
        return answer.get("result")

    def _call(self, model, method, args, kwargs, route="/web/dataset/call_kw"):
        return self._rpc(
            f"{route}/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    # -- who, where, with which context ---------------------------------------------------

    def _user_context(self, role, lang):
        user = self.users[role]
        return {
            "lang": lang,
            "tz": user.tz or "UTC",
            "uid": user.id,
            "allowed_company_ids": [user.company_id.id],
        }

    def _sees(self, button, role):
        """The button is in the arch ``get_view`` gives this role, and the role can
        open its view (view groups, read access, a menu leading to it when one does)."""
        user = self.users[role]
        user_groups = user._get_group_ids()
        definitions = self.env["res.groups"]._get_group_definitions()
        if not all(definitions.from_key(key).matches(user_groups) for key in button.groups_keys):
            return False
        root = self.env["ir.ui.view"].browse(button.root_id)
        if root.group_ids and not set(root.group_ids.ids) & set(user_groups):
            return False
        if not self.env[button.model].with_user(user).has_access("read"):
            return False
        menus = self._menus_of_view(root)
        return not menus or bool(menus & self._visible_menus(role))

    def _visible_menus(self, role):
        cache = self.__dict__.setdefault("_menu_cache", {})
        if role not in cache:
            # a menu is reachable when it and all its parents are visible
            visible = self.env["ir.ui.menu"].with_user(self.users[role])._visible_menu_ids()
            cache[role] = {
                menu.id
                for menu in self.env["ir.ui.menu"].sudo().browse(visible)
                if all(parent.id in visible for parent in self._parents(menu))
            }
        return cache[role]

    def _parents(self, menu):
        while menu.parent_id:
            menu = menu.parent_id
            yield menu

    def _actions_of_view(self, view):
        """Window actions opening ``view`` (explicitly, or as the default view of its
        type for their model)."""
        cache = self.__dict__.setdefault("_view_actions", {})
        if view.id not in cache:
            Action = self.env["ir.actions.act_window"].sudo()
            actions = Action.search([("res_model", "=", view.model)], order="id")
            default = self.env["ir.ui.view"].default_view(view.model, view.type)
            found = Action.browse()
            for action in actions:
                modes = (action.view_mode or "").split(",")
                explicit = {v.view_mode: v.view_id.id for v in action.view_ids if v.view_id}
                if action.view_id and action.view_id.type == view.type:
                    explicit.setdefault(view.type, action.view_id.id)
                chosen = explicit.get(view.type, default if view.type in modes else None)
                if chosen == view.id:
                    found |= action
            cache[view.id] = found
        return cache[view.id]

    def _menus_of_view(self, view):
        actions = self._actions_of_view(view)
        if not actions:
            return set()
        menus = (
            self.env["ir.ui.menu"]
            .sudo()
            .search(
                [("action", "in", [f"ir.actions.act_window,{action.id}" for action in actions])]
            )
        )
        return set(menus.ids)

    def _action_context(self, button, role, lang):
        """The context of the records of the view: the user's and that of the action
        the user opens the view with (one of a visible menu first)."""
        context = self._user_context(role, lang)
        root = self.env["ir.ui.view"].browse(button.root_id)
        actions = self._actions_of_view(root)
        visible = self._visible_menus(role)
        menus = self.env["ir.ui.menu"].sudo().browse(visible)
        with_menu = actions.filtered(lambda action: any(menu.action == action for menu in menus))
        action = (with_menu or actions)[:1]
        if action and action.context:
            extra = evaluate(action.context, dict(context, active_id=False, active_ids=[]))
            context.update(extra or {})
        return context, action

    # -- records ---------------------------------------------------------------------------

    def _candidates(self, model, role, context=None):
        Model = self.env[model].with_user(self.users[role])
        # archived records too where the view's action lists them (e.g. draft scorecards)
        if context and context.get("active_test") is False:
            Model = Model.with_context(active_test=False)
        return Model.search([], limit=CANDIDATES, order="id")

    def _visible_on(self, button, record, context):
        return not evaluate(button.attr.get("invisible"), context, record=record)

    # -- pressing ----------------------------------------------------------------------------

    def _press(self, button, ids, context):
        """Press it as the client does; the action returned or loaded (dict or False)."""
        model = button.model
        if button.type == "object":
            args = [ids]
            if button.attr.get("args"):
                args += json.loads(button.attr["args"].replace("'", '"'))
            return self._call(
                model,
                button.name,
                args,
                {"context": context},
                route="/web/dataset/call_button",
            )
        context = dict(
            context,
            active_id=ids[0] if len(ids) == 1 else False,
            active_ids=ids,
            active_model=model,
        )
        return self._load_action(button.name, context)

    def _load_action(self, action_id, context):
        action = self._rpc("/web/action/load", {"action_id": action_id, "context": context})
        if action and action.get("type") == "ir.actions.server":
            action = self._rpc(
                "/web/action/run", {"action_id": action["id"], "context": context}
            ) or {"type": "ir.actions.act_window_close"}
        return action

    # -- the returned action -------------------------------------------------------------------

    def _action_context_of(self, action, context):
        extra = action.get("context") or {}
        if isinstance(extra, str):
            extra = evaluate(extra, context) or {}
        return dict(context, **extra)

    def _spec(self, arch, model_fields):
        spec = {}
        for name, _node in top_level_fields(arch):
            description = model_fields.get(name)
            if not description:
                continue
            relational = description["type"] in ("many2one", "one2many", "many2many")
            spec[name] = {"fields": {"display_name": {}}} if relational else {}
        return spec

    def _open_action(self, action, context):
        """Open a returned action as the web client would; its problems as strings."""
        if not action:
            return []
        kind = action.get("type")
        problems = []
        if kind == "ir.actions.act_window":
            if not (action.get("name") or "").strip():
                problems.append("window action without a name (dialog titled 'Odoo')")
            problems += self._load_window(action, context)
        elif kind == "ir.actions.client":
            if not action.get("tag"):
                problems.append("client action without a tag")
        elif kind == "ir.actions.report":
            problems += self._load_report(action, context)
        elif kind == "ir.actions.act_url":
            if not action.get("url"):
                problems.append("URL action without a URL")
        elif kind != "ir.actions.act_window_close":
            problems.append(f"unknown action type {kind!r}")
        return problems

    def _window_views(self, action):
        views = [list(view) for view in action.get("views") or []]
        if not views:
            views = [[False, mode] for mode in (action.get("view_mode") or "list,form").split(",")]
        search = action.get("search_view_id")
        search_id = search[0] if isinstance(search, (list, tuple)) else search
        return [*views, [search_id or False, "search"]]

    def _load_window(self, action, context):
        model = action.get("res_model")
        if model not in self.env:
            return [f"window action on unknown model {model!r}"]
        for view_id, view_type in action.get("views") or []:
            if view_id:
                view = self.env["ir.ui.view"].sudo().browse(view_id).exists()
                if not view or view.model != model or view.type != view_type:
                    return [f"view {view_id} is not a {view_type} view of {model}"]
        context = self._action_context_of(action, context)
        views = self._window_views(action)
        try:
            loaded = self._call(
                model,
                "get_views",
                [],
                {
                    "views": views,
                    "options": {"load_filters": True, "toolbar": True},
                    "context": context,
                },
            )
            first = next(view_type for _id, view_type in views if view_type != "search")
            if first not in loaded["views"]:
                return [f"no {first} view of {model} to open"]
            arch = loaded["views"][first]["arch"]
            spec = self._spec(arch, loaded["models"][model]["fields"])
            if first not in VIEW_TYPES_WITH_RECORDS:
                return []
            if action.get("res_id"):
                self._call(
                    model,
                    "web_read",
                    [[action["res_id"]]],
                    {"specification": spec, "context": context},
                )
            elif first == "form":
                self._call(model, "onchange", [[], {}, [], spec], {"context": context})
            else:
                domain = action.get("domain") or []
                if isinstance(domain, str):
                    domain = evaluate(domain, context)
                self._call(
                    model,
                    "web_search_read",
                    [],
                    {"domain": domain, "specification": spec, "limit": 80, "context": context},
                )
        except (Refused, Crash, Unevaluable) as error:
            return [f"the {model} action does not open: {error}"]
        return []

    def _load_report(self, action, context):
        name = action.get("report_name")
        report = self.env["ir.actions.report"].sudo().search([("report_name", "=", name)], limit=1)
        if not report:
            return [f"report {name!r} does not exist"]
        ids = (action.get("context") or {}).get("active_ids") or context.get("active_ids") or []
        if ids:
            response = self.url_open(f"/report/html/{name}/{','.join(map(str, ids))}")
            if response.status_code != 200:
                return [f"report {name!r} does not render (HTTP {response.status_code})"]
        return []

    # -- a new record of a dialog (wizards, settings) --------------------------------------------

    def _new_record(self, action, context, role):
        """Create the record of a dialog as the client does on its first button: its
        defaults (onchange), the required fields the user fills, then save."""
        model = action["res_model"]
        if action.get("res_id"):
            return action["res_id"], context
        context = self._action_context_of(action, context)
        views = [view for view in self._window_views(action) if view[1] == "form"]
        loaded = self._call(model, "get_views", [], {"views": views, "context": context})
        model_fields = loaded["models"][model]["fields"]
        arch = loaded["views"]["form"]["arch"]
        spec = self._spec(arch, model_fields)
        defaults = self._call(model, "onchange", [[], {}, [], spec], {"context": context})
        values = {
            name: (value["id"] if isinstance(value, dict) and "id" in value else value)
            for name, value in (defaults or {}).get("value", {}).items()
        }
        filled = {}
        for name, node in top_level_fields(arch):
            description = model_fields.get(name)
            if not description or values.get(name):
                continue
            current = dict(values, **filled)
            required = description.get("required") or evaluate(
                node.get("required"), context, values=current
            )
            if not required or evaluate(node.get("invisible"), context, values=current):
                continue
            filled[name] = self._fill(description, role)
        saved = self._call(
            model, "web_save", [[], filled], {"specification": {}, "context": context}
        )
        return saved[0]["id"], context

    def _fill(self, description, role):
        kind = description["type"]
        if kind in ("char", "text", "html"):
            return "Button test"
        if kind in ("integer", "float", "monetary"):
            return 1
        if kind == "selection":
            return description["selection"][0][0]
        if kind == "date":
            return fields.Date.to_string(datetime.date.today())
        if kind == "datetime":
            return fields.Datetime.to_string(fields.Datetime.now())
        if kind == "many2one":
            comodel = self.env[description["relation"]].with_user(self.users[role])
            return comodel.search([], limit=1).id
        raise Unevaluable(f"cannot fill a required {kind} field")

    # -- one button ------------------------------------------------------------------------

    def _rolled_back(self, function):
        savepoint = self.env.cr.savepoint()
        try:
            return function()
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
            self.env.registry.clear_cache()

    def _attempt(self, button, lang, role, record_label, run, ids=()):
        """Run ``run()`` (press and return the action) in a savepoint: an Outcome."""
        outcome = Outcome(button, lang, "pressed", role=role, record=record_label, ids=list(ids))

        def go():
            try:
                action, context = run()
            except Refused as error:
                outcome.status, outcome.detail = "refused", str(error)
                return
            except Crash as error:
                outcome.status, outcome.detail = "crashed", str(error)
                return
            except Unevaluable as error:
                outcome.status, outcome.detail = "skipped", str(error)
                return
            outcome.action = action
            problems = self._open_action(action, context)
            if problems:
                outcome.status, outcome.detail = "bad_action", "; ".join(problems)
            else:
                kind = (action or {}).get("type", "nothing")
                outcome.detail = f"returned {kind}"

        self._login(role)
        self._rolled_back(go)
        return outcome

    def _press_on_records(self, button, lang):
        """A button of a stored model, pressed by the first role it is shown to on a
        record on which it is visible. A refusal is fine but may hide a crash further
        on: then the people of that record (its salesperson, receiver...) it is shown
        to try it, then the next roles, until one gets through."""
        roles = [role for role in ROLE_LADDER if self._sees(button, role)]
        if not roles:
            return [Outcome(button, lang, "unreached", detail="no role of the ladder sees it")]
        if button.kind == "list_header":
            return self._press_header(button, lang, roles)
        refusals, reasons, unevaluable, refused_ids = [], [], [], set()
        for role in roles:
            try:
                record, reason = self._first_showing(button, role, lang, skip=refused_ids)
            except Unevaluable as error:
                unevaluable.append(f"{role}: {error}")
                continue
            if record is None:
                reasons.append(reason)
                continue
            for actor in [role, *self._people(button, record)]:
                if actor != role:
                    try:
                        shown, _reason = self._first_showing(button, actor, lang, record)
                    except Unevaluable:
                        shown = None
                    if shown is None:
                        continue
                outcome = self._press_record(button, lang, actor, record)
                if outcome.status != "refused":
                    return [outcome]
                refusals.append(outcome)
                refused_ids.add(record.id)
                if len(refusals) >= MAX_ATTEMPTS:
                    return refusals[:1]
        if refusals:
            return refusals[:1]
        if unevaluable and not reasons:
            return [Outcome(button, lang, "skipped", detail=unevaluable[0])]
        return [Outcome(button, lang, "unreached", detail="; ".join(reasons[:4]))]

    def _first_showing(self, button, actor, lang, only=None, skip=()):
        """The first record ``actor`` reads on which the button is visible (None and why
        when there is none; Unevaluable when its view's expressions cannot be read);
        ``only``: that record alone; ``skip``: ids refused before (unless no other
        record shows the button)."""
        # the values of computed fields depend on the reader: read them afresh
        self.env.invalidate_all()
        context, _action = self._action_context(button, actor, lang)
        if only is not None:
            records = self.env[button.model].with_user(self.users[actor]).browse(only.id)
            if not records._filtered_access("read"):
                return None, f"{actor}: cannot read {only}"
        else:
            records = self._candidates(button.model, actor, context)
        unevaluable, showing = None, []
        for record in records:
            try:
                if self._visible_on(button, record, context):
                    if record.id not in skip:
                        return record, ""
                    showing.append(record)
            except Unevaluable as error:
                unevaluable = error
        if showing:
            return showing[0], ""
        if unevaluable is not None:
            raise unevaluable
        return None, f"{actor}: no record of {len(records)} shows it"

    def _press_record(self, button, lang, actor, record):
        context, _action = self._action_context(button, actor, lang)
        label = f"{record._name}({record.id}) {record.display_name!r}"
        record = record.with_user(self.users[actor])
        return self._attempt(
            button,
            lang,
            actor,
            label,
            lambda: self._run_on(button, [record.id], context, record=record),
            ids=[record.id],
        )

    def _people(self, button, record):
        """Users of the record's user fields (salesperson, receiver...) the button is
        shown to, other than the test roles."""
        record = record.sudo()
        known = {user.id for role, user in self.users.items() if role in ROLE_LADDER}
        people = []
        for name, fld in record._fields.items():
            if fld.type != "many2one" or fld.comodel_name != "res.users":
                continue
            user = record[name]
            if (
                not user
                or not user.active
                or user.share
                or user._is_superuser()
                or user.id in known
                or user.login in people
            ):
                continue
            self.users.setdefault(user.login, user)
            if self._sees(button, user.login):
                people.append(user.login)
        return people

    def _run_on(self, button, ids, context, record=None, values=None):
        """Press ``button`` on ``ids`` with the records' ``context``: the action it
        returns and the context the web client opens that action with."""
        extra = evaluate(button.attr.get("context"), context, record=record, values=values)
        action = self._press(button, ids, dict(context, **(extra or {})))
        # what the client keeps of the records' context for the next action
        kept = {key: value for key, value in context.items() if not VIEW_KEYS.match(key)}
        kept.update(extra or {}, active_model=button.model)
        if len(ids) == 1 and button.kind != "list_header":
            kept.update(active_id=ids[0], active_ids=ids)
        return action, kept

    def _press_header(self, button, lang, roles):
        """A list header button acts on the selected records (``display="always"``:
        also with none selected), pressed by the first role that gets through."""
        outcomes = []
        selections = ["none"] if button.attr.get("display") == "always" else []
        selections.append("some")
        for selection in selections:
            refused = None
            for role in roles:
                try:
                    context, _action = self._action_context(button, role, lang)
                except Unevaluable as error:
                    outcomes.append(Outcome(button, lang, "skipped", role, detail=str(error)))
                    break
                records = self._candidates(button.model, role)
                ids = records[:SELECTION].ids if selection == "some" else []
                if selection == "some" and not ids:
                    continue
                header_context = dict(
                    context, active_ids=ids, active_model=button.model, active_domain=[]
                )
                outcome = self._attempt(
                    button,
                    lang,
                    role,
                    f"{button.model}{ids}",
                    lambda ids=ids, header_context=header_context: self._run_on(
                        button, ids, header_context
                    ),
                    ids=ids,
                )
                if outcome.status != "refused":
                    outcomes.append(outcome)
                    break
                refused = refused or outcome
            else:
                if refused:
                    outcomes.append(refused)
                elif selections[0] != "none":
                    outcomes.append(
                        Outcome(button, lang, "unreached", detail="no record to select")
                    )
        return outcomes

    def _press_in_dialog(self, button, lang, openers):
        """A button of a dialog (wizard, settings): opened by each opener in turn until
        one shows it, as the opener's user."""
        tried = []
        for opener in sorted(openers.get(button.root_model, []), key=lambda o: o.order):
            if not self._sees_in_dialog(button, opener.role):
                tried.append(f"{opener.label}: not shown to {opener.role}")
                continue
            state = {}

            # the loop's values bound as defaults; ``state`` is this attempt's own
            def run(opener=opener, state=state):  # pylint: disable=dangerous-default-value
                target, context = self._dialog_target(button, opener)
                if target is None:
                    state["hidden"] = True
                    return None, context
                return self._run_on(button, target.ids, context, record=target)

            outcome = self._attempt(button, lang, opener.role, f"via {opener.label}", run)
            if state.get("hidden"):
                tried.append(f"{opener.label}: hidden")
                continue
            outcome.opener = opener
            return [outcome]
        detail = "; ".join(tried) or "nothing opens this dialog"
        return [Outcome(button, lang, "unreached", detail=detail)]

    def _dialog_target(self, button, opener):
        """Open the dialog with ``opener`` and make its record as the client does: the
        record (or line of it) on which ``button`` is visible, if any, and its context."""
        action, context = opener.replay()
        if not action or action.get("res_model") != button.root_model:
            raise Unevaluable(f"{opener.label} no longer opens {button.root_model}")
        record_id, context = self._new_record(action, context, opener.role)
        self.env.invalidate_all()
        targets = self.env[button.root_model].with_user(self.users[opener.role]).browse(record_id)
        for name in button.path:
            targets = targets[name]
        target = next(
            (record for record in targets if self._visible_on(button, record, context)), None
        )
        return target, context

    def _sees_in_dialog(self, button, role):
        user = self.users[role]
        user_groups = user._get_group_ids()
        definitions = self.env["res.groups"]._get_group_definitions()
        return all(definitions.from_key(key).matches(user_groups) for key in button.groups_keys)

    # -- dialog openers --------------------------------------------------------------------

    def _data_openers(self, lang):
        """Window actions of the database opening a dialog model (menus, settings)."""
        openers = defaultdict(list)
        dialog_models = {b.root_model for b in self.buttons if self.env[b.root_model]._transient}
        actions = (
            self.env["ir.actions.act_window"]
            .sudo()
            .search([("res_model", "in", sorted(dialog_models))], order="id")
        )
        for action in actions:
            menus = (
                self.env["ir.ui.menu"]
                .sudo()
                .search([("action", "=", f"ir.actions.act_window,{action.id}")])
            )
            for role in ROLE_LADDER:
                if menus and not set(menus.ids) & self._visible_menus(role):
                    continue
                if not menus and not action.binding_model_id:
                    continue
                xmlid = action.get_external_id().get(action.id) or action.name

                def replay(action=action, role=role):
                    context = self._user_context(role, lang)
                    return self._load_action(action.id, context), context

                openers[action.res_model].append(
                    Opener(f"action {xmlid}", role, replay, order=len(openers[action.res_model]))
                )
                break
        # menus running a server action that opens the dialog's record (e.g. a page
        # saved then shown read-only)
        servers = (
            self.env["ir.actions.server"]
            .sudo()
            .search([("model_id.model", "in", sorted(dialog_models))], order="id")
        )
        for action in servers:
            menus = (
                self.env["ir.ui.menu"]
                .sudo()
                .search([("action", "=", f"ir.actions.server,{action.id}")])
            )
            role = next(
                (role for role in ROLE_LADDER if set(menus.ids) & self._visible_menus(role)),
                None,
            )
            if not menus or role is None:
                continue
            xmlid = action.get_external_id().get(action.id) or action.name

            def replay(action=action, role=role):
                context = self._user_context(role, lang)
                return self._load_action(action.id, context), context

            model = action.model_id.model
            openers[model].append(
                Opener(f"menu action {xmlid}", role, replay, order=len(openers[model]))
            )
        return openers

    def _button_opener(self, outcome, lang):
        """The press of ``outcome`` replayed: it opened a dialog."""
        button = outcome.button
        role = outcome.role
        parent = outcome.opener

        def replay():
            if parent is not None:  # a button of a dialog opening another one
                target, context = self._dialog_target(button, parent)
                if target is None:
                    raise Unevaluable(f"{button} no longer shows")
                return self._run_on(button, target.ids, context, record=target)
            context, _action = self._action_context(button, role, lang)
            if button.kind == "list_header":
                context.update(active_ids=outcome.ids, active_model=button.model, active_domain=[])
                return self._run_on(button, outcome.ids, context)
            record = self.env[button.model].with_user(self.users[role]).browse(outcome.ids)
            return self._run_on(button, outcome.ids, context, record=record)

        return Opener(str(button), role, replay, order=100 + button.position)

    # -- all of them -----------------------------------------------------------------------

    def press_all(self, lang):
        """Press every button in ``lang``; returns the outcomes."""
        for user in self.users.values():
            user.lang = lang
        self._logged_in = None
        outcomes = []
        in_dialog = {b for b in self.buttons if self.env[b.root_model]._transient}
        for button in self.buttons:
            if button not in in_dialog:
                outcomes += self._press_on_records(button, lang)
        openers = self._data_openers(lang)
        # dialogs open from buttons, some of them in dialogs: rounds until none opens more
        dialog_models = {button.root_model for button in in_dialog}
        pending, fresh = [b for b in self.buttons if b in in_dialog], outcomes
        while pending:
            for outcome in fresh:
                action = outcome.action or {}
                model = action.get("res_model")
                if action.get("type") == "ir.actions.act_window" and model in dialog_models:
                    openers[model].append(self._button_opener(outcome, lang))
            results = [self._press_in_dialog(button, lang, openers)[0] for button in pending]
            fresh = [outcome for outcome in results if outcome.status != "unreached"]
            unreached = [outcome for outcome in results if outcome.status == "unreached"]
            outcomes += fresh
            pending = [outcome.button for outcome in unreached]
            if not fresh:  # nothing opened a new dialog: the rest stays unreached
                outcomes += unreached
                break
        return outcomes

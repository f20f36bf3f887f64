"""Every button of the addons' views, found by construction (test_buttons.py).

A button is an element ``<button>`` (or a kanban ``<a>``) of ``type="object"`` or
``type="action"`` in the arch of a view whose XML id belongs to one of the addons,
primary or inherited. It is located in the view the web client really receives: the
combined, post-processed arch of the primary view it ends up in (its "root"), which
tells where it sits (form header, list header, list row, wizard footer, smart button
box...), on which model it acts (a button of a list embedded in a one2many field acts on
the field's comodel), and which groups must hold for the user to see it (the groups of
the button and of every element around it, as ``get_view`` applies them).
"""

from dataclasses import dataclass, field

from lxml import etree

from . import repository

BUTTON_TYPES = ("object", "action")
# Attributes that tell two buttons apart (``groups`` is turned into a key by the
# post-processing of the arch, the rest is kept as written).
SIGNATURE = ("name", "type", "string", "context", "invisible", "icon", "class", "args")
SUBVIEW_TAGS = ("list", "form", "kanban")


@dataclass(frozen=True)
class Button:
    """A button as the web client shows it."""

    view: str  # XML id of the addon view that defines the button
    root: str  # XML id of the primary view it is shown in
    root_id: int
    root_type: str  # type of the root view (form, list, kanban)
    root_model: str  # model of the root view
    model: str  # model the button acts on
    kind: str  # form_header, list_header, list_row, footer, button_box, form, kanban
    name: str
    type: str
    label: str
    attrs: tuple = field(compare=False)  # (attribute, value) pairs of the arch
    groups_keys: tuple = field(compare=False)  # group keys of the node and its ancestors
    signature: tuple = field(compare=False)
    path: tuple = ()  # relational fields from the root model to the button's subview
    position: int = 0  # rank among the root's buttons (same-looking buttons differ)

    @property
    def attr(self):
        return dict(self.attrs)

    def __str__(self):
        where = f"{self.root}" if self.root == self.view else f"{self.root} (from {self.view})"
        sub = f" in {'.'.join(self.path)}" if self.path else ""
        return f"{where}{sub} {self.kind} button {self.name!r} ({self.label!r}, {self.type})"


def _signature(node):
    return (node.tag, *(node.get(name) for name in SIGNATURE))


def _is_button(node):
    return (
        node.tag in ("button", "a") and node.get("type") in BUTTON_TYPES and bool(node.get("name"))
    )


def _label(node):
    """The text the user reads on the button."""
    if node.get("string"):
        return node.get("string")
    texts = [
        " ".join(element.itertext()).strip()
        for element in node.iter()
        if "o_stat_text" in (element.get("class") or "")
    ]
    stat = node.find(".//field[@widget='statinfo']")
    if stat is not None:
        texts.append(stat.get("string", stat.get("name")))
    text = " ".join(text for text in texts if text) or " ".join(
        part.strip() for part in node.itertext() if part.strip()
    )
    return text or node.get("icon") or ""


def project_addons():
    """Every addon of this repository (a folder holding a manifest): a new addon's
    buttons are covered too."""
    return sorted(path.parent.name for path in repository.REPO_ROOT.glob("*/__manifest__.py"))


def addon_views(env):
    """{view: xml id} of the views of the addons (form, list and kanban views)."""
    data = (
        env["ir.model.data"]
        .sudo()
        .search([("module", "in", project_addons()), ("model", "=", "ir.ui.view")])
    )
    views = env["ir.ui.view"].sudo().browse(data.mapped("res_id")).exists()
    xmlids = {row.res_id: f"{row.module}.{row.name}" for row in data}
    return {view: xmlids[view.id] for view in views if view.type in ("form", "list", "kanban")}


def _root(view):
    while view.mode != "primary" and view.inherit_id:
        view = view.inherit_id
    return view


def _kind(node, ancestors):
    """Where the button sits, as the web client treats it."""
    parent = node.getparent()
    tags = [ancestor.tag for ancestor in ancestors]
    view_tag = next(tag for tag in reversed(tags) if tag in (*SUBVIEW_TAGS,))
    if view_tag == "list":
        return "list_header" if "header" in tags else "list_row"
    if view_tag == "kanban":
        return "kanban"
    if "footer" in tags:
        return "footer"
    if "header" in tags:
        return "form_header"
    if parent is not None and parent.get("name") == "button_box":
        return "button_box"
    return "form"


def find_buttons(env):
    """Every button of the addons' views, each as shown in its root view."""
    views = addon_views(env)
    signatures = {}  # signature -> {root view: xml id of the addon view defining it}
    for view, xmlid in views.items():
        arch = etree.fromstring(view.with_context(lang="en_US").arch.encode())
        for node in arch.iter():
            if _is_button(node):
                signatures.setdefault(_signature(node), {}).setdefault(_root(view), xmlid)
    roots = {_root(view) for view in views}
    xmlid_of = dict(views)
    for root in roots - set(views):
        xmlid_of[root] = root.get_external_id().get(root.id) or root.key or str(root.id)
    buttons = []
    for root in sorted(roots, key=lambda view: xmlid_of[view]):
        model = env[root.model].sudo()
        cached = model._get_view_cache(root.id, root.type)
        arch = etree.fromstring(cached["arch"].encode())
        position = 0
        for node in arch.iter():
            if not _is_button(node):
                continue
            position += 1
            origins = signatures.get(_signature(node))
            if not origins:
                continue  # a button of another module's view
            # the view of this root defining it, else one embedded from another root
            origin = origins.get(root) or min(origins.values())
            ancestors = list(reversed(list(node.iterancestors())))
            # the model of the (sub)view holding the button
            current, path = model, []
            for ancestor in ancestors:
                if ancestor.tag == "field" and any(child.tag in SUBVIEW_TAGS for child in ancestor):
                    relational = current._fields.get(ancestor.get("name"))
                    if relational is not None and relational.comodel_name:
                        current = env[relational.comodel_name].sudo()
                        path.append(ancestor.get("name"))
            groups_keys = tuple(
                element.get("__groups_key__")
                for element in [*ancestors, node]
                if element.get("__groups_key__")
            )
            buttons.append(
                Button(
                    view=origin,
                    root=xmlid_of[root],
                    root_id=root.id,
                    root_type=root.type,
                    root_model=root.model,
                    model=current._name,
                    kind=_kind(node, ancestors),
                    name=node.get("name"),
                    type=node.get("type"),
                    label=_label(node),
                    attrs=tuple(
                        (key, value)
                        for key, value in sorted(node.attrib.items())
                        if key != "__groups_key__"
                    ),
                    groups_keys=groups_keys,
                    signature=_signature(node),
                    path=tuple(path),
                    position=position,
                )
            )
    return buttons


def missing_buttons(env, buttons):
    """Signatures defined by the addons' views that no root view shows (a button whose
    view was replaced or removed by another extension): reported, never silently lost."""
    shown = {(button.view, button.signature) for button in buttons}
    missing = []
    for view, xmlid in addon_views(env).items():
        arch = etree.fromstring(view.with_context(lang="en_US").arch.encode())
        for node in arch.iter():
            if _is_button(node) and (xmlid, _signature(node)) not in shown:
                missing.append(f"{xmlid} {node.get('name')!r} ({_label(node)!r})")
    return missing

"""Draft declarations for undeclared personal data, the way ``inspectdb`` drafts models.

:func:`draft` looks at every installed model that holds personal data nobody declared (the same
detection as check E002) and writes a ``privacy.py`` draft per app: the subject (a path to the user,
through forward or reverse links, and an e-mail field for guests' rows), every column in a category
or in ``not_personal``, a retention rule and an erasure action. Every guess is an open decision in
the source's ``todo`` list, which ``manage.py check`` reports (E020, W010 until strict) until it is
decided and removed. Nothing is imported or written by this module: it returns text.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.conf import settings
from django.db import models

from jsg_privacy.crypto.fields import KeyedHashField
from jsg_privacy.registry import detection
from jsg_privacy.registry.core import Registry

ACCOUNT, ORDER, TRANSACTION, CORRESPONDENCE, USAGE = (
    "ACCOUNT",
    "ORDER",
    "TRANSACTION",
    "CORRESPONDENCE",
    "USAGE",
)
#: Words in a model's name, and the category its personal fields most likely belong to.
MODEL_WORDS = (
    (("useraddress", "profile", "customer", "account", "user"), ACCOUNT),
    (("payment", "transaction", "bankcard", "card", "invoice", "refund"), TRANSACTION),
    (("address", "order", "line", "basket", "cart", "wishlist", "shipping", "delivery"), ORDER),
    (
        (
            "review",
            "comment",
            "message",
            "communication",
            "email",
            "notification",
            "alert",
            "enquiry",
            "contact",
            "ticket",
            "vote",
        ),
        CORRESPONDENCE,
    ),
    (("session", "visit", "history", "search", "view", "record", "log", "analytics"), USAGE),
)
ORDERISH = (ORDER, TRANSACTION)
MONEY = re.compile(
    r"(^|_)(price|total|subtotal|amount|cost|tax|excl|incl|discount|charge|paid)(_|$)"
)
USAGE_NAME = re.compile(r"(^|_)(ip|ip_address|user_agent|referrer|referer)(_|$)")
ANCHOR_NAMES = (
    "date_placed",
    "placed_at",
    "ordered_at",
    "created_at",
    "created",
    "date_created",
    "date_joined",
    "timestamp",
    "submitted_at",
    "sent_at",
)
#: How long each kind of data is kept, as a first guess (every one is a to-do).
RETENTION_GUESS = {
    ORDER: (7, "years", "sales and VAT records: HMRC expects at least 6 years"),
    TRANSACTION: (7, "years", "sales and VAT records: HMRC expects at least 6 years"),
    ACCOUNT: (3, "years", "an account unused this long is closed"),
    CORRESPONDENCE: (2, "years", "long enough to deal with follow-ups"),
    USAGE: (90, "days", "long enough to see trends and investigate abuse"),
}


@dataclass
class Drafted:
    """One model's draft declaration."""

    model: type[models.Model]
    subject: str = ""
    subject_email: str = ""
    fields: dict[str, list[str]] = field(default_factory=dict)
    not_personal: list[str] = field(default_factory=list)
    anchor: str = ""
    category: str = ACCOUNT
    hold: bool = False
    todo: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def class_name(self) -> str:
        return f"{self.model.__name__}Source"


def undeclared(registry: Registry, labels: Iterable[str] = ()) -> list[type[models.Model]]:
    """Installed models holding undeclared personal data (in the apps ``labels`` if given)."""
    wanted = set(labels)
    candidates = [m for m in apps.get_models() if not m._meta.proxy]
    personal = detection.personal_models(candidates, declared=registry.sources)
    found = []
    for model in candidates:
        label = model._meta.label
        if label in registry.sources or label not in personal:
            continue
        if wanted and model._meta.app_label not in wanted:
            continue
        exemption = registry.exemptions.get(label)
        if exemption is not None and not exemption.fields:
            continue
        looks = detection.personal_looking_fields(model, personal)
        if set(looks) - set(exemption.fields if exemption else ()):
            found.append(model)
    return found


def _user_model() -> type[models.Model]:
    return apps.get_model(settings.AUTH_USER_MODEL)


def _links(model: type[models.Model]) -> Iterator[tuple[str, type[models.Model], bool]]:
    """(lookup name, model reached, nullable or many) for each forward and reverse link."""
    for f in model._meta.get_fields():
        if not f.is_relation or f.related_model is None or f.many_to_many:
            continue
        if f.concrete:
            yield f.name, f.related_model, bool(f.null)
        else:
            yield f.name, f.related_model, True


#: Links to the user that name the person the row is about, in order of preference; a link
#: ending in "_by" (answered_by, created_by) names a member of staff instead.
OWNER_NAMES = ("user", "customer", "owner", "account", "member", "person", "buyer")


def path_to(model: type[models.Model], goal: type[models.Model], depth: int = 3) -> str:
    """The shortest ``a__b`` path from ``model`` to ``goal`` through links, or ``""``.

    A link named like the row's owner wins over one named like a member of staff's.
    """
    direct = [name for name, target, _n in _links(model) if target is goal]
    owners = [n for n in direct if n in OWNER_NAMES] + [
        n for n in direct if n not in OWNER_NAMES and not n.endswith(("_by", "staff"))
    ]
    if owners:
        return owners[0]
    queue: deque[tuple[type[models.Model], list[str]]] = deque([(model, [])])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        if len(path) >= depth:
            continue
        for name, target, _nullable in _links(current):
            if target is goal and path and not name.endswith(("_by", "staff")):
                return "__".join([*path, name])
            if target not in seen and target is not _user_model():
                seen.add(target)
                queue.append((target, [*path, name]))
    return ""


def _email_path(model: type[models.Model], subject: str) -> str:
    """An e-mail field of the model (a guest's address), or one on the row the subject path
    passes through (an order line's order)."""
    if subject == "self":
        return ""  # the user model is found by its id
    own = [f for f in model._meta.concrete_fields if isinstance(f, models.EmailField)]
    if own:
        return own[0].name
    if "__" in subject:
        parent_path = subject.rsplit("__", 1)[0]
        current = model
        for part in parent_path.split("__"):
            current = current._meta.get_field(part).related_model  # type: ignore[assignment]
        emails = [f for f in current._meta.concrete_fields if isinstance(f, models.EmailField)]
        if emails:
            return f"{parent_path}__{emails[0].name}"
    return ""


def _anchor(model: type[models.Model], subject: str) -> str:
    if model is _user_model():
        return "date_joined" if _has(model, "date_joined") else ""
    dates = {
        f.name: f
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField) and not f.null
    }
    for name in ANCHOR_NAMES:
        if name in dates:
            return name
    if dates:
        return next(iter(dates))
    if "__" in subject:  # a child row: the parent's date (an order line: the order's)
        parent_path = subject.rsplit("__", 1)[0]
        current = model
        for part in parent_path.split("__"):
            current = current._meta.get_field(part).related_model  # type: ignore[assignment]
        parent = _anchor(current, "")
        if parent:
            return f"{parent_path}__{parent}"
    return ""


def _has(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def _model_category(model: type[models.Model]) -> str:
    name = model.__name__.lower()
    if model is _user_model():
        return ACCOUNT
    for words, category in MODEL_WORDS:
        if any(word in name for word in words):
            return category
    return ""


def _field_category(f: models.Field, reason: str, default: str) -> str:
    if USAGE_NAME.search(f.name) or isinstance(f, models.GenericIPAddressField):
        return USAGE
    if "free text" in reason:
        return CORRESPONDENCE if default in ("", ACCOUNT) else default
    return default or ACCOUNT


def draft_model(
    model: type[models.Model], personal: set[str], held_parents: dict[str, str]
) -> Drafted:
    """A draft declaration for one model (``held_parents``: label -> anchor of models drafted
    with a legal hold, so their child rows are held with them)."""
    user = _user_model()
    drafted = Drafted(model)
    drafted.subject = "self" if model is user else path_to(model, user)
    drafted.subject_email = _email_path(model, drafted.subject)
    looks = detection.personal_looking_fields(model, personal)
    category = _model_category(model)
    orderish = category in ORDERISH or any(MONEY.search(f.name) for f in model._meta.fields)
    drafted.category = category or (ORDER if orderish else ACCOUNT)
    structural = {p.split("__", 1)[0] for p in (drafted.subject, drafted.subject_email) if p}
    person_row = bool(looks)
    for f in model._meta.get_fields():
        if (f.auto_created and not f.concrete) or getattr(f, "primary_key", False):
            continue
        if isinstance(f, KeyedHashField) or (
            f.name in structural and f.name != drafted.subject_email
        ):
            continue  # a keyed hash follows its field; the subject's link is how rows are found
        reason = looks.get(f.name, "")
        if (person_row and isinstance(f, models.DateField)) or f.name == "password":
            reason = reason or "a date of something the person did"
        required_link = f.is_relation and not f.many_to_many and not f.null
        if reason and not required_link:
            key = _field_category(f, reason, drafted.category)
            drafted.fields.setdefault(key, []).append(f.name)
        elif orderish and isinstance(f, models.DecimalField) and MONEY.search(f.name):
            drafted.fields.setdefault(TRANSACTION, []).append(f.name)
        else:
            drafted.not_personal.append(f.name)
    if not drafted.subject and not drafted.subject_email:
        drafted.todo.append(
            "No link to the user and no e-mail field were found: set subject or subject_email, "
            "or exempt the model if its rows are not about people."
        )
    parent = next(
        (
            held_parents[label]
            for label in held_parents
            if drafted.subject.startswith(_link_to(model, label))
        ),
        "",
    )
    drafted.anchor = _anchor(model, drafted.subject)
    drafted.hold = drafted.category in ORDERISH or bool(parent)
    drafted.todo.append(
        "Categories are guessed from names: check each field is in the right one, and that "
        "nothing in not_personal is about a person."
    )
    if drafted.anchor:
        count, unit, why = RETENTION_GUESS[drafted.category]
        drafted.todo.append(
            f"Retention: {count} {unit} after {drafted.anchor} is a guess ({why}); set your own."
        )
    else:
        drafted.todo.append("No date to anchor retention on was found: add a retention rule.")
    if drafted.hold:
        drafted.todo.append(
            "Erasure keeps these rows under a legal hold for the tax period: check which fields "
            "the law needs (keep=...) and what happens when the hold ends."
        )
    return drafted


def _link_to(model: type[models.Model], label: str) -> str:
    for name, target, _nullable in _links(model):
        if target._meta.label == label:
            return name
    return "\0"  # matches no path


def draft(registry: Registry, labels: Iterable[str] = ()) -> list[Drafted]:
    """Draft declarations for every model with undeclared personal data (in ``labels``' apps)."""
    found = undeclared(registry, labels)
    personal = detection.personal_models(
        [m for m in apps.get_models() if not m._meta.proxy], declared=registry.sources
    )
    # Parents first, so their children can follow a parent's legal hold.
    found.sort(key=lambda m: len(path_to(m, _user_model()).split("__")))
    held: dict[str, str] = {}
    drafts = []
    for model in found:
        drafted = draft_model(model, personal, held)
        if drafted.hold and drafted.anchor:
            held[drafted.label] = drafted.anchor
        drafts.append(drafted)
    return drafts


# -- writing ------------------------------------------------------------------------------------


def render(drafts: list[Drafted], where: str = "") -> str:
    """The drafts as one Python module (a ``privacy.py``)."""
    today = date.today().isoformat()
    lines = [
        f'"""Drafted by manage.py privacy_inspect on {today}: decide every to-do, then remove it.',
        "",
        "manage.py check reports each to-do (W010, or E020 with JSG_PRIVACY_STRICT) until it is",
        "removed. See docs/declaring-personal-data.md.",
    ]
    if where:
        lines += ["", where]
    lines += [
        '"""',
        "",
        "from jsg_privacy import inventory",
        "from jsg_privacy import registry as privacy",
    ]
    for drafted in drafts:
        lines += ["", "", *_source_lines(drafted)]
    return "\n".join(lines) + "\n"


def _list(values: Iterable[str], indent: str) -> list[str]:
    values = list(values)
    one_line = f"[{', '.join(repr(v) for v in values)}]"
    if len(one_line) + len(indent) < 80:
        return [one_line]
    return ["[", *(f"{indent}    {v!r}," for v in values), f"{indent}]"]


def _source_lines(drafted: Drafted) -> list[str]:
    lines = [
        f"@privacy.register({drafted.label!r})",
        f"class {drafted.class_name}(privacy.ModelSource):",
    ]
    if drafted.subject and drafted.subject != "self":
        lines.append(f"    subject = {drafted.subject!r}")
    if drafted.subject_email:
        lines.append(f"    subject_email = {drafted.subject_email!r}")
    lines.append("    fields = {")
    for category, names in drafted.fields.items():
        values = _list(names, "        ")
        lines.append(f"        inventory.{category}: {values[0]}")
        lines += values[1:]
        lines[-1] += ","
    lines.append("    }")
    if drafted.not_personal:
        values = _list(drafted.not_personal, "    ")
        lines.append(f"    not_personal = {values[0]}")
        lines += values[1:]
    exported = [n for names in drafted.fields.values() for n in names if n != "password"]
    if len(exported) < sum(len(names) for names in drafted.fields.values()):
        values = _list(exported, "    ")
        lines.append(f"    export = {values[0]}  # never the password hash")
        lines += values[1:]
    if drafted.anchor:
        count, unit, why = RETENTION_GUESS[drafted.category]
        period = f"privacy.Period({unit}={count})"
        lines += [
            "    retention = privacy.Retention(",
            f"        anchor={drafted.anchor!r},",
            f"        period={period},",
            f"        reason={why!r},",
            "    )",
        ]
        if drafted.hold:
            lines += [
                "    erasure = privacy.LegalHold(",
                f"        anchor={drafted.anchor!r},",
                f"        period={period},",
                f"        reason={RETENTION_GUESS[ORDER][2]!r},",
                "        then=privacy.Delete(),",
                "    )",
            ]
        else:
            lines.append("    erasure = privacy.Delete()")
    else:
        lines.append("    erasure = privacy.Delete()")
    lines.append("    todo = [")
    lines += [f"        {item!r}," for item in drafted.todo]
    lines.append("    ]")
    return lines


def where_to_put(drafts: list[Drafted]) -> dict[str, str]:
    """Per app label: where its draft goes, in words (third-party apps need a module of yours)."""
    project = str(settings.ROOT_URLCONF).split(".", 1)[0]
    answers = {}
    for app_label in sorted({d.model._meta.app_label for d in drafts}):
        config = apps.get_app_config(app_label)
        if _is_yours(config.path):
            answers[app_label] = f"{config.name.replace('.', '/')}/privacy.py (found at start-up)"
        else:
            answers[app_label] = (
                f"{app_label} is an installed package, not your code: put its declarations in "
                f'{project}/privacy.py and add JSG_PRIVACY_MODULES = ["{project}.privacy"] to '
                "your settings."
            )
    return answers


def _is_yours(path: str) -> bool:
    return "site-packages" not in path and "dist-packages" not in path

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
from jsg_privacy.registry.paths import AnyField
from jsg_privacy.registry.rules import LegalHold

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
#: The purposes each kind of data most likely serves (named, so that a guessed category never puts
#: a consent-based purpose such as analytics into the notice on its own).
PURPOSE_GUESS = {
    ORDER: ("PROVIDE_SERVICE", "RECORD_KEEPING"),
    TRANSACTION: ("PROVIDE_SERVICE", "RECORD_KEEPING"),
    ACCOUNT: ("PROVIDE_SERVICE",),
    CORRESPONDENCE: ("SUPPORT",),
    USAGE: ("SECURITY",),
}
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
    #: A date every row has, for rows whose anchor is empty (check E025).
    fallback: str = ""
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
    personal = detection.personal_models(
        candidates, declared=registry.sources, exempt=registry.exemptions
    )
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


def _staff(name: str) -> bool:
    return name.endswith(("_by", "staff"))


def _m2m_to(model: type[models.Model], goal: type[models.Model]) -> list[str]:
    """Forward many-to-many fields of ``model`` to ``goal`` (a partner's ``users``)."""
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.ManyToManyField) and f.related_model is goal
    ]


def path_to(model: type[models.Model], goal: type[models.Model], depth: int = 3) -> str:
    """The shortest ``a__b`` path from ``model`` to ``goal`` through links, or ``""``.

    A link named like the row's owner wins over one named like a member of staff's; a
    many-to-many field to ``goal`` counts as a last step.
    """
    direct = [name for name, target, _n in _links(model) if target is goal]
    direct += _m2m_to(model, goal)
    owners = [n for n in direct if n in OWNER_NAMES] + [
        n for n in direct if n not in OWNER_NAMES and not _staff(n)
    ]
    if owners:
        return owners[0]
    queue: deque[tuple[type[models.Model], list[str]]] = deque([(model, [])])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        if len(path) >= depth:
            continue
        ends = [n for n, target, _n in _links(current) if target is goal] + _m2m_to(current, goal)
        ends = [n for n in ends if not _staff(n)]
        if path and ends:
            return "__".join([*path, ends[0]])
        for name, target, _nullable in _links(current):
            if target not in seen and target is not goal:
                seen.add(target)
                queue.append((target, [*path, name]))
    return ""


def staff_path(model: type[models.Model]) -> str:
    """A direct link to the user named like a member of staff's (``uploaded_by``), or ``""``."""
    user = _user_model()
    return next((n for n, target, _n in _links(model) if target is user and _staff(n)), "")


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
    if model is _user_model():  # an account is kept while it is used, not from when it opened
        return next((n for n in ("last_login", "date_joined") if _has(model, n)), "")
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
    if subject and subject != "self" and _has(_user_model(), "last_login"):
        return f"{subject}__last_login"  # a row with no date of its own: kept with the account
    return ""


def _may_be_empty(model: type[models.Model], path: str) -> bool:
    """A nullable field at the end of ``path``, or a nullable or reverse link on the way."""
    current = model
    for name in path.split("__"):
        f = current._meta.get_field(name)
        if getattr(f, "null", False) or f.many_to_many or (f.is_relation and not f.concrete):
            return True
        if f.is_relation:
            current = f.related_model  # type: ignore[assignment]
    return False


def _through_the_subject(model: type[models.Model], anchor: str, subject: str) -> bool:
    """The anchor starts with the reverse link the subject is found through (an order's address:
    found and dated through the order that points at it). Check E025 asks no fallback of it."""
    first = anchor.split("__", 1)[0]
    if "__" not in anchor or first != subject.split("__", 1)[0]:
        return False
    return not model._meta.get_field(first).concrete


def _fallback(model: type[models.Model], anchor: str, subject: str) -> str:
    """A date every row has, for the rows whose ``anchor`` is empty (an account never used: when
    it was opened), or ``""`` when none is needed or none is found."""
    if not anchor or not _may_be_empty(model, anchor):
        return ""
    if _through_the_subject(model, anchor, subject):
        return ""  # rows found and dated through the row that points at them
    if model is _user_model():
        own = "date_joined" if _has(model, "date_joined") else ""
    else:
        own = _anchor(model, "")
    if own and own != anchor and not _may_be_empty(model, own):
        return own
    if subject and subject != "self" and _has(_user_model(), "date_joined"):
        candidate = f"{subject}__date_joined"
        if not _may_be_empty(model, candidate):
            return candidate
    return ""


def _has(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def _model_category(model: type[models.Model]) -> str:
    """The category a model's name suggests: its whole name, then its last word first (the head
    noun: a ``UserProductView`` is a view, a ``ProductReview`` a review), then any part of it."""
    name = model.__name__.lower()
    if model is _user_model():
        return ACCOUNT
    words = [w.lower() for w in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", model.__name__)]
    for candidate in [name, *reversed(words)]:
        for names, category in MODEL_WORDS:
            if candidate in names:
                return category
    for names, category in MODEL_WORDS:
        if any(word in name for word in names):
            return category
    return ""


def _field_category(f: AnyField, reason: str, default: str) -> str:
    if USAGE_NAME.search(f.name) or isinstance(f, models.GenericIPAddressField):
        return USAGE
    if "free text" in reason:
        return CORRESPONDENCE if default in ("", ACCOUNT) else default
    return default or ACCOUNT


#: Words in a model's name that say its rows are sales records, kept under a legal hold for the
#: tax period (rows hanging off one are held with it). A basket, a wish list or a saved card is not.
SALES_WORDS = ("order", "invoice", "payment", "transaction", "refund", "receipt")


def draft_model(model: type[models.Model], personal: set[str]) -> Drafted:
    """A draft declaration for one model; :func:`draft` then decides the legal holds."""
    user = _user_model()
    drafted = Drafted(model)
    drafted.subject = "self" if model is user else path_to(model, user)
    drafted.subject_email = _email_path(model, drafted.subject)
    if not drafted.subject and not drafted.subject_email and (staff := staff_path(model)):
        drafted.subject = staff
        drafted.todo.append(
            f"The only link to a user is {staff}, a member of staff's: these rows are about "
            "staff. Exempt the model if they hold nothing about your customers."
        )
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
        # A link to another row about a person is how that row is found (its own declaration
        # covers it): anonymising it would cut the other row's path (check E023).
        row_link = f.is_relation and f.related_model is not user and reason.startswith("links")
        if reason and not required_link and not row_link:
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
    elif _through_reverse_link(model, drafted.subject):
        drafted.todo.append(
            f"Rows are found through {drafted.subject}: other rows that point at these. If one "
            "row here serves many people (a product, a supplier), it is not about one person: "
            "exempt the model instead."
        )
    drafted.anchor = _anchor(model, drafted.subject)
    drafted.todo.append(
        "Categories and purposes are guessed from names: check each field is in the right "
        "category, that nothing in not_personal is about a person, and what the data is used for."
    )
    return drafted


def _through_reverse_link(model: type[models.Model], path: str) -> bool:
    if not path or path == "self":
        return False
    first = model._meta.get_field(path.split("__", 1)[0])
    return bool(first.one_to_many)


def _cascades(model: type[models.Model]) -> Iterator[tuple[str, type[models.Model]]]:
    """(link, model) for each link whose row's deletion deletes this row (on_delete=CASCADE)."""
    for f in model._meta.concrete_fields:
        remote, target = f.remote_field, f.related_model
        if remote is not None and remote.on_delete is models.CASCADE and target is not None:
            yield f.name, target


def _hold_problem(
    drafted: Drafted, held: dict[str, str], drafts: dict[str, Drafted], registry: Registry
) -> tuple[str, str]:
    """(the anchor a hold must have, or ``""``; why the rows cannot be held, or ``""``).

    Held rows must outlive every row whose deletion cascades to them (check E022): a row they
    hang off must be held from the same date (the hold's anchor follows that link), and a row
    deleted at erasure (the account, a basket) must not be one of them.
    """
    from jsg_privacy.registry import schema  # the checks this draft must pass

    needed: dict[str, str] = {}
    for link, target in _cascades(drafted.model):
        label = target._meta.label
        declared = registry.source_for(target)
        if label in held:
            needed[link] = f"{link}__{held[label]}"
        elif declared is not None and isinstance(declared.erasure, LegalHold):
            needed[link] = f"{link}__{declared.erasure.anchor}"
        elif target is _user_model() or label in drafts or (declared and schema.deletes(declared)):
            return "", (
                f"its link {link} to {label} has on_delete=CASCADE, and {label} rows are deleted "
                "on erasure: the held rows would go with them"
            )
    anchors = set(needed.values())
    if len(anchors) > 1:
        return "", (
            f"it hangs off {' and '.join(sorted(needed))}, each deleted with on_delete=CASCADE, "
            "and a hold can follow only one of them"
        )
    return (anchors.pop() if anchors else held.get(drafted.label, "")), ""


def _decide_holds(drafts: dict[str, Drafted], registry: Registry) -> None:
    """Sales records are held for the tax period, with the rows hanging off them; a row that
    could not outlive what it hangs off is not (and says why)."""
    held: dict[str, str] = {}
    for label, drafted in drafts.items():
        name = drafted.model.__name__.lower()
        own = drafted.anchor and "__" not in drafted.anchor
        if own and any(word in name for word in SALES_WORDS):
            held[label] = drafted.anchor
    growing = True
    while growing:  # rows found through a held row are held with it, from its date
        growing = False
        for label, drafted in drafts.items():
            if label in held or not drafted.subject:
                continue
            for parent, anchor in list(held.items()):
                link = _link_to(drafted.model, parent)
                if drafted.subject == link or drafted.subject.startswith(f"{link}__"):
                    held[label], growing = f"{link}__{anchor}", True
                    break
    problems: dict[str, str] = {}
    shrinking = True
    while shrinking:  # a row that cannot be held makes rows hanging off it unholdable too
        shrinking = False
        for label in list(held):
            anchor, problem = _hold_problem(drafts[label], held, drafts, registry)
            if problem:
                del held[label]
                problems[label], shrinking = problem, True
            elif anchor != held[label]:
                held[label] = anchor
    for label, drafted in drafts.items():
        if label in held:
            drafted.hold, drafted.anchor = True, held[label]
            drafted.category = drafted.category if drafted.category in ORDERISH else ORDER
        elif label in problems:
            drafted.todo.append(
                f"Not kept under a legal hold because {problems[label]}. If these rows are part "
                "of the tax record, change that link, or exempt the model as kept and deleted "
                "with the rows it hangs off."
            )


def _retention_todos(drafted: Drafted) -> None:
    if drafted.anchor:
        count, unit, why = RETENTION_GUESS[drafted.category]
        otherwise = f" (or {drafted.fallback}, where that is empty)" if drafted.fallback else ""
        drafted.todo.append(
            f"Retention: {count} {unit} after {drafted.anchor}{otherwise} is a guess ({why}); "
            "set your own."
        )
        if (
            not drafted.fallback
            and _may_be_empty(drafted.model, drafted.anchor)
            and not _through_the_subject(drafted.model, drafted.anchor, drafted.subject)
        ):
            drafted.todo.append(
                f"Rows whose {drafted.anchor} is empty would never be due, and no date every row "
                "has was found: name a fallback date (check E025), or exempt the model."
            )
    else:
        drafted.todo.append("No date to anchor retention on was found: add a retention rule.")
    if drafted.hold:
        drafted.todo.append(
            "Erasure keeps these rows under a legal hold for the tax period: check which fields "
            "the law needs (keep=...) and what happens when the hold ends."
        )


def _link_to(model: type[models.Model], label: str) -> str:
    for name, target, _nullable in _links(model):
        if target._meta.label == label:
            return name
    return "\0"  # matches no path


def draft(registry: Registry, labels: Iterable[str] = ()) -> list[Drafted]:
    """Draft declarations for every model with undeclared personal data (in ``labels``' apps)."""
    found = undeclared(registry, labels)
    personal = detection.personal_models(
        [m for m in apps.get_models() if not m._meta.proxy],
        declared=registry.sources,
        exempt=registry.exemptions,
    )
    drafts = {model._meta.label: draft_model(model, personal) for model in found}
    _decide_holds(drafts, registry)
    for drafted in drafts.values():
        drafted.fallback = _fallback(drafted.model, drafted.anchor, drafted.subject)
        _retention_todos(drafted)
    # Retention runs in this order. A row found through a row that points at it (an order's
    # address) comes first: once that row is deleted, it could not be found or dated. Then
    # parents before the rows found through them.
    return sorted(
        drafts.values(),
        key=lambda d: (not _through_reverse_link(d.model, d.subject), len(d.subject.split("__"))),
    )


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
    purposes = dict.fromkeys(
        key for category in drafted.fields for key in PURPOSE_GUESS.get(category, ())
    )
    if purposes:
        lines.append(f"    purposes = ({', '.join(f'inventory.{k}' for k in purposes)},)")
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
            *([f"        fallback={drafted.fallback!r},"] if drafted.fallback else []),
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

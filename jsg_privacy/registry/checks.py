"""System checks of the data inventory (ids jsg_privacy.E002 to E011, E020 to E024; see
docs/checks.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from jsg_privacy.crypto.fields import KeyedHashField
from jsg_privacy.registry import detection, schema
from jsg_privacy.registry.core import Registry
from jsg_privacy.registry.declarations import Basis, Safeguard
from jsg_privacy.registry.paths import PathError, json_key, resolve_field
from jsg_privacy.registry.rules import Anonymise, LegalHold
from jsg_privacy.registry.sources import ModelSource

DATE_FIELDS = (models.DateField,)  # DateTimeField is a DateField


def error(code: int, msg: str, hint: str = "", obj: Any = None) -> Error:
    return Error(msg, hint=hint or None, obj=obj, id=f"jsg_privacy.E{code:03d}")


class Incomplete(Error):
    """An error that says the inventory is incomplete rather than wrong (undeclared data, an
    unclassified column, no retention rule, an open to-do): a warning while a shop is being set up,
    an error with ``JSG_PRIVACY_STRICT`` or ``check --deploy`` (see :mod:`jsg_privacy.checks`)."""


def incomplete(code: int, msg: str, hint: str = "", obj: Any = None) -> Incomplete:
    return Incomplete(msg, hint=hint or None, obj=obj, id=f"jsg_privacy.E{code:03d}")


def check_registry(registry: Registry) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for check in (
        _declaration_problems,
        _undeclared_models,
        _sources,
        _references,
        _purposes,
        _recipients,
        _consent,
        schema.check_erasure_against_schema,
    ):
        messages.extend(check(registry))
    return messages


def _declaration_problems(registry: Registry) -> Iterator[Error]:
    for problem in registry.problems:
        yield error(11, f"{problem.obj} {problem.msg}", problem.hint)


def _undeclared_models(registry: Registry) -> Iterator[Incomplete]:
    """E002: a model with personal-looking fields, or rows hanging off rows about a person (an
    order's lines), that no declaration covers."""
    models_ = [m for m in apps.get_models() if not m._meta.proxy]
    personal = detection.personal_models(
        models_, declared=registry.sources, exempt=registry.exemptions
    )
    for model in models_:
        label = model._meta.label
        if label in registry.sources or label not in personal:
            continue
        exemption = registry.exemptions.get(label)
        if exemption is not None and not exemption.fields:
            continue
        found = detection.personal_looking_fields(model, personal)
        for name in exemption.fields if exemption else ():
            found.pop(name, None)
        if found:
            listing = "; ".join(f"{name} {reason}" for name, reason in found.items())
            yield incomplete(
                2,
                f"{label} holds personal-looking data that no declaration covers: {listing}.",
                f"Run `manage.py privacy_inspect {model._meta.app_label}` for a draft, and declare "
                f"it with @privacy.register({label!r}) in a privacy.py (see "
                "docs/declaring-personal-data.md); or, if it holds nothing about people, "
                f'privacy.exempt("{label}", reason="...").',
                obj=model,
            )


def _field_names(source: ModelSource) -> Iterator[tuple[str, str]]:
    """Every (what, field name) a model declaration mentions."""
    for name in source.personal_fields():
        yield "fields", name
    for name in source.not_personal:
        yield "not_personal", name
    for name in source.encrypted:
        yield "encrypted", name
    if source.export != "__all__":
        for name in source.export:
            yield "export", name
    if source.origin_field:
        yield "origin_field", source.origin_field
    for name in source.redact:
        yield "redact", name
    if isinstance(source.erasure, LegalHold):
        for name in source.erasure.keep:
            yield "legal hold keep", name
    erasure = source.erasure.then if isinstance(source.erasure, LegalHold) else source.erasure
    if isinstance(erasure, Anonymise):
        for name in erasure.fields:
            yield "erasure anonymisers", name


def _sources(registry: Registry) -> Iterator[Error]:
    for source in registry.model_sources():
        model, label = source.model, source.key
        malformed = [
            k
            for k, v in source.fields.items()
            if isinstance(v, str) or not isinstance(v, list | tuple)
        ]
        if malformed:
            yield error(
                4,
                f"{label} lists the fields of {', '.join(map(repr, malformed))} as something other than a list.",
                'Write fields = {"account": ["email", "phone"]}.',
                obj=model,
            )
            continue
        for what, name in _field_names(source):
            try:
                field = resolve_field(model, name)
            except PathError:
                yield error(4, f"{label}.{name} does not exist (named in {what}).", obj=model)
                continue
            if isinstance(field, models.ForeignObjectRel) and what != "not_personal":
                yield error(
                    4,
                    f"{label}.{name} is a relation from {field.related_model._meta.label}, "
                    f"not a field (named in {what}).",
                    f"Declare the data on {field.related_model._meta.label}'s own source.",
                    obj=model,
                )
        yield from _unclassified(registry, source)
        yield from _subject(source)
        yield from _retention(source)
        yield from _money(source)
        for item in source.todo:
            yield incomplete(
                20,
                f"{label}: to do: {item}",
                f"Decide, change the declaration, then remove the line from {type(source).__name__}.todo.",
                obj=model,
            )


def _unclassified(registry: Registry, source: ModelSource) -> Iterator[Incomplete]:
    """E003: every column of a declared model is in a category or in ``not_personal``, so export,
    erasure and retention cannot skip a field nobody classified."""
    model, label = source.model, source.key
    exemption = registry.exemptions.get(label)
    covered = {
        *source.personal_fields(),
        *source.not_personal,
        *(exemption.fields if exemption else ()),
    }
    # "extra__phone" covers "extra"; the first link of the subject's paths ("order" of
    # "order__user") is how rows are found, not data of their own.
    covered |= {name.split("__", 1)[0] for name in covered}
    covered |= {p.split("__", 1)[0] for p in (source.subject_path, source.subject_email) if p}
    if source.origin_field:
        covered.add(source.origin_field)  # who the data came from: shown with every record
    looks = detection.personal_looking_fields(model, {label})
    for field in model._meta.get_fields():
        if (field.auto_created and not field.concrete) or getattr(field, "primary_key", False):
            continue
        name = field.name
        if name in covered or name == source.subject_path or isinstance(field, KeyedHashField):
            continue
        if getattr(field, "parent_link", False):
            continue  # multi-table inheritance: the parent's own declaration covers it
        reason = looks.get(name)
        what = f"{reason} but is" if reason else "is"
        yield incomplete(
            3,
            f"{label}.{name} {what} in no category of its declaration and not in not_personal.",
            f"Add it to a category in {type(source).__name__}.fields if it is about a person, "
            "or to not_personal if it is not (a product, a price, a status).",
            obj=model,
        )


def _subject(source: ModelSource) -> Iterator[Error]:
    """E010: a source must say how to find one subject's rows."""
    label, path = source.key, source.subject_path
    if not path and not source.subject_email:
        yield error(
            10,
            f"{label} has no way to find one subject's rows.",
            'Set subject = "<path to the user>" and/or subject_email = "<path to an e-mail field>".',
            obj=source.model,
        )
    from django.conf import settings

    if path and path != "self":
        try:
            field = resolve_field(source.model, path)
        except PathError as exc:
            yield error(4, f"{label}.subject: {exc}.", obj=source.model)
        else:
            related = getattr(field, "related_model", None)
            if related is None or related._meta.label != settings.AUTH_USER_MODEL:
                yield error(
                    10,
                    f"{label}.subject {path!r} does not lead to the user model.",
                    obj=source.model,
                )
    if source.subject_email:
        try:
            field = resolve_field(source.model, source.subject_email)
        except PathError as exc:
            yield error(4, f"{label}.subject_email: {exc}.", obj=source.model)
        else:
            inside_json = json_key(source.model, source.subject_email) is not None
            if not (isinstance(field, models.CharField) or inside_json):
                yield error(
                    10,
                    f"{label}.subject_email {source.subject_email!r} is not a text field.",
                    obj=source.model,
                )


def _retention(source: ModelSource) -> Iterator[Error]:
    """E007: every source needs a retention rule anchored on a date field."""
    label = source.key
    if source.retention is None:
        categories = ", ".join(source.categories()) or "no category"
        yield incomplete(
            7,
            f"{label} ({categories}) has no retention rule.",
            "Set retention = privacy.Retention(anchor=..., period=privacy.Period(...), action=...): "
            "how long the rows are kept after which date, then deleted or anonymised "
            "(docs/retention.md).",
            obj=source.model,
        )
    anchors = [("retention", source.retention.anchor)] if source.retention else []
    if isinstance(source.erasure, LegalHold):
        anchors.append(("legal hold", source.erasure.anchor))
    periods = [("retention", source.retention.period)] if source.retention else []
    if isinstance(source.erasure, LegalHold):
        periods.append(("legal hold", source.erasure.period))
    for what, period in periods:
        if not period.is_valid:
            yield error(
                7,
                f"{label} {what} period {period!r} is not a whole, non-negative period.",
                obj=source.model,
            )
    rule = source.retention
    if rule is not None and rule.fallback:
        anchors.append(("retention fallback", rule.fallback))
    if (
        rule is not None
        and not rule.fallback
        and _nullable(source.model, rule.anchor)
        and not _lives_through_subject(source, rule.anchor)
    ):
        yield incomplete(
            25,
            f"{label} retention anchor {rule.anchor!r} may be empty, and the rule has no fallback: "
            "rows without it are kept for ever.",
            'Add a date every row has: privacy.Retention(..., fallback="created_at", '
            "fallback_period=privacy.Period(...)), e.g. an order never invoiced is kept from when "
            "it was placed.",
            obj=source.model,
        )
    for what, anchor in anchors:
        try:
            field = resolve_field(source.model, anchor)
        except PathError as exc:
            yield error(4, f"{label} {what} anchor: {exc}.", obj=source.model)
            continue
        if not isinstance(field, DATE_FIELDS):
            yield error(
                7,
                f"{label} {what} anchor {anchor!r} is not a date or datetime field.",
                "Anchor the rule on a DateField or DateTimeField (or a path to one).",
                obj=source.model,
            )


def _lives_through_subject(source: ModelSource, anchor: str) -> bool:
    """The anchor starts with the reverse link the subject is found through: the rows exist only
    through the row that points at them (an order's address rows, found and dated through the
    order). One without it is found by no request and has no date to fall back on: it is deleted
    with that row, not by a fallback (the dry run still counts such rows as never due)."""
    first = anchor.split("__", 1)[0]
    subject = source.subject_path.split("__", 1)[0] if source.subject_path else ""
    if "__" not in anchor or first != subject:
        return False
    try:
        field = source.model._meta.get_field(first)
    except FieldDoesNotExist:
        return False
    return bool(field.is_relation and not field.concrete)


def _nullable(model: type[models.Model], path: str) -> bool:
    """Whether a path may lead to no value: a nullable field, or a nullable link on the way."""
    current = model
    for name in path.split("__"):
        try:
            field = current._meta.get_field(name)
        except FieldDoesNotExist:  # a wrong path is reported by E004
            return False
        if getattr(field, "null", False) or (field.is_relation and not field.concrete):
            return True
        if field.is_relation and field.related_model is not None:
            current = field.related_model
    return False


def _references(registry: Registry) -> Iterator[Error]:
    """E005: every category or purpose a declaration names must exist."""
    categories, purposes = registry.categories, registry.purposes
    for source in registry.sources.values():
        for key in source.fields:
            if key not in categories:
                yield error(
                    5, f"{source.key} names an unknown category {key!r}.", _known(categories)
                )
    for purpose in purposes.values():
        for key in purpose.categories:
            if key not in categories:
                yield error(
                    5,
                    f"Purpose {purpose.key!r} names an unknown category {key!r}.",
                    _known(categories),
                )
    for recipient in registry.recipients.values():
        for key in recipient.categories:
            if key not in categories:
                yield error(
                    5,
                    f"Recipient {recipient.key!r} names an unknown category {key!r}.",
                    _known(categories),
                )
        for key in recipient.purposes:
            if key not in purposes:
                yield error(
                    5,
                    f"Recipient {recipient.key!r} names an unknown purpose {key!r}.",
                    _known(purposes),
                )
    for cookie in registry.cookies.values():
        if cookie.purpose not in purposes:
            yield error(
                5,
                f"Cookie {cookie.name!r} names an unknown purpose {cookie.purpose!r}.",
                _known(purposes),
            )


def _known(table: dict[str, Any]) -> str:
    return "Known: " + ", ".join(sorted(table)) + "."


def _purposes(registry: Registry) -> Iterator[Error]:
    """E006: a purpose needs an Art. 6(1) basis; legitimate interests need a balancing note."""
    for purpose in registry.purposes.values():
        if purpose.basis not in set(Basis):
            yield error(
                6,
                f"Purpose {purpose.key!r} has no valid legal basis ({purpose.basis!r}).",
                "One of: " + ", ".join(Basis) + ".",
            )
        elif purpose.basis == Basis.LEGITIMATE_INTERESTS and not purpose.balancing_note:
            yield error(
                6,
                f"Purpose {purpose.key!r} relies on legitimate interests without a balancing note.",
                "Say what the interest is and why it does not override the person's rights.",
            )


def _recipients(registry: Registry) -> Iterator[Error]:
    """E008: a recipient outside the UK and EEA needs a transfer safeguard."""
    for recipient in registry.recipients.values():
        if recipient.is_transfer and recipient.safeguard in (Safeguard.NONE, "", None):
            yield error(
                8,
                f"Recipient {recipient.key!r} is in {recipient.country} (outside the UK and EEA) "
                "and has no transfer safeguard.",
                "Set safeguard= adequacy, sccs, idta, dpf or derogation.",
            )


CONSENT_MIDDLEWARE = "jsg_privacy.consent.middleware.ConsentMiddleware"


def _consent(registry: Registry) -> Iterator[Error]:
    """E009: a consent-based purpose in use needs a way for people to give (and withdraw) consent.

    Cookies of a consent-based purpose are asked about by the banner, which needs the consent
    middleware; other purposes need a registered mechanism (a form's box, say). The hint names
    what is really missing: the middleware, or any cookie or mechanism at all.
    """
    from django.conf import settings

    banner = CONSENT_MIDDLEWARE in getattr(settings, "MIDDLEWARE", ())
    for key in registry.purposes_in_use:
        purpose = registry.purposes[key]
        cookies = registry.cookies_for(key)
        if purpose.basis != Basis.CONSENT or (banner and cookies):
            continue
        if registry.consent_mechanisms.get(key):
            continue
        if cookies:  # the banner would ask, but it is not installed
            hint = (
                f"Its cookies ({', '.join(c.name for c in cookies)}) are asked about by the banner: "
                f"add {CONSENT_MIDDLEWARE!r} to MIDDLEWARE (after AuthenticationMiddleware)."
            )
        else:
            hint = (
                f"Nothing declared uses it to ask: declare the cookies it sets with "
                f'privacy.add(privacy.Cookie("<name>", "<provider>", "{key}", <lifetime>, '
                '"<what it does>")), so the banner asks about them; or, if consent is asked in a '
                f'form, privacy.add_consent_mechanism("{key}", "<where and how>"); or, if the '
                f'shop does not do this, registry.remove("{key}").'
            )
        yield error(
            9, f"Purpose {key!r} is based on consent, but nothing collects that consent.", hint
        )


def _money(source: ModelSource) -> Iterator[Error]:
    """E085: an amount declared in ``money`` is one the export shows, with its currency field."""
    exported = set(source.export_fields())
    for name, money in source.money.items():
        missing = [n for n in (name, money.currency_field) if n and n not in exported]
        if missing:
            yield error(
                85,
                f"{source.key} declares money for {name!r}, but does not export "
                f"{', '.join(map(repr, missing))}: the export could not show that amount with "
                "its currency.",
                "Name only exported fields in money, and export the currency_field beside the "
                "amount (see docs/declaring-personal-data.md#amounts-of-money).",
                obj=source.model,
            )

"""System checks of jsg_privacy's keys and encryption at rest: E013, E015, E016, W005, W006, and
I001/E040, the personal fields stored in clear (E014 is the KeyedHashField's own check)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.checks import CheckMessage, Error, Info, Tags, Warning, register
from django.db import models

from jsg_privacy.conf import app_settings
from jsg_privacy.crypto import keys
from jsg_privacy.crypto.fields import KeyedHashField, digest_for, encrypted_fields
from jsg_privacy.registry.paths import PathError, json_key, resolve_field

SETTING = keys.ENCRYPTION_SETTING
GENERATE = (
    'Make a key with `python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"` and read it from your secret store, never the repo.'
)
GENERATE_HASH_KEY = (
    'Make one with `python -c "import secrets; print(secrets.token_urlsafe(48))"`, read it from '
    "your secret store (never the repo) and keep it: changing it orphans the keyed hashes until "
    "`privacy_rotate_keys --rehash`."
)


def _encrypted_models() -> list[Any]:
    return [m for m in apps.get_models() if encrypted_fields(m)]


@register(Tags.security, "jsg_privacy")
def check_encryption_keys(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E013: keys missing with DEBUG off, or not Fernet keys; W005: a key derived from SECRET_KEY.

    With DEBUG off, keys are required even if no model encrypts a field: jsg_privacy seals the work
    it queues (the Saleor App's events) with them, and derives none in production."""
    models = _encrypted_models()
    if not models and settings.DEBUG:
        return []
    configured = keys.configured_keys()
    bad = keys.invalid_keys(configured)
    if bad:
        return [
            Error(
                f"{SETTING}: key {', '.join(map(str, bad))} is not a Fernet key "
                "(32 url-safe base64-encoded bytes).",
                hint=GENERATE,
                id="jsg_privacy.E013",
            )
        ]
    if configured:
        return []
    names = ", ".join(sorted(m._meta.label for m in models))
    if not settings.DEBUG:
        users = f"; {names} encrypt personal data at rest" if names else ""
        return [
            Error(
                f"{SETTING} is empty while DEBUG is off{users}.",
                hint=GENERATE + f" Set {SETTING} = [key] (newest first).",
                id="jsg_privacy.E013",
            )
        ]
    return [
        Warning(
            f"{SETTING} is empty: personal data is encrypted with a key derived from SECRET_KEY.",
            hint="Fine for a local demo. " + GENERATE,
            id="jsg_privacy.W005",
        )
    ]


@register(Tags.security, "jsg_privacy")
def check_hash_key(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """E016: no hash key with DEBUG off; W006: the hash key is derived from SECRET_KEY (DEBUG on)."""
    if (
        not isinstance(app_settings.HASH_KEY, str | list | tuple)
        or not keys.uses_derived_hash_key()
    ):
        return []  # a wrong type is E001's
    if not settings.DEBUG:
        return [
            Error(
                f"{keys.HASH_SETTING} is empty while DEBUG is off: the consent ledger, the "
                "suppression list and keyed-hash columns would have no key of their own.",
                hint=GENERATE_HASH_KEY,
                id="jsg_privacy.E016",
            )
        ]
    return [
        Warning(
            f"{keys.HASH_SETTING} is empty: subject keys are derived from SECRET_KEY.",
            hint="Fine for a local demo. " + GENERATE_HASH_KEY,
            id="jsg_privacy.W006",
        )
    ]


@register(Tags.models, "jsg_privacy")
def check_encrypted_lookups(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E015: something would search an encrypted field: an admin's search, a subject's e-mail."""
    from jsg_privacy.registry import registry

    return [*_admin_searches(), *_subject_emails(registry)]


def _admin_searches() -> Iterator[Error]:
    for model, model_admin in admin.site._registry.items():
        for entry in getattr(model_admin, "search_fields", ()) or ():
            path = str(entry).lstrip("^=@")
            try:
                field = resolve_field(model, path.removesuffix("__exact").removesuffix("__iexact"))
            except PathError:
                continue  # Django's own admin checks report it
            if getattr(field, "encrypted", False):
                yield Error(
                    f"{type(model_admin).__name__}.search_fields names {entry!r}, an encrypted "
                    "field: searching the admin would fail.",
                    hint="Remove it. To find rows by an exact value (an e-mail address, a name), "
                    "add a KeyedHashField and jsg_privacy.crypto.admin.KeyedHashSearchMixin to "
                    "the ModelAdmin.",
                    obj=model_admin,
                    id="jsg_privacy.E015",
                )


def _subject_emails(registry: Any) -> Iterator[Error]:
    for source in registry.model_sources():
        if not source.subject_email:
            continue
        try:
            field = resolve_field(source.model, source.subject_email)
        except PathError:
            continue  # E004
        if getattr(field, "encrypted", False) and digest_for(field.model, field.name) is None:
            yield Error(
                f"{source.key}.subject_email is {source.subject_email!r}, an encrypted field with "
                "no keyed hash: a subject's rows could not be found by e-mail.",
                hint=f'Add {field.name}_digest = KeyedHashField("{field.name}") to '
                f"{field.model._meta.label}.",
                obj=source.model,
                id="jsg_privacy.E015",
            )


#: Fields that hold text a person could be read from: the kinds encryption at rest is for. Dates,
#: numbers, flags and links are not listed (the database must compare them; they identify nobody
#: on their own), nor a choice among fixed values.
TEXT = (models.CharField, models.TextField, models.JSONField, models.GenericIPAddressField)


@register(Tags.security, "jsg_privacy")
def check_fields_in_clear(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """I001: a shop's declared personal fields stored in clear, one message per model (information:
    the shop decides, and records why in ``in_clear``); E040: ``in_clear`` names a field that is not
    a declared personal field stored in clear. jsg_privacy's own tables are left out (its
    documentation says what they keep in clear and why)."""
    from jsg_privacy.registry import registry

    found: list[CheckMessage] = []
    for source in registry.model_sources():
        if source.model.__module__.startswith("jsg_privacy."):
            continue
        clear = _in_clear(source)
        decided = dict(source.in_clear or {})
        wrong = [name for name in decided if name not in clear]
        if wrong:
            found.append(
                Error(
                    f"{type(source).__name__}.in_clear names {', '.join(map(repr, wrong))}: not a "
                    f"declared personal field of {source.key} stored in clear.",
                    hint="Remove it: in_clear records why a personal field is left unencrypted "
                    "(an encrypted field, or one not in fields, needs no entry).",
                    obj=source.model,
                    id="jsg_privacy.E040",
                )
            )
        left = [name for name in clear if name not in decided]
        if left:
            found.append(_listing(source, left))
    return found


def _in_clear(source: Any) -> list[str]:
    """The source's declared personal fields that hold text and are stored in clear."""
    model, encrypted = source.model, set(source.encrypted_fields())
    names = []
    for name in source.personal_fields():
        if name in encrypted:
            continue
        try:
            field = resolve_field(model, name)
            inside = json_key(model, name) if "__" in name else None
        except PathError:
            continue  # E004
        if "__" in name and (inside is None or not inside.local):
            continue  # a related model's field: its own source says
        if not isinstance(field, TEXT) or isinstance(field, KeyedHashField) or field.choices:
            continue
        if name == "password" and issubclass(model, AbstractBaseUser):
            continue  # a salted hash, not the password
        names.append(name)
    return names


def _listing(source: Any, names: list[str]) -> Info:
    user_model = source.key == settings.AUTH_USER_MODEL
    how = (
        "a custom user model (docs/encryption.md, 'Encrypting the user's e-mail')"
        if user_model
        else "EncryptedCharField, EncryptedEmailField or EncryptedTextField, with a KeyedHashField "
        "to find rows by an exact value, and encrypt_fields in the migration (docs/encryption.md)"
    )
    return Info(
        f"{source.key} stores declared personal fields in clear: {', '.join(names)}.",
        hint=f"Encrypt them with {how}; or record why each stays in clear: "
        f'{type(source).__name__}.in_clear = {{"{names[0]}": "why"}}.',
        obj=source.model,
        id="jsg_privacy.I001",
    )

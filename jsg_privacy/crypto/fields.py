"""Model fields that keep personal data encrypted at rest, and keyed-hash columns to find it again.

An encrypted field stores a Fernet token (AES-128-CBC + HMAC-SHA256, a fresh IV per value) in a
``text`` column and hands plaintext to Python, forms, the admin and exports. A database dump, a
backup or a read replica shows tokens only. Empty strings and ``NULL`` stay as they are: whether a
field is blank is not a secret, and ``blank=True`` forms keep working.

Because every token is different, the database cannot compare or search encrypted values: lookups
other than ``isnull`` and ``=""`` raise :class:`~django.core.exceptions.FieldError`. To find rows by
e-mail address, add a :class:`KeyedHashField` beside the encrypted field::

    email = EncryptedEmailField()
    email_digest = KeyedHashField("email")

    Order.objects.filter(email_digest__matches="Customer@Example.com")

A model source whose ``subject_email`` is encrypted finds a subject's rows through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, In

from jsg_privacy.crypto import keys, subjects

__all__ = [
    "DecryptionError",
    "EncryptedCharField",
    "EncryptedEmailField",
    "EncryptedTextField",
    "KeyedHashField",
    "digest_fields",
    "encrypted_fields",
    "is_encrypted",
]


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


class _EmptyOnlyExact(Exact):
    """``field=""`` / ``field=None`` on an encrypted field; any other value cannot match a token."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None) and not hasattr(self.rhs, "resolve_expression"):
            field = self.lhs.output_field
            raise FieldError(
                f"{field.model._meta.label}.{field.name} is encrypted: it can be compared with an "
                'empty value only. Find rows through a KeyedHashField: filter(<digest>__matches="…").'
            )
        return super().get_prep_lookup()


class EncryptedFieldMixin:
    """Encrypts on the way into the database and decrypts on the way out.

    Not typed as a ``Field`` subclass: that would make every encrypted field's value ``Any`` to
    mypy (an ``EncryptedEmailField`` holds a ``str``). Hence the ignores on what it reaches through
    the field it is mixed into.
    """

    #: Read by the registry, the Art. 30 record, the system checks and ``privacy_rotate_keys``.
    encrypted = True

    def get_internal_type(self) -> str:
        return "TextField"  # a token is about 1.4x + 100 characters longer than its plaintext

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)  # type: ignore[misc]
        if value is None or value == "":
            return value
        return keys.encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        try:
            return keys.decrypt(value)
        except keys.InvalidToken:
            field = f"{self.model._meta.label}.{self.name}"  # type: ignore[attr-defined]
            raise DecryptionError(
                f"A value of {field} cannot be decrypted with any key in "
                "JSG_PRIVACY_ENCRYPTION_KEYS: was a key removed before privacy_rotate_keys ran, or "
                "is this column still in clear (see jsg_privacy.crypto.operations.encrypt_fields)?"
            ) from None

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)  # type: ignore[misc]
        if lookup_name == "exact":
            return _EmptyOnlyExact
        field = f"{self.model._meta.label}.{self.name}"  # type: ignore[attr-defined]
        raise FieldError(
            f"{field} is encrypted: the database cannot search it with {lookup_name!r}. Find rows "
            'by an exact value through a KeyedHashField: filter(<digest>__matches="…").'
        )

    def get_transform(self, lookup_name: str) -> Any:
        return None


class EncryptedCharField(EncryptedFieldMixin, models.CharField):
    """A ``CharField`` stored encrypted; ``max_length`` limits the plaintext, not the column."""

    description = "String (up to %(max_length)s), encrypted at rest"


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    description = "Text, encrypted at rest"


class EncryptedEmailField(EncryptedFieldMixin, models.EmailField):
    description = "E-mail address, encrypted at rest"


def _normalised(kind: str, value: Any) -> str:
    """``"name"`` (a person's or a company's name) ignores case and how many spaces separate the
    words; other kinds but ``"email"``, surrounding spaces only."""
    if kind == "name":
        return " ".join(str(value).split()).casefold()
    return str(value).strip()


def digest(kind: str, value: Any) -> str:
    """The keyed hash stored for ``value``: ``""`` for an empty value, so blanks match nothing.

    ``"email"`` ignores case and surrounding spaces, like a subject key; ``"name"`` ignores case and
    spacing; any other kind, surrounding spaces only.
    """
    if value is None or str(value).strip() == "":
        return ""
    if kind == "email":
        return subjects.for_email(str(value))
    return subjects.keyed_hash(kind, _normalised(kind, value))


def digests(kind: str, value: Any) -> list[str]:
    """:func:`digest` under every configured hash key, newest first (what a lookup matches)."""
    if value is None or str(value).strip() == "":
        return []
    if kind == "email":
        return subjects.email_keys(str(value))
    return subjects.keyed_hashes(kind, _normalised(kind, value))


class KeyedHashField(models.CharField):
    """An HMAC-SHA256 of another field (``JSG_PRIVACY_HASH_KEY``), recomputed on every ``save()``.

    ``kind="email"`` (the default) normalises like :func:`jsg_privacy.crypto.subjects.for_email`
    (case and surrounding spaces ignored), so the digest equals the subject key the consent ledger
    uses; ``kind="name"`` finds a name typed in any case (``KeyedHashField("full_name",
    kind="name")``). ``QuerySet.update()`` and ``bulk_update()`` bypass ``save()``: jsg_privacy's own erasure
    and retention keep digests in step; ``privacy_rotate_keys --rehash`` repairs them otherwise.
    """

    description = "Keyed hash of another field, for exact lookups"

    def __init__(self, source: str = "", *, kind: str = "email", **kwargs: Any) -> None:
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(**kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        for key, default in (
            ("max_length", 64),
            ("editable", False),
            ("db_index", True),
            ("blank", True),
            ("default", ""),
        ):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        kwargs["source"] = self.source
        if self.kind != "email":
            kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[Any]:
        from django.core import checks

        errors = super().check(**kwargs)
        names = {f.name for f in self.model._meta.concrete_fields}
        if self.source not in names:
            errors.append(
                checks.Error(
                    f"KeyedHashField {self.name!r} hashes {self.source!r}, which is not a field "
                    f"of {self.model._meta.label}.",
                    obj=self,
                    id="jsg_privacy.E014",
                )
            )
        return errors

    def compute(self, instance: models.Model) -> str:
        return digest(self.kind, getattr(instance, self.source))

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value


@KeyedHashField.register_lookup
class Matches(In):
    """``filter(email_digest__matches="a@example.com")``: hashes the value under every configured
    hash key, then compares (a row written before a key rotation is still found)."""

    lookup_name = "matches"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        if hasattr(self.rhs, "resolve_expression"):
            raise FieldError("__matches takes a plain value, not an expression.")
        found = digests(self.lhs.output_field.kind, self.rhs)
        return found or ["-"]  # an empty value matches no row (a digest is 64 hex characters)


def is_encrypted(field: Any) -> bool:
    return bool(getattr(field, "encrypted", False))


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    """The model's concrete encrypted fields, in declaration order."""
    return [f for f in model._meta.concrete_fields if is_encrypted(f)]


def digest_fields(model: type[models.Model]) -> list[KeyedHashField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, KeyedHashField)]


def digest_for(model: type[models.Model], source: str) -> KeyedHashField | None:
    """The keyed-hash field that hashes ``source`` on ``model``, if there is one."""
    return next((f for f in digest_fields(model) if f.source == source), None)


def refresh_digests(instance: models.Model, changed: Iterable[str]) -> list[str]:
    """Recompute the digests of ``changed`` fields on ``instance``; return the digests' attnames.

    For code that writes through ``bulk_update`` (which skips ``pre_save``).
    """
    changed = set(changed)
    refreshed = []
    for field in digest_fields(type(instance)):
        source = type(instance)._meta.get_field(field.source)  # a concrete field (check E014)
        if field.source in changed or (
            isinstance(source, models.Field) and source.attname in changed
        ):
            setattr(instance, field.attname, field.compute(instance))
            refreshed.append(field.attname)
    return refreshed

"""The registry: one inventory of categories, purposes, recipients, cookies and sources per process."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from contextlib import ContextDecorator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, overload

from django.apps import apps
from django.db import models

from jsg_privacy.registry.declarations import Basis, Category, Cookie, Purpose, Recipient
from jsg_privacy.registry.sources import ModelSource, RemoteSource, Source

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = TypeVar("S", bound=type[ModelSource])
L = TypeVar("L", bound=Callable[["Registry"], None])


@dataclass(frozen=True)
class Problem:
    """A mistake in a declaration, reported by ``manage.py check`` (never raised at import time)."""

    obj: str
    msg: str
    hint: str = ""


@dataclass(frozen=True)
class Exemption:
    """Fields (or a whole model when ``fields`` is empty) that look personal but are not."""

    fields: tuple[str, ...]
    reason: StrOrPromise


class Registry:
    """Everything the shop declared. Use the module-level instance ``jsg_privacy.registry.registry``."""

    def __init__(self) -> None:
        self.categories: dict[str, Category] = {}
        self.purposes: dict[str, Purpose] = {}
        self.recipients: dict[str, Recipient] = {}
        self.cookies: dict[str, Cookie] = {}
        self.sources: dict[str, Source] = {}
        self.exemptions: dict[str, Exemption] = {}
        #: Purpose key -> how a person gives (and withdraws) consent for it.
        self.consent_mechanisms: dict[str, list[StrOrPromise]] = {}
        self.problems: list[Problem] = []
        # Where each source was first declared: one withdrawn and declared again (a feature switched
        # off and on) goes back to its place, so notices and exports list sources in one order.
        self._positions: dict[str, int] = {}

    # -- declaring ---------------------------------------------------------------------------

    def add(self, *items: Category | Purpose | Recipient | Cookie) -> None:
        """Declare categories, purposes, recipients or cookies; a later one replaces the same key."""
        for item in items:
            match item:
                case Category():
                    self.categories[item.key] = item
                case Purpose():
                    self.purposes[item.key] = item
                case Recipient():
                    self.recipients[item.key] = item
                case Cookie():
                    self.cookies[item.name] = item
                case _:
                    self.problems.append(Problem(repr(item), "is not a declaration."))
        self._changed()

    def remove(self, *keys: str) -> None:
        """Withdraw built-in declarations the shop does not use, by key (or cookie name)."""
        for key in keys:
            for table in (self.categories, self.purposes, self.recipients, self.cookies):
                table.pop(key, None)
        self._changed()

    @overload
    def register(
        self, model: type[models.Model] | str, source_class: None = None
    ) -> Callable[[S], S]: ...
    @overload
    def register(self, model: type[models.Model] | str, source_class: S) -> S: ...
    def register(
        self,
        model: type[models.Model] | str,
        source_class: type[ModelSource] | None = None,
    ) -> Any:
        """Declare a model's personal data; usable as ``@registry.register(Model)`` on a class.

        ``model`` may be a model class or an ``"app_label.Model"`` label, so models the shop does not
        own (``"auth.User"``) can be declared too.
        """
        if source_class is None:

            def decorator(cls: S) -> S:
                self.register(model, cls)
                return cls

            return decorator
        resolved = self._resolve_model(model)
        if resolved is None:
            return source_class
        if not (isinstance(source_class, type) and issubclass(source_class, ModelSource)):
            self.problems.append(
                Problem(
                    resolved._meta.label, f"is declared with {source_class!r}, not a ModelSource."
                )
            )
            return source_class
        if resolved._meta.label in self.sources:
            self.problems.append(
                Problem(
                    resolved._meta.label,
                    "is declared twice; the second declaration was ignored.",
                    hint="Keep one declaration per model, or call registry.unregister() first.",
                )
            )
            return source_class
        self._add_source(resolved._meta.label, source_class(resolved, self))
        return source_class

    def _add_source(self, key: str, source: Source) -> None:
        position = self._positions.setdefault(key, len(self._positions))
        later = [other for other in self.sources if self._positions.get(other, 0) > position]
        self.sources[key] = source
        for other in later:  # move the sources declared after it behind it again
            self.sources[other] = self.sources.pop(other)
        self._changed()

    def register_remote(self, source: RemoteSource) -> None:
        """Declare a source that is not a Django model (another system, reached by API)."""
        if not isinstance(source, RemoteSource) or not source.key:
            self.problems.append(Problem(repr(source), "is not a RemoteSource with a key."))
            return
        self._add_source(source.key, source)

    def unregister(self, model: type[models.Model] | str) -> None:
        key = model if isinstance(model, str) else model._meta.label
        resolved = self._resolve_model(key, report=False) if isinstance(model, str) else model
        self.sources.pop(resolved._meta.label if resolved else key, None)
        self._changed()

    def exempt(
        self,
        model: type[models.Model] | str,
        *,
        fields: Iterable[str] = (),
        reason: StrOrPromise,
    ) -> None:
        """Mark a model (or some of its fields) as holding no personal data, with the reason."""
        resolved = self._resolve_model(model)
        if resolved is not None:
            self.exemptions[resolved._meta.label] = Exemption(tuple(fields), reason)
            self._changed()

    def add_consent_mechanism(self, purpose: str, description: StrOrPromise) -> None:
        """Record how people give consent for a consent-based purpose (a banner, a checkbox)."""
        self.consent_mechanisms.setdefault(purpose, []).append(description)
        self._changed()

    # -- reading -----------------------------------------------------------------------------

    def model_sources(self) -> Iterator[ModelSource]:
        return (s for s in self.sources.values() if isinstance(s, ModelSource))

    def source_for(self, model: type[models.Model]) -> ModelSource | None:
        source = self.sources.get(model._meta.label)
        return source if isinstance(source, ModelSource) else None

    @cached_property
    def categories_in_use(self) -> tuple[str, ...]:
        """Category keys that some source holds fields of (or cookies, for "cookies"), in order."""
        used = {key for source in self.sources.values() for key in source.categories()}
        if self.cookies:
            used.add("cookies")
        return tuple(key for key in self.categories if key in used)

    def purposes_of(self, source: Source) -> tuple[str, ...]:
        """The declared purposes ``source``'s data serves: those it names in ``purposes``, or else
        every purpose linked to one of its categories."""
        if source.purposes:
            return tuple(key for key in self.purposes if key in source.purposes)
        held = set(source.categories())
        return tuple(
            key for key, purpose in self.purposes.items() if held.intersection(purpose.categories)
        )

    @cached_property
    def purposes_in_use(self) -> tuple[str, ...]:
        """Purposes some source's data serves (see :meth:`purposes_of`), or a declared cookie names.

        Cookies are matched by their own purpose, so declaring Django's session cookie does not put
        every cookie-related purpose (analytics, marketing) into the notice. A source that names its
        purposes puts exactly those in use, even one linked to no category it holds (the marketing
        choices record the consent to publish testimonials).
        """
        used = {key for source in self.sources.values() for key in self.purposes_of(source)}
        used.update(cookie.purpose for cookie in self.cookies.values())
        return tuple(key for key in self.purposes if key in used)

    def purposes_for(self, category: str) -> list[Purpose]:
        """The purposes in use for ``category``: for cookies, those a cookie names; otherwise those
        the sources holding it serve, linked to it or named by the source."""
        if category == "cookies":
            named = {cookie.purpose for cookie in self.cookies.values()}
            return [self.purposes[k] for k in self.purposes_in_use if k in named]
        served = {
            key
            for source in self.sources_for(category)
            for key in self.purposes_of(source)
            if source.purposes or category in self.purposes[key].categories
        }
        return [self.purposes[k] for k in self.purposes_in_use if k in served]

    def recipients_for(self, category: str) -> list[Recipient]:
        return [r for r in self.recipients.values() if category in r.categories]

    def sources_for(self, category: str) -> list[Source]:
        return [s for s in self.sources.values() if category in s.categories()]

    def consent_purposes(self) -> list[Purpose]:
        """Purposes whose basis is consent: the consent flows turn them into choices people make."""
        return [p for p in self.purposes.values() if p.basis == Basis.CONSENT]

    def cookies_for(self, purpose: str) -> list[Cookie]:
        return [c for c in self.cookies.values() if c.purpose == purpose]

    # -- tests -------------------------------------------------------------------------------

    def temporarily(self) -> _Temporarily:
        """A context manager and decorator that restores the registry as it was on exit.

        Declare inside it as usual::

            with registry.temporarily():
                registry.register(Newsletter, NewsletterSource)
                ...
        """
        return _Temporarily(self)

    # -- internals ---------------------------------------------------------------------------

    def _resolve_model(self, model: type[models.Model] | str, report: bool = True) -> Any:
        if isinstance(model, type) and issubclass(model, models.Model):
            return model
        try:
            return apps.get_model(str(model))
        except (LookupError, ValueError):
            if report:
                self.problems.append(
                    Problem(str(model), "is not an installed model.", hint='Use "app_label.Model".')
                )
            return None

    def _changed(self) -> None:
        for name in ("categories_in_use", "purposes_in_use"):
            self.__dict__.pop(name, None)
        for listener in _listeners:
            listener(self)


_listeners: list[Callable[[Registry], None]] = []


def on_change(listener: L) -> L:
    """Call ``listener(registry)`` whenever a declaration changes (caches use it to invalidate)."""
    _listeners.append(listener)
    return listener


class _Temporarily(ContextDecorator):
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.saved: list[dict[str, Any]] = []

    def __enter__(self) -> Registry:
        self.saved.append(copy.copy(self.registry.__dict__))
        for name, value in list(self.registry.__dict__.items()):
            if isinstance(value, list):
                self.registry.__dict__[name] = list(value)
            elif isinstance(value, dict):  # one level deeper for consent_mechanisms' lists
                self.registry.__dict__[name] = {
                    k: list(v) if isinstance(v, list) else v for k, v in value.items()
                }
        return self.registry

    def __exit__(self, *exc: object) -> None:
        self.registry.__dict__.clear()
        self.registry.__dict__.update(self.saved.pop())
        self.registry._changed()

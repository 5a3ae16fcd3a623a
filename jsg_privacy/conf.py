"""The one settings object of jsg_privacy.

Every setting is read from ``django.conf.settings`` with the ``JSG_PRIVACY_`` prefix at the moment it
is used, never copied at import time, so ``override_settings`` works in tests and nothing is written
into the project's settings. Each setting is declared once, below, with its default, accepted types
and a one-line description; the system checks and the configuration docs are derived from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar, overload

from django.conf import settings

PREFIX = "JSG_PRIVACY_"

T = TypeVar("T")


class Setting(Generic[T]):
    """A lazily read ``JSG_PRIVACY_<NAME>`` setting."""

    def __init__(self, default: T, *, types: type | tuple[type, ...], help: str) -> None:
        self.default = default
        self.types = types
        self.help = help
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @property
    def setting_name(self) -> str:
        return PREFIX + self.name

    @overload
    def __get__(self, instance: None, owner: type) -> Setting[T]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> T: ...
    def __get__(self, instance: object | None, owner: type) -> T | Setting[T]:
        if instance is None:
            return self
        return getattr(settings, self.setting_name, self.default)

    def is_valid(self, value: Any) -> bool:
        return isinstance(value, self.types)


class AppSettings:
    """Settings of jsg_privacy. Use the module-level ``app_settings`` instance."""

    ROLE = Setting(
        "controller",
        types=str,
        help='"controller" (the shop decides why and how data is processed) or "processor" '
        "(it processes personal data on its clients' instructions).",
    )
    CONTROLLER = Setting[Mapping[str, Any]](
        {},
        types=Mapping,
        help="Who the controller is: name, address, email, phone, privacy_manager, "
        "ico_registration, supervisory_authority.",
    )

    @classmethod
    def declared(cls) -> dict[str, Setting[Any]]:
        """Every declared setting, by its name without the prefix."""
        return {
            name: value for name, value in vars(cls).items() if isinstance(value, Setting)
        }


app_settings = AppSettings()

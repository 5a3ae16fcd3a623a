"""The controllers a processor works for (``JSG_PRIVACY_ROLE = "processor"``), read from
``JSG_PRIVACY_CLIENTS`` into :class:`~jsg_privacy.registry.declarations.Client` declarations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsg_privacy.conf import PREFIX
from jsg_privacy.registry.declarations import Client
from jsg_privacy.registry.rules import Action, Period, Retention


def parse_clients(entries: Any) -> tuple[list[Client], list[str]]:
    """``JSG_PRIVACY_CLIENTS`` as :class:`Client` values, and a message for each bad entry."""
    clients: list[Client] = []
    problems: list[str] = []
    if not isinstance(entries, list | tuple):
        return clients, problems  # a wrong type is reported by jsg_privacy.E001 already
    for index, entry in enumerate(entries):
        where = f"{PREFIX}CLIENTS[{index}]"
        if not isinstance(entry, Mapping) or not entry.get("name"):
            problems.append(f"{where} needs a mapping with a name.")
            continue
        rules: dict[str, Retention] = {}
        for category, rule in dict(entry.get("retention") or {}).items():
            try:
                rules[category] = Retention(
                    anchor=rule["anchor"],
                    period=Period(
                        years=rule.get("years", 0),
                        months=rule.get("months", 0),
                        days=rule.get("days", 0),
                    ),
                    action=Action(rule.get("action", Action.DELETE)),
                )
            except (KeyError, TypeError, ValueError) as exc:
                problems.append(f"{where}.retention[{category!r}] is invalid: {exc!r}.")
        clients.append(Client(str(entry["name"]), str(entry.get("instructions", "")), rules))
    return clients, problems

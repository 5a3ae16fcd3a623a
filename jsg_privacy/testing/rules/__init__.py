"""The kit's rules, in the order they run and are reported. Each module registers its own."""

from jsg_privacy.testing.results import RULE_IDS
from jsg_privacy.testing.rules import banner, data, forms, notice, tracking  # noqa: F401 -- registers
from jsg_privacy.testing.rules.base import RULES, Rule

RULES.sort(key=lambda rule: RULE_IDS.index(rule.id))

__all__ = ["RULES", "RULE_IDS", "Rule"]

"""What usage logging adds to the registry, while the shop has it switched on.

On (:func:`jsg_privacy.features.usage_logging`: the ``UsageMiddleware`` is in ``MIDDLEWARE`` and
``JSG_PRIVACY_USAGE_LOGGING`` is not ``False``), the usage log is a declared source: the notice lists
page views, searches and IP addresses, exports and erasure include them. Off, the table stays empty
and is exempt, so nothing claims it. Call :func:`install` from ``JsgPrivacyConfig.ready()`` and
again whenever a switch changes; it adds or withdraws, and calling it twice changes nothing.
"""

from __future__ import annotations

from jsg_privacy import features
from jsg_privacy.registry import Registry

OFF = (
    "Usage logging is switched off (jsg_privacy.usage.middleware.UsageMiddleware is not in "
    "MIDDLEWARE, or JSG_PRIVACY_USAGE_LOGGING is False): nothing writes this table."
)


def install(registry: Registry) -> None:
    from jsg_privacy.usage.models import UsageEvent
    from jsg_privacy.usage.sources import UsageEventSource

    features.declare_while(
        features.usage_logging(), registry, UsageEvent, UsageEventSource, off_reason=OFF
    )

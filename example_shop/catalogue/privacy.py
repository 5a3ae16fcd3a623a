"""The shop's own cookies beyond Django's: each declared with provider, purpose and lifetime.

The tags that set them are in the base template as inert ``type="text/plain"`` scripts: the cookie
banner runs them only after the visitor accepts their group.
"""

from datetime import timedelta

from jsg_privacy import inventory
from jsg_privacy import registry as privacy

privacy.add(
    privacy.Cookie(
        "_sa_id",
        "JSG Metering Solutions (first-party analytics)",
        inventory.ANALYTICS,
        timedelta(days=365),
        "Tells visits apart so we can count them; never shared.",
    ),
    privacy.Cookie(
        "_sa_s_*",
        "JSG Metering Solutions (first-party analytics)",
        inventory.ANALYTICS,
        timedelta(minutes=30),
        "Groups the pages of one visit.",
    ),
    privacy.Cookie(
        "_adclick",
        "Advertising partner (demo)",
        inventory.MARKETING_CONSENT,
        timedelta(days=90),
        "Records that you came from one of our adverts, so the partner can measure it.",
    ),
)

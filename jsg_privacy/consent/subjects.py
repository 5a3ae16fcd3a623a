"""Moved to :mod:`jsg_privacy.crypto.subjects` (subject keys are the base layer's); this name
stays for imports written before, with a warning."""

import warnings

from jsg_privacy.crypto.subjects import *  # noqa: F403
from jsg_privacy.crypto.subjects import __all__  # noqa: F401  (re-exported)

warnings.warn(
    "jsg_privacy.consent.subjects moved to jsg_privacy.crypto.subjects.",
    DeprecationWarning,
    stacklevel=2,
)

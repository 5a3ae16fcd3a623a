"""Settings of the servers ``python -m bench shop`` starts: the example shop on PostgreSQL, with
jsg_privacy (``JSG_BENCH_SHOP_VARIANT=privacy``) or without it (``bare``).

"Without jsg_privacy" is the same shop with none of jsg_privacy's middleware and a ``base.html``
without its tags (made from the shop's own, as ``bench_consent`` makes it), so both serve the same
product page from the same database; only what jsg_privacy adds differs.
"""

import os
import tempfile
from pathlib import Path

from bench.settings import *  # noqa: F403

VARIANT = os.environ.get("JSG_BENCH_SHOP_VARIANT", "privacy")
DEBUG = False
# The usage log as a shop switches it on: page views of visitors who accepted analytics are
# buffered and written in batches by each process's writer thread.
JSG_PRIVACY_USAGE_FLUSH_SECONDS = 2.0

if VARIANT == "bare":
    import copy
    import re

    MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("jsg_privacy.")]  # noqa: F405
    _shop_base = Path(__file__).resolve().parent.parent / "example_shop" / "templates" / "base.html"
    _stripped = _shop_base.read_text()
    for _pattern in (
        r"^[ \t]*\{%\s*consent_(?:head|banner|script)\b[^%]*%\}[ \t]*\n",
        r"^[ \t]*<li>\s*\{%\s*privacy_settings_link\b[^%]*%\}\s*</li>[ \t]*\n",
        r"^[ \t]*\{#[^#]*\bconsent\b[^#]*#\}[ \t]*\n",
        r"^[ \t]*<script\b[^>]*\bdata-consent=[^>]*>\s*</script>[ \t]*\n",
    ):
        _stripped = re.sub(_pattern, "", _stripped, flags=re.M)
    if re.search(r"consent_head|consent_banner|privacy_settings_link|data-consent", _stripped):
        raise RuntimeError("bench/shop_settings.py could not take jsg_privacy out of base.html")
    _directory = tempfile.mkdtemp(prefix="jsg-bench-bare-")
    Path(_directory, "base.html").write_text(_stripped)
    TEMPLATES = copy.deepcopy(TEMPLATES)  # noqa: F405
    TEMPLATES[0]["DIRS"] = [_directory, *TEMPLATES[0].get("DIRS", [])]

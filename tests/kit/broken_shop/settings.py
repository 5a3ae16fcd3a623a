"""A shop that breaks the rules on purpose, for the compliance kit's own tests:

an ungated tag and a third-party pixel on the home page, a page without the privacy-settings link,
a pre-ticked newsletter box, a banner whose Reject all is a small grey link and whose close button
accepts everything, one switch for all purposes, GPC dropped before the consent layer, no card-data
guard, a model nobody declared, an "anonymiser" that keeps the text, and no controller named.
"""

from tests.settings import *  # noqa: F403

BROKEN_DIR = __import__("pathlib").Path(__file__).resolve().parent

INSTALLED_APPS = [*INSTALLED_APPS, "tests.kit.broken_shop"]  # noqa: F405
ROOT_URLCONF = "tests.kit.broken_shop.urls"
TEMPLATES[0]["DIRS"] = [BROKEN_DIR / "templates", *TEMPLATES[0]["DIRS"]]  # noqa: F405
STATICFILES_DIRS = [BROKEN_DIR / "static", *globals().get("STATICFILES_DIRS", [])]
MIDDLEWARE = [
    "tests.kit.broken_shop.middleware.IgnoreGpcMiddleware",
    *(m for m in MIDDLEWARE if not m.endswith("CardDataGuardMiddleware")),  # noqa: F405
]
JSG_PRIVACY_STRICT = False
JSG_PRIVACY_CONTROLLER = {}

# The shop's whole set-up of the kit:
JSG_PRIVACY_KIT = {
    "pages": ["/", "/news/", "/privacy/notice/"],
    "sign_up": "/sign-up/",
    "subject": "tests.kit.broken_shop.kit.make_subject",
}

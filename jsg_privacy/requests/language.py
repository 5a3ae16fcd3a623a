"""The requester's language: what their letters and their export are written in.

A request made on the shop's pages (the public form, the account page) records the language those
pages were read in. Every letter about it, and the export, is then in that language, whoever sends
it and whenever: staff working in English, a Celery worker with no request at all. A request taken
by staff (telephone, letter) has none recorded and is answered in the project's ``LANGUAGE_CODE``,
never in the language the member of staff happens to use.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.conf import settings
from django.utils import translation

from jsg_privacy.requests.models import Case, Channel

#: Channels on which the requester is the one reading the page, so its language is theirs.
ON_THE_SHOPS_PAGES = (Channel.ACCOUNT, Channel.WEB_FORM)


def offered(code: str) -> str:
    """``code`` as one of ``LANGUAGES`` (``cy-gb`` is ``cy`` if only ``cy`` is offered), or ""."""
    if not code:
        return ""
    codes = {c.lower() for c, _name in settings.LANGUAGES}
    code = code.lower()
    if code in codes:
        return code
    base = code.split("-")[0]
    return base if base in codes else ""


def of_request(channel: str) -> str:
    """The language to record for a request received now on ``channel`` ("" for staff's)."""
    return offered(translation.get_language() or "") if channel in ON_THE_SHOPS_PAGES else ""


def speaking(case: Case) -> AbstractContextManager[None]:
    """``with speaking(case):`` renders what the requester reads in their language."""
    return translation.override(offered(case.language) or settings.LANGUAGE_CODE)

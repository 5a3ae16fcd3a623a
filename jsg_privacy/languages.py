"""The language switcher: ``{% language_switcher %}`` posts here to change the pages' language.

Django's own ``set_language`` view does the work (it checks the language against ``LANGUAGES``,
sets the language cookie, and sends the visitor back to a safe ``next``). The form carries no CSRF
token, so the pages showing it set no cookie and stay cacheable, as the banner's forms do: the
request is accepted from this site's own pages by what the browser says of it
(:mod:`jsg_privacy.consent.origin`), with Django's token check as the fallback.

The language changes what a page says, never what a visitor chose: cookie groups are versioned in
the project's ``LANGUAGE_CODE`` (:func:`jsg_privacy.consent.groups.versions`), so a choice made in
Welsh stands in English.
"""

from __future__ import annotations

from django.conf import global_settings, settings
from django.core.checks import CheckMessage, Warning
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from jsg_privacy.consent import origin


def offered() -> list[tuple[str, str]]:
    """The languages a visitor may choose: the project's ``LANGUAGES``, if it set them.

    Django's default ``LANGUAGES`` lists every language Django speaks, which no shop offers, so a
    project that does not set ``LANGUAGES`` (or sets one) gets no switcher.
    """
    if settings.LANGUAGES == global_settings.LANGUAGES or len(settings.LANGUAGES) < 2:
        return []
    return [(code, str(name)) for code, name in settings.LANGUAGES]


#: A string of the banner every catalogue of jsg_privacy's translates: a language that leaves it in
#: English has no catalogue for jsg_privacy (check W095).
PROBE = "Accept all"
LOCALE_MIDDLEWARE = "django.middleware.locale.LocaleMiddleware"


def problems() -> list[CheckMessage]:
    """W094: languages offered but never chosen; W095: a language with no catalogue for us."""
    languages = offered()
    if not languages:
        return []
    found: list[CheckMessage] = []
    if LOCALE_MIDDLEWARE not in settings.MIDDLEWARE:
        found.append(
            Warning(
                f"LANGUAGES offers {len(languages)} languages but {LOCALE_MIDDLEWARE} is not in "
                "MIDDLEWARE: every visitor reads LANGUAGE_CODE, whatever the language switcher "
                "or their browser says.",
                hint=f'Add "{LOCALE_MIDDLEWARE}" after SessionMiddleware and before '
                "CommonMiddleware (docs/languages.md).",
                id="jsg_privacy.W094",
            )
        )
    untranslated = []
    for code, _name in languages:
        if code.split("-")[0] == "en":
            continue
        with translation.override(code):
            if translation.gettext(PROBE) == PROBE:
                untranslated.append(code)
    if untranslated:
        found.append(
            Warning(
                "jsg_privacy has no translation for "
                + ", ".join(untranslated)
                + " in LANGUAGES: its banner, notice, forms and e-mails show in English there.",
                hint="jsg_privacy ships Welsh (cy) and French (fr). Add a catalogue for the others "
                "in a folder of LOCALE_PATHS (docs/languages.md), or leave them out of LANGUAGES.",
                id="jsg_privacy.W095",
            )
        )
    return found


@csrf_exempt  # checked below: by the browser's Sec-Fetch-Site/Origin, else Django's token
@require_POST
def set_language(request: HttpRequest) -> HttpResponseBase:
    """``POST language=<code>&next=<path>``: Django's ``set_language``, from this site only."""
    refused = origin.check(request)
    if refused is not None:
        return refused
    return django_set_language(request)

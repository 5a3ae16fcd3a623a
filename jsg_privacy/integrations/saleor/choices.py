"""Marketing boxes shown by a Saleor storefront, read from Saleor's metadata into the ledger.

The storefront writes the boxes it showed, ticked or not, with the version of the wording each
showed, into the public metadata under ``JSG_PRIVACY_SALEOR_CHOICES_KEY`` — a checkout's
(``updateMetadata`` with the checkout's id; Saleor copies it to the order) or, on the account page,
the customer's. The value is JSON::

    {"email": {"ticked": true, "version": "3f2a…"}, "sms": {"ticked": false, "version": "9c1d…"}}

Box names and current versions come from ``GET /privacy/saleor/choices/``. CHECKOUT_UPDATED,
CHECKOUT_METADATA_UPDATED and ORDER_CREATED record them against the checkout's e-mail address (the
customer's or the guest's), CUSTOMER_METADATA_UPDATED against the customer's, each with the channel
``checkout`` or ``preferences``:

- a ticked box is consent given (with double opt-in on, a confirmation e-mail is sent first);
- an unticked box at checkout is a refusal, recorded as such in the ledger (it withdraws nothing:
  a checkout's boxes start unticked whatever was chosen before); on the account page, where the
  boxes show the current choices, an unticked box withdraws a consent given before.

A box that is not one of the shop's, not ``{"ticked": true|false, "version": <the current
version>}``, or a value that is not such a JSON object, is ignored with a warning in the log (the
event, the store and what is wrong; never the address) and is never taken as consent. A value
already recorded for the same checkout (Saleor sends CHECKOUT_UPDATED on every change) is not
recorded again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from jsg_privacy.conf import app_settings
from jsg_privacy.consent import ledger
from jsg_privacy.consent.models import Action, Channel
from jsg_privacy.crypto import subjects
from jsg_privacy.integrations.saleor.conf import saleor_settings
from jsg_privacy.integrations.saleor.erasure import PSEUDONYM_DOMAIN
from jsg_privacy.integrations.saleor.models import ChoicesSeen, Installation
from jsg_privacy.marketing import api, choices, wording
from jsg_privacy.marketing.choices import Person

logger = logging.getLogger("jsg_privacy.integrations.saleor")


class InvalidChoices(ValueError):
    """The value is not a JSON object of boxes; the message names no personal data."""


def read(raw: str) -> tuple[dict[str, tuple[bool, str]], list[str]]:
    """``({box name: (ticked, version)}, [what was ignored and why])`` from the metadata value."""
    try:
        value = json.loads(raw)
    except ValueError:
        raise InvalidChoices("the value is not JSON") from None
    if not isinstance(value, dict):
        raise InvalidChoices("the value is not a JSON object")
    boxes = {box.name: box for box in wording.boxes(testimonials=True)}
    found: dict[str, tuple[bool, str]] = {}
    ignored: list[str] = []
    for name, shown in value.items():
        box = boxes.get(name)
        if box is None:
            ignored.append(f"{str(name)[:40]!r} is not one of the shop's boxes")
            continue
        if not isinstance(shown, dict) or not isinstance(shown.get("ticked"), bool):
            ignored.append(f"{name!r} has no ticked true or false")
        elif shown.get("version") != box.version:
            ignored.append(f"{name!r} was shown with another wording than the shop's current one")
        else:
            found[name] = (shown["ticked"], box.version)
    return found, ignored


def record(
    installation: Installation,
    event: str,
    object_id: str,
    email: str,
    raw: str | None,
    *,
    account_page: bool = False,
) -> None:
    """Record the boxes in ``raw`` (the metadata value) for the owner of ``email``."""
    if raw is None or not email:
        return  # no boxes shown (or nobody to record them for yet: a checkout without e-mail)
    if email.endswith("@" + PSEUDONYM_DOMAIN):
        return  # a checkout pseudonymised on erasure (Saleor 3.22): it is nobody's choice
    try:
        found, ignored = read(raw)
    except InvalidChoices as error:
        found, ignored = {}, [str(error)]
    for reason in ignored:
        logger.warning(
            "Ignored marketing boxes in %s from %s: %s.", event, installation.api_url, reason
        )
    if not found:
        return
    if app_settings.MARKETING_DOUBLE_OPT_IN and not saleor_settings.BASE_URL:
        # The confirmation e-mail needs the shop's address (check jsg_privacy_saleor.W010).
        logger.warning(
            "Marketing boxes in %s from %s not recorded: double opt-in needs "
            "JSG_PRIVACY_SALEOR_BASE_URL for the confirmation link.",
            event,
            installation.api_url,
        )
        return
    key = subjects.keyed_hash("saleor_choices", object_id)
    person = Person.of(email=email, proven=False)
    canonical = json.dumps(sorted(found.items()), separators=(",", ":"))
    digest = subjects.keyed_hash("saleor_choices_value", f"{person.subject_key}:{canonical}")
    channel = Channel.PREFERENCES if account_page else Channel.CHECKOUT
    with transaction.atomic():
        seen, created = ChoicesSeen.objects.select_for_update().get_or_create(
            installation=installation, key=key, defaults={"digest": digest}
        )
        if not created:
            if seen.digest == digest:
                return  # already recorded from this checkout (or account page)
            seen.digest = digest
            seen.save(update_fields=["digest"])
        _record(person, email, found, channel, withdraw=account_page)


def _record(
    person: Person,
    email: str,
    found: Mapping[str, tuple[bool, str]],
    channel: str,
    *,
    withdraw: bool,
) -> None:
    versions = {name: version for name, (_ticked, version) in found.items()}
    ticked = {name: was for name, (was, _version) in found.items()}
    api.record_choices(
        ticked,
        channel=channel,
        email=email,
        versions=versions,
        unticked_withdraws=withdraw,
        base_url=saleor_settings.BASE_URL,
        proven=False,
    )
    if withdraw:
        return
    for name, was in ticked.items():
        box = wording.box(name)
        latest: Any = choices.current(person, box.purpose, box.medium)
        if not was and not (latest is not None and latest.granted):
            ledger.append(
                subject_key=person.subject_key,
                purpose=box.purpose,
                action=Action.REFUSED,
                channel=channel,
                medium=box.medium,
                version=versions[name],
            )

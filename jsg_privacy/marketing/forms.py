"""Marketing boxes for any form: one unticked box per medium, a separate one for partners.

Add :class:`MarketingConsentMixin` to a checkout or sign-up form. It adds the boxes
(``marketing_email``, ``marketing_sms``, ... ``marketing_partners``) and a signed token listing the
boxes shown and the version of their wording. The server, not the page, decides what counts:

- the boxes start unticked whatever the caller passes as ``initial`` (a URL cannot pre-tick them);
- a POST whose token is forged, altered or made for another form is refused with a form error;
- so is a POST that ticks a box without the token, ticks a box the token does not list, or sends a
  ``marketing_*`` box the form never offered — the form is invalid and nothing is recorded.
- A POST with no token and no box ticked (a client that never showed the boxes) records nothing and
  is not refused, unless ``marketing_token_required`` is set (the preferences page sets it).
- A medium needs its contact detail: a box ticked while the form's field for it is empty (SMS
  without a phone number) is a form error on the box, and nothing is recorded
  (``marketing_contact_fields``).

Pass ``marketing_person`` (a :class:`~jsg_privacy.marketing.choices.Person`, for a signed-in
customer) to show that person's current choices instead: their earlier opt-ins are ticked, the
introduction says that unticking one withdraws it, and :meth:`record_marketing` then withdraws the
boxes left unticked.

After ``is_valid()``, call :meth:`~MarketingConsentMixin.record_marketing`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from jsg_privacy.conf import app_settings
from jsg_privacy.consent.models import Channel
from jsg_privacy.marketing import choices, tokens, wording
from jsg_privacy.marketing.choices import Outcome, Person

PREFIX = "marketing_"
TOKEN_FIELD = PREFIX + "token"
OFF_VALUES = ("", "0", "false", "off", "no")

#: Which form field holds each medium's contact detail (checked only where the form has the field).
DEFAULT_CONTACT_FIELDS: Mapping[str, str] = {"email": "email", "sms": "phone", "phone": "phone"}

TAMPERED = _(
    "We could not verify the marketing choices sent with this form, so nothing was recorded and "
    "nothing was saved. Please check the boxes you want and submit the form again."
)


class TokenField(forms.CharField):
    """A hidden field that always renders a fresh token, never the one that was posted."""

    widget = forms.HiddenInput

    def bound_data(self, data: Any, initial: Any) -> Any:
        return initial


if TYPE_CHECKING:
    _FormBase = forms.BaseForm  # what the mixin is mixed into, for the type checker
else:
    _FormBase = object


class MarketingConsentMixin(_FormBase):
    """Unticked marketing boxes with server-side checks; put it before the form class it extends."""

    #: The ledger's channel for choices made in this form: ``checkout``, ``signup``, ...
    marketing_channel: str = Channel.API
    #: Media offered (default ``JSG_PRIVACY_MARKETING_MEDIA``); an empty tuple offers none.
    marketing_media: Sequence[str] | None = None
    #: Ask for the partners box (shown only while JSG_PRIVACY_MARKETING_PARTNERS is on).
    marketing_partners: bool = True
    #: Ask for the testimonials box (shown only while JSG_PRIVACY_MARKETING_TESTIMONIALS is on).
    marketing_testimonials: bool = False
    #: A shop's own wording: ``{box name: (label, help_text)}``; a new wording is a new version.
    marketing_texts: Mapping[str, tuple[str, str]] = {}
    #: Refuse a POST without the token even when no box is ticked (it records nothing either way).
    marketing_token_required: bool = False
    #: ``{medium: form field}``: a ticked box needs that field filled in ("sms": "phone"). Fields the
    #: form does not have are not checked; add your own (``{"post": "billing_line1"}``).
    marketing_contact_fields: Mapping[str, str] = DEFAULT_CONTACT_FIELDS

    def __init__(self, *args: Any, marketing_person: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marketing_person = marketing_person
        self.marketing_versions: dict[str, str] = {}
        self.marketing_prefilled: dict[str, bool] = {}
        self.marketing_boxes = self._marketing_boxes()
        self.marketing_prefilled = {b.name: self.marketing_initial(b) for b in self.marketing_boxes}
        if any(self.marketing_prefilled.values()):
            # Some boxes show earlier opt-ins: the introduction above them says so, and is part of
            # each box's version.
            self.marketing_boxes = self._marketing_boxes()
        for box in self.marketing_boxes:
            name = PREFIX + box.name
            self.initial.pop(name, None)  # never from the caller (or a URL)
            self.fields[name] = forms.BooleanField(
                label=box.label,
                help_text=box.help_text,
                required=False,
                initial=self.marketing_prefilled[box.name],
            )
        self.initial.pop(TOKEN_FIELD, None)
        shown = {box.name: box.version for box in self.marketing_boxes}
        self.fields[TOKEN_FIELD] = TokenField(
            required=False, initial=tokens.offer_token(self.marketing_channel, shown)
        )

    def _marketing_boxes(self) -> list[wording.Box]:
        return wording.boxes(
            self.marketing_media,
            partners=self.marketing_partners,
            testimonials=self.marketing_testimonials,
            overrides=self.marketing_texts,
            introduction=self.marketing_intro,
        )

    # -- what the template shows -------------------------------------------------------------

    @property
    def marketing_legend(self) -> str:
        return wording.legend()

    @property
    def marketing_intro(self) -> str:
        if any(getattr(self, "marketing_prefilled", {}).values()):
            return wording.returning_intro()
        return wording.intro()

    @property
    def marketing_fields(self) -> list[forms.BoundField]:
        """The boxes, then the hidden token: render all of them inside the ``<form>``."""
        names = [PREFIX + box.name for box in self.marketing_boxes] + [TOKEN_FIELD]
        return [self[name] for name in names]

    def marketing_initial(self, box: wording.Box) -> bool:
        """A box's initial state: unticked, or ``marketing_person``'s current choice (an opt-in
        still awaiting its confirmation link shows ticked)."""
        if self.marketing_person is None:
            return False
        latest = choices.current(self.marketing_person, box.purpose, box.medium)
        return latest is not None and (latest.granted or latest.pending)

    # -- the server-side checks --------------------------------------------------------------

    def clean_marketing_token(self) -> dict[str, str]:
        """Run while cleaning the token field, so a form's own ``clean()`` cannot skip it."""
        self.marketing_versions = {}
        raw = self.cleaned_data.get(TOKEN_FIELD)
        ticked = {name for name, on in self._ticked().items() if on}
        unknown = self._unknown_boxes()
        if not raw and not self.marketing_token_required and not ticked and not unknown:
            return {}  # a client that never showed the boxes: nothing to record, nothing refused
        try:
            shown = tokens.read_offer(raw, self.marketing_channel)
        except tokens.InvalidToken:
            self.add_error(None, TAMPERED)
            return {}
        offered = {box.name for box in self.marketing_boxes}
        if not ticked <= offered & set(shown) or unknown:
            self.add_error(None, TAMPERED)
            return {}
        self.marketing_versions = {name: shown[name] for name in offered & set(shown)}
        return shown

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or self.cleaned_data
        self._check_contact_details()
        return cleaned

    def _check_contact_details(self) -> None:
        """A ticked box whose medium's contact field is empty is an error on the box."""
        for box in self.marketing_boxes:
            field = self.marketing_contact_fields.get(box.medium) if box.medium else None
            name = PREFIX + box.name
            if not field or field not in self.fields or not self.cleaned_data.get(name):
                continue
            if field in self.errors or str(self.cleaned_data.get(field) or "").strip():
                continue
            self.add_error(
                name,
                _("To get %(what)s, fill in “%(field)s” above, or untick this box.")
                % {
                    "what": box.label[:1].lower() + box.label[1:],
                    "field": self.fields[field].label,
                },
            )

    def _ticked(self) -> dict[str, bool]:
        return {
            box.name: bool(self.cleaned_data.get(PREFIX + box.name)) for box in self.marketing_boxes
        }

    def _unknown_boxes(self) -> list[str]:
        """``marketing_*`` values the form never offered (a box added to the page by hand)."""
        prefix = self.add_prefix(PREFIX)
        unknown = []
        for key in self.data:
            if not key.startswith(prefix):
                continue
            name = key[len(prefix) - len(PREFIX) :]
            values = self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data[key]]
            if name not in self.fields and any(str(v).lower() not in OFF_VALUES for v in values):
                unknown.append(name)
        return unknown

    # -- after is_valid() --------------------------------------------------------------------

    def marketing_choices(self) -> dict[str, bool]:
        """``{box name: ticked}`` for the boxes shown; call after ``is_valid()``."""
        return {name: on for name, on in self._ticked().items() if name in self.marketing_versions}

    def record_marketing(
        self,
        *,
        user: Any = None,
        email: str = "",
        request: HttpRequest | None = None,
        base_url: str = "",
        unticked_withdraws: bool | None = None,
        proven: bool = False,
    ) -> Outcome:
        """Record the choices for ``user`` (signed in) or the owner of ``email``.

        ``unticked_withdraws``: a box left unticked withdraws an earlier opt-in. By default, only
        when the boxes showed ``marketing_person``'s current choices.

        ``request`` (or ``base_url``) gives the absolute URL for a double opt-in link. ``proven``:
        the person has shown they receive mail at the address (a confirmed account); a form filled
        in by a guest or a new account is not proof, so by default an e-mail opt-in is confirmed by
        the e-mailed link and the address's earlier choices are left alone.
        """
        if not getattr(self, "is_bound", False) or getattr(self, "errors", True):
            raise ValueError("record_marketing() needs a valid, bound form.")
        if request is not None and not base_url:
            base_url = request.build_absolute_uri("/")
        if unticked_withdraws is None:
            unticked_withdraws = self.marketing_person is not None
        return choices.record(
            Person.of(user=user, email=email, proven=proven),
            self.marketing_choices(),
            channel=self.marketing_channel,
            versions=self.marketing_versions,
            unticked_withdraws=unticked_withdraws,
            email=email or str(getattr(user, "email", "") or ""),
            base_url=base_url,
        )


class MarketingConsentForm(MarketingConsentMixin, forms.Form):
    """The boxes on their own, for a form of their own (a newsletter sign-up, say)."""


class MarketingPreferencesForm(MarketingConsentMixin, forms.Form):
    """A signed-in customer's current choices, including testimonials; every change is recorded."""

    marketing_channel = Channel.PREFERENCES
    marketing_testimonials = True
    marketing_token_required = True

    def __init__(self, *args: Any, person: Person, user: Any = None, **kwargs: Any) -> None:
        self.person = person
        self.user = user
        super().__init__(*args, **kwargs)

    def _check_contact_details(self) -> None:
        """A box switched on here for a medium the account has no contact detail for (asked of
        ``JSG_PRIVACY_MARKETING_CONTACT``) is an error on the box: consent to text messages means
        nothing without a number to send them to."""
        super()._check_contact_details()
        lookup = app_settings.MARKETING_CONTACT
        if not lookup or self.user is None:
            return
        contact = import_string(lookup)
        for box in self.marketing_boxes:
            name = PREFIX + box.name
            if not box.medium or not self.cleaned_data.get(name) or self.marketing_initial(box):
                continue
            if name in self.errors or str(contact(self.user, box.medium) or "").strip():
                continue
            self.add_error(
                name,
                _(
                    "We have no way to send you %(what)s yet: add your contact details to your "
                    "account first, or leave this box unticked."
                )
                % {"what": box.label[:1].lower() + box.label[1:]},
            )

    @property
    def marketing_intro(self) -> str:
        return wording.preferences_intro()

    def marketing_initial(self, box: wording.Box) -> bool:
        latest = choices.current(self.person, box.purpose, box.medium)
        return latest is not None and (latest.granted or latest.pending)

"""The marketing boxes: unticked, and only the boxes the server offered can be ticked."""

import pytest
from django import forms
from django.core import signing
from django.test import override_settings

from jsg_privacy.marketing import api, tokens
from jsg_privacy.marketing.forms import TAMPERED, MarketingConsentForm, MarketingConsentMixin

pytestmark = pytest.mark.django_db


class NewsletterForm(MarketingConsentMixin, forms.Form):
    marketing_channel = "signup"
    email = forms.EmailField()


def shown_token(form_class=NewsletterForm, **kwargs) -> str:
    return form_class(**kwargs)["marketing_token"].value()


def post(data, form_class=NewsletterForm):
    form = form_class(data)
    return form, form.is_valid()


def test_every_box_starts_unticked_whatever_the_initial_says():
    form = NewsletterForm(initial={"marketing_email": True, "marketing_partners": "on"})

    names = [f.name for f in form.marketing_fields]
    assert names == [
        "marketing_email",
        "marketing_sms",
        "marketing_phone",
        "marketing_post",
        "marketing_partners",
        "marketing_token",
    ]
    html = "".join(str(f) for f in form.marketing_fields)
    assert "checked" not in html
    assert all(form[n].value() is False for n in names[:-1])


def test_labels_say_what_who_and_how_to_withdraw():
    form = NewsletterForm()

    assert form["marketing_email"].label == "E-mails about offers"
    assert "JSG Metering Solutions Ltd" in form["marketing_email"].help_text
    assert "unsubscribe link in every e-mail" in form.marketing_intro
    partners = form["marketing_partners"]
    assert "partners" in partners.label
    assert "own privacy policy" in partners.help_text
    assert "Untick this in your account" in partners.help_text


@override_settings(JSG_PRIVACY_MARKETING_MEDIA=("email", "post"))
def test_only_the_configured_media_are_offered():
    form = NewsletterForm()

    assert [b.name for b in form.marketing_boxes] == ["email", "post", "partners"]


def test_a_ticked_box_with_the_token_is_accepted_and_carries_the_version_shown():
    token = shown_token()

    form, valid = post(
        {"email": "a@example.com", "marketing_email": "on", "marketing_token": token}
    )

    assert valid
    assert form.marketing_choices() == {
        "email": True,
        "sms": False,
        "phone": False,
        "post": False,
        "partners": False,
    }
    assert form.marketing_versions["email"] == form.marketing_boxes[0].version
    assert len(form.marketing_versions["email"]) == 64


@pytest.mark.parametrize(
    "token",
    [
        "",  # missing, with a box ticked
        "not-a-token",
        "eyJzIjoic2lnbnVwIn0:1tX:forged",
        tokens.offer_token("checkout", {"email": "x"}),  # genuine, but for another form
    ],
)
def test_a_ticked_box_without_a_genuine_token_is_refused(token):
    form, valid = post(
        {"email": "a@example.com", "marketing_email": "on", "marketing_token": token}
    )

    assert not valid
    assert TAMPERED in form.non_field_errors()
    assert form.marketing_choices() == {}


def test_an_altered_token_is_refused_even_with_nothing_ticked():
    token = shown_token()

    form, valid = post({"email": "a@example.com", "marketing_token": token[:-2] + "xx"})

    assert not valid
    assert TAMPERED in form.non_field_errors()


def test_a_client_that_never_showed_the_boxes_records_nothing_and_is_not_refused():
    form, valid = post({"email": "a@example.com"})

    assert valid
    assert form.marketing_choices() == {}


@override_settings(JSG_PRIVACY_MARKETING_MEDIA=("email",))
def test_ticking_a_medium_the_form_did_not_offer_is_refused():
    token = shown_token()

    form, valid = post({"email": "a@example.com", "marketing_sms": "on", "marketing_token": token})

    assert not valid
    assert TAMPERED in form.non_field_errors()


def test_a_box_added_to_the_page_by_hand_is_refused():
    token = shown_token()

    form, valid = post(
        {"email": "a@example.com", "marketing_testimonials": "on", "marketing_token": token}
    )

    assert not valid
    assert TAMPERED in form.non_field_errors()


def test_a_box_offered_now_but_not_listed_in_the_token_is_refused():
    """The token lists what was shown: a box the page did not show cannot be ticked."""
    with override_settings(JSG_PRIVACY_MARKETING_MEDIA=("email",)):
        token = shown_token()

    form, valid = post({"email": "a@example.com", "marketing_sms": "on", "marketing_token": token})

    assert not valid
    assert TAMPERED in form.non_field_errors()


def test_a_re_rendered_form_carries_a_fresh_token_not_the_posted_one():
    form, valid = post(
        {"email": "a@example.com", "marketing_email": "on", "marketing_token": "forged"}
    )

    assert not valid
    rendered = str(form["marketing_token"])
    assert "forged" not in rendered
    assert tokens.read_offer(form["marketing_token"].value(), "signup")


def test_a_form_prefix_is_respected():
    token = NewsletterForm(prefix="n")["marketing_token"].value()

    form = NewsletterForm(
        {"n-email": "a@example.com", "n-marketing_post": "on", "n-marketing_token": token},
        prefix="n",
    )

    assert form.is_valid()
    assert form.marketing_choices()["post"] is True


def test_the_version_changes_with_the_wording():
    plain = NewsletterForm().marketing_boxes[0].version

    class Reworded(NewsletterForm):
        marketing_texts = {"email": ("Send me the newsletter", "Monthly, from us.")}

    reworded = Reworded().marketing_boxes[0]

    assert reworded.label == "Send me the newsletter"
    assert reworded.version != plain


def test_the_token_reveals_no_personal_data_and_cannot_be_made_without_the_secret():
    token = shown_token()

    payload = signing.loads(token, salt=tokens.FORM_SALT)
    assert set(payload) == {"s", "b"}
    with pytest.raises(signing.BadSignature):
        signing.loads(token, salt=tokens.FORM_SALT, key="another secret")


def test_record_marketing_refuses_an_invalid_form():
    form, valid = post({"email": "nope", "marketing_token": shown_token()})

    assert not valid
    with pytest.raises(ValueError, match="valid, bound form"):
        form.record_marketing(email="a@example.com")


def test_the_standalone_form_records_the_choices(records):
    token = shown_token(MarketingConsentForm)
    form = MarketingConsentForm({"marketing_post": "on", "marketing_token": token})
    assert form.is_valid()

    form.record_marketing(email="reader@example.com")

    (record,) = records()
    assert (record.medium, record.channel) == ("post", "api")
    assert api.may_contact(email="reader@example.com", medium="post")

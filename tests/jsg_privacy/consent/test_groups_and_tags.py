import pytest
from cookie_consent.models import Cookie, CookieGroup
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import reverse

from jsg_privacy import registry as privacy
from jsg_privacy.consent import groups, ledger, sync
from jsg_privacy.consent.middleware import VARY_ATTRIBUTE
from jsg_privacy.consent.models import ConsentRecord
from jsg_privacy.crypto import subjects
from jsg_privacy.registry import registry


def test_groups_are_the_consent_purposes_that_have_cookies():
    assert [g.key for g in groups.current()] == ["analytics", "marketing"]
    analytics = groups.by_key()["analytics"]
    assert analytics.matches("_sa_s_k3j2")  # wildcard
    assert not analytics.matches("_sa_x")
    assert "jsg_consent" in [c.name for c in groups.necessary()]


def test_a_group_version_changes_with_its_cookies_only():
    before = {g.key: g.version for g in groups.current()}
    with registry.temporarily():
        registry.add(privacy.Cookie("_sa_new", "JSG", "analytics", None))
        after = {g.key: g.version for g in groups.current()}
    assert after["analytics"] != before["analytics"]
    assert after["marketing"] == before["marketing"]


@pytest.mark.django_db
def test_django_cookie_consent_models_mirror_the_registry():
    sync.sync()
    assert set(CookieGroup.objects.values_list("varname", "is_required")) == {
        ("analytics", False),
        ("marketing", False),
        ("necessary", True),
    }
    assert set(
        Cookie.objects.filter(cookiegroup__varname="analytics").values_list("name", flat=True)
    ) == {"_sa_id", "_sa_s_*"}


@pytest.mark.django_db
def test_deleting_a_cookie_group_keeps_the_ledger():
    sync.sync()
    ledger.append(
        subject_key=subjects.for_consent_id("v"),
        purpose="analytics",
        action="given",
        channel="banner",
    )
    CookieGroup.objects.filter(varname="analytics").delete()
    assert ConsentRecord.objects.count() == 1
    assert ledger.verify().ok


def render(template, request):
    return Template("{% load jsg_privacy %}" + template).render(Context({"request": request}))


@pytest.mark.django_db
def test_ifconsent_renders_only_for_accepted_groups_and_marks_the_response_as_varying(client):
    rf = RequestFactory()
    undecided = rf.get("/")
    assert (
        render('{% ifconsent "analytics" %}TAG{% else %}NONE{% endifconsent %}', undecided)
        == "NONE"
    )
    assert getattr(undecided, VARY_ATTRIBUTE) is True
    client.post(reverse("jsg_privacy:cookies-accept"), {"all": "1"})
    accepted = rf.get("/")
    accepted.COOKIES["jsg_consent"] = client.cookies["jsg_consent"].value
    assert render('{% ifconsent "analytics" %}TAG{% endifconsent %}', accepted) == "TAG"
    response = client.get("/")
    assert "Cookie" in response["Vary"]


def test_ifconsent_needs_one_argument():
    with pytest.raises(TemplateSyntaxError, match="takes one argument"):
        Template("{% load jsg_privacy %}{% ifconsent %}x{% endifconsent %}")


@pytest.mark.django_db
def test_the_banner_is_the_same_for_every_visitor_but_the_form_tokens(client):
    first = client.get("/").content.decode()
    client.post(reverse("jsg_privacy:cookies-accept"), {"all": "1"})
    second = client.get("/").content.decode()

    def banner(page):
        start = page.index('<div id="jsg-cb"')
        return page[start : page.index("</details>", start)]

    import re

    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)  # noqa: E731
    assert strip(banner(first)) == strip(banner(second))
    assert 'data-consent="analytics"' in second
    assert 'type="text/plain"' in second


def test_consent_mode_is_off_unless_asked(settings):
    request = RequestFactory().get("/")
    assert "consent-mode.js" not in render("{% consent_head %}", request)
    settings.JSG_PRIVACY_GOOGLE_CONSENT_MODE = True
    head = render("{% consent_head %}", request)
    assert head.index("consent-mode.js") < head.index("consent.js")
    assert "analytics_storage" in head
    assert "<script>" not in head  # no inline script: CSP-safe


def test_scripts_carry_the_csp_nonce_when_there_is_one():
    request = RequestFactory().get("/")
    request.csp_nonce = "n0nce"
    assert 'nonce="n0nce"' in render("{% consent_head %}", request)

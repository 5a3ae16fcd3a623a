"""An undeclared cookie never reaches a browser before consent, through a real server and chromium.

``/cookies/recently-viewed/`` (tests.testapp) sets ``recently_viewed``, which nobody declared, like
django-oscar's ``oscar_history`` on a product page.
"""

from __future__ import annotations

import pytest

from jsg_privacy.consent import sightings
from jsg_privacy.consent.models import UndeclaredCookie
from tests.browser.test_consent_banner import banner, cookies, wait_for_banner_script
from tests.testapp.views import UNDECLARED

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.testapp.urls"),
]

PAGE = "/cookies/recently-viewed/"


@pytest.fixture(autouse=True)
def fresh_sightings():
    sightings.forget()
    yield
    sightings.forget()


@pytest.mark.parametrize(("button", "gets_it"), [("Reject all", False), ("Accept all", True)])
def test_the_browser_gets_it_only_after_accepting_every_group(browser_page, button, gets_it):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(PAGE)
    assert UNDECLARED not in cookies(page)
    assert UndeclaredCookie.objects.filter(name=UNDECLARED, path=PAGE).exists()

    page.goto("/")
    wait_for_banner_script(page)
    # The banner hides at once; the choice is stored when the POST's answer arrives: wait for it,
    # or the next page can be asked for before the consent cookie exists.
    with page.expect_response(lambda answer: answer.request.method == "POST"):
        banner(page).get_by_role("button", name=button).click()
    expect(banner(page)).to_be_hidden()
    page.goto(PAGE)
    assert (UNDECLARED in cookies(page)) is gets_it

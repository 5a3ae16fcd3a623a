"""The card-data guard in an Oscar shop (docs/oscar.md puts it right after SecurityMiddleware): it
answers before Oscar's basket middleware runs, so its page must not need Oscar's layout."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_card_number_in_a_search_is_refused_with_a_page_of_its_own():
    response = Client(raise_request_exception=True).get("/search/", {"q": "4242 4242 4242 4242"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Card details are not accepted here" in html
    assert "4242" not in html

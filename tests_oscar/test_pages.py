"""Oscar's own pages with jsg_privacy's templates: the banner and the footer links on every page,
"Your data" in the account, jsg_privacy's pages in Oscar's layout, and Oscar's cookies set only
as their purpose allows."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import oscar
import pytest
from django.core.management import call_command
from django.template.loader import get_template
from django.test import Client, override_settings
from django.urls import reverse
from oscar.test import factories

pytestmark = pytest.mark.django_db

HISTORY, BASKET = "oscar_history", "oscar_open_basket"


@pytest.fixture
def product():
    return factories.create_product(title="Oak stool", price=Decimal("45.00"), num_in_stock=3)


def has_banner(html: str) -> bool:
    return 'id="jsg-cb"' in html and "jsg_privacy/consent.js" in html


@pytest.mark.parametrize(
    "url",
    [
        "/catalogue/",
        "/basket/",
        "/search/?q=oak",
        "/accounts/login/",
        "/offers/",
        "/privacy/notice/",
    ],
)
def test_every_page_has_the_banner_and_the_privacy_links(client, product, url):
    response = client.get(url, follow=True)
    html = response.content.decode()

    assert response.status_code == 200
    assert has_banner(html)
    assert html.index("jsg_privacy/consent.css") < html.index("</head>")
    assert reverse("jsg_privacy:notice") in html
    assert reverse("jsg_privacy:requests:new") in html
    assert "jsg-cb-open" in html  # the privacy settings link


def test_the_product_page_has_the_banner(client, product):
    assert has_banner(client.get(product.get_absolute_url()).content.decode())


def test_a_guest_s_order_page_has_the_banner_though_it_replaces_oscar_s_head_block(client, guest):
    order = guest.order
    url = reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
    response = client.get(url, follow=True)  # Oscar asks for the order's e-mail address first
    assert response.status_code == 200
    assert response.templates[0].name == "oscar/customer/anon_order_form.html"
    assert has_banner(response.content.decode())


def test_the_account_pages_link_your_data_and_it_shows_in_oscar_s_layout(customer):
    client = Client()
    client.force_login(customer.user)
    your_data = reverse("jsg_privacy:requests:your-data")

    profile = client.get(reverse("customer:profile-view")).content.decode()
    orders = client.get(reverse("customer:order-list")).content.decode()
    page = client.get(your_data).content.decode()

    assert f'href="{your_data}"' in profile
    assert f'href="{your_data}"' in orders
    assert "Download my data" in page
    assert 'id="top_page"' in page  # Oscar's account bar: the page is inside Oscar's layout
    assert has_banner(page)


def test_the_recently_viewed_cookie_waits_for_the_preferences_group(product):
    visitor = Client()
    first = visitor.get(product.get_absolute_url())
    assert HISTORY not in first.cookies  # held back: no choice made yet

    visitor.post(reverse("jsg_privacy:cookies-decline"), {"all": "1"})
    assert HISTORY not in visitor.get(product.get_absolute_url()).cookies

    visitor.post(reverse("jsg_privacy:cookies-accept"), {"groups": "preferences"})
    accepted = visitor.get(product.get_absolute_url())
    assert accepted.cookies[HISTORY].value


def test_the_basket_cookie_is_set_before_any_choice(client, product):
    record = product.stockrecords.get()
    response = client.post(
        reverse("basket:add", args=[product.pk]), {"quantity": 1, "stockrecord": record.pk}
    )
    assert response.status_code == 302
    assert response.cookies[BASKET].value  # strictly necessary: the basket works


@override_settings(OSCAR_GOOGLE_ANALYTICS_ID="G-TEST123")
def test_oscar_s_google_analytics_tag_waits_for_analytics_consent(client):
    html = client.get("/catalogue/").content.decode()
    assert (
        '<script type="text/plain" data-consent="analytics" async '
        'src="https://www.googletagmanager.com/gtag/js?id=G-TEST123">'
    ) in html
    assert '<script async src="https://www.googletagmanager.com' not in html


def test_privacy_scan_cookies_finds_only_declared_cookies_on_oscar_s_pages(product):
    out = StringIO()
    call_command(
        "privacy_scan_cookies",
        "--accept-all",
        "--path",
        product.get_absolute_url(),
        "--path",
        "/search/?q=oak",
        stdout=out,
    )  # raises CommandError on any undeclared cookie
    output = out.getvalue()
    assert f"{HISTORY}: declared: preferences" in output
    assert f"first-time visitor: held back on {product.get_absolute_url()}" in output


def test_the_base_template_is_oscar_s_own_with_the_two_tags():
    """When an Oscar upgrade changes oscar/base.html, this fails: update the copy."""
    ours = get_template("oscar/base.html").template.source
    oscar_s = (Path(oscar.__file__).parent / "templates" / "oscar" / "base.html").read_text()
    ours = ours.split("{% endcomment %}\n", 1)[1]  # the comment saying what changed
    for added in (
        "{% load jsg_privacy %}\n",
        "        {% consent_head %}\n",
        "        {% consent_banner %}\n\n",
    ):
        assert added in ours
        ours = ours.replace(added, "", 1)
    assert ours == oscar_s

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from example_shop.accounts.models import CustomerProfile

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "first_name": "Harriet",
    "last_name": "Evans",
    "email": "Harriet.Evans@Example.co.uk",
    "password1": "meter-reading-at-dawn",
    "password2": "meter-reading-at-dawn",
}


def test_sign_up_creates_a_user_named_by_email_with_a_profile(client):
    response = client.post(reverse("accounts:sign_up"), SIGN_UP, follow=True)

    user = User.objects.get()
    assert user.username == user.email == "harriet.evans@example.co.uk"
    assert user.check_password("meter-reading-at-dawn")
    assert CustomerProfile.objects.filter(user=user).exists()
    assert response.context["user"] == user
    assert "Your account has been created" in response.text


@pytest.mark.parametrize(
    ("changes", "error_field"),
    [
        ({"password2": "something-else-entirely"}, "password2"),
        ({"password1": "password", "password2": "password"}, "password2"),  # too common
        ({"password1": "12345678901", "password2": "12345678901"}, "password2"),  # numeric
        ({"email": "not-an-email"}, "email"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_sign_up_validates_passwords_and_fields(client, changes, error_field):
    response = client.post(reverse("accounts:sign_up"), {**SIGN_UP, **changes})

    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    assert not User.objects.exists()


def test_sign_up_refuses_an_email_already_registered(client, customer):
    data = {**SIGN_UP, "email": customer.email.upper()}

    response = client.post(reverse("accounts:sign_up"), data)

    assert "already exists" in response.text
    assert User.objects.count() == 1


def test_log_in_with_email_and_log_out_by_post(client, customer):
    response = client.post(
        reverse("accounts:login"),
        {"username": "Priya.Shah@example.co.uk", "password": "correct-horse-meter-42"},
        follow=True,
    )
    assert response.context["user"] == customer

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"), follow=True)
    assert not response.context["user"].is_authenticated


def test_account_pages_need_login(client):
    for name in ("accounts:profile", "accounts:order_history"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_profile_page_saves_details(customer_client, customer):
    data = {
        "first_name": "Priya",
        "last_name": "Shah-Patel",
        "phone": "07700 900456",
        "company_name": "Shah Properties Ltd",
        "billing_line1": "3 Market Square",
        "billing_town": "Chelmsford",
        "billing_postcode": "cm1 1xf",
        "installation_line1": "Flat 2, 8 Duke Street",
        "installation_town": "Chelmsford",
        "installation_postcode": "CM1 1HT",
    }

    response = customer_client.post(reverse("accounts:profile"), data, follow=True)

    assert "Your details have been saved" in response.text
    profile = CustomerProfile.objects.get(user=customer)
    assert profile.billing_postcode == "CM1 1XF"
    assert profile.company_name == "Shah Properties Ltd"
    customer.refresh_from_db()
    assert customer.last_name == "Shah-Patel"


def test_profile_page_shows_errors(customer_client):
    data = {"first_name": "Priya", "last_name": "Shah", "billing_postcode": "nowhere"}

    response = customer_client.post(reverse("accounts:profile"), data)

    assert response.status_code == 200
    assert "Enter a UK postcode" in response.text


def test_order_history_lists_only_my_orders(customer_client, customer, order_factory):
    mine = order_factory(user=customer)
    theirs = order_factory()

    response = customer_client.get(reverse("accounts:order_history"))

    assert mine.reference in response.text
    assert theirs.reference not in response.text


def test_order_detail_of_someone_elses_order_is_404(
    customer_client, customer, user_factory, order_factory
):
    mine = order_factory(user=customer, lines=2)
    theirs = order_factory(user=user_factory())

    assert customer_client.get(mine.get_absolute_url()).status_code == 200
    assert customer_client.get(theirs.get_absolute_url()).status_code == 404
    assert customer_client.get("/account/orders/JSG-999999/").status_code == 404


def test_staff_without_profile_can_open_the_profile_page(admin_user):
    client = Client()
    client.force_login(admin_user)

    assert client.get(reverse("accounts:profile")).status_code == 200


def test_the_real_owner_takes_back_an_address_someone_signed_up_with(client, customer):
    """A password reset goes to the address: choosing a new password proves it, signs every other
    session out, and makes the address's guest records the account's."""
    import re

    from django.core import mail

    from jsg_privacy.requests import identity

    stranger = Client()
    stranger.force_login(customer)
    assert not identity.address_proven(customer, customer.email)

    client.post(reverse("accounts:password_reset"), {"email": customer.email})
    link = re.search(r"https?://[^/\s]+(/account/password-reset/\S+/)", mail.outbox[-1].body)[1]
    form_page = client.get(link, follow=True)  # Django moves the token into the session
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase-7", "new_password2": "a-brand-new-passphrase-7"},
        follow=True,
    )

    assert "Your new password is saved" in response.text
    customer.refresh_from_db()
    assert customer.check_password("a-brand-new-passphrase-7")
    assert identity.address_proven(customer, customer.email)
    assert stranger.get(reverse("accounts:profile")).status_code == 302  # signed out

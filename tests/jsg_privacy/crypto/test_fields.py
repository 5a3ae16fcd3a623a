"""Encrypted fields: plaintext in Python, tokens in the database, found again by keyed hash."""

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.contrib.admin.templatetags.admin_list import result_headers
from django.core.exceptions import FieldError
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from example_shop.enquiries.models import Enquiry
from example_shop.factories import EnquiryFactory, OrderFactory, UserFactory
from example_shop.orders.models import Order
from jsg_privacy import registry as privacy
from jsg_privacy.crypto.fields import DecryptionError
from jsg_privacy.flows import erase
from jsg_privacy.notice import record
from jsg_privacy.registry import Subject, registry
from jsg_privacy.requests import cases
from jsg_privacy.retention import engine, policy

pytestmark = pytest.mark.django_db

PHONE = "07700 900461"
NOTES = "Key safe code 4471, meter cupboard under the stairs"


def raw(model, pk, column):
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        column = connection.ops.quote_name(column)
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_values_read_back_as_written_but_are_stored_as_fernet_tokens():
    order = OrderFactory(phone=PHONE, access_notes=NOTES, email="Sam.Jones@Example.org")
    order = Order.objects.get(pk=order.pk)
    assert (order.phone, order.access_notes, order.email) == (PHONE, NOTES, "Sam.Jones@Example.org")
    stored = raw(Order, order.pk, "access_notes")
    assert stored.startswith("gAAAAA")  # a Fernet token, version byte 0x80
    assert "4471" not in stored
    assert "cupboard" not in stored


def test_the_same_value_gives_a_different_token_each_time_so_rows_cannot_be_linked():
    first, second = OrderFactory(phone=PHONE), OrderFactory(phone=PHONE)
    assert raw(Order, first.pk, "phone") != raw(Order, second.pk, "phone")


def test_blank_values_stay_blank_so_optional_fields_and_blank_filters_work():
    order = OrderFactory(agent_phone="", access_notes="")
    assert raw(Order, order.pk, "agent_phone") == ""
    assert Order.objects.filter(pk=order.pk, agent_phone="").exists()


def test_rows_are_found_by_e_mail_through_the_keyed_hash_whatever_the_case():
    order = OrderFactory(email="Sam.Jones@Example.org")
    OrderFactory(email="someone.else@example.org")
    assert list(Order.objects.filter(email_digest__matches=" sam.jones@example.ORG ")) == [order]
    assert not Order.objects.filter(email_digest__matches="").exists()
    assert len(raw(Order, order.pk, "email_digest")) == 64


def test_searching_inside_an_encrypted_field_is_refused_with_a_way_out():
    with pytest.raises(FieldError, match=r"orders\.Order\.email is encrypted.*__matches"):
        Order.objects.filter(email__icontains="jones").exists()
    with pytest.raises(FieldError, match="empty value only"):
        Order.objects.filter(phone=PHONE).exists()


def test_the_digest_follows_the_address_when_it_changes():
    order = OrderFactory(email="old@example.org")
    order.email = "new@example.org"
    order.save()
    assert not Order.objects.filter(email_digest__matches="old@example.org").exists()
    assert Order.objects.filter(email_digest__matches="new@example.org").exists()


def test_a_guest_is_found_and_erased_by_e_mail_and_the_digest_no_longer_matches():
    enquiry = EnquiryFactory(email="guest@example.org", phone=PHONE)
    OrderFactory(email="guest@example.org", invoiced_at=None)
    steps = erase.erase(Subject(email="GUEST@example.org"))
    assert not Enquiry.objects.filter(pk=enquiry.pk).exists()
    orders = next(s for s in steps if s.source == "orders.Order")
    assert orders.rows == 1
    assert not Order.objects.filter(email_digest__matches="guest@example.org").exists()


def test_an_invoice_under_legal_hold_keeps_its_address_readable_and_clears_the_phone():
    user = UserFactory()
    invoice = OrderFactory(
        user=user, email=user.email, phone=PHONE, invoiced_at=timezone.now() - timedelta(days=30)
    )
    erase.erase(Subject(user_id=user.pk, email=user.email))
    invoice = Order.objects.get(pk=invoice.pk)
    assert invoice.billing_line1  # kept for HMRC, still decrypts
    assert invoice.phone != PHONE


def test_a_removed_key_is_a_clear_error_naming_the_field_not_the_value():
    order = OrderFactory(phone=PHONE)
    other_key = Fernet.generate_key().decode()
    with (
        override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=[other_key]),
        pytest.raises(DecryptionError) as failure,
    ):
        Order.objects.only("phone").get(pk=order.pk)
    assert "orders.Order.phone" in str(failure.value)
    assert PHONE not in str(failure.value)


def test_keys_may_come_as_one_comma_separated_string_from_the_environment():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=[old]):
        order = OrderFactory(phone=PHONE)
    with override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=f" {new}, {old} "):
        assert Order.objects.get(pk=order.pk).phone == PHONE


def test_forms_validate_the_plaintext_length_not_the_token_length(client):
    response = client.post(
        reverse("enquiries:contact"),
        {
            "name": "Sam",
            "email": "sam@example.org",
            "phone": "0" * 40,
            "subject": "Hi",
            "message": "x",
        },
    )
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert not Enquiry.objects.exists()


def test_the_registry_and_the_art_30_record_say_which_fields_are_encrypted():
    source = registry.sources["orders.Order"]
    assert {"email", "phone", "billing_line1", "access_notes", "mpan"} <= set(
        source.encrypted_fields()
    )
    assert {"full_name", "company_name", "agent_name", "site_contact_name"} <= set(
        source.encrypted_fields()
    )
    assert "billing_country" not in source.encrypted_fields()
    security = {line for a in record.build(registry)["activities"] for line in a["security"]}
    line = next(s for s in security if s.startswith("Orders: encrypted at rest"))
    assert "phone" in line
    assert "address line 1" in line
    assert "full name" in line
    assert "country" not in line
    assert any("Fernet" in s for s in security)


def test_staff_find_an_order_by_exact_e_mail_name_or_company_in_the_admin(admin_client):
    order = OrderFactory(email="sam.jones@example.org", full_name="Sam Jones")
    other = OrderFactory(
        email="kim@example.org", full_name="Kim Lee", company_name="Thames Lettings Ltd"
    )
    url = reverse("admin:orders_order_changelist")

    def found(term):
        page = admin_client.get(url, {"q": term})
        assert page.status_code == 200
        return {o.reference for o in page.context["cl"].result_list}

    assert found("Sam.Jones@example.org") == {order.reference}
    assert found("kim  LEE") == {other.reference}  # a full name, in any case and spacing
    assert found("thames lettings ltd") == {other.reference}
    assert found(other.reference) == {other.reference}
    assert found("Kim") == set()  # names are encrypted: part of one finds nothing
    assert found("jones@") == set()  # part of an address: no match, no 500


def test_cases_are_found_by_part_of_the_account_address_while_the_user_model_keeps_it_in_clear(
    admin_client,
):
    customer = UserFactory(email="priya.shah@example.co.uk")
    case = cases.open_case(
        kind="access", email="", user=customer, channel="phone", identity_check="call-back"
    )
    page = admin_client.get(reverse("admin:jsg_privacy_case_changelist"), {"q": "priya.shah"})
    assert list(page.context["cl"].result_list) == [case]


def test_encrypted_columns_are_not_offered_for_sorting(admin_client):
    OrderFactory()
    page = admin_client.get(reverse("admin:orders_order_changelist"))
    sortable = {str(h["text"]): h["sortable"] for h in result_headers(page.context["cl"])}
    assert sortable["reference"] is True
    assert sortable["full name"] is False  # the database would sort the tokens
    assert sortable["email"] is False


def test_retention_says_why_it_skips_a_source_whose_anonymised_rows_are_all_encrypted():
    with privacy.temporarily():
        registry.unregister(Order)

        @privacy.register(Order)
        class OnlyEncrypted(privacy.ModelSource):
            subject_email = "email"
            fields = {"account": ["email", "phone"]}
            not_personal = [
                f.name
                for f in Order._meta.concrete_fields
                if f.name not in {"id", "email", "phone", "email_digest"}
            ]
            retention = privacy.Retention(
                anchor="created_at", period=privacy.Period(years=1), action=privacy.Action.ANONYMISE
            )

        OrderFactory(created_at=timezone.now() - timedelta(days=800), phone=PHONE)
        assert policy.marker_for(registry.sources["orders.Order"]) is None
        run = engine.enforce()
    # Reported, not crashed, and nothing half-done: the source is skipped with the reason.
    assert not run.errors
    assert "encrypted values cannot be compared" in run.counts["orders.Order"]["skipped"]
    assert Order.objects.get().phone == PHONE


def test_the_privacy_notice_tells_customers_which_details_are_stored_encrypted(client):
    page = client.get(reverse("jsg_privacy:notice")).content.decode()
    section = page[page.index("How we keep your data safe") :]
    section = section[: section.index("</details>")]
    assert (
        "<strong>Orders</strong>: e-mail address, full name, phone, address line 1, address line "
        "2, town or city, postcode" in section
    )
    assert "Payment card details never reach our systems" in section


def test_the_keys_are_made_once_per_key_set_and_again_when_the_setting_changes():
    from jsg_privacy.crypto import keys

    made = keys.fernet()
    assert keys.fernet() is made  # not rebuilt per value
    hashes = keys.hash_keys()
    other = Fernet.generate_key().decode()
    with override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=[other], JSG_PRIVACY_HASH_KEY="other"):
        assert keys.fernet() is not made
        assert Fernet(other).decrypt(keys.encrypt(PHONE).encode()) == PHONE.encode()
        assert keys.hash_keys() != hashes
    assert keys.decrypt(made.encrypt(PHONE.encode()).decode()) == PHONE
    assert keys.hash_keys() == hashes


def test_an_export_decrypts_every_encrypted_column_and_names_a_removed_key(tmp_path):
    import json
    import zipfile

    from jsg_privacy.flows import export

    user = UserFactory()
    orders = [
        OrderFactory(user=user, email=user.email, phone=PHONE, access_notes=n, agent_phone="")
        for n in (NOTES, "", "Gate code 12")
    ]
    summary = export.export(Subject(user_id=user.pk), tmp_path / "export.zip")
    assert summary.rows["orders.Order"] == 3
    data = json.loads(zipfile.ZipFile(tmp_path / "export.zip").read("data.json"))
    rows = next(s["records"] for s in data["sources"] if s["key"] == "orders.Order")
    assert [r["access_notes"] for r in rows] == [o.access_notes for o in orders]
    assert {r["phone"] for r in rows} == {PHONE}
    assert {r["agent_phone"] for r in rows} == {""}
    csv_text = zipfile.ZipFile(tmp_path / "export.zip").read("orders.Order.csv").decode()
    assert NOTES in csv_text
    assert "gAAAAA" not in csv_text + json.dumps(rows)

    with (
        override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(DecryptionError) as failure,
    ):
        export.export(Subject(user_id=user.pk), tmp_path / "again.zip")
    assert "orders.Order" in str(failure.value)
    assert PHONE not in str(failure.value)

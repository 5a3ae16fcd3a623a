"""The staff access log: who viewed or exported whose personal data, when and what; read-only."""

import pytest
from django.urls import reverse

from example_shop.catalogue.models import Category
from example_shop.factories import EnquiryFactory, OrderFactory, UserFactory
from jsg_privacy.audit import access
from jsg_privacy.audit.models import StaffAccess
from jsg_privacy.crypto import subjects
from jsg_privacy.registry import Subject

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.audit.urls")]


def change_url(obj):
    meta = obj._meta
    return reverse(f"audited:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def test_viewing_a_customers_order_logs_who_whose_and_which_fields(admin_client, admin_user):
    customer = UserFactory()
    order = OrderFactory(user=customer)

    assert admin_client.get(change_url(order)).status_code == 200

    entry = StaffAccess.objects.get()
    assert entry.staff == admin_user
    assert entry.action == StaffAccess.Action.VIEW
    assert entry.subject_key == subjects.for_user(customer)
    assert (entry.model, entry.object_id) == ("orders.Order", str(order.pk))
    shown = entry.fields.split(", ")
    assert {"full_name", "email", "phone", "mpan"} <= set(shown)


def test_a_guest_is_identified_by_their_e_mail_key_and_only_shown_fields_are_logged(
    admin_client,
):
    enquiry = EnquiryFactory(email="Guest@Example.org")

    admin_client.get(change_url(enquiry))

    entry = StaffAccess.objects.get()
    assert entry.subject_key == subjects.for_email("guest@example.org")
    assert entry.fields == "name, email, subject"  # the mixin's admin hides phone and message


def test_models_without_personal_data_are_not_logged(admin_client):
    category = Category.objects.create(name="Meters", slug="meters")
    assert admin_client.get(change_url(category)).status_code == 200
    assert not StaffAccess.objects.exists()


def test_a_missing_record_is_not_logged(admin_client):
    order = OrderFactory()
    url = change_url(order)
    order.delete()
    admin_client.get(url)
    assert not StaffAccess.objects.exists()


def test_an_export_is_logged_and_found_by_the_customers_address(admin_user):
    customer = UserFactory()

    access.record_export(admin_user, Subject(user_id=customer.pk, email=customer.email))
    access.record_export(admin_user, Subject(email=customer.email), ["orders.Order"])

    entries = access.for_subject(Subject(user_id=customer.pk, email=customer.email))
    assert [e.action for e in entries] == ["export", "export"]
    assert {e.fields for e in entries} == {"all personal data (ZIP)", "orders.Order"}
    assert all(e.staff == admin_user for e in entries)


def test_the_log_is_read_only_in_the_admin_and_searchable_by_address(admin_client, admin_user):
    customer = UserFactory()
    entry = access.record_export(admin_user, Subject(user_id=customer.pk))
    access.record_export(admin_user, Subject(email="someone.else@example.org"))
    changelist = reverse("audited:jsg_privacy_staffaccess_changelist")

    found = admin_client.get(changelist, {"q": str(customer.pk)})
    assert list(found.context["cl"].result_list) == [entry]
    found = admin_client.get(changelist, {"q": "Someone.Else@example.org"})
    assert found.context["cl"].result_count == 1

    page = admin_client.get(reverse("audited:jsg_privacy_staffaccess_change", args=[entry.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert admin_client.get(reverse("audited:jsg_privacy_staffaccess_add")).status_code == 403
    delete = reverse("audited:jsg_privacy_staffaccess_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert StaffAccess.objects.count() == 2


def test_the_log_is_append_only():
    entry = StaffAccess.objects.create(action="view", subject_key="x" * 64, model="orders.Order")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_auditing_a_site_is_idempotent_and_skips_undeclared_models():
    from django.contrib import admin

    site = admin.AdminSite(name="twice")
    site.register(Category)
    access.audit_admin_site(site)
    access.audit_admin_site(site)
    site.get_urls()
    assert not access.audit_model_admin(site._registry[Category])

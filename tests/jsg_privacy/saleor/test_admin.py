"""The Saleor App in the admin: read-only, the token never shown, one action to forget it."""

import pytest

from jsg_privacy.integrations.saleor.models import Installation

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]


@pytest.mark.parametrize("model", ["installation", "customer", "order", "orderclearance"])
def test_each_list_and_record_page_loads_without_the_token(
    admin_client, installation, saleor, model
):
    response = admin_client.get(f"/admin/jsg_privacy_saleor/{model}/")

    assert response.status_code == 200
    assert saleor.token not in response.content.decode()
    if model == "installation":
        page = admin_client.get(f"/admin/jsg_privacy_saleor/installation/{installation.pk}/change/")
        assert page.status_code == 200
        assert saleor.token not in page.content.decode()


def test_staff_can_forget_a_removed_store_s_token(admin_client, installation):
    response = admin_client.post(
        "/admin/jsg_privacy_saleor/installation/",
        {"action": "forget_token", "_selected_action": [installation.pk]},
    )

    assert response.status_code == 302
    installation.refresh_from_db()
    assert installation.token == ""
    assert installation.removed_at is not None
    assert Installation.objects.active().count() == 0

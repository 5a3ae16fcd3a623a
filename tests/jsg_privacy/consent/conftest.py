import pytest
from django.urls import reverse


@pytest.fixture
def accept_all(client):
    def accept(**extra):
        return client.post(
            reverse("jsg_privacy:cookies-accept"), {"all": "1", "next": "/"}, **extra
        )

    return accept

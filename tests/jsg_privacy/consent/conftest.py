import pytest
from django.urls import reverse

from jsg_privacy.consent import sightings


@pytest.fixture
def accept_all(client):
    def accept(**extra):
        return client.post(
            reverse("jsg_privacy:cookies-accept"), {"all": "1", "next": "/"}, **extra
        )

    return accept


@pytest.fixture(autouse=True)
def fresh_sightings():
    """Each test starts as a new process would: no undeclared cookie seen or logged yet."""
    sightings.forget()
    yield
    sightings.forget()

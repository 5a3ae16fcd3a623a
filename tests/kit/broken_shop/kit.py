from django.contrib.auth import get_user_model

from tests.kit.broken_shop.models import Note


def make_subject():
    user = get_user_model().objects.create_user("kit-subject", "kit-subject@example.com")
    Note.objects.create(email=user.email, body="Please call me on 07700 900123 about my meter.")
    return user

"""JSG_PRIVACY_HASH_KEY: the one key of subject keys and keyed-hash columns."""

from jsg_privacy.crypto import subjects


def test_the_key_is_independent_of_secret_key(settings):
    before = subjects.for_email("amelia.hughes@example.co.uk")
    settings.SECRET_KEY = "rotated-tests-only"

    assert subjects.for_email("amelia.hughes@example.co.uk") == before


def test_a_deployment_that_ran_without_it_keeps_its_keys_by_setting_it_to_its_secret_key(settings):
    settings.DEBUG = True  # where keys used to be made from SECRET_KEY
    settings.JSG_PRIVACY_HASH_KEY = ""
    made_from_secret_key = subjects.for_user(7)

    settings.DEBUG = False
    settings.JSG_PRIVACY_HASH_KEY = settings.SECRET_KEY

    assert subjects.for_user(7) == made_from_secret_key

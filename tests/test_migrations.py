from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    """A model change without its migration fails here, not in a shop's deploy."""
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:  # makemigrations --check exits non-zero when a migration is missing
        pytest.fail(f"Missing migrations:\n{out.getvalue()}", pytrace=False)

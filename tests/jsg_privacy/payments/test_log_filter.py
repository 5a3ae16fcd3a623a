"""The logging filter: card numbers never reach a log line."""

import io
import logging

import pytest

from jsg_privacy.payments.log_filter import CardNumberMaskingFilter

CARD = "4242 4242 4242 4242"


@pytest.fixture
def log():
    """A logger writing through the filter to a string; returns (logger, read)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(CardNumberMaskingFilter())
    logger = logging.getLogger("tests.card_mask")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream.getvalue
    logger.removeHandler(handler)


def assert_masked(text: str) -> None:
    assert "[card number removed]" in text
    assert "4242" not in text


@pytest.mark.parametrize(
    ("message", "args"),
    [
        (f"Customer typed {CARD} in the notes", ()),
        ("Customer typed %s in the notes", (CARD,)),
        ("Customer typed %(notes)s", {"notes": f"card {CARD.replace(' ', '-')}"}),
        ("Order amount %d", (4242424242424242,)),
        ('"%s" %s %s', ("GET /?q=4242+4242+4242+4242 HTTP/1.1", 400, 120)),  # runserver
        ('"%s" %s %s', ("GET /?q=4242%204242%204242%204242 HTTP/1.1", 400, 120)),
    ],
)
def test_card_numbers_in_messages_and_arguments_are_masked(log, message, args):
    logger, read = log
    logger.info(message, *([args] if isinstance(args, dict) else args))
    assert_masked(read())


def test_card_numbers_in_exceptions_are_masked(log):
    logger, read = log
    try:
        raise ValueError(f"cannot parse {CARD}")
    except ValueError:
        logger.exception("Import failed")

    output = read()
    assert_masked(output)
    assert "Traceback" in output
    assert "Import failed" in output


def test_other_records_are_left_as_they_are(log):
    logger, read = log
    records = []
    logger.addFilter(lambda record: records.append(record) or True)
    logger.info("Order %s placed on %s, phone %s", "JSG-000123", "2024-05-01", "01268 773766")

    assert read() == "Order JSG-000123 placed on 2024-05-01, phone 01268 773766\n"
    assert records[0].args == ("JSG-000123", "2024-05-01", "01268 773766")


def test_arguments_that_do_not_fit_the_message_are_masked_and_nothing_raises():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s and %s", (CARD,), None)

    assert CardNumberMaskingFilter().filter(record) is True
    assert record.args == ("[card number removed]",)


def test_the_filter_never_raises():
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("broken")

    record = logging.LogRecord("x", logging.INFO, __file__, 1, Unprintable(), (), None)

    assert CardNumberMaskingFilter().filter(record) is True
    assert "could not be checked" in record.getMessage()


def test_the_filter_masks_what_pytest_captures(caplog):
    caplog.handler.addFilter(CardNumberMaskingFilter())
    with caplog.at_level(logging.INFO):
        logging.getLogger("example_shop").info("Card %s", CARD)

    assert_masked(caplog.text)


def test_the_example_shop_logs_through_the_filter():
    from django.conf import settings

    config = settings.LOGGING
    assert "mask_card_numbers" in config["handlers"]["console"]["filters"]
    assert config["root"]["handlers"] == ["console"]

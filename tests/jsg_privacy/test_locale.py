"""The shipped catalogues: Welsh complete, French complete, compiled files in step with them, and
a string missing from a catalogue shown in English, never blank."""

import gettext
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

import example_shop
import jsg_privacy

CATALOGUES = {
    "jsg_privacy": Path(jsg_privacy.__file__).parent / "locale",
    "example_shop": Path(example_shop.__file__).parent / "locale",
}
LANGUAGES = ("cy", "fr")
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sd]|%[sd]")
WELSH_PLURALS = (
    "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;"
)


def po_files():
    return [
        pytest.param(root / language / "LC_MESSAGES" / "django.po", id=f"{app}-{language}")
        for app, root in CATALOGUES.items()
        for language in LANGUAGES
    ]


@pytest.mark.parametrize("path", po_files())
def test_every_string_is_translated(path):
    catalogue = polib.pofile(str(path))
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    assert not missing, f"{len(missing)} strings of {path} are untranslated or fuzzy: {missing[:5]}"
    assert len(catalogue.translated_entries()) > 0


@pytest.mark.parametrize("path", po_files())
def test_translations_keep_every_placeholder(path):
    """A lost %(ref)s would show the wrong reference, or raise while a letter is written."""
    for entry in polib.pofile(str(path)).translated_entries():
        if entry.msgid_plural:
            # The form for one may spell the number out ("one other firm"), as the English does;
            # the last form, for most numbers, keeps every placeholder.
            wanted = set(PLACEHOLDER.findall(entry.msgid_plural))
            forms = [set(PLACEHOLDER.findall(s)) for _, s in sorted(entry.msgstr_plural.items())]
            allowed = wanted | set(PLACEHOLDER.findall(entry.msgid))
            assert forms[-1] == wanted, entry.msgid
            assert all(f <= allowed for f in forms), entry.msgid
        else:
            wanted = set(PLACEHOLDER.findall(entry.msgid))
            assert set(PLACEHOLDER.findall(entry.msgstr)) == wanted, entry.msgid


@pytest.mark.parametrize("path", po_files())
def test_the_compiled_catalogue_matches_its_source(path):
    """The .mo files ship compiled (no msgfmt where the shop runs): they must say what the .po says."""
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} is missing: run `make compilemessages`"
    source = polib.pofile(str(path))
    expected = {
        e.msgid: (e.msgstr_plural if e.msgid_plural else e.msgstr)
        for e in source.translated_entries()
    }
    shipped = {
        e.msgid: (e.msgstr_plural if e.msgid_plural else e.msgstr)
        for e in polib.mofile(str(compiled))
        if e.msgid
    }
    stale = sorted(k for k in expected.keys() | shipped.keys() if expected.get(k) != shipped.get(k))
    assert not stale, (
        f"{compiled} is out of date for {len(stale)} strings: run `make compilemessages`"
    )


def test_welsh_has_its_six_plural_forms():
    header = polib.pofile(str(CATALOGUES["jsg_privacy"] / "cy/LC_MESSAGES/django.po")).metadata
    assert header["Plural-Forms"] == WELSH_PLURALS
    with translation.override("cy"):
        assert translation.ngettext("%(n)d year", "%(n)d years", 1) % {"n": 1} == "1 flwyddyn"
        assert translation.ngettext("%(n)d year", "%(n)d years", 2) % {"n": 2} == "2 flynedd"
        assert translation.ngettext("%(n)d year", "%(n)d years", 7) % {"n": 7} == "7 mlynedd"


def copy_catalogues(tmp_path):
    for app, root in CATALOGUES.items():
        for path in root.glob("*/LC_MESSAGES/django.po"):
            target = tmp_path / app / "locale" / path.relative_to(root)
            target.parent.mkdir(parents=True)
            shutil.copy(path, target)
    return sorted(tmp_path.glob("*/locale/*/LC_MESSAGES/django.po"))


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is not installed")
def test_compilemessages_compiles_every_catalogue(tmp_path, monkeypatch, settings):
    sources = copy_catalogues(tmp_path)
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = []  # the copies only: the repository's files stay as committed
    call_command("compilemessages", verbosity=0)
    for source in sources:
        with source.with_suffix(".mo").open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        assert compiled.gettext("Accept all") in ("Derbyn y cyfan", "Tout accepter", "Accept all")
    assert len(sources) == 4


def test_without_msgfmt_the_catalogues_compile_with_polib(tmp_path):
    """`make compilemessages` falls back to polib where Debian's gettext is not installed."""
    (source,) = [p for p in copy_catalogues(tmp_path) if "jsg_privacy/locale/cy" in str(p)]
    polib.pofile(str(source)).save_as_mofile(str(source.with_suffix(".mo")))
    with source.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.gettext("Accept all") == "Derbyn y cyfan"
    assert compiled.ngettext("%(n)d day", "%(n)d days", 2) == "%(n)d ddiwrnod"


def test_a_string_missing_from_the_catalogue_shows_in_english_never_blank():
    page = Template(
        "{% load i18n %}<h1>{% translate 'Privacy notice' %}</h1>"
        "<p>{% translate 'A sentence a shop added after the Welsh catalogue was made.' %}</p>"
        "<p>{% blocktranslate with ref='DSR-1' %}Your loyalty card {{ ref }} is on its way."
        "{% endblocktranslate %}</p>"
    )
    with translation.override("cy"):
        html = page.render(Context())
    assert "<h1>Hysbysiad preifatrwydd</h1>" in html  # translated where the catalogue has it
    assert "<p>A sentence a shop added after the Welsh catalogue was made.</p>" in html
    assert "<p>Your loyalty card DSR-1 is on its way.</p>" in html


def test_an_empty_or_fuzzy_entry_falls_back_to_english(tmp_path):
    """A half-done catalogue (an entry left empty, or marked fuzzy for review) shows English."""
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "cy"}
    catalogue.append(polib.POEntry(msgid="Accept all", msgstr="Derbyn y cyfan"))
    catalogue.append(polib.POEntry(msgid="Reject all", msgstr=""))
    catalogue.append(polib.POEntry(msgid="Choose", msgstr="Dewis?", flags=["fuzzy"]))
    compiled = tmp_path / "django.mo"
    catalogue.save_as_mofile(str(compiled))
    with compiled.open("rb") as handle:
        welsh = gettext.GNUTranslations(handle)
    assert [welsh.gettext(s) for s in ("Accept all", "Reject all", "Choose")] == [
        "Derbyn y cyfan",
        "Reject all",
        "Choose",
    ]

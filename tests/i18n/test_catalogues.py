"""The translation catalogues: complete, not fuzzy, placeholders intact, up to date.

A catalogue that fails here would show English in the middle of a Korean page, or
worse, crash a page (a placeholder renamed in a translation raises KeyError when
the string is formatted). The lists in the failure messages are what a translator
has to do.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "community" / "translations"
LANGS = ["ko", "ta", "pl", "ar"]
#: %(name)s, %(num)d, %(p).1f … and the bare %s / %d forms.
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([sdifr%])")


def _catalogue(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def placeholders(text: str) -> set[str]:
    """Named placeholders with their conversion, e.g. {"name:s", "num:d"} (no "%%")."""
    return {f"{name or '#'}:{conv}" for name, conv in PLACEHOLDER.findall(text) if conv != "%"}


def _messages(catalogue):
    return [m for m in catalogue if m.id]


def test_placeholder_parser_reads_what_python_formats():
    assert placeholders("%(name)s has %(num)d of %(total).1f%%") == {
        "name:s",
        "num:d",
        "total:f",
    }
    assert placeholders("Closes in %(num)d days") == {"num:d"}


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_and_not_fuzzy(lang):
    catalogue = _catalogue(lang)
    untranslated, fuzzy = [], []
    for message in _messages(catalogue):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s and s.strip() for s in strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not untranslated, f"{lang}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{lang}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def placeholder_problems(catalogue) -> list[tuple[str, str]]:
    """Translations whose placeholders differ from the English.

    Plural forms may drop the number itself (Arabic says "one day" without "1"),
    but never another placeholder, and none may add or rename one."""
    wrong = []
    for message in _messages(catalogue):
        if message.pluralizable:
            expected = set().union(*(placeholders(i) for i in message.id))
            needed = {p for p in expected if not p.startswith("num:")}
            for form in message.string:
                found = placeholders(form or "")
                if form and (not found <= expected or needed - found):
                    wrong.append((message.id[0], form))
        elif message.string and placeholders(message.id) != placeholders(message.string):
            wrong.append((message.id, message.string))
    return wrong


def test_a_renamed_or_missing_placeholder_is_caught():
    from babel.messages.catalog import Catalog

    catalogue = Catalog(locale="pl")
    catalogue.add("Now open: %(title)s", "Otwarte: %(tytul)s", flags=["python-format"])
    catalogue.add("Hello %(name)s", "Witaj", flags=["python-format"])
    catalogue.add("Fine %(name)s", "Dobrze %(name)s", flags=["python-format"])
    catalogue.add(("%(num)d day", "%(num)d days"), ("%(num)d dzień", "%(num)d dni", "%(n)d dni"))
    assert [m for m, _ in placeholder_problems(catalogue)] == [
        "Now open: %(title)s",
        "Hello %(name)s",
        "%(num)d day",
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_are_kept_in_every_translation(lang):
    """Every %(name)s of the English is in the translation, with no new or renamed one."""
    wrong = placeholder_problems(_catalogue(lang))
    assert not wrong, f"{lang}: {len(wrong)} with placeholders changed, e.g. {wrong[:3]}"


@pytest.mark.parametrize("lang", LANGS)
def test_babel_checkers_pass(lang):
    """Babel's own checks (python-format, plural forms count) find nothing."""
    problems = [
        (message.id, [str(e) for e in errors])
        for message, errors in _catalogue(lang).check()
        if errors and all(message.string if message.pluralizable else [message.string])
    ]
    assert not problems, f"{lang}: {problems[:3]}"


@pytest.mark.parametrize("lang", LANGS)
def test_each_catalogue_says_its_translations_are_drafts(lang):
    header = (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").read_text("utf-8")[:800]
    assert "DRAFT" in header and "README" in header


def test_catalogues_hold_every_string_in_the_code(tmp_path):
    """`make messages` has been run: nothing marked in the code is missing a catalogue
    entry (it would silently show English)."""
    pot = tmp_path / "messages.pot"
    import os

    from babel.messages.frontend import CommandLineInterface

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        CommandLineInterface().run(
            ["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_", "-k", "_l",
             "-k", "lazy_gettext", "-k", "gettext", "-k", "ngettext:1,2",
             "--no-location", "-o", str(pot), "."]
        )  # fmt: skip
    finally:
        os.chdir(here)
    with open(pot, "rb") as f:
        in_code = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    for lang in LANGS:
        in_catalogue = {
            m.id if isinstance(m.id, str) else m.id[0] for m in _messages(_catalogue(lang))
        }
        missing = sorted(in_code - in_catalogue)
        assert not missing, f"{lang}: run `make messages`; {len(missing)} new, e.g. {missing[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalogue_is_built_from_the_current_po(lang):
    """`make install` compiled the .mo (not committed) from the .po as it is now."""
    po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run `make install` (or `make catalogues`)"
    assert mo.stat().st_mtime >= po.stat().st_mtime, f"{mo} is older than its .po"

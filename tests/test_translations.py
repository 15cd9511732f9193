"""The Spanish catalog is complete: every string marked for translation in the templates and the Python code has a
Spanish msgstr that is neither empty nor fuzzy, with the same placeholders.

The strings are extracted afresh, as `makemessages` does, from a copy of the sources, so a string added without a
translation fails here (run `manage.py makemessages -l es`, translate the new entries, then `make messages`).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
SOURCES = ["config", "learning", "recommender", "templates", "manage.py"]


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> polib.POFile:
    """The catalog `makemessages` writes today, made in a copy of the sources so the real one stays untouched."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.fail("GNU gettext is missing: install Debian's gettext (make messages does)")
    root = tmp_path_factory.mktemp("sources")
    base = Path(settings.BASE_DIR)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "migrations")
    for name in SOURCES:
        source = base / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=skip)
        else:
            shutil.copy(source, root / name)
    (root / "locale").mkdir()
    subprocess.run(  # noqa: S603  our own manage.py, fixed arguments
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-location", "--no-obsolete"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(root / "locale" / "es" / "LC_MESSAGES" / "django.po"))


def test_every_string_in_the_code_and_templates_is_in_the_spanish_catalog(extracted):
    catalog = {_key(entry) for entry in polib.pofile(str(CATALOG))}
    missing = [entry.msgid for entry in extracted if entry.msgid and _key(entry) not in catalog]
    assert missing == [], f"not in {CATALOG.relative_to(settings.BASE_DIR)}: {missing}"
    assert len(extracted) > 300, "the extraction found the interface's strings"


def test_every_spanish_entry_is_translated_and_none_is_fuzzy():
    catalog = polib.pofile(str(CATALOG))
    assert catalog.metadata["Language"] == "es"
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert catalog.percent_translated() == 100


def test_the_spanish_catalog_compiles_with_matching_placeholders(tmp_path):
    """msgfmt --check-format refuses a translation whose %(name)s placeholders differ from the English ones."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("GNU gettext is missing: install Debian's gettext (make messages does)")
    result = subprocess.run(  # noqa: S603
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(CATALOG)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_template_strings_with_placeholders_keep_them_in_spanish():
    """Named placeholders and markup survive translation (a dropped %(goal)s or <a href> would break a page)."""
    catalog = polib.pofile(str(CATALOG))
    for entry in catalog.translated_entries():
        forms = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for translation in forms:
            for token in ("<a ", "</a>", "<strong>", "<code>", 'id="'):
                assert entry.msgid.count(token) == translation.count(token), (entry.msgid, translation)

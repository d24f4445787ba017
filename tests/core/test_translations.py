"""Japanese and English ship complete: every message has a Japanese translation, compiled."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "manabiya" / "locale"


def load(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def test_every_japanese_message_is_translated():
    po = load("ja")
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert not missing, f"untranslated: {missing[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"
    assert len(po) > 100


def test_compiled_japanese_catalogue_matches_the_po_file():
    po = load("ja")
    with (LOCALE / "ja" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in po:
        if entry.obsolete or entry.msgid_plural or entry.msgctxt:
            continue
        if compiled.gettext(entry.msgid) != entry.msgstr:
            stale.append(entry.msgid)
    assert not stale, f"run `make messages`: the .mo differs for {stale[:10]}"


def test_no_message_in_the_code_is_missing_from_the_catalogue(tmp_path):
    """makemessages finds nothing that the committed catalogue lacks."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext (Debian package gettext) is needed to check the message catalogue")
        pytest.skip("!! xgettext missing: cannot check the catalogue against the code (apt-get install gettext)")
    source = Path(__file__).resolve().parents[2] / "src" / "manabiya"
    work = tmp_path / "manabiya"
    shutil.copytree(source, work, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "manabiya.settings"}
    django_admin = str(Path(sys.executable).parent / "django-admin")
    subprocess.run(  # noqa: S603 - our own django-admin on a copy of our own tree
        [django_admin, "makemessages", "--locale", "ja", "--no-obsolete", "--no-location"],
        cwd=work, env=env, check=True, capture_output=True,
    )  # fmt: skip
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(work / "locale" / "ja" / "LC_MESSAGES" / "django.po"))}
    committed = {(e.msgctxt, e.msgid) for e in load("ja") if not e.obsolete}
    assert not fresh - committed, f"new messages not in the catalogue: {sorted(fresh - committed)[:20]}"

"""The English catalogue covers the interface: every entry translated, none left
fuzzy, and the compiled file present (it is committed; gettext is not needed to
run the portal)."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries():
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        text = "\n".join(lines)
        if "msgid" not in text:
            continue
        yield text


def _strings(text, key):
    match = re.search(rf'^{key} ((?:".*"\n?)+)', text + "\n", re.M)
    return "".join(re.findall(r'"(.*)"', match.group(1))) if match else None


def test_every_entry_is_translated_and_none_is_fuzzy():
    untranslated, fuzzy = [], []
    for text in _entries():
        msgid = _strings(text, "msgid")
        if not msgid:  # the header
            continue
        if "#, fuzzy" in text:
            fuzzy.append(msgid)
        plural = "msgid_plural" in text
        keys = ["msgstr\\[0\\]", "msgstr\\[1\\]"] if plural else ["msgstr"]
        if any(not _strings(text, key) for key in keys):
            untranslated.append(msgid)
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]


def test_compiled_catalogue_is_committed():
    mo = PO.with_suffix(".mo")
    assert mo.exists()
    assert mo.stat().st_size > 1000

"""Every interface string in the code is in the catalogues and translated."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "valgomat" / "translations"
METHOD_MAP = [("valgomat/**.py", "python"), ("valgomat/**/templates/**.html", "jinja2")]


def extracted_ids() -> set[str]:
    messages = extract_from_dir(str(ROOT), METHOD_MAP, keywords={
        "_": None, "_l": None, "gettext": None, "ngettext": (1, 2)},
        directory_filter=lambda path: not Path(path).name.startswith("."))  # _macros too
    return {m[2] if isinstance(m[2], str) else m[2][0] for m in messages}


@pytest.mark.parametrize("lang", ["nb", "sv", "de"])
def test_catalogue_translates_every_string(lang: str) -> None:
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalogue = read_po(handle, locale=lang)
    translated = {m.id[0] if m.pluralizable else m.id for m in catalogue
                  if m.id and not m.fuzzy
                  and (all(m.string) if m.pluralizable else m.string)}
    missing = extracted_ids() - translated
    assert not missing, f"untranslated in {lang}: {sorted(missing)}"

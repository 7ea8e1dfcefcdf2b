"""Organisations outside the catalog compared by name, legal forms aside ("Uno Minda Ltd" is
"uno minda"): for ``compintel eval`` and ``compintel catalog candidates``. Light on purpose:
``catalog candidates`` imports it without loading spaCy."""

from __future__ import annotations

import re
import unicodedata

_LEGAL_FORMS = re.compile(
    r"\b(?:the|ltd|limited|pvt|private|inc|incorporated|corp|corporation|co|company|llp|plc|ag|sa|"
    r"se|gmbh|nv|bv|spa)\b")


def organisation_key(name: str) -> str:
    """An organisation outside the catalog, compared by name: "Uno Minda Ltd" == "uno minda"."""
    decomposed = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    folded = re.sub(r"[’'`]s\b", "", folded)
    words = _LEGAL_FORMS.sub(" ", re.sub(r"[^\w&]+", " ", folded)).split()
    return "org:" + (" ".join(words) or folded.strip())

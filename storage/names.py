"""Names as people type them, compared the same way everywhere and on every database.

Sellers, categories, creator handles and tags are matched on `match_key(name)`: Unicode NFKC
normalization (so `Café` typed decomposed matches `Café` stored composed, and full-width letters
match their ASCII forms) followed by full case folding (`Straße` ~ `STRASSE`, `ἀθηνᾶ` ~ `ἈΘΗΝΑ͂`),
with runs of white space made one space. SQL `lower()` folds only ASCII on SQLite, so lookups
that need an index read a stored key column computed here, never `lower()` in SQL.
"""

from __future__ import annotations

import unicodedata


def match_key(name: str) -> str:
    """The form two names share when a person would call them the same."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    # casefold can produce sequences that NFKC composes again (e.g. ǰ → ǰ)
    return " ".join(unicodedata.normalize("NFKC", folded).split())


def same_name(a: str, b: str) -> bool:
    return match_key(a) == match_key(b)

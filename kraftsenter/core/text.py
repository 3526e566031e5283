"""Text folding for Norwegian and Sami search.

"Karasjohka" finds "Kárášjohka", "tromso" finds "Tromsø".
"""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter and a mark.
_EXTRA = str.maketrans({"ø": "o", "æ": "ae", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss", "ł": "l"})


def fold(text: str) -> str:
    """Lower-case, strip diacritics, map ø/æ and Sami letters to plain Latin, squeeze spaces."""
    lowered = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in lowered if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_EXTRA).split())

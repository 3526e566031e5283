"""Text folding for Norwegian and Sami search, and sorting names in the reader's language.

"Karasjohka" finds "Kárášjohka", "tromso" finds "Tromsø"; :func:`collation_key` sorts
"Ålesund" after "Ørland" in Norwegian and "Čáhcesuolu" after "Cuonjá" in Northern Sami.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

# Letters that Unicode does not decompose into a base letter and a mark.
_EXTRA = str.maketrans({"ø": "o", "æ": "ae", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss", "ł": "l"})


def fold(text: str) -> str:
    """Lower-case, strip diacritics, map ø/æ and Sami letters to plain Latin, squeeze spaces."""
    lowered = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in lowered if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_EXTRA).split())


# --- Sorting ------------------------------------------------------------------------------------

#: The alphabets names are sorted by: every letter its own place (a primary weight). Letters not
#: listed fall back to their base letter (NFKD), as an accented variant sorted after it.
_NORWEGIAN = "abcdefghijklmnopqrstuvwxyzæøå"
#: Northern Sami (davvisámegiella): Sami letters right after their base letters, then q, w, x, y
#: for loan words and the Nordic æ, ø, å (Sámi giellagáldu; CLDR ``se``).
_NORTHERN_SAMI = "aábcčdđefghijklmnŋopqrsštŧuvwxyzžæøå"
_ENGLISH = "abcdefghijklmnopqrstuvwxyz"

#: Letters that are another letter of the alphabet, not an accented variant of one.
_SAME_LETTER = {"ä": "æ", "ö": "ø", "ü": "y", "ǿ": "ø"}
#: Letters Unicode does not decompose, as (base, rank among the variants of that base).
_VARIANTS = {"ø": "o", "æ": "ae", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss", "ł": "l", "ʒ": "z"}

_ALPHABETS = {"nb": _NORWEGIAN, "nn": _NORWEGIAN, "no": _NORWEGIAN, "se": _NORTHERN_SAMI}


def _alphabet(language: str | None) -> str:
    from django.utils import translation

    code = (language or translation.get_language() or "nb").lower().split("-")[0]
    return _ALPHABETS.get(code, _ENGLISH)


def _weights(ch: str, alphabet: str) -> list[tuple[int, int]]:
    """(primary, secondary) weights of one character: space, then punctuation, then digits,
    then the letters of the alphabet; an accented letter sorts as its base letter, after it."""
    if ch.isspace():
        return [(1, 0)]
    if ch.isdigit():
        return [(1000 + int(unicodedata.digit(ch, 0)), 0)]
    if not ch.isalpha():
        return [(2, ord(ch))]
    if ch in alphabet:
        return [(2000 + alphabet.index(ch), 0)]
    if alphabet != _ENGLISH and ch in _SAME_LETTER and _SAME_LETTER[ch] in alphabet:
        return [(2000 + alphabet.index(_SAME_LETTER[ch]), 1)]
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    base = _VARIANTS.get(base, base)
    if base and base != ch and all(c in alphabet for c in base):
        return [(2000 + alphabet.index(c), 1 + ord(ch)) for c in base]
    return [(100_000 + ord(ch), 0)]


def collation_key(text: str, language: str | None = None) -> tuple[tuple[int, ...], ...]:
    """A sort key for names in the reader's language (the active language if not given).

    Norwegian (nb, nn): a–z, then æ, ø, å ("Ørland" after "Zürich", "Aa" is two a's; é sorts
    as e, ä as æ, ö as ø, ü as y). Northern Sami (se): the Sami alphabet, a á b c č d đ e … n ŋ
    o … s š t ŧ u v z ž æ ø å, each Sami letter a letter of its own after its base letter. In
    Norwegian the Sami letters sort as accented variants of their base letter (Kárášjohka with
    Karasjohka). Other languages (English): Latin order, æ as ae, ø as o, å as a. Upper and lower
    case sort together; a tie is broken by accents, then case, then the text itself.

    Use with ``sorted(items, key=lambda item: collation_key(item.name))``.
    """
    alphabet = _alphabet(language)
    normal = unicodedata.normalize("NFC", text.strip())
    folded = normal.casefold()
    weights = [w for ch in folded for w in _weights(ch, alphabet)]
    primary = tuple(w[0] for w in weights)
    secondary = tuple(w[1] for w in weights)
    tertiary = tuple(0 if ch.islower() else 1 for ch in normal)
    return (primary, secondary, tertiary, tuple(ord(ch) for ch in normal))


def sorted_by_name(
    items: Iterable[T], name: Callable[[T], str] = str, language: str | None = None
) -> list[T]:
    """``items`` sorted by their names (``name(item)``) in the reader's language."""
    return sorted(items, key=lambda item: collation_key(name(item), language))

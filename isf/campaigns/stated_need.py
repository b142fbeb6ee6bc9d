"""Amounts a prospect states in a message ("300.000 € im Jahr", "about EUR 25,000 per month", "1,5 Mio. €"):
read with the German and the English number rules (isf.core.numbers.parse_number), a monthly amount times 12.

A number counts only next to a currency (€, EUR, Euro) - a postcode, a phone number or "250 employees" never does.
The page language is tried first, then the other: "300.000" is 300,000 in German and ambiguous in English, so it is
read as German on an English page too; "300,000" the other way round.
"""

import re
from decimal import Decimal

from isf.core.numbers import NumberParseError, number_language, parse_number

NUMBER = r"(?P<num>\d[\d.,\u00a0\u202f ]*\d|\d)"
SCALE = r"(?:\s*(?P<scale>mio|millionen|million|mill|tsd|tausend|thousand|k)\b\.?)?"
CURRENCY = r"(?:€|eur\b|euro\b)"
PATTERNS = (
    re.compile(NUMBER + SCALE + r"\s*" + CURRENCY, re.IGNORECASE),
    re.compile(CURRENCY + r"\s*" + NUMBER + SCALE, re.IGNORECASE),
)
SCALES = {"mio": 1_000_000, "millionen": 1_000_000, "million": 1_000_000, "mill": 1_000_000,
          "tsd": 1_000, "tausend": 1_000, "thousand": 1_000, "k": 1_000}
MONTHLY = re.compile(r"^\W{0,3}(?:pro|per|a|im|je|/)?\s*(?:monat|month|mon\b|mtl\b)|^\W{0,3}monatlich|^\W{0,3}monthly",
                     re.IGNORECASE)
LIMIT = Decimal("1e12")


def _number(text: str, language: str) -> Decimal | None:
    other = "en" if language == "de" else "de"
    for lang in (language, other):
        try:
            return parse_number(text.strip().rstrip(".,"), language=lang)
        except NumberParseError:
            continue
    return None


def stated_amounts(text: str, *, language: str | None = None) -> list[Decimal]:
    """Every yearly amount in EUR stated in ``text`` (monthly ones times 12), in the order they appear."""
    language = number_language(language)
    found: list[tuple[int, Decimal]] = []
    taken: list[range] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text or ""):
            if any(match.start() in span for span in taken):
                continue
            raw = match.group("num")
            value = _number(raw, language)
            if value is None and " " in raw.strip():  # "Bedarf 2026 300.000 €": the number at the currency
                value = _number(raw.split()[-1] if pattern is PATTERNS[0] else raw.split()[0], language)
            if value is None:
                continue
            scale = (match.group("scale") or "").lower().rstrip(".")
            value *= SCALES.get(scale, 1)
            if MONTHLY.search(text[match.end():match.end() + 20]):
                value *= 12
            if 0 < value < LIMIT:
                found.append((match.start(), value))
                taken.append(range(match.start(), match.end()))
    return [value for _start, value in sorted(found, key=lambda item: item[0])]


def stated_yearly_volume(*texts: str, language: str | None = None) -> Decimal | None:
    """The largest yearly amount stated in any of the texts, or None."""
    amounts = [a for text in texts for a in stated_amounts(text, language=language)]
    return max(amounts) if amounts else None

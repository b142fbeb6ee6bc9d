"""The one rule for texts kept in German and English (name/name_en, reason/reason_en, title/title_en).

German is the master text; English is shown on English pages when there is one.
"""

from django.utils.translation import get_language


def english() -> bool:
    """Whether the active language is English (German otherwise, also outside a request)."""
    return (get_language() or "de").startswith("en")


def in_language(german: str, english_text: str) -> str:
    """The English text on English pages when there is one, else the German text."""
    return english_text if english_text and english() else german

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


def in_both(render) -> tuple[str, str]:
    """(German, English): ``render()`` called once under each language, for a text stored in both (message and
    message_en): labels, gettext and number formats follow the language of each copy."""
    from django.utils import translation

    with translation.override("de"):
        german = str(render())
    with translation.override("en"):
        english_text = str(render())
    return german, english_text

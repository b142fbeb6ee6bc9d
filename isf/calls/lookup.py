"""Find the caller: by phone number in any usual notation, by customer number, or by name.

Names are matched tolerant of case, umlauts and small typos: an exact substring match first,
then umlaut spellings (Müller/Mueller), then a fuzzy match (difflib) over a bounded candidate set
picked by trigrams of the query's words.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import phonenumbers
from django.db.models import Q, QuerySet

from isf.customers.models import Account, Contact, PhoneNumber
from isf.customers.phones import PhoneParseError, to_e164

PHONE_CHARS = re.compile(r"^[\d\s+()\-/.]+$")
MAX_CANDIDATES = 3000
FUZZY_MIN = 0.72
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass
class Lookup:
    query: str
    kind: str = ""  # phone | number | name
    e164: str = ""
    accounts: list[Account] = field(default_factory=list)
    contact: Contact | None = None
    error: str = ""
    known_elsewhere: bool = False  # the number is a customer's, but none the user may reach

    @property
    def account(self) -> Account | None:
        return self.accounts[0] if len(self.accounts) == 1 else None


def fold(text: str) -> str:
    """Lower case, umlauts spelt out (ä -> ae, ß -> ss), other accents dropped, punctuation to spaces."""
    text = (text or "").lower().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def looks_like_phone(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    return bool(PHONE_CHARS.match(text)) and digits >= 5


def phone_from_param(raw: str) -> str:
    """A phone number as sent in a URL parameter, stripped: a ``+`` sent unencoded arrives as a space
    (``?phone=+49 355 6826574`` reads `` 49 355 6826574``), so a leading space before a digit is a ``+``."""
    raw = "".join(ch for ch in (raw or "") if ch.isprintable())
    rest = raw.lstrip(" ")
    if rest != raw and rest[:1].isdigit():
        return "+" + rest.strip()
    return raw.strip()


def is_valid_e164(e164: str) -> bool:
    """A number that can be dialled (phonenumbers' metadata: right length and prefix for its country)."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return False


def by_phone(qs: QuerySet[Account], raw: str) -> Lookup:
    """The accounts of ``qs`` (and the contact) having the number ``raw`` in any usual notation.

    ``error == "phone"`` when ``raw`` is no phone number: letters in it ("abc123" is not read as 123), or
    a number no customer has that is not a valid number either ("123"). A stored number is always found,
    even one the numbering plan does not know.
    """
    result = Lookup(query=raw, kind="phone")
    text = phone_from_param(raw).removeprefix("tel:")
    if not PHONE_CHARS.match(text):
        result.error = "phone"
        return result
    try:
        result.e164 = to_e164(text)
    except PhoneParseError:
        result.error = "phone"
        return result
    # the numbers with their contacts in one query (the contact is named when one account matches); the accounts
    # in a second one (a join of all six tables, or an EXISTS on ``qs``, costs more to compile and to plan)
    phones = list(PhoneNumber.objects.filter(e164=result.e164).order_by().select_related("contact")[:50])
    if not phones and not is_valid_e164(result.e164):
        result.error = "phone"
        return result
    accounts = list(dict.fromkeys(phone.account_id for phone in phones))
    by_pk = qs.select_related("segment", "owner", "team").in_bulk(accounts) if accounts else {}
    result.accounts = [by_pk[pk] for pk in accounts if pk in by_pk]
    result.known_elsewhere = bool(accounts) and not result.accounts
    if len(result.accounts) == 1:
        contacts = [p.contact for p in phones if p.contact_id and p.account_id == result.accounts[0].pk]
        if contacts:
            result.contact = contacts[0]
    return result


def by_name(qs: QuerySet[Account], raw: str, limit: int = 20) -> list[Account]:
    q = " ".join(raw.split())
    if len(q) < 2:
        return []
    found = list(qs.filter(name__icontains=q).order_by("name")[:limit])
    if found:
        return found
    folded = fold(q)
    variants = {folded, folded.replace("ae", "ä").replace("oe", "ö").replace("ue", "ü"), folded.replace("ss", "ß")}
    variants.discard(q.lower())
    condition = Q()
    for v in variants:
        if v:
            condition |= Q(name__icontains=v)
    if condition:
        found = list(qs.filter(condition).order_by("name")[:limit])
        if found:
            return found
    return fuzzy(qs, folded, limit=limit)


def _trigrams(word: str) -> set[str]:
    if len(word) < 3:
        return {word} if word else set()
    return {word[:3], word[-3:], word[len(word) // 2 - 1: len(word) // 2 + 2]}


def fuzzy(qs: QuerySet[Account], folded: str, limit: int = 20) -> list[Account]:
    """difflib over at most MAX_CANDIDATES names sharing a trigram with a word of the query."""
    words = [w for w in folded.split() if len(w) >= 3] or folded.split()
    if not words:
        return []
    condition = Q()
    for w in words:
        for tri in _trigrams(w):
            spellings = {tri, tri.replace("ae", "ä").replace("oe", "ö").replace("ue", "ü")}
            for s in spellings:
                condition |= Q(name__icontains=s)
    candidates = list(qs.filter(condition).values_list("pk", "name")[:MAX_CANDIDATES])
    scored = []
    for pk, name in candidates:
        name_words = fold(name).split()
        if not name_words:
            continue
        per_word = []
        for w in words:
            best = max(difflib.SequenceMatcher(None, w, nw).ratio() for nw in name_words)
            per_word.append(best)
        score = sum(per_word) / len(per_word)
        if score >= FUZZY_MIN:
            scored.append((-score, name, pk))
    scored.sort()
    pks = [pk for _s, _n, pk in scored[:limit]]
    by_pk = qs.in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


def search(qs: QuerySet[Account], raw: str, *, phone_qs: QuerySet[Account] | None = None) -> Lookup:
    """Customer number first, then a phone number (if it looks like one), then the name.

    ``phone_qs`` are the accounts a phone number may find (an inside agent's caller; default ``qs``).
    A short digit string that is no valid number (a postcode, part of a name) falls through to the name.
    """
    q = (raw or "").strip()
    result = Lookup(query=q)
    if not q:
        return result
    number = list(qs.filter(erp_number__iexact=q)[:2])
    if number:
        result.kind, result.accounts = "number", number
        return result
    if looks_like_phone(q):
        found = by_phone(qs if phone_qs is None else phone_qs, q)
        if found.accounts or sum(ch.isdigit() for ch in q) >= 6:
            return found
    result.kind = "name"
    result.accounts = by_name(qs, q)
    return result

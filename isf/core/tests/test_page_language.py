"""Every page every role reaches, in German and in English, reads cleanly in its language (issue 21).

The route walk of ``test_access_walk`` on the demo company (a small base): each role's demo user opens every GET page
its rule allows, once with German and once with English as the page language, and the visible text is checked for
internal codes before messages (``field_name: …``), ISO dates and weeks, figures of four or more digits without a
separator, amounts without the currency format, Django's English defaults on German pages and German words on
English pages.
"""

import re
from datetime import date, datetime, time
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from isf.core.access import PUBLIC, rule_for
from isf.core.tests.test_access_walk import ROUTES, concrete
from isf.org.choices import Role
from isf.org.models import User

TODAY = date(2026, 12, 7)  # a Monday
ROLE_USERS = {Role.SALES_LEAD: "vl", Role.INSIDE_LEAD: "idl", Role.FIELD_REP: "ad1", Role.INSIDE_AGENT: "id1",
              Role.MARKETING: "mkt", Role.ADMIN: "admin"}
SKIP = ("export", "pdf", ".csv", ".xlsx", "download", "logout", "template")  # files, not pages

CODE_PREFIX = re.compile(r"(?<![\w/.:-])[a-z]+(?:_[a-z]+)+: ")  # field_name: …
MESSAGE_CODE = re.compile(r"^\s*[a-z][a-z_.]*: ")  # a message starting with a code: "account: …"
ISO_DATE = re.compile(r"(?<![\d-])(?:19|20)\d\d-[01]\d-[0-3]\d(?![\d-])")
ISO_WEEK = re.compile(r"(?<!\w)(?:19|20)\d\d-W\d\d(?!\w)")
BARE_NUMBER = re.compile(r"(?<![\d.,\w-])\d{4,}(?:[.,]\d+)?(?![\d\w])")  # 6411 or 21692,70 (not 6.411)
BARE_AMOUNT = re.compile(r"(?<![\d.,\w])\d{4,}(?:[.,]\d{1,2})?\s?(?:€|EUR)")
DJANGO_ENGLISH = ("Select an option", "This field is required", "Enter a valid", "Enter a number",
                  "Ensure this value", "---------", "Previous page", "Next page")
GERMAN_WORDS = ("Geschäftstage", "Geschäftsstunden", "Geschäftszeiten", "Verlauf", "überfällig", "erledigt",
                "Freigabe", "Angebot benötigt", "Besuchsbericht", "Rückruf", "Betreuungsanruf", "Zahlungsziel",
                "KW ", " Uhr", "Kundenverantwortlich", "Innendienst", "Außendienst")


VOID = ("br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "col", "embed", "track")


def around(text: str, match: str) -> str:
    """A match with some words around it, for the failure message."""
    i = text.find(match)
    return text[max(i - 30, 0): i + len(match) + 30]


class VisibleText(HTMLParser):
    """The text a reader sees: no scripts, styles or attributes; figure cells (class ``isf-num``) and messages apart."""

    def __init__(self):
        super().__init__()
        self.parts, self.numbers, self.messages = [], [], []
        self._stack = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        # what people typed (notes, agreements, free texts) is marked translate="no" and stays in its language; a
        # textarea holds what is being typed
        skip = tag in ("script", "style", "template", "textarea") or attributes.get("translate") == "no"
        self._stack.append((tag, "isf-num" in classes, "isf-message" in classes, skip))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        if any(s for *_x, s in self._stack) or not data.strip():
            return
        self.parts.append(data)
        if any(num for _t, num, _m, _s in self._stack):
            self.numbers.append(data)
        if any(msg for _t, _n, msg, _s in self._stack):
            self.messages.append(data)


def problems(html: str, language: str) -> list[str]:
    reader = VisibleText()
    reader.feed(html)
    text = " ".join(" ".join(reader.parts).split())
    found = [f"code before a message: {m!r}" for m in CODE_PREFIX.findall(text)]
    found += [f"message starts with a code: {m.strip()!r}" for m in reader.messages if MESSAGE_CODE.match(m)]
    found += [f"ISO date in {around(text, m)!r}" for m in ISO_DATE.findall(text)]
    found += [f"ISO week in {around(text, m)!r}" for m in ISO_WEEK.findall(text)]
    found += [f"figure without separator {m}" for cell in reader.numbers for m in BARE_NUMBER.findall(cell)
              if not (len(m) == 4 and m.startswith(("19", "20")))]  # a year in a figure column
    found += [f"amount without separator {m!r}" for m in BARE_AMOUNT.findall(text)]
    if language == "de":
        found += [f"Django English on a German page: {w!r}" for w in DJANGO_ENGLISH if w in text]
    else:
        found += [f"German on an English page: {around(text, w)!r}" for w in GERMAN_WORDS if w in text]
    return sorted(set(found))


@pytest.mark.django_db
def test_every_page_reads_cleanly_in_german_and_english(client, time_machine):
    from isf.demo.services import demo_load

    time_machine.move_to(datetime.combine(TODAY, time(9, 0), tzinfo=ZoneInfo("Europe/Berlin")), tick=False)
    demo_load(accounts=30, years=1, seed=7, today=TODAY, progress=lambda *_a, **_k: None)
    failures = []
    for role, username in ROLE_USERS.items():
        client.force_login(User.objects.get(username=username))
        for route, ns, name in ROUTES:
            url, rule = concrete(route), rule_for(ns, name)
            if url is None or rule is None or any(s in route for s in SKIP) or not (rule == PUBLIC or role in rule):
                continue
            for language in ("de", "en"):
                client.cookies["isf_language"] = language
                response = client.get(url)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                failures += [f"{language} {role} {url}: {p}" for p in problems(response.content.decode(), language)]
    assert failures == [], f"{len(failures)} problems:\n" + "\n".join(sorted(set(failures)))


def test_the_checks_find_each_kind_of_problem_and_leave_typed_text_alone():
    page = ('<main><article class="isf-message isf-message-error">discount_percent: too high</article>'
            "<p>am 2026-12-07 in 2026-W50, goodwill 21692,70 €</p><table><tr><td class=\"isf-num\">6411</td>"
            '<td class="isf-num">2026</td><td class="isf-num">6.411</td></tr></table>'
            '<p>Select an option</p><p>in 4 Geschäftsstunden</p><p translate="no">Rückruf 2026-12-08, Verlauf</p>'
            "<textarea>KW 50</textarea><script>var d = '2026-12-09';</script></main>")
    assert problems(page, "de") == [
        "Django English on a German page: 'Select an option'",
        "ISO date in 'discount_percent: too high am 2026-12-07 in 2026-W50, goodwill 21692,7'",
        "ISO week in 'nt: too high am 2026-12-07 in 2026-W50, goodwill 21692,70 € 6411 202'",
        "amount without separator '21692,70 €'",
        "code before a message: 'discount_percent: '",
        "figure without separator 6411",
        "message starts with a code: 'discount_percent: too high'",
    ]
    assert problems(page, "en")[0] == "German on an English page: '6 6.411 Select an option in 4 Geschäftsstunden'"
    assert len(problems(page, "en")) == 7  # the same six, Django's English is no problem there

"""One way to read query parameters (and the ids in them): typed, bounded, never a 500.

Views, exports and the API read ``request.GET`` only through :class:`QueryParams`:

- ``QueryParams(request.GET)`` on a page: an invalid filter value is ignored and remembered;
  ``query.warn(request)`` shows "Unknown region 'abc' ignored." for each (German and English).
- ``QueryParams(request.GET, strict=True)`` for exports, the API and an object a page cannot do without (the
  account an order is for): an invalid value raises :class:`ParamError`, a ``BadRequest`` that pages answer
  with 400 and its message (``isf.core.views.bad_request``), the API with 400 ``{"message", "field"}``.
  An export with an invalid filter is refused, never a silently empty file.

An id is an ASCII decimal in the database's integer range (1 to 2**63 - 1, Django's ``BigAutoField``):
``²``, ``0x10``, `` 1``, ``1.5``, ``-1`` and 23 nines are not ids. A choice filter accepts only its choices,
so an unknown value is treated alike on every list (ignored with a message on the page, 400 elsewhere).
The last value of a repeated parameter counts, as with ``QueryDict.get``.
"""

from collections.abc import Callable, Iterable
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from isf.core.text import forbidden_character

ID_MAX = 2**63 - 1  # BigAutoField on SQLite and PostgreSQL
INT_MAX = 2**31 - 1  # any other integer parameter (days, weeks, limits)
TEXT_MAX = 200  # a search text longer than this is cut, not refused
SHOWN = 40  # characters of a refused value repeated in a message


def parse_id(raw: str) -> int | None:
    """``raw`` as an id, or None when it is not one (only ASCII digits, 1 to :data:`ID_MAX`)."""
    if not raw or len(raw) > 19 or not raw.isascii() or not raw.isdigit():
        return None
    number = int(raw)
    return number if 1 <= number <= ID_MAX else None


def shown(value: str) -> str:
    """A refused value as a message repeats it: printable, at most :data:`SHOWN` characters."""
    text = "".join(ch if ch.isprintable() else "\ufffd" for ch in value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


class ParamError(BadRequest):
    """An invalid query parameter: ``field`` names it, ``message`` says why (the user's language)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class QueryParams:
    """Typed reads of a ``QueryDict``. Absent and empty parameters give the default, never an error."""

    def __init__(self, data, *, strict: bool = False):
        self.data = data
        self.strict = strict
        self.problems: list[ParamError] = []

    # -- reading ---------------------------------------------------------------------------------------------
    def raw(self, key: str) -> str:
        value = self.data.get(key, "")
        return value if isinstance(value, str) else ""

    def _refuse(self, key: str, label, value: str, default):
        words = {"label": label or LABELS.get(key, key), "value": shown(value)}
        if self.strict:
            raise ParamError(key, gettext("%(label)s: '%(value)s' is not a valid value.") % words)
        self.problems.append(ParamError(key, gettext("Unknown %(label)s '%(value)s' ignored.") % words))
        return default

    def text(self, key: str, default: str = "", *, max_length: int = TEXT_MAX) -> str:
        """A free text (search): stripped, without control characters, cut to ``max_length``."""
        value = self.raw(key) or default
        return "".join(ch for ch in value if ch.isprintable()).strip()[:max_length]

    def flag(self, key: str) -> bool:
        """A checkbox: any non-empty value is on."""
        return bool(self.raw(key))

    def id(self, key: str, *, label=None) -> int | None:
        """An object id, or None when absent (or invalid on a page, with a message)."""
        value = self.raw(key)
        if not value:
            return None
        number = parse_id(value)
        return number if number is not None else self._refuse(key, label, value, None)

    def choice(self, key: str, choices: Iterable[str], *, default: str = "", label=None) -> str:
        """One of ``choices`` (codes, states, ids as text), or ``default``."""
        value = self.raw(key)
        if not value:
            return default
        return value if value in {str(c) for c in choices} else self._refuse(key, label, value, default)

    def _values(self, key: str) -> list[str]:
        values = self.data.getlist(key) if hasattr(self.data, "getlist") else [self.raw(key)]
        return [value for value in values if isinstance(value, str) and value]

    def ids(self, key: str, *, label=None) -> list[int]:
        """Every id of a repeated parameter (``?agents=3&agents=5``); an invalid one is left out (or refused)."""
        numbers = []
        for value in self._values(key):
            number = parse_id(value)
            if number is None:
                self._refuse(key, label, value, None)
            else:
                numbers.append(number)
        return numbers

    def choice_list(self, key: str, choices: Iterable[str], *, label=None) -> list[str]:
        """Every value of a repeated parameter (``?kind=a&kind=b``) that is one of ``choices``, in order."""
        allowed = {str(c) for c in choices}
        return [value for value in self._values(key) if value in allowed or self._refuse(key, label, value, False)]

    def lookup(self, key: str, find: Callable[[str], object | None], *, label=None):
        """The object ``find(value)`` returns, e.g. a team by code or id; None when absent or unknown."""
        value = self.raw(key)
        if not value:
            return None
        # a control character matches no code or name and would reach the database (PostgreSQL refuses NUL)
        found = find(value) if forbidden_character(value, multiline=False) is None else None
        return found if found is not None else self._refuse(key, label, value, None)

    def integer(self, key: str, default: int, *, minimum: int = 0, maximum: int = INT_MAX,
                choices: Iterable[int] | None = None, label=None) -> int:
        """A whole number in ``[minimum, maximum]`` (and among ``choices`` when given), or ``default``."""
        value = self.raw(key)
        if not value:
            return default
        number = int(value) if value.isascii() and value.isdigit() and len(value) <= 12 else None
        if number is None or not minimum <= number <= maximum or (choices is not None and number not in choices):
            return self._refuse(key, label, value, default)
        return number

    def page(self, key: str = "page") -> int:
        """A page number for ``Paginator.get_page`` (1 when absent or invalid; past the end is the last page)."""
        return self.integer(key, 1, minimum=1)

    def month(self, key: str, *, label=None) -> date | None:
        """A month as ``YYYY-MM`` (its first day), or None."""
        value = self.raw(key)
        if not value:
            return None
        if len(value) == 7 and value.isascii() and value[:4].isdigit() and value[4] == "-" and value[5:].isdigit():
            year, month = int(value[:4]), int(value[5:])
            if 1900 <= year <= 9999 and 1 <= month <= 12:
                return date(year, month, 1)
        return self._refuse(key, label, value, None)

    # -- reporting -------------------------------------------------------------------------------------------
    def warn(self, request) -> None:
        """Show each ignored value on the page (once per request)."""
        for problem in self.problems:
            messages.warning(request, problem.message)
        self.problems = []


def next_url(request, default: str, *, key: str = "next") -> str:
    """Where a form sends the user back: the posted ``next`` when it is a path on this site (``/…``), else
    ``default`` (a URL name or path). Anything else (another host, ``javascript:``, a bare word) is ignored."""
    value = QueryParams(request.POST).raw(key)
    if (value.startswith("/") and value.isprintable() and len(value) <= 2000
            and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
        return value
    return resolve_url(default)


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A form field for several objects by id: a value that is no id (:func:`parse_id`, e.g. 23 nines) is an invalid
    choice. Django's own field sends it to the database, which cannot hold it (``OverflowError``, ``DataError``)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            if parse_id(str(pk)) is None:
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": shown(str(pk))})
        return super()._check_values(value)


LABELS = {  # how messages name the parameters of the lists (the English source; German in the catalog)
    "region": _("region"), "segment": _("segment"), "phase": _("phase"), "type": _("customer type"),
    "state": _("federal state"), "team": _("team"), "status": _("status"), "sla_state": _("SLA state"),
    "service": _("service"), "account": _("account"), "requester": _("requester"), "kind": _("kind"),
    "class": _("class"), "source": _("source"), "campaign": _("campaign"), "outcome": _("outcome"),
    "agent": _("agent"), "rep": _("field rep"), "lead": _("lead"), "entry": _("call-list entry"),
    "referred_by": _("referring account"), "weeks": _("weeks"), "days": _("days"), "months": _("months"),
    "limit": _("limit"), "from": _("from"), "to": _("to"), "sort": _("sort order"), "scope": _("scope"),
    "show": _("show"), "period": _("period"), "task": _("task"), "page": _("page"),
}


class QueryTextMiddleware:
    """No query parameter, key or value, may hold a control character (the rule of ``isf.core.text``).

    Such a value is never a filter anyone typed: it cannot be stored or searched (PostgreSQL refuses NUL), so it is
    refused with 400 before any view reads it: a page answers with its message, the API with
    ``{"message", "field"}``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import JsonResponse

        from isf.core.text import forbidden_character
        from isf.core.views import bad_request

        for key, values in request.GET.lists():
            for text in (key, *values):
                if forbidden_character(text, multiline=False) is not None:
                    field = shown(key)
                    message = gettext("%(label)s: '%(value)s' contains a control character.") % {
                        "label": field, "value": shown(text)}
                    if request.path.startswith("/api/"):
                        return JsonResponse({"message": message, "field": field}, status=400)
                    return bad_request(request, ParamError(field, message))
        return self.get_response(request)

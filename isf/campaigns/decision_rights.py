"""Adapter to the decision rights of the service contract (isf.service).

When the service app provides ``isf.service.services.decision_check`` it decides; until then a
configured default goodwill limit applies (setting ``ISF_GOODWILL_LIMIT_EUR``, default 500 EUR).
"""

from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module

from django.conf import settings

DEFAULT_GOODWILL_LIMIT_EUR = Decimal("500")


@dataclass(frozen=True)
class GoodwillDecision:
    within_rights: bool
    reasons: tuple[str, ...]
    limit: Decimal | None
    source: str  # "service_contract" or "default_limit"


def default_limit() -> Decimal:
    return Decimal(str(getattr(settings, "ISF_GOODWILL_LIMIT_EUR", DEFAULT_GOODWILL_LIMIT_EUR)))


def _service_check():
    try:
        module = import_module("isf.service.services")
    except ImportError:
        return None
    return getattr(module, "decision_check", None)


def goodwill_check(*, amount: Decimal, contract=None) -> GoodwillDecision:
    """Is this goodwill within the decision rights of inside sales?"""
    check = _service_check()
    if check is not None:
        result = check(contract=contract, goodwill_eur=amount)
        return GoodwillDecision(
            bool(result.within_rights), tuple(str(r) for r in result.reasons), None, "service_contract"
        )
    limit = default_limit()
    if amount <= limit:
        return GoodwillDecision(
            True, (f"goodwill {amount} EUR within the limit of {limit} EUR",), limit, "default_limit"
        )
    return GoodwillDecision(
        False, (f"goodwill {amount} EUR above the limit of {limit} EUR: owner approval needed",), limit, "default_limit"
    )

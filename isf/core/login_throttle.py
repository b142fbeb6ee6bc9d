"""Log-in throttling: django-axes with one limit per lockout parameter (see docs/architecture.md).

Failures count per user name + client address (``AXES_FAILURE_LIMIT``, from ``ISF_LOGIN_FAILURE_LIMIT``) and
per client address over all user names (``ISF_LOGIN_ADDRESS_FAILURE_LIMIT``); the client address is
:func:`isf.core.security.client_ip`. Never per user name alone, which would let anyone lock anyone out.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler with a limit per lockout parameter instead of one for all.

    ``AXES_LOCKOUT_PARAMETERS`` counts failures per user name + address and per address; axes compares the
    largest count with one limit (``AXES_FAILURE_LIMIT``, the pair's). A client address tries many user names
    (and a whole office shares one), so it gets its own, higher limit, ``ISF_LOGIN_ADDRESS_FAILURE_LIMIT``:
    its count is reported in units of the pair's limit, so that it reaches ``AXES_FAILURE_LIMIT`` exactly when
    the address reaches its own limit (``floor(n * pair / address) >= pair`` if and only if ``n >= address``).
    """

    def get_failures(self, request, credentials=None) -> int:
        pair_limit = int(settings.AXES_FAILURE_LIMIT)
        address_limit = max(int(settings.ISF_LOGIN_ADDRESS_FAILURE_LIMIT), 1)
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            count = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameter == "ip_address":
                count = count * pair_limit // address_limit
            worst = max(worst, count)
        return worst

"""Deployment safety in one place: the secret key rule, the client address behind proxies, no-store for private pages.

- :func:`require_own_secret_key` is called by ``config/wsgi.py`` and ``config/asgi.py`` (and so by gunicorn,
  uvicorn and ``runserver``): with ``ISF_DEBUG`` off, ISF does not serve with the demo key from its source code.
  Commands (``migrate``, ``isf demo``, ``check``) and the tests still run without a key; ``check --deploy``
  reports the demo key (:func:`check_secret_key`).
- :func:`client_ip` is the client's address as the trusted proxies saw it (``ISF_PROXY_COUNT``); the log-in
  throttling (django-axes, isf.core.login_throttle) and the public contact form's rate limit use it.
- :func:`max_upload_bytes` is the one upload size limit (``ISF_UPLOAD_MAX_BYTES``).
- :class:`NoStoreMiddleware` marks every response to a signed-in user (and every API response to a token)
  ``Cache-Control: no-store``, except public pages and static files.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

#: The key ``config/settings.py`` falls back to when ``ISF_SECRET_KEY`` is not set: public, so only for
#: development and tests.
DEMO_SECRET_KEY = "isf-insecure-local-demo-key-change-me-in-production-0123456789"

SECRET_KEY_HINT = (
    'Set ISF_SECRET_KEY to a long random value of your own, e.g. the output of: '
    'python -c "import secrets; print(secrets.token_urlsafe(50))"'
)


def uses_demo_secret_key() -> bool:
    return settings.SECRET_KEY == DEMO_SECRET_KEY


def require_own_secret_key() -> None:
    """Refuse to serve with ``ISF_DEBUG`` off and the demo key (session cookies and tokens could be forged)."""
    if not settings.DEBUG and uses_demo_secret_key():
        raise ImproperlyConfigured(
            "ISF_SECRET_KEY is not set and ISF_DEBUG is off: ISF does not serve with the demo key from its "
            f"source code. {SECRET_KEY_HINT} (for local development only: ISF_DEBUG=1)."
        )


@register(Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs):
    if uses_demo_secret_key():
        return [Error("SECRET_KEY is ISF's public demo key.", hint=SECRET_KEY_HINT, id="isf.E001")]
    return []


def max_upload_bytes() -> int:
    """The largest file an upload form accepts and an import job reads (``ISF_UPLOAD_MAX_BYTES``)."""
    return int(settings.ISF_UPLOAD_MAX_BYTES)


def _address(raw: str) -> str | None:
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind ``ISF_PROXY_COUNT`` trusted proxies the address the
    outermost of them put into ``X-Forwarded-For``.

    Each proxy appends the address it received the request from, so with N trusted proxies the client is the
    N-th entry from the right of ``X-Forwarded-For`` + ``REMOTE_ADDR``; entries further left were written by
    the client itself and are never trusted. A request that passed fewer proxies (a missing or short header)
    or an entry that is not an address falls back to ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = int(getattr(settings, "ISF_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    chain = [*forwarded, remote]
    if len(chain) <= count:
        return remote
    return _address(chain[-(count + 1)]) or remote


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response that shows data of a signed-in user or an API token.

    A shared office PC or a caching proxy must not keep customer data; the back button after log-out must not
    show it again. Public pages (log-in, contact form, calendar feed) and static files may be cached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._private(request):
            response.headers["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def _private(request) -> bool:
        from isf.core.access import is_public

        if request.path_info.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
            return False
        if request.path_info.startswith("/api/") and "HTTP_AUTHORIZATION" in request.META:
            return True
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        match = request.resolver_match
        return match is None or not is_public(match.namespace, match.url_name or "")


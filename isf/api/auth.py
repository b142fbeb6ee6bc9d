"""API authentication: `Authorization: Bearer <token>`, or the browser session (for the docs page)."""

from ninja.security import HttpBearer, SessionAuth

from isf.api.access import require_api_access
from isf.org.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
            require_api_access(request, user)  # the role table (isf/api/access.py): 403 otherwise
        return user


class SessionUserAuth(SessionAuth):
    """The logged-in browser user (CSRF-checked for unsafe methods by ninja)."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            require_api_access(request, user)
        return user

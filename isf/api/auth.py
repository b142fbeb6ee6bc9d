"""API authentication: `Authorization: Bearer <token>`, or the browser session (for the docs page)."""

from ninja.security import HttpBearer, SessionAuth

from isf.org.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionUserAuth(SessionAuth):
    """The logged-in browser user (CSRF-checked for unsafe methods by ninja)."""

"""Writes for the organisation: API tokens."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from isf.org.models import ApiToken, User, hash_token


@transaction.atomic
def api_token_create(*, user: User, name: str = "", expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token and return it with the raw secret, which is shown once and never stored."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:10], digest=hash_token(raw), expires_at=expires_at
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(raw: str) -> User | None:
    """Return the token's active user, recording the last use; None for unknown/expired/revoked."""
    if not raw:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=hash_token(raw)).first()
    if token is None or not token.is_usable() or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

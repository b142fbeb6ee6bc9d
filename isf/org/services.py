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


class SkillsError(Exception):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message, self.field = message, field


@transaction.atomic
def agent_skills_set(*, agent: User, product_groups=(), languages=(), key_account_approved: bool = False,
                     actor=None):
    """Set an inside agent's skills (product groups, languages, key-account approval); kept in the history."""
    from django.utils.translation import gettext as _

    from isf.org.choices import Language, Role
    from isf.org.models import AgentSkills

    if agent.role not in (Role.INSIDE_AGENT, Role.INSIDE_LEAD):
        raise SkillsError(_("Only inside-sales staff have skills for routing."), "agent")
    unknown = [code for code in languages if code not in Language.values]
    if unknown:
        raise SkillsError(_("“%(code)s” is not a language.") % {"code": str(unknown[0])[:20]}, "languages")
    skills, _created = AgentSkills.objects.get_or_create(user=agent)
    skills.languages = ",".join(code for code in Language.values if code in set(languages))
    skills.key_account_approved = bool(key_account_approved)
    skills._history_user = actor
    skills.save()
    skills.product_groups.set(list(product_groups))
    return skills

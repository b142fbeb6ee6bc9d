"""Who gets which task: the agents' skills (``org.AgentSkills``) route work (issue 20).

- A key-account task (the account is in the key-account segment) goes only to an agent approved for key accounts:
  take-next never offers it to another, and he cannot claim it; the same holds for campaign call-list entries.
- Take-next prefers the work an agent has the skill for: among the ``WINDOW`` highest-ranked open tasks of his team,
  those on an account with a recorded need (``customers.CustomerNeed``, the last ``NEED_DAYS`` days) in a product
  group he knows come first, then tasks that ask for no product group, then those whose groups he does not know -
  a colleague with the skill takes them first. The ranking order stays within each of the three.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from isf.planning.priority import KEY_ACCOUNT_SEGMENT

WINDOW = 20  # the highest-ranked tasks take-next reorders by skill: the ranking still decides which work is near
NEED_DAYS = 365  # needs recorded this recently ask for their product group's skill


def skills_of(user):
    """The agent's skills row, or None when none are recorded."""
    from isf.org.models import AgentSkills

    if user is None or not getattr(user, "pk", None):
        return None
    return AgentSkills.objects.filter(user_id=user.pk).first()


def key_account_approved(user) -> bool:
    skills = skills_of(user)
    return bool(skills and skills.key_account_approved)


def key_account_q(prefix: str = "account__") -> Q:
    """Rows (tasks, call-list entries) whose account is a key account."""
    return Q(**{f"{prefix}segment__code": KEY_ACCOUNT_SEGMENT})


def approvals_in_use() -> bool:
    """Whether the company approves agents for key accounts at all: once one active agent is approved, the others
    are not given key-account work. Before that (a new installation, skills not yet recorded) nobody is barred, so
    the key accounts' queue does not stand still the day the rule arrives."""
    from isf.org.models import AgentSkills

    return AgentSkills.objects.filter(key_account_approved=True, user__is_active=True).exists()


def not_for(user, prefix: str = "account__") -> Q:
    """The rows the inside agent ``user`` may not be given: key accounts, unless he is approved for them (when
    approvals are in use, see above). An empty Q (nothing excluded) for an approved agent and for the other roles
    (the leads hand out work, field reps own their accounts) - exclude with ``.exclude(not_for(user))`` only when it
    is not empty."""
    from isf.org.choices import Role

    if getattr(user, "role", None) != Role.INSIDE_AGENT or key_account_approved(user) or not approvals_in_use():
        return Q()
    return key_account_q(prefix)


def task_groups(account_ids, *, today=None) -> dict[int, set[int]]:
    """Per account: the product groups of its needs recorded in the last NEED_DAYS days."""
    from isf.customers.models import CustomerNeed

    since = timezone.now() - timedelta(days=NEED_DAYS)
    out: dict[int, set[int]] = {}
    for acc, group in (CustomerNeed.objects.filter(account_id__in=list(account_ids), recorded_at__gte=since)
                       .values_list("account_id", "product_group_id")):
        out.setdefault(acc, set()).add(group)
    return out


def by_skill(user, rows: list[tuple[int, int | None]]) -> list[int]:
    """Task ids ``rows`` [(task id, account id)] in ranking order, reordered for ``user``'s skills (see above)."""
    skills = skills_of(user)
    known = set(skills.product_groups.values_list("pk", flat=True)) if skills else set()
    groups = task_groups({acc for _pk, acc in rows if acc})

    def tier(row) -> int:
        wanted = groups.get(row[1], set())
        if not wanted:
            return 1
        return 0 if wanted & known else 2

    return [pk for pk, _acc in sorted(rows, key=tier)]  # sorted is stable: the ranking stays within a tier

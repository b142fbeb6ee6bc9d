"""The inside agents' page for the inside-sales lead: skills (product groups, languages, key-account approval) and
the referral requests each agent worked with their outcomes (issue 20). Thin: the writes are
``isf.org.services.agent_skills_set``, the counts ``isf.planning.referrals.referral_counts``."""

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from isf.calls.forms import group_choices, group_name
from isf.core.access import can
from isf.customers.models import ProductGroup
from isf.org.choices import Language, Role
from isf.org.models import AgentSkills, User
from isf.org.services import SkillsError, agent_skills_set
from isf.planning.referrals import referral_counts

REFERRAL_DAYS = 365  # the counts cover the last year


class SkillsForm(forms.Form):
    product_groups = forms.TypedMultipleChoiceField(label=gettext_lazy("Product groups"), coerce=int, required=False,
                                                    choices=lambda: group_choices(None),
                                                    widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=gettext_lazy("Languages"), choices=Language.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    key_account_approved = forms.BooleanField(label=gettext_lazy("Approved for key accounts"), required=False)


def _agents():
    groups = Prefetch("skills__product_groups", queryset=ProductGroup.objects.order_by("code"))
    return (User.objects.filter(role__in=(Role.INSIDE_AGENT, Role.INSIDE_LEAD), is_active=True)
            .select_related("team", "skills").prefetch_related(groups).order_by("team__code", "last_name", "pk"))


def _skills(user):
    try:
        return user.skills
    except AgentSkills.DoesNotExist:
        return None


def agent_list(request):
    """Every inside agent with his skills and his referral requests of the last year."""
    agents = list(_agents())
    since = timezone.localdate() - timezone.timedelta(days=REFERRAL_DAYS)
    counts = referral_counts(agents=agents, since=since)
    rows = []
    for agent in agents:
        skills = _skills(agent)
        rows.append({"agent": agent, "skills": skills, "referrals": counts.get(agent.pk),
                     "groups": [group_name(g) for g in skills.product_groups.all()] if skills else [],
                     "languages": [str(Language(c).label) for c in (skills.language_list if skills else [])]})
    return render(request, "org/agents.html", {"rows": rows, "since": since,
                                               "may_edit": can(request.user, "agent-skills", "POST")})


def agent_skills(request, pk: int):
    agent = get_object_or_404(_agents(), pk=pk)
    skills = _skills(agent)
    initial = {"product_groups": [g.pk for g in skills.product_groups.all()] if skills else [],
               "languages": skills.language_list if skills else [],
               "key_account_approved": bool(skills and skills.key_account_approved)}
    form = SkillsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agent_skills_set(agent=agent, product_groups=ProductGroup.objects.filter(pk__in=data["product_groups"]),
                             languages=data["languages"], key_account_approved=data["key_account_approved"],
                             actor=request.user)
        except SkillsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Skills of %(agent)s saved.") % {"agent": agent})
            return redirect("agent-list")
    return render(request, "org/agent_skills.html", {"agent": agent, "form": form},
                  status=400 if form.is_bound and form.errors else 200)

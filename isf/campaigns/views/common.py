from django.contrib import messages

from isf.org.choices import Role

LEAD_ROLES = (Role.INSIDE_LEAD, Role.INSIDE_AGENT, Role.MARKETING, Role.SALES_LEAD)
CAMPAIGN_BUILDERS = (Role.INSIDE_LEAD, Role.MARKETING, Role.SALES_LEAD)
SALES_ROLES = (Role.INSIDE_LEAD, Role.INSIDE_AGENT, Role.SALES_LEAD, Role.FIELD_REP)


def error(request, exc) -> None:
    messages.error(request, str(exc))


def form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else field
        messages.error(request, f"{label}: {' '.join(errors)}")

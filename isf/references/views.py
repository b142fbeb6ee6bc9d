"""The reference library (search, filters, pages), a new reference case, a press finding for the timeline. Thin."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from isf.calls.forms import group_rows
from isf.core.params import QueryParams
from isf.customers.choices import Industry
from isf.customers.selectors import accounts_visible_to
from isf.references.forms import PressFindingForm, ReferenceCaseForm
from isf.references.selectors import reference_filters, reference_search
from isf.references.services import ReferenceError, press_finding_record, reference_case_create

PAGE_SIZE = 20


def reference_list(request):
    query = QueryParams(request.GET)
    filters = reference_filters(query)
    page = Paginator(reference_search(**filters), PAGE_SIZE).get_page(query.page())
    query.warn(request)
    params = request.GET.copy()
    params.pop("page", None)
    groups = group_rows()
    names = dict(groups)
    for case in page.object_list:
        case.group_names = [names.get(g.pk, g.name) for g in case.product_groups.all()]
    return render(request, "references/list.html", {
        "page": page, "filters": filters, "groups": groups, "industries": Industry.choices,
        "querystring": params.urlencode()})


def _account(request, form):
    number = (form.cleaned_data.get("customer") or "").strip()
    account = accounts_visible_to(request.user).filter(erp_number=number).first() if number else None
    if account is None:
        form.add_error("customer", _("No customer of yours has the customer number “%(n)s”.") % {"n": number[:30]})
    return account


def _initial(request) -> dict:
    query = QueryParams(request.GET)
    pk = query.id("account")
    account = accounts_visible_to(request.user).filter(pk=pk).first() if pk else None
    return {"customer": account.erp_number} if account else {}


def reference_new(request):
    form = ReferenceCaseForm(request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid() and (account := _account(request, form)) is not None:
        data = form.cleaned_data
        from isf.customers.models import ProductGroup

        try:
            reference_case_create(account=account, title=data["title"], result=data["result"],
                                  challenge=data["challenge"], industry=data["industry"],
                                  product_groups=ProductGroup.objects.filter(pk__in=data["product_groups"]),
                                  approved_on=data["approved_on"], approved_by=data["approved_by"],
                                  user=request.user)
        except ReferenceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Reference case saved."))
            return redirect("references:list")
    return render(request, "references/form.html", {"form": form, "title": _("New reference case")},
                  status=400 if form.is_bound and form.errors else 200)


def press_new(request):
    form = PressFindingForm(request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid() and (account := _account(request, form)) is not None:
        data = form.cleaned_data
        try:
            press_finding_record(account=account, published_on=data["published_on"], publication=data["publication"],
                                 headline=data["headline"], url=data["url"], note=data["note"], user=request.user)
        except ReferenceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Press finding filed on the timeline of %(name)s.") % {"name": account.name})
            return redirect(account.get_absolute_url())
    return render(request, "references/form.html", {"form": form, "title": _("File a press finding")},
                  status=400 if form.is_bound and form.errors else 200)

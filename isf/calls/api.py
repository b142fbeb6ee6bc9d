"""Telephony screen-pop: GET /api/v1/screenpop?phone=… returns the customer screen's facts as JSON."""

from django.http import JsonResponse
from ninja import Router

from isf.calls import lookup
from isf.calls.selectors import jsonable, screen_facts
from isf.customers.selectors import accounts_visible_to

router = Router(tags=["calls"])


@router.get("/screenpop", summary="Customer facts for an incoming phone number")
def screenpop(request, phone: str = ""):
    """The caller's account by phone number in any usual notation (E.164 normalised, default region DE).

    200: the facts of the customer screen. 300-like ambiguity is returned as 200 with `matches`
    when several accounts share the number. 404: no account or contact has the number.
    422: the number cannot be read as a phone number.
    """
    if not phone.strip():
        return JsonResponse({"message": "phone: give the caller's phone number", "field": "phone"}, status=422)
    visible = accounts_visible_to(request.user)
    found = lookup.by_phone(visible.select_related("segment", "owner", "team"), phone)
    if found.error:
        return JsonResponse({"message": f"phone: '{phone}' is not a phone number", "field": "phone"}, status=422)
    if not found.accounts:
        return JsonResponse({"message": f"no customer or contact has the number {found.e164}", "phone": found.e164},
                            status=404)
    if found.account is None:
        matches = [{"id": a.pk, "erp_number": a.erp_number, "name": a.name, "url": a.get_absolute_url()}
                   for a in found.accounts]
        return JsonResponse({"phone": found.e164, "matches": matches, "account": None})
    facts = screen_facts(found.account, contact=found.contact)
    facts["phone"] = found.e164
    return JsonResponse(jsonable(facts))

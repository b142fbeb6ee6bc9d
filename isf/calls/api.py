"""Telephony screen-pop: GET /api/v1/screenpop?phone=… returns the customer screen's facts as JSON."""

from django.http import JsonResponse
from ninja import Router

from isf.calls import lookup
from isf.calls.selectors import is_read_only, jsonable, phone_reach, screen_facts, with_screen_flags

router = Router(tags=["calls"])


@router.get("/screenpop", summary="Customer facts for an incoming phone number")
def screenpop(request, phone: str = ""):
    """The caller's account by phone number in any usual notation (E.164 normalised, default region DE).

    200: the facts of the customer screen. 300-like ambiguity is returned as 200 with `matches`
    when several accounts share the number. 404: no account or contact has the number.
    422: the number cannot be read as a phone number (letters in it, or no valid number).
    An inside agent finds any account by the caller's number; outside his team's segments the facts
    carry `"read_only": true` and no account URL (docs/permissions.md).
    """
    if not phone.strip():
        return JsonResponse({"message": "phone: give the caller's phone number", "field": "phone"}, status=422)
    reach = with_screen_flags(phone_reach(request.user).select_related("segment", "owner", "team"))
    found = lookup.by_phone(reach, phone)
    if found.error:
        return JsonResponse({"message": f"phone: '{phone}' is not a phone number", "field": "phone"}, status=422)
    if not found.accounts:
        return JsonResponse({"message": f"no customer or contact has the number {found.e164}", "phone": found.e164},
                            status=404)
    if found.account is None:
        matches = [{"id": a.pk, "erp_number": a.erp_number, "name": a.name,
                    "url": None if is_read_only(request.user, a) else a.get_absolute_url()} for a in found.accounts]
        return JsonResponse({"phone": found.e164, "matches": matches, "account": None})
    facts = screen_facts(found.account, contact=found.contact, read_only=is_read_only(request.user, found.account))
    facts["phone"] = found.e164
    return JsonResponse(jsonable(facts))

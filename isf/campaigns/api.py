"""API: lead intake (`POST /api/v1/leads`) and lead reading."""

from datetime import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from isf.api.pagination import Pages
from isf.api.types import Choice, Line, ModelText, Postcode
from isf.campaigns import selectors
from isf.campaigns.choices import LeadSource, LeadStatus, QualificationClass
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import Lead
from isf.campaigns.services.leads import lead_create
from isf.core.params import QueryParams
from isf.customers.choices import EmployeeBand, Industry
from isf.customers.models import Account

router = Router(tags=["leads"])


class LeadIn(Schema):
    company: ModelText(Lead, "company") = ""
    contact_name: ModelText(Lead, "contact_name") = ""
    email: ModelText(Lead, "email") = ""
    phone: Line(40) = ""
    street: ModelText(Lead, "street") = ""
    postcode: Postcode = ""
    city: ModelText(Lead, "city") = ""
    industry: Choice(Industry, blank=True) = ""
    employee_band: Choice(EmployeeBand, blank=True) = ""
    potential: Decimal = Decimal("0")
    message: ModelText(Lead, "message") = ""
    referred_by_account_id: int | None = None


class LeadOut(Schema):
    id: int
    company: str
    status: Choice(LeadStatus)
    source: Choice(LeadSource)
    score: float
    fit: float
    engagement: float
    qualification_class: Choice(QualificationClass, blank=True)
    reasons: list[str]
    duplicate: bool
    duplicate_account_id: int | None
    duplicate_lead_id: int | None
    assigned_to: str | None
    team: str | None
    followup_due_at: datetime | None
    source_account_id: int | None

    @staticmethod
    def resolve_score(obj: Lead) -> float:
        return float(obj.score)

    @staticmethod
    def resolve_fit(obj: Lead) -> float:
        return float(obj.fit_score)

    @staticmethod
    def resolve_engagement(obj: Lead) -> float:
        return float(obj.engagement_score)

    @staticmethod
    def resolve_reasons(obj: Lead) -> list[str]:
        return [r["text"] for r in obj.reasons]

    @staticmethod
    def resolve_duplicate(obj: Lead) -> bool:
        return obj.duplicate_state == "suspected"

    @staticmethod
    def resolve_assigned_to(obj: Lead) -> str | None:
        return obj.assigned_to.username if obj.assigned_to_id else None

    @staticmethod
    def resolve_team(obj: Lead) -> str | None:
        return obj.team.code if obj.team_id else None


class Error(Schema):
    message: str
    field: str = ""


@router.post("/leads", response={201: LeadOut, 422: Error})
def create_lead(request, payload: LeadIn):
    """Take in a lead; the answer carries `score`, `qualification_class` and `reasons`."""
    source_account = None
    data = payload.dict()
    referred = data.pop("referred_by_account_id")
    if referred is not None:
        source_account = Account.objects.filter(pk=referred).first()
        if source_account is None:
            return Status(
                422,
                {
                    "message": f"referred_by_account_id: account {referred} does not exist",
                    "field": "referred_by_account_id",
                },
            )
    try:
        result = lead_create(
            data=data,
            source=LeadSource.REFERRAL if source_account else LeadSource.API,
            user=request.user,
            source_account=source_account,
        )
    except CampaignsError as exc:
        return Status(422, {"message": exc.message, "field": exc.field})
    return Status(201, result.lead)


@router.get("/leads", response=list[LeadOut])
@paginate(Pages, page_size=50)
def list_leads(request, q: str = "", status: Choice(LeadStatus, blank=True) = "",
               qualification_class: Choice(QualificationClass, blank=True) = ""):
    query = QueryParams(request.GET, strict=True)  # an unknown status or class: 400, as on every list
    return selectors.lead_list(q=query.text("q"), status=query.choice("status", LeadStatus.values),
                               qualification_class=query.choice("qualification_class", QualificationClass.values))


@router.get("/leads/{lead_id}", response=LeadOut)
def get_lead(request, lead_id: int):
    return get_object_or_404(Lead.objects.select_related("assigned_to", "team"), pk=lead_id)

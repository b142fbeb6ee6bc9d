"""Test helpers for the campaigns app: a small organisation with teams, a region and a rep."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from isf.org.choices import Role
from isf.org.models import Region, Team, User
from isf.org.tests.factories import RegionFactory, TeamFactory, UserFactory
from isf.segmentation.models import Segment
from isf.service.models import ServiceContract


@dataclass
class Org:
    region: Region
    ka_team: Team
    smb_team: Team
    rep: User
    agent: User
    agent2: User
    idl: User
    marketing: User
    vl: User
    ka: Segment
    smb: Segment


def make_org() -> Org:
    region = RegionFactory(code="MUC", name="Oberbayern", state="BY", postcode_prefixes="80,81,82")
    ka_team = TeamFactory(code="KA", name="Key-Account-Team", state="BY")
    smb_team = TeamFactory(code="SMB", name="SMB-Team", state="BY")
    return Org(
        region=region,
        ka_team=ka_team,
        smb_team=smb_team,
        rep=UserFactory(username="ad1", first_name="Thomas", last_name="Huber", role=Role.FIELD_REP, region=region),
        agent=UserFactory(
            username="id1", first_name="Julia", last_name="Hofmann", role=Role.INSIDE_AGENT, team=smb_team
        ),
        agent2=UserFactory(
            username="id2", first_name="Anna", last_name="Schäfer", role=Role.INSIDE_AGENT, team=smb_team
        ),
        idl=UserFactory(username="idl", first_name="Claudia", last_name="Seidl", role=Role.INSIDE_LEAD),
        marketing=UserFactory(username="mkt", first_name="Miriam", last_name="Vogel", role=Role.MARKETING),
        vl=UserFactory(username="vl", first_name="Martin", last_name="Brandl", role=Role.SALES_LEAD),
        ka=Segment.objects.create(
            code="KA", name_de="Key Accounts", name_en="Key accounts", team=ka_team, precedence=10
        ),
        smb=Segment.objects.create(code="SMB", name_de="KMU", name_en="SMB", team=smb_team, precedence=30),
    )


def make_contract(org: Org, max_goodwill_eur: str = "500", accepted: bool = True) -> ServiceContract:
    """A service contract in force (accepted by both leads) with the given goodwill limit of inside sales."""
    now = timezone.now()
    first, last = now.year - 6, now.year + 9  # in force around whatever date the test runs on
    return ServiceContract.objects.create(
        period=f"{first}-{last}", version=1, valid_from=date(first, 1, 1), valid_to=date(last, 12, 31),
        max_goodwill_eur=Decimal(max_goodwill_eur),
        accepted_by_vl=org.vl if accepted else None, accepted_by_vl_at=now if accepted else None,
        accepted_by_idl=org.idl if accepted else None, accepted_by_idl_at=now if accepted else None,
    )

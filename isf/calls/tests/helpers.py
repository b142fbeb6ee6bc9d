import datetime as dt
from decimal import Decimal

from isf.customers.tests.factories import (
    AccountFactory,
    ContactFactory,
    OrderFactory,
    PhoneFactory,
    ProductFactory,
    ProductGroupFactory,
    add_line,
)
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory


def world():
    """Two teams, an inside agent of team A, an owner rep, and an account of team A with a contact and phones."""
    team_a, team_b = TeamFactory(code="SMB", name="SMB-Team"), TeamFactory(code="KA", name="KA-Team")
    agent = UserFactory(username="agent", role=Role.INSIDE_AGENT, team=team_a)
    rep = UserFactory(username="rep", role=Role.FIELD_REP, first_name="Anna", last_name="Außendienst")
    account = AccountFactory(name="Müller Metallbau GmbH", erp_number="010007", team=team_a, owner=rep,
                             potential=Decimal("80000"))
    contact = ContactFactory(account=account, first_name="Klaus", last_name="Huber", buying_role="buyer")
    PhoneFactory(account=account, e164="+49891234567")
    PhoneFactory(account=account, contact=contact, e164="+491701234567")
    other = AccountFactory(name="Schmidt Bau KG", team=team_b)
    PhoneFactory(account=other, e164="+49301111111")
    return {"team_a": team_a, "team_b": team_b, "agent": agent, "rep": rep, "account": account,
            "contact": contact, "other": other}


GROUP_CODES = ["BEF", "KLB", "DCH", "ASH", "SWT", "HWZ"]


def baskets(today: dt.date):
    """Accounts whose purchases make sealants (DCH) the obvious next group after fasteners + adhesives."""
    groups = {code: ProductGroupFactory(code=code, name={"BEF": "Befestigungstechnik", "KLB": "Klebstoffe",
                                                         "DCH": "Dichtstoffe", "ASH": "Arbeitsschutzhandschuhe",
                                                         "SWT": "Schweißtechnik", "HWZ": "Handwerkzeuge"}[code],
                                          name_en={"BEF": "Fasteners", "KLB": "Adhesives", "DCH": "Sealants",
                                                   "ASH": "Safety gloves", "SWT": "Welding", "HWZ": "Hand tools"}[code])
              for code in GROUP_CODES}
    products = {code: ProductFactory(group=g) for code, g in groups.items()}
    day = today - dt.timedelta(days=30)
    sets = [["BEF", "KLB", "DCH", "ASH"]] * 9 + [["BEF", "KLB", "ASH"]] * 3 + [["ASH", "SWT"]] * 6 + [["ASH", "HWZ"]] * 4
    for i, s in enumerate(sets):
        acc = AccountFactory(name=f"Basket {i}")
        order = OrderFactory(account=acc, date=day)
        for n, code in enumerate(s, start=1):
            add_line(order, product=products[code], line_no=n, revenue="100.00", margin="30.00")
    return groups, products

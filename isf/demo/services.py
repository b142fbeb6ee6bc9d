"""Load the demo company into the configured database.

Master data go through the ORM (few rows); the generated facts (accounts, contacts, phones,
orders, order lines, quotes) go through bulk inserts so 100,000 accounts with about three
million order lines load in well under three minutes. After the base, each feature app may
add its demo content through a `demo.py` module with `load(ctx)`; the order is DEMO_STEPS.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module

import numpy as np
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from isf.core.bulk import bulk_insert, reset_sequence
from isf.core.bulk_load import sqlite_indexes_deferred
from isf.customers.models import Account, Contact, Order, OrderLine, PhoneNumber, Product, ProductGroup, Quote
from isf.demo import catalog
from isf.demo.generator import DemoBase, generate, products_per_group
from isf.org.choices import Role
from isf.org.models import Region, Team, User

DEMO_PASSWORD = "demo"
# Feature apps that add demo content, in dependency order (each a module isf.<app>.demo with load(ctx)).
# The apps' demo modules (`isf/<app>/demo.py`, or `app.demo_part` for a second one; each with `load(ctx)`), listed in the order they load; every one
# exists (no discovery). Named so a large base can skip by name (STEPS_DERIVED_BY_NIGHTLY).
DEMO_STEPS = [
    "org",  # the agents' skills (routing), before any work is handed out
    "segmentation",
    "customers.demo_owners",  # owners by the owner rules (the C/D/private channel), right after the segments they follow
    "lifecycle",
    # staff, absences and call volumes, service orders, alerts and campaign follow-ups first: the contact plans
    # are fitted into the capacity they leave, and the teams work the whole queue's past in the planning step
    "capacity",
    "service",
    "monitoring",
    "campaigns",
    "planning",
    "visits",
    "calls",
    "customers",  # needs, potential estimates and contacts learnt on calls (issue 20)
    "references",  # the reference library and press findings
    "reviews",
    "targets",
    "imports",
]


# Benchmark-sized bases (100,000 accounts) get the facts and the content that does not grow with
# the base; contact plans and monitoring alerts, which are derived per account, come from
# `isf nightly` (or the benchmark's own run) so the load stays under three minutes.
LARGE_BASE = 20_000
STEPS_DERIVED_BY_NIGHTLY = {"planning", "monitoring"}


class DemoRefused(Exception):
    """The database already holds data and --reset was not given."""


@dataclass
class DemoContext:
    base: DemoBase
    seed: int
    today: date
    users: dict[str, User] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    regions: list[Region] = field(default_factory=list)
    progress: Callable[[str], None] = print
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))

    @property
    def volume_scale(self) -> float:
        """Share of the full-size company's call volume this base has (the call log and the telephony
        volumes both use it): 20,000 accounts and more are full size, small bases keep 15 %."""
        return min(1.0, max(self.base.n / 20000, 0.15))


def database_is_empty() -> bool:
    return not (User.objects.exists() or Account.objects.exists())


def demo_load(
    *,
    accounts: int = 2000,
    years: int = 3,
    seed: int = 42,
    reset: bool = False,
    today: date | None = None,
    progress: Callable[[str], None] = lambda msg: None,
) -> dict:
    """Load the demo company; refuse (changing nothing) if the database is not empty and not reset."""
    if accounts < 1 or years < 1:
        raise ValueError("accounts and years must be at least 1")
    if not database_is_empty():
        if not reset:
            raise DemoRefused("the database is not empty; use --reset to replace its content with the demo")
        progress("resetting the database …")
    # Always from the same start: an empty database may still carry id sequences of deleted rows (e.g. the
    # converted leads' customer numbers INT-<lead id> would then differ), so the same seed gives the same company.
    call_command("flush", interactive=False, verbosity=0)
    today = today or timezone.localdate()
    started = time.perf_counter()
    progress(f"generating {accounts:,} accounts over {years} years (seed {seed}) …")
    base = generate(n=accounts, years=years, seed=seed, today=today)
    ctx = DemoContext(base=base, seed=seed, today=today, progress=progress, rng=np.random.default_rng(seed + 1))
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        # Foreign keys are checked once at the end (foreign_key_check) instead of per row.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
    try:
        _load_all(ctx, check_foreign_keys=sqlite)
    finally:
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_keys = ON")
    counts = {
        "accounts": Account.objects.count(),
        "contacts": Contact.objects.count(),
        "orders": Order.objects.count(),
        "order_lines": OrderLine.objects.count(),
        "quotes": Quote.objects.count(),
        "users": User.objects.count(),
        "seconds": round(time.perf_counter() - started, 1),
    }
    progress(f"done in {counts['seconds']} s")
    return counts


def _load_all(ctx: DemoContext, *, check_foreign_keys: bool) -> None:
    with transaction.atomic():
        _organisation(ctx)
        _products()
        with sqlite_indexes_deferred(Account._meta.db_table, Contact._meta.db_table, PhoneNumber._meta.db_table,
                                     Order._meta.db_table, OrderLine._meta.db_table, Quote._meta.db_table):
            _accounts(ctx)
            _contacts(ctx)
            _orders(ctx)
            _quotes(ctx)
        if check_foreign_keys:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_key_check")
                broken = cursor.fetchmany(5)
            if broken:
                raise RuntimeError(f"demo data violates foreign keys: {broken}")
        for step in DEMO_STEPS:
            module_name = f"isf.{step}" if "." in step else f"isf.{step}.demo"
            if ctx.base.n > LARGE_BASE and step in STEPS_DERIVED_BY_NIGHTLY:
                ctx.progress(f"{step}: skipped for a base of {ctx.base.n:,} accounts (run `isf nightly` to derive it)")
                continue
            ctx.progress(f"{step} …")
            import_module(module_name).load(ctx)


def _organisation(ctx: DemoContext) -> None:
    ctx.progress("organisation: regions, teams, users …")
    password = make_password(DEMO_PASSWORD)
    for code, name, state, prefixes, _cities in catalog.REGIONS:
        ctx.regions.append(Region.objects.create(code=code, name=name, state=state, postcode_prefixes=prefixes))
    for code, name_de, _en, _agents in catalog.TEAMS:
        ctx.teams[code] = Team.objects.create(
            code=code, name=name_de, state=catalog.HQ_STATE, email=f"{code.lower()}@brandl-technik.de",
            inbound_numbers=catalog.TEAM_LINES.get(code, ""), inbound_default=code == catalog.DEFAULT_INBOUND_TEAM,
        )

    def user(username, first, last, role, **extra):
        u = User.objects.create(
            username=username, first_name=first, last_name=last, role=role, password=password,
            email=f"{username}@brandl-technik.de", **extra,
        )
        ctx.users[username] = u
        return u

    user("vl", "Martin", "Brandl", Role.SALES_LEAD)
    user("idl", "Claudia", "Seidl", Role.INSIDE_LEAD)
    for i, (first, last) in enumerate(catalog.FIELD_REPS):
        user(f"ad{i + 1}", first, last, Role.FIELD_REP, region=ctx.regions[i])
    for code, _de, _en, agents in catalog.TEAMS:
        for idx in agents:
            first, last = catalog.AGENTS[idx]
            user(f"id{idx + 1}", first, last, Role.INSIDE_AGENT, team=ctx.teams[code], weekly_hours=30 if idx % 4 == 3 else 40)
    user("mkt", "Miriam", "Vogel", Role.MARKETING)
    user("admin", "Admin", "ISF", Role.ADMIN, is_staff=True, is_superuser=True)


def _products() -> None:
    groups = [ProductGroup(code=c, name=de, name_en=en) for (c, de, en, *_rest) in catalog.PRODUCT_GROUPS]
    ProductGroup.objects.bulk_create(groups)
    by_code = {g.code: g for g in ProductGroup.objects.all()}
    products = []
    for (code, *_rest), items in zip(catalog.PRODUCT_GROUPS, products_per_group(), strict=True):
        products += [Product(sku=sku, name=name, group=by_code[code], list_price=price) for sku, name, price in items]
    Product.objects.bulk_create(products)


def _company_name(rng, industry: str) -> str:
    surname = catalog.SURNAMES[int(rng.integers(len(catalog.SURNAMES)))]
    branch_words = catalog.BRANCH_WORDS.get(industry, ["Technik"])
    branch = branch_words[int(rng.integers(len(branch_words)))]
    legal = catalog.LEGAL_FORMS[int(rng.integers(len(catalog.LEGAL_FORMS)))]
    if industry in {"Q", "O"}:
        return f"{branch} {catalog.REGIONS[0][1] if rng.random() < 0 else surname}"
    pattern = int(rng.integers(3))
    if pattern == 0:
        return f"{surname} {branch} {legal}"
    if pattern == 1:
        return f"{branch} {surname} {legal}"
    return f"{surname} & {catalog.SURNAMES[int(rng.integers(len(catalog.SURNAMES)))]} {branch} {legal}"


def _employee_band(employees: float) -> str:
    for limit, band in ((10, "1-9"), (50, "10-49"), (250, "50-249"), (1000, "250-999")):
        if employees < limit:
            return band
    return "1000+"


def _accounts(ctx: DemoContext) -> None:
    base, rng = ctx.base, np.random.default_rng(ctx.seed + 2)
    ctx.progress(f"accounts ({base.n:,}) …")
    reps = [ctx.users[f"ad{i + 1}"] for i in range(len(catalog.FIELD_REPS))]
    now = timezone.now()
    consent_days = rng.integers(30, 1500, base.n)
    roll = rng.random(base.n)
    rows, phones = [], []
    for i in range(base.n):
        reg_code, _rname, reg_state, _prefixes, cities = catalog.REGIONS[base.region[i]]
        city, postcode, area = cities[base.city[i]]
        postcode = f"{int(postcode) + int(rng.integers(0, 40)):05d}"
        state = catalog.CITY_STATE.get(city, reg_state)
        b2c = bool(base.is_b2c[i])
        if b2c:
            name = f"{catalog.FIRST_NAMES[int(rng.integers(len(catalog.FIRST_NAMES)))]} {catalog.SURNAMES[int(rng.integers(len(catalog.SURNAMES)))]}"
        else:
            name = _company_name(rng, str(base.industry[i]))
        street = f"{catalog.STREETS[int(rng.integers(len(catalog.STREETS)))]} {int(rng.integers(1, 180))}"
        explicit = bool(b2c and roll[i] < 0.45)
        presumed = bool((not b2c) and roll[i] < 0.88)
        opt_out = (ctx.today - timedelta(days=int(consent_days[i] // 3))) if roll[i] > 0.975 else None
        rows.append((
            i + 1, f"{10000 + i * 3 + 7:06d}" if i < 330000 else f"K{i:07d}", name, street, postcode, city, state,
            int(base.region[i]) + ctx.regions[0].pk, "" if b2c else str(base.industry[i]),
            "" if b2c else _employee_band(float(base.employees[i])), "b2c" if b2c else "b2b",
            None if b2c else reps[int(base.region[i])].pk, None, f"{base.potential[i]:.2f}", None, "prospect",
            explicit, (ctx.today - timedelta(days=int(consent_days[i]))) if explicit else None, presumed,
            bool(roll[i] < 0.5), opt_out, now, now,
        ))
        phones.append((f"+49{area}{(1000000 + i * 7919) % 9000000 + 1000000}", "landline", i + 1, None))
    columns = ["id", "erp_number", "name", "street", "postcode", "city", "state", "region_id", "industry",
               "employee_band", "customer_type", "owner_id", "team_id", "potential", "segment_id", "phase",
               "phone_consent", "phone_consent_date", "presumed_consent", "email_opt_in", "opt_out_date",
               "created_at", "updated_at"]
    bulk_insert(Account._meta.db_table, columns, rows)
    reset_sequence(Account)
    ctx.phone_rows = phones  # contacts append their mobiles, then all are written together


def _contacts(ctx: DemoContext) -> None:
    base, rng = ctx.base, np.random.default_rng(ctx.seed + 3)
    ctx.progress("contacts and phone numbers …")
    roles = ["decision_maker", "buyer", "influencer", "user", "gatekeeper"]
    counts = np.where(base.is_b2c, 0, 1 + np.minimum(rng.poisson(np.log1p(base.employees) / 1.8), 5))
    rows, phones = [], list(ctx.phone_rows)
    pk = 0
    for i in range(base.n):
        for j in range(int(counts[i])):
            pk += 1
            role = roles[j] if j < len(roles) else roles[int(rng.integers(1, 4))]
            functions = catalog.FUNCTIONS[role]
            first = catalog.FIRST_NAMES[int(rng.integers(len(catalog.FIRST_NAMES)))]
            last = catalog.SURNAMES[int(rng.integers(len(catalog.SURNAMES)))]
            r = rng.random()
            status, status_date = "active", None
            if r < 0.03:
                status, status_date = "leaving", ctx.today + timedelta(days=int(rng.integers(10, 90)))
            elif r < 0.05:
                status, status_date = "left", ctx.today - timedelta(days=int(rng.integers(10, 400)))
            domain = f"firma{i + 1}.de"
            email = f"{_ascii(first)}.{_ascii(last)}@{domain}".lower()
            rows.append((pk, i + 1, first, last, "Herr" if first in _MALE else "Frau",
                         functions[int(rng.integers(len(functions)))], role, email, status, status_date, None,
                         timezone.now(), timezone.now()))
            if rng.random() < 0.6:
                prefix = ("151", "160", "170", "171", "172", "175", "176", "179")[int(rng.integers(8))]
                phones.append((f"+49{prefix}{(2000000 + pk * 104729) % 90000000 + 10000000}", "mobile", i + 1, pk))
    bulk_insert(Contact._meta.db_table, ["id", "account_id", "first_name", "last_name", "salutation", "function",
                                          "buying_role", "email", "status", "status_date", "external_id",
                                          "created_at", "updated_at"], rows)
    reset_sequence(Contact)
    bulk_insert(PhoneNumber._meta.db_table, ["e164", "kind", "account_id", "contact_id"], phones)
    del ctx.phone_rows


_MALE = {"Peter", "Klaus", "Wolfgang", "Jürgen", "Michael", "Thomas", "Andreas", "Stefan", "Frank", "Markus",
         "Christian", "Martin", "Alexander", "Tobias", "Sebastian", "Florian", "Matthias", "Ralf", "Uwe", "Bernd"}


def _ascii(text: str) -> str:
    return text.translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}))


def _orders(ctx: DemoContext) -> None:
    base = ctx.base
    ctx.progress(f"orders ({base.order_account.size:,}) and order lines ({base.line_order.size:,}) …")
    start_ord = base.start.toordinal()
    dates = [date.fromordinal(start_ord + d).isoformat() for d in range(int(base.order_day.max(initial=0)) + 1)]
    acc_ids = (base.order_account + 1).tolist()
    days = base.order_day.tolist()
    order_rows = ((k + 1, f"A{k + 1:08d}", acc_ids[k], dates[days[k]]) for k in range(len(acc_ids)))
    bulk_insert(Order._meta.db_table, ["id", "number", "account_id", "date"], order_rows)
    reset_sequence(Order)
    product_pk = {p.sku: p.pk for p in Product.objects.all()}
    skus = [sku for items in products_per_group() for sku, _n, _p in items]
    product_ids = np.array([product_pk[s] for s in skus])[base.line_product].tolist()
    line_order = base.line_order.tolist()
    line_no = base.line_no.tolist()
    qty = base.line_quantity.tolist()
    rev = base.line_revenue.tolist()
    mar = base.line_margin.tolist()
    line_rows = (
        (line_order[k] + 1, line_no[k], acc_ids[line_order[k]], dates[days[line_order[k]]], product_ids[k],
         f"{qty[k]:.3f}", f"{rev[k]:.2f}", f"{mar[k]:.2f}")
        for k in range(len(line_order))
    )
    bulk_insert(OrderLine._meta.db_table, ["order_id", "line_no", "account_id", "order_date", "product_id",
                                            "quantity", "net_revenue", "margin"], line_rows)


def _quotes(ctx: DemoContext) -> None:
    base, rng = ctx.base, np.random.default_rng(ctx.seed + 4)
    ctx.progress("quotes …")
    horizon = (base.today - base.start).days
    n_orders = np.bincount(base.order_account, minlength=base.n)
    n_quotes = rng.poisson(np.clip(n_orders / 8, 0.05, 12))
    groups = ProductGroup.objects.order_by("code")
    group_ids = {g.code: g.pk for g in groups}
    rows = []
    pk = 0
    for i in range(base.n):
        for _ in range(int(n_quotes[i])):
            pk += 1
            day = int(rng.integers(0, horizon))
            qdate = base.start + timedelta(days=day)
            age = horizon - day
            if age < 21:
                status = "sent"
            elif age < 45:
                status = ("sent", "won", "lost")[int(rng.integers(3))]
            else:
                status = ("won", "won", "lost", "expired")[int(rng.integers(4))]
            reason = {"won": "Preis und Lieferzeit passten", "lost": ("Preis zu hoch", "Wettbewerber günstiger",
                      "Projekt verschoben")[int(rng.integers(3))]}.get(status, "")
            amount = float(np.exp(rng.normal(np.log(2500), 1.0)))
            gcode = catalog.PRODUCT_GROUPS[int(base.groups[i, int(rng.integers(0, 3))])][0]
            rows.append((pk, f"AN{qdate.year}-{pk:06d}", i + 1, None, qdate, f"{amount:.2f}",
                         qdate + timedelta(days=30), status, reason, group_ids[gcode]))
    bulk_insert(Quote._meta.db_table, ["id", "number", "account_id", "contact_id", "date", "amount", "valid_until",
                                        "status", "outcome_reason", "product_group_id"], rows)
    reset_sequence(Quote)

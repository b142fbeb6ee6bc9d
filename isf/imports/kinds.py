"""The import kinds: columns, keys and cleaning rules for accounts, contacts, products and quotes; the registry.

``KINDS`` maps the kind name used by ``isf import KIND`` and the upload page to its columns; ``run_import``
opens a file and dispatches to the right importer.  Leads go through the campaigns app's own import service
(``isf.imports.otherkinds``) and call volumes through the capacity app's (``isf import call-volumes``).
"""

import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from isf.core.text import is_postcode
from isf.customers.choices import BuyingRole, ContactStatus, CustomerType, EmployeeBand, Industry, QuoteStatus
from isf.customers.phones import PhoneParseError, to_e164
from isf.customers.services import accounts_write_bulk, contacts_write_bulk, phones_add_bulk
from isf.imports.engine import (
    Column,
    ImportResult,
    Mapping,
    Progress,
    count_data_lines,
    no_progress,
    problem_from_format_error,
)
from isf.imports.masters import Context, Kind, upsert
from isf.imports.orders import HEADER_COLUMNS, ORDER_COLUMNS, import_orders, read_headers
from isf.imports.reader import DEFAULT_MAX_BYTES, FileFormatError, open_table
from isf.org.choices import FederalState

# --- accounts ------------------------------------------------------------------------------------------------

ACCOUNT_COLUMNS = (
    Column("erp_number", True, ("Kundennr", "Kundennummer", "Debitor", "customer_number"), ("10001", "10002"),
           label=_("customer number")),
    Column("name", True, ("Name", "Firma", "Kunde", "Name1"), ("Müller Haustechnik GmbH", "Bäckerei Schäfer"),
           label=_("name")),
    Column("street", False, ("Straße", "Strasse", "Anschrift"), ("Hauptstraße 12", "Marktplatz 3"), label=_("street")),
    Column("postcode", False, ("PLZ", "Postleitzahl", "zip"), ("80331", "50667"), label=_("postcode")),
    Column("city", False, ("Ort", "Stadt"), ("München", "Köln"), label=_("city")),
    Column("state", False, ("Bundesland",), ("BY", "NW"), label=_("federal state")),
    Column("region", False, ("Region", "Gebiet"), ("", ""), label=_("region")),
    Column("industry", False, ("Branche", "WZ"), ("F", "C"), label=_("industry")),
    Column("employee_band", False, ("Mitarbeiter", "Beschäftigte"), ("10-49", "1-9"), label=_("employees")),
    Column("customer_type", False, ("Kundentyp", "type"), ("b2b", "b2b"), label=_("customer type")),
    Column("potential", False, ("Potenzial", "Potential"), ("25.000,00", "8.500,00"), label=_("potential (EUR)"),
           type="decimal"),
    Column("phone", False, ("Telefon", "Tel", "Telefonnummer"), ("089 1234567", "0221 987654"), label=_("phone")),
)
ACCOUNT_FIELDS = ("erp_number", "name", "street", "postcode", "city", "state", "region_id", "industry",
                  "employee_band", "customer_type", "potential")


def _regions(ctx: Context):
    if "regions" not in ctx.cache:
        from isf.org.models import Region

        by_code, prefixes = {}, []
        for r in Region.objects.all():
            by_code[r.code.casefold()] = r.id
            by_code.setdefault(r.name.casefold(), r.id)  # the account export writes the region's name
            prefixes += [(p, r.id) for p in r.prefixes()]
        prefixes.sort(key=lambda x: -len(x[0]))  # longest prefix wins
        ctx.cache["regions"] = (by_code, prefixes)
    return ctx.cache["regions"]


def _stored_phones(ctx: Context) -> set:
    if "phones" not in ctx.cache:
        from isf.customers.models import PhoneNumber

        ctx.cache["phones"] = set(PhoneNumber.objects.values_list("account__erp_number", "e164"))
    return ctx.cache["phones"]


def clean_account(row: dict, ctx: Context) -> dict:
    """The account's fields from the row.  An optional field is only written when the file has its column, so a
    file with fewer columns (the account list's export) leaves the other fields as they are."""
    v = {
        "erp_number": ctx.text(row, "erp_number", 30, required=True),
        "name": ctx.text(row, "name", 200, required=True),
    }
    present = {name for name, col in ctx.cols.items() if col}
    optional = {
        "street": lambda: ctx.text(row, "street", 200),
        "postcode": lambda: ctx.text(row, "postcode", 10),
        "city": lambda: ctx.text(row, "city", 100),
        "state": lambda: ctx.choice(row, "state", FederalState.choices),
        "industry": lambda: ctx.choice(row, "industry", Industry.choices),
        "employee_band": lambda: ctx.choice(row, "employee_band", EmployeeBand.choices),
        "customer_type": lambda: ctx.choice(row, "customer_type", CustomerType.choices, CustomerType.B2B),
        "potential": lambda: ctx.decimal(row, "potential", default=0, minimum=0),
    }
    v.update({name: read() for name, read in optional.items() if name in present})
    postcode = v.get("postcode", "")
    if postcode and not is_postcode(postcode):
        ctx.fail("postcode", "postcode must have 5 digits", postcode)
    by_code, prefixes = _regions(ctx)
    code = ctx.raw(row, "region")
    if code:
        if code.casefold() not in by_code:
            ctx.fail("region", "unknown region code", code)
        else:
            v["region_id"] = by_code[code.casefold()]
    elif "region" in present or "postcode" in present:  # derived from the postcode
        v["region_id"] = next((rid for p, rid in prefixes if postcode.startswith(p)), None) if postcode else None
    e164 = _phone(row, ctx)
    if e164 and (v["erp_number"], e164) not in _stored_phones(ctx):
        ctx.extra[v["erp_number"]] = e164
    return v


def _phone(row: dict, ctx: Context) -> str:
    """The row's phone number as E.164, "" when the cell is empty."""
    phone = ctx.raw(row, "phone")
    if not phone:
        return ""
    try:
        return to_e164(phone)
    except PhoneParseError as exc:
        return ctx.fail("phone", str(exc), phone, "")


def _after_accounts(ctx: Context, written: dict, cleaned: dict, result: ImportResult) -> None:
    """After the accounts are written: their phone numbers, and the new ones placed (segment, team, field rep)."""
    from isf.imports.placement import accounts_place

    _write_phones(ctx, written, cleaned, result)
    result.placed = accounts_place(account_ids=[o.pk for o in ctx.created])


def _write_phones(ctx: Context, written: dict, cleaned: dict, result: ImportResult) -> None:
    from isf.customers.models import Account

    if not ctx.extra:
        return
    ids = dict(Account.objects.filter(erp_number__in=list(ctx.extra)).values_list("erp_number", "id"))
    phones_add_bulk([(ids[erp], None, e164) for erp, e164 in ctx.extra.items()])


# --- products ------------------------------------------------------------------------------------------------

PRODUCT_COLUMNS = (
    Column("sku", True, ("Artikelnr", "Artikelnummer", "Material", "article_number"), ("ART-1001", "ART-2040"),
           label=_("article number")),
    Column("name", True, ("Bezeichnung", "Artikelbezeichnung", "Name"), ("Heizkessel 24 kW", "Thermostat digital"),
           label=_("description")),
    Column("group", True, ("Warengruppe", "Produktgruppe", "product_group"), ("HEIZ", "REGEL"),
           label=_("product group")),
    Column("list_price", False, ("Listenpreis", "Preis", "price"), ("2.450,00", "89,90"), label=_("list price (EUR)"),
           type="decimal"),
    Column("unit", False, ("Einheit", "ME", "Mengeneinheit"), ("Stk", "Stk"), label=_("unit")),
)


def clean_product(row: dict, ctx: Context) -> dict:
    if "groups" not in ctx.cache:
        from isf.customers.models import ProductGroup

        ctx.cache["groups"] = {c.casefold(): i for c, i in ProductGroup.objects.values_list("code", "id")}
    code = ctx.text(row, "group", 20, required=True)
    group = ctx.cache["groups"].get(code.casefold())
    if group is None and code:
        ctx.fail("group", "unknown product group", code)
    return {
        "sku": ctx.text(row, "sku", 30, required=True),
        "name": ctx.text(row, "name", 200, required=True),
        "group_id": group,
        "list_price": ctx.decimal(row, "list_price", default=0, minimum=0),
        "unit": ctx.text(row, "unit", 10) or "Stk",
    }


# --- contacts ------------------------------------------------------------------------------------------------

CONTACT_COLUMNS = (
    Column("external_id", False, ("Ansprechpartnernr", "Kontaktnr", "ID"), ("AP-501", "AP-502"),
           label=_("contact number")),
    Column("customer_number", True, ("Kundennr", "Kundennummer", "erp_number"), ("10001", "10001"),
           label=_("customer number")),
    Column("first_name", False, ("Vorname",), ("Anna", "Jürgen"), label=_("first name")),
    Column("last_name", True, ("Nachname", "Name"), ("Schmidt", "Weiß"), label=_("last name")),
    Column("salutation", False, ("Anrede",), ("Frau", "Herr"), label=_("salutation")),
    Column("function", False, ("Funktion", "Position"), ("Einkaufsleiterin", "Geschäftsführer"), label=_("function")),
    Column("email", False, ("E-Mail", "Mail"), ("a.schmidt@example.de", "j.weiss@example.de"), label=_("e-mail")),
    # Optional, and only written when the file has the column: roles and statuses kept in ISF are not wiped by an
    # ERP export that does not know them.  An empty cell in a present column does clear the role.
    Column("buying_role", False, ("Rolle", "Einkaufsrolle", "Buying-Center-Rolle", "role"), ("Entscheider", "Einkäufer"),
           label=_("buying-center role")),
    Column("status", False, ("Status",), ("aktiv", "scheidet aus"), label=_("status")),
    Column("status_date", False, ("Status seit", "Austrittsdatum", "status_since"), ("", "31.03.2026"),
           label=_("status since"), type="date"),
    Column("phone", False, ("Telefon", "Tel", "Mobil", "Durchwahl"), ("089 1234567-12", "0171 2345678"),
           label=_("phone")),
)


def _accounts(ctx: Context) -> dict:
    if "accounts" not in ctx.cache:
        from isf.customers.models import Account

        ctx.cache["accounts"] = dict(Account.objects.values_list("erp_number", "id"))
    return ctx.cache["accounts"]


def clean_contact(row: dict, ctx: Context) -> dict:
    erp = ctx.text(row, "customer_number", 30, required=True)
    account = _accounts(ctx).get(erp)
    if account is None and erp:
        ctx.fail("customer_number", "unknown customer number", erp)
    email = ctx.text(row, "email", 254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            email = ctx.fail("email", "not a valid e-mail address", email, "")
    v = {
        "external_id": ctx.text(row, "external_id", 50) or None,
        "account_id": account,
        "first_name": ctx.text(row, "first_name", 100),
        "last_name": ctx.text(row, "last_name", 100, required=True),
        "salutation": ctx.text(row, "salutation", 20),
        "function": ctx.text(row, "function", 100),
        "email": email,
    }
    if ctx.cols.get("buying_role"):
        v["buying_role"] = ctx.choice(row, "buying_role", BuyingRole.choices)
    if ctx.cols.get("status"):
        v["status"] = ctx.choice(row, "status", ContactStatus.choices, ContactStatus.ACTIVE)
        v["status_date"] = ctx.date(row, "status_date") if v["status"] != ContactStatus.ACTIVE else None
        if v["status"] != ContactStatus.ACTIVE and v["status_date"] is None and not ctx.raw(row, "status_date"):
            ctx.fail("status_date", "a contact who is leaving or has left needs the date (status_date)", "")
    e164 = _phone(row, ctx)
    if e164 and (account, e164) not in _stored_account_phones(ctx):
        ctx.extra[_contact_key(v)] = e164
    return v


def _stored_account_phones(ctx: Context) -> set:
    if "account_phones" not in ctx.cache:
        from isf.customers.models import PhoneNumber

        ctx.cache["account_phones"] = set(PhoneNumber.objects.values_list("account_id", "e164"))
    return ctx.cache["account_phones"]


def _after_contacts(ctx: Context, written: dict, cleaned: dict, result: ImportResult) -> None:
    """After the contacts are written: their phone numbers; and when the file carries a status, the re-mapping
    tasks for decision makers now leaving or gone - at once, not at the next nightly scan."""
    _write_contact_phones(ctx, written, cleaned, result)
    if ctx.cols.get("status"):
        from isf.campaigns.services.accounts import buying_center_scan

        buying_center_scan()


def _write_contact_phones(ctx: Context, written: dict, cleaned: dict, result: ImportResult) -> None:
    """A contact's number from the file, unless its account has that number already (for the account or another
    contact): calls from it then pop up this contact."""
    from isf.customers.models import Contact

    if not ctx.extra:
        return
    accounts = {cleaned[key]["account_id"] for key in ctx.extra}
    ids = {_stored_contact_key(c): c for c in Contact.objects.filter(account_id__in=accounts)}
    phones_add_bulk([(ids[key].account_id, ids[key].pk, e164) for key, e164 in ctx.extra.items() if key in ids],
                    with_kind=True)


def _contact_key(v) -> str:
    return v["external_id"] or f"{v['account_id']}|{v['first_name']}|{v['last_name']}".casefold()


def _stored_contact_key(c) -> str:
    return c.external_id or f"{c.account_id}|{c.first_name}|{c.last_name}".casefold()


# --- quotes --------------------------------------------------------------------------------------------------

QUOTE_COLUMNS = (
    Column("number", True, ("Angebotsnr", "Angebotsnummer", "quote_number"), ("AN-2025-0001", "AN-2025-0002"),
           label=_("quote number")),
    Column("customer_number", True, ("Kundennr", "Kundennummer", "erp_number"), ("10001", "10002"),
           label=_("customer number")),
    Column("date", True, ("Angebotsdatum", "Datum"), ("10.02.2025", "12.02.2025"), label=_("quote date"),
           type="date"),
    Column("amount", True, ("Betrag", "Angebotswert", "Nettowert"), ("12.500,00", "3.480,50"),
           label=_("amount (EUR)"), type="decimal"),
    Column("valid_until", True, ("Gültig bis", "Bindefrist"), ("10.03.2025", "12.03.2025"), label=_("valid until"),
           type="date"),
    Column("status", False, ("Status",), ("sent", "won"), label=_("status")),
    Column("product_group", False, ("Warengruppe", "Produktgruppe"), ("HEIZ", ""), label=_("product group")),
)


def clean_quote(row: dict, ctx: Context) -> dict:
    erp = ctx.text(row, "customer_number", 30, required=True)
    account = _accounts(ctx).get(erp)
    if account is None and erp:
        ctx.fail("customer_number", "unknown customer number", erp)
    day = ctx.date(row, "date", required=True)
    until = ctx.date(row, "valid_until", required=True)
    if day and until and until < day:
        ctx.fail("valid_until", "valid until is before the quote date", ctx.raw(row, "valid_until"))
    group = None
    code = ctx.raw(row, "product_group")
    if code:
        if "groups" not in ctx.cache:
            from isf.customers.models import ProductGroup

            ctx.cache["groups"] = {c.casefold(): i for c, i in ProductGroup.objects.values_list("code", "id")}
        group = ctx.cache["groups"].get(code.casefold())
        if group is None:
            ctx.fail("product_group", "unknown product group", code)
    return {
        "number": ctx.text(row, "number", 30, required=True),
        "account_id": account,
        "date": day,
        "amount": ctx.decimal(row, "amount", minimum=0),
        "valid_until": until,
        "status": ctx.choice(row, "status", QuoteStatus.choices, QuoteStatus.SENT),
        "product_group_id": group,
    }


def _model(name: str):
    from django.apps import apps

    return apps.get_model("customers", name)


class _LazyModel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, **kw):
        return _model(self.name)(**kw)

    @property
    def objects(self):
        return _model(self.name).objects


MASTER_KINDS = {
    "accounts": Kind("accounts", _LazyModel("Account"), ACCOUNT_COLUMNS, lambda v: v["erp_number"],
                     lambda o: o.erp_number, ACCOUNT_FIELDS, clean_account, _after_accounts, "erp_number",
                     accounts_write_bulk),
    "products": Kind("products", _LazyModel("Product"), PRODUCT_COLUMNS, lambda v: v["sku"], lambda o: o.sku,
                     ("sku", "name", "group_id", "list_price", "unit"), clean_product, None, "sku"),
    "contacts": Kind("contacts", _LazyModel("Contact"), CONTACT_COLUMNS, _contact_key, _stored_contact_key,
                     ("external_id", "account_id", "first_name", "last_name", "salutation", "function", "email",
                      "buying_role", "status", "status_date"),
                     clean_contact, _after_contacts, write=contacts_write_bulk),
    "quotes": Kind("quotes", _LazyModel("Quote"), QUOTE_COLUMNS, lambda v: v["number"], lambda o: o.number,
                   ("number", "account_id", "date", "amount", "valid_until", "status", "product_group_id"),
                   clean_quote, None, "number"),
}

#: the lead import's columns (``isf.campaigns.services.lead_import.HEADERS`` reads these labels in either language);
#: a row with a lead number is that lead (the lead list's export ends with it)
LEAD_COLUMNS = (
    Column("company", True, (), ("Elektro Krause GmbH", "Schreinerei Vogt"), label=_("company")),
    Column("contact_name", False, (), ("Petra Krause", "Tim Vogt"), label=_("contact person")),
    Column("email", False, (), ("p.krause@example.de", ""), label=_("e-mail")),
    Column("phone", False, (), ("0341 556677", "0711 223344"), label=_("phone")),
    Column("street", False, (), ("Hauptstraße 12", ""), label=_("street")),
    Column("postcode", False, (), ("04109", "70173"), label=_("postcode")),
    Column("city", False, (), ("Leipzig", "Stuttgart"), label=_("city")),
    Column("industry", False, (), ("F", "C"), label=_("industry")),
    Column("employee_band", False, (), ("10-49", "1-9"), label=_("employees")),
    Column("potential", False, (), ("25.000,00", ""), label=_("potential (EUR)"), type="decimal"),
    Column("message", False, (), ("Anfrage Messe", ""), label=_("message")),
    Column("number", False, (), ("", ""), label=_("lead number")),
)
#: the figures of an interval report (``isf.capacity.volumefile.HEADERS`` reads these labels in either language)
CALL_VOLUME_COLUMNS = (
    Column("start", True, (), ("03.02.2025 08:00", "03.02.2025 08:15"), label=_("interval start")),
    Column("calls", True, (), ("14", "22"), label=_("offered calls")),
    Column("answered", False, (), ("13", "20"), label=_("answered")),
    Column("abandoned", False, (), ("1", "2"), label=_("abandoned")),
    Column("aht", False, (), ("04:30", "270"), label=_("average handling time (s)")),
)

#: kind -> columns of its template
KINDS: dict[str, tuple[Column, ...]] = {
    "accounts": ACCOUNT_COLUMNS,
    "contacts": CONTACT_COLUMNS,
    "products": PRODUCT_COLUMNS,
    "orders": ORDER_COLUMNS,
    "order-headers": HEADER_COLUMNS,
    "quotes": QUOTE_COLUMNS,
    "leads": LEAD_COLUMNS,
    "call-volumes": CALL_VOLUME_COLUMNS,
}


def run_import(
    kind: str,
    path: str | os.PathLike,
    *,
    mapping: Mapping | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    headers_path: str | os.PathLike | None = None,
    display_name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress = no_progress,
) -> ImportResult:
    """Import one file of a table kind (accounts, contacts, products, quotes, orders); never raises for bad data."""
    mapping = mapping or Mapping()
    display = display_name or Path(path).name
    result = ImportResult(kind=kind, file=display, dry_run=dry_run, skip_invalid=skip_invalid)
    headers = None
    try:
        if kind == "orders" and headers_path:
            from isf.customers.models import Account

            accounts = dict(Account.objects.values_list("erp_number", "id"))
            with open_table(headers_path, max_bytes=max_bytes, **mapping.options) as table:
                headers = read_headers(table, mapping, result, accounts)
            if result.error_count:
                result.fatal = result.fatal or not skip_invalid
                if result.fatal:
                    return result
        total = count_data_lines(path) if str(path).lower().endswith((".csv", ".txt", ".tsv")) else None
        with open_table(path, max_bytes=max_bytes, display_name=display, **mapping.options) as table:
            if kind == "orders":
                res = import_orders(table, mapping=mapping, dry_run=dry_run, skip_invalid=skip_invalid,
                                    headers=headers, progress=progress, total=total)
            elif kind in MASTER_KINDS:
                res = upsert(MASTER_KINDS[kind], table, mapping=mapping, dry_run=dry_run, skip_invalid=skip_invalid,
                             progress=progress, total=total)
            else:
                raise ValueError(f"unknown import kind {kind!r}")
    except FileFormatError as exc:
        problem_from_format_error(result, exc)
        return result
    if result.problems:  # header-file problems come first
        res.problems[:0] = result.problems
        res.error_count += result.error_count
        res.error_rows += result.error_rows
    return res

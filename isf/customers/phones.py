"""Phone numbers: normalise any usual German notation to E.164 (default region DE)."""

import phonenumbers


class PhoneParseError(ValueError):
    pass


def to_e164(raw: str, region: str = "DE") -> str:
    """'089 1234567', '(089) 123 45 67', '0049-89-1234567', '+49 89 1234567' -> '+49891234567'."""
    text = (raw or "").strip()
    if not text:
        raise PhoneParseError("empty phone number")
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise PhoneParseError(f"'{raw}' is not a phone number") from exc
    if not phonenumbers.is_possible_number(number):
        raise PhoneParseError(f"'{raw}' is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_national(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 49:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_kind(e164: str) -> str:
    """"mobile" for a mobile number, else "landline" (isf.customers.choices.PhoneKind)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return "landline"
    return "mobile" if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE else "landline"

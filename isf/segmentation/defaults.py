"""The default segment set (KA, MP, SMB, C, D, PRIV) with its rules, budgets and teams."""

from decimal import Decimal

# code, German name, English name, team code, budget (EUR/account/year), precedence, criteria, particularities,
# rules as (revenue_min, revenue_max, potential_min, potential_max, customer_type)
DEFAULT_SEGMENTS = [
    ("PRIV", "Privatkunden", "Private customers", "CDP", 30, 5,
     "Privatkunden (B2C), unabhängig vom Umsatz.",
     "Kein Außendienst; Kontakt nur mit ausdrücklicher Einwilligung (UWG §7); Betreuung über den "
     "C/D/Privatkunden-Kanal, Bestellungen überwiegend über Webshop und Telefon.",
     [(None, None, None, None, "b2c")]),
    ("KA", "Key Accounts", "Key accounts", "KA", 2500, 10,
     "Geschäftskunden mit mindestens 100.000 € Umsatz in den letzten 12 Monaten oder mindestens 250.000 € "
     "geschätztem Jahrespotenzial.",
     "Buying Center mit mehreren Entscheidern; Rahmenverträge und Ausschreibungen; persönliche Betreuung "
     "durch Außendienst und Key-Account-Team; hohe Erwartungen an Reaktionszeiten.",
     [("100000", None, None, None, "b2b"), (None, None, "250000", None, "b2b")]),
    ("MP", "Mittleres Potenzial", "Mid potential", "MP", 900, 20,
     "Geschäftskunden ab 25.000 € Umsatz in 12 Monaten oder ab 60.000 € Potenzial.",
     "Deckt einen Teil des Bedarfs beim Wettbewerb; Ausbaupotenzial durch Cross-Selling und aktive "
     "Angebotsverfolgung.",
     [("25000", None, None, None, "b2b"), (None, None, "60000", None, "b2b")]),
    ("SMB", "Kleine und mittlere Unternehmen", "Small and midsized business", "SMB", 350, 30,
     "Geschäftskunden ab 5.000 € Umsatz in 12 Monaten oder ab 15.000 € Potenzial.",
     "Viele Kunden mit ähnlichem Bedarf; Betreuung überwiegend telefonisch durch das SMB-Team, "
     "Besuche des Außendienstes nach Potenzial.",
     [("5000", None, None, None, "b2b"), (None, None, "15000", None, "b2b")]),
    ("C", "C-Kunden", "C customers", "CDP", 120, 40,
     "Geschäftskunden ab 1.000 € Umsatz in 12 Monaten.",
     "Gelegenheitskäufer; Betreuung ausschließlich durch den Innendienst, Aktionen per Mailing und Kampagne.",
     [("1000", None, None, None, "b2b")]),
    ("D", "D-Kunden", "D customers", "CDP", 40, 50,
     "Alle übrigen Geschäftskunden (unter 1.000 € Umsatz in 12 Monaten).",
     "Sehr geringer Umsatz; reaktive Betreuung, standardisierte E-Business-Lösungen, Rückgewinnung nur "
     "bei erkennbarem Potenzial.",
     [(None, None, None, None, "b2b")]),
]


def rule_dicts(rules) -> list[dict]:
    def dec(v):
        return None if v is None else Decimal(v)

    return [
        {"revenue_min": dec(a), "revenue_max": dec(b), "potential_min": dec(c), "potential_max": dec(d),
         "customer_type": t}
        for a, b, c, d, t in rules
    ]

"""Default care matrices per segment code. SMB is the seed's matrix; the others are plausible variants.

Phase-specific measures differ by segment: a key-account new customer gets a welcome visit and an
onboarding review, an SMB new customer a welcome call, a private customer a welcome e-mail.
"""

CARE = ["new", "active", "at_risk", "won_back"]
BUYING = ["prospect", "new", "active", "at_risk", "won_back"]


def _a(activity, de, en, side, channel, phases, *, freq=None, visits=None, event="", offset=None):
    return {
        "activity": activity, "title_de": de, "title_en": en, "side": side, "channel": channel,
        "phases": phases, "frequency_per_year": freq, "visits_by_class": visits or {},
        "trigger_event": event, "offset_days": offset,
    }


SMB = {
    "classes": [["A", 40000], ["B", 15000], ["C", 0]],
    "call_counts_as_visit": True,
    "inside_concept": (
        "Aktives Telefonmarketing bei ausgewählten Unternehmen mit großem Potenzial (inkl. Terminvereinbarung "
        "für den Außendienst)\nLeadmanagement\nRegelmäßige Betreuungsanrufe durch das SMB-Team\n"
        "Aktive Steuerung des Folgegeschäfts\nProduktverkauf im Kontakt\nProduktkampagnen\n"
        "Rückgewinnung abgewanderter Kunden"
    ),
    "field_concept": (
        "Information und Beratung durch den regionalen Außendienst\n"
        "Leadmanagement durch den Außendienst mit Unterstützung des Innendienstes\n"
        "Anzahl der Besuche pro Jahr nach Potenzial"
    ),
    "strategy": (
        "Aktive Neukundengewinnung\nErschließung neuer (regionaler) Märkte/Zielgruppen\n"
        "Bestandskunden halten\nCross-/Up-Selling"
    ),
    "other_measures": (
        "Aktives Direktmarketing\nStandard-Ausschreibungsteam\nSchulungs-/Beratungsangebot\n"
        "Standard-E-Business-Lösungen"
    ),
    "activities": [
        _a("care_call", "Regelmäßiger Betreuungsanruf durch das SMB-Team", "regular care call by the SMB team",
           "inside", "phone", CARE, freq=4),
        _a("visit", "Besuch durch den regionalen Außendienst", "visit by the regional field rep",
           "field", "on_site", ["active", "at_risk", "won_back"], visits={"A": 3, "B": 2, "C": 1}),
        _a("welcome_call", "Begrüßungsanruf durch das SMB-Team", "welcome call by the SMB team",
           "inside", "phone", ["new"], event="first_order", offset=14),
        _a("quote_followup", "Angebotsnachfass (Folgegeschäft aktiv steuern)", "quote follow-up (steer follow-up business)",
           "inside", "phone", BUYING, event="quote_sent", offset=7),
        _a("care_call", "Anruf bei Risiko: Bedarf und Zufriedenheit klären", "at-risk call: check needs and satisfaction",
           "inside", "phone", ["at_risk"], event="became_at_risk", offset=3),
        _a("winback_call", "Rückgewinnungsanruf bei abgewandertem Kunden", "win-back call to a churned customer",
           "inside", "phone", ["lost"], event="became_lost", offset=14),
        _a("satisfaction_call", "Zufriedenheitsanruf nach Rückgewinnung", "satisfaction call after win-back",
           "inside", "phone", ["won_back"], event="became_won_back", offset=30),
        _a("campaign_call", "Telefonmarketing bei Interessenten mit großem Potenzial (Terminvereinbarung)",
           "telemarketing to high-potential prospects (appointment setting)", "inside", "phone", ["prospect"], freq=1),
        _a("mailing", "Produktkampagne / aktives Direktmarketing", "product campaign / active direct marketing",
           "marketing", "mail", ["new", "active"], freq=2),
    ],
}

KA = {
    "classes": [["A", 500000], ["B", 250000], ["C", 0]],
    "call_counts_as_visit": False,
    "inside_concept": (
        "Persönliche Betreuung durch das Key-Account-Team (fester Ansprechpartner)\nMonatliche Betreuungsanrufe\n"
        "Buying-Center-Pflege und Pressebeobachtung\nAngebotserstellung und Ausschreibungsvorbereitung\n"
        "Vorbereitung der Jahresgespräche (Cross-Selling-Vorschläge)"
    ),
    "field_concept": (
        "Regelmäßige Besuche durch den Außendienst nach Potenzial\nJahresgespräch mit der Geschäftsleitung\n"
        "Gemeinsame Kundenplanung mit dem Key-Account-Team"
    ),
    "strategy": "Lieferanteil ausbauen\nPartnerschaft und Bindung sichern\nCross-/Up-Selling über alle Produktgruppen",
    "other_measures": "Rahmenverträge\nIndividuelle E-Business-Anbindung\nReferenzkunden-Programm (Fallstudien)",
    "activities": [
        _a("visit", "Besuch durch den Außendienst", "field visit", "field", "on_site", CARE,
           visits={"A": 12, "B": 8, "C": 6}),
        _a("care_call", "Monatlicher Anruf durch das KA-Team", "monthly call by the key-account team",
           "inside", "phone", CARE, freq=12),
        _a("review_meeting", "Buying-Center-Review mit Einkauf und Geschäftsleitung",
           "buying-center review with purchasing and management", "field", "on_site", ["active", "at_risk"], freq=1),
        _a("visit", "Begrüßungsbesuch von Außendienst und KA-Team (Onboarding-Paket)",
           "welcome visit by field rep and KA team (onboarding package)", "field", "on_site", ["new"],
           event="first_order", offset=7),
        _a("welcome_call", "Begrüßungsanruf des persönlichen KA-Betreuers", "welcome call by the personal KA contact",
           "inside", "phone", ["new"], event="first_order", offset=2),
        _a("review_meeting", "Onboarding-Review nach 60 Tagen", "onboarding review after 60 days",
           "field", "video", ["new"], event="became_new", offset=60),
        _a("quote_followup", "Angebotsnachfass durch das KA-Team", "quote follow-up by the KA team",
           "inside", "phone", BUYING, event="quote_sent", offset=3),
        _a("visit", "Besuch bei Risiko durch den Außendienst", "at-risk visit by the field rep",
           "field", "on_site", ["at_risk"], event="became_at_risk", offset=7),
        _a("winback_call", "Rückgewinnung: Anruf der Vertriebsleitung", "win-back call by the sales lead's office",
           "inside", "phone", ["lost"], event="became_lost", offset=7),
    ],
}

MP = {
    "classes": [["A", 150000], ["B", 60000], ["C", 0]],
    "call_counts_as_visit": True,
    "inside_concept": (
        "Betreuungsanrufe durch das MP-Team alle zwei Monate\nTerminvereinbarung für den Außendienst\n"
        "Angebotsnachfass\nProduktkampagnen"
    ),
    "field_concept": "Besuche nach Potenzial durch den regionalen Außendienst\nAusbau des Lieferanteils",
    "strategy": "Potenzial ausschöpfen\nEntwicklung zum Key Account\nCross-/Up-Selling",
    "other_measures": "Schulungsangebote\nE-Business-Lösungen",
    "activities": [
        _a("visit", "Besuch durch den regionalen Außendienst", "visit by the regional field rep", "field", "on_site",
           CARE, visits={"A": 6, "B": 4, "C": 2}),
        _a("care_call", "Betreuungsanruf durch das MP-Team", "care call by the mid-potential team",
           "inside", "phone", CARE, freq=6),
        _a("welcome_call", "Begrüßungsanruf mit Terminangebot für den Außendienst",
           "welcome call offering a field appointment", "inside", "phone", ["new"], event="first_order", offset=7),
        _a("quote_followup", "Angebotsnachfass", "quote follow-up", "inside", "phone", BUYING,
           event="quote_sent", offset=5),
        _a("care_call", "Anruf bei Risiko", "at-risk call", "inside", "phone", ["at_risk"],
           event="became_at_risk", offset=3),
        _a("winback_call", "Rückgewinnungsanruf", "win-back call", "inside", "phone", ["lost"],
           event="became_lost", offset=14),
        _a("mailing", "Produktkampagne", "product campaign", "marketing", "mail", ["new", "active"], freq=3),
    ],
}

C = {
    "inside_concept": "Betreuung ausschließlich durch den Innendienst (C/D/Privat-Kanal)\nHalbjährlicher Betreuungsanruf",
    "field_concept": "Keine Außendienstbesuche",
    "strategy": "Kosteneffiziente Betreuung\nUmsatz über E-Business und Kampagnen",
    "other_measures": "Webshop\nNewsletter",
    "activities": [
        _a("care_call", "Betreuungsanruf durch den C/D-Kanal", "care call by the C/D channel", "inside", "phone",
           CARE, freq=2),
        _a("welcome_call", "Begrüßungsanruf mit Webshop-Zugang", "welcome call with web-shop access",
           "inside", "phone", ["new"], event="first_order", offset=14),
        _a("quote_followup", "Angebotsnachfass", "quote follow-up", "inside", "phone", BUYING,
           event="quote_sent", offset=7),
        _a("winback_call", "Rückgewinnungsanruf", "win-back call", "inside", "phone", ["lost"],
           event="became_lost", offset=30),
        _a("mailing", "Newsletter und Aktionsangebote", "newsletter and offers", "marketing", "email",
           ["new", "active", "at_risk"], freq=4),
    ],
}

D = {
    "inside_concept": "Betreuung ausschließlich durch den Innendienst\nJährlicher Kontakt",
    "field_concept": "Keine Außendienstbesuche",
    "strategy": "Aufwand minimieren\nEntwicklungsfähige Kunden erkennen",
    "other_measures": "Webshop\nNewsletter",
    "activities": [
        _a("care_call", "Jährlicher Kontaktanruf", "annual contact call", "inside", "phone", CARE, freq=1),
        _a("mailing", "Begrüßungs-E-Mail mit Webshop-Zugang", "welcome e-mail with web-shop access",
           "inside", "email", ["new"], event="first_order", offset=3),
        _a("quote_followup", "Angebotsnachfass", "quote follow-up", "inside", "phone", BUYING,
           event="quote_sent", offset=10),
        _a("campaign_call", "Reaktivierungsanruf", "reactivation call", "inside", "phone", ["lost"],
           event="became_lost", offset=60),
        _a("mailing", "Newsletter", "newsletter", "marketing", "email", ["new", "active"], freq=2),
    ],
}

PRIV = {
    "inside_concept": (
        "Betreuung ausschließlich durch den Innendienst\nTelefonische Werbung nur mit ausdrücklicher Einwilligung "
        "(UWG §7)\nAngebotsnachfass"
    ),
    "field_concept": "Keine Außendienstbesuche",
    "strategy": "Weiterempfehlung fördern\nWebshop-Nutzung ausbauen",
    "other_measures": "Newsletter nur mit Einwilligung",
    "activities": [
        _a("mailing", "Begrüßungs-E-Mail", "welcome e-mail", "inside", "email", ["new"],
           event="first_order", offset=3),
        _a("quote_followup", "Angebotsnachfass", "quote follow-up", "inside", "phone", BUYING,
           event="quote_sent", offset=5),
        _a("mailing", "Rückgewinnungs-E-Mail mit Gutschein", "win-back e-mail with voucher", "inside", "email",
           ["lost"], event="became_lost", offset=30),
        _a("mailing", "Newsletter", "newsletter", "marketing", "email", ["new", "active"], freq=4),
    ],
}

DEFAULTS = {"SMB": SMB, "KA": KA, "MP": MP, "C": C, "D": D, "PRIV": PRIV}

# Referrals are asked for, not just recorded (issue 20): after a positive event the customer is asked whom else he
# would recommend us to - inside sales calls, the outcome (given, lead created, declined) is counted per agent.
REFERRAL_PHASES = ["new", "active", "won_back"]
REFERRAL = [
    _a("referral_ask", "Nach Empfehlung fragen", "ask for a referral", "inside", "phone", REFERRAL_PHASES,
       event=event, offset=offset)
    for event, offset in (("top_rating", 2), ("quote_won", 7), ("complaint_solved", 14))
]
for _code in ("KA", "MP", "SMB"):
    DEFAULTS[_code]["activities"] = [*DEFAULTS[_code]["activities"], *REFERRAL]

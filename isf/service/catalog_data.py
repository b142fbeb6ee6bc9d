"""The default service catalog (the services of the seed article), loaded by a data migration and the demo.

code, German/English name and description, service level (value, unit), standard effort (minutes),
segments offered to (empty = all), default team code, inputs (name, German label, English label, type,
required) and the process steps (German, English).
"""


def _i(name, de, en, type_="text", required=False):
    return {"name": name, "label_de": de, "label_en": en, "type": type_, "required": required}


def _s(*pairs):
    return [{"de": de, "en": en} for de, en in pairs]


CONTACT_NOTE = _i("details", "Was ist zu tun?", "What needs doing?", "textarea")

SERVICES = [
    {
        "code": "order_intake", "name_de": "Auftragsannahme", "name_en": "Order intake",
        "description_de": "Kundenauftrag erfassen, prüfen und bestätigen.",
        "description_en": "Enter, check and confirm a customer order.",
        "target": (4, "hours"), "effort": 15, "segments": [], "team": None,
        "inputs": [_i("order_text", "Positionen / Mengen", "Items / quantities", "textarea", True),
                   _i("delivery_date", "Wunschliefertermin", "Requested delivery date", "date")],
        "steps": _s(("Positionen und Preise prüfen", "Check items and prices"),
                    ("Auftrag im ERP erfassen", "Enter the order in the ERP"),
                    ("Auftragsbestätigung versenden", "Send the order confirmation")),
    },
    {
        "code": "quote_prep", "name_de": "Angebotserstellung", "name_en": "Quote preparation",
        "description_de": "Angebot nach Vorgabe des Außendienstes kalkulieren und versenden.",
        "description_en": "Calculate and send a quote as specified by the field rep.",
        "target": (8, "hours"), "effort": 45, "segments": [], "team": None,
        "inputs": [_i("products", "Produkte / Mengen", "Products / quantities", "textarea", True),
                   _i("discount_percent", "Rabatt (%)", "Discount (%)", "number"),
                   _i("deadline", "Angebot benötigt bis", "Quote needed by", "date")],
        "steps": _s(("Bedarf und Mengen prüfen", "Check requirement and quantities"),
                    ("Preise und Konditionen kalkulieren", "Calculate prices and terms"),
                    ("Angebot im ERP anlegen", "Create the quote in the ERP"),
                    ("Angebot an Ansprechpartner senden", "Send the quote to the contact")),
    },
    {
        "code": "quote_followup", "name_de": "Angebotsnachverfolgung", "name_en": "Quote follow-up",
        "description_de": "Offenes Angebot telefonisch nachfassen und Ergebnis dokumentieren.",
        "description_en": "Follow up an open quote by phone and record the outcome.",
        "target": (2, "days"), "effort": 15, "segments": [], "team": None,
        "inputs": [_i("quote_number", "Angebotsnummer", "Quote number", "text", True)],
        "steps": _s(("Angebot und Historie lesen", "Read the quote and history"),
                    ("Kunden anrufen", "Call the customer"), ("Ergebnis dokumentieren", "Record the outcome")),
    },
    {
        "code": "presentation", "name_de": "Präsentationserstellung", "name_en": "Presentation preparation",
        "description_de": "Kundenpräsentation aus Vorlagen, Zahlen und Referenzen erstellen.",
        "description_en": "Build a customer presentation from templates, figures and references.",
        "target": (3, "days"), "effort": 180, "segments": ["KA", "MP"], "team": None,
        "inputs": [_i("topic", "Thema / Anlass", "Topic / occasion", "text", True),
                   _i("meeting_date", "Termin", "Meeting date", "date", True)],
        "steps": _s(("Ziel und Zielgruppe klären", "Clarify goal and audience"),
                    ("Zahlen und Referenzen zusammenstellen", "Collect figures and references"),
                    ("Präsentation erstellen", "Build the presentation"),
                    ("Abstimmung mit dem Außendienst", "Review with the field rep")),
    },
    {
        "code": "tender", "name_de": "Ausschreibungsvorbereitung", "name_en": "Tender preparation",
        "description_de": "Ausschreibungsunterlagen prüfen und Angebot durch das Standardausschreibungsteam "
                          "vorbereiten.",
        "description_en": "Check tender documents and prepare the bid (standard tender team).",
        "target": (5, "days"), "effort": 480, "segments": [], "team": "MP",
        "inputs": [_i("tender_ref", "Ausschreibung (Nummer/Portal)", "Tender (number/portal)", "text", True),
                   _i("submission_date", "Abgabefrist", "Submission deadline", "date", True)],
        "steps": _s(("Unterlagen und Fristen prüfen", "Check documents and deadlines"),
                    ("Leistungsverzeichnis bepreisen", "Price the bill of quantities"),
                    ("Nachweise zusammenstellen", "Assemble certificates"),
                    ("Freigabe durch Außendienst", "Sign-off by the field rep"),
                    ("Angebot fristgerecht abgeben", "Submit the bid on time")),
    },
    {
        "code": "travel_planning", "name_de": "Reiseplanung", "name_en": "Travel planning",
        "description_de": "Besuchstour planen, Termine bündeln, Hotel und Bahn buchen.",
        "description_en": "Plan a visit tour, bundle appointments, book hotel and train.",
        "target": (2, "days"), "effort": 60, "segments": [], "team": None,
        "inputs": [_i("travel_from", "Reise ab", "Travel from", "date", True),
                   _i("travel_to", "Reise bis", "Travel until", "date", True), CONTACT_NOTE],
        "steps": _s(("Termine bündeln", "Bundle appointments"), ("Hotel und Bahn buchen", "Book hotel and train"),
                    ("Reiseplan senden", "Send the itinerary")),
    },
    {
        "code": "sample_dispatch", "name_de": "Musterversand", "name_en": "Sample dispatch",
        "description_de": "Produktmuster zusammenstellen und an den Kunden versenden.",
        "description_en": "Assemble product samples and ship them to the customer.",
        "target": (1, "days"), "effort": 20, "segments": [], "team": None,
        "inputs": [_i("samples", "Muster / Artikel", "Samples / items", "textarea", True)],
        "steps": _s(("Muster kommissionieren", "Pick the samples"), ("Versand beauftragen", "Ship"),
                    ("Kunden informieren", "Inform the customer")),
    },
    {
        "code": "welcome_call", "name_de": "Welcome-Anruf", "name_en": "Welcome call",
        "description_de": "Neukunden begrüßen, Ansprechpartner und Bedarf aufnehmen.",
        "description_en": "Welcome a new customer, record contacts and needs.",
        "target": (3, "days"), "effort": 20, "segments": [], "team": None,
        "inputs": [CONTACT_NOTE],
        "steps": _s(("Kunden anrufen und begrüßen", "Call and welcome the customer"),
                    ("Ansprechpartner und Bedarf erfassen", "Record contacts and needs"),
                    ("Begrüßungsunterlagen senden", "Send the welcome pack")),
    },
    {
        "code": "cross_sell_review", "name_de": "Cross-Selling-Vorschlag für Kunden-Review",
        "name_en": "Cross-sell proposal for a customer review",
        "description_de": "Zusatzverkaufs-Vorschläge aus Kaufhistorie und Potenzial für das Review-Meeting "
                          "erarbeiten.",
        "description_en": "Work out cross-sell proposals from purchase history and potential for the review "
                          "meeting.",
        "target": (3, "days"), "effort": 90, "segments": ["KA", "MP"], "team": None,
        "inputs": [_i("meeting_date", "Review-Termin", "Review date", "date", True), CONTACT_NOTE],
        "steps": _s(("Kaufhistorie analysieren", "Analyse purchase history"),
                    ("Lücken im Sortiment finden", "Find gaps in the range"),
                    ("Vorschläge aufbereiten", "Prepare proposals")),
    },
    {
        "code": "buying_center", "name_de": "Buying-Center-Betreuung", "name_en": "Buying-center care",
        "description_de": "Mitglieder des Buying Centers bei Key Accounts kontaktieren und pflegen.",
        "description_en": "Contact and care for members of a key account's buying center.",
        "target": (5, "days"), "effort": 60, "segments": ["KA"], "team": "KA",
        "inputs": [_i("members", "Personen / Rollen", "People / roles", "textarea", True)],
        "steps": _s(("Buying Center prüfen", "Review the buying center"),
                    ("Kontakte anrufen", "Call the contacts"), ("Rollen aktualisieren", "Update roles")),
    },
    {
        "code": "press_monitoring", "name_de": "Presseauswertung", "name_en": "Press monitoring report",
        "description_de": "Presse- und Webauswertung über einen Kunden erstellen.",
        "description_en": "Compile a press and web monitoring report on a customer.",
        "target": (5, "days"), "effort": 120, "segments": ["KA", "MP"], "team": None,
        "inputs": [_i("focus", "Schwerpunkt", "Focus", "text")],
        "steps": _s(("Quellen durchsuchen", "Search sources"), ("Meldungen bewerten", "Assess news"),
                    ("Bericht schreiben", "Write the report")),
    },
    {
        "code": "case_study", "name_de": "Fallstudie für Referenzen", "name_en": "Case study for references",
        "description_de": "Referenzfall mit dem Kunden abstimmen und als Fallstudie aufbereiten.",
        "description_en": "Agree a reference case with the customer and write it up as a case study.",
        "target": (10, "days"), "effort": 360, "segments": ["KA", "MP"], "team": None,
        "inputs": [_i("project", "Projekt / Anwendung", "Project / application", "textarea", True)],
        "steps": _s(("Freigabe des Kunden einholen", "Get the customer's consent"),
                    ("Interview führen", "Interview"), ("Fallstudie schreiben", "Write the case study"),
                    ("Kunde gibt Text frei", "Customer approves the text")),
    },
    {
        "code": "appointment", "name_de": "Terminvereinbarung", "name_en": "Appointment setting",
        "description_de": "Besuchstermin für den Außendienst beim Kunden vereinbaren.",
        "description_en": "Set a visit appointment with the customer for the field rep.",
        "target": (2, "days"), "effort": 20, "segments": [], "team": None,
        "inputs": [_i("period", "Zeitraum", "Period", "text", True), CONTACT_NOTE],
        "steps": _s(("Kunden anrufen", "Call the customer"), ("Termin eintragen", "Enter the appointment"),
                    ("Bestätigung senden", "Send the confirmation")),
    },
    {
        "code": "complaint", "name_de": "Reklamationsbearbeitung", "name_en": "Complaint handling",
        "description_de": "Reklamation vertriebsaktiv bearbeiten: Ursache, Lösung, Kulanz im Rahmen der "
                          "Entscheidungskompetenzen.",
        "description_en": "Handle a complaint sales-actively: cause, solution, goodwill within the decision "
                          "rights.",
        "target": (8, "hours"), "effort": 40, "segments": [], "team": None,
        "inputs": [_i("problem", "Problem", "Problem", "textarea", True),
                   _i("order_number", "Auftragsnummer", "Order number", "text"),
                   _i("goodwill_eur", "Gewünschte Kulanz (EUR)", "Requested goodwill (EUR)", "number")],
        "steps": _s(("Sachverhalt aufnehmen", "Record the facts"), ("Ursache klären", "Clarify the cause"),
                    ("Lösung und Kulanz entscheiden", "Decide solution and goodwill"),
                    ("Kunden informieren und Zusatzbedarf ansprechen", "Inform the customer and ask for further needs")),
    },
    {
        "code": "training_offer", "name_de": "Schulungs-/Beratungsangebot", "name_en": "Training/consulting offer",
        "description_de": "Schulungs- oder Beratungsangebot für den Kunden zusammenstellen.",
        "description_en": "Put together a training or consulting offer for the customer.",
        "target": (3, "days"), "effort": 60, "segments": [], "team": None,
        "inputs": [_i("topic", "Thema", "Topic", "text", True), _i("participants", "Teilnehmer", "Participants",
                                                                   "number")],
        "steps": _s(("Bedarf klären", "Clarify needs"), ("Angebot erstellen", "Prepare the offer"),
                    ("Angebot senden", "Send the offer")),
    },
]


def catalog_defaults(item: dict, index: int) -> dict:
    return {
        "name_de": item["name_de"], "name_en": item["name_en"], "description_de": item["description_de"],
        "description_en": item["description_en"], "target_value": item["target"][0], "target_unit": item["target"][1],
        "effort_minutes": item["effort"], "inputs": item["inputs"], "process_steps": item["steps"],
        "sort_order": (index + 1) * 10,
    }

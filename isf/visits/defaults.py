"""The default visit types (templates): which sections each one shows."""

DEFAULT_TYPES = [
    # code, de, en, sections, position, default
    ("standard", "Regelbesuch", "Regular visit",
     ["needs", "competitors", "agreements", "next_steps", "follow_up"], 10, True),
    ("annual", "Jahresgespräch", "Annual review",
     ["needs", "competitors", "company", "contacts", "agreements", "next_steps", "follow_up"], 20, False),
    ("new_customer", "Neukundenbesuch", "New-customer visit",
     ["needs", "competitors", "contacts", "agreements", "next_steps", "follow_up"], 30, False),
    ("problem", "Problemlösung / Reklamation", "Problem solving / complaint",
     ["agreements", "next_steps", "follow_up"], 40, False),
    ("acquisition", "Akquisebesuch", "Acquisition visit",
     ["needs", "competitors", "company", "next_steps", "follow_up"], 50, False),
]

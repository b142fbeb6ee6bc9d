"""Static German content for the demo company: a technical wholesaler in Nuremberg.

Brandl Technik-Großhandel GmbH sells fasteners, tools, safety gear, building-services and
operating supplies to trades, industry and a few private customers across eight regions.
"""

COMPANY = "Brandl Technik-Großhandel GmbH"
HQ_STATE = "BY"

# region code, name, state, postcode prefixes, cities (name, postcode, area code)
REGIONS = [
    ("MUC", "Oberbayern", "BY", "80,81,82,83,84,85", [
        ("München", "80331", "89"), ("Rosenheim", "83022", "8031"), ("Ingolstadt", "85049", "841"),
        ("Freising", "85354", "8161"), ("Landshut", "84028", "871"), ("Dachau", "85221", "8131")]),
    ("NUE", "Franken", "BY", "90,91,95,96,97", [
        ("Nürnberg", "90402", "911"), ("Fürth", "90762", "911"), ("Erlangen", "91052", "9131"),
        ("Würzburg", "97070", "931"), ("Bamberg", "96047", "951"), ("Bayreuth", "95444", "921")]),
    ("STR", "Württemberg", "BW", "70,71,72,73,74,89", [
        ("Stuttgart", "70173", "711"), ("Heilbronn", "74072", "7131"), ("Ulm", "89073", "731"),
        ("Reutlingen", "72764", "7121"), ("Esslingen am Neckar", "73728", "711"), ("Ludwigsburg", "71638", "7141")]),
    ("FRA", "Rhein-Main", "HE", "60,61,63,64,65,35", [
        ("Frankfurt am Main", "60311", "69"), ("Offenbach am Main", "63065", "69"), ("Darmstadt", "64283", "6151"),
        ("Wiesbaden", "65183", "611"), ("Hanau", "63450", "6181"), ("Gießen", "35390", "641")]),
    ("RHR", "Rheinland", "NW", "40,41,42,45,50,51,52,53", [
        ("Köln", "50667", "221"), ("Düsseldorf", "40213", "211"), ("Essen", "45127", "201"),
        ("Wuppertal", "42103", "202"), ("Bonn", "53111", "228"), ("Aachen", "52062", "241")]),
    ("HAM", "Nord", "HH", "20,21,22,23,24,25", [
        ("Hamburg", "20095", "40"), ("Lübeck", "23552", "451"), ("Kiel", "24103", "431"),
        ("Norderstedt", "22846", "40"), ("Lüneburg", "21335", "4131"), ("Neumünster", "24534", "4321")]),
    ("SAX", "Sachsen", "SN", "01,02,04,08,09", [
        ("Leipzig", "04109", "341"), ("Dresden", "01067", "351"), ("Chemnitz", "09111", "371"),
        ("Zwickau", "08056", "375"), ("Görlitz", "02826", "3581"), ("Meißen", "01662", "3521")]),
    ("BER", "Berlin-Brandenburg", "BE", "10,12,13,14,15,16", [
        ("Berlin", "10115", "30"), ("Potsdam", "14467", "331"), ("Cottbus", "03046", "355"),
        ("Frankfurt (Oder)", "15230", "335"), ("Oranienburg", "16515", "3301"), ("Brandenburg an der Havel", "14770", "3381")]),
]
# states of cities that are not in the region's main state
CITY_STATE = {"Lübeck": "SH", "Kiel": "SH", "Norderstedt": "SH", "Neumünster": "SH", "Lüneburg": "NI",
              "Potsdam": "BB", "Cottbus": "BB", "Frankfurt (Oder)": "BB", "Oranienburg": "BB",
              "Brandenburg an der Havel": "BB"}

FIELD_REPS = [
    ("Thomas", "Huber"), ("Stefan", "Weber"), ("Andreas", "Schmid"), ("Michael", "Becker"),
    ("Sabine", "Krüger"), ("Jan", "Petersen"), ("Katrin", "Lehmann"), ("Markus", "Neumann"),
]
AGENTS = [
    ("Julia", "Hofmann"), ("Anna", "Schäfer"), ("Lukas", "Koch"), ("Laura", "Richter"), ("Tobias", "Klein"),
    ("Lena", "Wolf"), ("Daniel", "Schröder"), ("Sarah", "Zimmermann"), ("Felix", "Braun"), ("Nina", "Hartmann"),
]
# team code, German name, English name, agents (indices into AGENTS)
TEAMS = [
    ("KA", "Key-Account-Team", "Key account team", [0, 1]),
    ("MP", "Team Mittleres Potenzial", "Mid-potential team", [2, 3, 4]),
    ("SMB", "SMB-Team", "SMB team", [5, 6, 7]),
    ("CDP", "C/D/Privatkunden-Kanal", "C/D/private channel", [8, 9]),
]

#: the number customers dial per team (the phone system's "to"); the SMB team also takes calls to other numbers
TEAM_LINES = {"KA": "+49 911 4711-100", "MP": "+49 911 4711-200", "SMB": "+49 911 4711-300", "CDP": "+49 911 4711-400"}
DEFAULT_INBOUND_TEAM = "SMB"

# product group code, German name, English name, margin rate, price level (EUR per unit), cluster
PRODUCT_GROUPS = [
    ("BEF", "Befestigungstechnik", "Fasteners", 0.38, 8, "montage"),
    ("DUE", "Dübel und Anker", "Anchors and plugs", 0.36, 12, "montage"),
    ("KLB", "Klebstoffe", "Adhesives", 0.34, 14, "montage"),
    ("DCH", "Dichtstoffe", "Sealants", 0.33, 9, "montage"),
    ("BOH", "Bohrer und Meißel", "Drills and chisels", 0.35, 18, "montage"),
    ("HWZ", "Handwerkzeuge", "Hand tools", 0.31, 25, "werkzeug"),
    ("EWZ", "Elektrowerkzeuge", "Power tools", 0.22, 180, "werkzeug"),
    ("AKU", "Akkusysteme", "Battery systems", 0.21, 120, "werkzeug"),
    ("MES", "Messwerkzeuge", "Measuring tools", 0.29, 60, "werkzeug"),
    ("SAE", "Sägeblätter", "Saw blades", 0.33, 22, "werkzeug"),
    ("SLM", "Schleifmittel", "Abrasives", 0.37, 6, "metall"),
    ("TRS", "Trennscheiben", "Cutting discs", 0.36, 4, "metall"),
    ("SWT", "Schweißtechnik", "Welding", 0.24, 95, "metall"),
    ("DRL", "Drucklufttechnik", "Compressed air", 0.26, 70, "metall"),
    ("KSS", "Kühlschmierstoffe", "Coolants", 0.30, 45, "metall"),
    ("ASH", "Arbeitsschutzhandschuhe", "Safety gloves", 0.40, 3, "schutz"),
    ("ASB", "Schutzbrillen und Gehörschutz", "Eye and ear protection", 0.39, 9, "schutz"),
    ("ASK", "Arbeitskleidung", "Workwear", 0.35, 35, "schutz"),
    ("ASS", "Sicherheitsschuhe", "Safety shoes", 0.30, 75, "schutz"),
    ("EHI", "Erste Hilfe", "First aid", 0.42, 20, "schutz"),
    ("ELI", "Elektroinstallation", "Electrical installation", 0.27, 15, "haustechnik"),
    ("KAB", "Kabel und Leitungen", "Cables", 0.20, 40, "haustechnik"),
    ("LED", "Beleuchtung", "Lighting", 0.28, 30, "haustechnik"),
    ("SAN", "Sanitärtechnik", "Plumbing", 0.26, 28, "haustechnik"),
    ("HEI", "Heizungstechnik", "Heating", 0.23, 85, "haustechnik"),
    ("LUE", "Lüftungstechnik", "Ventilation", 0.25, 55, "haustechnik"),
    ("ISO", "Dämmung und Isolierung", "Insulation", 0.24, 18, "bau"),
    ("BCH", "Bauchemie", "Construction chemicals", 0.31, 16, "bau"),
    ("LEI", "Leitern und Gerüste", "Ladders and scaffolding", 0.25, 140, "bau"),
    ("ABS", "Absperr- und Verkehrstechnik", "Barriers and traffic", 0.29, 35, "bau"),
    ("BES", "Beschläge", "Fittings", 0.34, 11, "bau"),
    ("SLO", "Schlösser und Sicherheitstechnik", "Locks and security", 0.30, 40, "bau"),
    ("BEE", "Betriebseinrichtung", "Workshop equipment", 0.23, 320, "betrieb"),
    ("LAG", "Lager- und Regaltechnik", "Storage and shelving", 0.22, 210, "betrieb"),
    ("TRA", "Transportgeräte", "Handling equipment", 0.24, 160, "betrieb"),
    ("REI", "Reinigung und Hygiene", "Cleaning and hygiene", 0.36, 12, "betrieb"),
    ("VPK", "Verpackung", "Packaging", 0.28, 7, "betrieb"),
    ("KEN", "Kennzeichnung", "Marking and labelling", 0.37, 10, "betrieb"),
    ("ANT", "Antriebstechnik", "Drive technology", 0.26, 65, "industrie"),
    ("HYD", "Hydraulik und Pneumatik", "Hydraulics and pneumatics", 0.25, 90, "industrie"),
]
# industry (WZ section) -> preferred clusters
INDUSTRY_CLUSTERS = {
    "C": ["metall", "industrie", "schutz", "werkzeug"],
    "F": ["bau", "montage", "werkzeug", "schutz"],
    "G": ["montage", "werkzeug", "betrieb"],
    "H": ["betrieb", "schutz"],
    "M": ["werkzeug", "haustechnik"],
    "N": ["betrieb", "schutz", "montage"],
    "Q": ["betrieb", "schutz"],
    "O": ["betrieb", "bau"],
    "D": ["haustechnik", "industrie", "schutz"],
    "E": ["schutz", "betrieb", "industrie"],
    "T": ["werkzeug", "montage", "haustechnik"],
}
INDUSTRY_WEIGHTS = [("C", 0.26), ("F", 0.30), ("G", 0.10), ("H", 0.06), ("M", 0.07), ("N", 0.07),
                    ("Q", 0.04), ("O", 0.03), ("D", 0.04), ("E", 0.03)]
BRANCH_WORDS = {
    "C": ["Metallbau", "Maschinenbau", "Präzisionstechnik", "Anlagenbau", "Stahlbau", "Feinmechanik", "Werkzeugbau"],
    "F": ["Bau", "Hochbau", "Haustechnik", "Elektrotechnik", "Dachdeckerei", "Zimmerei", "Sanitär und Heizung",
          "Trockenbau", "Tiefbau", "Fassadenbau"],
    "G": ["Handel", "Baustoffhandel", "Kfz-Service", "Landtechnik"],
    "H": ["Logistik", "Spedition", "Transporte"],
    "M": ["Ingenieurbüro", "Planungsbüro", "Labortechnik"],
    "N": ["Gebäudeservice", "Facility Management", "Industrieservice"],
    "Q": ["Klinikum", "Pflegezentrum", "Praxisgemeinschaft"],
    "O": ["Stadtwerke", "Bauhof", "Zweckverband"],
    "D": ["Energietechnik", "Solartechnik", "Netzservice"],
    "E": ["Entsorgung", "Recycling", "Wassertechnik"],
}
LEGAL_FORMS = ["GmbH", "GmbH", "GmbH", "GmbH & Co. KG", "KG", "e.K.", "AG", "OHG", "GmbH"]
SURNAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
    "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
    "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel",
    "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann",
    "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher",
    "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt", "Haas",
    "Schreiber", "Graf", "Schulte", "Dietrich", "Ziegler", "Kuhn", "Kühn", "Pohl", "Engel", "Horn", "Busch",
    "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer", "Brunner", "Gruber", "Wimmer",
]
FIRST_NAMES = [
    "Peter", "Klaus", "Wolfgang", "Jürgen", "Michael", "Thomas", "Andreas", "Stefan", "Frank", "Markus",
    "Christian", "Martin", "Alexander", "Tobias", "Sebastian", "Florian", "Matthias", "Ralf", "Uwe", "Bernd",
    "Sabine", "Petra", "Claudia", "Andrea", "Susanne", "Nicole", "Stefanie", "Katrin", "Julia", "Anna",
    "Monika", "Birgit", "Karin", "Heike", "Sandra", "Melanie", "Christina", "Laura", "Lisa", "Sophie",
]
STREETS = [
    "Industriestraße", "Gewerbestraße", "Hauptstraße", "Bahnhofstraße", "Am Gewerbepark", "Siemensstraße",
    "Robert-Bosch-Straße", "Carl-Benz-Straße", "Werkstraße", "Daimlerstraße", "Gutenbergstraße", "Lindenstraße",
    "Mühlenweg", "Raiffeisenstraße", "Im Gewerbegebiet", "Max-Planck-Straße", "Dieselstraße", "Schillerstraße",
]
FUNCTIONS = {
    "decision_maker": ["Geschäftsführer", "Geschäftsführerin", "Inhaber", "Technischer Leiter", "Werksleiter"],
    "buyer": ["Einkäufer", "Einkaufsleiterin", "Leiter Einkauf", "Disponentin"],
    "influencer": ["Meister", "Bauleiter", "Projektleiterin", "Fertigungsleiter"],
    "user": ["Monteur", "Lagerist", "Werkstattleiter", "Servicetechniker"],
    "gatekeeper": ["Assistenz der Geschäftsführung", "Sekretariat", "Empfang"],
}
COMPETITORS = ["Würth", "Berner", "Hahn+Kolb", "Hoffmann Group", "Reca", "Lokaler Fachhandel", "Online-Marktplatz"]

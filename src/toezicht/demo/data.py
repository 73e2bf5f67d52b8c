"""The demo dataset: supervision areas, organisations, chains and governance of the Dutch justice and
security field, after public facts, written for this project. Counts are rounded where the field changes.

Organisations are tuples (code, name, type code, parent code or "", area codes, municipality).
"""

from __future__ import annotations

from typing import Any

AREAS = [
    ("politie", "Politie", "Nationale Politie, politieonderwijs en bewaken en beveiligen."),
    ("migratie", "Migratie", "Asiel, opvang, terugkeer en grensbewaking."),
    ("jeugd", "Jeugd", "Jeugdbescherming en jeugdstrafrecht."),
    (
        "sanctietoepassing",
        "Sanctietoepassing",
        "Gevangeniswezen, vreemdelingenbewaring, forensische zorg en reclassering.",
    ),
    (
        "crisisbeheersing",
        "Crisisbeheersing en brandweer",
        "De 25 veiligheidsregio's en de crisisorganisatie.",
    ),
    (
        "nationale-veiligheid",
        "Nationale veiligheid en cybersecurity",
        "Terrorismebestrijding, bewaken en beveiligen, digitale weerbaarheid.",
    ),
    (
        "justitiele-ketens",
        "Justitiële ketens en slachtofferzorg",
        "Inning, Halt, slachtofferhulp en screening.",
    ),
]

ORGANISATION_TYPES = [
    ("ministerie", "Ministerieonderdeel", True),
    ("politie", "Politieorganisatie", False),
    ("politie-eenheid", "Politie-eenheid", False),
    ("politieonderwijs", "Politieonderwijs", False),
    ("veiligheidsregio", "Veiligheidsregio", False),
    ("agentschap", "Agentschap of uitvoeringsorganisatie", False),
    ("pi", "Penitentiaire inrichting", False),
    ("detentiecentrum", "Detentiecentrum", False),
    ("jji", "Justitiële jeugdinrichting", False),
    ("fpc", "Forensisch psychiatrisch centrum", False),
    ("gi", "Gecertificeerde instelling", False),
    ("rvdk", "Raad voor de Kinderbescherming", False),
    ("rvdk-regio", "Regio Raad voor de Kinderbescherming", False),
    ("reclassering", "Reclasseringsorganisatie", False),
    ("coa-locatie", "Opvanglocatie COA", False),
    ("ketenpartner", "Ketenpartner", False),
]

MINISTRY = [
    ("jenv", "Ministerie van Justitie en Veiligheid", "ministerie", "", [], "Den Haag"),
    ("sg-jenv", "Secretaris-generaal JenV", "ministerie", "jenv", [], "Den Haag"),
    ("dgsenb", "Directoraat-generaal Straffen en Beschermen", "ministerie", "jenv", [], "Den Haag"),
    ("dgm", "Directoraat-generaal Migratie", "ministerie", "jenv", [], "Den Haag"),
    ("dgpenv", "Directoraat-generaal Politie en Veiligheidsregio's", "ministerie", "jenv", [], "Den Haag"),
    ("dgrr", "Directoraat-generaal Rechtspleging en Rechtshandhaving", "ministerie", "jenv", [], "Den Haag"),
    (
        "nctv",
        "Nationaal Coördinator Terrorismebestrijding en Veiligheid",
        "ministerie",
        "jenv",
        ["nationale-veiligheid", "crisisbeheersing"],
        "Den Haag",
    ),
]

POLICE_UNITS = [
    ("noord-nederland", "Noord-Nederland", "Groningen"),
    ("oost-nederland", "Oost-Nederland", "Apeldoorn"),
    ("midden-nederland", "Midden-Nederland", "Utrecht"),
    ("noord-holland", "Noord-Holland", "Haarlem"),
    ("amsterdam", "Amsterdam", "Amsterdam"),
    ("den-haag", "Den Haag", "Den Haag"),
    ("rotterdam", "Rotterdam", "Rotterdam"),
    ("zeeland-west-brabant", "Zeeland-West-Brabant", "Breda"),
    ("oost-brabant", "Oost-Brabant", "Eindhoven"),
    ("limburg", "Limburg", "Maastricht"),
]

SAFETY_REGIONS = [
    ("groningen", "Groningen", "Groningen"),
    ("fryslan", "Fryslân", "Leeuwarden"),
    ("drenthe", "Drenthe", "Assen"),
    ("ijsselland", "IJsselland", "Zwolle"),
    ("twente", "Twente", "Enschede"),
    ("noord-en-oost-gelderland", "Noord- en Oost-Gelderland", "Apeldoorn"),
    ("gelderland-midden", "Gelderland-Midden", "Arnhem"),
    ("gelderland-zuid", "Gelderland-Zuid", "Nijmegen"),
    ("utrecht", "Utrecht", "Utrecht"),
    ("noord-holland-noord", "Noord-Holland-Noord", "Alkmaar"),
    ("zaanstreek-waterland", "Zaanstreek-Waterland", "Zaandam"),
    ("kennemerland", "Kennemerland", "Haarlem"),
    ("amsterdam-amstelland", "Amsterdam-Amstelland", "Amsterdam"),
    ("gooi-en-vechtstreek", "Gooi en Vechtstreek", "Hilversum"),
    ("haaglanden", "Haaglanden", "Den Haag"),
    ("hollands-midden", "Hollands Midden", "Leiden"),
    ("rotterdam-rijnmond", "Rotterdam-Rijnmond", "Rotterdam"),
    ("zuid-holland-zuid", "Zuid-Holland-Zuid", "Dordrecht"),
    ("zeeland", "Zeeland", "Middelburg"),
    ("midden-en-west-brabant", "Midden- en West-Brabant", "Tilburg"),
    ("brabant-noord", "Brabant-Noord", "'s-Hertogenbosch"),
    ("brabant-zuidoost", "Brabant-Zuidoost", "Eindhoven"),
    ("limburg-noord", "Limburg-Noord", "Venlo"),
    ("zuid-limburg", "Zuid-Limburg", "Maastricht"),
    ("flevoland", "Flevoland", "Lelystad"),
]

PENITENTIARY_INSTITUTIONS = [
    ("almelo", "PI Almelo", "Almelo"),
    ("alphen-aan-den-rijn", "PI Alphen aan den Rijn", "Alphen aan den Rijn"),
    ("arnhem", "PI Arnhem", "Arnhem"),
    ("achterhoek", "PI Achterhoek", "Zutphen"),
    ("dordrecht", "PI Dordrecht", "Dordrecht"),
    ("haaglanden", "PI Haaglanden", "Den Haag"),
    ("heerhugowaard", "PI Heerhugowaard", "Heerhugowaard"),
    ("krimpen-aan-den-ijssel", "PI Krimpen aan den IJssel", "Krimpen aan den IJssel"),
    ("leeuwarden", "PI Leeuwarden", "Leeuwarden"),
    ("lelystad", "PI Lelystad", "Lelystad"),
    ("middelburg", "PI Middelburg", "Middelburg"),
    ("nieuwegein", "PI Nieuwegein", "Nieuwegein"),
    ("nijmegen", "PI Nijmegen", "Nijmegen"),
    ("rotterdam", "PI Rotterdam", "Rotterdam"),
    ("roermond", "PI Roermond", "Roermond"),
    ("sittard", "PI Sittard", "Sittard-Geleen"),
    ("ter-apel", "PI Ter Apel", "Vlagtwedde"),
    ("vught", "PI Vught", "Vught"),
    ("veenhuizen", "PI Veenhuizen", "Noordenveld"),
    ("zaanstad", "PI Zaanstad", "Zaanstad"),
    ("zwolle", "PI Zwolle", "Zwolle"),
    ("almere", "PI Almere", "Almere"),
    ("breda", "PI Breda", "Breda"),
    ("grave", "PI Grave", "Grave"),
    ("amsterdam-het-schouw", "PI Amsterdam Het Schouw", "Amsterdam"),
    ("esserheem", "PI Esserheem", "Veenhuizen"),
    ("norgerhaven", "PI Norgerhaven", "Veenhuizen"),
    ("brabant", "PI Brabant", "Vught"),
]

YOUTH_CUSTODIAL = [
    ("den-hey-acker", "JJI Den Hey-Acker", "Breda"),
    ("horsterveen", "JJI Horsterveen", "Nijmegen"),
    ("teylingereind", "JJI Teylingereind", "Teylingen"),
    ("de-hartelborgt", "JJI De Hartelborgt", "Nissewaard"),
    ("het-keerpunt", "JJI Het Keerpunt", "Eijsden-Margraten"),
]

FORENSIC_CENTRES = [
    ("van-mesdag", "FPC Dr. S. van Mesdag", "Groningen", True),
    ("veldzicht", "FPC Veldzicht", "Hardenberg", True),
    ("pompestichting", "FPC Pompestichting", "Nijmegen", False),
    ("oostvaarderskliniek", "FPC Oostvaarderskliniek", "Almere", False),
    ("de-kijvelanden", "FPC De Kijvelanden", "Albrandswaard", False),
    ("van-der-hoeven", "FPC Van der Hoeven Kliniek", "Utrecht", False),
    ("de-woenselse-poort", "FPC De Woenselse Poort", "Eindhoven", False),
    ("inforsa", "FPC Inforsa", "Amsterdam", False),
]

CERTIFIED_INSTITUTIONS = [
    ("jb-noord", "Jeugdbescherming Noord", "Groningen"),
    ("jb-gelderland", "Jeugdbescherming Gelderland", "Arnhem"),
    ("jb-overijssel", "Jeugdbescherming Overijssel", "Zwolle"),
    ("samen-veilig", "Samen Veilig Midden-Nederland", "Utrecht"),
    ("jb-regio-amsterdam", "Jeugdbescherming Regio Amsterdam", "Amsterdam"),
    ("jb-west", "Jeugdbescherming west Haaglanden en Zuid-Holland-Noord", "Den Haag"),
    ("jb-rotterdam", "Jeugdbescherming Rotterdam Rijnmond", "Rotterdam"),
    ("jb-brabant", "Jeugdbescherming Brabant", "'s-Hertogenbosch"),
    ("jb-limburg", "Jeugdbescherming Limburg", "Roermond"),
    ("intervence", "Intervence", "Dordrecht"),
    ("jgb-noord-holland", "De Jeugd- en Gezinsbeschermers", "Haarlem"),
    ("jb-flevoland", "Jeugdbescherming Flevoland", "Lelystad"),
    ("william-schrikker", "William Schrikker Stichting Jeugdbescherming & Jeugdreclassering", "Amsterdam"),
    ("lgr-jbr", "Leger des Heils Jeugdbescherming & Reclassering", "Almere"),
    ("nidos", "Nidos", "Utrecht"),
]

COUNCIL_REGIONS = [
    ("noordoost", "Noordoost-Nederland", "Zwolle"),
    ("noordwest", "Noordwest-Nederland", "Haarlem"),
    ("midden", "Midden-Nederland", "Utrecht"),
    ("zuidwest", "Zuidwest-Nederland", "Rotterdam"),
    ("zuidoost", "Zuidoost-Nederland", "Eindhoven"),
]

RECEPTION_LOCATIONS = [
    "Ter Apel",
    "Budel-Cranendonck",
    "Gilze en Rijen",
    "Zweeloo",
    "Musselkanaal",
    "Oisterwijk",
    "Dronten",
    "Heerlen",
    "Amersfoort",
    "Utrecht",
    "Den Helder",
    "Burgum",
    "Grave",
    "Almere",
    "Arnhem",
    "Rijswijk",
    "Zoetermeer",
    "Katwijk",
    "Emmen",
    "Assen",
    "Winterswijk",
    "Overloon",
    "Sneek",
    "Delfzijl",
    "Leersum",
    "Wageningen",
    "Zeist",
    "Apeldoorn",
    "Hoogeveen",
    "Baexem",
]

OTHER_ORGANISATIONS = [
    ("politie", "Nationale Politie", "politie", "", ["politie"], "Den Haag"),
    (
        "politie-le",
        "Landelijke Eenheid",
        "politie-eenheid",
        "politie",
        ["politie", "nationale-veiligheid"],
        "Driebergen",
    ),
    ("politie-pdc", "Politiedienstencentrum", "politie-eenheid", "politie", ["politie"], "Utrecht"),
    ("politieacademie", "Politieacademie", "politieonderwijs", "", ["politie"], "Apeldoorn"),
    (
        "avim",
        "Vreemdelingenpolitie, Identificatie en Mensenhandel (AVIM)",
        "politie-eenheid",
        "politie",
        ["politie", "migratie"],
        "Den Haag",
    ),
    ("dji", "Dienst Justitiële Inrichtingen", "agentschap", "", ["sanctietoepassing", "jeugd"], "Den Haag"),
    ("ind", "Immigratie- en Naturalisatiedienst", "agentschap", "", ["migratie"], "Rijswijk"),
    ("coa", "Centraal Orgaan opvang asielzoekers", "agentschap", "", ["migratie"], "Rijswijk"),
    ("dtenv", "Dienst Terugkeer en Vertrek", "agentschap", "", ["migratie"], "Den Haag"),
    (
        "kmar",
        "Koninklijke Marechaussee",
        "ketenpartner",
        "",
        ["migratie", "nationale-veiligheid"],
        "Den Haag",
    ),
    ("om", "Openbaar Ministerie", "ketenpartner", "", ["justitiele-ketens", "jeugd"], "Den Haag"),
    ("cjib", "Centraal Justitieel Incassobureau", "agentschap", "", ["justitiele-ketens"], "Leeuwarden"),
    ("halt", "Halt", "ketenpartner", "", ["jeugd", "justitiele-ketens"], "Leiden"),
    ("slachtofferhulp", "Slachtofferhulp Nederland", "ketenpartner", "", ["justitiele-ketens"], "Utrecht"),
    ("justis", "Justis", "agentschap", "", ["justitiele-ketens"], "Den Haag"),
    ("rvdk", "Raad voor de Kinderbescherming", "rvdk", "", ["jeugd"], "Utrecht"),
    (
        "reclassering-nederland",
        "Reclassering Nederland",
        "reclassering",
        "",
        ["sanctietoepassing"],
        "Utrecht",
    ),
    ("svg", "Verslavingsreclassering (SVG)", "reclassering", "", ["sanctietoepassing"], "Utrecht"),
    ("lgr-reclassering", "Leger des Heils Reclassering", "reclassering", "", ["sanctietoepassing"], "Almere"),
    (
        "dc-rotterdam",
        "Detentiecentrum Rotterdam",
        "detentiecentrum",
        "dji",
        ["sanctietoepassing", "migratie"],
        "Rotterdam",
    ),
    (
        "jc-schiphol",
        "Justitieel Complex Schiphol",
        "detentiecentrum",
        "dji",
        ["sanctietoepassing", "migratie"],
        "Haarlemmermeer",
    ),
    (
        "nifp",
        "Nederlands Instituut voor Forensische Psychiatrie en Psychologie",
        "agentschap",
        "dji",
        ["sanctietoepassing"],
        "Utrecht",
    ),
]

STRATEGIC_PERIODS: list[dict[str, Any]] = [
    {
        "name": "Meerjarenperspectief 2021-2024",
        "start_year": 2021,
        "end_year": 2024,
        "description": (
            "Vier doelen voor het toezicht in 2021 tot en met 2024. Uitvoeringsorganisaties staan al jaren "
            "onder druk; het toezicht kijkt daarom ook naar opdrachtgever en eigenaar."
        ),
        "goals": [
            (
                1,
                "Veerkracht en weerbaarheid",
                "Het stimuleren van de veerkracht en weerbaarheid van organisaties.",
            ),
            (2, "Lerend vermogen", "Het bevorderen van het lerend vermogen van organisaties."),
            (3, "Effectieve ketens en netwerken", "Het bevorderen van effectieve ketens en netwerken."),
            (
                4,
                "Burgerperspectief",
                "Organisaties scherp houden op wat de burger van hun werk merkt.",
            ),
        ],
    }
]

# Theme code, name, description, goal numbers in the 2021-2024 period.
THEMES = [
    ("personeel", "Personeel", "Bezetting, inzetbaarheid, werkdruk en vakmanschap.", [1]),
    (
        "informatievoorziening",
        "Informatievoorziening",
        "Systemen, registratie, informatiedeling en -beveiliging.",
        [1, 3],
    ),
    ("integriteit", "Integriteit", "Integriteit van medewerkers en ondermijningsrisico's.", [1, 2]),
    (
        "veiligheid",
        "Veiligheid en beveiliging",
        "Fysieke veiligheid, ontvluchtingen, geweld, bejegening.",
        [1, 4],
    ),
    ("kwaliteitszorg", "Kwaliteitszorg", "Sturing op kwaliteit, leren van incidenten en klachten.", [2]),
    ("opvolging", "Opvolging van aanbevelingen", "Wat organisaties doen met eerdere aanbevelingen.", [2]),
    (
        "ketensamenwerking",
        "Samenwerking in de keten",
        "Overdrachten, afstemming en gezamenlijke resultaten.",
        [3],
    ),
    (
        "doorlooptijden",
        "Wachtlijsten en doorlooptijden",
        "Wachttijden, achterstanden en wettelijke termijnen.",
        [3, 4],
    ),
    (
        "rechtsbescherming",
        "Rechtsbescherming en bejegening",
        "Rechten van burgers, klachten, bejegening.",
        [4],
    ),
    (
        "leefklimaat",
        "Leefklimaat en zorg",
        "Dagprogramma, zorg en behandeling van ingeslotenen en jongeren.",
        [4],
    ),
    (
        "forensische-scherpte",
        "Forensische scherpte",
        "Alertheid op risico's van gedetineerden en patiënten.",
        [1, 3],
    ),
    (
        "crisisbeheersing",
        "Crisisbeheersing en rampenbestrijding",
        "Voorbereiding, oefenen en optreden bij crises.",
        [1, 3],
    ),
    ("digitale-criminaliteit", "Digitale criminaliteit", "Aanpak van cybercrime en digitale sporen.", [1]),
    (
        "radicalisering",
        "Radicalisering, extremisme en terrorisme",
        "Samenwerking tegen radicalisering en terrorisme.",
        [3],
    ),
    ("slachtofferzorg", "Slachtofferzorg", "Informatie, bejegening en hulp voor slachtoffers.", [4]),
    ("opleiding", "Opleiding en training", "Onderwijs, examinering en oefenen.", [1, 2]),
]

# Chain code, name, description, area codes, members (organisation code, role).
CHAINS = [
    (
        "migratieketen",
        "Migratieketen",
        "Van binnenkomst en toelating via opvang tot vertrek of integratie.",
        ["migratie"],
        [
            ("kmar", "grensbewaking en eerste registratie"),
            ("avim", "identificatie en toezicht op vreemdelingen"),
            ("ind", "beoordeling van aanvragen (toelating)"),
            ("coa", "opvang van asielzoekers"),
            ("nidos", "voogdij over alleenstaande minderjarige vreemdelingen"),
            ("dtenv", "regie op vertrek"),
            ("dc-rotterdam", "vreemdelingenbewaring"),
        ],
    ),
    (
        "strafrechtketen",
        "Strafrechtketen",
        "Van opsporing via vervolging tot tenuitvoerlegging en nazorg.",
        ["justitiele-ketens", "sanctietoepassing", "politie"],
        [
            ("politie", "opsporing"),
            ("om", "vervolging"),
            ("dji", "tenuitvoerlegging van vrijheidsbenemende straffen"),
            ("reclassering-nederland", "toezicht en advies"),
            ("cjib", "inning van boetes en regie op tenuitvoerlegging"),
            ("slachtofferhulp", "hulp aan slachtoffers"),
        ],
    ),
    (
        "jeugdstrafrechtketen",
        "Jeugdstrafrechtketen",
        "Aanpak van jongeren die met politie en justitie in aanraking komen.",
        ["jeugd"],
        [
            ("politie", "aanhouding en verhoor"),
            ("halt", "afdoening van lichte vergrijpen"),
            ("om", "vervolging"),
            ("rvdk", "onderzoek en advies"),
            ("dji", "justitiële jeugdinrichtingen"),
            ("william-schrikker", "jeugdreclassering"),
        ],
    ),
    (
        "jeugdbeschermingsketen",
        "Jeugdbeschermingsketen",
        "Bescherming van kinderen van wie de ontwikkeling ernstig wordt bedreigd.",
        ["jeugd"],
        [
            ("rvdk", "onderzoek en verzoek tot maatregel"),
            ("jb-noord", "uitvoering van maatregelen"),
            ("jb-rotterdam", "uitvoering van maatregelen"),
            ("william-schrikker", "landelijke gecertificeerde instelling"),
            ("nidos", "voogdij over alleenstaande minderjarige vreemdelingen"),
        ],
    ),
    (
        "forensische-zorgketen",
        "Forensische zorgketen",
        "Behandeling en beveiliging van tbs-gestelden en forensische patiënten.",
        ["sanctietoepassing"],
        [
            ("dji", "plaatsing en financiering"),
            ("fpc-van-mesdag", "behandeling (rijks-FPC)"),
            ("fpc-pompestichting", "behandeling"),
            ("fpc-oostvaarderskliniek", "behandeling"),
            ("reclassering-nederland", "toezicht bij verlof en voorwaardelijke beëindiging"),
            ("nifp", "diagnostiek en advies"),
        ],
    ),
    (
        "crisisbeheersing",
        "Netwerk crisisbeheersing",
        "Veiligheidsregio's, politie en het rijk bij rampen en crises.",
        ["crisisbeheersing"],
        [
            ("vr-haaglanden", "veiligheidsregio"),
            ("vr-rotterdam-rijnmond", "veiligheidsregio"),
            ("vr-amsterdam-amstelland", "veiligheidsregio"),
            ("politie", "handhaving openbare orde"),
            ("nctv", "nationale crisisstructuur"),
        ],
    ),
    (
        "contraterrorisme",
        "Netwerk tegen radicalisering en terrorisme",
        "Samenwerking tegen radicalisering, extremisme en terrorisme.",
        ["nationale-veiligheid"],
        [
            ("nctv", "coördinatie"),
            ("politie-le", "opsporing en bewaken en beveiligen"),
            ("om", "vervolging"),
            ("pi-vught", "terroristenafdeling"),
            ("reclassering-nederland", "toezicht na detentie"),
        ],
    ),
]

# (kind, source code, target code, description)
GOVERNANCE = [
    ("opdrachtgever", "dgsenb", "dji", ""),
    ("eigenaar", "sg-jenv", "dji", "baten-lastendienst"),
    ("opdrachtgever", "dgsenb", "reclassering-nederland", ""),
    ("opdrachtgever", "dgsenb", "svg", ""),
    ("opdrachtgever", "dgsenb", "lgr-reclassering", ""),
    ("opdrachtgever", "dgsenb", "rvdk", ""),
    ("eigenaar", "sg-jenv", "rvdk", ""),
    ("opdrachtgever", "dgsenb", "halt", ""),
    ("opdrachtgever", "dgm", "ind", ""),
    ("eigenaar", "sg-jenv", "ind", "baten-lastendienst"),
    ("opdrachtgever", "dgm", "coa", ""),
    ("eigenaar", "sg-jenv", "coa", "zelfstandig bestuursorgaan"),
    ("opdrachtgever", "dgm", "dtenv", ""),
    ("eigenaar", "sg-jenv", "dtenv", ""),
    ("opdrachtgever", "dgm", "nidos", "voogdij amv"),
    ("opdrachtgever", "dgpenv", "politie", "beleid en taakstelling"),
    ("eigenaar", "dgpenv", "politie", "beheer namens de minister"),
    ("opdrachtgever", "dgpenv", "politieacademie", ""),
    ("opdrachtgever", "dgrr", "cjib", ""),
    ("eigenaar", "sg-jenv", "cjib", "baten-lastendienst"),
    ("opdrachtgever", "dgrr", "justis", ""),
    ("eigenaar", "sg-jenv", "justis", ""),
    ("opdrachtgever", "dgrr", "slachtofferhulp", "subsidie"),
    ("beleidsverantwoordelijke", "dgpenv", "vr-haaglanden", "stelselverantwoordelijkheid"),
]

DEMO_PASSWORD = "Toezicht-demo-2026"

# (username, first name, last name, role, area codes, job title)
# Teams of the inspectorate: (code, name, area, demo users who are members)
TEAMS = [
    ("team-politie", "Team Politie", "politie", ["analist", "lezer"]),
    ("team-migratie", "Team Migratie", "migratie", ["teamleider"]),
    ("team-jeugd", "Team Jeugd", "jeugd", ["teamleider"]),
    ("team-sanctietoepassing", "Team Sanctietoepassing", "sanctietoepassing", ["inspecteur"]),
    ("team-crisisbeheersing", "Team Crisisbeheersing", "crisisbeheersing", ["analist"]),
    ("team-nationale-veiligheid", "Team Nationale veiligheid", "nationale-veiligheid", []),
    ("team-justitiele-ketens", "Team Justitiële ketens", "justitiele-ketens", []),
]

DEMO_USERS = [
    ("inspecteur", "Ilse", "de Inspecteur", "inspecteur", ["sanctietoepassing"], "Inspecteur"),
    ("teamleider", "Tarik", "Teamleider", "teamleider", ["migratie", "jeugd"], "Teamleider"),
    ("analist", "Anouk", "Analist", "analist", ["politie", "crisisbeheersing"], "Informatieanalist"),
    ("ig", "Gerard", "Generaal", "inspecteur-generaal", [], "Inspecteur-generaal"),
    ("beheerder", "Bram", "Beheerder", "beheerder", [], "Functioneel beheerder"),
    ("lezer", "Lotte", "Lezer", "lezer", ["politie"], "Beleidsmedewerker"),
]

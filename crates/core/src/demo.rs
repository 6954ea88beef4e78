//! The demo company: a realistic inventory to try Touchpoints with, as pure data.
//!
//! Nordlicht Wohnen GmbH is an invented home & living retailer based in Hamburg, with 25 stores
//! in Germany and Austria, an online shop, an app and the customer card "Nordlicht Plus". Its
//! catalog keeps the default channels, adds a marketplace and a review-portal channel, and splits
//! the journey into six finer phases. The touchpoints span every channel, kind, phase and
//! status, and about a third carry a note on a known weakness, as a CX manager would keep them.

use crate::catalog::{Channel, Kind, Phase, Stage};
use crate::touchpoint::{ImportanceInput, Status, TouchpointInput};

/// A company with its own catalog and touchpoints, ready to be loaded into a store.
pub struct DemoCompany {
    pub name: &'static str,
    pub channels: Vec<Channel>,
    pub phases: Vec<Phase>,
    pub touchpoints: Vec<TouchpointInput>,
}

/// Nordlicht Wohnen GmbH, the demo company.
pub fn company() -> DemoCompany {
    DemoCompany {
        name: "Nordlicht Wohnen GmbH",
        channels: channels(),
        phases: phases(),
        touchpoints: ROWS.iter().map(Row::input).collect(),
    }
}

fn channels() -> Vec<Channel> {
    let mut channels = crate::catalog::default_channels();
    let extra = |key: &str, de: &str, en: &str, position| Channel {
        key: key.into(),
        label_de: de.into(),
        label_en: en.into(),
        kind: Kind::Digital,
        position,
    };
    // Between the online shop (50) and the app (60), and after social media (70).
    channels.push(extra("marketplace", "Marktplatz", "Marketplace", 55));
    channels.push(extra(
        "review-portal",
        "Bewertungsportal",
        "Review portal",
        75,
    ));
    channels
}

fn phases() -> Vec<Phase> {
    let phase = |key: &str, de: &str, en: &str, stage, position| Phase {
        key: key.into(),
        label_de: de.into(),
        label_en: en.into(),
        stage,
        position,
    };
    use Stage::*;
    vec![
        phase(
            "awareness",
            "Aufmerksamkeit",
            "Awareness",
            BeforePurchase,
            10,
        ),
        phase(
            "consideration",
            "Information & Vergleich",
            "Research & comparison",
            BeforePurchase,
            20,
        ),
        phase("purchase", "Kauf", "Purchase", DuringPurchase, 10),
        phase(
            "delivery",
            "Lieferung & Abholung",
            "Delivery & pickup",
            DuringPurchase,
            20,
        ),
        phase(
            "service",
            "Nutzung & Service",
            "Use & service",
            AfterPurchase,
            10,
        ),
        phase(
            "loyalty",
            "Bindung & Empfehlung",
            "Loyalty & advocacy",
            AfterPurchase,
            20,
        ),
    ]
}

// Target groups.
const PRIVATE: &[&str] = &["Familien", "Junge Berufstätige", "Best Ager"];
const YOUNG: &[&str] = &["Junge Berufstätige", "Familien"];

// Regions: the four sales regions in Germany, Austria, and the online business.
const STORES: &[&str] = &["Nord", "Süd", "West", "Ost", "Österreich"];
const ONLINE: &[&str] = &["Online"];
const EVERYWHERE: &[&str] = &["Nord", "Süd", "West", "Ost", "Österreich", "Online"];

/// One touchpoint of the demo, in a form that reads as a table.
struct Row {
    name: &'static str,
    description: &'static str,
    channel: &'static str,
    phase: &'static str,
    /// Only where it differs from the channel's kind.
    kind: Option<Kind>,
    owner: &'static str,
    groups: &'static [&'static str],
    regions: &'static [&'static str],
    status: Status,
    /// Experience, loyalty, referral.
    importance: (i64, i64, i64),
    brand_fit: i64,
    notes: &'static str,
}

const ROW: Row = Row {
    name: "",
    description: "",
    channel: "",
    phase: "",
    kind: None,
    owner: "",
    groups: PRIVATE,
    regions: EVERYWHERE,
    status: Status::Active,
    importance: (3, 3, 3),
    brand_fit: 3,
    notes: "",
};

impl Row {
    fn input(&self) -> TouchpointInput {
        let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
        let (experience, loyalty, referral) = self.importance;
        TouchpointInput {
            name: self.name.into(),
            description: self.description.into(),
            channel: self.channel.into(),
            kind: self.kind,
            phase: self.phase.into(),
            owner: self.owner.into(),
            target_groups: strings(self.groups),
            regions: strings(self.regions),
            status: Some(self.status),
            importance: ImportanceInput {
                experience,
                loyalty,
                referral,
            },
            brand_fit: self.brand_fit,
            notes: self.notes.into(),
        }
    }
}

const ROWS: &[Row] = &[
    // Aufmerksamkeit
    Row {
        name: "Schaufenster und Filialauftritt",
        description: "Saisonal dekorierte Schaufenster und Eingangsbereiche der 25 Filialen nach \
            zentralem Visual-Merchandising-Leitfaden. Erster Eindruck der Marke für Laufkundschaft \
            in Innenstädten und Fachmarktzentren.",
        channel: "store",
        phase: "awareness",
        owner: "Filialvertrieb",
        regions: STORES,
        importance: (3, 2, 3),
        brand_fit: 5,
        ..ROW
    },
    Row {
        name: "Instagram-Kanal @nordlicht.wohnen",
        description: "Wohnideen, Reels aus den Filialen und Produktneuheiten für rund 85.000 \
            Follower. Beiträge verlinken direkt auf die Produktdetailseiten.",
        channel: "social-media",
        phase: "awareness",
        owner: "Marketing",
        groups: YOUNG,
        regions: ONLINE,
        importance: (3, 2, 4),
        brand_fit: 5,
        notes: "Kommentare und Direktnachrichten werden am Wochenende oft erst nach zwei Tagen \
            beantwortet.",
        ..ROW
    },
    Row {
        name: "TikTok-Kanal",
        description: "Geplanter Kanal mit kurzen Vorher-nachher-Videos zur Raumgestaltung, Start \
            mit der Herbstkollektion.",
        channel: "social-media",
        phase: "awareness",
        owner: "Marketing",
        groups: &["Junge Berufstätige"],
        regions: ONLINE,
        status: Status::Planned,
        importance: (2, 1, 3),
        ..ROW
    },
    Row {
        name: "Gedruckter Jahreskatalog",
        description: "Katalog mit rund 300 Seiten, per Post an Kundenkarteninhaber verschickt und \
            in den Filialen ausgelegt. 2024 zugunsten des digitalen Katalogs eingestellt.",
        channel: "letter",
        phase: "awareness",
        owner: "Marketing",
        groups: &["Best Ager", "Familien"],
        regions: STORES,
        status: Status::Retired,
        importance: (2, 1, 1),
        notes: "Best Ager fragen in den Filialen weiterhin nach dem gedruckten Katalog; eine \
            Alternative wurde ihnen nie erklärt.",
        ..ROW
    },
    Row {
        name: "Digitaler Blätterkatalog",
        description: "Der Katalog als Blätterversion auf der Website; jedes Produkt ist mit dem \
            Onlineshop verlinkt.",
        channel: "website",
        phase: "awareness",
        owner: "Marketing",
        regions: ONLINE,
        importance: (2, 1, 1),
        ..ROW
    },
    Row {
        name: "Pop-up-Store im Einkaufszentrum",
        description: "Temporäre Verkaufsfläche für acht Wochen in einem Leipziger \
            Einkaufszentrum, um die Marke im Osten bekannter zu machen.",
        channel: "event",
        phase: "awareness",
        owner: "Marketing",
        groups: YOUNG,
        regions: &["Ost"],
        status: Status::Planned,
        importance: (3, 2, 3),
        brand_fit: 4,
        ..ROW
    },
    // Information & Vergleich
    Row {
        name: "Beratung im Showroom",
        description: "Einrichtungsberater planen mit Kunden Wohn- und Schlafzimmer an \
            Musterflächen, inklusive Stoff- und Farbauswahl.",
        channel: "store",
        phase: "consideration",
        owner: "Filialvertrieb",
        regions: STORES,
        importance: (5, 4, 4),
        brand_fit: 5,
        notes: "Samstags zu wenige Berater auf der Fläche; Kunden warten bis zu 20 Minuten auf \
            eine Beratung.",
        ..ROW
    },
    Row {
        name: "Digitale Regalverlängerung in der Filiale",
        description: "Touchscreen-Terminals zeigen in jeder Filiale das gesamte Onlinesortiment; \
            Bestellungen gehen direkt an den Onlineshop.",
        channel: "store",
        phase: "consideration",
        kind: Some(Kind::Digital),
        owner: "E-Commerce",
        regions: STORES,
        importance: (3, 2, 1),
        ..ROW
    },
    Row {
        name: "Produktdetailseiten im Onlineshop",
        description: "Produktseiten mit Bildern, Maßen, Materialangaben, Verfügbarkeit in der \
            Wunschfiliale und Kundenbewertungen.",
        channel: "online-shop",
        phase: "consideration",
        owner: "E-Commerce",
        regions: ONLINE,
        importance: (4, 2, 2),
        brand_fit: 4,
        notes: "Maße und Materialangaben bei Polstermöbeln unvollständig; häufigster \
            Retourengrund ist „entspricht nicht der Beschreibung“.",
        ..ROW
    },
    Row {
        name: "Online-Wohnberatung per Videotermin",
        description: "Buchbare Videoberatung von 45 Minuten mit einem Einrichtungsberater; im \
            Anschluss erhält der Kunde eine Grundriss-Skizze.",
        channel: "website",
        phase: "consideration",
        kind: Some(Kind::Communication),
        owner: "Filialvertrieb",
        groups: YOUNG,
        regions: ONLINE,
        importance: (4, 4, 4),
        brand_fit: 5,
        ..ROW
    },
    Row {
        name: "AR-Möbelvorschau in der App",
        description: "Geplante Funktion, mit der Kunden Sofas und Tische per Kamera \
            maßstabsgetreu im eigenen Raum platzieren.",
        channel: "app",
        phase: "consideration",
        owner: "E-Commerce",
        groups: &["Junge Berufstätige"],
        regions: ONLINE,
        status: Status::Planned,
        importance: (3, 2, 3),
        brand_fit: 4,
        ..ROW
    },
    Row {
        name: "Filialfinder mit Öffnungszeiten",
        description: "Filialsuche mit Adresse, Öffnungszeiten, Parkmöglichkeiten und den \
            Veranstaltungen jeder Filiale.",
        channel: "website",
        phase: "consideration",
        owner: "E-Commerce",
        importance: (3, 1, 1),
        ..ROW
    },
    Row {
        name: "Stoff- und Materialmusterversand",
        description: "Bis zu fünf kostenlose Stoff- und Holzmuster per Post, bestellbar im \
            Onlineshop und an der Hotline.",
        channel: "letter",
        phase: "consideration",
        kind: Some(Kind::Physical),
        owner: "Kundenservice",
        groups: &["Familien", "Best Ager"],
        importance: (4, 3, 3),
        brand_fit: 4,
        ..ROW
    },
    Row {
        name: "Google-Bewertungen der Filialen",
        description: "Sterne und Bewertungen der Filialen in Google Maps; geantwortet wird durch \
            die Filialleitungen.",
        channel: "review-portal",
        phase: "consideration",
        owner: "Filialvertrieb",
        regions: STORES,
        importance: (3, 2, 4),
        notes: "Nur etwa 40 % der Bewertungen werden beantwortet, in Österreich keine.",
        ..ROW
    },
    Row {
        name: "Chatbot „Nora“",
        description: "Chatbot im Onlineshop und in der App für Fragen zu Sortiment, \
            Öffnungszeiten und Lieferzeiten; übergibt bei Bedarf an den Live-Chat.",
        channel: "chatbot",
        phase: "consideration",
        owner: "Kundenservice",
        groups: YOUNG,
        regions: ONLINE,
        importance: (3, 2, 1),
        brand_fit: 4,
        notes: "Nora kennt den Lieferstatus nicht und verweist dann auf die Hotline statt auf \
            die Sendungsverfolgung.",
        ..ROW
    },
    Row {
        name: "Live-Chat im Onlineshop",
        description: "Persönlicher Chat mit dem Kundenservice, montags bis samstags von 9 bis \
            18 Uhr.",
        channel: "chat",
        phase: "consideration",
        owner: "Kundenservice",
        regions: ONLINE,
        importance: (4, 3, 2),
        brand_fit: 4,
        ..ROW
    },
    Row {
        name: "Wohnberatungs-Event „Wohnabend“",
        description: "Abendveranstaltung in der Filiale mit Innenarchitektin, Trendvortrag und \
            Beratung an den Musterflächen, viermal im Jahr.",
        channel: "event",
        phase: "consideration",
        owner: "Marketing",
        groups: &["Best Ager", "Junge Berufstätige"],
        regions: STORES,
        importance: (4, 4, 5),
        brand_fit: 5,
        ..ROW
    },
    Row {
        name: "Objektberatung für Geschäftskunden",
        description: "Außendienstberater planen Einrichtungen für Büros, Praxen und Hotels vor \
            Ort und erstellen Angebote mit Staffelpreisen.",
        channel: "field-service",
        phase: "consideration",
        owner: "Geschäftskundenvertrieb",
        groups: &["Geschäftskunden"],
        regions: STORES,
        importance: (5, 5, 4),
        brand_fit: 4,
        ..ROW
    },
    // Kauf
    Row {
        name: "Kassenbereich",
        description: "Kassenzone mit Bezahlung, Anmeldung zur Kundenkarte und Vereinbarung von \
            Lieferterminen für Großmöbel.",
        channel: "store",
        phase: "purchase",
        owner: "Filialvertrieb",
        regions: STORES,
        importance: (4, 3, 2),
        notes: "Samstags sind nur zwei von fünf Kassen besetzt; die Terminvereinbarung für \
            Lieferungen dauert bis zu 10 Minuten je Kunde.",
        ..ROW
    },
    Row {
        name: "Checkout im Onlineshop",
        description: "Bestellabschluss mit Wahl von Lieferung oder Abholung, Zahlart und \
            Lieferwunschtermin.",
        channel: "online-shop",
        phase: "purchase",
        owner: "E-Commerce",
        regions: ONLINE,
        importance: (5, 3, 2),
        brand_fit: 4,
        notes: "Kein Gastkauf möglich; rund 20 % brechen im Schritt „Konto anlegen“ ab.",
        ..ROW
    },
    Row {
        name: "Markenshop auf Online-Marktplätzen",
        description: "Rund 2.000 ausgewählte Artikel bei OTTO und Amazon, versendet aus dem \
            eigenen Zentrallager.",
        channel: "marketplace",
        phase: "purchase",
        owner: "E-Commerce",
        groups: YOUNG,
        regions: ONLINE,
        importance: (3, 1, 1),
        brand_fit: 2,
        notes: "Marktplatzpreise liegen teils unter dem Onlineshop-Preis; Kunden fragen im Chat \
            nach einem Preisausgleich.",
        ..ROW
    },
    Row {
        name: "Telefonische Bestellannahme",
        description: "Bestellungen per Telefon für Kunden ohne Onlinezugang, auf Wunsch mit \
            Finanzierungsanfrage.",
        channel: "phone",
        phase: "purchase",
        owner: "Kundenservice",
        groups: &["Best Ager"],
        importance: (4, 4, 2),
        ..ROW
    },
    Row {
        name: "Bestellbestätigung per E-Mail",
        description: "Automatische E-Mail mit Bestellübersicht, Rechnung als PDF und \
            voraussichtlichem Liefertermin.",
        channel: "email",
        phase: "purchase",
        owner: "E-Commerce",
        regions: ONLINE,
        importance: (3, 2, 1),
        ..ROW
    },
    // Lieferung & Abholung
    Row {
        name: "Versandbestätigung per E-Mail",
        description: "Benachrichtigung beim Versand von Paketware mit Link zur \
            Sendungsverfolgung des Paketdienstes.",
        channel: "email",
        phase: "delivery",
        owner: "Logistik",
        regions: ONLINE,
        importance: (4, 2, 1),
        ..ROW
    },
    Row {
        name: "Lieferavis per SMS",
        description: "SMS am Vortag mit dem Lieferzeitfenster der Spedition und einem Link zur \
            Terminänderung.",
        channel: "phone",
        phase: "delivery",
        owner: "Logistik",
        importance: (5, 4, 3),
        notes: "Zeitfenster von vier Stunden ist zu grob; laut Befragung wünschen Kunden \
            höchstens zwei Stunden.",
        ..ROW
    },
    Row {
        name: "Click & Collect Abholstation",
        description: "Abholstation im Eingangsbereich jeder Filiale für online bestellte \
            Mitnahmeartikel, zwei Stunden nach der Bestellung abholbereit.",
        channel: "store",
        phase: "delivery",
        owner: "Filialvertrieb",
        groups: YOUNG,
        regions: STORES,
        importance: (4, 3, 3),
        brand_fit: 4,
        ..ROW
    },
    Row {
        name: "Sendungsverfolgung in der App",
        description: "Lieferstatus aller Bestellungen, auch der Speditionsware, mit \
            Push-Nachricht bei jedem Statuswechsel.",
        channel: "app",
        phase: "delivery",
        owner: "E-Commerce",
        groups: YOUNG,
        regions: ONLINE,
        importance: (4, 3, 2),
        brand_fit: 4,
        ..ROW
    },
    Row {
        name: "Lieferung mit Zwei-Mann-Handling",
        description: "Speditionspartner liefern Großmöbel bis in die Wohnung und nehmen die \
            Verpackung wieder mit.",
        channel: "field-service",
        phase: "delivery",
        owner: "Logistik",
        importance: (5, 5, 4),
        notes: "Der Speditionspartner im Süden ruft vor der Lieferung nicht an; die meisten \
            Lieferbeschwerden kommen aus Bayern.",
        ..ROW
    },
    // Nutzung & Service
    Row {
        name: "Montageservice beim Kunden",
        description: "Eigene Monteure bauen Küchen, Schränke und Betten beim Kunden auf und \
            richten sie aus; buchbar beim Kauf.",
        channel: "field-service",
        phase: "service",
        owner: "Montage & Service",
        groups: &["Familien", "Best Ager"],
        regions: STORES,
        importance: (5, 5, 5),
        brand_fit: 5,
        ..ROW
    },
    Row {
        name: "Kundenhotline",
        description: "Zentrale Servicenummer für Fragen zu Bestellung, Lieferung, Reklamation \
            und Kundenkarte, montags bis samstags von 8 bis 20 Uhr.",
        channel: "phone",
        phase: "service",
        owner: "Kundenservice",
        groups: &[
            "Familien",
            "Junge Berufstätige",
            "Best Ager",
            "Geschäftskunden",
        ],
        importance: (5, 5, 3),
        notes: "Wartezeiten in der Hotline samstags über 10 Minuten; eine Rückrufoption gibt es \
            nicht.",
        ..ROW
    },
    Row {
        name: "Service-E-Mail und Kontaktformular",
        description: "Anfragen über das Kontaktformular und an die Service-Adresse, bearbeitet \
            im Ticketsystem des Kundenservice.",
        channel: "email",
        phase: "service",
        owner: "Kundenservice",
        importance: (4, 3, 2),
        notes: "Antwortzeit im Schnitt drei Werktage statt der zugesagten 24 Stunden.",
        ..ROW
    },
    Row {
        name: "Hilfe-Center und FAQ",
        description: "Antworten zu Lieferung, Rückgabe, Montage, Pflege und Kundenkarte, mit \
            Suchfunktion.",
        channel: "website",
        phase: "service",
        owner: "Kundenservice",
        regions: ONLINE,
        importance: (3, 2, 1),
        notes: "Retourenfrist im FAQ widerspricht dem Newsletter (30 vs. 14 Tage).",
        ..ROW
    },
    Row {
        name: "Retourenportal",
        description: "Selbstbedienungsportal zum Anmelden einer Rücksendung, mit Retourenlabel \
            zum Ausdrucken oder als QR-Code.",
        channel: "online-shop",
        phase: "service",
        owner: "E-Commerce",
        regions: ONLINE,
        importance: (4, 4, 2),
        brand_fit: 4,
        ..ROW
    },
    Row {
        name: "Reklamationsbrief",
        description: "Schriftliche Antwort auf eine Reklamation mit der Entscheidung über \
            Reparatur, Ersatz oder Gutschrift.",
        channel: "letter",
        phase: "service",
        owner: "Kundenservice",
        groups: &["Best Ager", "Familien", "Geschäftskunden"],
        importance: (4, 4, 3),
        brand_fit: 2,
        notes: "Textbausteine von 2016 wirken juristisch und kalt: keine Entschuldigung, kein \
            persönlicher Ansprechpartner.",
        ..ROW
    },
    Row {
        name: "Servicetheke in der Filiale",
        description: "Anlaufstelle für Umtausch, Reklamationen und Ersatzteile wie Schrauben \
            und Beschläge.",
        channel: "store",
        phase: "service",
        owner: "Filialvertrieb",
        regions: STORES,
        importance: (4, 4, 3),
        brand_fit: 4,
        ..ROW
    },
    // Bindung & Empfehlung
    Row {
        name: "Kundenkarte „Nordlicht Plus“ in der App",
        description: "Digitale Kundenkarte mit Punktestand, Kaufbelegen und persönlichen \
            Gutscheinen; an der Kasse per QR-Code vorzuzeigen.",
        channel: "app",
        phase: "loyalty",
        owner: "CRM & Loyalty",
        importance: (3, 5, 2),
        brand_fit: 4,
        ..ROW
    },
    Row {
        name: "Wöchentlicher Newsletter",
        description: "Wöchentliche E-Mail mit Wohnideen, Neuheiten und Aktionen, \
            personalisiert nach Wunschfiliale.",
        channel: "newsletter",
        phase: "loyalty",
        owner: "CRM & Loyalty",
        importance: (2, 3, 1),
        notes: "Newsletter spricht Kunden mit Du an, Website mit Sie.",
        ..ROW
    },
    Row {
        name: "Freunde-werben-Programm in der App",
        description: "Geplantes Empfehlungsprogramm: Für jeden geworbenen Neukunden gibt es 500 \
            Plus-Punkte.",
        channel: "app",
        phase: "loyalty",
        owner: "CRM & Loyalty",
        groups: YOUNG,
        status: Status::Planned,
        importance: (2, 3, 5),
        brand_fit: 4,
        ..ROW
    },
    Row {
        name: "Zufriedenheitsbefragung nach der Lieferung",
        description: "E-Mail-Befragung sieben Tage nach der Zustellung mit Net Promoter Score \
            und Freitextfeld.",
        channel: "email",
        phase: "loyalty",
        owner: "CRM & Loyalty",
        importance: (2, 2, 1),
        ..ROW
    },
    Row {
        name: "Shop-Bewertungen bei Trusted Shops",
        description: "Bewertungseinladung nach jeder Onlinebestellung; das Siegel mit der \
            Durchschnittsnote erscheint im Onlineshop.",
        channel: "review-portal",
        phase: "loyalty",
        owner: "E-Commerce",
        regions: ONLINE,
        importance: (2, 2, 4),
        ..ROW
    },
    Row {
        name: "Geburtstagsgutschein per Post",
        description: "Postkarte mit einem Gutschein über 10 € zum Geburtstag für Plus-Mitglieder \
            mit mindestens 60 € Jahresumsatz.",
        channel: "letter",
        phase: "loyalty",
        owner: "CRM & Loyalty",
        groups: &["Best Ager", "Familien"],
        regions: STORES,
        importance: (2, 4, 2),
        brand_fit: 4,
        ..ROW
    },
    Row {
        name: "Kundenmagazin „Nordlicht Zuhause“",
        description: "Quartalsmagazin mit Homestorys und Pflegetipps für Plus-Mitglieder; 2023 \
            eingestellt.",
        channel: "letter",
        phase: "loyalty",
        owner: "CRM & Loyalty",
        groups: &["Best Ager"],
        regions: STORES,
        status: Status::Retired,
        importance: (2, 3, 1),
        brand_fit: 5,
        ..ROW
    },
];

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashSet};

    use super::*;
    use crate::catalog::{Catalog, check_key};
    use crate::problem::Problems;
    use crate::touchpoint::{TouchpointFields, name_key};

    fn catalog(demo: &DemoCompany) -> Catalog {
        Catalog {
            channels: demo.channels.clone(),
            phases: demo.phases.clone(),
        }
    }

    fn validated(demo: &DemoCompany) -> Vec<TouchpointFields> {
        let catalog = catalog(demo);
        demo.touchpoints
            .iter()
            .map(|t| {
                t.validate(&catalog)
                    .unwrap_or_else(|p| panic!("{}: {p}", t.name))
            })
            .collect()
    }

    #[test]
    fn catalog_is_valid() {
        let demo = company();
        let mut p = Problems::default();
        for c in &demo.channels {
            assert_eq!(c.clone().validated().as_ref(), Ok(c));
            check_key(&mut p, "key", &c.key);
        }
        for ph in &demo.phases {
            assert_eq!(ph.clone().validated().as_ref(), Ok(ph));
            check_key(&mut p, "key", &ph.key);
        }
        assert!(p.is_empty(), "{p}");
        let channel_keys: HashSet<&str> = demo.channels.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(channel_keys.len(), demo.channels.len());
        let phase_keys: HashSet<&str> = demo.phases.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(phase_keys.len(), demo.phases.len());
        // The default channels are all kept, with their keys.
        for c in crate::catalog::default_channels() {
            assert!(channel_keys.contains(c.key.as_str()), "{}", c.key);
        }
        // Positions are distinct within each list and stage.
        let positions: HashSet<i32> = demo.channels.iter().map(|c| c.position).collect();
        assert_eq!(positions.len(), demo.channels.len());
        let positions: HashSet<(Stage, i32)> =
            demo.phases.iter().map(|p| (p.stage, p.position)).collect();
        assert_eq!(positions.len(), demo.phases.len());
        for stage in Stage::ALL {
            assert!(demo.phases.iter().any(|p| p.stage == stage), "{stage:?}");
        }
    }

    #[test]
    fn every_touchpoint_validates_and_names_are_unique() {
        let demo = company();
        let fields = validated(&demo);
        assert!((38..=45).contains(&fields.len()), "{}", fields.len());
        let names: HashSet<String> = demo.touchpoints.iter().map(|t| name_key(&t.name)).collect();
        assert_eq!(names.len(), demo.touchpoints.len());
        for t in &demo.touchpoints {
            assert!(!t.description.trim().is_empty(), "{}", t.name);
            assert!(!t.owner.trim().is_empty(), "{}", t.name);
            assert!(!t.target_groups.is_empty(), "{}", t.name);
            assert!(!t.regions.is_empty(), "{}", t.name);
        }
    }

    #[test]
    fn kind_is_set_only_where_it_differs_from_the_channel() {
        let demo = company();
        let catalog = catalog(&demo);
        for t in &demo.touchpoints {
            if let Some(kind) = t.kind {
                let channel = catalog.channel(&t.channel).map(|c| c.kind);
                assert_ne!(channel, Some(kind), "{}", t.name);
            }
        }
    }

    #[test]
    fn covers_every_phase_kind_status_and_channel() {
        let demo = company();
        let fields = validated(&demo);
        for phase in &demo.phases {
            assert!(fields.iter().any(|t| t.phase == phase.key), "{}", phase.key);
        }
        for kind in Kind::ALL {
            assert!(fields.iter().any(|t| t.kind == kind), "{kind:?}");
        }
        for status in Status::ALL {
            assert!(fields.iter().any(|t| t.status == status), "{status:?}");
        }
        let used: BTreeSet<&str> = fields.iter().map(|t| t.channel.as_str()).collect();
        assert!(used.len() >= 10, "{used:?}");
        for c in &demo.channels {
            assert!(used.contains(c.key.as_str()), "{}", c.key);
        }
    }

    #[test]
    fn labels_come_from_small_sets_and_mostly_active() {
        let demo = company();
        let fields = validated(&demo);
        let groups: BTreeSet<&str> = fields
            .iter()
            .flat_map(|t| t.target_groups.iter().map(String::as_str))
            .collect();
        assert!(groups.len() <= 5, "{groups:?}");
        let regions: BTreeSet<&str> = fields
            .iter()
            .flat_map(|t| t.regions.iter().map(String::as_str))
            .collect();
        assert!(regions.len() <= 6, "{regions:?}");
        let active = fields.iter().filter(|t| t.status == Status::Active).count();
        assert!(active * 4 >= fields.len() * 3, "{active}");
        let noted = fields.iter().filter(|t| !t.notes.is_empty()).count();
        assert!(
            noted * 4 >= fields.len() && noted * 2 <= fields.len(),
            "{noted}"
        );
    }
}

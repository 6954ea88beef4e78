//! The bot's word lists: the words every question carries, synonyms, and the words that greet,
//! thank or ask for a person. All in folded spelling (lower case, ae/oe/ue, ss, no hyphens).
//! A company's own words come from its guideline: a fact's keywords are read with it.

/// Words that say nothing about what is asked, German and English; sorted for a binary search.
pub const STOP_WORDS: &[&str] = &[
    "a", "aber", "about", "acht", "after", "also", "always", "am", "an", "anbieten", "and", "any",
    "are", "armchair", "artikel", "ask", "asking", "at", "auch", "auf", "aus", "be", "bed",
    "been", "before", "bei", "beim", "being", "bekomme", "bekommen", "bekommt", "bett", "biete",
    "bieten", "bietet", "big", "bin", "bist", "bitte", "but", "by", "bzw", "can", "cant",
    "carpet", "chair", "chairs", "couch", "could", "cupboard", "da", "danke", "dann", "das",
    "dass", "dear", "dein", "deine", "deinem", "deinen", "deiner", "dem", "den", "denn", "der",
    "des", "dich", "did", "die", "dies", "diese", "diesen", "dieser", "dieses", "ding", "dinge",
    "dir", "do", "doch", "does", "doesnt", "done", "dont", "drei", "dresser", "du", "eigentlich",
    "eight", "ein", "eine", "einem", "einen", "einer", "eines", "einfach", "er", "erhalte",
    "erhalten", "es", "etwas", "euch", "euer", "eure", "eurem", "euren", "eurer", "find", "finde",
    "finden", "five", "for", "four", "frage", "fragen", "from", "fuenf", "fuer", "funktioniere",
    "funktionieren", "funktioniert", "ganz", "geht", "genau", "gern", "gerne", "get", "gets",
    "gibt", "got", "gross", "grosse", "grossen", "grosser", "gruesse", "gruss", "gute", "guten",
    "guter", "gutes", "hab", "habe", "haben", "habt", "had", "hallo", "has", "hast", "hat",
    "hatte", "have", "he", "hello", "hey", "hi", "hier", "high", "him", "hoch", "how", "i", "ich",
    "if", "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer", "ihres", "im", "immer", "in", "ins",
    "irgendwie", "is", "ist", "it", "item", "items", "its", "ive", "ja", "just", "kann", "kannst",
    "kein", "keine", "keinen", "klein", "kleine", "know", "koennen", "koennt", "koennte",
    "koennten", "koenntet", "kommode", "kurz", "lamp", "lampe", "lassen", "let", "liebe",
    "lieber", "like", "machen", "make", "mal", "man", "many", "may", "me", "mehr", "mein",
    "meine", "meinem", "meinen", "meiner", "meines", "mich", "might", "mir", "mit", "moechte",
    "moechten", "moechtest", "moeglich", "moin", "much", "muessen", "muss", "musst", "must", "my",
    "nach", "nein", "neun", "nicht", "nine", "no", "noch", "not", "nun", "nutzen", "ob", "oder",
    "of", "offer", "offers", "oft", "ok", "okay", "on", "one", "or", "our", "please", "policy",
    "possible", "question", "really", "regal", "rug", "sachen", "sagen", "schicke", "schicken",
    "schickt", "schon", "schrank", "sechs", "sehr", "seid", "sein", "servus", "sessel", "seven",
    "shall", "she", "shelf", "should", "sich", "sie", "sieben", "sind", "six", "small", "so",
    "sofa", "soll", "sollte", "some", "sowas", "still", "stuff", "stuhl", "table", "tables",
    "tag", "tell", "ten", "teppich", "thank", "thanks", "that", "the", "their", "them", "there",
    "these", "they", "thing", "things", "this", "those", "three", "tisch", "to", "trotzdem",
    "tue", "tun", "two", "ueber", "um", "und", "uns", "unser", "unsere", "unserem", "unseren",
    "unserer", "up", "us", "use", "viel", "viele", "vielleicht", "vier", "vom", "von", "vorher",
    "want", "wanted", "war", "wardrobe", "waren", "warum", "was", "we", "weiss", "welche",
    "welchem", "welchen", "welcher", "welches", "wenn", "wer", "werden", "were", "weshalb",
    "what", "whether", "which", "who", "whom", "why", "wie", "wieso", "wieviele", "will",
    "willst", "wir", "wird", "wirklich", "wissen", "with", "wollen", "wollte", "work", "works",
    "would", "wuerde", "wuerden", "wurde", "yes", "you", "your", "youre", "zehn", "zu", "zum",
    "zur", "zwei",
];

/// Words that mean the same for a customer's question; each group's first word stands for it.
/// Groups hold single words: a phrase is matched by its words. A compound that begins or ends
/// with one of these words of five letters or more is read as that word too
/// ("Rückgabefrist" as "Rückgabe" and "Frist").
pub const SYNONYMS: &[&[&str]] = &[
    &[
        "rueckgabe", "rueckgaberecht", "zurueckgeben", "umtausch", "umtauschen", "return",
        "returns", "returning", "refund",
    ],
    &[
        "ruecksendung", "zurueckschicken", "zuruecksenden", "retoure", "retournieren", "zurueck",
        "back", "label", "etikett", "senden", "sende", "send", "sending",
    ],
    &[
        "hotline", "telefon", "telefonnummer", "telefonisch", "anrufen", "phone", "call",
        "telephone", "nummer", "number",
    ],
    &[
        "kundenservice", "kundendienst", "support", "kontakt", "kontaktieren", "erreichen",
        "erreiche", "contact", "reach", "service",
    ],
    &[
        "lieferung", "liefern", "liefert", "geliefert", "lieferzeit", "lieferdauer", "zustellung",
        "delivery", "deliver", "delivered", "versand", "versenden", "versendet", "ship", "ships",
        "shipped", "ankommen", "angekommen", "ankommt", "kommt", "arrive", "arrives", "arrived",
    ],
    &[
        "zahlungsart", "zahlungsarten", "zahlungsmethode", "zahlungsmethoden", "bezahlen",
        "zahlen", "bezahlung", "zahlung", "zahlungsmoeglichkeiten", "payment", "pay", "paying",
        "methods", "accept",
    ],
    &[
        "ratenzahlung", "raten", "ratenkauf", "finanzierung", "finanzieren", "instalments",
        "installments", "instalment", "installment", "financing", "finance",
    ],
    &[
        "stornieren", "storniere", "storno", "stornierung", "abbrechen", "cancel", "cancellation",
        "canceling", "cancelling",
    ],
    &[
        "montageservice", "aufbau", "aufbauen", "montage", "montieren", "aufbauservice",
        "assembly", "assemble",
    ],
    &["garantie", "gewaehrleistung", "warranty", "guarantee"],
    &[
        "gutschein", "geschenkgutschein", "gutscheincode", "voucher", "giftcard", "coupon",
    ],
    &["einloesen", "redeem"],
    &[
        "passwort", "kennwort", "password", "zuruecksetzen", "reset", "setze", "vergessen",
        "forgot",
    ],
    &["abmelden", "abbestellen", "austragen", "unsubscribe"],
    &[
        "sendungsverfolgung", "tracking", "track", "verfolgen", "sendungsnummer", "status",
    ],
    &["wo", "where"],
    &["wann", "when"],
    &[
        "beschaedigt", "kaputt", "defekt", "schaden", "beschaedigung", "damaged", "broken",
        "damage", "defective",
    ],
    &[
        "ausland", "oesterreich", "schweiz", "abroad", "austria", "switzerland", "international",
        "countries",
    ],
    &[
        "showroom", "ausstellung", "filiale", "laden", "geschaeft", "store", "shop", "ansehen",
        "anschauen", "besichtigen", "besuchen", "visit",
    ],
    &[
        "rechnung", "invoice", "quittung", "receipt", "rechnungskopie",
    ],
    &["kopie", "copy"],
    &[
        "altmoebel", "entsorgen", "entsorgung", "dispose", "mitnahme", "mitnehmen", "away",
    ],
    &["alt", "alte", "alten", "altes", "old"],
    &[
        "stoffmuster", "stoffprobe", "stoffproben", "muster", "sample", "samples", "swatch",
    ],
    &[
        "email", "mail", "emailadresse", "mailadresse", "schreiben", "write", "address",
    ],
    &[
        "jetzt", "gerade", "now", "currently", "momentan", "aktuell", "jemand", "anyone",
    ],
    &[
        "geoeffnet", "offen", "open", "oeffnungszeiten", "opened", "opening", "uhr", "hours",
        "zeiten",
    ],
    &[
        "versandkosten", "versandkostenfrei", "porto", "lieferkosten", "shipping",
    ],
    &["kostenlos", "gratis", "free", "umsonst"],
    &[
        "bestellung", "bestellen", "order", "ordered", "auftrag", "paket", "package", "parcel",
    ],
    &["express", "expresslieferung"],
    &["newsletter", "newsletters"],
    &[
        "kosten", "kostet", "preis", "preise", "price", "cost", "costs", "teuer", "gebuehr", "fee",
        "betrag", "euro", "wieviel",
    ],
    &[
        "dauer", "dauert", "lange", "lang", "long", "frist", "period", "tage", "tagen", "days",
        "wochen", "weeks", "monate", "months", "jahre", "jahren", "years", "schnell", "schneller",
        "fast", "faster", "gilt", "gueltig", "valid",
    ],
    &["montag", "monday"],
    &["dienstag", "tuesday"],
    &["mittwoch", "wednesday"],
    &["donnerstag", "thursday"],
    &["freitag", "friday"],
    &["samstag", "saturday"],
    &["sonntag", "sunday"],
];

/// Words a text means when it states a value of a kind: a passage that states a price answers
/// "what does it cost", one that states a period "how long".
pub fn kind_words(kind: crate::consistency::value::ValueKind) -> &'static str {
    use crate::consistency::value::ValueKind::*;
    match kind {
        Duration => "dauer",
        Price => "kosten",
        Phone => "telefon",
        Email => "email",
        Url => "",
        Hours => "geoeffnet montag dienstag mittwoch donnerstag freitag samstag",
        Date => "",
        Percentage => "",
    }
}

/// Question words that help to rank sources but weigh little in whether to answer: "Wo ist
/// euer Showroom?" is answered by a passage that never says "wo".
pub const LIGHT: &[&str] = &["wo", "wann"];

/// Words that greet.
pub const GREETINGS: &[&str] = &[
    "hallo", "hi", "hey", "moin", "servus", "guten", "tag", "morgen", "abend", "hello", "good",
    "morning", "afternoon", "evening", "gruess", "gott",
];

/// Words that thank.
pub const THANKS: &[&str] = &[
    "danke", "dankeschoen", "vielen", "schoen", "thanks", "thank", "cheers", "lot",
];

/// Words that ask for a person rather than the bot.
pub const PERSON: &[&str] = &[
    "mensch", "menschen", "mitarbeiter", "mitarbeiterin", "mitarbeitenden", "person", "berater",
    "beraterin", "kundenberater", "agent", "human", "someone", "somebody", "representative",
    "operator",
];

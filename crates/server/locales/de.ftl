nav-label = Hauptnavigation
nav-journey = Journey-Map
nav-inventory = Inventar
nav-catalog = Kanäle & Phasen
nav-api = API
switch-language = English

inventory-title = Touchpoint-Inventar
new-touchpoint = Neuer Touchpoint
inventory-count = { $shown } von { $total } Touchpoints
inventory-empty = Noch keine Touchpoints erfasst. Legen Sie den ersten an oder laden Sie die Demo-Daten mit „touchpoints demo“.
inventory-none-match = Kein Touchpoint passt zu diesen Filtern.
export-csv = Export CSV
export-json = Export JSON
filter-search = Suche
filter-apply = Filtern
filter-reset = Zurücksetzen
all = Alle
choose = Bitte wählen

field-name = Name
field-description = Beschreibung
field-channel = Kanal
field-kind = Art
field-phase = Phase
field-owner = Verantwortlich
field-target-groups = Zielgruppen
field-target-group = Zielgruppe
field-regions = Regionen
field-region = Region
field-status = Status
field-importance = Wichtigkeit
field-importance-experience = Wichtigkeit fürs Erlebnis
field-importance-loyalty = Wichtigkeit für die Bindung
field-importance-referral = Wichtigkeit für Empfehlungen
field-brand-fit = Markenfit
field-notes = Notizen
field-key = Schlüssel
field-label-de = Bezeichnung (Deutsch)
field-label-en = Bezeichnung (Englisch)
field-stage = Abschnitt der Journey
field-position = Reihenfolge

kind-physical = Physisch
kind-digital = Digital
kind-communication = Kommunikation
kind-from-channel = Wie der Kanal
status-planned = Geplant
status-active = Aktiv
status-retired = Eingestellt
stage-before_purchase = Vor dem Kauf
stage-during_purchase = Während des Kaufs
stage-after_purchase = Nach dem Kauf

form-new-title = Neuer Touchpoint
form-edit-title = Touchpoint bearbeiten
form-has-errors = { $count ->
    [one] Ein Feld braucht Ihre Aufmerksamkeit.
   *[other] { $count } Felder brauchen Ihre Aufmerksamkeit.
}
form-section-what = Was und wo
form-section-who = Für wen und wer
form-section-importance = Wichtigkeit aus Kundensicht
hint-comma-separated = Mehrere durch Komma trennen.
hint-scale = 1 = kaum, 5 = entscheidend
hint-key = Kleinbuchstaben a–z, Ziffern, „-“ und „_“; wird in Importen und URLs verwendet.
save = Speichern
cancel = Abbrechen
edit = Bearbeiten
retire = Einstellen
delete = Löschen
delete-confirm = Der Touchpoint wird aus dem Inventar entfernt; seine Historie bleibt erhalten.
delete-now = Endgültig löschen

history-title = Historie
history-when = Wann
history-who = Wer
history-what = Was
action-created = Angelegt
action-updated = Geändert
action-retired = Eingestellt
action-deleted = Gelöscht
created-at = Angelegt
updated-at = zuletzt geändert

journey-title = Journey-Map
journey-count = { $shown } von { $total } Touchpoints auf der Karte
journey-all-channels = Auch Kanäle ohne Touchpoints zeigen
journey-importance-hint = Die Zahl auf jeder Karte ist die Wichtigkeit aus Kundensicht (Mittel aus Erlebnis, Bindung und Empfehlung, 1–5).
journey-empty = Die Karte ist leer: Erfassen Sie Touchpoints im Inventar.

catalog-title = Kanäle & Phasen
catalog-intro = Die Listen, nach denen Touchpoints eingeordnet werden. Ein Eintrag mit vorhandenem Schlüssel wird aktualisiert; ein Eintrag, den noch Touchpoints nutzen, kann nicht gelöscht werden.
catalog-channels = Kanäle
catalog-phases = Phasen der Customer Journey
catalog-add-channel = Kanal anlegen oder ändern
catalog-add-phase = Phase anlegen oder ändern

api-title = API-Dokumentation
api-document = OpenAPI-Dokument:
api-parameter = Parameter
api-in = Ort
api-type = Typ
api-description = Beschreibung
api-body = Anfrageinhalt
api-schemas = Datentypen
api-field = Feld

error-not-found = Nicht gefunden
error-conflict = Das geht so nicht
error-internal = Interner Fehler – Details stehen im Server-Log
back-to-inventory = Zurück zum Inventar

problem-required = Bitte ausfüllen.
problem-too-long = Höchstens { $max } Zeichen.
problem-too-short = Mindestens { $min } Zeichen.
problem-rule-password-is-username = Das Passwort darf nicht der Benutzername sein.
problem-rule-username-characters = Mindestens 2 Zeichen: Buchstaben, Ziffern, „.“, „_“, „-“ oder „@“.
problem-rule-last-admin = Das letzte aktive Administrationskonto muss aktiv und Admin bleiben.
problem-too-many = Höchstens { $max } Einträge.
problem-out-of-range = Bitte einen Wert von { $min } bis { $max } wählen.
problem-unknown = Unbekannter Wert „{ $value }“.
problem-duplicate = „{ $value }“ gibt es schon.
problem-in-use = Wird noch von { $count } Touchpoint(s) verwendet.
problem-invalid = Ungültig: { $reason }

nav-admin = Verwaltung
logout = Abmelden
role-viewer = Lesen
role-agent = Service
role-manager = Management
role-admin = Administration
error-forbidden = Dafür fehlt Ihnen die Berechtigung.
login-title = Anmelden
login-submit = Anmelden
login-failed = Benutzername oder Passwort ist falsch.
login-throttled = Zu viele Anmeldeversuche für dieses Konto. Bitte warten Sie eine Minute.
login-link-invalid = Dieser Anmeldelink ist abgelaufen oder wurde schon benutzt.
field-username = Benutzername
field-display-name = Anzeigename
field-password = Passwort
field-password-repeat = Passwort wiederholen
hint-password = Mindestens 12 Zeichen; ein Satz aus mehreren Wörtern ist leicht zu merken und schwer zu erraten.
setup-title = Ersteinrichtung
setup-intro = Legen Sie das erste Administrationskonto an. Weitere Konten legen Sie danach unter „Verwaltung“ an.
setup-needs-token = Es gibt noch kein Konto. Öffnen Sie den Einrichtungslink, den der Server beim Start in seiner Konsole ausgibt, oder legen Sie das erste Konto auf der Kommandozeile an:
setup-submit = Konto anlegen und anmelden

admin-users = Benutzer
admin-tokens = API-Tokens
admin-audit = Audit-Log
field-role = Rolle
users-intro = Konten der Mitarbeitenden: wer sich anmelden darf und mit welcher Rolle. Deaktivierte Konten können sich nicht anmelden; ihre Sitzungen enden sofort.
users-state = Status
users-active = Aktiv
users-disabled = Deaktiviert
users-created = Angelegt am
users-you = (Sie)
users-role-of = Rolle von { $username }
users-change-role = Rolle ändern
users-disable = Deaktivieren
users-enable = Aktivieren
users-new-password-for = Neues Passwort für { $username }
users-set-password = Neues Passwort setzen
users-password-hint = Ein neues Passwort beendet alle Sitzungen des Kontos. Mindestens 12 Zeichen.
users-row-problem = Die Änderung am Konto „{ $username }“ war nicht möglich; den Grund finden Sie in der Tabelle.
users-create = Konto anlegen
users-username-hint = 2 bis 64 Zeichen: Buchstaben, Ziffern, „.“, „_“, „-“ und „@“ – eine E-Mail-Adresse geht auch.
scope-read = Nur lesen
scope-write = Lesen und schreiben
tokens-intro = API-Tokens erlauben anderen Programmen den Zugriff auf die API. Ein Token handelt nie mit mehr Rechten als seine Berechtigung vorsieht, auch nicht mit denen der Person, die es erzeugt hat.
tokens-scope = Berechtigung
tokens-created-by = Erzeugt von
tokens-created = Erzeugt am
tokens-last-used = Zuletzt benutzt
tokens-revoked = Widerrufen am
tokens-never = nie
tokens-revoke = Widerrufen
tokens-revoke-named = Token „{ $name }“ widerrufen
tokens-empty = Es gibt noch keine API-Tokens.
tokens-create = Token erzeugen
tokens-name-hint = Wofür das Token gedacht ist, z. B. der Name der anbindenden Anwendung.
tokens-created-title = Neues Token „{ $name }“
tokens-shown-once = Kopieren Sie das Token jetzt: Es wird nicht noch einmal angezeigt.
tokens-usage = Das Programm sendet es bei jeder Anfrage an die API in diesem Header:
audit-intro = Wer hat wann was geändert – für jede Änderung über Web-Oberfläche, API und Kommandozeile, dazu Anmeldungen und fehlgeschlagene Anmeldeversuche.
audit-at = Zeitpunkt
audit-actor = Ausgeführt von
audit-action = Aktion
audit-action-hint = Genau, z. B. „user.create“, oder ein Präfix mit Punkt, z. B. „user.“.
audit-entity = Objektart
audit-entity-id = Objekt
audit-summary = Details
audit-from = Von
audit-until = Bis einschließlich
audit-date-hint = Datum als JJJJ-MM-TT, in UTC.
audit-date-invalid = Bitte ein gültiges Datum im Format JJJJ-MM-TT angeben.
audit-until-before-from = Das Ende liegt vor dem Anfang.
audit-count = { $count ->
    [one] Ein Eintrag
   *[other] { $count } Einträge, neueste zuerst
}
audit-limited = Gezeigt werden nur die neuesten { $max } Einträge. Grenzen Sie den Filter ein oder laden Sie die CSV-Datei herunter.
audit-empty = Keine Einträge passen zu diesem Filter.
audit-csv = Als CSV herunterladen

nav-consistency = Konsistenz
consistency-findings = Befunde
consistency-guideline = Kommunikationsleitfaden
consistency-content = Inhalte
consistency-run = Jetzt prüfen
consistency-intro = Der Leitfaden nennt { $facts } Fakten; geprüft werden { $contents } Inhalte aller Kanäle auf Widersprüche zum Leitfaden, Widersprüche untereinander und die Tonalität.
consistency-open = { $count ->
    [one] Ein offener Befund.
   *[other] { $count } offene Befunde.
}
consistency-none = Noch keine Befunde. Legen Sie Leitfaden und Inhalte an und starten Sie die Prüfung.
finding-contradicts_guideline = Widerspricht dem Leitfaden
finding-contradicts_channel = Widerspruch zwischen Kanälen
finding-wrong_address = Falsche Anrede
finding-forbidden_term = Verbotener Begriff
finding-missing_term = Pflichtbegriff fehlt
weaknesses-title = Dokumentierte Schwachstellen
weaknesses-all = Alle Befunde der Konsistenzprüfung
finding-violates_standard = Verstoß gegen einen Standard
finding-msg-standard = Verstoß gegen den Standard „{ $title }“.
finding-gone = (bei der letzten Prüfung nicht mehr gefunden)
finding-line = Zeile { $line }
finding-fix = Vorschlag:
finding-status-open = Offen
finding-status-accepted = Akzeptiert
finding-status-fixed = Behoben
guideline-intro = Die Fakten, die jeder Kanal gleich nennen muss, und wie wir sprechen. Der Leitfaden lässt sich auch als Datei (YAML oder JSON) im eigenen Repository pflegen und mit „touchpoints check“ prüfen.
guideline-fact = Fakt
guideline-value = Verbindlicher Wert
guideline-keywords = Erkannt an
guideline-address = Anrede
guideline-address-formal = Sie
guideline-address-informal = Du
guideline-forbidden = Verbotene Begriffe
guideline-required = Pflichtbegriffe
guideline-edit = Leitfaden bearbeiten
guideline-document = Leitfaden (YAML)
guideline-document-hint = Je Fakt: key, label, kind (duration, price, phone, email, url, hours, date, percentage), value, keywords; dazu tone mit address (sie oder du), forbidden und required.
guideline-not-saved = Der Leitfaden wurde nicht gespeichert:
content-new = Neuer Inhalt
content-intro = Die veröffentlichten Texte der Kanäle – FAQ, Newsletter, Chatbot-Antworten –, die die Prüfung liest.
content-title = Titel
content-touchpoint = Touchpoint
content-url = Adresse (URL)
content-language = Sprache
content-body = Text
content-valid-from = Veröffentlicht ab
content-valid-until = Veröffentlicht bis
content-date-hint = JJJJ-MM-TT; leer lassen, wenn unbefristet. Geprüft werden nur veröffentlichte Texte.
content-empty = Noch keine Inhalte erfasst.
finding-msg-guideline = { $label }: „{ $written }“ widerspricht dem Leitfaden ({ $expected }).
finding-msg-channel = { $label }: Die Kanäle nennen verschiedene Werte.
finding-msg-address = „{ $word }“ spricht die Leser anders an, als der Leitfaden sagt ({ $expected }).
finding-msg-forbidden = Der Leitfaden verbietet „{ $term }“.
finding-msg-missing = Der Leitfaden verlangt „{ $term }“.
finding-fix-write = „{ $value }“ schreiben.
finding-fix-everywhere = Überall „{ $value }“ schreiben.
finding-fix-decide = Im Leitfaden einen verbindlichen Wert für „{ $label }“ festlegen.
finding-fix-address = Die Leser mit „{ $expected }“ ansprechen.
finding-fix-instead = Stattdessen „{ $instead }“ schreiben.
finding-fix-remove = „{ $term }“ streichen.
finding-fix-add = „{ $term }“ ergänzen.
nav-standards = Standards
standards-title = Servicestandards
standards-intro = Was jeder Touchpoint mindestens verspricht: Do’s und Don’ts, verbindlich oder empfohlen. Messbare Standards werden automatisch an den erfassten Kundenanfragen geprüft.
standards-days = Zeitraum
standards-days-option = letzte { $days } Tage
standards-show = Anzeigen
standards-summary = { $count ->
    [one] Ein Standard
   *[other] { $count } Standards
  }, geprüft an { $interactions ->
    [one] einer Anfrage
   *[other] { $interactions } Anfragen
  } der letzten { $days } Tage.
standards-everywhere = Überall
standards-scope-touchpoint = Touchpoint
standards-scope-channel = Kanal
standards-scope-hint = Einen Touchpoint oder einen Kanal wählen; ohne beides gilt der Standard überall.
standards-mandatory = Verbindlich
standards-recommended = Empfehlung
standards-measure = Messung
standards-compliance = { $percent } % eingehalten ({ $met } von { $judged })
standards-open = { $count } noch offen
standards-not-judged = Noch keine Anfrage beurteilt
standards-violations = { $count ->
    [one] Ein Verstoß
   *[other] { $count } Verstöße
  }
standards-empty = Noch keine Standards festgelegt.
standards-new = Neuer Standard
standards-field-title = Titel
standards-field-text = Do oder Don’t in Worten
standards-field-hours = Stunden (für Fristen)
standards-field-phrases = Formulierungen (eine je Zeile)
measure-none = Nicht messbar
measure-first_response_within = Erste Antwort innerhalb einer Frist
measure-resolved_within = Gelöst innerhalb einer Frist
measure-addressed_by_name = Kunde mit Namen angesprochen
measure-phrases_absent = Verbotene Formulierungen fehlen
measure-phrases_present = Pflichtformulierungen enthalten
measure-first_response_within-text = erste Antwort innerhalb von { $hours } Stunden
measure-resolved_within-text = gelöst innerhalb von { $hours } Stunden
measure-addressed_by_name-text = die Antwort spricht den Kunden mit Namen an
measure-phrases_absent-text = die Antwort enthält nicht { $phrases }
measure-phrases_present-text = die Antwort enthält { $phrases }
violation-first-response-late = Erste Antwort nach { $took } Stunden, Ziel { $hours } Stunden
violation-first-response-missing = Keine Antwort innerhalb von { $hours } Stunden
violation-resolved-late = Gelöst nach { $took } Stunden, Ziel { $hours } Stunden
violation-resolved-missing = Nicht gelöst innerhalb von { $hours } Stunden
violation-name = Die Antwort spricht { $name } nicht mit Namen an
violation-phrase-found = Die Antwort enthält „{ $phrase }“
violation-phrase-missing = Der Antwort fehlt „{ $phrase }“
interaction-received = Eingegangen
interaction-customer = Kunde
interaction-where = Touchpoint
interaction-reason = Verstoß
interaction-reply = Antwort
stories-title = Geschichten
stories-intro = Erlebnisse von den Touchpoints als gutes oder schlechtes Beispiel – mit dem Standard, den sie zeigen.
stories-empty = Noch keine Geschichten erfasst.
stories-new = Neue Geschichte
stories-field-text = Was ist passiert?
stories-field-example = Beispiel
stories-field-standard = Zeigt den Standard
story-example-good = Gutes Beispiel
story-example-bad = Schlechtes Beispiel
story-illustrates = Standard: { $standard }
digest-title = Meeting-Digest
digest-week = Woche mit dem Tag
digest-summary = { $stories ->
    [one] Eine neue Geschichte
   *[other] { $stories } neue Geschichten
  } und { $violations ->
    [one] ein Verstoß
   *[other] { $violations } Verstöße
  } bei { $interactions ->
    [one] einer Anfrage
   *[other] { $interactions } Anfragen
  }.
digest-print = Die Seite lässt sich direkt drucken (Strg+P); Navigation und Formulare bleiben dabei weg.
digest-no-team = Ohne Team
digest-stories = { $count ->
    [one] Neue Geschichte
   *[other] { $count } neue Geschichten
  }
digest-violations = { $count ->
    [one] Ein Verstoß gegen Standards
   *[other] { $count } Verstöße gegen Standards
  }
digest-standard = Standard
digest-empty = In dieser Woche gab es keine neuen Geschichten und keine Verstöße.
problem-rule-one-scope = Bitte entweder einen Touchpoint oder einen Kanal wählen, nicht beides.
problem-rule-phrases-needed = Bitte mindestens eine Formulierung angeben.
problem-rule-not-a-date = Bitte ein Datum im Format JJJJ-MM-TT angeben.

## Die Warteschlange
nav-queue = Anfragen
queue-title = Anfragen
queue-views = Ansichten der Anfragen
queue-view-mine = Meine
queue-view-team = Team
queue-view-all = Alle
queue-view-at-risk = Gefährdet
queue-view-breached = Überfällig
queue-any = alle
queue-touchpoint = Touchpoint
queue-status = Status
queue-status-active = offen und wartend
queue-filter = Anzeigen
queue-at-risk-hint = Anfragen, deren nächstes Ziel in den nächsten { $minutes } Minuten fällig ist.
queue-score = Priorität
queue-subject = Anfrage
queue-customer = Kunde
queue-assignee = Zugewiesen an
queue-empty = Hier sind keine Anfragen.
queue-risk-at-risk = gefährdet
queue-risk-breached = überfällig
request-status-open = offen
request-status-waiting = wartet auf Kunden
request-status-resolved = erledigt
request-no-subject = (ohne Betreff)
request-received = Eingegangen
request-priority = Priorität
request-first-response-due = Erste Antwort fällig
request-first-response = Erste Antwort
request-resolution-due = Lösung fällig
request-score = Prioritätswert { $score }
request-work = Bearbeiten
request-assign-me = Mir zuweisen
request-assign-to = Zuweisen an
request-unassigned = niemand (Team)
request-assign = Zuweisen
request-wait = Auf Kunden warten
request-resume = Kunde hat geantwortet
request-resolve = Erledigen
request-reopen = Wieder öffnen
request-set-priority = Priorität setzen
request-reply-text = Antwort oder Notiz
request-reply = Antwort senden
request-note = Notiz hinzufügen
priority-low = niedrig
priority-normal = normal
priority-high = hoch
priority-urgent = dringend
step-assign = Zugewiesen
step-reply = Antwort
step-note = Notiz
step-wait = Wartet auf Kunden
step-resume = Kunde hat geantwortet
step-resolve = Erledigt
step-reopen = Wieder geöffnet
step-set_priority = Priorität geändert
customer-unnamed = Kunde ohne Namen
customer-salutation = Anrede
customer-language = Sprache
customer-preferred-channel = Bevorzugter Kanal
customer-segments = Segmente
customer-lifetime-value = Kundenwert
customer-consent = Einwilligungen
consent-email_marketing = E-Mail-Werbung
consent-phone_marketing = Telefonwerbung
consent-personalisation = Personalisierung
identifier-email = E-Mail
identifier-phone = Telefon
identifier-customer_number = Kundennummer
identifier-device = Gerät
identifier-social = Social Media
customer-history = Anfragen über alle Kanäle
customer-no-requests = Noch keine Anfragen.
customer-merged-into = Dieses Profil wurde zusammengeführt mit
customer-merges = Zusammenführungen
customer-no-merges = Nie zusammengeführt.
merge-when = Wann
merge-what = Profile
merge-reason = Anlass
merge-status = Stand
merge-undone = rückgängig gemacht von { $who }
merge-undo = Zusammenführung aufheben
merge-active = wirksam
queue-stats-title = Antwortzeiten
stats-requests = Anfragen
stats-responded = Beantwortet
stats-median = Median (Min.)
stats-p90 = 90 % innerhalb (Min.)
stats-first-response = Erste Antwort pünktlich
stats-resolution = Pünktlich gelöst
stats-breached = Ziele verfehlt
stats-overall = Alle Anfragen
stats-all = Alle
stats-by-channel = Nach Kanal
stats-by-touchpoint = Nach Touchpoint
stats-hint = Minuten vom Eingang bis zur ersten Antwort, in verstrichener Zeit; die Ziele zählen in den Geschäftszeiten des Kalenders oder rund um die Uhr, wie jede Vorgabe sagt.
queue-rules-title = Ziele & Prioritäten
sla-policies = Antwortzeit-Ziele (SLA)
sla-first-response = Erste Antwort
sla-resolution = Lösung
sla-hours = Gezählt
sla-business-hours = in Geschäftszeiten
sla-none = Noch keine Ziele: Anfragen haben keine Fälligkeit.
sla-first-response-minutes = Erste Antwort innerhalb (Minuten)
sla-resolution-minutes = Lösung innerhalb (Minuten)
sla-around-the-clock = Rund um die Uhr (24/7) gezählt statt in Geschäftszeiten
queue-options = Warteschlange
queue-at-risk-minutes = Gefährdet, wenn fällig innerhalb (Minuten)
priority-weights = Gewichte der Priorität
priority-weights-json = Gewichte (JSON)
calendar-title = Geschäftskalender
calendar-time-zone = Zeitzone
calendar-hours-hint = Öffnungszeiten wie „08:00-12:00, 13:00-17:00“; leer heißt geschlossen.
calendar-public-holidays = Gesetzliche Feiertage
calendar-public-holidays-hint = „DE“ für bundesweite Feiertage, ein Land wie „DE-NW“, leer für keine.
calendar-custom-holidays = Eigene Schließtage
calendar-custom-holidays-hint = Daten wie 2026-12-24, durch Kommas getrennt.
weekday-monday = Montag
weekday-tuesday = Dienstag
weekday-wednesday = Mittwoch
weekday-thursday = Donnerstag
weekday-friday = Freitag
weekday-saturday = Samstag
weekday-sunday = Sonntag

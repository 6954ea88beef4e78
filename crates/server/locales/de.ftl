nav-label = Hauptnavigation
nav-menu = Menü
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
error-csrf = Das Formular ist veraltet oder kam von einer anderen Website. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.
error-too-many = Zu viele Anfragen. Bitte warten Sie eine Minute und versuchen Sie es dann noch einmal.
error-too-large = Die gesendeten Daten sind größer, als der Server annimmt.
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
admin-mail = E-Mail
admin-organisation = Unternehmen
organisation-lead = Name und Logo Ihres Unternehmens erscheinen auf den Seiten, die Ihre Kundinnen und Kunden sehen (den Umfragen), und bei der Anmeldung.
organisation-company-name = Name des Unternehmens
organisation-company-name-hint = Zum Beispiel „Nordlicht Wohnen GmbH“. Leer lassen, um keinen Namen zu zeigen.
organisation-logo = Logo
organisation-logo-hint = PNG, JPEG oder WebP, höchstens { $kb } KB; es wird 48 Pixel hoch gezeigt. Ohne neue Datei bleibt das bisherige Logo.
organisation-current-logo = Das bisherige Logo
organisation-remove-logo = Logo entfernen
organisation-saved = Gespeichert. Die Seiten zeigen es nach wenigen Sekunden.
problem-rule-logo-format = Bitte eine PNG-, JPEG- oder WebP-Datei wählen.
problem-rule-logo-too-large = Die Datei ist zu groß (höchstens 256 KB).
mail-lead = Über diesen Mailserver gehen Antworten auf E-Mail-Anfragen an die Kundinnen und Kunden: jede Antwort wird mit ihrem Schritt gespeichert und dann versendet, bei Fehlern erneut versucht, und die Anfrage zeigt, ob sie angekommen ist.
mail-not-configured = Noch kein Mailserver eingerichtet: Antworten werden gespeichert, aber nicht versendet. Sie stehen unten im Postausgang als „nicht versendet“.
mail-saved = Gespeichert. Fällige Mails gehen ab jetzt über diesen Server.
mail-server = Mailserver (SMTP)
mail-host = Host
mail-host-hint = z. B. smtp.example.de
mail-port = Port
mail-security = Verschlüsselung
mail-security-starttls = STARTTLS (Port 587)
mail-security-tls = TLS (Port 465)
mail-security-none = Keine (nur für ein Relay im eigenen Netz, ohne Anmeldung)
mail-username = Benutzer
mail-username-hint = Leer lassen, wenn der Server keine Anmeldung verlangt.
mail-password-set = Passwort: aus der Umgebungsvariablen TOUCHPOINTS_SMTP_PASSWORD des Servers.
mail-password-unset = Passwort: keins. Verlangt der Server eine Anmeldung, starten Sie Touchpoints mit der Umgebungsvariablen TOUCHPOINTS_SMTP_PASSWORD; gespeichert wird es nie.
mail-sender = Absender
mail-from-address = Absenderadresse
mail-from-name = Absendername
mail-from-name-hint = z. B. „Nordlicht Kundenservice“; steht auch unter jeder Antwort.
mail-surveys = Umfrage nach erledigter Anfrage
mail-surveys-on = Nach dem Erledigen einer Anfrage die Umfrage ihres Touchpoints per E-Mail senden
mail-surveys-hint = Nur an Kundinnen und Kunden mit E-Mail-Adresse und Einwilligung in E-Mails (Marketing), höchstens einmal im gewählten Abstand; der Link nennt die Anfrage, so zählt die Antwort für Anfrage, Kanal und Bearbeiter.
mail-surveys-interval = Höchstens eine Umfrage je Kunde in (Tagen)
mail-public-url = Öffentliche Adresse von Touchpoints
mail-public-url-hint = z. B. https://service.example.de – unter dieser Adresse öffnen Kunden die Umfrage.
mail-test = Testmail
mail-test-to = Empfänger
mail-test-send = Testmail senden
mail-test-sent = Der Mailserver hat die Testmail an { $recipient } angenommen.
mail-test-failed = Die Testmail an { $recipient } wurde nicht angenommen:
mail-outbox = Postausgang
mail-outbox-hint = Die neuesten 50 Mails an Kundinnen und Kunden.
mail-outbox-empty = Noch keine Mails.
mail-retry = Erneut senden
mail-created = Geschrieben
mail-recipient = Empfänger
mail-subject = Betreff
mail-status = Stand
mail-request = Anfrage
mail-status-queued = in der Warteschlange
mail-status-sending = wird gesendet
mail-status-sent = gesendet
mail-status-failed = nicht gesendet
mail-status-held = nicht versendet (kein Mailserver)
mail-error-no-server = Es war kein Mailserver eingerichtet
mail-error-no-address = Die Kundin oder der Kunde hat keine E-Mail-Adresse
mail-to = E-Mail an { $recipient }
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
scope-metrics = Nur Metriken (/metrics)
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
consistency-intro = Der Leitfaden nennt { $facts } Fakten; geprüft werden { $contents } Inhalte aller Kanäle auf Widersprüche zum Leitfaden, Widersprüche untereinander, die Tonalität und unbekannte Kontakte.
consistency-open = { $count ->
    [one] Ein offener Befund.
   *[other] { $count } offene Befunde.
}
consistency-none = Noch keine Befunde. Legen Sie Leitfaden und Inhalte an und starten Sie die Prüfung.
consistency-gone = { $count ->
    [one] Ein früherer Befund wird nicht mehr gefunden: im Text behoben oder der Text entfernt.
   *[other] { $count } frühere Befunde werden nicht mehr gefunden: in den Texten behoben oder die Texte entfernt.
}
consistency-gone-show = Auch diese zeigen
consistency-gone-hide = Nur die aktuellen Befunde zeigen
finding-contradicts_guideline = Widerspricht dem Leitfaden
finding-contradicts_channel = Widerspruch zwischen Kanälen
finding-wrong_address = Falsche Anrede
finding-forbidden_term = Verbotener Begriff
finding-missing_term = Pflichtbegriff fehlt
weaknesses-title = Dokumentierte Schwachstellen
weaknesses-all = Alle Befunde der Konsistenzprüfung
finding-violates_standard = Verstoß gegen einen Standard
finding-unknown_contact = Unbekannter Kontakt
finding-msg-standard = Verstoß gegen den Standard „{ $title }“.
finding-gone = (bei der letzten Prüfung nicht mehr gefunden)
finding-line = Zeile { $line }
finding-fix = Vorschlag:
finding-unlisted = { $count ->
    [one] Ein weiterer Befund dieser Art ist nicht aufgeführt; er erscheint, sobald die aufgeführten behoben sind und erneut geprüft wird.
   *[other] { $count } weitere Befunde dieser Art sind nicht aufgeführt; sie erscheinen, sobald die aufgeführten behoben sind und erneut geprüft wird.
}
finding-unlisted-places = { $count ->
    [one] Eine weitere Stelle ist nicht aufgeführt.
   *[other] { $count } weitere Stellen sind nicht aufgeführt.
}
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
guideline-allowed-contacts = Weitere erlaubte Kontakte
guideline-edit = Leitfaden bearbeiten
guideline-document = Leitfaden (YAML)
guideline-document-hint = Je Fakt: key, label, kind (duration, price, phone, email, url, hours, date, percentage), value, keywords; dazu tone mit address (sie oder du), forbidden und required, und allowed_contacts: weitere Telefonnummern, E-Mail- und Webadressen, die Texte nennen dürfen (eine Webadresse schließt die Seiten darunter ein).
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
finding-msg-unknown-phone = Unbekannte Telefonnummer? „{ $written }“ steht weder im Leitfaden noch unter den erlaubten Kontakten.
finding-msg-unknown-email = Unbekannte E-Mail-Adresse? „{ $written }“ steht weder im Leitfaden noch unter den erlaubten Kontakten.
finding-msg-unknown-url = Unbekannte Webadresse? „{ $written }“ steht weder im Leitfaden noch unter den erlaubten Kontakten.
finding-fix-unknown-use = „{ $value }“ ({ $label }) aus dem Leitfaden schreiben oder „{ $written }“ unter allowed_contacts in den Leitfaden aufnehmen.
finding-fix-unknown-allow = „{ $written }“ streichen oder unter allowed_contacts in den Leitfaden aufnehmen.
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
problem-rule-until-before-from = Das Ende muss nach dem Anfang liegen.
nav-dashboard = Dashboard
nav-surveys = Umfragen
yes = ja
metric-nps = NPS
metric-csat = CSAT
metric-ces = CES
metric-retention = Kundenbindung
metric-churn = Abwanderung
metric-revenue_growth = Umsatzwachstum
dashboard-customers-n = Kunden am Anfang
dashboard-exact = vollständig gezählt, ohne Stichprobenschwankung
dashboard-customers-no-comparison = Kein Vergleich: Dem Zeitraum davor fehlen Kunden oder Umsatz.
granularity-day = Tag
granularity-week = Woche
granularity-month = Monat
granularity-quarter = Quartal
granularity-year = Jahr
dimension-touchpoint = Touchpoint
dimension-channel = Kanal
dimension-phase = Phase
dimension-target_group = Zielgruppe
dimension-region = Region
field-touchpoint = Touchpoint
field-metric = Kennzahl
field-languages = Sprachen
field-active = Aktiv
field-answers = Antworten
field-public-link = Öffentlicher Link
field-question-de = Frage (Deutsch)
field-question-en = Frage (Englisch)
field-follow-up-de = Folgefrage (Deutsch)
field-follow-up-en = Folgefrage (Englisch)
surveys-title = Umfragen
surveys-hint = Jede Umfrage hat eine kurze öffentliche Adresse für Links, E-Mails, Belege und QR-Codes. Ein persönlicher Link ordnet Antworten einer Kundenreferenz und einem Kanal zu; das tun nur die hier erstellten, signierten Links.
surveys-empty = Noch keine Umfragen.
survey-new = Neue Umfrage
survey-new-title = Neue Umfrage
survey-edit-title = Umfrage
survey-inactive = geschlossen
survey-short-hint = Kurzform für Druck und QR-Codes
survey-section-where = Wo und was gemessen wird
survey-section-questions = Fragen
survey-questions-hint = Eine leere Frage erhält den im Feld gezeigten Standardwortlaut. Eine leere Folgefrage bedeutet: keine.
survey-channel-of-touchpoint = Kanal des Touchpoints
survey-active-label = Nimmt Antworten an
survey-delete = Umfrage löschen
survey-delete-hint = Ihre Antworten bleiben erhalten.
survey-optional = freiwillig
survey-send = Absenden
survey-link-invalid = Dieser Link ist unvollständig.
survey-link-unsigned = Die persönlichen Angaben dieses Links lassen sich nicht prüfen. Ihre Antwort ist trotzdem willkommen und wird ohne sie gespeichert.
survey-personal-link = Persönlicher Link
survey-personal-link-new = Persönlichen Link erstellen
survey-personal-link-hint = Für eine Kundin oder einen Kunden, etwa in einer E-Mail: Antworten über diesen Link werden der Kundenreferenz und dem Kanal zugeordnet. Nur hier erstellte Links ordnen zu; wer die Angaben in einem Link ändert, antwortet ohne Zuordnung.
survey-personal-link-make = Link erstellen
survey-personal-link-open = Link öffnen
survey-channel-of-survey = Kanal der Umfrage
field-customer-ref = Kundenreferenz
survey-thanks-title = Vielen Dank!
survey-thanks-text = Ihre Antwort ist angekommen. Sie hilft uns, besser zu werden.
survey-answered-text = Diese Umfrage zu Ihrer Anfrage haben Sie schon beantwortet. Danke!
survey-closed-title = Diese Umfrage ist beendet
survey-closed-text = Sie nimmt keine Antworten mehr an. Danke für Ihr Interesse.
survey-full-title = Heute keine weiteren Antworten
survey-full-text = Diese Umfrage hat für heute so viele Antworten erhalten, wie sie annimmt. Ihre Antwort wurde nicht gespeichert; bitte versuchen Sie es morgen noch einmal.
survey-missing-title = Umfrage nicht gefunden
survey-missing-text = Bitte prüfen Sie die Adresse.
dashboard-title = Dashboard
dashboard-from = Von
dashboard-until = Bis (ausschließlich)
dashboard-granularity = Zeiträume
dashboard-by = Aufschlüsseln nach
dashboard-window = { $period }, verglichen mit { $previous }.
dashboard-tiles = Kennzahlen
dashboard-few = wenige Antworten
dashboard-interval-hint = ± ist die halbe Breite des 95-%-Intervalls: Bei so vielen Antworten liegt der wahre Wert mit 95 % Sicherheit in diesem Bereich.
dashboard-vs-previous = gegenüber { $value } davor
dashboard-significant = größer als die zufällige Schwankung
dashboard-not-significant = innerhalb der zufälligen Schwankung
dashboard-no-comparison = Kein Vergleich: Ein Zeitraum hat keine Antworten.
dashboard-trend = { $metric } im Zeitverlauf
dashboard-as-table = Als Tabelle
dashboard-period = Zeitraum
dashboard-value = Wert
dashboard-interval = 95-%-Intervall
dashboard-previous = Davor
dashboard-change = Veränderung
dashboard-breakdown = Nach { $by }
dashboard-no-answers = Keine Antworten in diesem Zeitraum.
dashboard-no-answers-short = keine Antworten
dashboard-agents = NPS und CSAT nach Mitarbeitenden und Teams
dashboard-agents-hint = Aus den Umfragen, die eine Anfrage nennen (verschickt, wenn eine Anfrage erledigt wird): gezählt bei der Person, der die Anfrage zugewiesen ist, und beim Team, das den Touchpoint der Antwort verantwortet. Werte aus weniger als { $min } Antworten sind als „wenige Antworten“ markiert: zu wenige, um eine Person oder ein Team danach zu beurteilen.
dashboard-agents-by-agent = Nach Mitarbeitenden
dashboard-agents-by-team = Nach Teams
dashboard-agents-agent = Zugewiesen an
dashboard-agents-team = Team
dashboard-agents-answers = Antworten
dashboard-agents-nobody = niemand (Team)
dashboard-agents-no-team = Ohne Team
dashboard-agents-empty = Keine Antworten zu Anfragen in diesem Zeitraum.
dashboard-map = Journey Map nach { $metric }
dashboard-map-hint = Rot ist niedrig, Grün hoch; Grau heißt: keine Antworten in diesem Zeitraum.
dashboard-matrix = Wichtigkeit und Leistung
dashboard-matrix-hint = Die Wichtigkeit stammt aus dem Inventar (1–5), die Leistung aus den Antworten. Die Linien liegen bei den Durchschnitten ({ $importance } und { $performance }).
dashboard-quadrant = Schlussfolgerung
quadrant-concentrate = Hier ansetzen
quadrant-keep-up = Weiter so
quadrant-low-priority = Geringe Priorität
quadrant-overkill = Möglicherweise zu viel Aufwand

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
queue-due = Fällig
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
reply-findings = { $count ->
    [one] Die Antwort verstößt gegen die Kommunikationsleitlinie oder einen Pflicht-Standard:
   *[other] Die Antwort verstößt { $count }-mal gegen die Kommunikationsleitlinie oder Pflicht-Standards:
}
reply-findings-hint = Korrigieren Sie den Text und senden Sie ihn erneut – oder senden Sie ihn trotzdem; das wird im Audit-Log vermerkt.
reply-anyway = Trotzdem senden
request-greet = Anrede einfügen: „{ $greeting },“
step-customer = Kunde schreibt
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
stats-median = Median
stats-p90 = 90 % innerhalb
stats-first-response = Erste Antwort pünktlich
stats-resolution = Pünktlich gelöst
stats-breached = Ziele verfehlt
stats-overall = Alle Anfragen
stats-all = Alle
stats-by-channel = Nach Kanal
stats-by-touchpoint = Nach Touchpoint
stats-by-week = Verlauf nach Wochen
stats-by-week-hint = Woche für Woche (Montag bis Sonntag) nach Eingang der Anfragen; die Balken messen Median und p90 an der langsamsten Woche des Zeitraums.
stats-week = Woche ab
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
weights-lead = Jede Anfrage bekommt Punkte; die mit den meisten steht oben in der Warteschlange. Zahlen mit Komma oder Punkt; negative Punkte stellen zurück.
weights-time = Fälligkeit
weights-time-per-hour = Punkte je Stunde
weights-time-per-hour-hint = So viele Punkte gewinnt eine Anfrage je Stunde, die ihre Fälligkeit näher rückt, und weiter, wenn sie überfällig ist. 10 heißt: 25 Punkte wiegen 2,5 Stunden Wartezeit auf.
weights-horizon-hours = Ab Stunden vor Fälligkeit
weights-horizon-hours-hint = So viele Stunden vor der Fälligkeit ist der Zeitanteil null: früher ist er negativ, später positiv.
weights-customer = Kunde
weights-value = Punkte je 1.000 € Kundenwert
weights-value-hint = Für den bisherigen Umsatz mit dem Kunden (Kundenwert).
weights-value-cap = Höchstens aus dem Kundenwert
weights-value-cap-hint = Mehr Punkte gibt der Kundenwert nicht, wie hoch er auch ist.
weights-repeat = Punkte je früherem Kontakt
weights-repeat-hint = Für jede Anfrage desselben Kunden in den letzten sieben Tagen: wer wieder schreibt, wartet schon.
weights-repeat-cap = Höchstens gezählte Kontakte
weights-repeat-cap-hint = Eine ganze Zahl.
weights-text = Text der Anfrage
weights-urgent = Eilig
weights-urgent-hint = Wenn der Text zur Eile drängt („dringend“, „asap“), einmal je Anfrage.
weights-negative = Verärgert
weights-negative-hint = Wenn der Kunde verärgert oder enttäuscht ist oder mit Kündigung droht, einmal je Anfrage.
weights-segments = Kundensegmente
weights-segments-hint = Punkte je Segment des Kunden (zum Beispiel vip, premium); jedes Segment eines Kunden zählt. Eine leere Zeile fügt nichts hinzu; ein Segment ohne Punkte entfernen Sie, indem Sie beide Felder leeren.
weights-segment-key = Segment
weights-points = Punkte
weights-channels = Kanäle
weights-channels-hint = Punkte je Kanal, auf dem die Anfrage kam; 0 für keinen Unterschied.
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
nav-actions = Maßnahmenplan
plan-title = Maßnahmenplan
plan-new = Neue Maßnahme
plan-new-title = Neue Maßnahme
plan-edit-title = Maßnahme bearbeiten
plan-lead = Gereiht aus Kundensicht: gemessen an den Touchpoints der letzten { $days } Tage, abzüglich des Aufwands. Der Quick Win steht oben.
plan-counted = Kunden, Anfragen und Antworten gezählt:
plan-quick-win = Quick Win
plan-count = { $shown } von { $total } Maßnahmen
plan-none-match = Keine Maßnahme passt zum Filter.
plan-empty = Noch keine Maßnahmen geplant.
plan-rank = Rang
plan-score = Priorität
plan-points = Punkte
plan-impact = Wirkung
plan-effort-days = Aufwand in Personentagen
plan-rank-of = Rang { $rank } im Plan
plan-no-parts = Noch keine gemessene Schwäche an diesen Touchpoints und kein Aufwand: 0 Punkte.
plan-retire-warning = Noch in Nutzung
plan-confirm-retirement = Trotzdem streichen: Für { $customers } Kunden war es in den letzten 90 Tagen der einzige Touchpoint (wird im Audit-Log festgehalten).
plan-suggestions = Vorschläge
plan-suggestions-hint = Wichtige Touchpoints mit gemessenen Schwächen, die noch keine Maßnahme betrifft. Übernommen wird ein Vorschlag zur Idee, die Sie planen oder verwerfen.
plan-suggestion-accept = Als Idee übernehmen
problem-rule-no-suggestion = Für diesen Touchpoint gibt es keinen Vorschlag (mehr).
plan-settings = Gewichtung
plan-settings-title = Gewichtung des Maßnahmenplans
plan-settings-lead = Wie stark Zielgruppen und Regionen zählen, welche Werte die Kennzahlen erreichen sollen und wann eine Maßnahme als Quick Win gilt. Der Plan rechnet sofort damit.
plan-settings-quick-win = Quick-Win-Regel
plan-settings-max-days = Fertig in höchstens so vielen Tagen
plan-settings-max-effort = Aufwand höchstens (Personentage)
plan-settings-targets = Zielwerte der Kennzahlen
plan-settings-target_groups = Zielgruppen
plan-settings-regions = Regionen
plan-settings-weight-hint = Faktor von { $min } bis { $max }; leer heißt 1. Eine Maßnahme zählt die stärkste Gewichtung ihrer Touchpoints.
plan-settings-none-target_groups = Die Touchpoints nennen noch keine Zielgruppen.
plan-settings-none-regions = Die Touchpoints nennen noch keine Regionen.
problem-rule-retire-needs-confirmation = Für manche Kunden ist es der einzige Touchpoint: Streichen bitte ausdrücklich bestätigen.
plan-field-kind = Art
plan-field-title = Titel
plan-field-goal = Ziel in Worten
plan-field-status = Status
plan-field-touchpoints = Touchpoints
plan-field-findings = Behobene Schwächen (Befunde)
plan-finding = Befund { $id }
plan-field-owner = Verantwortlich
plan-field-team = Team
plan-field-person-days = Personentage
plan-field-start = Start
plan-field-due = Fällig am
plan-field-target = Messbares Ziel
plan-field-target-metric = Kennzahl
plan-field-target-value = Zielwert
plan-field-target-days = Innerhalb von Tagen
plan-no-target = Kein messbares Ziel
plan-no-owner = Niemand
plan-kind-optimise = Optimieren
plan-kind-launch = Neu einführen
plan-kind-retire = Streichen
plan-status-idea = Idee
plan-status-planned = Geplant
plan-status-in_progress = In Arbeit
plan-status-done = Erledigt
plan-status-dropped = Verworfen
plan-metric-nps = NPS (Punkte, mindestens)
plan-metric-csat = CSAT (%, mindestens)
plan-metric-ces = CES (Mittelwert, mindestens)
plan-metric-response_p90_hours = Antwortzeit p90 (Stunden, höchstens)
plan-metric-open_contradictions = Offene Widersprüche (höchstens)
plan-section-what = Maßnahme
plan-section-who = Verantwortung, Aufwand und Termine
plan-hint-touchpoints = Strg- oder Cmd-Taste gedrückt halten, um mehrere zu wählen. Optimieren und Streichen brauchen mindestens einen.
plan-hint-target = Zum Beispiel NPS mindestens 30 innerhalb von 60 Tagen nach dem Start.
plan-hint-budget = Je Quartal (wie 2027-Q1) geplant und ausgegeben, in Euro. Leere Zeilen werden nicht gespeichert.
plan-budget = Budget
plan-quarter = Quartal
plan-planned = Geplant
plan-spent = Ausgegeben
plan-planned-eur = Geplant (€)
plan-spent-eur = Ausgegeben (€)
plan-total = Summe
plan-no-budget = Kein Budget geplant.
plan-history = Statusverlauf
plan-new-status = Neuer Status
plan-note = Notiz
plan-change-status = Status ändern
plan-change = Änderung
plan-created-as = Angelegt als { $status }
plan-delete-confirm = Die Maßnahme wird mit Budget und Statusverlauf gelöscht; das Protokoll behält die Löschung.
problem-rule-action-needs-touchpoint = Optimieren und Streichen brauchen mindestens einen Touchpoint.
problem-rule-due-before-start = Die Fälligkeit liegt vor dem Start.
problem-rule-whole-number = Bitte eine ganze Zahl angeben.
problem-rule-unknown-touchpoint = Diesen Touchpoint gibt es nicht (mehr).
problem-rule-unknown-finding = Diesen Befund gibt es nicht (mehr).
problem-rule-not-an-owner = Verantwortlich sein kann nur ein aktives Konto im Service, Management oder der Verwaltung.
problem-rule-not-a-number = Bitte eine Zahl angeben.
problem-rule-not-a-web-origin = Bitte eine Website-Adresse wie https://shop.example angeben (Schema und Host, ohne Pfad).
problem-rule-not-a-quarter = Bitte ein Quartal wie 2027-Q1 angeben.
problem-rule-budget-range = Bitte einen Betrag von 0 bis 10.000.000.000 € angeben.
problem-rule-action-status = Eine erledigte oder verworfene Maßnahme kann nur wieder als geplant geöffnet werden.
plan-target-nps = NPS mindestens { $value } innerhalb von { $days ->
    [one] einem Tag
   *[other] { $days } Tagen
}
plan-target-csat = CSAT mindestens { $value } % innerhalb von { $days ->
    [one] einem Tag
   *[other] { $days } Tagen
}
plan-target-ces = CES mindestens { $value } innerhalb von { $days ->
    [one] einem Tag
   *[other] { $days } Tagen
}
plan-target-response_p90_hours = Antwortzeit (p90) höchstens { $value } h innerhalb von { $days ->
    [one] einem Tag
   *[other] { $days } Tagen
}
plan-target-open_contradictions = Höchstens { $value } offene Widersprüche innerhalb von { $days ->
    [one] einem Tag
   *[other] { $days } Tagen
}

plan-effect = Vorher / Nachher
plan-effect-windows = An den Touchpoints der Maßnahme: { $before } gegen { $after }.
plan-effect-running = Der Zeitraum danach läuft noch.
plan-effect-metric = Kennzahl
plan-effect-before = Vorher
plan-effect-after = Nachher
plan-effect-difference = Differenz
plan-effect-interval = 95-%-Intervall
plan-effect-p = p-Wert
plan-effect-verdict = Befund
plan-verdict-better = besser
plan-verdict-worse = schlechter
plan-verdict-no-change = keine erkennbare Änderung
plan-verdict-too-few = zu wenige Antworten
plan-effect-response = Antwortzeiten
plan-effect-median = Erste Antwort, Median
plan-effect-p90 = Erste Antwort, 90. Perzentil
plan-effect-compliance = Antwortziele eingehalten
plan-effect-explained = Je 30 Tage vor und ab dem Start. Ein Befund braucht mindestens 30 Antworten auf jeder Seite und p < 0,05; NPS: Differenz zweier unabhängiger NPS, CSAT: Zwei-Anteile-z-Test, CES: Welch-t-Test.
plan-effect-no-touchpoint = Die Maßnahme nennt keinen Touchpoint, an dem sich ihre Wirkung messen ließe.
plan-effect-no-start = Die Maßnahme hat kein Startdatum und war nie in Arbeit: Es gibt kein Vorher und Nachher.
plan-effect-not-started = Die Maßnahme hat noch nicht begonnen: Ein Nachher gibt es ab ihrem Start.

## The 30-day programme
nav-programme = 30-Tage-Programm
programme-title = 30-Tage-Programm
programme-lead = Der Weg zu besseren Touchpoints in fünf Phasen: Bestandsaufnahme, Kommunikationsleitfaden, Anfragenbearbeitung, Personalisierung und eine erste Erfolgsmessung. Was das Produkt aus seinen Daten weiß, hakt es selbst ab; den Rest haken Sie von Hand ab.
programme-ics = Kalender (.ics)
programme-none = Das Programm ist noch nicht gestartet.
programme-round = Runde { $round }
programme-dates = { $start } bis { $end }
programme-today = heute { $today }
programme-day = Tag { $day } von 30
programme-day-before = beginnt noch
programme-day-after = die 30 Tage sind vorbei: Ergebnisse prüfen und die Optimierung fortsetzen
programme-progress = { $done } von { $total } Aufgaben erledigt
programme-phase-progress = { $done } von { $total } erledigt
programme-phase-days = Tag { $first } bis { $last }
programme-phase-inventory = Bestandsaufnahme
programme-phase-guideline = Kommunikationsleitfaden
programme-phase-requests = Anfragenbearbeitung
programme-phase-personalisation = Personalisierung
programme-phase-measurement = Erfolgsmessung und Anpassung
programme-state-done = erledigt
programme-state-overdue = überfällig
programme-state-running = läuft
programme-state-upcoming = kommt noch
programme-state-open = offen
programme-task = Aufgabe
programme-owner = Verantwortlich
programme-due = Fällig
programme-due-day = Tag { $day }
programme-status = Stand
programme-measured = Fortschritt
programme-status-done = erledigt
programme-status-open = offen
programme-status-overdue = überfällig
programme-owner-cx-manager = CX-Management
programme-owner-marketing = Marketing
programme-owner-service = Kundenservice
programme-owner-management = Geschäftsleitung
programme-count = { $done } von { $total }
programme-from-data = aus den Daten
programme-by-hand = wird von Hand abgehakt
programme-tick = Als erledigt abhaken
programme-untick = Wieder öffnen
programme-ticked-by = Abgehakt von { $who }, { $at }
programme-carried = aus der letzten Runde übernommen
programme-start = Programm starten
programme-continue = Optimierung fortsetzen
programme-continue-hint = Eine neue Runde beginnt am gewählten Tag; was in dieser Runde nicht erledigt ist, wird übernommen.
programme-start-day = Erster Tag
programme-start-day-hint = Als JJJJ-MM-TT, etwa 2027-03-01.
programme-ical-name = 30-Tage-Programm, Runde { $round }
programme-ical-description = erledigen unter { $link }
programme-task-inventory-complete = Bestandsaufnahme vollständig
programme-task-inventory-complete-hint = Jeder aktive Touchpoint hat Verantwortliche, Phase und Wichtigkeit.
programme-task-weaknesses-documented = Schwachstellen dokumentiert
programme-task-weaknesses-documented-hint = Die Ist-Analyse hat Befunde festgehalten.
programme-task-guideline-published = Leitfaden veröffentlicht
programme-task-guideline-published-hint = Der Kommunikationsleitfaden nennt die verbindlichen Fakten.
programme-task-consistency-checked = Konsistenz geprüft
programme-task-consistency-checked-hint = Die Konsistenzprüfung lief seit dem Start des Programms.
programme-task-service-team = Serviceteam angelegt
programme-task-service-team-hint = Mindestens ein aktives Konto mit der Rolle Agent.
programme-task-response-targets = Antwortziele gesetzt
programme-task-response-targets-hint = Jeder Kanal, über den in den letzten 90 Tagen Anfragen kamen, hat ein Antwortzeitziel.
programme-task-crm-training = Team geschult
programme-task-crm-training-hint = Das Serviceteam arbeitet mit Warteschlange und Kundenprofilen.
programme-task-personal-templates = Persönliche Vorlagen im Einsatz
programme-task-personal-templates-hint = Nachrichten sprechen Kunden mit Namen und eigenen Daten an.
programme-task-personal-campaign = Personalisierte Kampagne gelaufen
programme-task-personal-campaign-hint = Eine Kampagne für ein Segment ist verschickt.
programme-task-measurement-running = Messung läuft
programme-task-measurement-running-hint = Eine aktive Umfrage hat Antworten aus den letzten 14 Tagen.
programme-task-review-done = Ergebnisse geprüft
programme-task-review-done-hint = Was wirkt schon, wo braucht es mehr? Danach anpassen und weitermachen.
problem-rule-programme-task-from-data = Diese Aufgabe liest das Produkt aus seinen Daten; sie lässt sich nicht von Hand abhaken.

# Auswertung, Budget und Import des Maßnahmenplans
review-title = Auswertung
review-lead = Jede Maßnahme in Arbeit oder erledigt: { $days } Tage vor ihrem Start gegen { $days } Tage ab dem Start, Stand { $today }; ob ihr Ziel erreicht ist und was anzupassen ist.
review-days = Tage je Zeitraum
review-count = { $total ->
    [one] Eine Maßnahme ausgewertet
   *[other] { $total } Maßnahmen ausgewertet
}, { $adjust } anzupassen.
review-deadline = fällig am { $day }
review-measured = gemessen
review-target-met = erreicht
review-target-missed = verfehlt
review-target-pending = noch nicht erreicht
review-target-unmeasured = noch nicht messbar
review-adjust = Was anzupassen ist
review-nothing-to-adjust = Nichts anzupassen.
review-empty = Noch keine Maßnahme ist in Arbeit oder erledigt.
review-explained = Je { $days } Tage vor und ab dem Start. Ein Befund braucht mindestens 30 Antworten auf jeder Seite und p < 0,05. Ein Ziel wird mit dem Wert ab dem Start verglichen: NPS, CSAT und CES erst ab 30 Antworten.
budget-title = Budget und Zeitplan
budget-lead = Geplant gegen ausgegeben, insgesamt und je Quartal, Touchpoint und Art der Maßnahme. Bei einer verworfenen Maßnahme zählt der Plan nicht mehr, das Ausgegebene schon.
budget-by-quarter = Nach Quartal
budget-by-touchpoint = Nach Touchpoint
budget-by-kind = Nach Art
budget-quarter = Quartal
budget-touchpoint = Touchpoint
budget-kind = Art
budget-left = Verbleibend
budget-share = Anteil ausgegeben
budget-actions = Maßnahmen
budget-no-touchpoint = Noch kein Touchpoint
budget-shared = Eine Maßnahme an mehreren Touchpoints teilt ihr Geld gleichmäßig auf sie auf, sodass die Touchpoints zusammen die Summe ergeben.
budget-timeline = Zeitplan
budget-no-dates = Noch keine Maßnahme hat einen Start- oder Fälligkeitstermin.
budget-undated = { $count ->
    [one] Eine Maßnahme ohne Start- und Fälligkeitstermin steht
   *[other] { $count } Maßnahmen ohne Start- und Fälligkeitstermin stehen
} nicht im Zeitplan.
import-title = Maßnahmen importieren
import-file = CSV- oder XLSX-Datei
import-hint = Mit den Spalten des Plan-Exports; kind und title sind Pflicht. Jede Zeile wird eine neue Maßnahme. Ist eine Zeile fehlerhaft, wird nichts importiert.
import-submit = Importieren
import-done = { $count ->
    [one] Eine Maßnahme importiert.
   *[other] { $count } Maßnahmen importiert.
}
import-no-file = Bitte eine Datei wählen.
import-refused = Nichts wurde importiert. { $count ->
    [one] Ein Problem in der Datei:
   *[other] { $count } Probleme in der Datei:
}
import-at-row-column = Zeile { $row }, Spalte { $column }
import-at-row = Zeile { $row }
import-at-column = Spalte { $column }
import-at-file = Die Datei
import-back = Zurück zum Maßnahmenplan
plan-import-unreadable = Das lässt sich nicht lesen.
problem-rule-import-owner-ambiguous = Mehrere Konten tragen diesen Namen: bitte den Benutzernamen angeben.
problem-rule-import-budgets = Bitte jedes Quartal wie 2027-Q1: 5000.00/1200.00 (geplant/ausgegeben in Euro) angeben, getrennt durch „;“.
problem-rule-import-euros = Bitte einen Betrag in Euro mit höchstens zwei Nachkommastellen angeben.
problem-rule-import-budget-total = Die Summe passt nicht zu den Quartalen in der Spalte budgets.
problem-rule-import-budget-quarter = Ein Budget braucht seine Quartale in der Spalte budgets oder einen Start- oder Fälligkeitstermin.
problem-rule-import-empty = Die Datei enthält keine Maßnahme: eine Kopfzeile und eine Zeile je Maßnahme.

# A survey's answers
survey-answers-title = Antworten: { $touchpoint }
survey-answers-link = Antworten lesen
survey-answers-from = Von
survey-answers-until = Bis
survey-distribution = Verteilung der Antworten
survey-distribution-count = Anzahl
survey-distribution-share = Anteil
survey-trend = Verlauf am Touchpoint „{ $touchpoint }“
survey-trend-hint = Monat für Monat, aus allen Antworten dieser Kennzahl am Touchpoint (auch aus anderen Umfragen und Importen).
survey-trend-month = Monat
survey-answers-list = Antworten
survey-answers-band = Bewertung
survey-band-all = alle
survey-band-low = niedrig ({ $range })
survey-band-middle = mittel ({ $range })
survey-band-high = hoch ({ $range })
survey-answers-which = Antworten
survey-answers-with-comment = mit Kommentar
survey-answers-every = alle
survey-answers-search = Text im Kommentar
survey-answers-when = Zeit
survey-answers-score = Wert
survey-answers-comment = Kommentar
survey-answers-customer = Kunde
survey-answers-count = { $count ->
    [one] Eine Antwort
   *[other] { $count } Antworten
}, die neuesten zuerst.
survey-answers-newest = Die neuesten { $count } Antworten; Filter grenzen weiter ein.
survey-answers-none = Keine Antworten für diese Auswahl.

# Message templates
problem-template = Zeile { $line }, Spalte { $column }: { $what }
template-fault-unknown-variable = unbekannte Variable „{ $detail }“
template-fault-unknown-filter = unbekannter Filter „{ $detail }“
template-fault-unknown-test = unbekannter Test „{ $detail }“
template-fault-syntax = Syntaxfehler ({ $detail })
template-fault-too-long = zu lang ({ $detail })
template-fault-too-much-work = zu viel Arbeit (eine Schleife ohne Ende?)
template-fault-render = lässt sich nicht ausfüllen ({ $detail })
templates-title = Vorlagen
templates-new = Neue Vorlage
templates-intro = Antwortvorlagen mit den Daten der Kundin oder des Kunden: Anrede, Name, Kundennummer, letzte Bestellung und mehr. Beim Speichern geprüft; in der Anfrage mit „Vorlage einfügen“ ausgefüllt.
templates-empty = Noch keine Vorlagen.
templates-name = Name
templates-language = Sprache
templates-subject = Betreff
templates-subject-hint = Leer lassen für Antworten: sie behalten den Betreff der Anfrage.
templates-body = Text
templates-variables = Kundendaten
templates-syntax-hint = Jinja-Schreibweise: {"{{ first_name }}"}, {"{% if segment == \"premium\" %}…{% endif %}"}, Ersatz für Fehlendes mit {"{{ first_name or \"…\" }}"}. Erlaubte Filter: upper, lower, title, capitalize, trim, default, first, last, join, length, replace, reverse, round, sort, int.
templates-preview = Vorschau
templates-preview-customer = Vorschau für Kundin/Kunde
templates-preview-customer-hint = Profilnummer mit # („#12“), E-Mail-Adresse, Telefon- oder Kundennummer oder Name; leer für nur die Vorschau ohne Kundendaten.
templates-preview-for = Für { $name }
templates-preview-unknown = Ohne Kundendaten (so sehen die Ersatztexte aus)
language-de = Deutsch
language-en = Englisch
template-var-greeting = Anrede nach Geschlecht, Name und Du/Sie der Richtlinie: „Sehr geehrte Frau Schulz“, „Guten Tag Alex Weber“, „Hallo Anna“
template-var-salutation = Anrede des Profils („Frau“, „Herr“)
template-var-name = voller Name
template-var-first_name = Vorname
template-var-last_name = Nachname
template-var-customer_number = Kundennummer
template-var-segment = erstes Segment
template-var-segments = alle Segmente (Liste)
template-var-language = Sprache (de, en)
template-var-lifetime_value = Kundenwert, als Betrag geschrieben
template-var-last_order_date = Tag der letzten Bestellung
template-var-last_order_amount = Betrag der letzten Bestellung
template-var-open_requests = Zahl der offenen Anfragen
template-var-touchpoint = Touchpoint der Anfrage
template-var-request_number = Nummer der Anfrage („#42“)
template-var-subject = Betreff der Anfrage
template-var-agent = Name der antwortenden Person
request-template = Vorlage
request-insert-template = Vorlage einfügen
personal-title = Personalisierung
personal-intro = Antworten aus der Queue im Zeitraum: ob sie die Kundin oder den Kunden mit Namen ansprechen und mindestens eine eigene Angabe dieser Person nutzen (Kundennummer, Kundenwert, Tag oder Betrag der letzten Bestellung, nach dem heutigen Stand). Beides zusammen zählt als persönlich.
personal-replies = Antworten
personal-by-name = mit Namen
personal-uses-facts = mit Kundendaten
personal-personalised = persönlich
personal-rate = Anteil persönlich
personal-by-agent = Nach Person
problem-rule-customer-ambiguous = Mehrere Kundinnen und Kunden passen: bitte E-Mail-Adresse, Nummer oder #Profilnummer angeben.

## The chat widget
chat-title = Chat
chat-lead = Das Chat-Widget für Ihre Website: Der Bot antwortet nur aus dem Kommunikationsleitfaden und den Fragen und Antworten der Inhaltsbibliothek, nennt die Quelle und übergibt jederzeit an eine Person in der Warteschlange.
chat-figures = Letzte { $days } Tage: { $conversations } Chats, { $questions } mit Fragen
chat-bot-rate = vom Bot beantwortet
chat-handover-rate = an eine Person übergeben
chat-enabled = Chat ist eingeschaltet
chat-origins = Websites, die den Chat einbinden dürfen
chat-origins-hint = Eine pro Zeile, mit Schema und Host, ohne Pfad: https://www.beispiel.de
chat-try = Im Browser ausprobieren
chat-embed = Auf der Website einbinden:
chat-no-touchpoint = Noch kein Touchpoint des Kanals Chat oder Chatbot. Legen Sie im Inventar einen an.
chat-sources = Quellen des Bots
chat-sources-lead = Der Bot antwortet aus { $count } Quellen. Diese lässt er aus:
chat-left-out = Fakt oder Frage
chat-left-out-why = Warum
chat-left-no-value = Der Fakt hat im Leitfaden keinen verbindlichen Wert.
chat-left-unknown-value = Nennt „{ $written }“, einen Wert, den kein Fakt des Leitfadens hat.
chat-left-finding = Widerspricht dem Leitfaden oder verletzt eine Tonregel.
dashboard-chat = Chat, letzte { $days } Tage, { $conversations ->
    [one] ein Gespräch
   *[other] { $conversations } Gespräche
} mit Fragen

dashboard-customers = Kundenbasis, Kundenbindung und Umsatz
dashboard-customers-start = Kunden am Anfang
dashboard-customers-gained = gewonnen
dashboard-customers-lost = verloren
dashboard-customers-end = Kunden am Ende
dashboard-retention = Kundenbindung
dashboard-churn = Abwanderung
dashboard-revenue = Umsatz
dashboard-purchases = Käufe
dashboard-revenue-growth = Umsatzwachstum
dashboard-customers-hint = Kundenbindung = (Kunden am Ende − gewonnene) / Kunden am Anfang; Abwanderung = verlorene / Kunden am Anfang; Umsatzwachstum gegenüber dem Zeitraum davor. Aus den Kundenereignissen (Aktivität, Kauf, Kündigung), nicht aus Umfragen.
touchpoint-scores = Bewertungen an diesem Touchpoint
touchpoint-survey-answers = { $count ->
    [one] 1 Antwort
   *[other] { $count } Antworten
}
touchpoint-open-requests = Offene Anfragen
touchpoint-request-due = fällig
touchpoint-requests-all = Alle offenen Anfragen dieses Touchpoints
touchpoint-response-times = Antwortzeiten der letzten { $days } Tage
touchpoint-no-requests = In den letzten { $days } Tagen kam hier keine Anfrage an.
touchpoint-standards = Standards der letzten { $days } Tage
touchpoint-standard-judged = { $judged } beurteilt, { $violated } verletzt
touchpoint-no-standards = Kein messbarer Standard wurde hier beurteilt.
touchpoint-actions = Maßnahmen
touchpoint-action-due = fällig
touchpoint-no-actions = Keine Maßnahme betrifft diesen Touchpoint.
inventory-sort = Sortieren nach
inventory-sort-own = Reihenfolge des Inventars
inventory-sort-name = Name
inventory-sort-importance = Wichtigkeit
inventory-sort-nps = NPS, beste zuerst
inventory-sort-csat = CSAT, beste zuerst
inventory-sort-ces = CES, beste zuerst
survey-qr = QR-Code
survey-qr-alt = QR-Code für { $url }
survey-qr-caption = QR-Code des öffentlichen Links, zum Drucken für Theke, Kassenbon oder Paket (anklicken lädt ihn als SVG).
check-summary = { $checked ->
    [one] 1 Text geprüft
   *[other] { $checked } Texte geprüft
}: { $errors ->
    [one] 1 Fehler
   *[other] { $errors } Fehler
}, { $warnings ->
    [one] 1 Warnung
   *[other] { $warnings } Warnungen
}
check-other-place = die andere Stelle

## The audit log's accounts of changes
audit-touchpoint-changed = { $name }: { $fields }
audit-survey = { $metric } am Touchpoint { $touchpoint }
audit-interactions-imported = { $count } Interaktionen ({ $created } neu, { $updated } geändert)
audit-branding = Firmenname: { $name }; kein Logo
audit-branding-logo = Firmenname: { $name }; Logo: { $type }, { $bytes } Bytes
audit-user-create = { $user } als { $role }
audit-user-role = { $before } → { $after }
audit-sessions-ended = Sitzungen beendet
audit-token-create = { $name } ({ $scope })
audit-action-status = { $from } → { $to }
audit-action-status-confirmed = { $from } → { $to }; bestätigt: { $confirmed }
audit-plan-settings = Quick Win binnen { $days } Tagen und { $effort } Personentagen; gewichtete Zielgruppen: { $groups }, Regionen: { $regions }
audit-chat-widget-off = { $name }: aus
audit-chat-widget-nowhere = { $name }: an, keine Website erlaubt
audit-chat-widget-on = { $name }: an für { $origins }
audit-chat-purge = { $count ->
    [one] Ein Gespräch
   *[other] { $count } Gespräche
} von vor { $before } gelöscht
audit-customer-merge = Profil { $absorbed } in { $survivor } zusammengeführt ({ $reason })
merge-why-by-hand = von Hand
merge-why-identifier-added = Kennung hinzugefügt
merge-why-phone-number = Telefonnummer
audit-customer-phones = { $changed } Telefonnummern nach neuen Regeln gespeichert; { $merged } Profile zusammengeführt
audit-customer-unmerge = Profil { $absorbed } von { $survivor } getrennt (Zusammenführung { $merge })
audit-requests-intake = { $count ->
    [one] 1 Anfrage
   *[other] { $count } Anfragen
} ({ $created } neu, { $retried } schon gespeichert, { $profiles ->
    [one] 1 neues Profil
   *[other] { $profiles } neue Profile
})
audit-inventory-import = { $channels } Kanäle, { $phases } Phasen; Touchpoints: { $created } neu, { $updated } geändert, { $unchanged } unverändert
audit-finding-grown = { $kind } „{ $rule }“: wieder offen, an weiteren Stellen gefunden
audit-finding-reopened = { $kind } „{ $rule }“: behoben → wieder offen
audit-guideline = { $facts ->
    [one] Ein Fakt
   *[other] { $facts } Fakten
}
audit-erased-staff = Mitarbeiter; { $count } Datensätze gelöscht oder anonymisiert
audit-erased-customer = Kunde; { $count } Datensätze gelöscht oder anonymisiert
audit-requests-ranked = { $count } offene Anfragen neu gereiht
audit-requests-planned = { $count } offene Anfragen neu geplant
audit-sla-put = { $channel }, { $priority }: { $first } / { $resolution } Min.; { $count } offene Anfragen neu geplant
audit-sla-put-always = { $channel }, { $priority }: { $first } / { $resolution } Min., rund um die Uhr; { $count } offene Anfragen neu geplant
audit-sla-delete = { $channel }, { $priority }; { $count } offene Anfragen neu geplant
audit-story = { $title } ({ $example })
audit-programme-start = Runde { $round } ab { $start }, { $carried } übernommen
audit-programme-done = { $task }: erledigt
audit-programme-open = { $task }: offen
audit-mail-settings = { $server }, Absender { $sender }
audit-answers-imported = { $count ->
    [one] Eine Antwort
   *[other] { $count } Antworten
}
audit-follow-up = Nachfassen zu Antwort { $answer }
audit-campaign-send = { $count ->
    [one] { $name }: 1 Mail
   *[other] { $name }: { $count } Mails
}
audit-campaign-test = { $name }: Testmail
audit-customer-unsubscribe = Einwilligung in Werbemails über Kampagne { $campaign } widerrufen
audit-mail-release = { $count ->
    [one] 1 zurückgehaltene Mail freigegeben
   *[other] { $count } zurückgehaltene Mails freigegeben
}
audit-events-imported = { $count ->
    [one] Ein Ereignis
   *[other] { $count } Ereignisse
}

audit-login-password = mit Passwort
audit-login-link = mit Einmal-Link
audit-login-link-created = Einmal-Link, 24 Stunden gültig
audit-personal-data-exported = personenbezogene Daten exportiert
audit-token-creator-demoted = Ersteller herabgestuft
audit-token-creator-password = Passwort des Erstellers geändert
audit-token-creator-disabled = Ersteller deaktiviert
audit-token-creator-erased = Ersteller gelöscht

## Rules of form fields
problem-rule-ends-before-start = Das Ende liegt vor dem Beginn.
problem-rule-language-code = Bitte einen Sprachcode wie de oder en angeben.
problem-rule-control-characters = Der Text enthält Steuerzeichen.
problem-rule-key-characters = Bitte nur Kleinbuchstaben a–z, Ziffern, „-“ und „_“ verwenden.
problem-rule-blank-key = Ein Schlüssel ist leer.
problem-rule-key-spaces = Bitte ohne Leerzeichen am Anfang oder Ende.
problem-rule-not-a-host = Bitte einen Hostnamen oder eine IP-Adresse angeben.
problem-rule-one-line = Bitte eine Zeile ohne Steuerzeichen angeben.
problem-rule-not-a-web-address = Bitte eine http://- oder https://-Adresse ohne Abfrage und Anker angeben.
problem-rule-in-the-future = Der Zeitpunkt liegt in der Zukunft.
problem-rule-number-range = Bitte eine Zahl im erlaubten Bereich angeben.
problem-rule-password-mismatch = Die Wiederholung stimmt nicht mit dem Passwort überein.
problem-rule-not-an-id = Bitte einen Eintrag aus der Liste wählen.
problem-rule-fact-value-duration = Bitte eine Dauer wie „30 Tage“ angeben.
problem-rule-fact-value-price = Bitte einen Preis wie „4,90 €“ angeben.
problem-rule-fact-value-phone = Bitte eine Telefonnummer angeben.
problem-rule-fact-value-email = Bitte eine E-Mail-Adresse angeben.
problem-rule-fact-value-url = Bitte eine Web-Adresse angeben.
problem-rule-fact-value-hours = Bitte Öffnungszeiten wie „Mo–Fr 8–18 Uhr“ angeben.
problem-rule-fact-value-date = Bitte ein Datum angeben.
problem-rule-fact-value-percentage = Bitte einen Prozentsatz wie „19 %“ angeben.
problem-rule-not-a-contact = Bitte eine Telefonnummer, E-Mail- oder Web-Adresse angeben.
problem-rule-same-contact = Dieser Kontakt steht schon in der Liste, anders geschrieben.
problem-rule-opening-interval = Bitte Zeiten wie „08:00-18:00“ angeben, mehrere durch Komma getrennt.
problem-rule-unknown-customer = Diese Kundin oder diesen Kunden gibt es nicht (mehr).

## Segmente und Kampagnen
nav-campaigns = Kampagnen
segments-title = Segmente
segments-new = Neues Segment
segments-intro = Kundinnen und Kunden nach Regeln über ihr Profil und ihre Geschichte: Segment-Tags, Kundenwert, Sprache, Region, letzter Kontakt, genutzte Kanäle, letzte NPS-Antwort, offene Anfragen und Einwilligung. Bei jedem Aufruf neu gezählt.
segments-empty = Noch keine Segmente.
segments-name = Name
segments-rules = Regeln
segments-rules-hint = Jede Zeile ist eine Regel: ein Feld, ob es zutrifft, und ein Wert. Leere Zeilen zählen nicht; ein Segment ohne Regeln enthält alle Kundinnen und Kunden.
segments-rule = Regel { $number }
segments-rule-field = Feld der Regel
segments-rule-holds = Trifft zu, Regel
segments-rule-value = Wert der Regel
segments-holds-yes = trifft zu
segments-holds-no = trifft nicht zu
segments-combine = Regeln verknüpfen
segments-combine-all = alle müssen zutreffen (und)
segments-combine-any = eine genügt (oder)
segments-rule-count = { $count ->
    [one] 1 Regel
   *[other] { $count } Regeln
}
segments-members = Mitglieder
segments-reachable = Per Kampagne erreichbar
segments-count = Mitglieder zählen
segments-preview-counts = { $members } Kundinnen und Kunden, davon { $reachable } per Kampagne erreichbar (E-Mail-Adresse und Einwilligung in Werbe-Mails).
segment-field-segment = Segment-Tag
segment-field-lifetime_value = Kundenwert mindestens (EUR)
segment-field-language = Sprache
segment-field-region = Region
segment-field-last_contact = Letzter Kontakt innerhalb von Tagen
segment-field-channel = Kanal genutzt
segment-field-nps = NPS-Kategorie
segment-field-open_requests = Offene Anfragen mindestens
segment-field-consent = Einwilligung erteilt
segment-value-segment = ein Tag des Profils, z. B. premium
segment-value-lifetime_value = ein Betrag in Euro, z. B. 500 oder 49,90
segment-value-language = ein Sprachcode, z. B. de oder en
segment-value-region = das Profilattribut „region“, z. B. Nord
segment-value-last_contact = eine Zahl von Tagen, z. B. 90 (Anfragen und Umfrageantworten zählen)
segment-value-channel = ein Kanalschlüssel, z. B. email
segment-value-nps = promoter (9–10), passive (7–8) oder detractor (0–6), aus der letzten Antwort
segment-value-open_requests = eine Zahl, z. B. 1
segment-value-consent = email_marketing, phone_marketing oder personalisation
campaigns-title = Kampagnen
campaigns-intro = Eine Nachrichtenvorlage per E-Mail an die Mitglieder eines Segments, die in Werbe-Mails eingewilligt haben. Jede Kundin und jeder Kunde erhält eine Kampagne nur einmal; jede Mail enthält einen Link, der solche Mails sofort beendet.
campaigns-empty = Noch keine Kampagnen.
campaigns-new = Neue Kampagne
campaigns-needs = Eine Kampagne braucht zuerst ein Segment und eine Nachrichtenvorlage.
campaigns-name = Name
campaigns-segment = Segment
campaigns-template = Nachrichtenvorlage
campaigns-per-minute = Mails pro Minute
campaigns-per-minute-hint = 1 bis 60.000; der Postausgang sendet nicht schneller, damit der Mailserver nicht überläuft.
campaigns-create = Entwurf anlegen
campaigns-status = Status
campaigns-mails = Mails
campaigns-draft = Entwurf, nicht gesendet
campaigns-sent-at = gesendet { $at }
campaigns-reach = Reichweite jetzt
campaigns-message = Nachricht
campaigns-message-for-first = So, wie die erste Empfängerin oder der erste Empfänger sie erhält.
campaigns-findings = { $count ->
    [one] Der Leitfaden findet 1 Problem in dieser Nachricht:
   *[other] Der Leitfaden findet { $count } Probleme in dieser Nachricht:
}
campaigns-test = Testmail
campaigns-test-to = An Adresse
campaigns-test-send = Testmail senden
campaigns-tested = Die Testmail liegt im Postausgang.
campaigns-send = Senden
campaigns-send-hint = Geht an { $reachable } Kundinnen und Kunden mit E-Mail-Adresse und Einwilligung, die sie noch nicht erhalten haben. Ein späteres erneutes Senden erreicht nur neue Mitglieder.
campaigns-send-now = An { $reachable } Kundinnen und Kunden senden
campaigns-sent = { $queued } Mails im Postausgang. { $already } hatten sie schon; { $without } haben ihre Einwilligung inzwischen widerrufen.
campaigns-to-mail-settings = Mail-Einstellungen
campaigns-recipients = Empfängerinnen und Empfänger
campaigns-customer = Kundin/Kunde
campaigns-address = Adresse
campaigns-no-recipients = Noch an niemanden gesendet.
unsubscribe-title = Von Werbe-Mails abmelden
unsubscribe-ask = Möchten Sie keine Werbe-Mails mehr von uns erhalten? Mails zu Ihren Anfragen erreichen Sie weiterhin.
unsubscribe-button = Abmelden
unsubscribe-done = Erledigt: Sie erhalten keine Werbe-Mails mehr von uns.
unsubscribe-already = Sie sind von Werbe-Mails bereits abgemeldet.
unsubscribe-invalid = Dieser Link ist nicht gültig. Bitte verwenden Sie den Link aus der Mail unverändert.
mail-release-hint = Mails, die ohne eingerichteten Mailserver geschrieben wurden, sind zurückgehalten. Sie gehen über diesen Server hinaus, sobald Sie sie freigeben.
mail-release = { $count ->
    [one] 1 zurückgehaltene Mail senden
   *[other] { $count } zurückgehaltene Mails senden
}
mail-senders = Weitere Absender
mail-senders-hint = Einer je Zeile, für die Mails zu Anfragen eines Kanals oder Touchpoints: sein Kanalschlüssel oder Name, ein Doppelpunkt, der Absender. Zum Beispiel: website: Nordlicht Shop <shop@nordlicht.example>. Der Absender eines Touchpoints geht dem seines Kanals vor.

admin-webhooks = Webhooks
webhooks-lead = Integrationen abonnieren Ereignisse und erhalten signierte HTTP-POSTs. Nur öffentliche Adressen werden erreicht, außer private sind für ein Abonnement erlaubt.
webhooks-secret-once = Das Geheimnis dieses Abonnements wird nur jetzt angezeigt. Hinterlegen Sie es beim Empfänger, um die Signaturen zu prüfen.
webhooks-add = Abonnement hinzufügen
webhooks-url = URL des Empfängers
webhooks-url-hint = https://…; http nur, wenn unten erlaubt.
webhooks-events = Ereignisse
webhooks-event-request_created = Anfrage eingegangen
webhooks-event-request_resolved = Anfrage erledigt
webhooks-event-answer_received = Antwort erhalten
webhooks-event-answer_detractor = Kritiker-Antwort (NPS 0–6)
webhooks-event-campaign_sent = Kampagne versendet
webhooks-allow-http = Unverschlüsseltes http erlauben
webhooks-allow-private = Private Adressen erlauben (Firmennetz, localhost)
webhooks-subscriptions = Abonnements
webhooks-none = Noch keine Abonnements.
webhooks-active = aktiv
webhooks-paused = pausiert
webhooks-test = Testereignis senden
webhooks-pause = Pausieren
webhooks-resume = Fortsetzen
webhooks-delete = Entfernen
webhooks-deliveries = Letzte Zustellungen
webhooks-event = Ereignis
webhooks-status = Status
webhooks-attempts = Versuche
webhooks-answer = Letzte Antwort
webhooks-at = Zeitpunkt
webhooks-status-queued = wartend
webhooks-status-sending = wird gesendet
webhooks-status-delivered = zugestellt
webhooks-status-failed = fehlgeschlagen

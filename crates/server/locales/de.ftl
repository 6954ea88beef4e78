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

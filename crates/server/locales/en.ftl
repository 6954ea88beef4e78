nav-label = Main navigation
nav-journey = Journey map
nav-inventory = Inventory
nav-catalog = Channels & phases
nav-api = API
switch-language = Deutsch

inventory-title = Touchpoint inventory
new-touchpoint = New touchpoint
inventory-count = { $shown } of { $total } touchpoints
inventory-empty = No touchpoints yet. Add the first one, or load the demo data with "touchpoints demo".
inventory-none-match = No touchpoint matches these filters.
export-csv = Export CSV
export-json = Export JSON
filter-search = Search
filter-apply = Filter
filter-reset = Reset
all = All
choose = Please choose

field-name = Name
field-description = Description
field-channel = Channel
field-kind = Kind
field-phase = Phase
field-owner = Owner
field-target-groups = Target groups
field-target-group = Target group
field-regions = Regions
field-region = Region
field-status = Status
field-importance = Importance
field-importance-experience = Importance for the experience
field-importance-loyalty = Importance for loyalty
field-importance-referral = Importance for referrals
field-brand-fit = Brand fit
field-notes = Notes
field-key = Key
field-label-de = Label (German)
field-label-en = Label (English)
field-stage = Stage of the journey
field-position = Order

kind-physical = Physical
kind-digital = Digital
kind-communication = Communication
kind-from-channel = As the channel
status-planned = Planned
status-active = Active
status-retired = Retired
stage-before_purchase = Before purchase
stage-during_purchase = During purchase
stage-after_purchase = After purchase

form-new-title = New touchpoint
form-edit-title = Edit touchpoint
form-has-errors = { $count ->
    [one] One field needs your attention.
   *[other] { $count } fields need your attention.
}
form-section-what = What and where
form-section-who = For whom and by whom
form-section-importance = Importance from the customer's view
hint-comma-separated = Separate several with commas.
hint-scale = 1 = hardly, 5 = decisive
hint-key = Lower-case letters a–z, digits, "-" and "_"; used in imports and URLs.
save = Save
cancel = Cancel
edit = Edit
retire = Retire
delete = Delete
delete-confirm = The touchpoint is removed from the inventory; its history is kept.
delete-now = Delete for good

history-title = History
history-when = When
history-who = Who
history-what = What
action-created = Created
action-updated = Changed
action-retired = Retired
action-deleted = Deleted
created-at = Created
updated-at = last changed

journey-title = Journey map
journey-count = { $shown } of { $total } touchpoints on the map
journey-all-channels = Show channels without touchpoints too
journey-importance-hint = The number on each card is the importance from the customer's view (mean of experience, loyalty and referral, 1–5).
journey-empty = The map is empty: add touchpoints to the inventory.

catalog-title = Channels & phases
catalog-intro = The lists touchpoints are filed under. An entry with an existing key is updated; an entry still used by touchpoints cannot be deleted.
catalog-channels = Channels
catalog-phases = Phases of the customer journey
catalog-add-channel = Add or change a channel
catalog-add-phase = Add or change a phase

api-title = API documentation
api-document = OpenAPI document:
api-parameter = Parameter
api-in = In
api-type = Type
api-description = Description
api-body = Request body
api-schemas = Schemas
api-field = Field

error-not-found = Not found
error-conflict = That cannot be done
error-internal = Internal error – details are in the server log
back-to-inventory = Back to the inventory

problem-required = Please fill in.
problem-too-long = At most { $max } characters.
problem-too-short = At least { $min } characters.
problem-rule-password-is-username = The password must not be the user name.
problem-rule-username-characters = At least 2 characters: letters, digits, ".", "_", "-" or "@".
problem-rule-last-admin = The last active admin account must stay active and admin.
problem-too-many = At most { $max } entries.
problem-out-of-range = Please choose a value from { $min } to { $max }.
problem-unknown = Unknown value "{ $value }".
problem-duplicate = "{ $value }" already exists.
problem-in-use = Still used by { $count } touchpoint(s).
problem-invalid = Invalid: { $reason }

nav-admin = Administration
logout = Log out
role-viewer = Viewer
role-agent = Agent
role-manager = Manager
role-admin = Admin
error-forbidden = You do not have permission for this.
login-title = Log in
login-submit = Log in
login-failed = User name or password is wrong.
login-throttled = Too many login attempts for this account. Please wait a minute.
login-link-invalid = This login link has expired or has been used already.
field-username = User name
field-display-name = Display name
field-password = Password
field-password-repeat = Repeat the password
hint-password = At least 12 characters; a sentence of several words is easy to remember and hard to guess.
setup-title = First-run setup
setup-intro = Create the first administrator account. Create further accounts afterwards under "Administration".
setup-needs-token = There is no account yet. Open the setup link the server prints on its console at start, or create the first account on the command line:
setup-submit = Create the account and log in

admin-users = Users
admin-tokens = API tokens
admin-audit = Audit log
field-role = Role
users-intro = Staff accounts: who may log in, and with which role. Disabled accounts cannot log in; their sessions end at once.
users-state = Status
users-active = Active
users-disabled = Disabled
users-created = Created
users-you = (you)
users-role-of = Role of { $username }
users-change-role = Change role
users-disable = Disable
users-enable = Enable
users-new-password-for = New password for { $username }
users-set-password = Set new password
users-password-hint = A new password ends every session of the account. At least 12 characters.
users-row-problem = The change to the account "{ $username }" was not possible; the reason is shown in the table.
users-create = Create account
users-username-hint = 2 to 64 characters: letters, digits, ".", "_", "-" and "@" – an e-mail address works too.
scope-read = Read only
scope-write = Read and write
tokens-intro = API tokens give other programs access to the API. A token never acts with more rights than its scope grants, not even with those of the person who created it.
tokens-scope = Scope
tokens-created-by = Created by
tokens-created = Created
tokens-last-used = Last used
tokens-revoked = Revoked
tokens-never = never
tokens-revoke = Revoke
tokens-revoke-named = Revoke the token "{ $name }"
tokens-empty = There are no API tokens yet.
tokens-create = Create token
tokens-name-hint = What the token is for, such as the name of the connecting application.
tokens-created-title = New token "{ $name }"
tokens-shown-once = Copy the token now: it will not be shown again.
tokens-usage = The program sends it with every API request in this header:
audit-intro = Who changed what and when – for every change through the web interface, the API and the command line, plus logins and failed login attempts.
audit-at = Time
audit-actor = Actor
audit-action = Action
audit-action-hint = Exact, such as "user.create", or a prefix ending in a dot, such as "user.".
audit-entity = Entity
audit-entity-id = Record
audit-summary = Details
audit-from = From
audit-until = Until (inclusive)
audit-date-hint = Date as YYYY-MM-DD, in UTC.
audit-date-invalid = Please enter a valid date as YYYY-MM-DD.
audit-until-before-from = The end is before the start.
audit-count = { $count ->
    [one] One entry
   *[other] { $count } entries, newest first
}
audit-limited = Only the newest { $max } entries are shown. Narrow the filter or download the CSV file.
audit-empty = No entries match this filter.
audit-csv = Download as CSV

nav-consistency = Consistency
consistency-findings = Findings
consistency-guideline = Communication guideline
consistency-content = Content
consistency-run = Check now
consistency-intro = The guideline names { $facts } facts; { $contents } texts of all channels are checked for contradictions with the guideline, contradictions between each other, and tone.
consistency-open = { $count ->
    [one] One open finding.
   *[other] { $count } open findings.
}
consistency-none = No findings yet. Write the guideline and the content, then run the check.
finding-contradicts_guideline = Contradicts the guideline
finding-contradicts_channel = Channels contradict each other
finding-wrong_address = Wrong form of address
finding-forbidden_term = Forbidden term
finding-missing_term = Required term missing
weaknesses-title = Documented weaknesses
weaknesses-all = All findings of the consistency check
finding-violates_standard = Breaks a standard
finding-msg-standard = Breaks the standard "{ $title }".
finding-gone = (not found by the latest check)
finding-line = line { $line }
finding-fix = Suggestion:
finding-status-open = Open
finding-status-accepted = Accepted
finding-status-fixed = Fixed
guideline-intro = The facts every channel must state alike, and how we speak. The guideline can also live as a file (YAML or JSON) in your own repository and be checked with "touchpoints check".
guideline-fact = Fact
guideline-value = Binding value
guideline-keywords = Recognised by
guideline-address = Form of address
guideline-address-formal = Sie (formal)
guideline-address-informal = Du (informal)
guideline-forbidden = Forbidden terms
guideline-required = Required terms
guideline-edit = Edit the guideline
guideline-document = Guideline (YAML)
guideline-document-hint = Per fact: key, label, kind (duration, price, phone, email, url, hours, date, percentage), value, keywords; and tone with address (sie or du), forbidden and required.
guideline-not-saved = The guideline was not saved:
content-new = New content
content-intro = The published texts of the channels – FAQ, newsletter, chatbot answers – that the check reads.
content-title = Title
content-touchpoint = Touchpoint
content-url = Address (URL)
content-language = Language
content-body = Text
content-valid-from = Published from
content-valid-until = Published until
content-date-hint = YYYY-MM-DD; leave empty if open-ended. Only published texts are checked.
content-empty = No content yet.
finding-msg-guideline = { $label }: "{ $written }" contradicts the guideline ({ $expected }).
finding-msg-channel = { $label }: the channels state different values.
finding-msg-address = "{ $word }" addresses readers otherwise than the guideline says ({ $expected }).
finding-msg-forbidden = The guideline forbids "{ $term }".
finding-msg-missing = The guideline requires "{ $term }".
finding-fix-write = Write "{ $value }".
finding-fix-everywhere = Write "{ $value }" everywhere.
finding-fix-decide = Decide on a binding value for "{ $label }" in the guideline.
finding-fix-address = Address readers with "{ $expected }".
finding-fix-instead = Write "{ $instead }" instead.
finding-fix-remove = Remove "{ $term }".
finding-fix-add = Add "{ $term }".
nav-standards = Standards
standards-title = Service standards
standards-intro = What every touchpoint promises at least: do’s and don’ts, mandatory or recommended. Measurable standards are checked automatically against the recorded customer requests.
standards-days = Period
standards-days-option = last { $days } days
standards-show = Show
standards-summary = { $count ->
    [one] One standard
   *[other] { $count } standards
  }, checked against { $interactions ->
    [one] one request
   *[other] { $interactions } requests
  } of the last { $days } days.
standards-everywhere = Everywhere
standards-scope-touchpoint = Touchpoint
standards-scope-channel = Channel
standards-scope-hint = Choose a touchpoint or a channel; with neither, the standard applies everywhere.
standards-mandatory = Mandatory
standards-recommended = Recommendation
standards-measure = Measure
standards-compliance = { $percent } % met ({ $met } of { $judged })
standards-open = { $count } still open
standards-not-judged = No request judged yet
standards-violations = { $count ->
    [one] One violation
   *[other] { $count } violations
  }
standards-empty = No standards set yet.
standards-new = New standard
standards-field-title = Title
standards-field-text = The do or don’t in words
standards-field-hours = Hours (for deadlines)
standards-field-phrases = Phrases (one per line)
measure-none = Not measurable
measure-first_response_within = First reply within a deadline
measure-resolved_within = Resolved within a deadline
measure-addressed_by_name = Customer addressed by name
measure-phrases_absent = Forbidden phrases absent
measure-phrases_present = Required phrases present
measure-first_response_within-text = first reply within { $hours } hours
measure-resolved_within-text = resolved within { $hours } hours
measure-addressed_by_name-text = the reply addresses the customer by name
measure-phrases_absent-text = the reply does not contain { $phrases }
measure-phrases_present-text = the reply contains { $phrases }
violation-first-response-late = First reply after { $took } hours, target { $hours } hours
violation-first-response-missing = No reply within { $hours } hours
violation-resolved-late = Resolved after { $took } hours, target { $hours } hours
violation-resolved-missing = Not resolved within { $hours } hours
violation-name = The reply does not address { $name } by name
violation-phrase-found = The reply says “{ $phrase }”
violation-phrase-missing = The reply lacks “{ $phrase }”
interaction-received = Received
interaction-customer = Customer
interaction-where = Touchpoint
interaction-reason = Violation
interaction-reply = Reply
stories-title = Stories
stories-intro = Experiences from the touchpoints as good or bad examples – with the standard they illustrate.
stories-empty = No stories yet.
stories-new = New story
stories-field-text = What happened?
stories-field-example = Example
stories-field-standard = Illustrates the standard
story-example-good = Good example
story-example-bad = Bad example
story-illustrates = Standard: { $standard }
digest-title = Meeting digest
digest-week = Week of the day
digest-summary = { $stories ->
    [one] One new story
   *[other] { $stories } new stories
  } and { $violations ->
    [one] one violation
   *[other] { $violations } violations
  } in { $interactions ->
    [one] one request
   *[other] { $interactions } requests
  }.
digest-print = The page prints as it is (Ctrl+P); navigation and forms are left out.
digest-no-team = No team
digest-stories = { $count ->
    [one] New story
   *[other] { $count } new stories
  }
digest-violations = { $count ->
    [one] One violation of standards
   *[other] { $count } violations of standards
  }
digest-standard = Standard
digest-empty = No new stories and no violations this week.
problem-rule-one-scope = Choose a touchpoint or a channel, not both.
problem-rule-phrases-needed = Name at least one phrase.
problem-rule-not-a-date = Enter a date as YYYY-MM-DD.

## The queue
nav-queue = Queue
queue-title = Queue
queue-views = Views of the queue
queue-view-mine = Mine
queue-view-team = Team
queue-view-all = All
queue-view-at-risk = At risk
queue-view-breached = Breached
queue-any = any
queue-touchpoint = Touchpoint
queue-status = Status
queue-status-active = open and waiting
queue-filter = Show
queue-at-risk-hint = Requests whose next target is due within { $minutes } minutes.
queue-score = Priority
queue-subject = Request
queue-customer = Customer
queue-assignee = Assigned to
queue-empty = No requests here.
queue-risk-at-risk = at risk
queue-risk-breached = breached
request-status-open = open
request-status-waiting = waiting for customer
request-status-resolved = resolved
request-no-subject = (no subject)
request-received = Received
request-priority = Priority
request-first-response-due = First response due
request-first-response = First response
request-resolution-due = Resolution due
request-score = Priority score { $score }
request-work = Work on it
request-assign-me = Assign to me
request-assign-to = Assign to
request-unassigned = nobody (team)
request-assign = Assign
request-wait = Wait for customer
request-resume = Customer answered
request-resolve = Resolve
request-reopen = Reopen
request-set-priority = Set priority
request-reply-text = Answer or note
request-reply = Send reply
request-note = Add note
priority-low = low
priority-normal = normal
priority-high = high
priority-urgent = urgent
step-assign = Assigned
step-reply = Reply
step-note = Note
step-wait = Waiting for customer
step-resume = Customer answered
step-resolve = Resolved
step-reopen = Reopened
step-set_priority = Priority changed
customer-unnamed = Customer without a name
customer-salutation = Salutation
customer-language = Language
customer-preferred-channel = Preferred channel
customer-segments = Segments
customer-lifetime-value = Lifetime value
customer-consent = Consent
consent-email_marketing = e-mail marketing
consent-phone_marketing = phone marketing
consent-personalisation = personalisation
identifier-email = E-mail
identifier-phone = Phone
identifier-customer_number = Customer number
identifier-device = Device
identifier-social = Social media
customer-history = Requests across channels
customer-no-requests = No requests yet.
customer-merged-into = This profile was merged into
customer-merges = Merges
customer-no-merges = Never merged.
merge-when = When
merge-what = Profiles
merge-reason = Because of
merge-status = Status
merge-undone = undone by { $who }
merge-undo = Undo merge
merge-active = in effect
queue-stats-title = Response times
stats-requests = Requests
stats-responded = Answered
stats-median = Median (min)
stats-p90 = 90 % within (min)
stats-first-response = First response on time
stats-resolution = Resolved on time
stats-breached = Targets missed
stats-overall = All requests
stats-all = All
stats-by-channel = By channel
stats-by-touchpoint = By touchpoint
stats-hint = Minutes from receipt to the first response, in elapsed time; the targets count in the calendar's business hours or around the clock, as each policy says.
queue-rules-title = Targets & priorities
sla-policies = Response-time targets (SLA)
sla-first-response = First response
sla-resolution = Resolution
sla-hours = Counted
sla-business-hours = in business hours
sla-none = No targets yet: requests have no due time.
sla-first-response-minutes = First response within (minutes)
sla-resolution-minutes = Resolution within (minutes)
sla-around-the-clock = Counted around the clock (24/7) instead of in business hours
queue-options = Queue
queue-at-risk-minutes = At risk when due within (minutes)
priority-weights = Priority weights
priority-weights-json = Weights (JSON)
calendar-title = Business calendar
calendar-time-zone = Time zone
calendar-hours-hint = Opening hours as "08:00-12:00, 13:00-17:00"; empty is closed.
calendar-public-holidays = Public holidays
calendar-public-holidays-hint = "DE" for nationwide holidays, a state such as "DE-NW", empty for none.
calendar-custom-holidays = Own closing days
calendar-custom-holidays-hint = Dates as 2026-12-24, separated by commas.
weekday-monday = Monday
weekday-tuesday = Tuesday
weekday-wednesday = Wednesday
weekday-thursday = Thursday
weekday-friday = Friday
weekday-saturday = Saturday
weekday-sunday = Sunday

nav-label = Main navigation
nav-menu = Menu
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
error-csrf = The form is outdated or came from another site. Reload the page and try again.
error-too-many = Too many requests. Wait a minute and try again.
error-too-large = The data sent is larger than the server accepts.
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
admin-mail = E-mail
admin-organisation = Organisation
organisation-lead = Your company's name and logo show on the pages your customers see (the surveys) and at login.
organisation-company-name = Company name
organisation-company-name-hint = For example "Nordlicht Wohnen GmbH". Leave empty to show no name.
organisation-logo = Logo
organisation-logo-hint = PNG, JPEG or WebP, at most { $kb } KB; it is shown 48 pixels high. Without a new file the current logo stays.
organisation-current-logo = The current logo
organisation-remove-logo = Remove the logo
organisation-saved = Saved. Pages show it within a few seconds.
problem-rule-logo-format = Please choose a PNG, JPEG or WebP file.
problem-rule-logo-too-large = The file is too large (at most 256 KB).
mail-lead = Replies to e-mail requests go to customers through this mail server: each reply is stored with its step and then sent, tried again after a failure, and the request shows whether it arrived.
mail-not-configured = No mail server is set up yet: replies are stored but not sent. They are listed in the outbox below as "not sent".
mail-saved = Saved. Mails that are due go through this server from now on.
mail-server = Mail server (SMTP)
mail-host = Host
mail-host-hint = e.g. smtp.example.com
mail-port = Port
mail-security = Encryption
mail-security-starttls = STARTTLS (port 587)
mail-security-tls = TLS (port 465)
mail-security-none = None (only for a relay on your own network, without login)
mail-username = User
mail-username-hint = Leave empty when the server needs no login.
mail-password-set = Password: from the server's environment variable TOUCHPOINTS_SMTP_PASSWORD.
mail-password-unset = Password: none. If the server needs a login, start Touchpoints with the environment variable TOUCHPOINTS_SMTP_PASSWORD; it is never stored.
mail-sender = Sender
mail-from-address = Sender address
mail-from-name = Sender name
mail-from-name-hint = e.g. "Nordlicht Customer Service"; also signed under every reply.
mail-surveys = Survey after a resolved request
mail-surveys-on = When a request is resolved, send the survey of its touchpoint by e-mail
mail-surveys-hint = Only to customers with an e-mail address and consent to e-mails (marketing), at most once in the chosen interval; the link names the request, so the answer counts for the request, its channel and its agent.
mail-surveys-interval = At most one survey per customer in (days)
mail-public-url = Public address of Touchpoints
mail-public-url-hint = e.g. https://service.example.com – customers open the survey at this address.
mail-test = Test mail
mail-test-to = Recipient
mail-test-send = Send test mail
mail-test-sent = The mail server accepted the test mail to { $recipient }.
mail-test-failed = The test mail to { $recipient } was not accepted:
mail-outbox = Outbox
mail-outbox-hint = The newest 50 mails to customers.
mail-outbox-empty = No mails yet.
mail-retry = Send again
mail-created = Written
mail-recipient = Recipient
mail-subject = Subject
mail-status = Status
mail-request = Request
mail-status-queued = queued
mail-status-sending = sending
mail-status-sent = sent
mail-status-failed = not sent
mail-status-held = not sent (no mail server)
mail-error-no-server = no mail server was set up
mail-error-no-address = the customer has no e-mail address
mail-to = E-mail to { $recipient }
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
scope-metrics = Metrics only (/metrics)
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
consistency-intro = The guideline names { $facts } facts; { $contents } texts of all channels are checked for contradictions with the guideline, contradictions between each other, tone, and unknown contacts.
consistency-open = { $count ->
    [one] One open finding.
   *[other] { $count } open findings.
}
consistency-none = No findings yet. Write the guideline and the content, then run the check.
consistency-gone = { $count ->
    [one] One earlier finding is no longer found: fixed in the text, or its text removed.
   *[other] { $count } earlier findings are no longer found: fixed in the texts, or their texts removed.
}
consistency-gone-show = Show them too
consistency-gone-hide = Show only the current findings
finding-contradicts_guideline = Contradicts the guideline
finding-contradicts_channel = Channels contradict each other
finding-wrong_address = Wrong form of address
finding-forbidden_term = Forbidden term
finding-missing_term = Required term missing
weaknesses-title = Documented weaknesses
weaknesses-all = All findings of the consistency check
finding-violates_standard = Breaks a standard
finding-unknown_contact = Unknown contact
finding-msg-standard = Breaks the standard "{ $title }".
finding-gone = (not found by the latest check)
finding-line = line { $line }
finding-fix = Suggestion:
finding-unlisted = { $count ->
    [one] One more finding like this one is not listed; it shows once the listed ones are fixed and the check runs again.
   *[other] { $count } more findings like this one are not listed; they show once the listed ones are fixed and the check runs again.
}
finding-unlisted-places = { $count ->
    [one] One more place is not listed.
   *[other] { $count } more places are not listed.
}
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
guideline-allowed-contacts = Other allowed contacts
guideline-edit = Edit the guideline
guideline-document = Guideline (YAML)
guideline-document-hint = Per fact: key, label, kind (duration, price, phone, email, url, hours, date, percentage), value, keywords; and tone with address (sie or du), forbidden and required; and allowed_contacts: other phone numbers, e-mail and web addresses texts may name (a web address includes the pages under it).
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
finding-msg-unknown-phone = Unknown phone number? "{ $written }" is neither in the guideline nor among the allowed contacts.
finding-msg-unknown-email = Unknown e-mail address? "{ $written }" is neither in the guideline nor among the allowed contacts.
finding-msg-unknown-url = Unknown web address? "{ $written }" is neither in the guideline nor among the allowed contacts.
finding-fix-unknown-use = Write "{ $value }" ({ $label }) from the guideline, or add "{ $written }" to allowed_contacts in the guideline.
finding-fix-unknown-allow = Remove "{ $written }", or add it to allowed_contacts in the guideline.
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
problem-rule-until-before-from = The end must come after the start.
nav-dashboard = Dashboard
nav-surveys = Surveys
yes = yes
metric-nps = NPS
metric-csat = CSAT
metric-ces = CES
metric-retention = Retention
metric-churn = Churn
metric-revenue_growth = Revenue growth
dashboard-customers-n = customers at the start
dashboard-exact = counted completely, no sampling noise
dashboard-customers-no-comparison = No comparison: the period before has no customers or revenue.
granularity-day = Day
granularity-week = Week
granularity-month = Month
granularity-quarter = Quarter
granularity-year = Year
dimension-touchpoint = Touchpoint
dimension-channel = Channel
dimension-phase = Phase
dimension-target_group = Target group
dimension-region = Region
field-touchpoint = Touchpoint
field-metric = Metric
field-languages = Languages
field-active = Active
field-answers = Answers
field-public-link = Public link
field-question-de = Question (German)
field-question-en = Question (English)
field-follow-up-de = Follow-up question (German)
field-follow-up-en = Follow-up question (English)
surveys-title = Surveys
surveys-hint = Each survey has a short public address for links, e-mails, receipts and QR codes. A personalised link attributes answers to a customer reference and a channel; only the signed links made here do.
surveys-empty = No surveys yet.
survey-new = New survey
survey-new-title = New survey
survey-edit-title = Survey
survey-inactive = closed
survey-short-hint = Short form for printing and QR codes
survey-section-where = Where and what is measured
survey-section-questions = Questions
survey-questions-hint = An empty question takes the standard wording shown in the field. An empty follow-up question means none.
survey-channel-of-touchpoint = Channel of the touchpoint
survey-active-label = Accepting answers
survey-delete = Delete survey
survey-delete-hint = Its answers are kept.
survey-optional = optional
survey-send = Send
survey-link-invalid = This link is incomplete.
survey-link-unsigned = The personal details of this link cannot be verified. Your answer is still welcome and will be saved without them.
survey-personal-link = Personalised link
survey-personal-link-new = Make a personalised link
survey-personal-link-hint = For one customer, for instance in an e-mail: answers given through this link are attributed to the customer reference and the channel. Only links made here attribute answers; whoever changes the details in a link answers without attribution.
survey-personal-link-make = Make the link
survey-personal-link-open = Open the link
survey-channel-of-survey = Channel of the survey
field-customer-ref = Customer reference
survey-thanks-title = Thank you!
survey-thanks-text = Your answer has been received. It helps us get better.
survey-answered-text = You have answered this survey about your request already. Thank you!
survey-closed-title = This survey is closed
survey-closed-text = It no longer accepts answers. Thank you for your interest.
survey-full-title = No more answers today
survey-full-text = This survey has received as many answers today as it takes. Your answer was not saved; please try again tomorrow.
survey-missing-title = Survey not found
survey-missing-text = Please check the address.
dashboard-title = Dashboard
dashboard-from = From
dashboard-until = Until (exclusive)
dashboard-granularity = Periods
dashboard-by = Break down by
dashboard-window = { $period }, compared with { $previous }.
dashboard-tiles = Key figures
dashboard-few = few answers
dashboard-interval-hint = ± is half the width of the 95% interval: with this many answers the true value lies in this range with 95% confidence.
dashboard-vs-previous = compared with { $value } before
dashboard-significant = larger than the random fluctuation
dashboard-not-significant = within the random fluctuation
dashboard-no-comparison = No comparison: a window has no answers.
dashboard-trend = { $metric } over time
dashboard-as-table = As a table
dashboard-period = Period
dashboard-value = Value
dashboard-interval = 95% interval
dashboard-previous = Before
dashboard-change = Change
dashboard-breakdown = By { $by }
dashboard-no-answers = No answers in this window.
dashboard-no-answers-short = no answers
dashboard-agents = NPS and CSAT by agent and team
dashboard-agents-hint = From the surveys that name a request (sent when a request is resolved): counted for the person the request is assigned to and for the team that owns the touchpoint the answer is about. Values from fewer than { $min } answers are marked “few answers”: too few to judge a person or a team by.
dashboard-agents-by-agent = By agent
dashboard-agents-by-team = By team
dashboard-agents-agent = Agent
dashboard-agents-team = Team
dashboard-agents-answers = Answers
dashboard-agents-nobody = nobody (team)
dashboard-agents-no-team = No team
dashboard-agents-empty = No answers to requests in this window.
dashboard-map = Journey map by { $metric }
dashboard-map-hint = Red is low, green is high; grey means no answers in this window.
dashboard-matrix = Importance and performance
dashboard-matrix-hint = Importance comes from the inventory (1–5), performance from the answers. The lines lie at the averages ({ $importance } and { $performance }).
dashboard-quadrant = Conclusion
quadrant-concentrate = Concentrate here
quadrant-keep-up = Keep up the good work
quadrant-low-priority = Low priority
quadrant-overkill = Possible overkill

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
queue-due = Due
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
reply-findings = { $count ->
    [one] The reply breaks the communication guideline or a mandatory standard:
   *[other] The reply breaks the communication guideline or mandatory standards { $count } times:
}
reply-findings-hint = Correct the text and send it again, or send it anyway; the audit log records that.
reply-anyway = Send anyway
request-greet = Insert greeting: "{ $greeting },"
step-customer = Customer wrote
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
stats-median = Median
stats-p90 = 90 % within
stats-first-response = First response on time
stats-resolution = Resolved on time
stats-breached = Targets missed
stats-overall = All requests
stats-all = All
stats-by-channel = By channel
stats-by-touchpoint = By touchpoint
stats-by-week = Week by week
stats-by-week-hint = Week by week (Monday to Sunday) by when the requests came in; the bars measure median and p90 against the slowest week of the period.
stats-week = Week of
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
weights-lead = Every request gets points; the one with the most is at the top of the queue. Numbers with a decimal point or comma; negative points move a request down.
weights-time = Due time
weights-time-per-hour = Points per hour
weights-time-per-hour-hint = A request gains this many points for each hour its due time comes closer, and goes on gaining once overdue. 10 means 25 points weigh as much as 2.5 hours of waiting.
weights-horizon-hours = From hours before due
weights-horizon-hours-hint = This many hours before the due time the time part is zero: earlier it is negative, later positive.
weights-customer = Customer
weights-value = Points per €1,000 of customer value
weights-value-hint = For what the customer has bought so far (lifetime value).
weights-value-cap = At most from customer value
weights-value-cap-hint = The customer value gives no more points than this, however high it is.
weights-repeat = Points per earlier contact
weights-repeat-hint = For each request of the same customer in the last seven days: who writes again has waited already.
weights-repeat-cap = Contacts counted at most
weights-repeat-cap-hint = A whole number.
weights-text = Text of the request
weights-urgent = Urgent
weights-urgent-hint = When the text asks for haste ("urgent", "asap"), once per request.
weights-negative = Upset
weights-negative-hint = When the customer is angry or disappointed or threatens to leave, once per request.
weights-segments = Customer segments
weights-segments-hint = Points per segment of the customer (such as vip, premium); each segment of a customer counts. An empty row adds nothing; empty both fields of a row to remove its segment.
weights-segment-key = Segment
weights-points = Points
weights-channels = Channels
weights-channels-hint = Points per channel the request came on; 0 for no difference.
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
nav-actions = Action plan
plan-title = Action plan
plan-new = New action
plan-new-title = New action
plan-edit-title = Edit action
plan-lead = Ranked from the customer's view: measured at the touchpoints over the last { $days } days, less the effort. The quick win comes first.
plan-counted = Customers, requests and answers counted:
plan-quick-win = Quick win
plan-count = { $shown } of { $total } actions
plan-none-match = No action matches the filter.
plan-empty = No actions planned yet.
plan-rank = Rank
plan-score = Priority
plan-points = points
plan-impact = impact
plan-effort-days = effort in person-days
plan-rank-of = Rank { $rank } in the plan
plan-no-parts = No measured weakness at these touchpoints yet and no effort: 0 points.
plan-retire-warning = Still in use
plan-confirm-retirement = Retire anyway: for { $customers } customers it was their only touchpoint in the last 90 days (recorded in the audit log).
plan-suggestions = Suggestions
plan-suggestions-hint = Important touchpoints with measured weaknesses that no action concerns yet. Taken up, a suggestion becomes an idea you plan or drop.
plan-suggestion-accept = Take up as idea
problem-rule-no-suggestion = The plan suggests nothing (any more) for this touchpoint.
plan-settings = Weighting
plan-settings-title = Weighting of the action plan
plan-settings-lead = How much target groups and regions count, the values the metrics are aimed at, and when an action is a quick win. The plan ranks by them at once.
plan-settings-quick-win = Quick-win rule
plan-settings-max-days = Done within at most this many days
plan-settings-max-effort = Effort at most (person-days)
plan-settings-targets = Target values of the metrics
plan-settings-target_groups = Target groups
plan-settings-regions = Regions
plan-settings-weight-hint = A factor from { $min } to { $max }; blank means 1. An action counts the heaviest weight among its touchpoints.
plan-settings-none-target_groups = The touchpoints name no target groups yet.
plan-settings-none-regions = The touchpoints name no regions yet.
problem-rule-retire-needs-confirmation = For some customers it is their only touchpoint: confirm explicitly to retire it.
plan-field-kind = Kind
plan-field-title = Title
plan-field-goal = Goal in words
plan-field-status = Status
plan-field-touchpoints = Touchpoints
plan-field-findings = Weaknesses addressed (findings)
plan-finding = Finding { $id }
plan-field-owner = Owner
plan-field-team = Team
plan-field-person-days = Person-days
plan-field-start = Start
plan-field-due = Due
plan-field-target = Measurable target
plan-field-target-metric = Metric
plan-field-target-value = Target value
plan-field-target-days = Within days
plan-no-target = No measurable target
plan-no-owner = Nobody
plan-kind-optimise = Optimise
plan-kind-launch = Launch
plan-kind-retire = Retire
plan-status-idea = Idea
plan-status-planned = Planned
plan-status-in_progress = In progress
plan-status-done = Done
plan-status-dropped = Dropped
plan-metric-nps = NPS (points, at least)
plan-metric-csat = CSAT (%, at least)
plan-metric-ces = CES (mean, at least)
plan-metric-response_p90_hours = Response time p90 (hours, at most)
plan-metric-open_contradictions = Open contradictions (at most)
plan-section-what = Action
plan-section-who = Owner, effort and dates
plan-hint-touchpoints = Hold Ctrl or Cmd to choose several. Optimising and retiring need at least one.
plan-hint-target = For example NPS at least 30 within 60 days of the start.
plan-hint-budget = Per quarter (like 2027-Q1), planned and spent, in euros. Blank rows are not stored.
plan-budget = Budget
plan-quarter = Quarter
plan-planned = Planned
plan-spent = Spent
plan-planned-eur = Planned (€)
plan-spent-eur = Spent (€)
plan-total = Total
plan-no-budget = No budget planned.
plan-history = Status history
plan-new-status = New status
plan-note = Note
plan-change-status = Change status
plan-change = Change
plan-created-as = Created as { $status }
plan-delete-confirm = The action is deleted with its budget and status history; the audit log keeps the deletion.
problem-rule-action-needs-touchpoint = Optimising and retiring need at least one touchpoint.
problem-rule-due-before-start = The due date comes before the start.
problem-rule-whole-number = Please enter a whole number.
problem-rule-unknown-touchpoint = This touchpoint does not exist (any more).
problem-rule-unknown-finding = This finding does not exist (any more).
problem-rule-not-an-owner = Only an active agent, manager or admin account can own an action.
problem-rule-not-a-number = Please enter a number.
problem-rule-not-a-web-origin = Please enter a website address such as https://shop.example (scheme and host, no path).
problem-rule-not-a-quarter = Please enter a quarter like 2027-Q1.
problem-rule-budget-range = Please enter an amount from 0 to €10,000,000,000.
problem-rule-action-status = A done or dropped action can only be reopened as planned.
plan-target-nps = NPS at least { $value } within { $days ->
    [one] one day
   *[other] { $days } days
}
plan-target-csat = CSAT at least { $value } % within { $days ->
    [one] one day
   *[other] { $days } days
}
plan-target-ces = CES at least { $value } within { $days ->
    [one] one day
   *[other] { $days } days
}
plan-target-response_p90_hours = Response time (p90) at most { $value } h within { $days ->
    [one] one day
   *[other] { $days } days
}
plan-target-open_contradictions = At most { $value } open contradictions within { $days ->
    [one] one day
   *[other] { $days } days
}

plan-effect = Before and after
plan-effect-windows = At the action's touchpoints: { $before } against { $after }.
plan-effect-running = The period after is still running.
plan-effect-metric = Metric
plan-effect-before = Before
plan-effect-after = After
plan-effect-difference = Difference
plan-effect-interval = 95 % interval
plan-effect-p = p-value
plan-effect-verdict = Verdict
plan-verdict-better = better
plan-verdict-worse = worse
plan-verdict-no-change = no detectable change
plan-verdict-too-few = too few answers
plan-effect-response = Response times
plan-effect-median = First response, median
plan-effect-p90 = First response, 90th percentile
plan-effect-compliance = Response targets met
plan-effect-explained = 30 days before and from the start each. A verdict needs at least 30 answers on each side and p < 0.05; NPS: difference of two independent NPS, CSAT: two-proportion z-test, CES: Welch's t-test.
plan-effect-no-touchpoint = The action names no touchpoint at which its effect could be measured.
plan-effect-no-start = The action has no start date and was never in progress: there is no before and after.
plan-effect-not-started = The action has not started yet: there is an after from its start.

## The 30-day programme
nav-programme = 30-day programme
programme-title = 30-day programme
programme-lead = The way to better touchpoints in five phases: inventory, communication guideline, request handling, personalisation and a first measurement of success. What the product knows from its data it ticks itself; you tick the rest by hand.
programme-ics = Calendar (.ics)
programme-none = The programme has not started yet.
programme-round = Round { $round }
programme-dates = { $start } to { $end }
programme-today = today { $today }
programme-day = day { $day } of 30
programme-day-before = not started yet
programme-day-after = the 30 days are over: review the results and continue the optimisation
programme-progress = { $done } of { $total } tasks done
programme-phase-progress = { $done } of { $total } done
programme-phase-days = Day { $first } to { $last }
programme-phase-inventory = Inventory
programme-phase-guideline = Communication guideline
programme-phase-requests = Request handling
programme-phase-personalisation = Personalisation
programme-phase-measurement = Measurement and adjustment
programme-state-done = done
programme-state-overdue = overdue
programme-state-running = running
programme-state-upcoming = to come
programme-state-open = open
programme-task = Task
programme-owner = Owner
programme-due = Due
programme-due-day = day { $day }
programme-status = Status
programme-measured = Progress
programme-status-done = done
programme-status-open = open
programme-status-overdue = overdue
programme-owner-cx-manager = CX management
programme-owner-marketing = Marketing
programme-owner-service = Customer service
programme-owner-management = Management
programme-count = { $done } of { $total }
programme-from-data = from the data
programme-by-hand = ticked by hand
programme-tick = Mark as done
programme-untick = Reopen
programme-ticked-by = Ticked by { $who }, { $at }
programme-carried = carried over from the last round
programme-start = Start the programme
programme-continue = Continue the optimisation
programme-continue-hint = A new round starts on the chosen day; what this round has not done is carried over.
programme-start-day = First day
programme-start-day-hint = As YYYY-MM-DD, such as 2027-03-01.
programme-ical-name = 30-day programme, round { $round }
programme-ical-description = done at { $link }
programme-task-inventory-complete = Inventory complete
programme-task-inventory-complete-hint = Every active touchpoint has an owner, a phase and its importance.
programme-task-weaknesses-documented = Weaknesses documented
programme-task-weaknesses-documented-hint = The as-is analysis has recorded findings.
programme-task-guideline-published = Guideline published
programme-task-guideline-published-hint = The communication guideline states the binding facts.
programme-task-consistency-checked = Consistency checked
programme-task-consistency-checked-hint = The consistency check ran since the programme started.
programme-task-service-team = Service team set up
programme-task-service-team-hint = At least one active account with the agent role.
programme-task-response-targets = Response targets set
programme-task-response-targets-hint = Every channel requests came in on in the last 90 days has a response-time target.
programme-task-crm-training = Team trained
programme-task-crm-training-hint = The service team works with the queue and customer profiles.
programme-task-personal-templates = Personal templates in use
programme-task-personal-templates-hint = Messages address customers by name and with their own data.
programme-task-personal-campaign = Personalised campaign run
programme-task-personal-campaign-hint = A campaign for a segment has been sent.
programme-task-measurement-running = Measurement running
programme-task-measurement-running-hint = An active survey has answers from the last 14 days.
programme-task-review-done = Results reviewed
programme-task-review-done-hint = What already works, where is more needed? Then adjust and go on.
problem-rule-programme-task-from-data = The product reads this task from its data; it cannot be ticked by hand.

# The plan's review, budget and import
review-title = Review
review-lead = Every action in progress or done: { $days } days before its start against { $days } days from it, as of { $today }; whether its target was reached, and what to adjust.
review-days = Days per period
review-count = { $total ->
    [one] One action reviewed
   *[other] { $total } actions reviewed
}, { $adjust } to adjust.
review-deadline = due { $day }
review-measured = measured
review-target-met = reached
review-target-missed = missed
review-target-pending = not reached yet
review-target-unmeasured = not measurable yet
review-adjust = What to adjust
review-nothing-to-adjust = Nothing to adjust.
review-empty = No action is in progress or done yet.
review-explained = { $days } days before and from the start each. A verdict needs at least 30 answers on each side and p < 0.05. A target is compared with the value measured from the start: NPS, CSAT and CES only from 30 answers on.
budget-title = Budget and timeline
budget-lead = Planned against spent, in total and per quarter, touchpoint and kind of action. A dropped action's plan no longer counts; what it spent does.
budget-by-quarter = By quarter
budget-by-touchpoint = By touchpoint
budget-by-kind = By kind
budget-quarter = Quarter
budget-touchpoint = Touchpoint
budget-kind = Kind
budget-left = Left
budget-share = Share spent
budget-actions = Actions
budget-no-touchpoint = No touchpoint yet
budget-shared = An action at several touchpoints shares its money among them evenly, so that the touchpoints add up to the total.
budget-timeline = Timeline
budget-no-dates = No action has a start or due date yet.
budget-undated = { $count ->
    [one] One action without start or due date is
   *[other] { $count } actions without start or due date are
} not on the timeline.
import-title = Import actions
import-file = CSV or XLSX file
import-hint = With the columns of the plan's export; kind and title are required. Each row becomes a new action. If one row is wrong, nothing is imported.
import-submit = Import
import-done = { $count ->
    [one] One action imported.
   *[other] { $count } actions imported.
}
import-no-file = Please choose a file.
import-refused = Nothing was imported. { $count ->
    [one] One problem in the file:
   *[other] { $count } problems in the file:
}
import-at-row-column = Row { $row }, column { $column }
import-at-row = Row { $row }
import-at-column = Column { $column }
import-at-file = The file
import-back = Back to the action plan
plan-import-unreadable = This cannot be read.
problem-rule-import-owner-ambiguous = Several accounts have this name: please write the user name.
problem-rule-import-budgets = Please write each quarter like 2027-Q1: 5000.00/1200.00 (planned/spent euros), separated by ";".
problem-rule-import-euros = Please enter an amount in euros with at most two decimals.
problem-rule-import-budget-total = The total does not match the quarters in the column budgets.
problem-rule-import-budget-quarter = A budget needs its quarters in the column budgets, or a start or due date.
problem-rule-import-empty = The file holds no action: a header row and one row per action.

# A survey's answers
survey-answers-title = Answers: { $touchpoint }
survey-answers-link = Read the answers
survey-answers-from = From
survey-answers-until = Until
survey-distribution = Distribution of answers
survey-distribution-count = Count
survey-distribution-share = Share
survey-trend = Trend at the touchpoint "{ $touchpoint }"
survey-trend-hint = Month by month, from every answer of this metric at the touchpoint (also from other surveys and imports).
survey-trend-month = Month
survey-answers-list = Answers
survey-answers-band = Score
survey-band-all = all
survey-band-low = low ({ $range })
survey-band-middle = middle ({ $range })
survey-band-high = high ({ $range })
survey-answers-which = Answers
survey-answers-with-comment = with a comment
survey-answers-every = all
survey-answers-search = Text in the comment
survey-answers-when = When
survey-answers-score = Score
survey-answers-comment = Comment
survey-answers-customer = Customer
survey-answers-count = { $count ->
    [one] One answer
   *[other] { $count } answers
}, newest first.
survey-answers-newest = The newest { $count } answers; filters narrow them down.
survey-answers-none = No answers for this selection.

# Message templates
problem-template = Line { $line }, column { $column }: { $what }
template-fault-unknown-variable = unknown variable “{ $detail }”
template-fault-unknown-filter = unknown filter “{ $detail }”
template-fault-unknown-test = unknown test “{ $detail }”
template-fault-syntax = syntax error ({ $detail })
template-fault-too-long = too long ({ $detail })
template-fault-too-much-work = too much work (a loop without end?)
template-fault-render = cannot be filled in ({ $detail })
templates-title = Templates
templates-new = New template
templates-intro = Reply templates with the customer's data: greeting, name, customer number, last order and more. Checked when saved; filled in on a request with “Insert template”.
templates-empty = No templates yet.
templates-name = Name
templates-language = Language
templates-subject = Subject
templates-subject-hint = Leave empty for replies: they keep the request's subject.
templates-body = Text
templates-variables = Customer data
templates-syntax-hint = Jinja syntax: {"{{ first_name }}"}, {"{% if segment == \"premium\" %}…{% endif %}"}, a fallback for what is missing with {"{{ first_name or \"…\" }}"}. Allowed filters: upper, lower, title, capitalize, trim, default, first, last, join, length, replace, reverse, round, sort, int.
templates-preview = Preview
templates-preview-customer = Preview for customer
templates-preview-customer-hint = Profile number with # (“#12”), e-mail address, phone or customer number, or a name; empty for the preview without customer data only.
templates-preview-for = For { $name }
templates-preview-unknown = Without customer data (how the fallbacks read)
language-de = German
language-en = English
template-var-greeting = Greeting by salutation, name and the guideline's form of address: “Dear Ms Schulz”, “Hello Alex Weber”, “Hi Anna”
template-var-salutation = The profile's salutation (“Ms”, “Mr”)
template-var-name = Full name
template-var-first_name = First name
template-var-last_name = Last name
template-var-customer_number = Customer number
template-var-segment = First segment
template-var-segments = All segments (a list)
template-var-language = Language (de, en)
template-var-lifetime_value = Lifetime value, written as money
template-var-last_order_date = Day of the last order
template-var-last_order_amount = Amount of the last order
template-var-open_requests = Number of open requests
template-var-touchpoint = The request's touchpoint
template-var-request_number = The request's number (“#42”)
template-var-subject = The request's subject
template-var-agent = Name of the person replying
request-template = Template
request-insert-template = Insert template
personal-title = Personalisation
personal-intro = Replies from the queue in the period: whether they address the customer by name and use at least one fact of the customer’s own (customer number, lifetime value, day or amount of the last order, as they stand today). Both together count as personal.
personal-replies = Replies
personal-by-name = by name
personal-uses-facts = with customer data
personal-personalised = personal
personal-rate = share personal
personal-by-agent = By person
problem-rule-customer-ambiguous = More than one customer matches: please give an e-mail address, a number or #profile number.

## The chat widget
chat-title = Chat
chat-lead = The chat widget for your website: the bot answers only from the communication guideline and the questions and answers of the content library, names the source and hands over to a person in the queue at any time.
chat-figures = Last { $days } days: { $conversations } chats, { $questions } with questions
chat-bot-rate = answered by the bot
chat-handover-rate = handed over to a person
chat-enabled = The chat is on
chat-origins = Websites that may embed the chat
chat-origins-hint = One per line, with scheme and host, no path: https://www.example.com
chat-try = Try it in the browser
chat-embed = Embed it on the website:
chat-no-touchpoint = No touchpoint of the channel chat or chatbot yet. Add one in the inventory.
chat-sources = The bot's sources
chat-sources-lead = The bot answers from { $count } sources. It leaves out these:
chat-left-out = Fact or question
chat-left-out-why = Why
chat-left-no-value = The fact has no binding value in the guideline.
chat-left-unknown-value = States “{ $written }”, a value no fact of the guideline has.
chat-left-finding = Contradicts the guideline or breaks a tone rule.
dashboard-chat = Chat, last { $days } days, { $conversations ->
    [one] one conversation
   *[other] { $conversations } conversations
} with questions

dashboard-customers = Customer base, retention and revenue
dashboard-customers-start = Customers at start
dashboard-customers-gained = gained
dashboard-customers-lost = lost
dashboard-customers-end = Customers at end
dashboard-retention = Retention
dashboard-churn = Churn
dashboard-revenue = Revenue
dashboard-purchases = Purchases
dashboard-revenue-growth = Revenue growth
dashboard-customers-hint = Retention = (customers at end − gained) / customers at start; churn = lost / customers at start; revenue growth against the period before. From customer events (activity, purchase, churn), not from surveys.
touchpoint-scores = Scores at this touchpoint
touchpoint-survey-answers = { $count ->
    [one] 1 answer
   *[other] { $count } answers
}
touchpoint-open-requests = Open requests
touchpoint-request-due = due
touchpoint-requests-all = All open requests of this touchpoint
touchpoint-response-times = Response times of the last { $days } days
touchpoint-no-requests = No request came in here in the last { $days } days.
touchpoint-standards = Standards of the last { $days } days
touchpoint-standard-judged = { $judged } judged, { $violated } violated
touchpoint-no-standards = No measurable standard was judged here.
touchpoint-actions = Actions
touchpoint-action-due = due
touchpoint-no-actions = No action concerns this touchpoint.
inventory-sort = Sort by
inventory-sort-own = Inventory order
inventory-sort-name = Name
inventory-sort-importance = Importance
inventory-sort-nps = NPS, best first
inventory-sort-csat = CSAT, best first
inventory-sort-ces = CES, best first
survey-qr = QR code
survey-qr-alt = QR code for { $url }
survey-qr-caption = QR code of the public link, to print for a counter, receipt or parcel (click to download it as SVG).
check-summary = { $checked ->
    [one] 1 text checked
   *[other] { $checked } texts checked
}: { $errors ->
    [one] 1 error
   *[other] { $errors } errors
}, { $warnings ->
    [one] 1 warning
   *[other] { $warnings } warnings
}
check-other-place = the other place

## The audit log's accounts of changes
audit-touchpoint-changed = { $name }: { $fields }
audit-survey = { $metric } at touchpoint { $touchpoint }
audit-interactions-imported = { $count } interactions ({ $created } created, { $updated } updated)
audit-branding = company name: { $name }; no logo
audit-branding-logo = company name: { $name }; logo: { $type }, { $bytes } bytes
audit-user-create = { $user } as { $role }
audit-user-role = { $before } → { $after }
audit-sessions-ended = sessions ended
audit-token-create = { $name } ({ $scope })
audit-action-status = { $from } → { $to }
audit-action-status-confirmed = { $from } → { $to }; { $confirmed }
audit-plan-settings = quick win within { $days } days and { $effort } person-days; weighted target groups: { $groups }, regions: { $regions }
audit-chat-widget-off = { $name }: off
audit-chat-widget-nowhere = { $name }: on, no website allowed
audit-chat-widget-on = { $name }: on for { $origins }
audit-chat-purge = { $count ->
    [one] one conversation
   *[other] { $count } conversations
} started before { $before } deleted
audit-customer-merge = profile { $absorbed } merged into { $survivor } ({ $reason })
merge-why-by-hand = by hand
merge-why-identifier-added = identifier added
merge-why-phone-number = phone number
audit-customer-phones = { $changed } phone numbers stored by new rules; { $merged } profiles merged
audit-customer-unmerge = profile { $absorbed } split from { $survivor } (merge { $merge })
audit-requests-intake = { $count ->
    [one] 1 request
   *[other] { $count } requests
} ({ $created } created, { $retried } already stored, { $profiles ->
    [one] 1 new profile
   *[other] { $profiles } new profiles
})
audit-inventory-import = { $channels } channels, { $phases } phases; touchpoints: { $created } created, { $updated } updated, { $unchanged } unchanged
audit-finding-grown = { $kind } "{ $rule }": open again, found in more places
audit-finding-reopened = { $kind } "{ $rule }": fixed → open again
audit-guideline = { $facts ->
    [one] one fact
   *[other] { $facts } facts
}
audit-erased-staff = staff member; { $count } records deleted or anonymised
audit-erased-customer = customer; { $count } records deleted or anonymised
audit-requests-ranked = { $count } open requests ranked anew
audit-requests-planned = { $count } open requests planned anew
audit-sla-put = { $channel }, { $priority }: { $first } / { $resolution } min; { $count } open requests planned anew
audit-sla-put-always = { $channel }, { $priority }: { $first } / { $resolution } min, around the clock; { $count } open requests planned anew
audit-sla-delete = { $channel }, { $priority }; { $count } open requests planned anew
audit-story = { $title } ({ $example })
audit-programme-start = round { $round } from { $start }, { $carried } carried over
audit-programme-done = { $task }: done
audit-programme-open = { $task }: open
audit-mail-settings = { $server }, sender { $sender }
audit-answers-imported = { $count ->
    [one] one answer
   *[other] { $count } answers
}
audit-follow-up = follow-up of answer { $answer }
audit-campaign-send = { $count ->
    [one] { $name }: 1 mail
   *[other] { $name }: { $count } mails
}
audit-campaign-test = { $name }: test mail
audit-customer-unsubscribe = withdrew consent to marketing mails through campaign { $campaign }
audit-mail-release = { $count ->
    [one] 1 held mail released
   *[other] { $count } held mails released
}
audit-events-imported = { $count ->
    [one] one event
   *[other] { $count } events
}

audit-login-password = password
audit-login-link = one-time link
audit-login-link-created = one-time, 24 hours
audit-personal-data-exported = personal data exported
audit-token-creator-demoted = creator demoted
audit-token-creator-password = creator's password changed
audit-token-creator-disabled = creator disabled
audit-token-creator-erased = creator erased

## Rules of form fields
problem-rule-ends-before-start = The end comes before the start.
problem-rule-language-code = Enter a language code such as de or en.
problem-rule-control-characters = The text contains control characters.
problem-rule-key-characters = Use lower-case letters a–z, digits, "-" and "_" only.
problem-rule-blank-key = A key is blank.
problem-rule-key-spaces = Remove the spaces at the start or end.
problem-rule-not-a-host = Enter a host name or IP address.
problem-rule-one-line = Enter one line without control characters.
problem-rule-not-a-web-address = Enter an http:// or https:// address without query or fragment.
problem-rule-in-the-future = The time lies in the future.
problem-rule-number-range = Enter a number within the allowed range.
problem-rule-password-mismatch = The repetition does not match the password.
problem-rule-not-an-id = Choose an entry from the list.
problem-rule-fact-value-duration = Enter a duration such as "30 days".
problem-rule-fact-value-price = Enter a price such as "€4.90".
problem-rule-fact-value-phone = Enter a phone number.
problem-rule-fact-value-email = Enter an e-mail address.
problem-rule-fact-value-url = Enter a web address.
problem-rule-fact-value-hours = Enter opening hours such as "Mon–Fri 8am–6pm".
problem-rule-fact-value-date = Enter a date.
problem-rule-fact-value-percentage = Enter a percentage such as "19 %".
problem-rule-not-a-contact = Enter a phone number, e-mail or web address.
problem-rule-same-contact = This contact is already on the list, written differently.
problem-rule-opening-interval = Enter times such as "08:00-18:00", several separated by commas.
problem-rule-unknown-customer = This customer does not exist (any more).

## Segments and campaigns
nav-campaigns = Campaigns
segments-title = Segments
segments-new = New segment
segments-intro = Customers selected by rules over their profile and their history: segment tags, lifetime value, language, region, last contact, channels used, their latest NPS answer, open requests and consent. Counted afresh on every view.
segments-empty = No segments yet.
segments-name = Name
segments-rules = Rules
segments-rules-hint = Each row is one rule: a field, whether it applies, and a value. Empty rows are ignored; a segment without rules holds every customer.
segments-rule = Rule { $number }
segments-rule-field = Field of rule
segments-rule-holds = Applies, rule
segments-rule-value = Value of rule
segments-holds-yes = applies
segments-holds-no = does not apply
segments-combine = Combine rules
segments-combine-all = all must apply (and)
segments-combine-any = one is enough (or)
segments-rule-count = { $count ->
    [one] 1 rule
   *[other] { $count } rules
}
segments-members = Members
segments-reachable = Reachable by campaign
segments-count = Count members
segments-preview-counts = { $members } customers, { $reachable } of them reachable by a campaign (e-mail address and consent to marketing mails).
segment-field-segment = Segment tag
segment-field-lifetime_value = Lifetime value at least (EUR)
segment-field-language = Language
segment-field-region = Region
segment-field-last_contact = Last contact within days
segment-field-channel = Channel used
segment-field-nps = NPS category
segment-field-open_requests = Open requests at least
segment-field-consent = Consent given
segment-value-segment = a tag of the profile, e.g. premium
segment-value-lifetime_value = an amount in euros, e.g. 500 or 49.90
segment-value-language = a language code, e.g. de or en
segment-value-region = the profile's attribute "region", e.g. Nord
segment-value-last_contact = a number of days, e.g. 90 (requests and survey answers count)
segment-value-channel = a channel key, e.g. email
segment-value-nps = promoter (9–10), passive (7–8) or detractor (0–6), from the latest answer
segment-value-open_requests = a number, e.g. 1
segment-value-consent = email_marketing, phone_marketing or personalisation
campaigns-title = Campaigns
campaigns-intro = A message template sent by e-mail to the members of a segment who consented to marketing mails. Every customer gets a campaign once; each mail carries a link that ends such mails at once.
campaigns-empty = No campaigns yet.
campaigns-new = New campaign
campaigns-needs = A campaign needs a segment and a message template first.
campaigns-name = Name
campaigns-segment = Segment
campaigns-template = Message template
campaigns-per-minute = Mails per minute
campaigns-per-minute-hint = 1 to 60,000; the outbox sends no faster, so that the mail server is not flooded.
campaigns-create = Create draft
campaigns-status = Status
campaigns-mails = Mails
campaigns-draft = draft, not sent
campaigns-sent-at = sent { $at }
campaigns-reach = Reach now
campaigns-message = Message
campaigns-message-for-first = As the first recipient gets it.
campaigns-findings = { $count ->
    [one] The guideline finds 1 problem in this message:
   *[other] The guideline finds { $count } problems in this message:
}
campaigns-test = Test mail
campaigns-test-to = To address
campaigns-test-send = Send test mail
campaigns-tested = The test mail is in the outbox.
campaigns-send = Send
campaigns-send-hint = Goes to { $reachable } customers with an e-mail address and consent who have not had it yet. Sending again later reaches only new members.
campaigns-send-now = Send to { $reachable } customers
campaigns-sent = { $queued } mails queued. { $already } customers had it already; { $without } withdrew their consent meanwhile.
campaigns-to-mail-settings = Mail settings
campaigns-recipients = Recipients
campaigns-customer = Customer
campaigns-address = Address
campaigns-no-recipients = Not sent to anyone yet.
unsubscribe-title = Unsubscribe from marketing mails
unsubscribe-ask = Do you no longer want to receive marketing mails from us? Service mails about your requests still reach you.
unsubscribe-button = Unsubscribe
unsubscribe-done = Done: you will receive no more marketing mails from us.
unsubscribe-already = You are unsubscribed from marketing mails already.
unsubscribe-invalid = This link is not valid. Please use the link from the mail as it is.
mail-release-hint = Mails written while no mail server was set up are held. They go out through this server once you release them.
mail-release = { $count ->
    [one] Send 1 held mail
   *[other] Send { $count } held mails
}
mail-senders = Other senders
mail-senders-hint = One a line, for the mails about requests of a channel or a touchpoint: its channel key or name, a colon, the sender. For example: website: Nordlicht Shop <shop@nordlicht.example>. A touchpoint's sender comes before its channel's.

admin-webhooks = Webhooks
webhooks-lead = Integrations subscribe to events and receive signed HTTP POSTs. Only public addresses are reached unless private ones are allowed for a subscription.
webhooks-secret-once = This subscription's secret is shown only now. Give it to the receiver to verify the signatures.
webhooks-add = Add subscription
webhooks-url = Receiver URL
webhooks-url-hint = https://…; http only when allowed below.
webhooks-events = Events
webhooks-event-request_created = request received
webhooks-event-request_resolved = request resolved
webhooks-event-answer_received = answer received
webhooks-event-answer_detractor = detractor answer (NPS 0–6)
webhooks-event-campaign_sent = campaign sent
webhooks-allow-http = Allow unencrypted http
webhooks-allow-private = Allow private addresses (company network, localhost)
webhooks-subscriptions = Subscriptions
webhooks-none = No subscriptions yet.
webhooks-active = active
webhooks-paused = paused
webhooks-test = Send test event
webhooks-pause = Pause
webhooks-resume = Resume
webhooks-delete = Remove
webhooks-deliveries = Recent deliveries
webhooks-event = Event
webhooks-status = Status
webhooks-attempts = Tries
webhooks-answer = Last answer
webhooks-at = At
webhooks-status-queued = waiting
webhooks-status-sending = sending
webhooks-status-delivered = delivered
webhooks-status-failed = failed

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

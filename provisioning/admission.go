package provisioning

import "github.com/provisionrules/provisionrules/internal/enum"

// Admission is how a user gets a record in an environment. The zero
// Admission is Never, so that a decision nobody filled in admits nobody.
type Admission uint8

// The admissions, from the least to the most.
const (
	// Never: the user is not added, whatever asks.
	Never Admission = iota
	// OnDemand: the user is added only by an on-demand trigger (its own
	// first access, or an administrator), never by the background sync.
	OnDemand
	// Automatic: the background sync adds the user, and so does any
	// on-demand trigger.
	Automatic
)

var admissionNames = []string{Never: "never", OnDemand: "on-demand", Automatic: "automatic"}

// IsValid reports whether a is one of the admissions.
func (a Admission) IsValid() bool { return enum.Valid(admissionNames, a) }

// String returns the admission's name, such as "on-demand".
func (a Admission) String() string { return enum.Name(admissionNames, "Admission", a) }

// MarshalText returns the admission's name. It fails for an invalid value.
func (a Admission) MarshalText() ([]byte, error) {
	return enum.Marshal(admissionNames, "provisioning.Admission", a)
}

// UnmarshalText accepts an admission's name in any case; anything else is
// an error wrapping ErrUnknown and leaves a unchanged.
func (a *Admission) UnmarshalText(text []byte) error {
	return enum.Unmarshal(admissionNames, "provisioning.Admission", text, a)
}

// Trigger is what asks for a user to be added. The zero Trigger is invalid.
type Trigger uint8

// The triggers.
const (
	// BackgroundSync is the automatic, periodic directory sync.
	BackgroundSync Trigger = iota + 1
	// FirstAccess is the user's own attempt to access the environment.
	FirstAccess
	// AdminAPI is an administrator's API call, such as
	// Add-AdminPowerAppsSyncUser.
	AdminAPI
	// AdminCenter is an administrator adding the user in the Power Platform
	// admin center.
	AdminCenter
)

var triggerNames = []string{
	BackgroundSync: "background-sync",
	FirstAccess:    "first-access",
	AdminAPI:       "admin-api",
	AdminCenter:    "admin-center",
}

// Triggers lists every trigger.
func Triggers() []Trigger { return []Trigger{BackgroundSync, FirstAccess, AdminAPI, AdminCenter} }

// IsValid reports whether t is one of the triggers.
func (t Trigger) IsValid() bool { return enum.Valid(triggerNames, t) }

// OnDemand reports whether t is an on-demand trigger: anything but the
// background sync.
func (t Trigger) OnDemand() bool { return t.IsValid() && t != BackgroundSync }

// String returns the trigger's name, such as "first-access".
func (t Trigger) String() string { return enum.Name(triggerNames, "Trigger", t) }

// MarshalText returns the trigger's name. It fails for an invalid value.
func (t Trigger) MarshalText() ([]byte, error) {
	return enum.Marshal(triggerNames, "provisioning.Trigger", t)
}

// UnmarshalText accepts a trigger's name in any case; anything else is an
// error wrapping ErrUnknown and leaves t unchanged.
func (t *Trigger) UnmarshalText(text []byte) error {
	return enum.Unmarshal(triggerNames, "provisioning.Trigger", text, t)
}

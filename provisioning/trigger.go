package provisioning

import "github.com/provisionrules/provisionrules/internal/enum"

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

package provisioning

import "github.com/provisionrules/provisionrules/internal/enum"

// Admission is how a user gets a record in an environment. The zero
// Admission is Never, so that a decision nobody filled in admits nobody.
type Admission uint8

// The admissions, from the least to the most.
const (
	// AdmissionNever: the user is not added, whatever asks.
	AdmissionNever Admission = iota
	// AdmissionOnDemand: the user is added only by an on-demand trigger
	// (its own first access, or an administrator), never by the
	// background sync.
	AdmissionOnDemand
	// AdmissionAutomatic: the background sync adds the user, and so does
	// any on-demand trigger.
	AdmissionAutomatic
)

var admissionNames = []string{AdmissionNever: "never", AdmissionOnDemand: "on-demand", AdmissionAutomatic: "automatic"}

// Admissions lists every admission, from the least to the most.
func Admissions() []Admission {
	return []Admission{AdmissionNever, AdmissionOnDemand, AdmissionAutomatic}
}

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

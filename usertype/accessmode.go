package usertype

import "github.com/provisionrules/provisionrules/internal/enum"

// AccessMode is the access mode of a SystemUser record (the accessmode
// column). The constants carry the values Dataverse stores. Its zero value
// is ReadWrite, as it is for a Dataverse record.
type AccessMode uint8

// The access modes, with their Dataverse values.
const (
	// ReadWrite is the default for every licensed user.
	ReadWrite AccessMode = 0
	// Administrative gives settings and administration only, no customer
	// data: what an administrator without a user license gets (a "setup
	// user").
	Administrative AccessMode = 1
	// Read is read-only access.
	Read AccessMode = 2
	// SupportUser is the access mode of the one support user record
	// (UT-SUPPORT).
	SupportUser AccessMode = 3
	// NonInteractive allows the API and SDK only, never the web interface or
	// the admin portals (UT-NONINTERACTIVE).
	NonInteractive AccessMode = 4
	// DelegatedAdmin is the access mode of the one delegated-admin record
	// (UT-DELEGATED-ADMIN).
	DelegatedAdmin AccessMode = 5
)

// NoAccessMode is not an access mode: what a decision that admits nobody,
// or an action that leaves the user without a record, says in place of
// one, so that a caller that reads it as a mode writes nothing valid. It
// is not IsValid, prints as "none", and has no text form to marshal.
const NoAccessMode AccessMode = 0xff

var accessModeNames = []string{
	ReadWrite:      "read-write",
	Administrative: "administrative",
	Read:           "read",
	SupportUser:    "support-user",
	NonInteractive: "non-interactive",
	DelegatedAdmin: "delegated-admin",
}

// AccessModes lists every access mode in the order of its Dataverse value.
func AccessModes() []AccessMode {
	return []AccessMode{ReadWrite, Administrative, Read, SupportUser, NonInteractive, DelegatedAdmin}
}

// IsValid reports whether m is one of the six Dataverse access modes.
func (m AccessMode) IsValid() bool { return enum.Valid(accessModeNames, m) }

// String returns the mode's name, such as "read-write", "none" for
// NoAccessMode, or "AccessMode(9)" for another value Dataverse does not
// define.
func (m AccessMode) String() string {
	if m == NoAccessMode {
		return "none"
	}
	return enum.Name(accessModeNames, "AccessMode", m)
}

// MarshalText returns the mode's name. It fails for an invalid mode.
func (m AccessMode) MarshalText() ([]byte, error) {
	return enum.Marshal(accessModeNames, "usertype.AccessMode", m)
}

// UnmarshalText accepts a mode's name, in any case, or its Dataverse value
// written as a decimal digit ("0" to "5"), the form a Dataverse export uses.
// Anything else is an error wrapping sentinel.ErrUnknown; m is then unchanged.
func (m *AccessMode) UnmarshalText(text []byte) error {
	if len(text) == 1 && text[0] >= '0' && text[0] <= '9' {
		v := AccessMode(text[0] - '0')
		if !v.IsValid() {
			return enum.Unknown(accessModeNames, "usertype.AccessMode", string(text))
		}
		*m = v
		return nil
	}
	v, err := enum.Parse[AccessMode](accessModeNames, "usertype.AccessMode", text)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Interactive reports whether a user with this mode can use the web
// interface: every mode but NonInteractive (UT-NONINTERACTIVE).
func (m AccessMode) Interactive() bool { return m.IsValid() && m != NonInteractive }

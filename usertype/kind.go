package usertype

import (
	"fmt"
	"strings"

	"github.com/provisionrules/provisionrules/internal/enum"
	"github.com/provisionrules/provisionrules/internal/sentinel"
)

// The well-known identities created with every environment.
const (
	// SupportUPN is the user principal name of the support user record, to
	// which every Microsoft support engineer maps (UT-SUPPORT).
	SupportUPN = "crmoln@microsoft.com"
	// DelegatedAdminUPN is the user principal name of the delegated-admin
	// record, to which every delegated-admin partner user maps
	// (UT-DELEGATED-ADMIN).
	DelegatedAdminUPN = "crmoln2@microsoft.com"
)

// NonInteractiveLimit is the most non-interactive users an environment may
// hold (UT-NONINTERACTIVE-LIMIT). Records with access mode NonInteractive
// and no application ID count, disabled ones included; application users do
// not.
const NonInteractiveLimit = 7

// Kind is the kind of a Dataverse user. The zero Kind is invalid: a record
// whose kind is not known is not any kind.
type Kind uint8

// The kinds of users.
const (
	// KindRegular is a user synchronized from the directory (UT-REGULAR).
	KindRegular Kind = iota + 1
	// KindApplication is an application user, identified by a non-empty
	// application ID on its record (UT-APPLICATION). It needs no license,
	// is exempt from the security-group rule and is not counted toward
	// NonInteractiveLimit.
	KindApplication
	// KindNonInteractive is a directory user marked non-interactive (access
	// mode 4): API and SDK only, no license needed, security-group rules
	// still apply (UT-NONINTERACTIVE).
	KindNonInteractive
	// KindSupport is the support user record (UT-SUPPORT).
	KindSupport
	// KindDelegatedAdmin is the delegated-admin record (UT-DELEGATED-ADMIN).
	KindDelegatedAdmin
	// KindStub is a placeholder created by data import for a user that does
	// not exist; it cannot sign in and cannot be enabled (UT-STUB).
	KindStub
	// KindSetup is an administrator without a user license, enabled with
	// access mode Administrative (MODE-ADMINISTRATIVE). It is a regular
	// directory user otherwise.
	KindSetup
)

var kindNames = []string{
	KindRegular:        "regular",
	KindApplication:    "application",
	KindNonInteractive: "non-interactive",
	KindSupport:        "support",
	KindDelegatedAdmin: "delegated-admin",
	KindStub:           "stub",
	KindSetup:          "setup",
}

// Kinds lists every kind.
func Kinds() []Kind {
	return []Kind{KindRegular, KindApplication, KindNonInteractive, KindSupport, KindDelegatedAdmin, KindStub, KindSetup}
}

// IsValid reports whether k is one of the kinds.
func (k Kind) IsValid() bool { return enum.Valid(kindNames, k) }

// String returns the kind's name, such as "application", or "Kind(0)".
func (k Kind) String() string { return enum.Name(kindNames, "Kind", k) }

// MarshalText returns the kind's name. It fails for an invalid kind.
func (k Kind) MarshalText() ([]byte, error) {
	return enum.Marshal(kindNames, "usertype.Kind", k)
}

// UnmarshalText accepts a kind's name in any case; anything else is an
// error wrapping sentinel.ErrUnknown and leaves k unchanged.
func (k *Kind) UnmarshalText(text []byte) error {
	return enum.Unmarshal(kindNames, "usertype.Kind", text, k)
}

// capabilities is what the engine asks of a kind, one row per kind. What
// a kind needs to be admitted (a license, the security group) is decided
// by package provisioning alone, rule by rule, and is not repeated here.
type capabilities struct {
	synced, counts bool
}

var kindCapabilities = [...]capabilities{
	KindRegular:        {synced: true},
	KindApplication:    {synced: true},
	KindNonInteractive: {synced: true, counts: true},
	KindSupport:        {},
	KindDelegatedAdmin: {},
	KindStub:           {},
	KindSetup:          {synced: true},
}

func (k Kind) caps() capabilities {
	if !k.IsValid() {
		return capabilities{}
	}
	return kindCapabilities[k]
}

// Synced reports whether the directory sync changes records of this kind:
// every kind but support, delegated-admin and stub records, which the sync
// never changes (LIFE-NOT-SYNCED); a stub is never enabled (UT-STUB).
// Application users are kept in step with their service principal, though
// only an administrator creates them (UT-APPLICATION).
func (k Kind) Synced() bool { return k.caps().synced }

// CountsTowardLimit reports whether a user of this kind counts toward
// NonInteractiveLimit: only KindNonInteractive does; application users do
// not (UT-NONINTERACTIVE-LIMIT).
func (k Kind) CountsTowardLimit() bool { return k.caps().counts }

// Traits are what a SystemUser record shows about its kind.
type Traits struct {
	UPN           string     // domainname
	Mode          AccessMode // accessmode
	ApplicationID string     // applicationid; non-empty for an application user
	Stub          bool       // the record was created by data import as a placeholder
}

// Classify returns the kind of a record from its facts. A stub is a stub
// whatever else it says (UT-STUB); a non-empty application ID makes an
// application user (UT-APPLICATION); the support and delegated-admin
// records are recognised by their access mode and must carry their
// well-known UPN (UT-SUPPORT, UT-DELEGATED-ADMIN); access mode
// NonInteractive makes a non-interactive user, Administrative a setup user,
// and Read-Write or Read a regular user.
//
// An invalid access mode, a well-known mode without its UPN, a well-known
// UPN without its mode, or an application ID on a well-known record is a
// *TraitsError naming the field; the kind is then invalid.
func Classify(f Traits) (Kind, error) {
	if !f.Mode.IsValid() {
		return 0, &TraitsError{Field: "Mode", Value: f.Mode.String(), Err: enum.Unknown(accessModeNames, "usertype.AccessMode", f.Mode.String())}
	}
	if f.Stub {
		return KindStub, nil
	}
	switch {
	case f.Mode == SupportUser || strings.EqualFold(f.UPN, SupportUPN):
		return wellKnown(f, KindSupport, SupportUser, SupportUPN)
	case f.Mode == DelegatedAdmin || strings.EqualFold(f.UPN, DelegatedAdminUPN):
		return wellKnown(f, KindDelegatedAdmin, DelegatedAdmin, DelegatedAdminUPN)
	case f.ApplicationID != "":
		return KindApplication, nil
	case f.Mode == NonInteractive:
		return KindNonInteractive, nil
	case f.Mode == Administrative:
		return KindSetup, nil
	default:
		return KindRegular, nil
	}
}

func wellKnown(f Traits, k Kind, mode AccessMode, upn string) (Kind, error) {
	switch {
	case f.Mode != mode:
		return 0, &TraitsError{Field: "Mode", Value: f.Mode.String(), Err: fmt.Errorf("%w: UPN %q belongs to the %s record", sentinel.ErrContradiction, f.UPN, k)}
	case !strings.EqualFold(f.UPN, upn):
		return 0, &TraitsError{Field: "UPN", Value: f.UPN, Err: fmt.Errorf("%w: access mode %s belongs to %q", sentinel.ErrContradiction, f.Mode, upn)}
	case f.ApplicationID != "":
		return 0, &TraitsError{Field: "ApplicationID", Value: f.ApplicationID, Err: fmt.Errorf("%w: the %s record has no application", sentinel.ErrContradiction, k)}
	}
	return k, nil
}

package provisioning_test

import (
	"encoding"
	"errors"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/usertype"
)

// FuzzEvaluate: Evaluate never panics; malformed input is never admitted
// and says why; well-formed input always gets a decision without error.
// Every enum field takes any byte, so that invalid values are reached.
func FuzzEvaluate(f *testing.F) {
	f.Add("u-1", "ana@contoso.com", uint16(0b1), uint8(2), "contoso", uint8(1), "g", "g", uint8(1), uint8(0b1), "contoso", "", uint8(0), uint8(0))
	f.Add("u-1", "", uint16(0b1000), uint8(9), "", uint8(8), "", "g", uint8(4), uint8(0b11), "contoso", "u-1", uint8(4), uint8(1))
	f.Add("", "x", uint16(0b110), uint8(0), "fabrikam", uint8(255), "g", "", uint8(0), uint8(0), "", "", uint8(7), uint8(2))
	f.Fuzz(func(t *testing.T, objectID, upn string, flags uint16, plan uint8, licTenant string, roles uint8, group, envGroup string, envType, envFlags uint8, envTenant, creator string, recMode, recFlags uint8) {
		u := provisioning.User{
			ObjectID: objectID, UPN: upn,
			Enabled: flags&1 != 0, Deleted: flags&2 != 0, SoftDeleted: flags&4 != 0, Guest: flags&8 != 0,
			Roles: provisioning.AdminRoles(roles),
		}
		if flags&16 != 0 {
			u.HomeTenant = "home"
		}
		if flags&32 != 0 {
			u.ApplicationID = "app"
		}
		if flags&64 != 0 {
			u.Licenses = []provisioning.License{{Plan: provisioning.LicensePlan(plan), Tenant: licTenant}}
		}
		switch flags >> 7 & 3 {
		case 1:
			u.Groups = []string{group}
		case 2:
			u.NestedGroups = []string{group}
		case 3:
			u.OwnedGroups = []string{group}
		}
		env := provisioning.Environment{
			ID: "env", Tenant: envTenant, Type: provisioning.EnvironmentType(envType), SecurityGroup: envGroup, Creator: creator,
			Dataverse: envFlags&1 != 0, AppPass: envFlags&2 != 0, TenantMarketing: envFlags&4 != 0,
		}
		if envFlags&8 != 0 {
			env.ID = ""
		}
		decisions := []provisioning.Decision{provisioning.Evaluate(&u, &env)}
		r := provisioning.Record{ObjectID: objectID, Mode: usertype.AccessMode(recMode), Stub: recFlags&1 != 0}
		if recFlags&2 != 0 {
			r.UPN = usertype.SupportUPN
		}
		if recFlags&4 != 0 {
			r.Roles = []string{""}
		}
		decisions = append(decisions, provisioning.EvaluateRecord(&u, &env, &r))

		bad := errors.Join(u.Validate(), env.Validate())
		if !provisioning.LicensePlan(plan).IsValid() && flags&64 != 0 && u.Validate() == nil {
			t.Fatalf("Validate accepted license plan %d", plan)
		}
		if !provisioning.EnvironmentType(envType).IsValid() && env.Validate() == nil {
			t.Fatalf("Validate accepted environment type %d", envType)
		}
		if !provisioning.AdminRoles(roles).IsValid() && u.Validate() == nil {
			t.Fatalf("Validate accepted admin roles %d", roles)
		}
		for i, d := range decisions {
			_ = d.Explain() // must not panic either
			bad := bad
			if i == 1 {
				bad = errors.Join(bad, r.Validate())
			}
			if bad != nil {
				if d.Admitted() || d.Err() == nil {
					t.Fatalf("decision %d admitted malformed input (%v): %v", i, bad, d)
				}
				var fe *provisioning.FieldError
				if !errors.As(d.Err(), &fe) || !strings.HasPrefix(d.Err().Error(), fe.Input) {
					t.Fatalf("error %q is no *FieldError starting with its input", d.Err())
				}
			} else if i == 0 && d.Err() != nil {
				t.Fatalf("well-formed input refused as malformed: %v", d.Err())
			}
		}
		if !usertype.AccessMode(recMode).IsValid() && decisions[1].Err() == nil {
			t.Fatalf("EvaluateRecord accepted access mode %d", recMode)
		}
	})
}

// FuzzEnumText: every enum's UnmarshalText either fails with an error
// wrapping ErrUnknown, leaving the value alone, or reads a value whose
// MarshalText reads back to the same value.
func FuzzEnumText(f *testing.F) {
	for _, s := range []string{"production", "TEAMS", "dynamics-365", "global+power-platform", "none", "on-demand", "first-access", "SG-NESTED", "n/a", "", "+", "bogus"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, v := range []interface {
			encoding.TextMarshaler
			encoding.TextUnmarshaler
		}{
			new(provisioning.EnvironmentType), new(provisioning.LicensePlan), new(provisioning.AdminRoles),
			new(provisioning.Admission), new(provisioning.Trigger), new(provisioning.Rule), new(provisioning.Outcome),
			new(provisioning.Verb), new(provisioning.Area),
		} {
			before, _ := v.MarshalText()
			if err := v.UnmarshalText([]byte(text)); err != nil {
				if !errors.Is(err, provisioning.ErrUnknown) {
					t.Fatalf("%T: error %v does not wrap ErrUnknown", v, err)
				}
				if after, _ := v.MarshalText(); string(after) != string(before) {
					t.Fatalf("%T: failed UnmarshalText changed the value", v)
				}
				continue
			}
			out, err := v.MarshalText()
			if err != nil {
				t.Fatalf("%T: read %q but cannot write it: %v", v, text, err)
			}
			if !strings.EqualFold(string(out), text) && !strings.Contains(text, "+") {
				t.Fatalf("%T: read %q, wrote %q", v, text, out)
			}
		}
	})
}

package tenant_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/usertype"
)

// healthy is a tenant whose health check finds nothing: its directory
// tenant and groups are given, and its one environment's security group
// and group team are groups of it, with an admitted direct member.
func healthy() tenant.Snapshot {
	env := production()
	env.Teams = []provisioning.GroupTeam{{Group: "g-team", Name: "Readers", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned, InSecurityGroup: true}}
	return tenant.Snapshot{
		Tenant:       "contoso",
		Groups:       []tenant.Group{{ID: "g-sales", Kind: provisioning.GroupKindSecurity}, {ID: "g-team", Kind: provisioning.GroupKindSecurity}},
		Users:        []provisioning.User{licensed()},
		Environments: []provisioning.Environment{env},
		Records:      map[string][]provisioning.Record{env.ID: {{ObjectID: "u-ana", UPN: "ana@contoso.com"}}},
	}
}

// withRecords adds n enabled records of env-prod whose object IDs are
// given by id, and the users of those that user says.
func withRecords(s *tenant.Snapshot, n int, id func(i int) string, user func(i int) bool) {
	for i := range n {
		rec := provisioning.Record{ObjectID: id(i), UPN: id(i) + "@contoso.com"}
		s.Records["env-prod"] = append(s.Records["env-prod"], rec)
		if user(i) {
			u := licensed()
			u.ObjectID, u.UPN = rec.ObjectID, rec.UPN
			s.Users = append(s.Users, u)
		}
	}
}

// Every CHK rule of RULES.md, with a tenant it flags and one it does not,
// as an administrator would get them wrong: expectations from RULES.md.
func TestHealthRules(t *testing.T) {
	for _, c := range []struct {
		name     string
		rule     tenant.Rule
		change   func(*tenant.Snapshot)
		severity tenant.Severity // zero: the rule finds nothing
		says     string
	}{
		{"CHK-TENANT: the tenant is the directory's", tenant.RuleTenant, func(*tenant.Snapshot) {}, 0, ""},
		{"CHK-TENANT: a domain name for the tenant ID", tenant.RuleTenant, func(s *tenant.Snapshot) {
			s.Environments[0].Tenant = "contoso.onmicrosoft.com"
		}, tenant.SeverityError, "domain name contoso.onmicrosoft.com"},
		{"CHK-TENANT: another tenant than the directory's", tenant.RuleTenant, func(s *tenant.Snapshot) {
			s.Environments[0].Tenant = "fabrikam"
		}, tenant.SeverityError, "but the directory is tenant contoso"},
		{"CHK-TENANT: no directory tenant given, the members' licenses say", tenant.RuleTenant, func(s *tenant.Snapshot) {
			s.Tenant, s.Environments[0].Tenant = "", "fabrikam"
		}, tenant.SeverityError, "hold their licenses in tenant contoso"},
		{"CHK-TENANT: a guest's home-tenant licenses do not decide", tenant.RuleTenant, func(s *tenant.Snapshot) {
			s.Tenant = ""
			g := licensed()
			g.ObjectID, g.UPN, g.Guest, g.HomeTenant = "u-guest", "guest_fabrikam#EXT#@contoso.com", true, "fabrikam"
			g.Licenses = []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "fabrikam"}, {Plan: provisioning.PlanDynamics365, Tenant: "fabrikam"}}
			s.Users = append(s.Users, g)
		}, 0, ""},
		{"CHK-GROUP-EXISTS: a mistyped group", tenant.RuleGroupExists, func(s *tenant.Snapshot) {
			s.Environments[0].SecurityGroup = "g-slaes"
		}, tenant.SeverityError, "g-slaes of environment env-prod is not a group of the directory"},
		{"CHK-GROUP-EXISTS: a Microsoft 365 group", tenant.RuleGroupExists, func(s *tenant.Snapshot) {
			s.Groups[0].Kind = provisioning.GroupKindMicrosoft365
		}, tenant.SeverityError, "not a security group"},
		{"CHK-GROUP-EXISTS: no groups given", tenant.RuleGroupExists, func(s *tenant.Snapshot) {
			s.Groups = nil
		}, tenant.SeverityWarning, "could not be checked"},
		{"CHK-GROUP-EXISTS: no groups in the directory", tenant.RuleGroupExists, func(s *tenant.Snapshot) {
			s.Groups = []tenant.Group{}
		}, tenant.SeverityError, "is not a group of the directory"},
		{"CHK-GROUP-EMPTY: a member is admitted", tenant.RuleGroupEmpty, func(*tenant.Snapshot) {}, 0, ""},
		{"CHK-GROUP-EMPTY: the only member is unlicensed", tenant.RuleGroupEmpty, func(s *tenant.Snapshot) {
			s.Users[0].Licenses = nil
		}, tenant.SeverityWarning, "no direct member of security group g-sales is admitted"},
		{"CHK-GROUP-EMPTY: the only member is disabled", tenant.RuleGroupEmpty, func(s *tenant.Snapshot) {
			s.Users[0].Enabled = false
		}, tenant.SeverityWarning, "admits nobody through it"},
		{"CHK-GROUP-EMPTY: an unlicensed admin member is admitted", tenant.RuleGroupEmpty, func(s *tenant.Snapshot) {
			s.Users[0].Licenses, s.Users[0].Roles = nil, provisioning.PowerPlatformAdmin
		}, 0, ""},
		{"CHK-TEAM-GROUP: a mistyped team group", tenant.RuleTeamGroup, func(s *tenant.Snapshot) {
			s.Environments[0].Teams[0].Group = "g-taem"
		}, tenant.SeverityWarning, "g-taem of team Readers is not a group of the directory"},
		{"CHK-TEAM-GROUP: a team whose group is known deleted", tenant.RuleTeamGroup, func(s *tenant.Snapshot) {
			s.Environments[0].Teams[0].Group, s.Environments[0].Teams[0].GroupDeleted = "g-gone", true
		}, 0, ""},
		{"CHK-TEAM-GROUP: no groups given", tenant.RuleTeamGroup, func(s *tenant.Snapshot) {
			s.Groups = nil
		}, tenant.SeverityWarning, "groups of 1 group team exist could not be checked"},
		{"CHK-TEAM-OUTSIDE: the team's group is in the security group", tenant.RuleTeamOutside, func(*tenant.Snapshot) {}, 0, ""},
		{"CHK-TEAM-OUTSIDE: the team's group is not", tenant.RuleTeamOutside, func(s *tenant.Snapshot) {
			s.Environments[0].Teams[0].InSecurityGroup = false
		}, tenant.SeverityWarning, "not a direct member of security group g-sales"},
		{"CHK-TEAM-OUTSIDE: no security group", tenant.RuleTeamOutside, func(s *tenant.Snapshot) {
			s.Environments[0].SecurityGroup, s.Environments[0].Teams[0].InSecurityGroup = "", false
		}, 0, ""},
		{"CHK-RECORDS-FOREIGN: 10 of 20 records are no user's", tenant.RuleRecordsForeign, func(s *tenant.Snapshot) {
			withRecords(s, 19, func(i int) string { return fmt.Sprintf("r-%02d", i) }, func(i int) bool { return i >= 10 })
		}, tenant.SeverityError, "10 of the 20 enabled user records of environment env-prod"},
		{"CHK-RECORDS-FOREIGN: 9 foreign records are too few to tell", tenant.RuleRecordsForeign, func(s *tenant.Snapshot) {
			withRecords(s, 9, func(i int) string { return fmt.Sprintf("r-%02d", i) }, func(int) bool { return false })
		}, 0, ""},
		{"CHK-RECORDS-FOREIGN: 10 of 101 records are a user gone now and then", tenant.RuleRecordsForeign, func(s *tenant.Snapshot) {
			withRecords(s, 100, func(i int) string { return fmt.Sprintf("r-%03d", i) }, func(i int) bool { return i >= 10 })
		}, 0, ""},
		{"CHK-RECORDS-FOREIGN: disabled records do not count", tenant.RuleRecordsForeign, func(s *tenant.Snapshot) {
			withRecords(s, 20, func(i int) string { return fmt.Sprintf("r-%02d", i) }, func(int) bool { return false })
			for i := range s.Records["env-prod"][1:] {
				s.Records["env-prod"][1+i].Disabled = true
			}
		}, 0, ""},
		{"CHK-RECORDS-FOREIGN: enabled stubs do not count", tenant.RuleRecordsForeign, func(s *tenant.Snapshot) {
			withRecords(s, 20, func(i int) string { return fmt.Sprintf("r-%02d", i) }, func(int) bool { return false })
			for i := range s.Records["env-prod"][1:] {
				s.Records["env-prod"][1+i].Stub = true
			}
		}, 0, ""},
		{"CHK-RECORDS-FOREIGN: enabled application records without object IDs do not count", tenant.RuleRecordsForeign, func(s *tenant.Snapshot) {
			withRecords(s, 20, func(i int) string { return fmt.Sprintf("r-%02d", i) }, func(int) bool { return false })
			for i := range s.Records["env-prod"][1:] {
				r := &s.Records["env-prod"][1+i]
				r.ApplicationID, r.ObjectID, r.Mode = "app-"+r.UPN, "", usertype.NonInteractive
			}
		}, 0, ""},
		{"CHK-NONINTERACTIVE: 8 non-interactive users", tenant.RuleNonInteractive, func(s *tenant.Snapshot) {
			withRecords(s, 8, func(i int) string { return fmt.Sprintf("r-%d", i) }, func(int) bool { return true })
			for i := range s.Records["env-prod"][1:] {
				s.Records["env-prod"][1+i].Mode = usertype.NonInteractive
			}
			s.Records["env-prod"][8].Disabled = true // disabled ones count
		}, tenant.SeverityError, "holds 8 non-interactive users"},
		{"CHK-NONINTERACTIVE: 7, and application users", tenant.RuleNonInteractive, func(s *tenant.Snapshot) {
			withRecords(s, 9, func(i int) string { return fmt.Sprintf("r-%d", i) }, func(int) bool { return true })
			for i := range s.Records["env-prod"][1:] {
				s.Records["env-prod"][1+i].Mode = usertype.NonInteractive
			}
			for _, i := range []int{1, 2} {
				s.Records["env-prod"][i].ApplicationID, s.Records["env-prod"][i].UPN = "app", ""
			}
		}, 0, ""},
		{"CHK-ROOT-BU: no root business unit, and a user to add", tenant.RuleRootBusinessUnit, func(s *tenant.Snapshot) {
			s.Environments[0].RootBusinessUnit = ""
			s.Records["env-prod"] = nil
		}, tenant.SeverityError, "names no root business unit, but the rules add users to it (such as ana@contoso.com)"},
		{"CHK-ROOT-BU: no root business unit, a user to add after one with a record", tenant.RuleRootBusinessUnit, func(s *tenant.Snapshot) {
			s.Environments[0].RootBusinessUnit = ""
			withRecords(s, 1, func(int) string { return "u-bob" }, func(int) bool { return true })
			s.Records["env-prod"] = s.Records["env-prod"][1:]                // ana has no record; bob has
			s.Users[0], s.Users[1] = s.Users[1], s.Users[0]                  // bob first in the snapshot
			s.Users[1].ObjectID, s.Users[1].UPN = "u-zed", "zed@contoso.com" // and first in key order
		}, tenant.SeverityError, "(such as zed@contoso.com)"},
		{"CHK-ROOT-BU: no root business unit, every admitted user has a record", tenant.RuleRootBusinessUnit, func(s *tenant.Snapshot) {
			s.Environments[0].RootBusinessUnit = ""
		}, 0, ""},
		{"CHK-ROOT-BU: no root business unit, the user's record disabled", tenant.RuleRootBusinessUnit, func(s *tenant.Snapshot) {
			s.Environments[0].RootBusinessUnit = ""
			s.Records["env-prod"][0].Disabled = true // enabled again, never created
		}, 0, ""},
		{"CHK-ROOT-BU: no root business unit, nobody admitted", tenant.RuleRootBusinessUnit, func(s *tenant.Snapshot) {
			s.Environments[0].RootBusinessUnit = ""
			s.Records["env-prod"] = nil
			s.Users[0].Enabled = false
		}, 0, ""},
		{"CHK-ROOT-BU: a root business unit, and a user to add", tenant.RuleRootBusinessUnit, func(s *tenant.Snapshot) {
			s.Records["env-prod"] = nil
		}, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := healthy()
			c.change(&s)
			found, err := tenant.Diagnose(&s)
			if err != nil {
				t.Fatal(err)
			}
			var of []tenant.Finding
			for _, f := range found {
				if f.Rule == c.rule {
					of = append(of, f)
				}
			}
			if c.severity == 0 {
				if len(of) > 0 {
					t.Fatalf("found %v, want nothing of %s", of, c.rule)
				}
				return
			}
			if len(of) != 1 || of[0].Severity != c.severity || !strings.Contains(of[0].Reason, c.says) || of[0].Fix == "" || of[0].Environment != "env-prod" {
				t.Fatalf("found %v, want one %s %s saying %q, with a fix", of, c.severity, c.rule, c.says)
			}
		})
	}
}

// A healthy tenant has no finding at all.
func TestHealthyTenantHasNoFinding(t *testing.T) {
	s := healthy()
	if found, err := tenant.Diagnose(&s); err != nil || len(found) > 0 {
		t.Fatalf("Diagnose = %v, %v", found, err)
	}
}

// Every entry point refuses a snapshot with an error finding before it
// hands anything out, unless the caller accepts exactly that finding; a
// warning stops nothing.
func TestErrorFindingsStopEveryEntryPoint(t *testing.T) {
	s := healthy()
	s.Environments[0].Tenant = "contoso.onmicrosoft.com" // the typo of an administrator
	all, err := tenant.Diagnose(&s)
	var found []tenant.Finding // the errors; the one warning, CHK-GROUP-EMPTY, follows from the error
	for _, f := range all {
		if f.Severity == tenant.SeverityError {
			found = append(found, f)
		}
	}
	if err != nil || len(found) != 1 || len(all) != 2 {
		t.Fatalf("Diagnose = %v, %v", all, err)
	}
	run := func(opts tenant.Options) map[string]error {
		visits := 0
		out := map[string]error{}
		_, out["Plan"] = tenant.Plan(&s, bg, opts)
		_, out["Each"] = tenant.Each(&s, bg, opts, func(*tenant.Step) error { visits++; return nil })
		_, out["WhatIf"] = tenant.WhatIf(&s, tenant.Change{Environment: "env-prod"}, opts)
		_, out["NewState"] = tenant.NewState(&s, opts)
		if visits > 0 && out["Each"] != nil {
			t.Errorf("Each visited %d steps, then failed", visits)
		}
		return out
	}
	for name, err := range run(tenant.Options{}) {
		var fe *tenant.FindingsError
		if !errors.Is(err, tenant.ErrUnhealthy) || !errors.As(err, &fe) || !slices.Equal(fe.Findings, found) || !strings.Contains(err.Error(), "CHK-TENANT") {
			t.Errorf("%s = %v, want a *FindingsError of the CHK-TENANT finding", name, err)
		}
	}
	other := found[0]
	other.Object = "fabrikam"
	for name, err := range run(tenant.Options{Accept: []tenant.Finding{other}}) {
		if !errors.Is(err, tenant.ErrUnhealthy) {
			t.Errorf("%s accepting another finding = %v, want ErrUnhealthy", name, err)
		}
	}
	for name, err := range run(tenant.Options{Accept: found}) {
		if err != nil {
			t.Errorf("%s accepting the finding = %v", name, err)
		}
	}
	s = healthy()
	s.Groups = nil // a warning only
	for name, err := range run(tenant.Options{}) {
		if err != nil {
			t.Errorf("%s with a warning = %v", name, err)
		}
	}
}

// CHK-DISABLE-THRESHOLD: a plan that would disable more records than its
// threshold (500 by default) stops with the count per environment and the
// rules behind it, before any action is handed out, whether planned whole,
// visited or incremental; a caller raises the threshold or turns it off.
func TestDisableThreshold(t *testing.T) {
	s := healthy()
	// 501 users who left group g-sales: their records are disabled
	// (SG-MEMBER).
	withRecords(&s, 501, func(i int) string { return fmt.Sprintf("r-%03d", i) }, func(int) bool { return true })
	for i := range s.Users[1:] {
		s.Users[1+i].Groups = nil
	}
	b, err := tenant.Plan(&s, bg, tenant.Options{})
	var fe *tenant.FindingsError
	if !errors.Is(err, tenant.ErrDisableThreshold) || !errors.As(err, &fe) || len(b.Actions) != 0 {
		t.Fatalf("Plan = %d actions, %v; want none and ErrDisableThreshold", len(b.Actions), err)
	}
	if len(fe.Findings) != 1 || fe.Findings[0].Rule != tenant.RuleDisableThreshold || fe.Findings[0].Environment != "env-prod" ||
		!strings.Contains(fe.Findings[0].Reason, "disable 501 records of environment env-prod, by SG-MEMBER (501); 501 in all, more than the threshold of 500") {
		t.Errorf("findings %v, want the count of env-prod and SG-MEMBER", fe.Findings)
	}
	// Printed alone it names its package; enclosed (%-v), it does not.
	if got, inner := fmt.Sprint(err), fmt.Sprintf("%-v", err); got != err.Error() || "tenant: "+inner != got {
		t.Errorf("printed %q, enclosed %q; want Error() = %q, and it without \"tenant: \"", got, inner, err.Error())
	}
	visits := 0
	if _, err := tenant.Each(&s, bg, tenant.Options{Workers: 2}, func(*tenant.Step) error { visits++; return nil }); !errors.Is(err, tenant.ErrDisableThreshold) || visits != 0 {
		t.Errorf("Each = %v after %d visits, want ErrDisableThreshold before any", err, visits)
	}
	for _, opts := range []tenant.Options{{MaxDisables: 501}, {MaxDisables: tenant.NoDisableLimit}} {
		b, err := tenant.Plan(&s, bg, opts)
		if err != nil || b.Totals.All.Of(provisioning.Disable) != 501 {
			t.Errorf("Plan with MaxDisables %d = %d disables, %v", opts.MaxDisables, b.Totals.All.Of(provisioning.Disable), err)
		}
	}
	if b, err := tenant.Plan(&s, bg, tenant.Options{MaxDisables: 500}); !errors.Is(err, tenant.ErrDisableThreshold) || len(b.Actions) != 0 {
		t.Errorf("Plan with MaxDisables 500 = %v", err)
	}

	// Incremental: 501 users leave the group in one delta.
	s = healthy()
	withRecords(&s, 501, func(i int) string { return fmt.Sprintf("r-%03d", i) }, func(int) bool { return true })
	st, err := tenant.NewState(&s, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, u := range s.Users[1:] {
		left = append(left, u.ObjectID)
	}
	next, a, err := st.Apply(tenant.Delta{Groups: []provisioning.GroupChange{{Group: "g-sales", MembersRemoved: left}}})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := next.PlanChanges(a, bg); !errors.Is(err, tenant.ErrDisableThreshold) || len(b.Actions) != 0 {
		t.Errorf("PlanChanges = %d actions, %v; want none and ErrDisableThreshold", len(b.Actions), err)
	}
}

// Invariant 14: no errored pair is counted as a decision. Over generated
// tenants with malformed users and records among them, the totals' verbs
// plus errors equal the pairs planned, each verb counts exactly the
// actions of that verb without an error, and Plan says so with a
// *MalformedError counting the errors.
func TestErrorsAreNeverDecisions(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := provisioningtest.EdgeCases().Snapshots().Draw(t, "snapshot")
		for i := range s.Users {
			if rapid.IntRange(0, 4).Draw(t, "malformed user?") == 0 {
				s.Users[i].Licenses = append(s.Users[i].Licenses, provisioning.License{Plan: 9, Tenant: "contoso"})
			}
		}
		for env, recs := range s.Records {
			for i := range recs {
				if rapid.IntRange(0, 4).Draw(t, "malformed record?") == 0 {
					s.Records[env][i].Roles = append(s.Records[env][i].Roles, "")
				}
			}
		}
		b, err := tenant.Plan(&s, rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger"), lax(&s, tenant.Options{}))
		var errored int
		var verbs [8]int
		for _, a := range b.Actions {
			if a.Err != nil {
				errored++
			} else {
				verbs[a.Verb]++
			}
		}
		all := b.Totals.All
		if all.Total() != len(b.Actions) || all.Errors() != errored {
			t.Fatalf("totals %d with %d errors, for %d actions of which %d errored", all.Total(), all.Errors(), len(b.Actions), errored)
		}
		for _, v := range provisioning.Verbs() {
			if all.Of(v) != verbs[v] {
				t.Fatalf("%s counted %d times, %d actions", v, all.Of(v), verbs[v])
			}
		}
		var me *tenant.MalformedError
		if (errored > 0) != errors.As(err, &me) || errored > 0 && me.Count != errored {
			t.Fatalf("%d errored actions, Plan's error %v", errored, err)
		}
	})
}

// The refusals Each makes before it hands anything out (the malformed
// pairs, the first of them listed; too many disables, counted by
// environment and rule) are the same whatever the workers and the size
// of the runs of records they share in its pass over the records.
func TestRefusalsIgnoreWorkers(t *testing.T) {
	// Every user's record in two environments carries an application ID
	// the user does not have: each pair is malformed only in combination,
	// which Each finds in its pass over the records, and lists the first
	// in key order.
	s := planSnapshot(200, 2)
	for _, recs := range s.Records {
		for i := range recs {
			if recs[i].SystemUserID == "" && strings.HasPrefix(recs[i].ObjectID, "u-") {
				recs[i].ApplicationID, recs[i].Mode = "app-other", usertype.NonInteractive
			}
		}
	}
	opts := lax(&s, tenant.Options{Workers: 1})
	_, want := tenant.Each(&s, bg, opts, func(*tenant.Step) error { return nil })
	var me *tenant.MalformedError
	if !errors.As(want, &me) || me.Count != 40 {
		t.Fatalf("Each = %v, want 40 malformed pairs", want)
	}
	restore := tenant.SetChunkUsers(3)
	opts.Workers = 3
	_, got := tenant.Each(&s, bg, opts, func(*tenant.Step) error { return nil })
	restore()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("with 3 workers and runs of 3 records: %v\nwith one worker: %v", got, want)
	}

	rapid.Check(t, func(t *rapid.T) {
		s := provisioningtest.EdgeCases().Snapshots().Draw(t, "snapshot")
		for i := range s.Users {
			if rapid.IntRange(0, 3).Draw(t, "malformed user?") == 0 {
				s.Users[i].Licenses = append(s.Users[i].Licenses, provisioning.License{Plan: 9, Tenant: "contoso"})
			}
		}
		tr := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")
		opts := lax(&s, tenant.Options{Workers: 1})
		opts.MaxDisables = rapid.IntRange(0, 3).Draw(t, "most disables")
		nop := func(*tenant.Step) error { return nil }
		_, want := tenant.Each(&s, tr, opts, nop)
		restore := tenant.SetChunkUsers(rapid.IntRange(1, 3).Draw(t, "records per run"))
		defer restore()
		opts.Workers = rapid.IntRange(2, 4).Draw(t, "workers")
		_, got := tenant.Each(&s, tr, opts, nop)
		if fmt.Sprint(want) != fmt.Sprint(got) {
			t.Fatalf("with %d workers: %v\nwith one: %v", opts.Workers, got, want)
		}
	})
}

// Check refuses a group with an unknown kind and two groups with one ID,
// wherever they stand in the list.
func TestCheckGroups(t *testing.T) {
	for _, c := range []struct {
		name   string
		groups []tenant.Group
		field  string
		err    error
	}{
		{"two groups with one ID", []tenant.Group{{ID: "g-a", Kind: provisioning.GroupKindSecurity}, {ID: "g-b", Kind: provisioning.GroupKindSecurity}, {ID: "g-a", Kind: provisioning.GroupKindSecurity}}, "Groups[2].ID", provisioning.ErrDuplicate},
		{"an unknown kind after a good group", []tenant.Group{{ID: "g-a", Kind: provisioning.GroupKindSecurity}, {ID: "g-b"}}, "Groups[1].Kind", provisioning.ErrUnknown},
		{"no ID after a good group", []tenant.Group{{ID: "g-a", Kind: provisioning.GroupKindSecurity}, {Kind: provisioning.GroupKindSecurity}}, "Groups[1].ID", provisioning.ErrMissing},
	} {
		s := healthy()
		s.Groups = c.groups
		err := s.Check()
		var fe *provisioning.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, c.err) {
			t.Errorf("%s: Check = %v, want %v naming %s", c.name, err, c.err, c.field)
		}
	}
}

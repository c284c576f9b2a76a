package provisioning_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

var edge = provisioningtest.EdgeCases()

func draw(t *rapid.T) (provisioning.User, provisioning.Environment) {
	return edge.Users().Draw(t, "user"), provisioningtest.Environments().Draw(t, "env")
}

// Invariant 4: nobody is admitted to an environment without Dataverse.
func TestNobodyAdmittedWithoutDataverse(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		env.Dataverse = false
		if d := provisioning.Evaluate(&u, &env); d.Admitted() || d.Outcome(provisioning.RuleEnvDataverse) != provisioning.OutcomeFailed {
			t.Fatalf("admitted without Dataverse: %v", d)
		}
	})
}

// Invariant 5 (admission): a user disabled, deleted or soft-deleted in the
// directory is never admitted, with or without a record.
func TestDisabledUserNeverAdmitted(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		switch rapid.IntRange(0, 2).Draw(t, "how") {
		case 0:
			u.Enabled = false
		case 1:
			u.Deleted, u.SoftDeleted = true, false
		default:
			u.SoftDeleted, u.Deleted = true, false
		}
		d := provisioning.Evaluate(&u, &env)
		r := provisioning.Record{ObjectID: u.ObjectID, ApplicationID: u.ApplicationID, Mode: rapid.SampledFrom([]usertype.AccessMode{usertype.ReadWrite, usertype.NonInteractive, usertype.Read}).Draw(t, "mode")}
		dr := provisioning.EvaluateRecord(&u, &env, &r)
		for _, d := range []provisioning.Decision{d, dr} {
			if d.Admitted() || d.Outcome(provisioning.RuleDirEnabled) != provisioning.OutcomeFailed {
				t.Fatalf("directory-disabled user admitted: %v", d)
			}
		}
	})
}

// Invariant 2: an enabled, non-deleted Global, Power Platform or Dynamics
// 365 admin who meets the security-group rule is admitted to an environment
// with Dataverse without any license, and gets access mode Administrative.
// The environment-type rules still apply: a developer environment admits
// only its creator.
func TestAdminAdmittedWithoutLicense(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		u.Enabled, u.Deleted, u.SoftDeleted, u.ApplicationID = true, false, false, ""
		if u.UPN == "" {
			u.UPN = u.ObjectID + "@contoso.com"
		}
		u.Licenses = nil
		u.Roles = provisioning.AdminRoles(rapid.IntRange(1, 7).Draw(t, "roles"))
		env.Dataverse = true
		if env.Type == provisioning.EnvDeveloper {
			env.Creator = u.ObjectID
		}
		exempt := u.Roles.Any(provisioning.GlobalAdmin | provisioning.PowerPlatformAdmin)
		if env.SecurityGroup != "" && !exempt {
			u.Groups = append(u.Groups, env.SecurityGroup)
		}
		d := provisioning.Evaluate(&u, &env)
		if !d.Admitted() || modeOf(d) != usertype.Administrative {
			t.Fatalf("admin without license: %v\n%s", d, d.Explain())
		}
	})
}

// Invariant 6: a user who is neither a Global nor a Power Platform admin
// (a Dynamics 365 service admin included) and is not a direct member of the
// environment's security group is never admitted, whatever its nested
// memberships. RULES.md makes two exceptions, both on demand only: the
// owner of the group (SG-OWNER), and a user that a group team whose group
// is a direct member of the security group lets in at its own access
// (GT-SG); such users are left out, and the background sync admits none.
func TestNonMemberNeverAdmitted(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		if env.SecurityGroup == "" || u.ApplicationID != "" {
			env.Type, env.Creator = provisioning.EnvProduction, ""
			env.SecurityGroup = rapid.SampledFrom(provisioningtest.Groups()).Draw(t, "group")
			u.ApplicationID = ""
			u.UPN = u.ObjectID + "@contoso.com"
		}
		u.Roles &^= provisioning.GlobalAdmin | provisioning.PowerPlatformAdmin
		u.Groups = without(u.Groups, env.SecurityGroup)
		u.OwnedGroups = without(u.OwnedGroups, env.SecurityGroup)
		u.NestedGroups = append(u.NestedGroups, env.SecurityGroup)
		d := provisioning.Evaluate(&u, &env)
		if d.Admits(provisioning.BackgroundSync) {
			t.Fatalf("non-member admitted by the background sync: %v", d)
		}
		if d.Admitted() && !letInByTeam(&u, &env) {
			t.Fatalf("non-member admitted: %v", d)
		}
	})
}

// Invariant 6, nested part: adding a nested membership never admits
// anyone the decision did not admit already.
func TestNestedMembershipNeverAdmits(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		before := provisioning.Evaluate(&u, &env)
		u.NestedGroups = append(u.NestedGroups, provisioningtest.Groups()...)
		after := provisioning.Evaluate(&u, &env)
		if after.Admission() != before.Admission() || modeOf(after) != modeOf(before) {
			t.Fatalf("nested membership changed %v into %v", before, after)
		}
	})
}

// Invariant 7: a guest's home-tenant license never counts.
func TestGuestHomeLicenseNeverCounts(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		u.Guest = true
		u.HomeTenant = "home-" + env.Tenant
		before := provisioning.Evaluate(&u, &env)
		u.Licenses = append(u.Licenses, provisioning.License{
			Plan:   rapid.SampledFrom(provisioning.LicensePlans()).Draw(t, "plan"),
			Tenant: u.HomeTenant,
		})
		after := provisioning.Evaluate(&u, &env)
		if after.Admission() != before.Admission() || modeOf(after) != modeOf(before) {
			t.Fatalf("home-tenant license changed %v into %v", before, after)
		}
	})
}

// Invariant 9 (admission): Evaluate is deterministic and does not depend
// on the order of licenses, roles or groups.
func TestEvaluateIgnoresOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		d := provisioning.Evaluate(&u, &env)
		if again := provisioning.Evaluate(&u, &env); again != d {
			t.Fatalf("two evaluations differ: %v and %v", d, again)
		}
		v := u
		v.Licenses = rapid.Permutation(u.Licenses).Draw(t, "licenses")
		v.Groups = rapid.Permutation(u.Groups).Draw(t, "groups")
		v.NestedGroups = rapid.Permutation(u.NestedGroups).Draw(t, "nested")
		v.OwnedGroups = rapid.Permutation(u.OwnedGroups).Draw(t, "owned")
		p := provisioning.Evaluate(&v, &env)
		if diff := cmp.Diff(d.Checks(), p.Checks()); diff != "" || p != d {
			t.Fatalf("order changed the decision (-before +after):\n%s", diff)
		}
	})
}

// Invariant 10: adding a valid license, a direct membership of the
// environment's group or an admin role never lowers the admission; removing
// one never raises it.
func TestAdmissionIsMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		before := provisioning.Evaluate(&u, &env)
		v := u
		switch rapid.IntRange(0, 2).Draw(t, "grant") {
		case 0:
			p := rapid.SampledFrom([]provisioning.LicensePlan{provisioning.PlanDynamics365, provisioning.PlanPowerAppsPremium, provisioning.PlanFreeDataverse}).Draw(t, "plan")
			v.Licenses = append(append([]provisioning.License(nil), u.Licenses...), provisioning.License{Plan: p, Tenant: env.Tenant})
		case 1:
			if env.SecurityGroup == "" {
				return
			}
			v.Groups = append(append([]string(nil), u.Groups...), env.SecurityGroup)
		default:
			v.Roles |= provisioning.AdminRoles(1 << rapid.IntRange(0, 2).Draw(t, "role"))
		}
		after := provisioning.Evaluate(&v, &env)
		// Granting from u to v; removing is the same pair read backwards.
		if after.Admission() < before.Admission() {
			t.Fatalf("granting lowered %v to %v", before, after)
		}
	})
}

// Decisions agree with their own checks: refused exactly when an admission
// rule failed, on demand exactly when one holds the user to it.
func TestAdmissionFollowsChecks(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		d := provisioning.Evaluate(&u, &env)
		var failed, limited bool
		for _, c := range d.Checks() {
			failed = failed || c.Outcome == provisioning.OutcomeFailed
			limited = limited || c.Outcome == provisioning.OutcomePassedOnDemand
			if c.Reason == "" {
				t.Fatalf("check %s has no reason", c.Rule)
			}
		}
		want := provisioning.AdmissionAutomatic
		switch {
		case failed:
			want = provisioning.AdmissionNever
		case limited:
			want = provisioning.AdmissionOnDemand
		}
		if d.Admission() != want {
			t.Fatalf("admission %s disagrees with the checks:\n%s", d.Admission(), d.Explain())
		}
	})
}

func without(list []string, x string) []string {
	var out []string
	for _, s := range list {
		if s != x {
			out = append(out, s)
		}
	}
	return out
}

// letInByTeam reports whether a group team of env whose group is a direct
// member of env's security group holds u (GT-SG).
func letInByTeam(u *provisioning.User, env *provisioning.Environment) bool {
	for _, g := range env.TeamsOf(u) {
		for _, t := range env.Teams {
			if t.Group == g && t.InSecurityGroup {
				return true
			}
		}
	}
	return false
}

// Invariant 13: the sync never writes, and so never clears, a column whose
// source the directory object cannot carry. Over every kind of directory
// object (member, guest, service principal) with any attributes, and a
// record first created by the sync and then reconciled again and again
// under any triggers, the columns written after creation are ones the
// object's profile maps to a source it carries and writes again: none at
// all for a service principal (SYNC-APPLICATION).
func TestSyncNeverWritesUncarriedColumns(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		u.Enabled, u.Deleted, u.SoftDeleted = true, false, false
		u.Attributes = provisioningtest.Attributes().Draw(t, "attributes")
		created := provisioning.Reconcile(&u, &env, nil, provisioning.AdminCenter)
		if created.Action.Verb != provisioning.Create {
			return // not admitted here: nothing to write
		}
		rec := created.Record
		for _, tr := range rapid.SliceOfN(rapid.SampledFrom(provisioning.Triggers()), 1, 4).Draw(t, "triggers") {
			u.Attributes = provisioningtest.Attributes().Draw(t, "later attributes")
			r := provisioning.Reconcile(&u, &env, &rec, tr)
			for _, c := range r.Action.Columns.Columns() {
				switch {
				case u.ApplicationID != "":
					t.Fatalf("%s wrote %s of a service principal's record", tr, c)
				case c == syncfields.FullName:
					t.Fatalf("%s wrote the full name after creation", tr)
				}
				if _, mapped := syncfields.Online().Row(c); !mapped {
					t.Fatalf("%s wrote %s, which the online profile does not map", tr, c)
				}
			}
			rec = r.Record
		}
	})
}

// What an operation returns explains the state it returns (issue 21):
// over random sequences of the administrators' operations on generated
// environments, every Sync, SyncGone and Access returns a decision After
// that is a fresh EvaluateRecord of the record it returns (Evaluate when
// the user has none after), and an action whose role rules agree with it:
// LIFE-ROLES-NOT-DISABLE only when the user cannot use the apps after it,
// LIFE-ACCESS-NEEDS-ROLE and GT-ROLES cited as passed only when they pass
// after it.
func TestOperationsExplainTheStateTheyReturn(t *testing.T) {
	c := provisioningtest.EdgeCases()
	rapid.Check(t, func(t *rapid.T) {
		o := c.Orgs().Draw(t, "org")
		for range rapid.IntRange(1, 12).Draw(t, "steps") {
			op := c.Ops(o).Draw(t, "op")
			var r provisioning.Reconciliation
			var u *provisioning.User
			var next provisioning.Org
			switch op.Name {
			case "Sync":
				next, r = o.Sync(op.User, op.Trigger)
				u = op.User
			case "SyncGone":
				next, r = o.SyncGone(op.Key, op.Trigger)
			case "Access":
				var res provisioning.AccessResult
				var err error
				if next, res, err = o.Access(op.User); err != nil {
					o = next
					continue
				}
				r, u = res.Reconciliation, op.User
			default:
				next, _ = op.Apply(o)
			}
			if u != nil && r.Action.Err == nil {
				env := &o.Environment
				want := provisioning.Evaluate(u, env)
				if r.Action.HasRecord() {
					want = provisioning.EvaluateRecord(u, env, &r.Record)
				}
				if r.After != want {
					t.Fatalf("%s: the decision returned is not that of the record returned:\nreturned %s\nfresh    %s", op, r.After, want)
				}
				rules := r.Action.Rules
				if rules.Has(provisioning.RuleLifeRolesNotDisable) && r.After.CanUseApps() {
					t.Fatalf("%s: the action says the user keeps its record without a role, but it can use the apps after it: %s", op, rules)
				}
				if !rules.Has(provisioning.RuleLifeRolesNotDisable) {
					for _, rule := range []provisioning.Rule{provisioning.RuleLifeAccessNeedsRole, provisioning.RuleGTRoles} {
						if rules.Has(rule) && r.After.Outcome(rule) != provisioning.OutcomePassed {
							t.Fatalf("%s: the action cites %s as passed, but after it it is %s", op, rule, r.After.Outcome(rule))
						}
					}
				}
			}
			o = next
		}
	})
}

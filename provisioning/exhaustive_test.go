package provisioning_test

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/usertype"
)

// The admission inputs reduce to a finite set of facts. space enumerates
// all of them: each fact is a digit of a mixed-radix number, and every
// number below space.size() is one combination.
//
//	user:        enabled, deleted, soft-deleted, guest (2 each)
//	licenses:    for each of the 4 plans: none, in the environment's
//	             tenant, only in another tenant (3 each)
//	roles:       Global, Power Platform, Dynamics 365 (2 each)
//	group:       direct member, owner, nested-only member (2 each)
//	environment: type (6), Dataverse, security group, app pass, tenant
//	             Marketing, user is its creator (2 each)
type combo struct {
	enabled, deleted, softDeleted, guest bool
	plans                                [4]int // per plan: 0 none, 1 here, 2 elsewhere
	roles                                provisioning.AdminRoles
	direct, owner, nested                bool
	envType                              provisioning.EnvironmentType
	dataverse, group, appPass, marketing bool
	creator                              bool
}

// radix lists the number of values of each digit, in the order decode
// reads them.
var radix = []int{2, 2, 2, 2, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 6, 2, 2, 2, 2, 2}

func spaceSize() int {
	n := 1
	for _, r := range radix {
		n *= r
	}
	return n
}

// stride[i] is the weight of digit i.
var stride = func() []int {
	s := make([]int, len(radix))
	w := 1
	for i := len(radix) - 1; i >= 0; i-- {
		s[i] = w
		w *= radix[i]
	}
	return s
}()

func decode(n int) combo {
	var d [20]int
	for i := range radix {
		d[i] = n / stride[i] % radix[i]
	}
	return combo{
		enabled: d[0] == 1, deleted: d[1] == 1, softDeleted: d[2] == 1, guest: d[3] == 1,
		plans:  [4]int{d[4], d[5], d[6], d[7]},
		roles:  provisioning.AdminRoles(d[8] | d[9]<<1 | d[10]<<2),
		direct: d[11] == 1, owner: d[12] == 1, nested: d[13] == 1,
		envType:   provisioning.EnvironmentTypes()[d[14]],
		dataverse: d[15] == 1, group: d[16] == 1, appPass: d[17] == 1, marketing: d[18] == 1,
		creator: d[19] == 1,
	}
}

// Digit positions, for moving from one combination to a neighbour.
const (
	digitPlan0  = 4
	digitRole0  = 8
	digitDirect = 11
)

var planOrder = []provisioning.LicensePlan{provisioning.PlanDynamics365, provisioning.PlanPowerAppsPremium, provisioning.PlanFreeDataverse, provisioning.PlanOther}

// build turns c into inputs, reusing buf for the licenses.
func (c combo) build(buf []provisioning.License) (provisioning.User, provisioning.Environment, bool) {
	env := provisioning.Environment{ID: "env", Tenant: "contoso", Type: c.envType, Dataverse: c.dataverse, AppPass: c.appPass, TenantMarketing: c.marketing}
	if c.group {
		env.SecurityGroup = "g"
	}
	if c.envType == provisioning.EnvDeveloper {
		if c.group {
			return provisioning.User{}, env, false // ENV-NO-GROUP: not a valid environment
		}
		env.Creator = "someone-else"
		if c.creator {
			env.Creator = "u"
		}
	} else if c.creator {
		return provisioning.User{}, env, false // creator matters only in a developer environment
	}
	if c.deleted && c.softDeleted {
		return provisioning.User{}, env, false // contradictory, refused by Validate
	}
	u := provisioning.User{ObjectID: "u", UPN: "u@contoso.com", Enabled: c.enabled, Deleted: c.deleted, SoftDeleted: c.softDeleted, Roles: c.roles}
	if c.guest {
		u.Guest, u.HomeTenant = true, "fabrikam"
	}
	buf = buf[:0]
	for i, where := range c.plans {
		switch where {
		case 1:
			buf = append(buf, provisioning.License{Plan: planOrder[i], Tenant: "contoso"})
		case 2:
			buf = append(buf, provisioning.License{Plan: planOrder[i], Tenant: "fabrikam"})
		}
	}
	u.Licenses = buf
	if c.direct {
		u.Groups = groupG
	}
	if c.owner {
		u.OwnedGroups = groupG
	}
	if c.nested {
		u.NestedGroups = groupG
	}
	return u, env, true
}

var groupG = []string{"g"}

// invalid marks a combination that is not a valid input.
const invalid = 0xff

// TestExhaustive evaluates every combination of the admission facts and
// proves invariants 2, 4, 5, 6, 7 and 10 of RULES.md over the whole space.
func TestExhaustive(t *testing.T) {
	size := spaceSize()
	adm := make([]uint8, size) // admission, or invalid
	mode := make([]usertype.AccessMode, size)
	// Evaluate in parallel, one contiguous share of the space per worker.
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]provisioning.License, 0, 4)
			for n := w * size / workers; n < (w+1)*size/workers; n++ {
				u, env, ok := decode(n).build(buf)
				if !ok {
					adm[n] = invalid
					continue
				}
				d := provisioning.Evaluate(&u, &env)
				if err := d.Err(); err != nil {
					errs[w] = fmt.Errorf("combination %+v: %w", decode(n), err)
					return
				}
				adm[n], mode[n] = uint8(d.Admission()), modeOf(d)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}

	valid := 0
	for n := range size {
		if adm[n] == invalid {
			continue
		}
		valid++
		c := decode(n)
		a := provisioning.Admission(adm[n])
		fail := func(invariant string) {
			t.Fatalf("invariant %s broken by %+v: admission %s, mode %s", invariant, c, a, mode[n])
		}
		// 4: nobody is admitted without Dataverse.
		if !c.dataverse && a != provisioning.AdmissionNever {
			fail("4")
		}
		// 5: a disabled, deleted or soft-deleted user is never admitted.
		if (!c.enabled || c.deleted || c.softDeleted) && a != provisioning.AdmissionNever {
			fail("5")
		}
		// 6: with a group, a user neither Global nor Power Platform admin,
		// neither direct member nor owner, is never admitted.
		sgExempt := c.roles.Any(provisioning.GlobalAdmin | provisioning.PowerPlatformAdmin)
		if c.group && !sgExempt && !c.direct && !c.owner && a != provisioning.AdmissionNever {
			fail("6")
		}
		// 2: an enabled admin meeting the group rule, in an environment
		// with Dataverse that admits it by type, is admitted without a
		// license and, with none that counts, is a setup user.
		meetsGroup := !c.group || sgExempt || c.direct || c.owner
		typeAllows := c.envType != provisioning.EnvDeveloper || c.creator
		if c.roles != 0 && c.enabled && !c.deleted && !c.softDeleted && meetsGroup && c.dataverse && typeAllows {
			if a == provisioning.AdmissionNever {
				fail("2 (admitted)")
			}
			premium := c.plans[0] == 1 || c.plans[1] == 1
			if !premium && mode[n] != usertype.Administrative {
				fail("2 (administrative)")
			}
		}
		// 7: a license held only in another tenant changes nothing.
		for p := range 4 {
			if c.plans[p] == 2 {
				m := n - 2*stride[digitPlan0+p]
				if adm[m] != adm[n] || mode[m] != mode[n] {
					fail("7 (license in another tenant)")
				}
			}
		}
		// 10: granting a valid license, a direct membership or an admin
		// role never lowers the admission (and so removing one never
		// raises it).
		for p := range 3 {
			if c.plans[p] != 1 {
				m := n + (1-c.plans[p])*stride[digitPlan0+p]
				if adm[m] < adm[n] {
					fail("10 (license)")
				}
			}
		}
		if !c.direct && adm[n+stride[digitDirect]] < adm[n] {
			fail("10 (direct membership)")
		}
		for r := range 3 {
			if c.roles&(1<<r) == 0 && adm[n+stride[digitRole0+r]] < adm[n] {
				fail("10 (admin role)")
			}
		}
	}
	t.Logf("%d combinations, %d valid inputs, every invariant held", size, valid)
}

// recordVariants are the records a user of the walk may have: every kind,
// with and without a security role, each belonging to the user.
var recordVariants = []provisioning.Record{
	{ObjectID: "u", UPN: "u@contoso.com", Roles: []string{"Basic User"}},
	{ObjectID: "u", UPN: "u@contoso.com"},
	{ObjectID: "u", UPN: "u@contoso.com", Mode: usertype.Read, Roles: []string{"Reader"}},
	{ObjectID: "u", UPN: "u@contoso.com", Mode: usertype.Administrative},
	{ObjectID: "u", UPN: "u@contoso.com", Mode: usertype.NonInteractive, Roles: []string{"Integration"}},
	{ObjectID: "u", UPN: "u@contoso.com", Mode: usertype.NonInteractive},
	{ObjectID: "u", UPN: "old@contoso.com", Stub: true},
	{ObjectID: "u", UPN: usertype.SupportUPN, Mode: usertype.SupportUser},
	{ObjectID: "u", UPN: usertype.DelegatedAdminUPN, Mode: usertype.DelegatedAdmin},
}

// TestEveryOutcomeHasASentence walks every combination of the admission
// facts, with no record and with every kind of record, as a user and as a
// service principal, and checks each distinct decision's explanation: every
// reachable outcome of every rule has a sentence in the rule table, every
// failed or on-demand check says a fix, no check that does not apply says
// one, and no check contradicts the admission.
func TestEveryOutcomeHasASentence(t *testing.T) {
	size := spaceSize()
	workers := runtime.GOMAXPROCS(0)
	shapes := make([]map[provisioning.Shape]int, workers) // shape -> a combination
	var wg sync.WaitGroup
	for w := range workers {
		shapes[w] = map[provisioning.Shape]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]provisioning.License, 0, 4)
			for n := w * size / workers; n < (w+1)*size/workers; n++ {
				if u, env, ok := decode(n).build(buf); ok {
					s := provisioning.ShapeOf(provisioning.Evaluate(&u, &env))
					if _, seen := shapes[w][s]; !seen {
						shapes[w][s] = n
					}
				}
			}
		}()
	}
	wg.Wait()
	seen := map[provisioning.Shape]bool{}
	outcomes := map[string]bool{}
	check := func(d provisioning.Decision, what string) {
		s := provisioning.ShapeOf(d)
		if seen[s] {
			return
		}
		seen[s] = true
		if problems := provisioning.SayingProblems(d); len(problems) > 0 {
			t.Fatalf("%s: %v\n%s", what, problems, d.Explain())
		}
		for _, r := range d.CheckedRules().Rules() {
			outcomes[r.String()+" "+d.Outcome(r).String()] = true
		}
	}
	buf := make([]provisioning.License, 0, 4)
	for _, m := range shapes {
		for _, n := range m {
			u, env, _ := decode(n).build(buf)
			check(provisioning.Evaluate(&u, &env), fmt.Sprintf("%+v", decode(n)))
			for i := range recordVariants {
				rec := recordVariants[i]
				check(provisioning.EvaluateRecord(&u, &env, &rec), fmt.Sprintf("%+v with record %d", decode(n), i))
			}
			sp := u
			sp.UPN, sp.ApplicationID = "", "app"
			check(provisioning.Evaluate(&sp, &env), fmt.Sprintf("service principal %+v", decode(n)))
			app := provisioning.Record{ObjectID: "u", ApplicationID: "app", Mode: usertype.NonInteractive}
			check(provisioning.EvaluateRecord(&sp, &env, &app), fmt.Sprintf("service principal %+v with its record", decode(n)))
		}
	}
	t.Logf("%d distinct decisions, %d reachable (rule, outcome) pairs, each with its sentence", len(seen), len(outcomes))
}

// TestEveryTeamOutcomeHasASentence is TestEveryOutcomeHasASentence for
// the group-team and deletion rules: it walks users (enabled or not,
// member or guest, licensed or not, admin or not, direct member, owner or
// nested member of the security group or none) in environments of three
// types with and without a security group, with one group team of every
// membership type and rule, in the security group or not, its group
// deleted or not, giving a role with or without inheritance, the user a
// member or an owner of the team's group, with no record, a record in the
// team with and without a role of its own, and a soft-deleted record.
func TestEveryTeamOutcomeHasASentence(t *testing.T) {
	seen := map[provisioning.Shape]bool{}
	outcomes := map[string]bool{}
	n := 0
	for code := range 384 * 12 {
		u, env, ok := teamWalkInputs(code)
		if !ok {
			continue
		}
		for tc := range 96 * 2 {
			team, owner := teamWalkTeam(tc)
			env.Teams = []provisioning.GroupTeam{team}
			v := u
			if owner {
				v.OwnedGroups = append(slices.Clone(u.OwnedGroups), "t")
			} else {
				v.Groups = append(slices.Clone(u.Groups), "t")
			}
			for rc := range 4 {
				var d provisioning.Decision
				switch rc {
				case 0:
					d = provisioning.Evaluate(&v, &env)
				case 1:
					d = provisioning.EvaluateRecord(&v, &env, &provisioning.Record{ObjectID: "u", UPN: "u@contoso.com", Teams: []string{"t"}, Roles: []string{"Basic User"}})
				case 2:
					d = provisioning.EvaluateRecord(&v, &env, &provisioning.Record{ObjectID: "u", UPN: "u@contoso.com", Teams: []string{"t"}})
				case 3:
					d = provisioning.EvaluateRecord(&v, &env, &provisioning.Record{ObjectID: "u", UPN: "u@contoso.com", Disabled: true, SoftDeleted: true})
				}
				n++
				s := provisioning.ShapeOf(d)
				if seen[s] {
					continue
				}
				seen[s] = true
				if problems := provisioning.SayingProblems(d); len(problems) > 0 {
					t.Fatalf("user %d, team %d, record %d: %v\n%s", code, tc, rc, problems, d.Explain())
				}
				for _, r := range d.CheckedRules().Rules() {
					outcomes[r.String()+" "+d.Outcome(r).String()] = true
				}
			}
		}
	}
	for _, want := range []string{
		"GT-MATCH pass", "GT-MATCH n/a", "GT-SG on-demand", "GT-SG fail", "GT-SG n/a",
		"GT-JIT-ADD on-demand", "GT-JIT-ADD pass", "GT-JIT-ADD n/a", "GT-ROLES pass", "GT-ROLES fail", "DEL-SOFT-EFFECT fail",
	} {
		if !outcomes[want] {
			t.Errorf("the walk never reached %s", want)
		}
	}
	t.Logf("%d decisions, %d distinct, %d reachable (rule, outcome) pairs, each with its sentence", n, len(seen), len(outcomes))
}

// teamWalkInputs decodes code into a user and an environment without
// teams; false for a combination that is not a valid input.
func teamWalkInputs(code int) (provisioning.User, provisioning.Environment, bool) {
	digit := func(radix int) int { d := code % radix; code /= radix; return d }
	u := provisioning.User{ObjectID: "u", UPN: "u@contoso.com", Enabled: digit(2) == 0}
	if digit(2) == 1 {
		u.Guest, u.HomeTenant = true, "fabrikam"
	}
	switch digit(4) {
	case 1:
		u.Licenses = []provisioning.License{{Plan: provisioning.PlanPowerAppsPremium, Tenant: "contoso"}}
	case 2:
		u.Licenses = []provisioning.License{{Plan: provisioning.PlanFreeDataverse, Tenant: "contoso"}}
	case 3:
		u.Licenses = []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso", Inactive: true}}
	}
	u.Roles = []provisioning.AdminRoles{0, provisioning.GlobalAdmin, provisioning.Dynamics365Admin}[digit(3)]
	if digit(2) == 1 {
		u.Groups = []string{"g"}
	}
	if digit(2) == 1 {
		u.OwnedGroups = []string{"g"}
	}
	if digit(2) == 1 {
		u.NestedGroups = []string{"g"}
	}
	env := provisioning.Environment{ID: "env", Tenant: "contoso", Dataverse: true}
	env.Type = []provisioning.EnvironmentType{provisioning.EnvProduction, provisioning.EnvTeams, provisioning.EnvDeveloper}[digit(3)]
	if digit(2) == 1 {
		env.SecurityGroup = "g"
	}
	env.AppPass = digit(2) == 1
	if env.Type == provisioning.EnvDeveloper {
		if env.SecurityGroup != "" {
			return u, env, false
		}
		env.Creator = "u"
	}
	return u, env, true
}

// teamWalkTeam decodes code into a group team of group t, and whether the
// user owns the group rather than being a member.
func teamWalkTeam(code int) (provisioning.GroupTeam, bool) {
	digit := func(radix int) int { d := code % radix; code /= radix; return d }
	t := provisioning.GroupTeam{Group: "t", Name: "T", Kind: provisioning.GroupKindSecurity}
	t.Membership = provisioning.TeamMemberships()[digit(4)]
	t.Rule = []provisioning.MembershipRule{provisioning.Assigned, provisioning.DynamicDevice}[digit(2)]
	t.InSecurityGroup = digit(2) == 1
	t.GroupDeleted = digit(2) == 1
	switch digit(3) {
	case 1:
		t.Roles = []provisioning.TeamRole{{Name: "R", Inherited: true}}
	case 2:
		t.Roles = []provisioning.TeamRole{{Name: "R"}}
	}
	return t, digit(2) == 1
}

package tenant

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/usertype"
)

// Finding is one thing the health check found wrong with a tenant's
// configuration before any plan: which rule, how much it weighs, the
// environment and the object it concerns, what is wrong and how to fix
// it. It is a comparable value, so that a caller accepts exactly the
// findings it has read (Options.Accept).
type Finding struct {
	// Rule is the tenant-health rule, such as CHK-TENANT.
	Rule Rule `json:"rule"`
	// Severity is SeverityError or SeverityWarning: usually the rule's
	// own, but a check that could not be made is a warning.
	Severity Severity `json:"severity"`
	// Environment is the ID of the environment concerned.
	Environment string `json:"environment"`
	// Object is the ID of the object concerned: a tenant, a group, a
	// record; empty when the finding is about the environment as a whole.
	Object string `json:"object,omitempty"`
	// Reason says what is wrong, in a sentence.
	Reason string `json:"reason"`
	// Fix says what would fix it.
	Fix string `json:"fix"`
}

// String returns the finding on one line: severity, rule, environment,
// the reason and the fix.
func (f Finding) String() string {
	return f.Severity.String() + " " + f.Rule.String() + " " + f.Environment + ": " + f.Reason + "; fix: " + f.Fix
}

// Sentinels of the errors that stop a plan before it hands out anything.
var (
	// ErrUnhealthy is wrapped by the *FindingsError of a snapshot whose
	// health check has error findings the caller did not accept.
	ErrUnhealthy = errors.New("the tenant's configuration has error findings")
	// ErrDisableThreshold is wrapped by the *FindingsError of a plan that
	// would disable more records than its threshold
	// (CHK-DISABLE-THRESHOLD).
	ErrDisableThreshold = errors.New("the plan would disable more records than its threshold")
)

// FindingsError stops a plan, an Each, a WhatIf or a State before
// anything is handed out: the error findings the caller has not accepted,
// or the findings of a plan over its disable threshold.
type FindingsError struct {
	// Err is ErrUnhealthy or ErrDisableThreshold.
	Err error
	// Findings are the error findings, in the health check's order.
	Findings []Finding
}

// Error says what stopped the plan and lists the findings, after
// "tenant: ".
func (e *FindingsError) Error() string { return "tenant: " + e.body() }

// Format prints the error as Error does, and without "tenant: " under the
// flag '-' (%-v), as a report enclosing it prints it.
func (e *FindingsError) Format(f fmt.State, verb rune) {
	errtext.Format(f, verb, "tenant: ", e.body())
}

func (e *FindingsError) body() string {
	var b strings.Builder
	b.WriteString(errtext.Inner(e.Err))
	b.WriteString(", nothing planned:")
	for _, f := range e.Findings {
		b.WriteString("\n  ")
		b.WriteString(f.String())
	}
	return b.String()
}

// Unwrap returns Err.
func (e *FindingsError) Unwrap() error { return e.Err }

// Diagnose is the tenant's health check, the offline twin of the admin
// center's "Run diagnostics" for a whole tenant: it reads s's
// configuration for the mistakes that make a correct rule disastrous at
// scale, and returns every finding, ordered by environment ID, then by
// rule, then by object. One wrong ID otherwise reads as "every user lost
// access":
//
//   - CHK-TENANT: an environment's tenant is not the directory's tenant ID
//     (s.Tenant; when it is empty, the tenant most of the members'
//     licenses were assigned in), or is a domain name;
//   - CHK-GROUP-EXISTS: an environment's security group is not a group of
//     the directory (s.Groups), or not a security group; a warning when
//     s.Groups is nil, since it could not be checked;
//   - CHK-GROUP-EMPTY: no direct member of an environment's security
//     group is admitted (enabled, and licensed or an admin), so the sync
//     admits nobody through it;
//   - CHK-TEAM-GROUP: a group team's group is not a group of the
//     directory (a team whose group is known deleted is not reported:
//     GT-GROUP-DELETED explains it);
//   - CHK-TEAM-OUTSIDE: a group team's group is not a direct member of the
//     environment's security group (GT-SG);
//   - CHK-RECORDS-FOREIGN: more than 10 %, and at least 10, of an
//     environment's enabled, directory-backed records carry object IDs no
//     user of the directory has (LIFE-MATCH);
//   - CHK-NONINTERACTIVE: an environment holds more than 7 non-interactive
//     records that are not application users;
//   - CHK-ROOT-BU: an environment names no root business unit
//     (Environment.RootBusinessUnit), though a user with no record in it
//     is admitted, so that the plan would create a record that no request
//     can write (a create binds the root business unit).
//
// CHK-DISABLE-THRESHOLD is a plan's, not the snapshot's: Plan, Each and
// State.PlanChanges check it. A snapshot that fails Check is refused
// with its error, and no findings.
func Diagnose(s *Snapshot) ([]Finding, error) {
	x, err := s.index()
	if err != nil {
		return nil, err
	}
	return x.diagnose(s), nil
}

// diagnose is Diagnose of the indexed snapshot s.
func (x *index) diagnose(s *Snapshot) []Finding {
	var out []Finding
	dir, inferred := directoryTenant(s)
	groups := map[string]*Group(nil)
	if s.Groups != nil {
		groups = make(map[string]*Group, len(s.Groups))
		for i := range s.Groups {
			groups[s.Groups[i].ID] = &s.Groups[i]
		}
	}
	admitted := x.admittedMembers()
	for k, env := range x.envs {
		add := func(r Rule, sev Severity, object, reason, fix string) {
			out = append(out, Finding{Rule: r, Severity: sev, Environment: env.ID, Object: object, Reason: reason, Fix: fix})
		}
		x.checkTenant(env, dir, inferred, add)
		missing := checkGroup(env, groups, s.Groups != nil, add)
		if g := env.SecurityGroup; g != "" && !missing && !admitted[k] {
			add(RuleGroupEmpty, SeverityWarning, g,
				"no direct member of security group "+g+" is admitted (enabled, and licensed or an admin), so the sync admits nobody through it",
				"add the users who need environment "+env.ID+" directly to group "+g+", with a license")
		}
		checkTeams(env, groups, s.Groups != nil, add)
		x.checkRecords(k, add)
		x.checkRoot(k, add)
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Environment, b.Environment), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Object, b.Object))
	})
	return out
}

// directoryTenant returns the directory's tenant ID: s.Tenant, or else the
// tenant most licenses of the members (not guests) were assigned in, the
// least such ID on a tie, and whether it was inferred so. It is empty
// when neither says.
func directoryTenant(s *Snapshot) (string, bool) {
	if s.Tenant != "" {
		return s.Tenant, false
	}
	count := map[string]int{}
	for i := range s.Users {
		if u := &s.Users[i]; !u.Guest {
			for _, l := range u.Licenses {
				count[l.Tenant]++
			}
		}
	}
	best := ""
	for _, t := range sortedKeys(count) {
		if count[t] > count[best] {
			best = t
		}
	}
	return best, true
}

// checkTenant reports CHK-TENANT for env: a tenant that is not the
// directory's dir, or that is a domain name.
func (x *index) checkTenant(env *provisioning.Environment, dir string, inferred bool, add func(Rule, Severity, string, string, string)) {
	const consequence = ": every member's license would count as another tenant's, and the plan would disable their records (LIC-GUEST-TENANT)"
	switch {
	case strings.Contains(env.Tenant, "."):
		fix := "set the environment's tenant to the directory's tenant ID, the GUID Microsoft Graph gives as tenantId"
		if dir != "" && !strings.Contains(dir, ".") {
			fix = "set the environment's tenant to the directory's tenant ID " + dir
		}
		add(RuleTenant, SeverityError, env.Tenant, "environment "+env.ID+" names its tenant by the domain name "+env.Tenant+", not by the tenant ID"+consequence, fix)
	case dir == "" || strings.EqualFold(env.Tenant, dir):
	case inferred:
		add(RuleTenant, SeverityError, env.Tenant, "environment "+env.ID+" is in tenant "+env.Tenant+", but the directory's members hold their licenses in tenant "+dir+consequence,
			"set the environment's tenant to "+dir+", or read the directory of tenant "+env.Tenant)
	default:
		add(RuleTenant, SeverityError, env.Tenant, "environment "+env.ID+" is in tenant "+env.Tenant+", but the directory is tenant "+dir+consequence,
			"set the environment's tenant to "+dir+", or read the directory of tenant "+env.Tenant)
	}
}

// checkGroup reports CHK-GROUP-EXISTS for env's security group, and
// whether the group is known to be missing.
func checkGroup(env *provisioning.Environment, groups map[string]*Group, given bool, add func(Rule, Severity, string, string, string)) bool {
	g := env.SecurityGroup
	if g == "" {
		return false
	}
	const consequence = ": the sync would refuse every user who is not a Global or Power Platform admin (SG-MEMBER)"
	switch found := groups[g]; {
	case !given:
		add(RuleGroupExists, SeverityWarning, g, "the directory's groups were not given, so whether security group "+g+" exists could not be checked",
			"give the directory's groups (the export's \"groups\" pages, or Snapshot.Groups)")
	case found == nil:
		add(RuleGroupExists, SeverityError, g, "security group "+g+" of environment "+env.ID+" is not a group of the directory"+consequence,
			"set the environment's security group to the ID of an existing security group (check it for a typo), or clear it")
		return true
	case found.Kind != provisioning.GroupKindSecurity:
		add(RuleGroupExists, SeverityError, g, "group "+g+" of environment "+env.ID+" is a "+found.Kind.String()+" group, not a security group"+consequence,
			"set the environment's security group to a security group")
	}
	return false
}

// checkTeams reports CHK-TEAM-GROUP and CHK-TEAM-OUTSIDE for env's group
// teams.
func checkTeams(env *provisioning.Environment, groups map[string]*Group, given bool, add func(Rule, Severity, string, string, string)) {
	unchecked := 0
	for i := range env.Teams {
		t := &env.Teams[i]
		if t.GroupDeleted {
			continue // GT-GROUP-DELETED says what it does
		}
		name := teamName(t)
		switch {
		case !given:
			unchecked++
		case groups[t.Group] == nil:
			add(RuleTeamGroup, SeverityWarning, t.Group, "the group "+t.Group+" of team "+name+" is not a group of the directory: a mistyped ID never fills the team, and a deleted group empties it (GT-GROUP-DELETED)",
				"set the team's group to an existing group, or delete the team")
		}
		if env.SecurityGroup != "" && !t.InSecurityGroup {
			add(RuleTeamOutside, SeverityWarning, t.Group, "the group "+t.Group+" of team "+name+" is not a direct member of security group "+env.SecurityGroup+", so the members the team holds are refused at access (GT-SG)",
				"add group "+t.Group+" as a direct member of group "+env.SecurityGroup+", or add its members to that group")
		}
	}
	if unchecked > 0 {
		add(RuleTeamGroup, SeverityWarning, "", "the directory's groups were not given, so whether the groups of "+plural(unchecked, "group team")+" exist could not be checked",
			"give the directory's groups (the export's \"groups\" pages, or Snapshot.Groups)")
	}
}

// teamName names t for people.
func teamName(t *provisioning.GroupTeam) string {
	if t.Name != "" {
		return t.Name
	}
	return t.Group
}

// admittedMembers reports, by environment position, whether a direct
// member of the environment's security group is admitted (Evaluate). It
// stops deciding for an environment at its first.
func (x *index) admittedMembers() []bool {
	byGroup := map[string][]int{}
	for k, env := range x.envs {
		if env.SecurityGroup != "" {
			byGroup[env.SecurityGroup] = append(byGroup[env.SecurityGroup], k)
		}
	}
	out := make([]bool, len(x.envs))
	left := 0
	for _, ks := range byGroup {
		left += len(ks)
	}
	for i := 0; i < len(x.users) && left > 0; i++ {
		e := &x.users[i]
		for _, g := range e.u.Groups {
			for _, k := range byGroup[g] {
				if !out[k] && x.checked[k].Evaluate(e.c).Admitted() { // a malformed user is admitted nowhere
					out[k] = true
					left--
				}
			}
		}
	}
	return out
}

// foreignShare is the part of an environment's enabled, directory-backed
// records, in tenths, beyond which records whose object IDs the directory
// does not know are taken for a foreign export (CHK-RECORDS-FOREIGN), and
// foreignMin the fewest such records that count.
const (
	foreignTenths = 1
	foreignMin    = 10
)

// checkRecords reports CHK-RECORDS-FOREIGN and CHK-NONINTERACTIVE for the
// environment at position k.
func (x *index) checkRecords(k int, add func(Rule, Severity, string, string, string)) {
	env := x.envs[k]
	backed, nonInteractive := 0, 0
	var foreign []string
	x.eachRecordPair(k, func(u *userEntry, e *recordEntry) {
		r := e.r
		if r.Mode == usertype.NonInteractive && r.ApplicationID == "" {
			nonInteractive++
		}
		if r.Disabled || r.Stub || r.ObjectID == "" { // a soft-deleted record is disabled (Validate)
			return
		}
		backed++
		if u == nil {
			foreign = append(foreign, r.ObjectID)
		}
	})
	if len(foreign) >= foreignMin && len(foreign)*10 > backed*foreignTenths {
		add(RuleRecordsForeign, SeverityError, "",
			strconv.Itoa(len(foreign))+" of the "+strconv.Itoa(backed)+" enabled user records of environment "+env.ID+" carry object IDs the directory does not know (such as "+strings.Join(foreign[:3], ", ")+
				"): the Dataverse export is of another tenant, or the directory export is partial, and the plan would disable them all (LIFE-MATCH)",
			"check that the Dataverse export is of environment "+env.ID+" in tenant "+env.Tenant+", and that the directory export holds every user")
	}
	if nonInteractive > usertype.NonInteractiveLimit {
		add(RuleNonInteractive, SeverityError, "",
			"environment "+env.ID+" holds "+strconv.Itoa(nonInteractive)+" non-interactive users that are not application users, more than the "+strconv.Itoa(usertype.NonInteractiveLimit)+" allowed (UT-NONINTERACTIVE-LIMIT)",
			"set the access mode of "+strconv.Itoa(nonInteractive-usertype.NonInteractiveLimit)+" of them to another mode, or make them application users")
	}
}

// checkRoot reports CHK-ROOT-BU for the environment at position k: it
// names no root business unit, and a user with no record in it is
// admitted (at the sync or at a first access), so a create is planned or
// will be. It stops at the first such user.
func (x *index) checkRoot(k int, add func(Rule, Severity, string, string, string)) {
	env := x.envs[k]
	if env.RootBusinessUnit != "" || x.checked[k].Environment() == nil {
		return
	}
	recs, j := x.records[k], 0
	for i := range x.users {
		e := &x.users[i]
		for j < len(recs) && recs[j].key.compare(e.id) < 0 {
			j++
		}
		if j < len(recs) && recs[j].key.s == e.id.s && provisioning.Match(e.u, recs[j].r) {
			continue // a record of its own: an update, never a create
		}
		if x.checked[k].Evaluate(e.c).Admitted() { // a malformed user is admitted nowhere
			add(RuleRootBusinessUnit, SeverityError, "",
				"environment "+env.ID+" names no root business unit, but the rules add users to it (such as "+e.u.UPN+"): every create of a user record binds the root business unit, so no such create could be written",
				"set the environment's root business unit to the businessunitid of its business unit with no parent (GET businessunits?$select=businessunitid&$filter=_parentbusinessunitid_value eq null)")
			return
		}
	}
}

// plural writes n and noun, with an s when n is not 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// unaccepted returns the error findings of found that accept does not
// hold.
func unaccepted(found, accept []Finding) []Finding {
	var out []Finding
	for _, f := range found {
		if f.Severity == SeverityError && !slices.Contains(accept, f) {
			out = append(out, f)
		}
	}
	return out
}

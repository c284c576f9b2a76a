package provisioning

import (
	"encoding/json"
	"math/bits"

	"github.com/provisionrules/provisionrules/internal/enum"
)

// Rule is a rule of the project's catalogue (the README's rule table),
// identified in text
// by its stable ID, such as "SG-NESTED". The zero Rule is invalid. The
// field-sync rules (SYNC-*) are syncfields.Rule values: the two types
// together are the one catalogue, split by the package that carries each
// rule out.
type Rule uint8

// The rules, by section of the catalogue.
const (
	// User types.
	RuleUTRegular Rule = iota + 1
	RuleUTApplication
	RuleUTNonInteractive
	RuleUTNonInteractiveLimit
	RuleUTSupport
	RuleUTDelegatedAdmin
	RuleUTStub

	// Admission.
	RuleEnvDataverse
	RuleEnvDeveloper
	RuleEnvTrial
	RuleEnvTeams
	RuleEnvNoGroup
	RuleDirEnabled
	RuleLicRequired
	RuleLicGuestTenant
	RuleLicExemptAdmin
	RuleLicExemptAppPass
	RuleLicExemptMarketing
	RuleLicExemptNonInteractive
	RuleLicFreeM365
	RuleSGMember
	RuleSGNested
	RuleSGOwner
	RuleOnDemandOnly

	// Access mode on admission.
	RuleModeReadWrite
	RuleModeAdministrative
	RuleModeKeep

	// Lifecycle of an existing record.
	RuleLifeNeverDelete
	RuleLifeDisable
	RuleLifeEnableOnAccess
	RuleLifeOnDemandKeep
	RuleLifeMatch
	RuleLifeRolesNotDisable
	RuleLifeAccessNeedsRole
	RuleLifeRoleOnDisabled
	RuleLifeNotSynced

	// Group teams.
	RuleGTTeam
	RuleGTMatch
	RuleGTJITAdd
	RuleGTSG
	RuleGTRoles
	RuleGTAtAccess
	RuleGTStale
	RuleGTGroupDeleted

	// Deleting a record.
	RuleDelDirectory
	RuleDelSoft
	RuleDelSoftEffect
	RuleDelPermanent

	ruleEnd
)

// Rules lists every rule of the catalogue in catalogue order.
func Rules() []Rule { return enum.All(ruleEnd) }

// RuleInfo describes one rule for people.
type RuleInfo struct {
	// Rule is the rule described.
	Rule Rule
	// ID is its stable ID, such as "SG-NESTED".
	ID string
	// Section is the section of the catalogue that holds it, as the
	// README's rule table heads it.
	Section string
	// Area is where a diagnosis lists its check.
	Area Area
	// Summary is the rule in one line.
	Summary string
	// Where names the code that carries it out.
	Where string
}

// Info describes r; the zero RuleInfo for an invalid r.
func (r Rule) Info() RuleInfo {
	if !r.IsValid() {
		return RuleInfo{}
	}
	row := &ruleTable[r]
	return RuleInfo{Rule: r, ID: row.id, Section: row.section, Area: row.area, Summary: row.summary, Where: row.where}
}

// Area returns the area of a diagnosis that r's check belongs to; zero for
// an invalid r.
func (r Rule) Area() Area { return r.Info().Area }

// IsValid reports whether r is a rule of the catalogue.
func (r Rule) IsValid() bool { return enum.Valid(ruleNames, r) }

// String returns the rule's ID, such as "SG-NESTED".
func (r Rule) String() string { return enum.Name(ruleNames, "Rule", r) }

// MarshalText returns the rule's ID. It fails for an invalid rule.
func (r Rule) MarshalText() ([]byte, error) {
	return enum.Marshal(ruleNames, "provisioning.Rule", r)
}

// UnmarshalText accepts a rule ID in any case; anything else is an error
// wrapping ErrUnknown and leaves r unchanged.
func (r *Rule) UnmarshalText(text []byte) error {
	return enum.Unmarshal(ruleNames, "provisioning.Rule", text, r)
}

var ruleNames = enum.Names(ruleEnd, ruleTable[:], func(r *ruleRow) string { return r.id })

// Specific returns the rules in s, the most specific first: in catalogue
// order, except that a rule that says more precisely why another fails
// comes just before it, the latest in the catalogue first (GT-SG, then
// SG-NESTED, then SG-MEMBER; LIC-GUEST-TENANT, then LIC-REQUIRED).
func (s RuleSet) Specific() []Rule {
	out := make([]Rule, 0, s.Len())
	for r := Rule(1); r < ruleEnd; r++ {
		if !s.Has(r) || ruleTable[r].refines != 0 && s.Has(ruleTable[r].refines) {
			continue // said before the rule it refines
		}
		for x := ruleEnd - 1; x > 0; x-- {
			if ruleTable[x].refines == r && s.Has(x) {
				out = append(out, x)
			}
		}
		out = append(out, r)
	}
	return out
}

// RuleSet is a set of rules. Its zero value is empty; it is comparable and
// costs no allocation.
type RuleSet uint64

// RuleSetOf returns the set holding rules.
func RuleSetOf(rules ...Rule) RuleSet {
	var s RuleSet
	for _, r := range rules {
		s = s.With(r)
	}
	return s
}

// With returns s with r added.
func (s RuleSet) With(r Rule) RuleSet { return s | 1<<r }

// Has reports whether r is in s.
func (s RuleSet) Has(r Rule) bool { return r < ruleEnd && s&(1<<r) != 0 }

// Len returns the number of rules in s.
func (s RuleSet) Len() int { return bits.OnesCount64(uint64(s)) }

// Rules returns the rules in s in catalogue order.
func (s RuleSet) Rules() []Rule {
	out := make([]Rule, 0, s.Len())
	for r := Rule(1); r < ruleEnd; r++ { // Has(ruleEnd) is false: <= would do the same
		if s.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// String returns the rule IDs in s, in catalogue order, separated by
// commas.
func (s RuleSet) String() string { return string(s.appendIDs(nil, ',')) }

// appendIDs appends the rule IDs of s to b, separated by sep.
func (s RuleSet) appendIDs(b []byte, sep byte) []byte {
	first := true
	for x := s; x != 0; x &= x - 1 {
		r := Rule(bits.TrailingZeros64(uint64(x)))
		if !r.IsValid() {
			continue
		}
		if !first {
			b = append(b, sep)
		}
		first = false
		b = append(b, ruleNames[r]...)
	}
	return b
}

// MarshalJSON writes s as an array of rule IDs in catalogue order.
func (s RuleSet) MarshalJSON() ([]byte, error) {
	return json.Marshal(s.Rules())
}

// Area groups the checks of a decision the way the Power Platform admin
// center's "Run diagnostics" does: the environment itself; the user
// enabled in the directory; the user's kind; a license or capacity;
// membership of the security group; the group teams that hold the user;
// the access mode; a security role; and the lifecycle of the record. The
// zero Area is invalid.
type Area uint8

// The areas, in the order a diagnosis lists them.
const (
	AreaEnvironment Area = iota + 1
	AreaDirectory
	AreaUserType
	AreaLicense
	AreaSecurityGroup
	AreaGroupTeam
	AreaAccessMode
	AreaSecurityRole
	AreaLifecycle
	areaEnd
)

var areaNames = []string{
	AreaEnvironment:   "environment",
	AreaDirectory:     "directory",
	AreaUserType:      "user type",
	AreaLicense:       "license",
	AreaSecurityGroup: "security group",
	AreaGroupTeam:     "group team",
	AreaAccessMode:    "access mode",
	AreaSecurityRole:  "security role",
	AreaLifecycle:     "lifecycle",
}

// Areas lists every area in diagnosis order.
func Areas() []Area { return enum.All(areaEnd) }

// String returns the area's name, such as "security group".
func (a Area) String() string { return enum.Name(areaNames, "Area", a) }

// IsValid reports whether a is one of the areas.
func (a Area) IsValid() bool { return enum.Valid(areaNames, a) }

// MarshalText returns the area's name. It fails for an invalid value.
func (a Area) MarshalText() ([]byte, error) { return enum.Marshal(areaNames, "provisioning.Area", a) }

// UnmarshalText accepts an area's name in any case; anything else is an
// error wrapping ErrUnknown and leaves a unchanged.
func (a *Area) UnmarshalText(text []byte) error {
	return enum.Unmarshal(areaNames, "provisioning.Area", text, a)
}

// ruleRow is one rule of the catalogue: its ID, where the catalogue and a
// diagnosis put it, what it says, where the code carries it out, and the
// sentences that explain its outcomes.
type ruleRow struct {
	id, section string
	area        Area
	summary     string
	where       string
	says        []saying
	// refines is the rule this one says more precisely why: a refusal
	// names it first (SG-NESTED and GT-SG say why SG-MEMBER fails,
	// LIC-GUEST-TENANT why LIC-REQUIRED does).
	refines Rule
}

// saying is one sentence of a rule's explanation, and its fix: what the
// check says when its outcome is outcome and the decision's facts hold
// every fact of when and none of unless. A rule's sayings are tried in
// order; the first that fits is said. The sentences are templates: {user},
// {env}, {tenant} and {group} stand for the user, the environment, its
// tenant and its security group, and the other hooks (explain.go) for
// details the decision holds.
type saying struct {
	outcome      Outcome
	when, unless facts
	reason, fix  string
}

const (
	secTypes     = "User types"
	secAdmission = "Admission"
	secMode      = "Access mode on admission"
	secLife      = "Lifecycle of an existing record"
	secTeams     = "Group teams"
	secDelete    = "Deleting a record"

	whereEvaluate  = "provisioning.Evaluate"
	whereReconcile = "provisioning.Reconcile"

	fixLicense        = "assign a Power Apps premium or Dynamics 365 license in tenant {tenant}"
	fixForSync        = fixLicense + " to have the background sync add the user"
	fixNotSyncs       = "evaluate the directory user against its own record, matched by object ID; this one is not the sync's to change"
	notAdmittedNoMode = "the user is not admitted, so it gets no access mode"
)

// ruleTable is the catalogue, indexed by Rule. Adding a rule touches this
// table, decide, and a test.
var ruleTable = [ruleEnd]ruleRow{
	RuleUTRegular: {id: "UT-REGULAR", section: secTypes, area: AreaUserType,
		summary: "A regular user is synchronized from the directory.",
		where:   "usertype.KindRegular, provisioning.Reconcile"},
	RuleUTApplication: {id: "UT-APPLICATION", section: secTypes, area: AreaUserType,
		summary: "A record with an application ID is an application user: no license, no security group, enabled at creation with first name #, not counted toward the limit.",
		where:   "usertype.Classify, provisioning.Evaluate",
		says: []saying{
			{outcome: OutcomePassedOnDemand, reason: "{user} is an application user: it needs no license, is exempt from the security group, and only an administrator adds it", fix: "add the application user in the admin center"},
			{outcome: OutcomeNotApplicable, reason: "{user} is not an application user"},
		}},
	RuleUTNonInteractive: {id: "UT-NONINTERACTIVE", section: secTypes, area: AreaUserType,
		summary: "A non-interactive user (access mode 4) needs no license but still needs the security group; API and SDK only.",
		where:   "usertype.KindNonInteractive, provisioning.EvaluateRecord",
		says: []saying{
			{outcome: OutcomePassed, reason: "the record is non-interactive: license rules no longer apply, security-group rules still do, and it reaches Dataverse through the API only"},
			{outcome: OutcomeNotApplicable, reason: "{user} is not marked non-interactive in environment {env}"},
		}},
	RuleUTNonInteractiveLimit: {id: "UT-NONINTERACTIVE-LIMIT", section: secTypes, area: AreaUserType,
		summary: "At most 7 non-interactive users that are not application users per environment, disabled ones included; an eighth is refused.",
		where:   "provisioning.Org.MarkNonInteractive"},
	RuleUTSupport: {id: "UT-SUPPORT", section: secTypes, area: AreaUserType,
		summary: "The support user crmoln@microsoft.com has access mode 3 and is never synchronized.",
		where:   "usertype.Classify, provisioning.Reconcile",
		says: []saying{
			{outcome: OutcomeFailed, reason: "the record is the support user (all Microsoft support engineers map to it); the directory never admits anyone to it", fix: fixNotSyncs},
		}},
	RuleUTDelegatedAdmin: {id: "UT-DELEGATED-ADMIN", section: secTypes, area: AreaUserType,
		summary: "The delegated-admin user crmoln2@microsoft.com has access mode 5 and is never synchronized.",
		where:   "usertype.Classify, provisioning.Reconcile",
		says: []saying{
			{outcome: OutcomeFailed, reason: "the record is the delegated-admin user (all delegated-admin partners map to it); the directory never admits anyone to it", fix: fixNotSyncs},
		}},
	RuleUTStub: {id: "UT-STUB", section: secTypes, area: AreaUserType,
		summary: "A stub is created only by data import, cannot sign in or be enabled, is not synchronized, and gets a default role.",
		where:   "provisioning.Reconcile, provisioning.Org.ImportStub",
		says: []saying{
			{outcome: OutcomeFailed, reason: "the record is a stub created by data import: it cannot sign in and cannot be enabled", fix: "import or create the real user; a stub stays a stub"},
		}},

	RuleEnvDataverse: {id: "ENV-DATAVERSE", section: secAdmission, area: AreaEnvironment,
		summary: "An environment without a Dataverse database admits nobody.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassed, reason: "environment {env} has a Dataverse database"},
			{outcome: OutcomeFailed, reason: "environment {env} has no Dataverse database, so it admits nobody", fix: "add a Dataverse database to the environment"},
		}},
	RuleEnvDeveloper: {id: "ENV-DEVELOPER", section: secAdmission, area: AreaEnvironment,
		summary: "A developer environment admits only the user who created it.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassed, reason: "{user} created developer environment {env}"},
			{outcome: OutcomeFailed, reason: "developer environment {env} admits only the user who created it", fix: "use an environment of another type: a developer environment is for its creator alone"},
			{outcome: OutcomeNotApplicable, reason: "environment {env} is not a developer environment"},
		}},
	RuleEnvTrial: {id: "ENV-TRIAL", section: secAdmission, area: AreaEnvironment,
		summary: "A trial environment adds users on demand only; the background sync adds nobody new.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassedOnDemand, reason: "trial environment {env} adds users on demand only; its background sync adds nobody new", fix: "have the user open the environment, or add the user in the admin center"},
			{outcome: OutcomeNotApplicable, reason: "environment {env} is not a trial environment"},
		}},
	RuleEnvTeams: {id: "ENV-TEAMS", section: secAdmission, area: AreaEnvironment,
		summary: "A Dataverse for Teams environment adds a user only at its own first access.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassedOnDemand, reason: "Dataverse for Teams environment {env} adds a user only at the user's own first access", fix: "have the user open the team's app"},
			{outcome: OutcomeNotApplicable, reason: "environment {env} is not a Dataverse for Teams environment"},
		}},
	RuleEnvNoGroup: {id: "ENV-NO-GROUP", section: secAdmission, area: AreaEnvironment,
		summary: "A developer environment cannot have a security group.",
		where:   "provisioning.Environment.Validate",
		says: []saying{
			{outcome: OutcomePassed, reason: "developer environment {env} has no security group"},
			{outcome: OutcomeFailed, reason: "developer environment {env} says it has security group {group}, which a developer environment cannot have", fix: "clear the environment's security group"},
			{outcome: OutcomeNotApplicable, reason: "environment {env} is not a developer environment"},
		}},
	RuleDirEnabled: {id: "DIR-ENABLED", section: secAdmission, area: AreaDirectory,
		summary: "The directory user must be enabled and neither deleted nor soft-deleted.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassed, reason: "{user} is enabled in Microsoft Entra ID"},
			{outcome: OutcomeFailed, when: fDeleted, reason: "{user} is deleted from Microsoft Entra ID", fix: "a hard-deleted user cannot come back: create a new directory user"},
			{outcome: OutcomeFailed, when: fSoftDeleted, reason: "{user} is soft-deleted in Microsoft Entra ID", fix: "restore the user from the directory's deleted users"},
			{outcome: OutcomeFailed, reason: "{user} is disabled in Microsoft Entra ID", fix: "enable the account (accountEnabled)"},
		}},
	RuleLicRequired: {id: "LIC-REQUIRED", section: secAdmission, area: AreaLicense,
		summary: "The user needs a Power Apps premium or Dynamics 365 license unless an exemption applies; Office licenses do not count.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassed, reason: "{user} holds a Power Apps premium or Dynamics 365 license in tenant {tenant}"},
			{outcome: OutcomePassedOnDemand, reason: "{user} holds no premium license in tenant {tenant}: only on-demand entitlements apply", fix: fixForSync},
			{outcome: OutcomeFailed, when: fInactive, reason: "{user} holds no active Power Apps premium or Dynamics 365 license in tenant {tenant}: a license it holds is assigned but not active, its service plans pending, in error or disabled", fix: "wait for the license's service plans to be provisioned, or " + fixLicense},
			{outcome: OutcomeFailed, when: fOther, reason: "{user} holds no Power Apps premium or Dynamics 365 license in tenant {tenant}; Office and Microsoft 365 licenses do not count", fix: fixLicense},
			{outcome: OutcomeFailed, reason: "{user} holds no Power Apps premium or Dynamics 365 license in tenant {tenant}", fix: fixLicense},
			{outcome: OutcomeNotApplicable, when: fKindApplication, reason: "application users need no license"},
			{outcome: OutcomeNotApplicable, when: fKindNonInteractive, reason: "non-interactive users need no license"},
			{outcome: OutcomeNotApplicable, reason: "not needed: the admin exemption applies"},
		}},
	RuleLicGuestTenant: {id: "LIC-GUEST-TENANT", refines: RuleLicRequired, section: secAdmission, area: AreaLicense,
		summary: "A license counts only if assigned in the environment's tenant, never a guest's home-tenant license.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassed, reason: "the license assigned in tenant {foreign} does not count in tenant {tenant}, but one assigned in {tenant} does"},
			{outcome: OutcomePassedOnDemand, reason: "the license assigned in tenant {foreign} does not count in tenant {tenant}", fix: "assign the license in tenant {tenant}, not in the guest's home tenant"},
			{outcome: OutcomeFailed, reason: "the license assigned in tenant {foreign} does not count in tenant {tenant}", fix: "assign the license in tenant {tenant}, not in the guest's home tenant"},
			{outcome: OutcomeNotApplicable, when: fForeign, reason: "the license assigned in tenant {foreign} does not count in tenant {tenant}; none is needed"},
			{outcome: OutcomeNotApplicable, reason: "no license from another tenant"},
		}},
	RuleLicExemptAdmin: {id: "LIC-EXEMPT-ADMIN", section: secAdmission, area: AreaLicense,
		summary: "A Global, Power Platform or Dynamics 365 service admin needs no license.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassed, reason: "{user} holds the {roles} admin role, which needs no license"},
			{outcome: OutcomeNotApplicable, when: fAdmin, reason: "{user} holds an admin role, but the exemption is not needed"},
			{outcome: OutcomeNotApplicable, when: fGroupAdmin, reason: "{user} holds the {grouproles} admin role only through a group it is a member of, which does not count for the provisioning rules (assigned to the user itself at directory scope, it would)"},
			{outcome: OutcomeNotApplicable, reason: "{user} holds no Global, Power Platform or Dynamics 365 admin role"},
		}},
	RuleLicExemptAppPass: {id: "LIC-EXEMPT-APP-PASS", section: secAdmission, area: AreaLicense,
		summary: "With app-pass capacity in the environment a user needs no license, on demand only.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassedOnDemand, reason: "environment {env} has app-pass capacity: no license is needed, on demand only", fix: fixForSync},
			{outcome: OutcomeNotApplicable, when: fAppPass, reason: "environment {env} has app-pass capacity, but the exemption is not needed"},
			{outcome: OutcomeNotApplicable, reason: "environment {env} has no app-pass capacity"},
		}},
	RuleLicExemptMarketing: {id: "LIC-EXEMPT-MARKETING", section: secAdmission, area: AreaLicense,
		summary: "With a tenant-level Marketing license a user needs no license, on demand only.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassedOnDemand, reason: "tenant {tenant} has a tenant-level Marketing license: no license is needed, on demand only", fix: fixForSync},
			{outcome: OutcomeNotApplicable, when: fMarketing, reason: "tenant {tenant} has a tenant-level Marketing license, but the exemption is not needed"},
			{outcome: OutcomeNotApplicable, reason: "tenant {tenant} has no tenant-level Marketing license"},
		}},
	RuleLicExemptNonInteractive: {id: "LIC-EXEMPT-NONINTERACTIVE", section: secAdmission, area: AreaLicense,
		summary: "A non-interactive user needs no license.",
		where:   "provisioning.EvaluateRecord",
		says: []saying{
			{outcome: OutcomePassed, reason: "a non-interactive user needs no license"},
			{outcome: OutcomeNotApplicable, reason: "{user} is not marked non-interactive in environment {env}"},
		}},
	RuleLicFreeM365: {id: "LIC-FREE-M365", section: secAdmission, area: AreaLicense,
		summary: "The free Dataverse plan that comes with Microsoft 365 is honored on demand only.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassedOnDemand, reason: "{user} has the free Dataverse plan of a Microsoft 365 license: no license is needed, on demand only", fix: fixForSync},
			{outcome: OutcomeNotApplicable, when: fFree, reason: "{user} has the free Dataverse plan of a Microsoft 365 license, but the exemption is not needed"},
			{outcome: OutcomeNotApplicable, when: fInactiveFree, reason: "the free Dataverse plan of {user}'s Microsoft 365 license is assigned but not active, its service plan pending, in error or disabled"},
			{outcome: OutcomeNotApplicable, reason: "{user} has no free Dataverse plan of Microsoft 365 in tenant {tenant}"},
		}},
	RuleSGMember: {id: "SG-MEMBER", section: secAdmission, area: AreaSecurityGroup,
		summary: "With a security group set, the user must be a member unless Global or Power Platform admin.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassed, when: fDirect, reason: "{user} is a direct member of security group {group}"},
			{outcome: OutcomePassed, reason: "{user} is a Global or Power Platform admin, exempt from the security group"},
			{outcome: OutcomeFailed, when: fD365Admin, reason: "{user} is not a member of security group {group}; Dynamics 365 service admins must be members too", fix: "add the user directly to group {group}"},
			{outcome: OutcomeFailed, reason: "{user} is not a member of security group {group}", fix: "add the user directly to group {group}"},
			{outcome: OutcomeNotApplicable, unless: fGroup, reason: "environment {env} has no security group"},
			{outcome: OutcomeNotApplicable, when: fKindApplication, reason: "application users are exempt from the security group"},
			{outcome: OutcomeNotApplicable, when: fOwner, reason: "{user} is not a direct member, but owns the group"},
			{outcome: OutcomeNotApplicable, when: fTeamInSG, reason: "{user} is not a direct member of group {group}, but group team {team} lets it in at access"},
		}},
	RuleSGNested: {id: "SG-NESTED", refines: RuleSGMember, section: secAdmission, area: AreaSecurityGroup,
		summary: "Membership through a nested group does not count; only direct members are members.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomeFailed, reason: "{user} reaches group {group} only through a nested group, which does not count", fix: "add the user directly to group {group}: membership through nested groups does not count"},
			{outcome: OutcomeNotApplicable, when: fNested, reason: "{user} also reaches group {group} through a nested group, which does not count; another rule lets it in"},
			{outcome: OutcomeNotApplicable, reason: "no membership through a nested group is in question"},
		}},
	RuleSGOwner: {id: "SG-OWNER", section: secAdmission, area: AreaSecurityGroup,
		summary: "The security group's owner counts as a member when added on demand.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassedOnDemand, reason: "{user} owns security group {group} and counts as a member when added on demand", fix: "add the user directly to group {group} to have the background sync add it"},
			{outcome: OutcomeNotApplicable, reason: "ownership of the security group is not in question"},
		}},
	RuleOnDemandOnly: {id: "ON-DEMAND-ONLY", section: secAdmission, area: AreaLicense,
		summary: "Teams environments and users entitled only by free M365 plan, app pass or tenant Marketing are added on demand only.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassedOnDemand, when: fTeams, reason: "never added by the background sync, only on demand: {causes}", fix: "have the user open the environment: a Dataverse for Teams environment adds a user only then"},
			{outcome: OutcomePassedOnDemand, reason: "never added by the background sync, only on demand: {causes}", fix: fixForSync},
			{outcome: OutcomeNotApplicable, reason: "{user} is neither in a Dataverse for Teams environment nor entitled only by the free Microsoft 365 plan, app pass or a tenant Marketing license"},
		}},

	RuleModeReadWrite: {id: "MODE-READ-WRITE", section: secMode, area: AreaAccessMode,
		summary: "A licensed user is created with access mode Read-Write.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassed, reason: "a licensed user gets access mode read-write"},
			{outcome: OutcomeNotApplicable, when: fAdmitted, reason: "access mode read-write is not the one given"},
			{outcome: OutcomeNotApplicable, reason: notAdmittedNoMode},
		}},
	RuleModeAdministrative: {id: "MODE-ADMINISTRATIVE", section: secMode, area: AreaAccessMode,
		summary: "An admin with no user license gets access mode Administrative (setup user).",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassed, reason: "an admin without a user license is a setup user: access mode administrative, settings only, no customer data", fix: fixLicense + " to give the user access to data"},
			{outcome: OutcomeNotApplicable, when: fAdmitted, reason: "access mode administrative is not the one given"},
			{outcome: OutcomeNotApplicable, reason: notAdmittedNoMode},
		}},
	RuleModeKeep: {id: "MODE-KEEP", section: secMode, area: AreaAccessMode,
		summary: "An access mode an administrator set on a record (Administrative, Read, Non-interactive) is kept.",
		where:   "provisioning.EvaluateRecord",
		says: []saying{
			{outcome: OutcomePassed, reason: "the record keeps access mode {mode}, which an administrator set"},
			{outcome: OutcomeNotApplicable, when: fAdmitted, reason: "no access mode set by an administrator to keep"},
			{outcome: OutcomeNotApplicable, reason: notAdmittedNoMode},
		}},

	RuleLifeNeverDelete: {id: "LIFE-NEVER-DELETE", section: secLife, area: AreaLifecycle,
		summary: "The sync never deletes a SystemUser record.",
		where:   whereReconcile},
	RuleLifeDisable: {id: "LIFE-DISABLE", section: secLife, area: AreaLifecycle,
		summary: "A record whose user is deleted, disabled or no longer admitted is disabled.",
		where:   whereReconcile},
	RuleLifeEnableOnAccess: {id: "LIFE-ENABLE-ON-ACCESS", section: secLife, area: AreaLifecycle,
		summary: "A disabled record is enabled when its entitled user accesses the environment, or when the user again meets the automatic rules.",
		where:   whereReconcile},
	RuleLifeOnDemandKeep: {id: "LIFE-ON-DEMAND-KEEP", section: secLife, area: AreaLifecycle,
		summary: "The background sync neither creates nor disables a user entitled only on demand.",
		where:   whereReconcile},
	RuleLifeMatch: {id: "LIFE-MATCH", section: secLife, area: AreaLifecycle,
		summary: "A user and a record match by Entra object ID, never by UPN.",
		where:   "provisioning.Match",
		says: []saying{
			{outcome: OutcomePassed, reason: "the record matches the user by object ID"},
			{outcome: OutcomeFailed, reason: "the record belongs to another object ID: records match users by object ID, never by UPN", fix: "give the record whose azureactivedirectoryobjectid is the user's object ID"},
		}},
	RuleLifeRolesNotDisable: {id: "LIFE-ROLES-NOT-DISABLE", section: secLife, area: AreaSecurityRole,
		summary: "Removing every security role does not disable a user.",
		where:   "provisioning.Org.RemoveRoles"},
	RuleLifeAccessNeedsRole: {id: "LIFE-ACCESS-NEEDS-ROLE", section: secLife, area: AreaSecurityRole,
		summary: "An enabled user can use the apps only with a security role, direct or through a group team.",
		where:   "provisioning.EvaluateRecord",
		says: []saying{
			{outcome: OutcomePassed, reason: "{user} has a security role, directly or through a group team"},
			{outcome: OutcomeFailed, when: fAdmitted, reason: "{user} keeps its record but has no security role, directly or through a group team: it cannot use the apps", fix: "assign a security role, or add the user to a group team that has one"},
			{outcome: OutcomeFailed, reason: "{user} has no security role, directly or through a group team", fix: "assign a security role, or add the user to a group team that has one"},
		}},
	RuleLifeRoleOnDisabled: {id: "LIFE-ROLE-ON-DISABLED", section: secLife, area: AreaSecurityRole,
		summary: "A role can be assigned only to an enabled user unless allowRoleAssignmentOnDisabledUsers is on.",
		where:   "provisioning.Org.AssignRole"},
	RuleLifeNotSynced: {id: "LIFE-NOT-SYNCED", section: secLife, area: AreaLifecycle,
		summary: "Support, delegated-admin and stub records are never changed by the sync.",
		where:   whereReconcile,
		says: []saying{
			{outcome: OutcomeFailed, reason: "support, delegated-admin and stub records are never changed by the directory sync", fix: fixNotSyncs},
		}},

	RuleGTTeam: {id: "GT-TEAM", section: secTeams, area: AreaGroupTeam,
		summary: "A group team ties one Entra group to one environment, with a membership type that cannot change and roles; a dynamic-device group holds no user.",
		where:   "provisioning.GroupTeam, provisioning.Environment.Validate, provisioning.Org.AddTeam"},
	RuleGTMatch: {id: "GT-MATCH", section: secTeams, area: AreaGroupTeam,
		summary: "A team holds its group's direct members or owners by its membership type: members and guests, members, owners (members only) or guests.",
		where:   "provisioning.Environment.TeamsOf",
		says: []saying{
			{outcome: OutcomePassed, reason: "group team {team} holds {user}"},
			{outcome: OutcomeNotApplicable, when: fInTeamGroup, reason: "{user} is in the group of a team, but no team holds it: a team holds only the direct members or owners its membership type names, and a dynamic-device group holds no user"},
			{outcome: OutcomeNotApplicable, reason: "no group team of environment {env} holds {user}"},
		}},
	RuleGTJITAdd: {id: "GT-JIT-ADD", section: secTeams, area: AreaGroupTeam,
		summary: "A user a team holds and that has no record is added at its own first access, when it meets the admission rules then; the background sync never adds it for the team.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassedOnDemand, reason: "group team {team} lets {user} in at its own first access only; the background sync never adds a user for a team", fix: "add the user directly to security group {group} to have the background sync add it"},
			{outcome: OutcomePassed, reason: "at its first access {user} also joins group team {team} and gets its roles"},
			{outcome: OutcomeNotApplicable, when: fTeamHeld, reason: "group team {team} holds {user}, but a team adds a user only when it meets the admission rules"},
			{outcome: OutcomeNotApplicable, reason: "no group team holds {user}"},
		}},
	RuleGTSG: {id: "GT-SG", refines: RuleSGMember, section: secTeams, area: AreaSecurityGroup,
		summary: "With a security group, a team's users get in through the team only if the team's group is a direct member of it, at access only, unless they meet SG-MEMBER on their own.",
		where:   whereEvaluate,
		says: []saying{
			{outcome: OutcomePassedOnDemand, reason: "the group of team {team} is a direct member of security group {group}, so the team lets {user} in at its own access", fix: "add the user directly to group {group} to have the background sync add it"},
			{outcome: OutcomeFailed, reason: "group team {team} holds {user}, but the team's group is not a member of security group {group}, so the team does not let it in", fix: "add the group of team {team} as a direct member of security group {group}, or add the user to it"},
			{outcome: OutcomeNotApplicable, when: fTeamHeld, reason: "{user} meets the security-group rule on its own"},
			{outcome: OutcomeNotApplicable, reason: "no group team holds {user}"},
		}},
	RuleGTRoles: {id: "GT-ROLES", section: secTeams, area: AreaSecurityRole,
		summary: "Team members hold the team's roles through the team; they count for access, but give user-level privileges only with member's privilege inheritance.",
		where:   "provisioning.EvaluateRecord",
		says: []saying{
			{outcome: OutcomePassed, when: fRoles, reason: "{user} has roles of its own and through group team {roleteam}"},
			{outcome: OutcomePassed, reason: "{user} has a role with member's privilege inheritance through group team {roleteam}: it can create and own records"},
			{outcome: OutcomeFailed, reason: "{user} can use the apps only through the roles of group team {roleteam}, which lack member's privilege inheritance: it works with what the team owns and cannot own records", fix: "give the team's role member's privilege inheritance, or assign the user a role of its own"},
		}},
	RuleGTAtAccess: {id: "GT-AT-ACCESS", section: secTeams, area: AreaGroupTeam,
		summary: "Team membership changes only at the user's access: it joins the teams that hold it and leaves the others; a member removed by hand is added back then.",
		where:   "provisioning.Org.Access, provisioning.Reconcile"},
	RuleGTStale: {id: "GT-STALE", section: secTeams, area: AreaGroupTeam,
		summary: "A user deleted, disabled or removed from the group that does not access the environment stays in the team.",
		where:   "provisioning.Reconcile"},
	RuleGTGroupDeleted: {id: "GT-GROUP-DELETED", section: secTeams, area: AreaGroupTeam,
		summary: "When a team's group is deleted, every member leaves the team at once and the team gives no roles.",
		where:   "provisioning.Org.DeleteTeamGroup"},

	RuleDelDirectory: {id: "DEL-DIRECTORY", section: secDelete, area: AreaLifecycle,
		summary: "Deleting a user in the directory never deletes its record: it is disabled, and enabled again if the user is restored and licensed.",
		where:   whereReconcile},
	RuleDelSoft: {id: "DEL-SOFT", section: secDelete, area: AreaLifecycle,
		summary: "An administrator soft-deletes only a disabled record whose directory user is gone (application and stub records excepted); never the support or delegated-admin record.",
		where:   "provisioning.CheckDeletion, provisioning.Org.SoftDelete"},
	RuleDelSoftEffect: {id: "DEL-SOFT-EFFECT", section: secDelete, area: AreaLifecycle,
		summary: "A soft-deleted record stays, disabled, without roles or teams; it is never enabled or restored and the sync never changes it.",
		where:   "provisioning.EvaluateRecord, provisioning.Reconcile, provisioning.Org",
		says: []saying{
			{outcome: OutcomeFailed, reason: "an administrator deleted this record: it stays disabled, without roles or teams, and can never be enabled or restored", fix: "permanently delete the record; the user can then be added again with a new one"},
		}},
	RuleDelPermanent: {id: "DEL-PERMANENT", section: secDelete, area: AreaLifecycle,
		summary: "A record is permanently deleted only once soft-deleted, owning no records, with Enable delete disabled users on.",
		where:   "provisioning.CheckDeletion, provisioning.Org.PermanentDelete"},
}

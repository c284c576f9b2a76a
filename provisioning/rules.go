package provisioning

import (
	"encoding/json"
	"math/bits"

	"github.com/provisionrules/provisionrules/internal/enum"
)

// Rule is a rule of the provisioning catalogue, identified in text by its
// stable ID from RULES.md, such as "SG-NESTED". The zero Rule is invalid.
// The field-sync rules (SYNC-*) are package syncfields' own.
type Rule uint8

// The rules, by section of RULES.md.
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

	ruleEnd
)

// RuleInfo describes one rule for people: its ID, the section of RULES.md
// it belongs to, the rule in one line, and where the library implements it.
type RuleInfo struct {
	Rule    Rule
	ID      string
	Section string
	Summary string
	Where   string
}

const (
	secTypes     = "User types"
	secAdmission = "Admission"
	secMode      = "Access mode on admission"
	secLife      = "Lifecycle of an existing record"

	whereEvaluate  = "provisioning.Evaluate"
	whereReconcile = "provisioning.Reconcile"
	whereValidate  = "provisioning.Environment.Validate"
)

var ruleTable = [ruleEnd]RuleInfo{
	RuleUTRegular:             {ID: "UT-REGULAR", Section: secTypes, Summary: "A regular user is synchronized from the directory.", Where: "usertype.KindRegular, provisioning.Reconcile"},
	RuleUTApplication:         {ID: "UT-APPLICATION", Section: secTypes, Summary: "A record with an application ID is an application user: no license, no security group, enabled at creation with first name #, not counted toward the limit.", Where: "usertype.Classify, provisioning.Evaluate"},
	RuleUTNonInteractive:      {ID: "UT-NONINTERACTIVE", Section: secTypes, Summary: "A non-interactive user (access mode 4) needs no license but still needs the security group; API and SDK only.", Where: "usertype.KindNonInteractive, provisioning.EvaluateRecord"},
	RuleUTNonInteractiveLimit: {ID: "UT-NONINTERACTIVE-LIMIT", Section: secTypes, Summary: "At most 7 non-interactive users that are not application users per environment, disabled ones included; an eighth is refused.", Where: "provisioning.Users.MarkNonInteractive"},
	RuleUTSupport:             {ID: "UT-SUPPORT", Section: secTypes, Summary: "The support user crmoln@microsoft.com has access mode 3 and is never synchronized.", Where: "usertype.Classify, provisioning.Reconcile"},
	RuleUTDelegatedAdmin:      {ID: "UT-DELEGATED-ADMIN", Section: secTypes, Summary: "The delegated-admin user crmoln2@microsoft.com has access mode 5 and is never synchronized.", Where: "usertype.Classify, provisioning.Reconcile"},
	RuleUTStub:                {ID: "UT-STUB", Section: secTypes, Summary: "A stub is created only by data import, cannot sign in or be enabled, is not synchronized, and gets a default role.", Where: "provisioning.Reconcile, provisioning.Users.ImportStub"},

	RuleEnvDataverse:            {ID: "ENV-DATAVERSE", Section: secAdmission, Summary: "An environment without a Dataverse database admits nobody.", Where: whereEvaluate},
	RuleEnvDeveloper:            {ID: "ENV-DEVELOPER", Section: secAdmission, Summary: "A developer environment admits only the user who created it.", Where: whereEvaluate},
	RuleEnvTrial:                {ID: "ENV-TRIAL", Section: secAdmission, Summary: "A trial environment adds users on demand only; the background sync adds nobody new.", Where: whereEvaluate},
	RuleEnvTeams:                {ID: "ENV-TEAMS", Section: secAdmission, Summary: "A Dataverse for Teams environment adds a user only at its own first access.", Where: whereEvaluate},
	RuleEnvNoGroup:              {ID: "ENV-NO-GROUP", Section: secAdmission, Summary: "A developer environment cannot have a security group.", Where: whereValidate},
	RuleDirEnabled:              {ID: "DIR-ENABLED", Section: secAdmission, Summary: "The directory user must be enabled and neither deleted nor soft-deleted.", Where: whereEvaluate},
	RuleLicRequired:             {ID: "LIC-REQUIRED", Section: secAdmission, Summary: "The user needs a Power Apps premium or Dynamics 365 license unless an exemption applies; Office licenses do not count.", Where: whereEvaluate},
	RuleLicGuestTenant:          {ID: "LIC-GUEST-TENANT", Section: secAdmission, Summary: "A license counts only if assigned in the environment's tenant, never a guest's home-tenant license.", Where: whereEvaluate},
	RuleLicExemptAdmin:          {ID: "LIC-EXEMPT-ADMIN", Section: secAdmission, Summary: "A Global, Power Platform or Dynamics 365 service admin needs no license.", Where: whereEvaluate},
	RuleLicExemptAppPass:        {ID: "LIC-EXEMPT-APP-PASS", Section: secAdmission, Summary: "With app-pass capacity in the environment a user needs no license, on demand only.", Where: whereEvaluate},
	RuleLicExemptMarketing:      {ID: "LIC-EXEMPT-MARKETING", Section: secAdmission, Summary: "With a tenant-level Marketing license a user needs no license, on demand only.", Where: whereEvaluate},
	RuleLicExemptNonInteractive: {ID: "LIC-EXEMPT-NONINTERACTIVE", Section: secAdmission, Summary: "A non-interactive user needs no license.", Where: "provisioning.EvaluateRecord"},
	RuleLicFreeM365:             {ID: "LIC-FREE-M365", Section: secAdmission, Summary: "The free Dataverse plan that comes with Microsoft 365 is honored on demand only.", Where: whereEvaluate},
	RuleSGMember:                {ID: "SG-MEMBER", Section: secAdmission, Summary: "With a security group set, the user must be a member unless Global or Power Platform admin.", Where: whereEvaluate},
	RuleSGNested:                {ID: "SG-NESTED", Section: secAdmission, Summary: "Membership through a nested group does not count; only direct members are members.", Where: whereEvaluate},
	RuleSGOwner:                 {ID: "SG-OWNER", Section: secAdmission, Summary: "The security group's owner counts as a member when added on demand.", Where: whereEvaluate},
	RuleOnDemandOnly:            {ID: "ON-DEMAND-ONLY", Section: secAdmission, Summary: "Teams environments and users entitled only by free M365 plan, app pass or tenant Marketing are added on demand only.", Where: whereEvaluate},

	RuleModeReadWrite:      {ID: "MODE-READ-WRITE", Section: secMode, Summary: "A licensed user is created with access mode Read-Write.", Where: whereEvaluate},
	RuleModeAdministrative: {ID: "MODE-ADMINISTRATIVE", Section: secMode, Summary: "An admin with no user license gets access mode Administrative (setup user).", Where: whereEvaluate},
	RuleModeKeep:           {ID: "MODE-KEEP", Section: secMode, Summary: "An access mode an administrator set on a record (Administrative, Read, Non-interactive) is kept.", Where: "provisioning.EvaluateRecord"},

	RuleLifeNeverDelete:     {ID: "LIFE-NEVER-DELETE", Section: secLife, Summary: "The sync never deletes a SystemUser record.", Where: whereReconcile},
	RuleLifeDisable:         {ID: "LIFE-DISABLE", Section: secLife, Summary: "A record whose user is deleted, disabled or no longer admitted is disabled.", Where: whereReconcile},
	RuleLifeEnableOnAccess:  {ID: "LIFE-ENABLE-ON-ACCESS", Section: secLife, Summary: "A disabled record is enabled when its entitled user accesses the environment, or when the user again meets the automatic rules.", Where: whereReconcile},
	RuleLifeOnDemandKeep:    {ID: "LIFE-ON-DEMAND-KEEP", Section: secLife, Summary: "The background sync neither creates nor disables a user entitled only on demand.", Where: whereReconcile},
	RuleLifeMatch:           {ID: "LIFE-MATCH", Section: secLife, Summary: "A user and a record match by Entra object ID, never by UPN.", Where: "provisioning.Plan"},
	RuleLifeRolesNotDisable: {ID: "LIFE-ROLES-NOT-DISABLE", Section: secLife, Summary: "Removing every security role does not disable a user.", Where: "provisioning.Users.RemoveRoles"},
	RuleLifeAccessNeedsRole: {ID: "LIFE-ACCESS-NEEDS-ROLE", Section: secLife, Summary: "An enabled user can use the apps only with a security role, direct or through a group team.", Where: "provisioning.EvaluateRecord"},
	RuleLifeRoleOnDisabled:  {ID: "LIFE-ROLE-ON-DISABLED", Section: secLife, Summary: "A role can be assigned only to an enabled user unless allowRoleAssignmentOnDisabledUsers is on.", Where: "provisioning.Users.AssignRole"},
	RuleLifeNotSynced:       {ID: "LIFE-NOT-SYNCED", Section: secLife, Summary: "Support, delegated-admin and stub records are never changed by the sync.", Where: whereReconcile},
}

var ruleNames = func() []string {
	names := make([]string, ruleEnd)
	for r := Rule(1); r < ruleEnd; r++ {
		names[r] = ruleTable[r].ID
	}
	return names
}()

// Rules returns every rule of the catalogue in RULES.md order.
func Rules() []RuleInfo {
	out := make([]RuleInfo, 0, ruleEnd-1)
	for r := Rule(1); r < ruleEnd; r++ {
		info := ruleTable[r]
		info.Rule = r
		out = append(out, info)
	}
	return out
}

// Info returns the description of r; the zero RuleInfo for an invalid r.
func (r Rule) Info() RuleInfo {
	if !r.IsValid() {
		return RuleInfo{}
	}
	info := ruleTable[r]
	info.Rule = r
	return info
}

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
	for r := Rule(1); r < ruleEnd; r++ {
		if s.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// String returns the rule IDs in s, separated by commas.
func (s RuleSet) String() string {
	var b []byte
	for _, r := range s.Rules() {
		if len(b) > 0 {
			b = append(b, ',')
		}
		b = append(b, r.String()...)
	}
	return string(b)
}

// MarshalJSON writes s as an array of rule IDs in catalogue order.
func (s RuleSet) MarshalJSON() ([]byte, error) {
	return json.Marshal(s.Rules())
}

// UnmarshalJSON reads an array of rule IDs; an unknown ID is an error
// wrapping ErrUnknown, and s is then unchanged.
func (s *RuleSet) UnmarshalJSON(data []byte) error {
	var rules []Rule
	if err := json.Unmarshal(data, &rules); err != nil {
		return err
	}
	*s = RuleSetOf(rules...)
	return nil
}

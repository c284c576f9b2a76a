package provisioning

import (
	"fmt"
	"strings"

	"github.com/provisionrules/provisionrules/usertype"
)

// explain returns the sentence and the fix for rule r with outcome o. It
// runs only when an explanation is asked for, never while deciding.
func (d *Decision) explain(r Rule, o Outcome) (reason, fix string) {
	f := d.facts
	who := d.who
	licenseHere := "a Power Apps premium or Dynamics 365 license in tenant " + d.tenant
	if d.err != nil && o != Failed {
		return "not checked: the input is malformed (" + d.err.Error() + ")", ""
	}
	if r.Area() == AreaAccessMode && !d.Admitted() {
		return "the user is not admitted, so it gets no access mode", ""
	}
	switch r {
	case RuleEnvDataverse:
		if o == Passed {
			return "environment " + d.env + " has a Dataverse database", ""
		}
		return "environment " + d.env + " has no Dataverse database, so it admits nobody", "add a Dataverse database to the environment"
	case RuleEnvNoGroup:
		switch o {
		case Passed:
			return "developer environment " + d.env + " has no security group", ""
		case Failed:
			return "developer environment " + d.env + " says it has security group " + d.group + ", which a developer environment cannot have", "clear the environment's security group"
		}
		return "environment " + d.env + " is not a developer environment", ""
	case RuleEnvDeveloper:
		switch o {
		case Passed:
			return who + " created developer environment " + d.env, ""
		case Failed:
			return "developer environment " + d.env + " admits only the user who created it", "use an environment of another type: a developer environment is for its creator alone"
		}
		return "environment " + d.env + " is not a developer environment", ""
	case RuleEnvTrial:
		if o == PassedOnDemand {
			return "trial environment " + d.env + " adds users on demand only; its background sync adds nobody new", "have the user open the environment, or add the user in the admin center"
		}
		return "environment " + d.env + " is not a trial environment", ""
	case RuleEnvTeams:
		if o == PassedOnDemand {
			return "Dataverse for Teams environment " + d.env + " adds a user only at the user's own first access", "have the user open the team's app"
		}
		return "environment " + d.env + " is not a Dataverse for Teams environment", ""
	case RuleDirEnabled:
		switch {
		case o == Passed:
			return who + " is enabled in Microsoft Entra ID", ""
		case f.has(fDeleted):
			return who + " is deleted from Microsoft Entra ID", "a hard-deleted user cannot come back: create a new directory user"
		case f.has(fSoftDeleted):
			return who + " is soft-deleted in Microsoft Entra ID", "restore the user from the directory's deleted users"
		}
		return who + " is disabled in Microsoft Entra ID", "enable the account (accountEnabled)"
	case RuleUTApplication:
		if o == PassedOnDemand {
			return who + " is an application user: it needs no license, is exempt from the security group, and only an administrator adds it", "add the application user in the admin center"
		}
		return who + " is not an application user", ""
	case RuleUTNonInteractive:
		if o == Passed {
			return "the record is non-interactive: license rules no longer apply, security-group rules still do, and it reaches Dataverse through the API only", ""
		}
		return "the user is not marked non-interactive in environment " + d.env, ""
	case RuleUTStub:
		return "the record is a stub created by data import: it cannot sign in and cannot be enabled", "import or create the real user; a stub stays a stub"
	case RuleUTSupport:
		return "the record is the support user (all Microsoft support engineers map to it); the directory never admits anyone to it", wellKnownFix
	case RuleUTDelegatedAdmin:
		return "the record is the delegated-admin user (all delegated-admin partners map to it); the directory never admits anyone to it", wellKnownFix
	case RuleLifeNotSynced:
		return "support, delegated-admin and stub records are never changed by the directory sync", wellKnownFix
	case RuleLicRequired:
		switch o {
		case Passed:
			return who + " holds " + licenseHere, ""
		case PassedOnDemand:
			return who + " holds no premium license in tenant " + d.tenant + ": only on-demand entitlements apply", "assign " + licenseHere + " to have the background sync add the user"
		case Failed:
			reason = who + " holds no Power Apps premium or Dynamics 365 license in tenant " + d.tenant
			if f.has(fOther) {
				reason += "; Office and Microsoft 365 licenses do not count"
			}
			return reason, "assign " + licenseHere
		}
		switch {
		case d.kind == usertype.KindApplication:
			return "application users need no license", ""
		case d.kind == usertype.KindNonInteractive:
			return "non-interactive users need no license", ""
		}
		return "not needed: the admin exemption applies", ""
	case RuleLicGuestTenant:
		foreign := "the license assigned in tenant " + d.foreign + " does not count in tenant " + d.tenant
		switch o {
		case Passed:
			return foreign + ", but one assigned in " + d.tenant + " does", ""
		case PassedOnDemand, Failed:
			return foreign, "assign the license in tenant " + d.tenant + ", not in the guest's home tenant"
		}
		if f.has(fForeign) {
			return foreign + "; none is needed", ""
		}
		return "no license from another tenant", ""
	case RuleLicExemptAdmin:
		if o == Passed {
			return who + " holds the " + d.roles.String() + " admin role, which needs no license", ""
		}
		if d.roles != 0 {
			return who + " holds an admin role, but the exemption is not needed", ""
		}
		return who + " holds no Global, Power Platform or Dynamics 365 admin role", ""
	case RuleLicExemptNonInteractive:
		if o == Passed {
			return "a non-interactive user needs no license", ""
		}
		return "the user is not marked non-interactive in environment " + d.env, ""
	case RuleLicExemptAppPass:
		return d.exemption(o, fAppPass, "environment "+d.env+" has app-pass capacity", "environment "+d.env+" has no app-pass capacity")
	case RuleLicExemptMarketing:
		return d.exemption(o, fMarketing, "tenant "+d.tenant+" has a tenant-level Marketing license", "tenant "+d.tenant+" has no tenant-level Marketing license")
	case RuleLicFreeM365:
		return d.exemption(o, fFree, who+" has the free Dataverse plan of a Microsoft 365 license", who+" has no free Dataverse plan of Microsoft 365 in tenant "+d.tenant)
	case RuleOnDemandOnly:
		if o != PassedOnDemand {
			return "nothing limits " + who + " to on-demand admission", ""
		}
		var why []string
		if f.has(fTeams) {
			why = append(why, "Dataverse for Teams environment")
		}
		if d.limited.Has(RuleLicRequired) {
			why = append(why, "entitled only by app pass, a tenant Marketing license or the free Microsoft 365 plan")
		}
		return "never added by the background sync, only on demand: " + strings.Join(why, "; "), ""
	case RuleSGMember:
		switch {
		case o == Passed && f.has(fDirect):
			return who + " is a direct member of security group " + d.group, ""
		case o == Passed:
			return who + " is a Global or Power Platform admin, exempt from the security group", ""
		case o == Failed:
			reason = who + " is not a member of security group " + d.group
			if d.roles.Any(Dynamics365Admin) {
				reason += "; Dynamics 365 service admins must be members too"
			}
			return reason, "add the user directly to group " + d.group
		case d.group == "":
			return "environment " + d.env + " has no security group", ""
		case d.kind == usertype.KindApplication:
			return "application users are exempt from the security group", ""
		}
		return who + " is not a direct member, but owns the group", ""
	case RuleSGNested:
		if o == Failed {
			return who + " reaches group " + d.group + " only through a nested group, which does not count", "add the user directly to group " + d.group + ": membership through nested groups does not count"
		}
		return "no membership through a nested group is in question", ""
	case RuleSGOwner:
		if o == PassedOnDemand {
			return who + " owns security group " + d.group + " and counts as a member when added on demand", "add the user directly to group " + d.group + " to have the background sync add it"
		}
		return "ownership of the security group is not in question", ""
	case RuleModeReadWrite:
		if o == Passed {
			return "a licensed user gets access mode read-write", ""
		}
		return "access mode read-write is not the one given", ""
	case RuleModeAdministrative:
		if o == Passed {
			return "an admin without a user license is a setup user: access mode administrative, settings only, no customer data", "assign " + licenseHere + " to give the user access to data"
		}
		return "access mode administrative is not the one given", ""
	case RuleModeKeep:
		if o == Passed {
			return "the record keeps access mode " + d.mode.String() + ", which an administrator set", ""
		}
		return "no access mode set by an administrator to keep", ""
	case RuleLifeMatch:
		if o == Passed {
			return "the record matches the user by object ID", ""
		}
		return "the record belongs to another object ID: records match users by object ID, never by UPN", "give the record whose azureactivedirectoryobjectid is the user's object ID"
	case RuleLifeAccessNeedsRole:
		if o == Passed {
			return who + " has a security role, directly or through a group team", ""
		}
		return who + " has no security role, directly or through a group team: it cannot use the apps", "assign a security role, or add the user to a group team that has one"
	}
	return fmt.Sprintf("rule %s: %s", r, o), ""
}

const wellKnownFix = "evaluate the directory user against its own record, matched by object ID; this one is not the sync's to change"

// exemption explains one of the on-demand exemptions.
func (d *Decision) exemption(o Outcome, fact facts, present, absent string) (string, string) {
	switch {
	case o == PassedOnDemand:
		return present + ": no license is needed, on demand only", "assign a Power Apps premium or Dynamics 365 license in tenant " + d.tenant + " to have the background sync add the user"
	case d.facts.has(fact):
		return present + ", but the exemption is not needed", ""
	}
	return absent, ""
}

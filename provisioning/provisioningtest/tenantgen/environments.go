package tenantgen

import (
	"strconv"

	"github.com/provisionrules/provisionrules/provisioning"
)

// Environments returns three environments of the tenant, in TenantID, for
// a tenant file that goes with its exports:
//
//   - "prod", a production environment with Dataverse whose security group
//     is SecurityGroup and whose group teams are those WriteDataverse
//     writes: of groups 11 to 15, security groups of assigned members with
//     the membership types 0 to 3 in turn, and of group 19, a Microsoft 365
//     group, each a direct member of the security group, each with one
//     role;
//   - "sandbox", a sandbox with Dataverse and no security group;
//   - "dev", a developer environment with Dataverse created by user 0.
//
// Each has as root business unit the business unit of the records
// WriteDataverse writes, so that the creates of a plan can be written.
func (e Export) Environments() []provisioning.Environment {
	root := e.rootBusinessUnit()
	prod := provisioning.Environment{ID: "prod", Tenant: e.TenantID(), Type: provisioning.EnvProduction, Dataverse: true,
		SecurityGroup: e.SecurityGroup(), DynamicsApps: true, RootBusinessUnit: root}
	team := func(j int, kind provisioning.GroupKind, m provisioning.TeamMembership) provisioning.GroupTeam {
		return provisioning.GroupTeam{Group: e.groupID(j), Name: "Group " + strconv.Itoa(j) + " team", Kind: kind,
			Rule: provisioning.Assigned, Membership: m, InSecurityGroup: true,
			Roles: []provisioning.TeamRole{{Name: securityRoles[j%len(securityRoles)], Inherited: j%2 == 1}}}
	}
	for j := firstTeamGroup; j <= lastTeamGroup; j++ {
		prod.Teams = append(prod.Teams, team(j, provisioning.GroupKindSecurity, provisioning.TeamMembership(j%4)))
	}
	// Dataverse gives a Microsoft 365 group team no membership type: a team
	// created before the type existed, members and guests.
	prod.Teams = append(prod.Teams, team(officeTeamGroup, provisioning.GroupKindMicrosoft365, provisioning.MembersAndGuests))
	return []provisioning.Environment{
		prod,
		{ID: "sandbox", Tenant: e.TenantID(), Type: provisioning.EnvSandbox, Dataverse: true, RootBusinessUnit: root},
		{ID: "dev", Tenant: e.TenantID(), Type: provisioning.EnvDeveloper, Dataverse: true, Creator: e.UserID(0), RootBusinessUnit: root},
	}
}

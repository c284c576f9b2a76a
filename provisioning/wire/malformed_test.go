package wire_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// decoders are every entry point of the package, each as a function of a
// whole input: read whole, and read a byte at a time ("/bytewise"); the
// export readers collecting and streaming ("/yield").
var decoders = func() map[string]func([]byte) error {
	entries := map[string]func(io.Reader) error{
		"ReadGraphUsers":        func(r io.Reader) error { _, err := wire.ReadGraphUsers(r); return err },
		"ReadGraphUser":         func(r io.Reader) error { _, err := wire.ReadGraphUser(r); return err },
		"ReadLicenseDetails":    func(r io.Reader) error { _, err := wire.ReadLicenseDetails(r); return err },
		"ReadDirectoryObjects":  func(r io.Reader) error { _, err := wire.ReadDirectoryObjects(r); return err },
		"ReadRoleAssignments":   func(r io.Reader) error { _, err := wire.ReadRoleAssignments(r); return err },
		"ReadServicePrincipals": func(r io.Reader) error { _, err := wire.ReadServicePrincipals(r); return err },
		"ReadGroups":            func(r io.Reader) error { _, err := wire.ReadGroups(r); return err },
		"ReadTeams":             func(r io.Reader) error { _, err := wire.ReadTeams(r); return err },
		"ReadSystemUsers":       func(r io.Reader) error { _, err := wire.ReadSystemUsers(r); return err },
		"ReadUsersDelta":        func(r io.Reader) error { _, err := wire.ReadUsersDelta(r, deltaOpts); return err },
		"ReadGroupsDelta":       func(r io.Reader) error { _, err := wire.ReadGroupsDelta(r); return err },
		"ReadDirectory":         func(r io.Reader) error { _, err := wire.ReadDirectory(r, wire.Options{}, nil); return err },
		"ReadDirectory/yield": func(r io.Reader) error {
			_, err := wire.ReadDirectory(r, wire.Options{}, func(provisioning.User) error { return nil })
			return err
		},
		"ReadDataverseExport": func(r io.Reader) error { _, err := wire.ReadDataverseExport(r, nil); return err },
		"ReadDataverseExport/yield": func(r io.Reader) error {
			_, err := wire.ReadDataverseExport(r, func(provisioning.Record) error { return nil })
			return err
		},
	}
	m := map[string]func([]byte) error{}
	for name, read := range entries {
		m[name] = func(b []byte) error { return read(bytes.NewReader(b)) }
		m[name+"/bytewise"] = func(b []byte) error { return read(iotest.OneByteReader(bytes.NewReader(b))) }
	}
	return m
}()

// deltaOpts are the options the tests read users/delta pages with.
var deltaOpts = wire.DeltaOptions{Tenant: "contoso"}

// Each decoder, each kind of malformed input: an *Error naming the source,
// the record and the field, wrapping the right sentinel.
func TestMalformedInput(t *testing.T) {
	const user = `"id":"u1","userPrincipalName":"a@contoso.com","accountEnabled":true,"userType":"Member"`
	const row = `"systemuserid":"s1","accessmode":0,"isdisabled":false,"azureactivedirectoryobjectid":"u1"`
	const plan = `{"servicePlanName":"X","provisioningStatus":"Success"}`
	const rel = `"tenantId":"t","roleAssignments":{"value":[]},"licenseDetails":{},"memberOf":{},"transitiveMemberOf":{},"ownedObjects":{},"groupMembers":{},"groupOwners":{}`
	deep := strings.Repeat(`[`, 100) + strings.Repeat(`]`, 100)
	for _, c := range []struct {
		name    string
		decoder string
		data    string
		err     error
		field   string
		index   int
	}{
		{"users: not JSON", "ReadGraphUsers", `{"value":[`, wire.ErrSyntax, "value", -1},
		{"users: empty input", "ReadGraphUsers", ``, wire.ErrSyntax, "", -1},
		{"users: a page member skipped, malformed", "ReadGraphUsers", `{"value":[],"@odata.count":[1,}`, wire.ErrSyntax, "@odata.count", -1},
		{"users: trailing data", "ReadGraphUsers", `{"value":[]} {}`, wire.ErrSyntax, "", -1},
		{"users: deep nesting", "ReadGraphUsers", `{"value":[{` + user + `,"x":` + deep + `}]}`, wire.ErrSyntax, "x", 0},
		{"users: the second assigned license's skuId a number", "ReadGraphUsers", `{"value":[{` + user + `,"assignedLicenses":[{"skuId":"b30411f5-fea1-4a59-9ad9-3db7c7ead579"},{"skuId":5}]}]}`, wire.ErrType, "assignedLicenses[1].skuId", 0},
		{"users: invalid UTF-8", "ReadGraphUsers", "{\"value\":[{" + user + ",\"city\":\"B\xffllevue\"}]}", wire.ErrSyntax, "city", 0},
		{"users: a lone surrogate", "ReadGraphUsers", `{"value":[{` + user + `,"city":"\ud800"}]}`, wire.ErrSyntax, "city", 0},
		{"users: no value", "ReadGraphUsers", `{"@odata.context":"x"}`, provisioning.ErrMissing, "value", -1},
		{"users: value null", "ReadGraphUsers", `{"value":null}`, provisioning.ErrMissing, "value", -1},
		{"users: value an object", "ReadGraphUsers", `{"value":{}}`, wire.ErrType, "value", -1},
		{"users: value twice", "ReadGraphUsers", `{"value":[],"value":[]}`, provisioning.ErrDuplicate, "value", -1},
		{"users: page not an object", "ReadGraphUsers", `[]`, wire.ErrType, "", -1},
		{"users: null record", "ReadGraphUsers", `{"value":[null]}`, provisioning.ErrMissing, "", 0},
		{"users: record a number", "ReadGraphUsers", `{"value":[1]}`, wire.ErrType, "", 0},
		{"users: accountEnabled a string", "ReadGraphUsers", `{"value":[{"id":"u1","accountEnabled":"yes"}]}`, wire.ErrType, "accountEnabled", 0},
		{"users: accountEnabled twice", "ReadGraphUsers", `{"value":[{` + user + `,"accountEnabled":false}]}`, provisioning.ErrDuplicate, "accountEnabled", 0},
		{"users: no id", "ReadGraphUsers", `{"value":[{"userPrincipalName":"a@contoso.com","accountEnabled":true,"userType":"Member"}]}`, provisioning.ErrMissing, "id", 0},
		{"users: no UPN", "ReadGraphUsers", `{"value":[{"id":"u1","accountEnabled":true,"userType":"Member"}]}`, provisioning.ErrMissing, "userPrincipalName", 0},
		{"users: no accountEnabled", "ReadGraphUsers", `{"value":[{"id":"u1","userPrincipalName":"a@contoso.com","userType":"Member"}]}`, provisioning.ErrMissing, "accountEnabled", 0},
		{"users: accountEnabled null", "ReadGraphUsers", `{"value":[{"id":"u1","userPrincipalName":"a@contoso.com","userType":"Member","accountEnabled":null}]}`, provisioning.ErrMissing, "accountEnabled", 0},
		{"users: no userType", "ReadGraphUsers", `{"value":[{"id":"u1","userPrincipalName":"a@contoso.com","accountEnabled":true}]}`, provisioning.ErrMissing, "userType", 0},
		{"users: unknown userType", "ReadGraphUsers", `{"value":[{` + strings.Replace(user, "Member", "Robot", 1) + `}]}`, provisioning.ErrUnknown, "userType", 0},
		{"users: bad deletedDateTime", "ReadGraphUsers", `{"value":[{` + user + `,"deletedDateTime":"yesterday"}]}`, provisioning.ErrMalformed, "deletedDateTime", 0},
		{"users: businessPhones not a list", "ReadGraphUsers", `{"value":[{` + user + `,"businessPhones":"555"}]}`, wire.ErrType, "businessPhones", 0},
		{"users: a group", "ReadGraphUsers", `{"value":[{` + user + `,"@odata.type":"#microsoft.graph.group"}]}`, provisioning.ErrUnknown, "@odata.type", 0},
		{"users: bidi override in an ID", "ReadGraphUsers", `{"value":[{"id":"u1\u202e"}]}`, provisioning.ErrMalformed, "id", 0},
		{"users: control character in a UPN", "ReadGraphUsers", `{"value":[{"id":"u1","userPrincipalName":"a\u0007@contoso.com"}]}`, provisioning.ErrMalformed, "userPrincipalName", 0},
		{"users: two with one ID", "ReadGraphUsers", `{"value":[{` + user + `},{` + user + `}]}`, provisioning.ErrDuplicate, "id", 1},
		{"users: a license without skuId", "ReadGraphUsers", `{"value":[{` + user + `,"assignedLicenses":[{"disabledPlans":[]}]}]}`, provisioning.ErrMissing, "assignedLicenses[0].skuId", 0},
		{"users: disabledPlans of numbers", "ReadGraphUsers", `{"value":[{` + user + `,"assignedLicenses":[{"skuId":"s","disabledPlans":[1]}]}]}`, wire.ErrType, "assignedLicenses[0].disabledPlans[0]", 0},
		{"user: null", "ReadGraphUser", `null`, provisioning.ErrMissing, "", -1},
		{"user: a page", "ReadGraphUser", `{"value":[{` + user + `}]}`, provisioning.ErrMissing, "id", -1},
		{"user: no userType", "ReadGraphUser", `{"id":"u1","userPrincipalName":"a@contoso.com","accountEnabled":true}`, provisioning.ErrMissing, "userType", -1},
		{"licenses: no SKU", "ReadLicenseDetails", `{"value":[{"id":"l1","servicePlans":[]}]}`, provisioning.ErrMissing, "skuPartNumber", 0},
		{"licenses: no servicePlans", "ReadLicenseDetails", `{"value":[{"id":"l1","skuPartNumber":"SPE_E3"}]}`, provisioning.ErrMissing, "servicePlans", 0},
		{"licenses: servicePlans an object", "ReadLicenseDetails", `{"value":[{"id":"l1","skuPartNumber":"SPE_E3","servicePlans":{}}]}`, wire.ErrType, "servicePlans", 0},
		{"licenses: plan without name", "ReadLicenseDetails", `{"value":[{"id":"l1","skuPartNumber":"SPE_E3","servicePlans":[{"provisioningStatus":"Success"}]}]}`, provisioning.ErrMissing, "servicePlans[0].servicePlanName", 0},
		{"licenses: plan without status", "ReadLicenseDetails", `{"value":[{"id":"l1","skuPartNumber":"SPE_E3","servicePlans":[` + plan + `,{"servicePlanName":"Y"}]}]}`, provisioning.ErrMissing, "servicePlans[1].provisioningStatus", 0},
		{"licenses: null plan", "ReadLicenseDetails", `{"value":[{"id":"l1","skuPartNumber":"SPE_E3","servicePlans":[null]}]}`, provisioning.ErrMissing, "servicePlans[0]", 0},
		{"licenses: a plan's status twice", "ReadLicenseDetails", `{"value":[{"id":"l1","skuPartNumber":"SPE_E3","servicePlans":[{"servicePlanName":"X","provisioningStatus":"Disabled","provisioningStatus":"Success"}]}]}`, provisioning.ErrDuplicate, "servicePlans[0].provisioningStatus", 0},
		{"objects: no @odata.type", "ReadDirectoryObjects", `{"value":[{"id":"g1"}]}`, provisioning.ErrMissing, "@odata.type", 0},
		{"objects: no id", "ReadDirectoryObjects", `{"value":[{"@odata.type":"#microsoft.graph.group"}]}`, provisioning.ErrMissing, "id", 0},
		{"objects: role without template", "ReadDirectoryObjects", `{"value":[{"@odata.type":"#microsoft.graph.directoryRole","id":"r1"}]}`, provisioning.ErrMissing, "roleTemplateId", 0},
		{"roles: no principalId", "ReadRoleAssignments", `{"value":[{"id":"a1","roleDefinitionId":"r","directoryScopeId":"/"}]}`, provisioning.ErrMissing, "principalId", 0},
		{"roles: no roleDefinitionId", "ReadRoleAssignments", `{"value":[{"id":"a1","principalId":"u1","directoryScopeId":"/"}]}`, provisioning.ErrMissing, "roleDefinitionId", 0},
		{"roles: no directoryScopeId", "ReadRoleAssignments", `{"value":[{"id":"a1","principalId":"u1","roleDefinitionId":"r"}]}`, provisioning.ErrMissing, "directoryScopeId", 0},
		{"service principals: no appId", "ReadServicePrincipals", `{"value":[{"id":"sp1","accountEnabled":true}]}`, provisioning.ErrMissing, "appId", 0},
		{"service principals: no accountEnabled", "ReadServicePrincipals", `{"value":[{"id":"sp1","appId":"a"}]}`, provisioning.ErrMissing, "accountEnabled", 0},
		{"service principals: two with one ID", "ReadServicePrincipals", `{"value":[{"id":"sp1","appId":"a","accountEnabled":true},{"id":"sp1","appId":"b","accountEnabled":true}]}`, provisioning.ErrDuplicate, "id", 1},
		{"groups: no groupTypes", "ReadGroups", `{"value":[{"id":"g1","securityEnabled":true}]}`, provisioning.ErrMissing, "groupTypes", 0},
		{"groups: no securityEnabled", "ReadGroups", `{"value":[{"id":"g1","groupTypes":[]}]}`, provisioning.ErrMissing, "securityEnabled", 0},
		{"groups: dynamic without a rule", "ReadGroups", `{"value":[{"id":"g1","groupTypes":["DynamicMembership"],"securityEnabled":true}]}`, provisioning.ErrMissing, "membershipRule", 0},
		{"groups: two with one ID", "ReadGroups", `{"value":[{"id":"g1","groupTypes":[],"securityEnabled":true},{"id":"g1","groupTypes":[],"securityEnabled":true}]}`, provisioning.ErrDuplicate, "id", 1},
		{"teams: no teamid", "ReadTeams", `{"value":[{"teamtype":0}]}`, provisioning.ErrMissing, "teamid", 0},
		{"teams: two with one ID", "ReadTeams", `{"value":[{"teamid":"t1","teamtype":0},{"teamid":"t2","teamtype":0},{"teamid":"t1","teamtype":0}]}`, provisioning.ErrDuplicate, "teamid", 2},
		{"teams: membershiptype past a byte", "ReadTeams", `{"value":[{"teamid":"t1","teamtype":2,"azureactivedirectoryobjectid":"g1","membershiptype":256}]}`, provisioning.ErrUnknown, "membershiptype", 0},
		{"rows: accessmode past a byte", "ReadSystemUsers", `{"value":[{"systemuserid":"s1","accessmode":256,"isdisabled":false}]}`, provisioning.ErrUnknown, "accessmode", 0},
		{"rows: accessmode negative", "ReadSystemUsers", `{"value":[{"systemuserid":"s1","accessmode":-1,"isdisabled":false}]}`, provisioning.ErrUnknown, "accessmode", 0},
		{"teams: unknown teamtype", "ReadTeams", `{"value":[{"teamid":"t1","teamtype":7}]}`, provisioning.ErrUnknown, "teamtype", 0},
		{"teams: group team without its group", "ReadTeams", `{"value":[{"teamid":"t1","teamtype":2,"membershiptype":0}]}`, provisioning.ErrMissing, "azureactivedirectoryobjectid", 0},
		{"teams: group team without membershiptype", "ReadTeams", `{"value":[{"teamid":"t1","teamtype":2,"azureactivedirectoryobjectid":"g1"}]}`, provisioning.ErrMissing, "membershiptype", 0},
		{"teams: unknown membershiptype", "ReadTeams", `{"value":[{"teamid":"t1","teamtype":3,"azureactivedirectoryobjectid":"g1","membershiptype":9}]}`, provisioning.ErrUnknown, "membershiptype", 0},
		{"teams: role without isinherited", "ReadTeams", `{"value":[{"teamid":"t1","teamtype":0,"teamroles_association":[{"name":"r"}]}]}`, provisioning.ErrMissing, "teamroles_association[0].isinherited", 0},
		{"teams: isinherited 2", "ReadTeams", `{"value":[{"teamid":"t1","teamtype":0,"teamroles_association":[{"name":"r","isinherited":2}]}]}`, provisioning.ErrUnknown, "teamroles_association[0].isinherited", 0},
		{"rows: no systemuserid", "ReadSystemUsers", `{"value":[{"accessmode":0,"isdisabled":false}]}`, provisioning.ErrMissing, "systemuserid", 0},
		{"rows: accessmode unknown", "ReadSystemUsers", `{"value":[{"systemuserid":"s1","accessmode":9,"isdisabled":false}]}`, provisioning.ErrUnknown, "accessmode", 0},
		{"rows: accessmode text", "ReadSystemUsers", `{"value":[{"systemuserid":"s1","accessmode":"0","isdisabled":false}]}`, wire.ErrType, "accessmode", 0},
		{"rows: accessmode not whole", "ReadSystemUsers", `{"value":[{"systemuserid":"s1","accessmode":0.5,"isdisabled":false}]}`, wire.ErrType, "accessmode", 0},
		{"rows: no accessmode", "ReadSystemUsers", `{"value":[{"systemuserid":"s1","isdisabled":false}]}`, provisioning.ErrMissing, "accessmode", 0},
		{"rows: isdisabled a number", "ReadSystemUsers", `{"value":[{"systemuserid":"s1","accessmode":0,"isdisabled":0}]}`, wire.ErrType, "isdisabled", 0},
		{"rows: synced column a number", "ReadSystemUsers", `{"value":[{` + row + `,"fullname":7}]}`, wire.ErrType, "fullname", 0},
		{"rows: roles not a list", "ReadSystemUsers", `{"value":[{` + row + `,"systemuserroles_association":{}}]}`, wire.ErrType, "systemuserroles_association", 0},
		{"rows: role without a name", "ReadSystemUsers", `{"value":[{` + row + `,"systemuserroles_association":[{}]}]}`, provisioning.ErrMissing, "systemuserroles_association[0].name", 0},
		{"rows: support mode on another UPN", "ReadSystemUsers", `{"value":[{"systemuserid":"s1","accessmode":3,"isdisabled":false,"domainname":"eve@contoso.com","azureactivedirectoryobjectid":null}]}`, provisioning.ErrContradiction, "UPN", 0},
		{"rows: no object ID and no UPN", "ReadSystemUsers", `{"value":[{"systemuserid":"s1","accessmode":0,"isdisabled":true,"azureactivedirectoryobjectid":null}]}`, provisioning.ErrMissing, "UPN", 0},
		{"rows: object ID not selected", "ReadSystemUsers", `{"value":[{"systemuserid":"s1","accessmode":0,"isdisabled":true,"domainname":"a@contoso.com"}]}`, provisioning.ErrMissing, "azureactivedirectoryobjectid", 0},
		{"rows: a custom column not a logical name", "ReadSystemUsers", `{"value":[{` + row + `,"New Badge":"B"}]}`, provisioning.ErrMalformed, "Fields[New Badge]", 0},
		{"rows: two with one systemuserid", "ReadSystemUsers", `{"value":[{` + row + `},{"systemuserid":"s1","accessmode":0,"isdisabled":false,"azureactivedirectoryobjectid":"u2"}]}`, provisioning.ErrDuplicate, "systemuserid", 1},
		{"rows: two with one object ID", "ReadSystemUsers", `{"value":[{` + row + `},{"systemuserid":"s2","accessmode":0,"isdisabled":false,"azureactivedirectoryobjectid":"u1"}]}`, provisioning.ErrDuplicate, "azureactivedirectoryobjectid", 1},
		{"directory: not an object", "ReadDirectory", `[]`, wire.ErrType, "", -1},
		{"directory: null", "ReadDirectory", `null`, provisioning.ErrMissing, "", -1},
		{"directory: no tenantId", "ReadDirectory", `{"users":{"value":[]}}`, provisioning.ErrMissing, "tenantId", -1},
		{"directory: unknown member", "ReadDirectory", `{"tenantId":"t","memberof":{}}`, provisioning.ErrUnknown, "memberof", -1},
		{"directory: member twice", "ReadDirectory", `{"tenantId":"t","users":{"value":[]},"users":{"value":[]}}`, provisioning.ErrDuplicate, "users", -1},
		{"directory: a bad user page", "ReadDirectory", `{"tenantId":"t","users":[{"value":[{"id":"u1"}]}]}`, provisioning.ErrMissing, "userPrincipalName", 0},
		{"directory: a user and a service principal with one ID", "ReadDirectory", `{"tenantId":"t","users":{"value":[{` + user + `}]},"servicePrincipals":{"value":[{"id":"u1","appId":"a","accountEnabled":true}]}}`, provisioning.ErrDuplicate, "id", 0},
		{"directory: a user listed twice", "ReadDirectory", `{"tenantId":"t","memberOf":{"u1":{"value":[]},"u1":{"value":[]}}}`, provisioning.ErrDuplicate, "", -1},
		{"directory: relations of nobody", "ReadDirectory", `{` + rel + `,"ownedObjects":{"u9":{"value":[]}}}`, provisioning.ErrDuplicate, "ownedObjects", -1},
		{"directory: relations for a user it lacks", "ReadDirectory", `{"tenantId":"t","ownedObjects":{"u9":{"value":[]}}}`, provisioning.ErrUnknown, "", -1},
		{"directory: a map of null", "ReadDirectory", `{"tenantId":"t","memberOf":null}`, wire.ErrType, "memberOf", -1},
		{"directory: a malformed key", "ReadDirectory", `{"tenantId":"t","memberOf":{"u\u202e":{"value":[]}}}`, provisioning.ErrMalformed, "", -1},
		{"directory: trailing data", "ReadDirectory", `{"tenantId":"t"}x`, wire.ErrSyntax, "", -1},
		{"export: no environmentId", "ReadDataverseExport", `{"systemusers":{"value":[]}}`, provisioning.ErrMissing, "environmentId", -1},
		{"export: unknown member", "ReadDataverseExport", `{"environmentId":"e","systemuser":{"value":[]}}`, provisioning.ErrUnknown, "systemuser", -1},
		{"export: softDeleted twice", "ReadDataverseExport", `{"environmentId":"e","softDeleted":["s1","s1"]}`, provisioning.ErrDuplicate, "", 1},
		{"export: softDeleted a string", "ReadDataverseExport", `{"environmentId":"e","softDeleted":"s1"}`, wire.ErrType, "", -1},
		{"export: a negative count", "ReadDataverseExport", `{"environmentId":"e","ownedRecords":{"s1":-1}}`, provisioning.ErrMalformed, "", -1},
		{"export: a count past 2^53", "ReadDataverseExport", `{"environmentId":"e","ownedRecords":{"s1":9007199254740993}}`, provisioning.ErrMalformed, "", -1},
		{"export: a count as text", "ReadDataverseExport", `{"environmentId":"e","ownedRecords":{"s1":"3"}}`, wire.ErrType, "", -1},
		{"export: a count not whole", "ReadDataverseExport", `{"environmentId":"e","ownedRecords":{"s1":1.5}}`, wire.ErrType, "", -1},
		{"export: rows with one object ID", "ReadDataverseExport", `{"environmentId":"e","systemusers":[{"value":[{` + row + `}]},{"value":[{"systemuserid":"s2","accessmode":0,"isdisabled":false,"azureactivedirectoryobjectid":"u1"}]}]}`, provisioning.ErrDuplicate, "azureactivedirectoryobjectid", 0},
		{"users/delta: not JSON", "ReadUsersDelta", `{"value":[{"id":"u1"`, wire.ErrSyntax, "", 0},
		{"users/delta: trailing data", "ReadUsersDelta", `{"value":[]}]`, wire.ErrSyntax, "", -1},
		{"users/delta: deep nesting", "ReadUsersDelta", `{"value":[{"id":"u1","extension_x":` + deep + `}]}`, wire.ErrSyntax, "extension_x", 0},
		{"users/delta: deep nesting in @removed", "ReadUsersDelta", `{"value":[{"id":"u1","@removed":{"reason":"changed","x":` + deep + `}}]}`, wire.ErrSyntax, "@removed", 0},
		{"users/delta: no value", "ReadUsersDelta", `{"@odata.deltaLink":"x"}`, provisioning.ErrMissing, "value", -1},
		{"users/delta: null item", "ReadUsersDelta", `{"value":[{"id":"u1"},null]}`, provisioning.ErrMissing, "", 1},
		{"users/delta: item a string", "ReadUsersDelta", `{"value":["u1"]}`, wire.ErrType, "", 0},
		{"users/delta: no id", "ReadUsersDelta", `{"value":[{"jobTitle":"Buyer"}]}`, provisioning.ErrMissing, "id", 0},
		{"users/delta: id null", "ReadUsersDelta", `{"value":[{"id":null,"jobTitle":"Buyer"}]}`, provisioning.ErrMissing, "id", 0},
		{"users/delta: id a number", "ReadUsersDelta", `{"value":[{"id":7}]}`, wire.ErrType, "id", 0},
		{"users/delta: control character in an id", "ReadUsersDelta", `{"value":[{"id":"u1\u0000"}]}`, provisioning.ErrMalformed, "id", 0},
		{"users/delta: bidi override in a UPN", "ReadUsersDelta", `{"value":[{"id":"u1","userPrincipalName":"a\u202e@contoso.com"}]}`, provisioning.ErrMalformed, "userPrincipalName", 0},
		{"users/delta: two items with one id", "ReadUsersDelta", `{"value":[{"id":"u1"},{"id":"u2"},{"id":"u1","city":"Oslo"}]}`, provisioning.ErrDuplicate, "id", 2},
		{"users/delta: a property twice", "ReadUsersDelta", `{"value":[{"id":"u1","city":"Oslo","city":"Bergen"}]}`, provisioning.ErrDuplicate, "city", 0},
		{"users/delta: unknown @removed reason", "ReadUsersDelta", `{"value":[{"id":"u1","@removed":{"reason":"archived"}}]}`, provisioning.ErrUnknown, "@removed.reason", 0},
		{"users/delta: @removed without reason", "ReadUsersDelta", `{"value":[{"id":"u1","@removed":{}}]}`, provisioning.ErrMissing, "@removed.reason", 0},
		{"users/delta: @removed reason null", "ReadUsersDelta", `{"value":[{"id":"u1","@removed":{"reason":null}}]}`, provisioning.ErrMissing, "@removed.reason", 0},
		{"users/delta: @removed reason a number", "ReadUsersDelta", `{"value":[{"id":"u1","@removed":{"reason":1}}]}`, wire.ErrType, "@removed.reason", 0},
		{"users/delta: @removed reason twice", "ReadUsersDelta", `{"value":[{"id":"u1","@removed":{"reason":"changed","reason":"deleted"}}]}`, provisioning.ErrDuplicate, "@removed.reason", 0},
		{"users/delta: @removed a string", "ReadUsersDelta", `{"value":[{"id":"u1","@removed":"deleted"}]}`, wire.ErrType, "@removed", 0},
		{"users/delta: @removed null", "ReadUsersDelta", `{"value":[{"id":"u1","@removed":null}]}`, provisioning.ErrMissing, "@removed", 0},
		{"users/delta: UPN null", "ReadUsersDelta", `{"value":[{"id":"u1","userPrincipalName":null}]}`, provisioning.ErrMissing, "userPrincipalName", 0},
		{"users/delta: UPN blank", "ReadUsersDelta", `{"value":[{"id":"u1","userPrincipalName":""}]}`, provisioning.ErrMissing, "userPrincipalName", 0},
		{"users/delta: UPN a number", "ReadUsersDelta", `{"value":[{"id":"u1","userPrincipalName":1}]}`, wire.ErrType, "userPrincipalName", 0},
		{"users/delta: accountEnabled a string", "ReadUsersDelta", `{"value":[{"id":"u1","accountEnabled":"true"}]}`, wire.ErrType, "accountEnabled", 0},
		{"users/delta: accountEnabled null", "ReadUsersDelta", `{"value":[{"id":"u1","accountEnabled":null}]}`, provisioning.ErrMissing, "accountEnabled", 0},
		{"users/delta: unknown userType", "ReadUsersDelta", `{"value":[{"id":"u1","userType":"Robot"}]}`, provisioning.ErrUnknown, "userType", 0},
		{"users/delta: userType null", "ReadUsersDelta", `{"value":[{"id":"u1","userType":null}]}`, provisioning.ErrMissing, "userType", 0},
		{"users/delta: jobTitle a number", "ReadUsersDelta", `{"value":[{"id":"u1","jobTitle":7}]}`, wire.ErrType, "jobTitle", 0},
		{"users/delta: NUL in a city", "ReadUsersDelta", `{"value":[{"id":"u1","city":"Os\u0000lo"}]}`, provisioning.ErrMalformed, "city", 0},
		{"users/delta: businessPhones a string", "ReadUsersDelta", `{"value":[{"id":"u1","businessPhones":"555"}]}`, wire.ErrType, "businessPhones", 0},
		{"users/delta: businessPhones of numbers", "ReadUsersDelta", `{"value":[{"id":"u1","businessPhones":[555]}]}`, wire.ErrType, "businessPhones[0]", 0},
		{"users/delta: assignedLicenses an object", "ReadUsersDelta", `{"value":[{"id":"u1","assignedLicenses":{}}]}`, wire.ErrType, "assignedLicenses", 0},
		{"users/delta: a license without skuId", "ReadUsersDelta", `{"value":[{"id":"u1","assignedLicenses":[{"disabledPlans":[]}]}]}`, provisioning.ErrMissing, "assignedLicenses[0].skuId", 0},
		{"users/delta: a null license", "ReadUsersDelta", `{"value":[{"id":"u1","assignedLicenses":[null]}]}`, provisioning.ErrMissing, "assignedLicenses[0]", 0},
		{"users/delta: a groups/delta page", "ReadUsersDelta", `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#groups(members)","value":[{"id":"g1"}]}`, provisioning.ErrContradiction, "@odata.context", -1},
		{"groups/delta: a users/delta page", "ReadGroupsDelta", `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[{"id":"u1"}]}`, provisioning.ErrContradiction, "@odata.context", -1},
		{"groups/delta: not JSON", "ReadGroupsDelta", `{"value":[{"id":"g1",`, wire.ErrSyntax, "", 0},
		{"groups/delta: trailing data", "ReadGroupsDelta", `{"value":[]} null`, wire.ErrSyntax, "", -1},
		{"groups/delta: deep nesting", "ReadGroupsDelta", `{"value":[{"id":"g1","description":` + deep + `}]}`, wire.ErrSyntax, "description", 0},
		{"groups/delta: deep nesting in an entry", "ReadGroupsDelta", `{"value":[{"id":"g1","members@delta":[{"id":"u1","x":` + deep + `}]}]}`, wire.ErrSyntax, "members@delta[0]", 0},
		{"groups/delta: null item", "ReadGroupsDelta", `{"value":[null]}`, provisioning.ErrMissing, "", 0},
		{"groups/delta: no id", "ReadGroupsDelta", `{"value":[{"members@delta":[]}]}`, provisioning.ErrMissing, "id", 0},
		{"groups/delta: control character in an id", "ReadGroupsDelta", `{"value":[{"id":"g\u0007"}]}`, provisioning.ErrMalformed, "id", 0},
		{"groups/delta: two items with one id", "ReadGroupsDelta", `{"value":[{"id":"g1"},{"id":"g1"}]}`, provisioning.ErrDuplicate, "id", 1},
		{"groups/delta: members@delta twice", "ReadGroupsDelta", `{"value":[{"id":"g1","members@delta":[],"members@delta":[]}]}`, provisioning.ErrDuplicate, "members@delta", 0},
		{"groups/delta: members@delta a string", "ReadGroupsDelta", `{"value":[{"id":"g1","members@delta":"u1"}]}`, wire.ErrType, "members@delta", 0},
		{"groups/delta: members@delta null", "ReadGroupsDelta", `{"value":[{"id":"g1","members@delta":null}]}`, provisioning.ErrMissing, "members@delta", 0},
		{"groups/delta: owners@delta an object", "ReadGroupsDelta", `{"value":[{"id":"g1","owners@delta":{}}]}`, wire.ErrType, "owners@delta", 0},
		{"groups/delta: a null entry", "ReadGroupsDelta", `{"value":[{"id":"g1","members@delta":[null]}]}`, provisioning.ErrMissing, "members@delta[0]", 0},
		{"groups/delta: an entry a string", "ReadGroupsDelta", `{"value":[{"id":"g1","owners@delta":["u1"]}]}`, wire.ErrType, "owners@delta[0]", 0},
		{"groups/delta: an entry without id", "ReadGroupsDelta", `{"value":[{"id":"g1","members@delta":[{"@odata.type":"#microsoft.graph.user"}]}]}`, provisioning.ErrMissing, "members@delta[0].id", 0},
		{"groups/delta: an entry without @odata.type", "ReadGroupsDelta", `{"value":[{"id":"g1","members@delta":[{"id":"u1"}]}]}`, provisioning.ErrMissing, "members@delta[0].@odata.type", 0},
		{"groups/delta: an entry of an unknown type", "ReadGroupsDelta", `{"value":[{"id":"g1","members@delta":[{"@odata.type":"#microsoft.graph.application","id":"a1"}]}]}`, provisioning.ErrUnknown, "members@delta[0].@odata.type", 0},
		{"groups/delta: control character in an entry's id", "ReadGroupsDelta", `{"value":[{"id":"g1","owners@delta":[{"@odata.type":"#microsoft.graph.user","id":"u\u2066"}]}]}`, provisioning.ErrMalformed, "owners@delta[0].id", 0},
		{"groups/delta: an entry's id a number", "ReadGroupsDelta", `{"value":[{"id":"g1","members@delta":[{"@odata.type":"#microsoft.graph.user","id":1}]}]}`, wire.ErrType, "members@delta[0].id", 0},
		{"groups/delta: an entry's id twice", "ReadGroupsDelta", `{"value":[{"id":"g1","members@delta":[{"@odata.type":"#microsoft.graph.user","id":"u1","id":"u2"}]}]}`, provisioning.ErrDuplicate, "members@delta[0].id", 0},
		{"groups/delta: one member listed twice", "ReadGroupsDelta", `{"value":[{"id":"g1","members@delta":[{"@odata.type":"#microsoft.graph.user","id":"u1"},{"@odata.type":"#microsoft.graph.user","id":"u1","@removed":{"reason":"deleted"}}]}]}`, provisioning.ErrDuplicate, "members@delta[1].id", 0},
		{"groups/delta: an entry's unknown @removed reason", "ReadGroupsDelta", `{"value":[{"id":"g1","members@delta":[{"@odata.type":"#microsoft.graph.user","id":"u1","@removed":{"reason":"moved"}}]}]}`, provisioning.ErrUnknown, "members@delta[0].@removed.reason", 0},
		{"groups/delta: an entry's @removed a list", "ReadGroupsDelta", `{"value":[{"id":"g1","members@delta":[{"@odata.type":"#microsoft.graph.user","id":"u1","@removed":[]}]}]}`, wire.ErrType, "members@delta[0].@removed", 0},
		{"groups/delta: the group's unknown @removed reason", "ReadGroupsDelta", `{"value":[{"id":"g1","@removed":{"reason":"expired"}}]}`, provisioning.ErrUnknown, "@removed.reason", 0},
		{"export: teams with one ID", "ReadDataverseExport", `{"environmentId":"e","teams":{"value":[{"teamid":"t1","teamtype":0},{"teamid":"t1","teamtype":1}]}}`, provisioning.ErrDuplicate, "teamid", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := decoders[c.decoder]([]byte(c.data))
			var we *wire.Error
			if !errors.As(err, &we) || !errors.Is(err, c.err) || we.Field != c.field || we.Index != c.index {
				t.Fatalf("error = %v (field %q, index %d), want %v naming field %q of record %d", err, fieldOf(we), indexOf(we), c.err, c.field, c.index)
			}
			if we.Source == "" || !strings.HasPrefix(err.Error(), "wire: ") {
				t.Errorf("error %q does not name its source", err)
			}
			if errors.Is(err, wire.ErrSyntax) && we.Offset < 0 {
				t.Errorf("syntax error %q without an offset", err)
			}
		})
	}
}

func fieldOf(e *wire.Error) string {
	if e == nil {
		return ""
	}
	return e.Field
}

func indexOf(e *wire.Error) int {
	if e == nil {
		return -2
	}
	return e.Index
}

// A failed read comes back as an *Error wrapping the reader's error.
func TestReadFailure(t *testing.T) {
	broken := errors.New("connection reset")
	_, err := wire.ReadGraphUsers(&failingReader{data: []byte(`{"value":[{"id":"u1"`), err: broken})
	var we *wire.Error
	if !errors.As(err, &we) || !errors.Is(err, broken) || we.Offset != 20 {
		t.Errorf("error %v, want the reader's error at offset 20", err)
	}
}

type failingReader struct {
	data []byte
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// A page of the other delta query is refused as a whole, at no offset:
// the error is about the page's @odata.context, which comes whole.
func TestDeltaPageOfTheOtherQuery(t *testing.T) {
	for decoder, page := range map[string]string{
		"ReadUsersDelta":  `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#groups(members)","value":[{"id":"g1"}]}`,
		"ReadGroupsDelta": `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[{"id":"u1"}]}`,
	} {
		err := decoders[decoder]([]byte(page))
		var we *wire.Error
		if !errors.As(err, &we) || we.Index != -1 || we.Offset != -1 || strings.Contains(err.Error(), "offset") {
			t.Errorf("%s: %v (index %d, offset %d), want an error about the whole page", decoder, err, indexOf(we), offsetOf(we))
		}
	}
}

func offsetOf(e *wire.Error) int64 {
	if e == nil {
		return -2
	}
	return e.Offset
}

// An error in a member keyed by ID names the member and the key, and is
// placed at the key's entry, not at an earlier one.
func TestKeyedEntryError(t *testing.T) {
	for section, export := range map[string]string{
		"memberOf":       `{"tenantId":"t","memberOf":{"u1":{"value":[]},"u1":{"value":[]}}}`,
		"licenseDetails": `{"tenantId":"t","memberOf":{"u2":{"value":[]}},"licenseDetails":{"u1":{"value":[]},"u1":{"value":[]}}}`,
		"groupMembers":   `{"tenantId":"t","groupMembers":{"g1":{"value":[]},"g1":{"value":[]}}}`,
	} {
		_, err := wire.ReadDirectory(strings.NewReader(export), wire.Options{}, nil)
		var we *wire.Error
		if !errors.As(err, &we) || !errors.Is(err, provisioning.ErrDuplicate) {
			t.Fatalf("%s: %v, want a duplicate", section, err)
		}
		second := int64(strings.LastIndex(export, `"u1"`))
		if section == "groupMembers" {
			second = int64(strings.LastIndex(export, `"g1"`))
		}
		if !strings.HasPrefix(we.Source, section+"[") || we.Offset <= second || we.Offset > second+5 {
			t.Errorf("%s: %v (source %q, offset %d), want the entry of %s at its second key, offset %d", section, err, we.Source, we.Offset, section, second)
		}
	}
}

// Relations listed for a principal the export does not hold name the
// first section that listed it.
func TestLeftoverNamesSection(t *testing.T) {
	for section, export := range map[string]string{
		"memberOf":     `{"tenantId":"t","memberOf":{"u-ghost":{"value":[]}},"users":{"value":[]}}`,
		"groupMembers": `{"tenantId":"t","groupMembers":{"g1":{"value":[{"@odata.type":"#microsoft.graph.user","id":"u-ghost"}]}},"users":{"value":[]}}`,
		"groupOwners":  `{"tenantId":"t","groupOwners":{"g1":{"value":[{"@odata.type":"#microsoft.graph.user","id":"u-ghost"}]}},"users":{"value":[]}}`,
	} {
		_, err := wire.ReadDirectory(strings.NewReader(export), wire.Options{}, nil)
		var we *wire.Error
		if !errors.As(err, &we) || !errors.Is(err, provisioning.ErrUnknown) || we.Source != section || we.ID != "u-ghost" {
			t.Errorf("%s: %v, want an unknown u-ghost listed in %s", section, err, section)
		}
	}
}

// Errors name what they are about: the key of an ownedRecords count, the
// page of an array of pages, the options of a delta rather than a place
// in the input; an offset of 0 is not shown.
func TestErrorsNameTheirPlace(t *testing.T) {
	var we *wire.Error
	_, err := wire.ReadDataverseExport(strings.NewReader(`{"environmentId":"e","ownedRecords":{"s0":2,"s1":-1}}`), nil)
	if !errors.As(err, &we) || we.ID != "s1" || we.Source != "ownedRecords" {
		t.Errorf("a bad count: %v, want it to name s1", err)
	}
	_, err = wire.ReadDirectory(strings.NewReader(`{"tenantId":"t","memberOf":{"u1":[{"value":[]},{"value":7}]}}`), wire.Options{}, nil)
	if !errors.As(err, &we) || !errors.Is(err, wire.ErrType) || we.Source != `memberOf["u1"][1]` {
		t.Errorf("a bad second page: %v (source %q), want memberOf[\"u1\"][1]", err, sourceOf(we))
	}
	_, err = wire.ReadUsersDelta(strings.NewReader(`{"value":[]}`), wire.DeltaOptions{Tenant: "contoso\x00"})
	if !errors.As(err, &we) || !errors.Is(err, provisioning.ErrMalformed) || we.Field != "DeltaOptions.Tenant" || we.Index != -1 || we.Offset != -1 {
		t.Errorf("a malformed tenant option: %v (index %d, offset %d)", err, indexOf(we), offsetOf(we))
	}
	_, err = wire.ReadDataverseExport(strings.NewReader(`{"environmentId":"e","softDeleted":["s9"],"systemusers":{"value":[]}}`), nil)
	if !errors.As(err, &we) || !errors.Is(err, provisioning.ErrUnknown) || we.Source != "softDeleted" || we.ID != "s9" || we.Index != -1 || we.Offset != -1 {
		t.Errorf("a soft-deleted mark of no record: %v (index %d, offset %d)", err, indexOf(we), offsetOf(we))
	}
	_, err = wire.ReadLicenseDetails(strings.NewReader(`{"value":[{"id":"l1","skuPartNumber":"SPE_E3","servicePlans":[]},{"id":"l2","servicePlans":[]}]}`))
	if !errors.As(err, &we) || we.ID != "l2" || we.Index != 1 {
		t.Errorf("a license without SKU: %v, want it to name l2", err)
	}
	at0 := &wire.Error{Source: "tenant export", Index: -1, Offset: 0, Err: provisioning.ErrMissing}
	if s := at0.Error(); strings.Contains(s, "offset") {
		t.Errorf("an error at offset 0 shows it: %q", s)
	}
}

// A role assignment's members beyond the four read are skipped.
func TestRoleAssignmentExtras(t *testing.T) {
	p, err := wire.ReadRoleAssignments(strings.NewReader(`{"value":[{"id":"a1","appScopeId":null,"condition":null,"principalId":"u1",` +
		`"principal":{"@odata.type":"#microsoft.graph.user","id":"u1"},"roleDefinitionId":"r","directoryScopeId":"/"}]}`))
	if err != nil || len(p.Items) != 1 || p.Items[0].PrincipalID != "u1" || p.Items[0].DirectoryScopeID != "/" {
		t.Fatalf("ReadRoleAssignments = %+v, %v", p.Items, err)
	}
}

func sourceOf(e *wire.Error) string {
	if e == nil {
		return "<no *wire.Error>"
	}
	return e.Source
}

// Each license of a user's licenseDetails is read on its own: one without
// a SKU name is refused even after one with a name.
func TestDirectoryLicenseReadAfresh(t *testing.T) {
	export := `{"tenantId":"t","licenseDetails":{"u1":{"value":[` +
		`{"id":"l1","skuPartNumber":"SPE_E3","servicePlans":[]},{"id":"l2","servicePlans":[]}]}}}`
	_, err := wire.ReadDirectory(strings.NewReader(export), wire.Options{}, nil)
	var we *wire.Error
	if !errors.As(err, &we) || !errors.Is(err, provisioning.ErrMissing) || we.Field != "skuPartNumber" || we.ID != "l2" {
		t.Errorf("a license without SKU after one with: %v, want skuPartNumber missing in l2", err)
	}
}

// A page that is no group cast and has entries without @odata.type is
// refused at the first of them.
func TestUntypedObjectsAtTheFirst(t *testing.T) {
	page := `{"value":[{"@odata.type":"#microsoft.graph.group","id":"g1"},{"id":"g2"},{"id":"g3"}]}`
	_, err := wire.ReadDirectoryObjects(strings.NewReader(page))
	var we *wire.Error
	if !errors.As(err, &we) || !errors.Is(err, provisioning.ErrMissing) || we.Index != 1 || we.Offset != int64(strings.Index(page, `{"id":"g2"}`)) {
		t.Errorf("untyped entries: %v (index %d, offset %d), want the first, at %d", err, indexOf(we), offsetOf(we), strings.Index(page, `{"id":"g2"}`))
	}
}

// Every write is addressable: a systemusers row without systemuserid, in
// a page or an export, and a teams row without teamid are refused at
// reading, naming the column the $select must include.
func TestRowWithoutItsKey(t *testing.T) {
	const row = `{"accessmode":0,"isdisabled":false,"azureactivedirectoryobjectid":"u1","domainname":"a@contoso.com"}`
	for _, c := range []struct {
		name, decoder, data, field string
	}{
		{"systemusers page", "ReadSystemUsers", `{"value":[` + row + `]}`, "systemuserid"},
		{"systemusers page, null", "ReadSystemUsers", `{"value":[{"systemuserid":null,` + row[1:] + `]}`, "systemuserid"},
		{"Dataverse export", "ReadDataverseExport", `{"environmentId":"e","systemusers":{"value":[` + row + `]}}`, "systemuserid"},
		{"Dataverse export, streaming", "ReadDataverseExport/yield", `{"environmentId":"e","softDeleted":[],"ownedRecords":{},"systemusers":{"value":[` + row + `]}}`, "systemuserid"},
		{"teams page", "ReadTeams", `{"value":[{"name":"Sales","teamtype":0}]}`, "teamid"},
		{"teams of an export", "ReadDataverseExport", `{"environmentId":"e","teams":{"value":[{"name":"Sales","teamtype":0}]}}`, "teamid"},
	} {
		err := decoders[c.decoder]([]byte(c.data))
		var we *wire.Error
		if !errors.As(err, &we) || !errors.Is(err, provisioning.ErrMissing) || we.Field != c.field || we.Index != 0 ||
			!strings.Contains(err.Error(), "$select must include "+c.field) {
			t.Errorf("%s: %v, want %s missing, to be selected", c.name, err, c.field)
		}
	}
}

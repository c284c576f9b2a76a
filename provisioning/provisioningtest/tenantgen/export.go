package tenantgen

import (
	"bufio"
	"io"
	"iter"
	"slices"
	"strconv"

	"github.com/provisionrules/provisionrules/internal/jsontext"
	"github.com/provisionrules/provisionrules/provisioning"
)

// Export is a synthetic tenant for scale tests: WriteGraph writes its
// whole-tenant Microsoft Graph export, in the shape package wire reads
// (an object holding "tenantId" and the Graph responses), and
// WriteDataverse the Dataverse export of one of its environments. The
// same Export writes the same bytes, on any machine; nothing is held but
// what one record needs, so a million users take no more memory than ten.
//
// The tenant has members and a few guests (UPNs of the #EXT# form), some
// disabled and some soft-deleted (a page of deleted items); profile
// attributes with non-ASCII names; licenseDetails with real SKU part
// numbers, IDs and service plans (Office 365 E3 with its free Dataverse
// plan, Power Apps Premium, Dynamics 365 Sales, Power BI Pro, a Dynamics
// 365 trial), some plans pending or disabled; about three direct groups
// per user from a pool of groups, some nested, some owned; directory
// roles, activated in memberOf and assigned at "/", a few scoped to an
// administrative unit, and three role-assignable groups with their
// members; service principals; Graph groups with their kinds and rules,
// members, owners and memberOf.
//
// An environment's Dataverse export is what the last background sync left
// in it, by the rules of that environment applied to the facts of the
// Graph export, plus what changed since (Stale): with the tenant's own
// environments (Environments), the background sync's plan of it creates,
// enables, updates and disables a few records, and with Stale negative
// none.
type Export struct {
	// Seed chooses the tenant.
	Seed uint64
	// Users is the number of users, service principals not counted.
	Users int
	// Groups is the size of the group pool; 0 means Users/300, at least
	// 50 and at most 5,000.
	Groups int
	// RelationsFirst writes every relation before "users" (and the
	// deletion extension before "systemusers"), so that a reader yields
	// users as it reads them; otherwise "users" comes first, as a script
	// calling Graph in the natural order writes it.
	RelationsFirst bool
	// Stale is how much changed in the directory since the last sync wrote
	// the records of a Dataverse export, in users per thousand of those
	// the environment admits automatically. Of those users, Stale per
	// thousand changed since: half of them have no record yet (the sync
	// creates it), a quarter a disabled one (it enables it), a quarter one
	// with the job title they had (it updates it). About as many users it
	// no longer admits still have the enabled record the last sync left:
	// they left the security group, lost their license, or were disabled
	// or deleted in the directory since, and the sync disables those.
	// Stale per thousand of the orphaned records are still enabled too
	// (their users were deleted since), and disabled by the sync. 0 means
	// DefaultStale; a negative Stale means none: the export is what the
	// background sync leaves, and its plan writes nothing. Above 1000 it
	// is 1000.
	Stale int
}

// DefaultStale is the Stale of an Export that leaves it 0: 3 per
// thousand. The background sync then disables about 0.2 to 0.4 % of an
// environment's records: of a 100,000-user tenant (seed 1) with the
// Dataverse exports of its three environments, 4 of prod's 1,757 records
// and 63 of sandbox's 16,930, 68 in all, far within the disable threshold
// of package tenant (500 by default). The count grows with the tenant: at
// 1,000,000 users it is 18 of prod's 11,532 records and 475 of sandbox's,
// 500 in all, at the threshold; a plan of a tenant that large, or with a
// larger Stale, may have to raise it.
const DefaultStale = 3

// The fixed groups of the pool, by index.
const (
	groupRolePP        = 0  // role-assignable, Power Platform Administrator at "/"
	groupRoleGA        = 1  // role-assignable, Global Administrator on an administrative unit
	groupRoleD365      = 2  // role-assignable, Dynamics 365 Administrator at "/"
	roleGroups         = 3  // groups 0-2 are role-assignable
	groupEnvironment   = 10 // the environments' security group
	firstNestedGroup   = 11 // groups 11-30 are members of group 10
	lastNestedGroup    = 30
	firstTeamGroup     = 11 // groups 11-15 back security group teams
	lastTeamGroup      = 15
	officeTeamGroup    = 19 // a Microsoft 365 group behind a team
	roleGroupModulus   = 997
	ownerGroupFirst    = 3 // groups 3-6 list owners
	ownerGroupLast     = 6
	ownerGroupModulus  = 1009
	usersPerPage       = 999
	recordsPerPage     = 5000
	nonInteractiveMax  = 5
	exportTenantDomain = "contoso.onmicrosoft.com"
)

// groups returns the size of the group pool.
func (e Export) groups() int {
	if e.Groups > 0 {
		return max(e.Groups, lastNestedGroup+1)
	}
	return min(max(e.Users/300, 50), 5000)
}

// stale returns Stale, per thousand, with its default.
func (e Export) stale() int {
	switch {
	case e.Stale < 0:
		return 0
	case e.Stale == 0:
		return DefaultStale
	}
	return min(e.Stale, 1000)
}

// TenantID returns the tenant's ID.
func (e Export) TenantID() string { return guid(e.key(kTenant, 0)) }

// SecurityGroup returns the ID of the group an environment of the tenant
// uses as its security group; twenty groups of the pool are direct members
// of it, and five of those back group teams in a Dataverse export.
func (e Export) SecurityGroup() string { return e.groupID(groupEnvironment) }

// UserID returns the object ID of user i.
func (e Export) UserID(i int) string { return guid(e.key(kUser, uint64(i))) }

// The kinds of keys, for unrelated streams of numbers.
const (
	kTenant uint64 = iota + 1
	kUser
	kGroup
	kServicePrincipal
	kApp
	kIdentity
	kLicenses
	kGroups
	kRoles
	kRecord
	kRecordID
	kOrphan
	kLicenseID
	kUnit
	kAssignment
	kTeam
	kRole
)

// key returns a 128-bit key for item n of kind k.
func (e Export) key(k, n uint64) [2]uint64 {
	s := stream{e.Seed ^ k*0x9e3779b97f4a7c15 ^ n*0xbf58476d1ce4e5b9}
	return [2]uint64{s.next(), s.next()}
}

// rand returns the stream of numbers of item n of kind k.
func (e Export) rand(k, n uint64) stream {
	key := e.key(k, n)
	return stream{key[0] ^ key[1]}
}

func (e Export) groupID(j int) string { return guid(e.key(kGroup, uint64(j))) }

// rootBusinessUnit returns the ID of the business unit of every record,
// the environments' root one.
func (e Export) rootBusinessUnit() string { return guid(e.key(kTeam, 1<<30)) }

// stream is splitmix64: a small, fast, deterministic source of numbers.
type stream struct{ s uint64 }

func (s *stream) next() uint64 {
	s.s += 0x9e3779b97f4a7c15
	z := s.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// intn returns a number in [0, n).
func (s *stream) intn(n int) int { return int(s.next() % uint64(n)) }

// percent reports true p times in a hundred.
func (s *stream) percent(p int) bool { return s.intn(1000) < p*10 }

// permille reports true p times in a thousand.
func (s *stream) permille(p int) bool { return s.intn(1000) < p }

// guid formats a key as a version 4 GUID.
func guid(k [2]uint64) string {
	const hexDigits = "0123456789abcdef"
	var b [36]byte
	var raw [16]byte
	for i := range 8 {
		raw[i] = byte(k[0] >> (56 - 8*i))
		raw[8+i] = byte(k[1] >> (56 - 8*i))
	}
	raw[6] = raw[6]&0x0f | 0x40
	raw[8] = raw[8]&0x3f | 0x80
	j := 0
	for i, c := range raw {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b[j] = '-'
			j++
		}
		b[j], b[j+1] = hexDigits[c>>4], hexDigits[c&0xf]
		j += 2
	}
	return string(b[:])
}

// A person's name, as shown and as written in an address.
type name struct{ display, ascii string }

var givenNames = []name{
	{"Adele", "adele"}, {"Alex", "alex"}, {"Ana María", "anamaria"}, {"Björn", "bjorn"}, {"Chloé", "chloe"},
	{"Diego", "diego"}, {"Emily", "emily"}, {"François", "francois"}, {"Grady", "grady"}, {"Henrietta", "henrietta"},
	{"Isaiah", "isaiah"}, {"Johanna", "johanna"}, {"Kim", "kim"}, {"Lee", "lee"}, {"Łukasz", "lukasz"},
	{"Megan", "megan"}, {"Nestor", "nestor"}, {"Patti", "patti"}, {"Søren", "soren"}, {"Zoë", "zoe"},
	{"Miyu", "miyu"}, {"Raúl", "raul"}, {"Priya", "priya"}, {"Olga", "olga"},
}

var surnames = []name{
	{"Vance", "vance"}, {"Wilber", "wilber"}, {"Archie", "archie"}, {"Lorenz", "lorenz"}, {"Akers", "akers"},
	{"Fernandez", "fernandez"}, {"Müller", "muller"}, {"O'Brien", "obrien"}, {"Nowak", "nowak"}, {"Dubois", "dubois"},
	{"García", "garcia"}, {"Sato", "sato"}, {"Johansson", "johansson"}, {"Kowalski", "kowalski"}, {"Patel", "patel"},
	{"Rossi", "rossi"}, {"Smith", "smith"}, {"Nguyen", "nguyen"},
}

var jobTitles = []string{
	"Retail Manager", "Marketing Assistant", "Designer", "Sales Representative", "Account Manager", "Developer",
	"Director", "HR Manager", "Paralegal", "Product Manager", "Support Engineer", "Accountant", "Field Technician",
}

var places = []struct{ city, state, postal, country string }{
	{"Bellevue", "WA", "98004", "United States"}, {"Redmond", "WA", "98052", "United States"},
	{"Bloomington", "IN", "47401", "United States"}, {"Seattle", "WA", "98101", "United States"},
	{"München", "BY", "80331", "Germany"}, {"Lyon", "ARA", "69001", "France"}, {"Kraków", "MA", "30-001", "Poland"},
	{"São Paulo", "SP", "01000-000", "Brazil"}, {"Tokyo", "13", "100-0001", "Japan"}, {"Toronto", "ON", "M5H", "Canada"},
}

// identity is what the users section says of user i, apart from its
// relations.
type identity struct {
	id, upn, mail, userType    string
	home                       string // a guest's home domain
	given, surname             name
	enabled, guest, deleted    bool
	job, street, phone, mobile string
	place                      int
}

func (e Export) identity(i int) identity {
	s := e.rand(kIdentity, uint64(i))
	u := identity{id: e.UserID(i), userType: "Member", enabled: !s.percent(5)}
	u.given, u.surname = givenNames[s.intn(len(givenNames))], surnames[s.intn(len(surnames))]
	local := u.given.ascii + "." + u.surname.ascii + strconv.Itoa(i)
	switch {
	case s.percent(3):
		u.guest, u.userType = true, "Guest"
		home := [...]string{"fabrikam.com", "tailspintoys.com", "northwindtraders.com"}[s.intn(3)]
		u.upn = local + "_" + home + "#EXT#@" + exportTenantDomain
		u.mail = local + "@" + home
		u.home = home
	default:
		u.upn = local + "@contoso.com"
		u.mail = u.upn
	}
	u.deleted = s.permille(5)
	u.job = jobTitles[s.intn(len(jobTitles))]
	u.place = s.intn(len(places))
	u.street = strconv.Itoa(1+s.intn(9999)) + " " + [...]string{"Main Street", "Wright Street", "Lake Avenue", "Hauptstraße"}[s.intn(4)]
	u.phone = "+1 425 555 " + strconv.Itoa(1000+s.intn(9000))
	if s.percent(50) {
		u.mobile = "+1 206 555 " + strconv.Itoa(1000+s.intn(9000))
	}
	return u
}

// A license's SKU and service plans, as licenseDetails lists them, and
// what package wire's default classifier reads it as: the license plan
// that its service plan number core carries (none when core is -1), and
// whether the classifier lists the SKU. A license of a listed SKU whose
// core plan is off is inactive; one of a SKU it does not list is the plan
// of its core service plan while that plan is on, and PlanOther when it
// is off.
type sku struct {
	part, id string
	plans    []plan
	plan     provisioning.LicensePlan
	core     int
	listed   bool
}

type plan struct{ name, id string }

var (
	skuE3 = sku{"ENTERPRISEPACK", "6fd2c87f-b296-42f0-b197-1e91e994b900", []plan{
		{"EXCHANGE_S_ENTERPRISE", "efb87545-963c-4e0d-99df-69c6916d9eb0"},
		{"TEAMS1", "57ff2da0-773e-42df-b2af-ffb7a2317929"},
		{"SHAREPOINTENTERPRISE", "5dbe027f-2339-4123-9542-606e4d348a72"},
		{"DYN365_CDS_O365_P2", "4ff01e01-1ba7-4d71-8cf8-ce96c3bbcf14"},
		{"POWERAPPS_O365_P2", "c68f8d98-5534-41c8-bf36-22fa496fa792"},
		{"FLOW_O365_P2", "76846ad7-7776-4c40-a281-a386362dd1b9"},
	}, provisioning.PlanFreeDataverse, 3, false}
	skuPowerApps = sku{"POWERAPPS_PER_USER", "b30411f5-fea1-4a59-9ad9-3db7c7ead579", []plan{
		{"POWERAPPS_PER_USER", "ea2cf03b-ac60-46ae-9c1d-eeaeb63cec86"},
		{"DYN365_CDS_P2", "6ea4c1ef-c259-46df-bce2-943342cd3cb2"},
		{"Flow_PowerApps_PerUser", "dc789ed8-0170-4b65-a415-eb77d5bb350a"},
		{"EXCHANGE_S_FOUNDATION", "113feb6c-3fe4-4440-bddc-54d774bf0318"},
	}, provisioning.PlanPowerAppsPremium, 0, true}
	skuSales = sku{"DYN365_ENTERPRISE_SALES", "1e1a282c-9c54-43a2-9310-98ef728faace", []plan{
		{"DYN365_ENTERPRISE_SALES", "2da8e897-7791-486b-b08f-cc63c8129df7"},
		{"POWERAPPS_DYN_APPS", "874fc546-6efe-4d22-90b8-5c4e7aa59f4b"},
		{"FLOW_DYN_APPS", "7e6d7d78-73de-46ba-83b1-6d25117334ba"},
		{"PROJECT_ESSENTIALS", "1259157c-8581-4875-bca7-2ffb18c51bda"},
		{"SHAREPOINTENTERPRISE", "5dbe027f-2339-4123-9542-606e4d348a72"},
	}, provisioning.PlanDynamics365, 0, true}
	skuPowerBI = sku{"POWER_BI_PRO", "f8a1db68-be16-40ed-86d5-cb42ce701560", []plan{
		{"BI_AZURE_P2", "70d33638-9c74-4d01-bfd3-562de28bd4ba"},
		{"EXCHANGE_S_FOUNDATION", "113feb6c-3fe4-4440-bddc-54d774bf0318"},
	}, provisioning.PlanOther, -1, false}
	skuTrial = sku{"DYN365_ENTERPRISE_P1_IW", "338148b6-1b11-4102-afb9-f92b6cdc0f8d", []plan{
		{"DYN365_ENTERPRISE_P1_IW", "056a5f80-b4e0-4983-a8be-7ad254a113c9"},
		{"EXCHANGE_S_FOUNDATION", "113feb6c-3fe4-4440-bddc-54d774bf0318"},
	}, provisioning.PlanOther, -1, false}
)

// license is one license of a user: its SKU, and the plan that is not on
// (-1 for none) with its status.
type license struct {
	sku    *sku
	off    int
	status string
}

// licenses returns user i's licenses.
func (e Export) licenses(i int, guest bool) []license {
	s := e.rand(kLicenses, uint64(i))
	var out []license
	add := func(k *sku, p int) {
		l := license{sku: k, off: -1}
		if s.percent(p) {
			l.off = s.intn(len(k.plans))
			l.status = [...]string{"PendingProvisioning", "PendingInput", "PendingActivation", "ErrorStatus", "Disabled"}[s.intn(5)]
		}
		out = append(out, l)
	}
	if guest && !s.percent(20) {
		return nil
	}
	if s.percent(85) {
		add(&skuE3, 3)
	}
	if s.percent(12) {
		add(&skuPowerApps, 4)
	}
	if s.percent(6) {
		add(&skuSales, 4)
	}
	if s.percent(10) {
		add(&skuPowerBI, 1)
	}
	if s.percent(2) {
		add(&skuTrial, 0)
	}
	return out
}

// membership is what user i belongs to and owns.
type membership struct {
	direct []int // group indexes
	owned  int   // -1 for none
	nested bool  // has transitiveMemberOf
}

// parent returns the group that group j is a direct member of, or -1.
func parent(j int) int {
	switch {
	case j >= firstNestedGroup && j <= lastNestedGroup:
		return groupEnvironment
	case j >= 100 && j%7 == 0:
		return j / 7
	}
	return -1
}

func (e Export) membership(i int) membership {
	s := e.rand(kGroups, uint64(i))
	g := e.groups()
	m := membership{owned: -1}
	n := 1 + s.intn(5)
	for range n {
		// The smaller of two draws: popular groups come first.
		j := roleGroups + min(s.intn(g-roleGroups), s.intn(g-roleGroups))
		if !containsInt(m.direct, j) {
			m.direct = append(m.direct, j)
		}
	}
	if k := i % roleGroupModulus; k < roleGroups {
		m.direct = append(m.direct, k)
	}
	for _, j := range m.direct {
		if parent(j) >= 0 {
			m.nested = s.percent(80) || m.nested
		}
	}
	if s.percent(2) {
		m.owned = roleGroups + s.intn(g-roleGroups)
	}
	return m
}

func containsInt(list []int, x int) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

// The directory roles, by template ID.
const (
	roleGA   = "62e90394-69f5-4237-9190-012177145e10"
	rolePP   = "11648597-926c-4cf3-9c36-bcebb0ba8dcc"
	roleD365 = "44367163-eba1-44c3-98af-f5787879f96a"
	roleUser = "fe930be7-5e62-47db-91af-98c3a49a38b1" // User Administrator: no role the rules know
)

// roles returns the template IDs of user i's roles at "/", and whether it
// also holds Global Administrator on an administrative unit.
func (e Export) roles(i int) (roles []string, unitScoped bool) {
	s := e.rand(kRoles, uint64(i))
	if s.permille(1) {
		roles = append(roles, roleGA)
	}
	if s.permille(3) {
		roles = append(roles, rolePP)
	}
	if s.permille(2) {
		roles = append(roles, roleD365)
	}
	if s.permille(2) {
		roles = append(roles, roleUser)
	}
	return roles, s.permille(2)
}

// writer writes JSON text, keeping the first error.
type writer struct {
	w   *bufio.Writer
	err error
	buf []byte
}

func newWriter(w io.Writer) *writer { return &writer{w: bufio.NewWriterSize(w, 256<<10)} }

func (w *writer) raw(s string) {
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
	}
}

// str writes s as a JSON string.
func (w *writer) str(s string) {
	w.buf = jsontext.Append(w.buf[:0], s)
	if w.err == nil {
		_, w.err = w.w.Write(w.buf)
	}
}

// member writes "name": with a comma before it unless first.
func (w *writer) member(first bool, name string) {
	if !first {
		w.raw(",")
	}
	w.str(name)
	w.raw(":")
}

// pair writes "name":"value".
func (w *writer) pair(first bool, name, value string) {
	w.member(first, name)
	w.str(value)
}

func (w *writer) int(n int) { w.raw(strconv.Itoa(n)) }

func (w *writer) flush() error {
	if w.err == nil {
		w.err = w.w.Flush()
	}
	return w.err
}

const graphRoot = "https://graph.microsoft.com/v1.0/"

// WriteGraph writes the tenant's whole-tenant Microsoft Graph export to w.
func (e Export) WriteGraph(w io.Writer) error {
	out := newWriter(w)
	out.raw("{")
	out.pair(true, "tenantId", e.TenantID())
	if e.RelationsFirst {
		e.writeRelations(out)
		e.writePrincipals(out)
	} else {
		e.writePrincipals(out)
		e.writeRelations(out)
	}
	out.raw("}\n")
	return out.flush()
}

func (e Export) writePrincipals(out *writer) {
	e.writeUsers(out)
	e.writeServicePrincipals(out)
}

func (e Export) writeRelations(out *writer) {
	e.writeGroups(out)
	e.writeRoleAssignments(out)
	e.writeLicenseDetails(out)
	e.writeMemberOf(out)
	e.writeTransitiveMemberOf(out)
	e.writeOwnedObjects(out)
	e.writeGroupMembers(out)
	e.writeGroupOwners(out)
	e.writeGroupMemberOf(out)
}

// writeUsers writes "users": pages of users, then a page of the deleted
// users, as GET /directory/deletedItems/microsoft.graph.user returns them.
func (e Export) writeUsers(out *writer) {
	out.member(false, "users")
	out.raw("[")
	page, inPage := 0, 0
	open := func() {
		if page > 0 {
			out.raw(",")
		}
		out.raw(`{"@odata.context":"` + graphRoot + `$metadata#users(id,userPrincipalName,accountEnabled,userType,displayName,givenName,surname,jobTitle,mail,businessPhones,mobilePhone,streetAddress,city,state,postalCode,country)","value":[`)
	}
	close := func(last bool) {
		out.raw("]")
		if !last {
			out.raw(`,"@odata.nextLink":"` + graphRoot + `users?$select=id,userPrincipalName,accountEnabled,userType&$skiptoken=`)
			out.raw(strconv.Itoa(page + 1))
			out.raw(`"`)
		}
		out.raw("}")
		page++
		inPage = 0
	}
	open()
	for i := range e.Users {
		u := e.identity(i)
		if u.deleted {
			continue
		}
		if inPage == usersPerPage {
			close(false)
			open()
		}
		e.writeUser(out, &u, inPage == 0)
		inPage++
	}
	close(true)
	out.raw(`,{"@odata.context":"` + graphRoot + `$metadata#directoryObjects/microsoft.graph.user","value":[`)
	first := true
	for i := range e.Users {
		u := e.identity(i)
		if !u.deleted {
			continue
		}
		e.writeUser(out, &u, first)
		first = false
	}
	out.raw("]}]")
}

func (e Export) writeUser(out *writer, u *identity, first bool) {
	if !first {
		out.raw(",")
	}
	out.raw("{")
	if u.deleted {
		out.pair(true, "@odata.type", "#microsoft.graph.user")
		out.pair(false, "id", u.id)
	} else {
		out.pair(true, "id", u.id)
	}
	out.pair(false, "userPrincipalName", u.upn)
	out.member(false, "accountEnabled")
	out.raw(strconv.FormatBool(u.enabled))
	out.pair(false, "userType", u.userType)
	out.pair(false, "displayName", u.given.display+" "+u.surname.display)
	out.pair(false, "givenName", u.given.display)
	out.pair(false, "surname", u.surname.display)
	p := places[u.place]
	if u.guest {
		out.raw(`,"jobTitle":null`)
		out.pair(false, "mail", u.mail)
		out.raw(`,"businessPhones":[],"mobilePhone":null,"streetAddress":null,"city":null,"state":null,"postalCode":null,"country":null`)
	} else {
		out.pair(false, "jobTitle", u.job)
		out.pair(false, "mail", u.mail)
		out.raw(`,"businessPhones":[`)
		out.str(u.phone)
		out.raw("]")
		if u.mobile != "" {
			out.pair(false, "mobilePhone", u.mobile)
		} else {
			out.raw(`,"mobilePhone":null`)
		}
		out.pair(false, "streetAddress", u.street)
		out.pair(false, "city", p.city)
		out.pair(false, "state", p.state)
		out.pair(false, "postalCode", p.postal)
		out.pair(false, "country", p.country)
	}
	if u.deleted {
		out.pair(false, "deletedDateTime", "2026-11-"+strconv.Itoa(10+int(u.id[0]%9))+"T08:13:52Z")
	}
	out.raw("}")
}

// servicePrincipals returns how many service principals the tenant has.
func (e Export) servicePrincipals() int { return e.Users/100 + 3 }

// servicePrincipalEnabled reports whether service principal j is enabled:
// all but one in ten.
func servicePrincipalEnabled(j int) bool { return j%10 != 9 }

func (e Export) writeServicePrincipals(out *writer) {
	out.member(false, "servicePrincipals")
	out.raw(`{"@odata.context":"` + graphRoot + `$metadata#servicePrincipals(id,appId,accountEnabled,displayName)","value":[`)
	for j := range e.servicePrincipals() {
		if j > 0 {
			out.raw(",")
		}
		out.raw("{")
		out.pair(true, "id", guid(e.key(kServicePrincipal, uint64(j))))
		out.pair(false, "appId", guid(e.key(kApp, uint64(j))))
		out.raw(`,"accountEnabled":` + strconv.FormatBool(servicePrincipalEnabled(j)))
		out.pair(false, "displayName", "Integration "+strconv.Itoa(j))
		out.raw("}")
	}
	out.raw("]}")
}

// writeGroups writes "groups": the pool, every twentieth a Microsoft 365
// group, some dynamic, one deleted.
func (e Export) writeGroups(out *writer) {
	out.member(false, "groups")
	out.raw(`{"@odata.context":"` + graphRoot + `$metadata#groups(id,displayName,groupTypes,membershipRule,securityEnabled,mailEnabled)","value":[`)
	for j := range e.groups() {
		if j > 0 {
			out.raw(",")
		}
		out.raw("{")
		out.pair(true, "id", e.groupID(j))
		out.pair(false, "displayName", "Group "+strconv.Itoa(j))
		switch {
		case j%20 == officeTeamGroup:
			out.raw(`,"groupTypes":["Unified"],"membershipRule":null,"securityEnabled":false,"mailEnabled":true`)
		case j >= 100 && j%50 == 1:
			out.raw(`,"groupTypes":["DynamicMembership"],"membershipRule":"(user.department -eq \"Sales\")","securityEnabled":true,"mailEnabled":false`)
		case j >= 100 && j%200 == 3:
			out.raw(`,"groupTypes":["DynamicMembership"],"membershipRule":"(device.deviceOSType -eq \"Windows\")","securityEnabled":true,"mailEnabled":false`)
		default:
			out.raw(`,"groupTypes":[],"membershipRule":null,"securityEnabled":true,"mailEnabled":false`)
		}
		out.raw("}")
	}
	out.raw("]}")
}

// writeRoleAssignments writes the assignments: users' roles at "/", some
// Global Administrators on an administrative unit, and the three
// role-assignable groups'.
func (e Export) writeRoleAssignments(out *writer) {
	out.member(false, "roleAssignments")
	out.raw(`{"@odata.context":"` + graphRoot + `$metadata#roleManagement/directory/roleAssignments","value":[`)
	n := 0
	assign := func(principal, role, scope string) {
		if n > 0 {
			out.raw(",")
		}
		out.raw("{")
		out.pair(true, "id", guid(e.key(kAssignment, uint64(n))))
		out.pair(false, "principalId", principal)
		out.pair(false, "roleDefinitionId", role)
		out.pair(false, "directoryScopeId", scope)
		out.raw("}")
		n++
	}
	unit := "/administrativeUnits/" + guid(e.key(kUnit, 0))
	assign(e.groupID(groupRolePP), rolePP, "/")
	assign(e.groupID(groupRoleGA), roleGA, unit)
	assign(e.groupID(groupRoleD365), roleD365, "/")
	for i := range e.Users {
		roles, unitScoped := e.roles(i)
		for _, r := range roles {
			assign(e.UserID(i), r, "/")
		}
		if unitScoped {
			assign(e.UserID(i), roleGA, unit)
		}
	}
	out.raw("]}")
}

// keyed opens a member keyed by user or group ID.
func keyed(out *writer, name string) func(id, context string) {
	out.member(false, name)
	out.raw("{")
	first := true
	return func(id, context string) {
		out.member(first, id)
		first = false
		out.raw(`{"@odata.context":"` + graphRoot + context + `","value":[`)
	}
}

func (e Export) writeLicenseDetails(out *writer) {
	open := keyed(out, "licenseDetails")
	for i := range e.Users {
		u := e.identity(i)
		id := u.id
		open(id, "$metadata#users('"+id+"')/licenseDetails")
		for k, l := range e.licenses(i, u.guest) {
			if k > 0 {
				out.raw(",")
			}
			out.raw("{")
			lk := e.key(kLicenseID, uint64(i)<<4|uint64(k))
			out.pair(true, "id", strconv.FormatUint(lk[0], 36)+strconv.FormatUint(lk[1], 36))
			out.pair(false, "skuId", l.sku.id)
			out.pair(false, "skuPartNumber", l.sku.part)
			out.raw(`,"servicePlans":[`)
			for p, sp := range l.sku.plans {
				if p > 0 {
					out.raw(",")
				}
				status := "Success"
				if p == l.off {
					status = l.status
				}
				out.raw(`{"servicePlanId":"` + sp.id + `","servicePlanName":"` + sp.name + `","provisioningStatus":"` + status + `","appliesTo":"User"}`)
			}
			out.raw("]}")
		}
		out.raw("]}")
	}
	out.raw("}")
}

func (e Export) writeMemberOf(out *writer) {
	open := keyed(out, "memberOf")
	for i := range e.Users {
		id := e.UserID(i)
		open(id, "$metadata#directoryObjects")
		m := e.membership(i)
		for k, j := range m.direct {
			if k > 0 {
				out.raw(",")
			}
			out.raw(`{"@odata.type":"#microsoft.graph.group","id":"` + e.groupID(j) + `","displayName":"Group ` + strconv.Itoa(j) + `"}`)
		}
		roles, _ := e.roles(i)
		for _, r := range roles {
			out.raw(`,{"@odata.type":"#microsoft.graph.directoryRole","id":"` + guid(e.key(kRole, roleIndex(r))) + `","roleTemplateId":"` + r + `"}`)
		}
		out.raw("]}")
	}
	out.raw("}")
}

// roleIndex numbers a role template for the ID of its activated role.
func roleIndex(template string) uint64 {
	switch template {
	case roleGA:
		return 1
	case rolePP:
		return 2
	case roleD365:
		return 3
	}
	return 4
}

func (e Export) writeTransitiveMemberOf(out *writer) {
	out.member(false, "transitiveMemberOf")
	out.raw("{")
	first := true
	for i := range e.Users {
		m := e.membership(i)
		if !m.nested {
			continue
		}
		out.member(first, e.UserID(i))
		first = false
		// A page cast to groups, as /transitiveMemberOf/microsoft.graph.group
		// returns it: no @odata.type.
		out.raw(`{"@odata.context":"` + graphRoot + `$metadata#groups(id)","value":[`)
		var listed []int
		for _, j := range m.direct {
			for g := j; g >= 0 && !containsInt(listed, g); g = parent(g) {
				if len(listed) > 0 {
					out.raw(",")
				}
				out.raw(`{"id":"` + e.groupID(g) + `"}`)
				listed = append(listed, g)
			}
		}
		out.raw("]}")
	}
	out.raw("}")
}

func (e Export) writeOwnedObjects(out *writer) {
	out.member(false, "ownedObjects")
	out.raw("{")
	first := true
	for i := range e.Users {
		m := e.membership(i)
		if m.owned < 0 {
			continue
		}
		out.member(first, e.UserID(i))
		first = false
		out.raw(`{"@odata.context":"` + graphRoot + `$metadata#directoryObjects","value":[{"@odata.type":"#microsoft.graph.group","id":"` + e.groupID(m.owned) + `"}]}`)
	}
	out.raw("}")
}

// writeGroupMembers writes the members of the role-assignable groups and
// of the environments' security group.
func (e Export) writeGroupMembers(out *writer) {
	open := keyed(out, "groupMembers")
	for k := range roleGroups {
		open(e.groupID(k), "$metadata#directoryObjects")
		for i := k; i < e.Users; i += roleGroupModulus {
			if i > k {
				out.raw(",")
			}
			out.raw(`{"@odata.type":"#microsoft.graph.user","id":"` + e.UserID(i) + `"}`)
		}
		out.raw("]}")
	}
	open(e.groupID(groupEnvironment), "$metadata#directoryObjects")
	for j := firstNestedGroup; j <= lastNestedGroup; j++ {
		if j > firstNestedGroup {
			out.raw(",")
		}
		out.raw(`{"@odata.type":"#microsoft.graph.group","id":"` + e.groupID(j) + `"}`)
	}
	out.raw("]}}")
}

func (e Export) writeGroupOwners(out *writer) {
	open := keyed(out, "groupOwners")
	for k := ownerGroupFirst; k <= ownerGroupLast; k++ {
		open(e.groupID(k), "$metadata#directoryObjects")
		for i := k; i < e.Users; i += ownerGroupModulus {
			if i > k {
				out.raw(",")
			}
			out.raw(`{"@odata.type":"#microsoft.graph.user","id":"` + e.UserID(i) + `"}`)
		}
		out.raw("]}")
	}
	out.raw("}")
}

// writeGroupMemberOf writes each nested group's own memberOf.
func (e Export) writeGroupMemberOf(out *writer) {
	open := keyed(out, "groupMemberOf")
	for j := range e.groups() {
		if p := parent(j); p >= 0 {
			open(e.groupID(j), "$metadata#groups")
			out.raw(`{"id":"` + e.groupID(p) + `"}]}`)
		}
	}
	out.raw("}")
}

// The security roles of the environments.
var securityRoles = []string{"Basic User", "Salesperson", "Sales Manager", "Customer Service Representative", "System Administrator"}

func containsString(list []string, x string) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

// orphans returns how many records belong to no user of the directory.
func (e Export) orphans() int { return e.Users/200 + 1 }

// orphan says what orphaned record k is: soft-deleted one time in four;
// otherwise disabled by an earlier sync or, Stale times in a thousand,
// still enabled (its user was deleted since the last sync); and how many
// records it owns.
func (e Export) orphan(k int) (softDeleted, enabled bool, owned int) {
	s := e.rand(kOrphan, uint64(k))
	softDeleted = k%4 == 0
	return softDeleted, !softDeleted && s.permille(e.stale()), k % 13
}

// stubs returns how many stub records an environment has.
func (e Export) stubs() int { return e.Users/500 + 2 }

// appUsers returns how many application users an environment has.
func (e Export) appUsers() int { return min(5, e.servicePrincipals()) }

// The systemuserids of the records, by kind.
func (e Export) recordID(i int) string  { return guid(e.key(kRecordID, uint64(i))) }
func (e Export) orphanID(k int) string  { return guid(e.key(kRecordID, 1<<40+uint64(k))) }
func (e Export) specialID(k int) string { return guid(e.key(kRecordID, 1<<41+uint64(k))) }

// WriteDataverse writes the Dataverse export of the tenant's environment
// environment to w, as the last background sync left it and as much
// changed since as Stale says. Who has a record follows the rules of the
// environment of Environments with that ID (prod's rules for any other
// ID), from the facts WriteGraph writes:
//
//   - the users the environment admits automatically have an enabled
//     record, in the access mode the rules give them (prod: direct members
//     of its security group with an active Power Apps premium or Dynamics
//     365 license, and Global and Power Platform admins; sandbox: every
//     enabled user with such a license or an admin role; dev: its creator,
//     when licensed); Stale per thousand changed since (no record yet, a
//     disabled one, or a former job title);
//   - of the users a group team or their ownership of the security group
//     lets in at their own access, one in two has accessed it and has a
//     record; those whom only the free Dataverse plan of Microsoft 365
//     lets in, on demand, have none;
//   - about Stale per thousand as many users as it admits automatically,
//     among those it refuses for one reason only (not a direct member of
//     the group, no active license, disabled or deleted in the directory),
//     still have the enabled record from before;
//   - the records of the first five users from user 11 on that keep
//     their enabled record are non-interactive.
//
// A record holds every column the directory sync writes, as the
// directory says it (the changed ones aside), the user's security roles
// and the group teams that hold it. Beside them come the support and
// delegated-admin records, application users of some service principals,
// orphaned records of users no longer in the directory (one in four
// soft-deleted, the others disabled but for Stale per thousand), stubs,
// the environment's teams (an owner team, and the group teams of prod's
// kind for an environment that has them), with this library's
// softDeleted and ownedRecords extension.
//
// It reads the tenant's users three times, holding none of them: once to
// count them, then for the records and their extension.
func (e Export) WriteDataverse(w io.Writer, environment string) error {
	env := e.environment(environment)
	c := e.census(&env)
	out := newWriter(w)
	out.raw("{")
	out.pair(true, "environmentId", environment)
	if e.RelationsFirst {
		e.writeDeletion(out, &env, c)
		e.writeTeams(out, &env)
		e.writeRecords(out, &env, c)
	} else {
		e.writeRecords(out, &env, c)
		e.writeTeams(out, &env)
		e.writeDeletion(out, &env, c)
	}
	out.raw("}\n")
	return out.flush()
}

// records yields, in index order, each user with a record in env, with
// the directory user it is and its record; the pointers are reused from
// one user to the next. The first nonInteractiveMax users from user 11 on
// whose record is enabled and unchanged have non-interactive records.
func (e Export) records(env *provisioning.Environment, c census) iter.Seq2[*provisioning.User, *record] {
	return func(yield func(*provisioning.User, *record) bool) {
		var u provisioning.User
		nonInteractive := 0
		for i := range e.Users {
			id := e.identity(i)
			e.directoryUser(i, &id, &u)
			st, d := standingOf(&u, env)
			r := e.record(i, st, &d, c)
			if !r.ok {
				continue
			}
			if st == automatic && !r.changed && i >= 11 && nonInteractive < nonInteractiveMax {
				r.mode = modeNonInteractive
				nonInteractive++
			}
			r.id = &id
			if !yield(&u, &r) {
				return
			}
		}
	}
}

// writeDeletion writes "softDeleted" and "ownedRecords".
func (e Export) writeDeletion(out *writer, env *provisioning.Environment, c census) {
	out.member(false, "softDeleted")
	out.raw("[")
	first := true
	for k := range e.orphans() {
		if deleted, _, _ := e.orphan(k); deleted {
			if !first {
				out.raw(",")
			}
			out.str(e.orphanID(k))
			first = false
		}
	}
	out.raw("]")
	out.member(false, "ownedRecords")
	out.raw("{")
	first = true
	count := func(id string, n int) {
		if n > 0 {
			out.member(first, id)
			out.int(n)
			first = false
		}
	}
	for _, r := range e.records(env, c) {
		count(e.recordID(r.index), r.owned)
	}
	for k := range e.orphans() {
		_, _, n := e.orphan(k)
		count(e.orphanID(k), n)
	}
	out.raw("}")
}

// writeTeams writes the environment's teams: an owner team and, for an
// environment with group teams (prod's), the security group teams of
// groups 11 to 15 (members of its security group) and a Microsoft 365
// group team.
func (e Export) writeTeams(out *writer, env *provisioning.Environment) {
	out.member(false, "teams")
	out.raw(`{"@odata.context":"https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#teams(name,teamtype,azureactivedirectoryobjectid,membershiptype,teamroles_association(name,isinherited))","value":[`)
	out.raw(`{"teamid":"` + guid(e.key(kTeam, 0)) + `","name":"contoso","teamtype":0,"azureactivedirectoryobjectid":null,"membershiptype":0,"teamroles_association":[{"name":"Basic User","isinherited":0}]}`)
	if len(env.Teams) > 0 {
		team := func(j, teamType int, membership string) {
			out.raw(`,{"teamid":"` + guid(e.key(kTeam, uint64(j))) + `","name":"Group ` + strconv.Itoa(j) + ` team","teamtype":` + strconv.Itoa(teamType))
			out.raw(`,"azureactivedirectoryobjectid":"` + e.groupID(j) + `","membershiptype":` + membership)
			out.raw(`,"teamroles_association":[{"name":"` + securityRoles[j%len(securityRoles)] + `","isinherited":` + strconv.Itoa(j%2) + `}]}`)
		}
		for j := firstTeamGroup; j <= lastTeamGroup; j++ {
			team(j, teamTypeSecurity, strconv.Itoa(j%4))
		}
		team(officeTeamGroup, teamTypeOffice, "null")
	}
	out.raw("]}")
}

// The Dataverse team types of group teams.
const (
	teamTypeSecurity = 2
	teamTypeOffice   = 3
)

// modeNonInteractive is accessmode Non-interactive.
const modeNonInteractive = 4

// writeRecords writes "systemusers", in pages of 5,000 rows.
func (e Export) writeRecords(out *writer, env *provisioning.Environment, c census) {
	out.member(false, "systemusers")
	out.raw("[")
	rows, page := 0, 0
	row := func() {
		switch {
		case rows == 0:
			out.raw(`{"@odata.context":"https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#systemusers","value":[`)
		case rows%recordsPerPage == 0:
			page++
			out.raw(`],"@odata.nextLink":"https://contoso.crm.dynamics.com/api/data/v9.2/systemusers?$skiptoken=` + strconv.Itoa(page) + `"},{"value":[`)
		default:
			out.raw(",")
		}
		rows++
	}
	special := func(k int, upn, mode string) {
		row()
		out.raw(`{"systemuserid":"` + e.specialID(k) + `","azureactivedirectoryobjectid":null,"domainname":"` + upn + `","accessmode":` + mode + `,"isdisabled":false,"applicationid":null,"fullname":"Support User"}`)
	}
	special(0, "crmoln@microsoft.com", "3")
	special(1, "crmoln2@microsoft.com", "5")
	for j := range e.appUsers() {
		if !e.appUserAdmitted(j, env) {
			continue
		}
		row()
		out.raw(`{"systemuserid":"` + e.specialID(2+j) + `","azureactivedirectoryobjectid":"` + guid(e.key(kServicePrincipal, uint64(j))) +
			`","domainname":"","accessmode":4,"isdisabled":false,"applicationid":"` + guid(e.key(kApp, uint64(j))) +
			`","firstname":"#","lastname":"Integration ` + strconv.Itoa(j) + `"}`)
	}
	for u, r := range e.records(env, c) {
		row()
		e.writeRecord(out, env, u, r)
	}
	for k := range e.orphans() {
		row()
		deleted, enabled, _ := e.orphan(k)
		out.raw(`{"systemuserid":"` + e.orphanID(k) + `","azureactivedirectoryobjectid":"` + e.UserID(e.Users+k) +
			`","domainname":"gone` + strconv.Itoa(k) + `@contoso.com","accessmode":0,"isdisabled":` + strconv.FormatBool(!enabled) +
			`,"applicationid":null,"fullname":"Former User ` + strconv.Itoa(k) + `","systemuserroles_association":[`)
		if !deleted {
			out.raw(`{"name":"Basic User"}`)
		}
		out.raw(`],"teammembership_association":[]}`)
	}
	for k := range e.stubs() {
		row()
		out.raw(`{"systemuserid":"` + e.specialID(100+k) + `","azureactivedirectoryobjectid":null,"domainname":"former.rep` + strconv.Itoa(k) +
			`@contoso.com","accessmode":0,"isdisabled":true,"applicationid":null,"fullname":"Former Rep ` + strconv.Itoa(k) + `"}`)
	}
	out.raw("]}]")
}

// writeRecord writes the systemusers row of directory user u's record r
// in env: the columns the directory sync writes as the Graph export has
// them (a former job title for a record whose user changed it since),
// its roles, and the group teams that hold u, which it joined at its
// last access.
func (e Export) writeRecord(out *writer, env *provisioning.Environment, u *provisioning.User, r *record) {
	id := r.id
	out.raw(`{"@odata.etag":"W/\"` + strconv.Itoa(4000000+r.index) + `\"","systemuserid":"` + e.recordID(r.index) + `","azureactivedirectoryobjectid":"` + id.id + `"`)
	out.pair(false, "domainname", id.upn)
	out.raw(`,"accessmode":` + strconv.Itoa(r.mode) + `,"isdisabled":` + strconv.FormatBool(r.disabled) + `,"applicationid":null`)
	out.pair(false, "fullname", id.given.display+" "+id.surname.display)
	out.pair(false, "firstname", id.given.display)
	out.pair(false, "lastname", id.surname.display)
	out.pair(false, "internalemailaddress", id.mail)
	if id.guest {
		// Graph gives a guest no profile but its name and mail.
		if r.formerTitle {
			out.pair(false, "jobtitle", id.job)
		} else {
			out.raw(`,"jobtitle":null`)
		}
		out.raw(`,"address1_telephone1":null,"mobilephone":null,"address1_line1":null,"address1_city":null,"address1_stateorprovince":null,"address1_postalcode":null,"address1_country":null`)
	} else {
		job := id.job
		if r.formerTitle {
			job = jobTitles[(slices.Index(jobTitles, job)+1)%len(jobTitles)]
		}
		p := places[id.place]
		out.pair(false, "jobtitle", job)
		out.pair(false, "address1_telephone1", id.phone)
		if id.mobile != "" {
			out.pair(false, "mobilephone", id.mobile)
		} else {
			out.raw(`,"mobilephone":null`)
		}
		out.pair(false, "address1_line1", id.street)
		out.pair(false, "address1_city", p.city)
		out.pair(false, "address1_stateorprovince", p.state)
		out.pair(false, "address1_postalcode", p.postal)
		out.pair(false, "address1_country", p.country)
	}
	out.raw(`,"_businessunitid_value":"` + e.rootBusinessUnit() + `","systemuserroles_association":[`)
	for k, role := range r.roles {
		if k > 0 {
			out.raw(",")
		}
		out.raw(`{"name":"` + role + `"}`)
	}
	out.raw(`],"teammembership_association":[`)
	for k, g := range env.TeamsOf(u) {
		if k > 0 {
			out.raw(",")
		}
		teamType := teamTypeSecurity
		if t := slices.IndexFunc(env.Teams, func(t provisioning.GroupTeam) bool { return t.Group == g }); env.Teams[t].Kind == provisioning.GroupKindMicrosoft365 {
			teamType = teamTypeOffice
		}
		out.raw(`{"azureactivedirectoryobjectid":"` + g + `","teamtype":` + strconv.Itoa(teamType) + `}`)
	}
	out.raw("]}")
}

package wire_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// export writes a tenant export of n users, each a member of one of a few
// groups and licensed, with the relations before or after "users".
func export(n int, relationsFirst bool) string {
	var users, memberOf, licenses strings.Builder
	for i := range n {
		sep := ","
		if i == 0 {
			sep = ""
		}
		id := fmt.Sprintf("u-%05d", i)
		fmt.Fprintf(&users, `%s{"id":%q,"userPrincipalName":"user%d@contoso.com","accountEnabled":true,"userType":"Member","displayName":"User %d","city":"Bellevue"}`, sep, id, i, i)
		fmt.Fprintf(&memberOf, `%s%q:{"value":[{"@odata.type":"#microsoft.graph.group","id":"g-%d"}]}`, sep, id, i%7)
		fmt.Fprintf(&licenses, `%s%q:{"value":[{"skuPartNumber":"POWERAPPS_PER_USER","servicePlans":[{"servicePlanName":"POWERAPPS_PER_USER","provisioningStatus":"Success"}]}]}`, sep, id)
	}
	rel := `"tenantId":"t","roleAssignments":{"value":[]},"licenseDetails":{` + licenses.String() + `},"memberOf":{` + memberOf.String() +
		`},"transitiveMemberOf":{},"ownedObjects":{},"groupMembers":{},"groupOwners":{}`
	us := `"users":[{"value":[` + users.String() + `]}]`
	if relationsFirst {
		return "{" + rel + "," + us + "}"
	}
	return "{" + us + "," + rel + "}"
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// Users are yielded as soon as everything about them has been read: with
// the relations first, the first user comes long before the end of the
// input; with "users" first, only once the relations have been read.
func TestUsersStreamWhenRelationsComeFirst(t *testing.T) {
	for _, first := range []bool{true, false} {
		doc := export(3000, first)
		cr := &countingReader{r: strings.NewReader(doc)}
		var readAtFirst, count int
		_, err := wire.ReadDirectory(cr, wire.Options{}, func(u provisioning.User) error {
			if count == 0 {
				readAtFirst = cr.n
			}
			if count == 42 && (u.ObjectID != "u-00042" || u.Groups[0] != "g-0" || u.Licenses[0].Plan != provisioning.PlanPowerAppsPremium) {
				t.Errorf("user 42 = %+v", u)
			}
			count++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if count != 3000 {
			t.Fatalf("relations first %v: %d users", first, count)
		}
		switch {
		case first && readAtFirst >= len(doc)-len(doc)/4:
			t.Errorf("relations first: %d of %d bytes read before the first user", readAtFirst, len(doc))
		case !first && readAtFirst != len(doc):
			t.Errorf("users first: the first user after %d of %d bytes, want the end", readAtFirst, len(doc))
		}
	}
}

// Holding or streaming, the users are the same, in the same order.
func TestUsersOrderIndependent(t *testing.T) {
	a, err := wire.ReadDirectory(strings.NewReader(export(50, true)), wire.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := wire.ReadDirectory(strings.NewReader(export(50, false)), wire.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Users) != 50 || fmt.Sprint(a.Users) != fmt.Sprint(b.Users) {
		t.Errorf("the two orders read differently")
	}
}

func TestUsersStopAndErrors(t *testing.T) {
	n := 0
	stop := errors.New("enough")
	_, err := wire.ReadDirectory(strings.NewReader(export(10, true)), wire.Options{}, func(provisioning.User) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if n != 3 {
		t.Errorf("yielded %d users after a stop at 3", n)
	}
	if err != stop {
		t.Errorf("yield's error came back as %v", err)
	}
	// The error at the end: a relation for a user the export lacks.
	doc := strings.Replace(export(3, true), `"memberOf":{`, `"memberOf":{"u-99999":{"value":[]},`, 1)
	var got []string
	_, last := wire.ReadDirectory(strings.NewReader(doc), wire.Options{}, func(u provisioning.User) error {
		got = append(got, u.ObjectID)
		return nil
	})
	var we *wire.Error
	if len(got) != 3 || !errors.As(last, &we) || !errors.Is(last, provisioning.ErrUnknown) || we.ID != "u-99999" || we.Source != "memberOf" {
		t.Errorf("users %v, error %v", got, last)
	}
}

// records writes a Dataverse export of n records, the deletion extension
// before or after "systemusers".
func records(n int, extensionFirst bool) string {
	var rows strings.Builder
	for i := range n {
		if i > 0 {
			rows.WriteString(",")
		}
		fmt.Fprintf(&rows, `{"systemuserid":"s-%05d","azureactivedirectoryobjectid":"u-%05d","domainname":"user%d@contoso.com","accessmode":0,"isdisabled":true,"fullname":"User %d"}`, i, i, i, i)
	}
	ext := `"softDeleted":["s-00001"],"ownedRecords":{"s-00002":7}`
	su := `"systemusers":{"value":[` + rows.String() + `]}`
	if extensionFirst {
		return `{"environmentId":"e",` + ext + "," + su + "}"
	}
	return `{"environmentId":"e",` + su + "," + ext + "}"
}

func TestRecordsStream(t *testing.T) {
	for _, first := range []bool{true, false} {
		doc := records(3000, first)
		cr := &countingReader{r: strings.NewReader(doc)}
		var readAtFirst, count int
		_, err := wire.ReadDataverseExport(cr, func(r provisioning.Record) error {
			if count == 0 {
				readAtFirst = cr.n
			}
			if count == 1 && !r.SoftDeleted || count == 2 && r.OwnedRecords != 7 || count > 2 && (r.SoftDeleted || r.OwnedRecords != 0) {
				t.Errorf("record %d = %+v", count, r)
			}
			count++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case count != 3000:
			t.Errorf("extension first %v: %d records", first, count)
		case first && readAtFirst >= len(doc)-len(doc)/4:
			t.Errorf("extension first: %d of %d bytes read before the first record", readAtFirst, len(doc))
		case !first && readAtFirst != len(doc):
			t.Errorf("extension last: the first record after %d of %d bytes", readAtFirst, len(doc))
		}
	}
	n := 0
	stop := errors.New("enough")
	_, err := wire.ReadDataverseExport(strings.NewReader(records(10, true)), func(provisioning.Record) error {
		if n++; n == 2 {
			return stop
		}
		return nil
	})
	if n != 2 || err != stop {
		t.Errorf("yielded %d records after a stop at 2, error %v", n, err)
	}
	_, err = wire.ReadDataverseExport(strings.NewReader(strings.Replace(records(3, false), `"s-00001"]`, `"s-00001","s-09999"]`, 1)), nil)
	if !errors.Is(err, provisioning.ErrUnknown) || !strings.Contains(err.Error(), "s-09999") {
		t.Errorf("softDeleted naming no record: %v", err)
	}
}

package wire_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// seed adds the testdata files, the hostile corpus and a few broken
// documents to f's corpus.
func seed(f *testing.F, files ...string) {
	for _, name := range files {
		f.Add(read(f, name))
	}
	hostileFiles, _ := filepath.Glob(filepath.Join("testdata", "hostile", "*", "*.json"))
	for _, path := range hostileFiles {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{``, `{}`, `null`, `{"value":null}`, `{"value":[null]}`, `{"value":[{}]}`, `[]`, `{"value":[1]}`, `{"value":[]} x`} {
		f.Add([]byte(s))
	}
}

// wireError fails t unless err is nil or a *wire.Error.
func wireError(t *testing.T, err error) {
	t.Helper()
	var we *wire.Error
	if err != nil && !errors.As(err, &we) {
		t.Fatalf("error %v (%T) is not a *wire.Error", err, err)
	}
}

// fuzzPage checks that a page reader never panics, returns only
// *wire.Error values, and reads an input handed to it a byte at a time as
// it reads it whole.
func fuzzPage[T any](f *testing.F, read func(io.Reader) (T, error), files ...string) {
	seed(f, files...)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := read(bytes.NewReader(data))
		wireError(t, err)
		w, err2 := read(iotest.OneByteReader(bytes.NewReader(data)))
		if fmt.Sprint(err) != fmt.Sprint(err2) || !cmp.Equal(v, w) {
			t.Fatalf("whole and byte by byte differ: %v; %v", err, err2)
		}
	})
}

func FuzzReadGraphUsers(f *testing.F) {
	fuzzPage(f, wire.ReadGraphUsers, "users.json", "users-page2.json", "deleted-users.json")
}

func FuzzReadGraphUser(f *testing.F) { fuzzPage(f, wire.ReadGraphUser, "user.json") }

func FuzzReadLicenseDetails(f *testing.F) {
	fuzzPage(f, wire.ReadLicenseDetails, "licenseDetails.json")
}

func FuzzReadDirectoryObjects(f *testing.F) {
	fuzzPage(f, wire.ReadDirectoryObjects, "memberOf.json", "memberOf-groups.json", "ownedObjects.json", "transitiveMemberOf.json")
}

func FuzzReadRoleAssignments(f *testing.F) {
	fuzzPage(f, wire.ReadRoleAssignments, "roleAssignments.json")
}

func FuzzReadServicePrincipals(f *testing.F) {
	fuzzPage(f, wire.ReadServicePrincipals, "servicePrincipals.json")
}

func FuzzReadGroups(f *testing.F) { fuzzPage(f, wire.ReadGroups, "groups.json") }

func FuzzReadTeams(f *testing.F) { fuzzPage(f, wire.ReadTeams, "teams.json") }

// FuzzReadSystemUsers also checks that the records read are well formed,
// pass the snapshot's one integrity check, and encode.
func FuzzReadSystemUsers(f *testing.F) {
	seed(f, "systemusers.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := wire.ReadSystemUsers(bytes.NewReader(data))
		wireError(t, err)
		if err != nil {
			return
		}
		checkRecords(t, p.Items)
		if q, err := wire.ReadSystemUsers(iotest.OneByteReader(bytes.NewReader(data))); err != nil || len(q.Items) != len(p.Items) {
			t.Fatalf("ReadSystemUsers byte by byte differs: %v", err)
		}
	})
}

// checkRecords fails t unless records are whole for the model.
func checkRecords(t *testing.T, records []provisioning.Record) {
	t.Helper()
	for i := range records {
		if err := records[i].Validate(); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if !records[i].Stub {
			if _, err := wire.EncodeSystemUser(&records[i]); err != nil {
				t.Fatalf("encoding record %d: %v", i, err)
			}
		}
	}
	s := tenant.Snapshot{Environments: []provisioning.Environment{{ID: "e"}}, Records: map[string][]provisioning.Record{"e": records}}
	if err := s.Check(); err != nil {
		t.Fatalf("Snapshot.Check: %v", err)
	}
}

// checkUsers fails t unless users are whole for the model.
func checkUsers(t *testing.T, users []provisioning.User) {
	t.Helper()
	for i := range users {
		if err := users[i].Validate(); err != nil {
			t.Fatalf("user %d: %v", i, err)
		}
	}
	s := tenant.Snapshot{Users: users}
	if err := s.Check(); err != nil {
		t.Fatalf("Snapshot.Check: %v", err)
	}
}

// FuzzReadDirectory also checks that the users pass the snapshot's one
// integrity check, that streaming them (byte by byte) yields the users
// collected, and that group teams can be asked of the result without a
// panic.
func FuzzReadDirectory(f *testing.F) {
	seed(f, "directory.json", "directory-groups.json")
	teams, err := wire.ReadTeams(bytes.NewReader(read(f, "teams.json")))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := wire.ReadDirectory(bytes.NewReader(data), wire.Options{}, nil)
		wireError(t, err)
		var streamed []provisioning.User
		_, serr := wire.ReadDirectory(iotest.OneByteReader(bytes.NewReader(data)), wire.Options{}, func(u provisioning.User) error {
			streamed = append(streamed, u)
			return nil
		})
		if fmt.Sprint(err) != fmt.Sprint(serr) {
			t.Fatalf("collected: %v; streamed: %v", err, serr)
		}
		if err != nil {
			return
		}
		checkUsers(t, d.Users)
		if !cmp.Equal(d.Users, streamed) {
			t.Fatal("the users streamed are not those collected")
		}
		_, err = d.GroupTeams(teams.Items, "f1a2b3c4-6666-4777-8888-999900001111")
		wireError(t, err)
	})
}

// FuzzReadDataverseExport also checks the records, and that streaming
// them (byte by byte) yields the records collected.
func FuzzReadDataverseExport(f *testing.F) {
	seed(f, "dataverse.json", "dataverse-deletion.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := wire.ReadDataverseExport(bytes.NewReader(data), nil)
		wireError(t, err)
		var streamed []provisioning.Record
		_, serr := wire.ReadDataverseExport(iotest.OneByteReader(bytes.NewReader(data)), func(r provisioning.Record) error {
			streamed = append(streamed, r)
			return nil
		})
		if fmt.Sprint(err) != fmt.Sprint(serr) {
			t.Fatalf("collected: %v; streamed: %v", err, serr)
		}
		if err != nil {
			return
		}
		checkRecords(t, e.Records)
		if len(e.Records) != len(streamed) {
			t.Fatal("the records streamed are not those collected")
		}
	})
}

// FuzzReadUsersDelta also checks that what the decoder returns is whole
// for the model: an ID, a known removal, profile values that validate;
// and that applying it to a state never panics.
func FuzzReadUsersDelta(f *testing.F) {
	seed(f, "users-delta.json", "users-delta-page2.json")
	st, err := tenant.NewState(deltaTenant(), tenant.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := wire.ReadUsersDelta(bytes.NewReader(data), deltaOpts)
		wireError(t, err)
		q, err2 := wire.ReadUsersDelta(iotest.OneByteReader(bytes.NewReader(data)), deltaOpts)
		if fmt.Sprint(err) != fmt.Sprint(err2) || !cmp.Equal(p, q) {
			t.Fatalf("whole and byte by byte differ: %v; %v", err, err2)
		}
		if err != nil {
			return
		}
		for i, c := range p.Items {
			if c.ObjectID == "" || !c.Removed.IsValid() {
				t.Fatalf("item %d: %+v", i, c)
			}
			if err := c.Attributes.Validate(); err != nil {
				t.Fatalf("item %d: %v", i, err)
			}
		}
		if _, _, err := st.Apply(tenant.Delta{Users: p.Items, UsersLink: p.DeltaLink}); err != nil {
			var fe *provisioning.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Apply: %v (%T)", err, err)
			}
		}
	})
}

// FuzzReadGroupsDelta also checks that every group and entry has an ID,
// and that applying the changes to a state never fails.
func FuzzReadGroupsDelta(f *testing.F) {
	seed(f, "groups-delta.json")
	st, err := tenant.NewState(deltaTenant(), tenant.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := wire.ReadGroupsDelta(bytes.NewReader(data))
		wireError(t, err)
		q, err2 := wire.ReadGroupsDelta(iotest.OneByteReader(bytes.NewReader(data)))
		if fmt.Sprint(err) != fmt.Sprint(err2) || !cmp.Equal(p, q) {
			t.Fatalf("whole and byte by byte differ: %v; %v", err, err2)
		}
		if err != nil {
			return
		}
		var d tenant.Delta
		for i, g := range p.Items {
			if g.Group == "" || !g.Removed.IsValid() || slices.Contains(slices.Concat(g.MembersAdded, g.MembersRemoved, g.OwnersAdded, g.OwnersRemoved), "") {
				t.Fatalf("item %d: %+v", i, g)
			}
			d.Groups = append(d.Groups, g.GroupChange)
		}
		if _, _, err := st.Apply(d); err != nil {
			t.Fatalf("Apply: %v", err)
		}
	})
}

package provisioningtest_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/wire"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// Package wire reads every page of Graph users back: each user object has
// the user's ID, UPN, account state and user type, and each profile
// property the attribute RULES.md's online mapping table pairs it with;
// a page of deleted users gives each a deletedDateTime, and a page of
// GET /users none.
func TestGraphUserPagesReadBack(t *testing.T) {
	for name, c := range configs() {
		t.Run(name, rapid.MakeCheck(func(t *rapid.T) {
			p := c.GraphUserPages().Draw(t, "page")
			got, err := wire.ReadGraphUsers(bytes.NewReader(p.JSON))
			if err != nil {
				t.Fatalf("ReadGraphUsers: %v\n%s", err, p.JSON)
			}
			if len(got.Items) != len(p.Values) || got.NextLink != p.NextLink {
				t.Fatalf("read %d users and next link %q, want %d and %q", len(got.Items), got.NextLink, len(p.Values), p.NextLink)
			}
			for i, u := range p.Values {
				g := got.Items[i]
				userType := "Member"
				if u.Guest {
					userType = "Guest"
				}
				var phones []string
				if phone := u.Attributes.Get(syncfields.Telephone1); phone != "" {
					phones = []string{phone}
				}
				want := map[string]string{
					"id": u.ObjectID, "userPrincipalName": u.UPN, "userType": userType,
					"displayName": u.Attributes.Get(syncfields.FullName), "givenName": u.Attributes.Get(syncfields.FirstName),
					"surname": u.Attributes.Get(syncfields.LastName), "jobTitle": u.Attributes.Get(syncfields.JobTitle),
					"mail": u.Attributes.Get(syncfields.InternalEmailAddress), "mobilePhone": u.Attributes.Get(syncfields.MobilePhone),
					"streetAddress": u.Attributes.Get(syncfields.Street), "city": u.Attributes.Get(syncfields.City),
					"state": u.Attributes.Get(syncfields.StateOrProvince), "postalCode": u.Attributes.Get(syncfields.PostalCode),
					"country": u.Attributes.Get(syncfields.Country),
				}
				read := map[string]string{
					"id": g.ID, "userPrincipalName": g.UserPrincipalName, "userType": g.UserType,
					"displayName": g.DisplayName, "givenName": g.GivenName, "surname": g.Surname, "jobTitle": g.JobTitle,
					"mail": g.Mail, "mobilePhone": g.MobilePhone, "streetAddress": g.StreetAddress, "city": g.City,
					"state": g.State, "postalCode": g.PostalCode, "country": g.Country,
				}
				if diff := cmp.Diff(want, read); diff != "" {
					t.Fatalf("user %d mismatch (-want +got):\n%s", i, diff)
				}
				if g.AccountEnabled == nil || *g.AccountEnabled != u.Enabled || !slices.Equal(g.BusinessPhones, phones) ||
					(g.DeletedDateTime != "") != u.SoftDeleted || u.Deleted || u.ApplicationID != "" {
					t.Fatalf("user %d: read %+v from %+v", i, g, u)
				}
			}
		}))
	}
}

// Package wire reads every page of systemusers back as the records Values
// holds; every record's primary email reads as edited, and a row without
// object ID that is no application user and neither the support nor the
// delegated-admin record reads as a stub (ReadSystemUsers' readings).
func TestSystemUserPagesReadBack(t *testing.T) {
	for name, c := range configs() {
		t.Run(name, rapid.MakeCheck(func(t *rapid.T) {
			p := c.SystemUserPages().Draw(t, "page")
			got, err := wire.ReadSystemUsers(bytes.NewReader(p.JSON))
			if err != nil {
				t.Fatalf("ReadSystemUsers: %v\n%s", err, p.JSON)
			}
			if diff := cmp.Diff(p.Values, got.Items); diff != "" || got.NextLink != p.NextLink {
				t.Fatalf("records mismatch (-want +got):\n%s\nnext link %q, want %q", diff, got.NextLink, p.NextLink)
			}
			for _, r := range got.Items {
				wellKnown := r.UPN == usertype.SupportUPN || r.UPN == usertype.DelegatedAdminUPN
				if !r.Fields.EmailEdited || r.Stub != (r.ObjectID == "" && r.ApplicationID == "" && !wellKnown) {
					t.Fatalf("record %s: email edited %v, stub %v", r.Key(), r.Fields.EmailEdited, r.Stub)
				}
			}
		}))
	}
}

// The pages list users and records of every kind, in 1,000 draws.
func TestPagesDrawEveryKind(t *testing.T) {
	c := provisioningtest.EdgeCases()
	graph, dataverse := c.GraphUserPages(), c.SystemUserPages()
	seen := map[string]bool{}
	for i := range 1000 {
		g := graph.Example(i)
		seen["next link"] = seen["next link"] || g.NextLink != ""
		for _, u := range g.Values {
			seen["guest"] = seen["guest"] || u.Guest
			seen["disabled"] = seen["disabled"] || !u.Enabled
			seen["soft-deleted"] = seen["soft-deleted"] || u.SoftDeleted
		}
		for _, r := range dataverse.Example(i).Values {
			k, _ := r.Kind()
			seen["record "+k.String()] = true
			seen["custom column"] = seen["custom column"] || len(r.Fields.Custom) > 0
			seen["team"] = seen["team"] || len(r.Teams) > 0
		}
	}
	for _, want := range []string{"next link", "guest", "disabled", "soft-deleted", "custom column", "team",
		"record regular", "record setup", "record non-interactive", "record application", "record support", "record delegated-admin", "record stub"} {
		if !seen[want] {
			t.Errorf("1,000 pages: never %s", want)
		}
	}
}

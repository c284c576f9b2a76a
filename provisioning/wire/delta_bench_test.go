package wire_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// usersDeltaPage writes a users/delta page of n items in the shape of the
// testdata: nine in ten an updated user (a title, a city, a phone list),
// one in twenty removed ("changed" or "deleted"), the others new users with
// a license.
func usersDeltaPage(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users(userPrincipalName,accountEnabled,jobTitle,city,businessPhones,assignedLicenses)",` +
		`"@odata.nextLink":"https://graph.microsoft.com/v1.0/users/delta?$skiptoken=abc","value":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		id := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
		switch {
		case i%20 == 0:
			reason := "changed"
			if i%40 == 0 {
				reason = "deleted"
			}
			fmt.Fprintf(&b, `{"id":%q,"@removed":{"reason":%q}}`, id, reason)
		case i%10 == 1:
			fmt.Fprintf(&b, `{"@odata.type":"#microsoft.graph.user","id":%q,"userPrincipalName":"user%d@contoso.com","accountEnabled":true,"userType":"Member",`+
				`"displayName":"User %d","givenName":"Given","surname":"Surname","jobTitle":"Planner","city":"Tulsa","businessPhones":[],`+
				`"assignedLicenses":[{"disabledPlans":[],"skuId":"b30411f5-fea1-4a59-9ad9-3db7c7ead579"}]}`, id, i, i)
		default:
			fmt.Fprintf(&b, `{"@odata.type":"#microsoft.graph.user","id":%q,"jobTitle":"Title %d","city":"Redmond","businessPhones":["+1 425 555 0%03d"]}`, id, i%50, i%1000)
		}
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// groupsDeltaPage writes a groups/delta page of groups groups, each with
// members member changes, one in five a removal.
func groupsDeltaPage(groups, members int) []byte {
	var b strings.Builder
	b.WriteString(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#groups(displayName,members)",` +
		`"@odata.deltaLink":"https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=abc","value":[`)
	for g := range groups {
		if g > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"displayName":"Group %d","id":"%08x-1111-4000-8000-000000000000","members@delta":[`, g, g)
		for m := range members {
			if m > 0 {
				b.WriteByte(',')
			}
			id := fmt.Sprintf("%08x-0000-4000-8000-%012x", g*members+m, m)
			if m%5 == 0 {
				fmt.Fprintf(&b, `{"@odata.type":"#microsoft.graph.user","id":%q,"@removed":{"reason":"deleted"}}`, id)
			} else {
				fmt.Fprintf(&b, `{"@odata.type":"#microsoft.graph.user","id":%q}`, id)
			}
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// BenchmarkDecodeUsersDelta decodes a users/delta page of 1,000 changed
// users: the read of one incremental cycle of the size
// tenant.BenchmarkIncremental plans.
func BenchmarkDecodeUsersDelta(b *testing.B) {
	page := usersDeltaPage(1_000)
	opts := wire.DeltaOptions{Tenant: "contoso-tenant"}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := wire.ReadUsersDelta(bytes.NewReader(page), opts)
		if err != nil {
			b.Fatal(err)
		}
		sink = p
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1_000), "ns/user")
}

// BenchmarkDecodeGroupsDelta decodes a groups/delta page of 10 groups with
// 100 member changes each.
func BenchmarkDecodeGroupsDelta(b *testing.B) {
	page := groupsDeltaPage(10, 100)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := wire.ReadGroupsDelta(bytes.NewReader(page))
		if err != nil {
			b.Fatal(err)
		}
		sink = p
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1_000), "ns/member")
}

// The generated pages decode, with what they say: the benchmarks measure
// real reads, not refusals.
func TestGeneratedDeltaPages(t *testing.T) {
	p, err := wire.ReadUsersDelta(bytes.NewReader(usersDeltaPage(100)), wire.DeltaOptions{Tenant: "contoso-tenant"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 100 || p.Items[2].Columns.Len() == 0 || p.Items[0].Removed == 0 || p.Items[1].Licenses == nil || len(*p.Items[1].Licenses) != 1 {
		t.Fatalf("users page read as %+v", p.Items[:3])
	}
	g, err := wire.ReadGroupsDelta(bytes.NewReader(groupsDeltaPage(2, 10)))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Items) != 2 || len(g.Items[0].MembersAdded) != 8 || len(g.Items[0].MembersRemoved) != 2 {
		t.Fatalf("groups page read as %+v", g.Items)
	}
}

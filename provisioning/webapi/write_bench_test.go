package webapi_test

import (
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/webapi"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// benchWrite is a create with the columns a profile of the online
// directory fills.
func benchWrite() provisioning.Write {
	var vals syncfields.Values
	cols := syncfields.ColumnSet(0)
	for c, v := range map[syncfields.Column]string{
		syncfields.DomainName: "ana@contoso.com", syncfields.ObjectID: "5f1c3a1e-0000-4000-8000-000000000001",
		syncfields.FullName: "Ana Ruiz", syncfields.FirstName: "Ana", syncfields.LastName: "Ruiz",
		syncfields.JobTitle: "Buyer", syncfields.InternalEmailAddress: "ana@contoso.com", syncfields.City: "Redmond",
	} {
		vals.Set(c, v)
		cols = cols.With(c)
	}
	return provisioning.Write{Verb: provisioning.Create, ObjectID: vals.Get(syncfields.ObjectID), Columns: cols, Values: vals, SetMode: true, Mode: usertype.ReadWrite,
		BusinessUnit: "3f2a8c10-5b6d-4e7f-9a01-2b3c4d5e6f70"}
}

// BenchmarkAppendWriteBody writes a create's JSON body into a reused
// buffer, as a pipeline streaming a plan does.
func BenchmarkAppendWriteBody(b *testing.B) {
	w := benchWrite()
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		buf = webapi.AppendWriteBody(buf[:0], w)
	}
	sink = len(buf)
}

// BenchmarkEncodeWrite makes a whole request (method, path, body) of a
// create.
func BenchmarkEncodeWrite(b *testing.B) {
	w := benchWrite()
	b.ReportAllocs()
	for b.Loop() {
		r, err := webapi.EncodeWrite(w)
		if err != nil {
			b.Fatal(err)
		}
		sink = r
	}
}

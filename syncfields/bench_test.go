package syncfields_test

import (
	"testing"

	"github.com/provisionrules/provisionrules/syncfields"
)

var (
	sinkRecord syncfields.Fields
	sinkResult syncfields.Result
)

func benchRecord(b *testing.B) (syncfields.Fields, syncfields.Values) {
	d := directory()
	rec, _, err := syncfields.Online().Create(&d)
	if err != nil {
		b.Fatal(err)
	}
	rec.Custom = map[string]string{"new_badge": "B-17"}
	return rec, d
}

// BenchmarkUpdateNoChange updates a 14-column record that already agrees
// with the directory.
func BenchmarkUpdateNoChange(b *testing.B) {
	rec, d := benchRecord(b)
	b.ReportAllocs()
	var out syncfields.Fields
	var res syncfields.Result
	for b.Loop() {
		out, res, _ = syncfields.Online().Update(&rec, &d)
	}
	sinkRecord, sinkResult = out, res
	if !res.Unchanged() {
		b.Fatal("changed")
	}
}

// BenchmarkUpdateTwoChanges updates a record where the directory changed
// the title and the city.
func BenchmarkUpdateTwoChanges(b *testing.B) {
	rec, d := benchRecord(b)
	d.Set(syncfields.JobTitle, "Head Buyer")
	d.Set(syncfields.City, "Seattle")
	b.ReportAllocs()
	var out syncfields.Fields
	var res syncfields.Result
	for b.Loop() {
		out, res, _ = syncfields.Online().Update(&rec, &d)
	}
	sinkRecord, sinkResult = out, res
	if res.Changed().Len() != 2 {
		b.Fatal("want two changes")
	}
}

func BenchmarkCreate(b *testing.B) {
	d := directory()
	b.ReportAllocs()
	var out syncfields.Fields
	for b.Loop() {
		out, _, _ = syncfields.Online().Create(&d)
	}
	sinkRecord = out
}

// BenchmarkChanges lists the two changes of an update: the explanation,
// built only when asked.
func BenchmarkChanges(b *testing.B) {
	rec, d := benchRecord(b)
	d.Set(syncfields.JobTitle, "Head Buyer")
	d.Set(syncfields.City, "Seattle")
	_, res, _ := syncfields.Online().Update(&rec, &d)
	b.ReportAllocs()
	for b.Loop() {
		sinkChanges = res.Changes()
	}
}

var sinkChanges []syncfields.ColumnChange

// BenchmarkUpdateIntoTwoChanges is BenchmarkUpdateTwoChanges through
// UpdateInto, reusing the destination record and Result.
func BenchmarkUpdateIntoTwoChanges(b *testing.B) {
	rec, d := benchRecord(b)
	d.Set(syncfields.JobTitle, "Head Buyer")
	d.Set(syncfields.City, "Seattle")
	var out syncfields.Fields
	var res syncfields.Result
	b.ReportAllocs()
	for b.Loop() {
		if err := syncfields.Online().UpdateInto(&out, &res, &rec, &d); err != nil {
			b.Fatal(err)
		}
	}
	sinkRecord, sinkResult = out, res
	if res.Changed().Len() != 2 {
		b.Fatal("want two changes")
	}
}

package main

import (
	"bytes"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// The command's exports read back with package wire.
func TestExportsReadBack(t *testing.T) {
	var graph, dataverse bytes.Buffer
	if err := run([]string{"-users", "300", "-seed", "9"}, &graph); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-users", "300", "-seed", "9", "-dataverse", "sales-prod", "-share", "50"}, &dataverse); err != nil {
		t.Fatal(err)
	}
	d, err := wire.ReadDirectory(&graph, wire.Options{}, nil)
	if err != nil || len(d.Users) < 300 {
		t.Fatalf("Graph export: %v, %v users", err, len(d.Users))
	}
	x, err := wire.ReadDataverseExport(&dataverse, nil)
	if err != nil || x.Environment != "sales-prod" || len(x.Records) == 0 {
		t.Fatalf("Dataverse export: %v, %q, %d records", err, x.Environment, len(x.Records))
	}
	if err := run([]string{"-users", "-1"}, &bytes.Buffer{}); err == nil {
		t.Error("no error for -users -1")
	}
}

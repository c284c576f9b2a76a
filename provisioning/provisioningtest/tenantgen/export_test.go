package tenantgen_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning/provisioningtest/tenantgen"
)

// digest returns the SHA-256 of what write writes, and whether it is JSON.
func digest(t *testing.T, write func(io.Writer) error) ([32]byte, bool) {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b.Bytes()), json.Valid(b.Bytes())
}

// The same Export writes the same bytes; another seed, size or order
// writes others; all are JSON.
func TestExportIsDeterministic(t *testing.T) {
	base := tenantgen.Export{Seed: 1, Users: 2000}
	for _, e := range []tenantgen.Export{base, {Seed: 2, Users: 2000}, {Seed: 1, Users: 2001}, {Seed: 1, Users: 2000, RelationsFirst: true}} {
		a, valid := digest(t, e.WriteGraph)
		b, _ := digest(t, e.WriteGraph)
		c, validDV := digest(t, func(w io.Writer) error { return e.WriteDataverse(w, "env") })
		d, _ := digest(t, func(w io.Writer) error { return e.WriteDataverse(w, "env") })
		if a != b || c != d || !valid || !validDV {
			t.Errorf("%+v: repeatable %v %v, JSON %v %v", e, a == b, c == d, valid, validDV)
		}
		if e != base {
			if x, _ := digest(t, base.WriteGraph); x == a {
				t.Errorf("%+v writes the bytes of %+v", e, base)
			}
		}
	}
}

// A write error stops the writer and comes back.
func TestExportWriteError(t *testing.T) {
	e := tenantgen.Export{Seed: 1, Users: 1000}
	if err := e.WriteGraph(failingWriter{}); err == nil {
		t.Error("no error from a failing writer")
	}
	if err := e.WriteDataverse(failingWriter{}, "env"); err == nil {
		t.Error("no error from a failing writer")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrShortWrite }

func ExampleExport() {
	e := tenantgen.Export{Seed: 42, Users: 3}
	var graph bytes.Buffer
	if err := e.WriteGraph(&graph); err != nil {
		fmt.Println(err)
		return
	}
	var export struct {
		TenantID string `json:"tenantId"`
		Users    []struct {
			Value []struct {
				ID                string `json:"id"`
				UserPrincipalName string `json:"userPrincipalName"`
			} `json:"value"`
		} `json:"users"`
	}
	if err := json.Unmarshal(graph.Bytes(), &export); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(export.TenantID == e.TenantID(), export.Users[0].Value[0].ID == e.UserID(0))
	// Output:
	// true true
}

func ExampleExport_WriteDataverse() {
	e := tenantgen.Export{Seed: 42, Users: 100}
	var dv bytes.Buffer
	if err := e.WriteDataverse(&dv, "sales-prod"); err != nil {
		fmt.Println(err)
		return
	}
	var export struct {
		EnvironmentID string   `json:"environmentId"`
		SoftDeleted   []string `json:"softDeleted"`
	}
	if err := json.Unmarshal(dv.Bytes(), &export); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(export.EnvironmentID, len(export.SoftDeleted))
	// Output:
	// sales-prod 1
}

func ExampleExport_SecurityGroup() {
	e := tenantgen.Export{Seed: 42, Users: 10}
	fmt.Println(len(e.SecurityGroup()), e.SecurityGroup() == tenantgen.Export{Seed: 42, Users: 1000}.SecurityGroup())
	// Output:
	// 36 true
}

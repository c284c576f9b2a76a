package provisionrules_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/webapi"
	"github.com/provisionrules/provisionrules/syncfields"
)

// hostile draws text that a JSON writer gets wrong: bytes that are not
// UTF-8, a lone surrogate's encoding, the line and paragraph separators
// (valid JSON, but not valid JavaScript), control characters, quotes,
// backslashes and HTML's specials, between plain words.
func hostile() *rapid.Generator[string] {
	parts := []string{"ana", "é", "\xff", "\xc3", "\xed\xa0\x80", "\u2028", "\u2029", "\x00", "\x1f", "\t", "\"", "\\", "<", ">", "&", "\U0001F600", "\x7f"}
	return rapid.Custom(func(t *rapid.T) string {
		return strings.Join(rapid.SliceOfN(rapid.SampledFrom(parts), 1, 6).Draw(t, "parts"), "")
	})
}

// wellFormed fails t unless out is one valid JSON text in valid UTF-8
// with neither U+2028 nor U+2029 left raw.
func wellFormed(t *rapid.T, what string, out []byte) {
	if !utf8.Valid(out) || !json.Valid(out) || bytes.Contains(out, []byte("\u2028")) || bytes.Contains(out, []byte("\u2029")) {
		t.Fatalf("%s writes JSON that is not valid UTF-8 JSON, or holds a raw U+2028 or U+2029: %q", what, out)
	}
}

// Every JSON the module writes is valid UTF-8 JSON, with U+2028 and
// U+2029 escaped, whatever text its input holds (issue 20): a decision and
// its explanation, an action, a reconciliation, a write and its Dataverse
// request, a plan and its health findings, a what-if report, a field
// sync's result and values. Hostile text goes into the identifiers and
// attributes the explanations and errors quote, which malformed input's
// errors echo too.
func TestEveryJSONWrittenIsValidUTF8(t *testing.T) {
	c := provisioningtest.EdgeCases()
	rapid.Check(t, func(t *rapid.T) {
		p := c.Pairs().Draw(t, "pair")
		u, env, rec := p.User, p.Environment, p.Record
		bad := hostile().Draw(t, "text")
		switch rapid.IntRange(0, 5).Draw(t, "where") {
		case 0:
			u.UPN = bad
		case 1:
			u.Attributes.Set(rapid.SampledFrom([]syncfields.Column{syncfields.FullName, syncfields.JobTitle, syncfields.City}).Draw(t, "column"), bad)
		case 2:
			rec.UPN = bad
		case 3:
			env.ID = bad
		case 4:
			u.Groups = append(u.Groups, bad)
		case 5:
			rec.Fields.Columns.Set(syncfields.JobTitle, bad)
		}
		tr := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")

		d := provisioning.EvaluateRecord(&u, &env, &rec)
		wellFormed(t, "Decision.AppendJSON", d.AppendJSON(nil))
		r := provisioning.Reconcile(&u, &env, &rec, tr)
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("Reconciliation: %v", err)
		}
		wellFormed(t, "Reconciliation", data)
		wellFormed(t, "Action.AppendJSON", r.Action.AppendJSON(nil))
		for _, v := range []any{r.Action, r.Record, r.Sync, u, env, r.Record.Fields.Columns} {
			if data, err := json.Marshal(v); err == nil {
				wellFormed(t, "json.Marshal", data)
			}
		}
		if w, err := r.Action.Write(&u, &env, &r.Record); err == nil {
			data, err := json.Marshal(w)
			if err == nil {
				wellFormed(t, "Write", data)
			}
			if req, err := webapi.EncodeWrite(w); err == nil {
				wellFormed(t, "Request.AppendJSON", req.AppendJSON(nil))
				wellFormed(t, "Request body", req.Body)
			}
		}
		o := provisioning.Org{Environment: env, Records: []provisioning.Record{rec}}
		if _, acc, err := o.Access(&u); err == nil {
			data, err := json.Marshal(acc)
			if err != nil {
				t.Fatalf("AccessResult: %v", err)
			}
			wellFormed(t, "AccessResult", data)
		}

		s := tenant.Snapshot{Users: []provisioning.User{u}, Environments: []provisioning.Environment{env},
			Records: map[string][]provisioning.Record{}}
		if env.ID != "" {
			s.Records[env.ID] = []provisioning.Record{rec}
		}
		if found, err := tenant.Diagnose(&s); err == nil {
			data, err := json.Marshal(found)
			if err != nil {
				t.Fatalf("findings: %v", err)
			}
			wellFormed(t, "findings", data)
		}
		if b, err := tenant.Plan(&s, tr, tenant.Options{Accept: mustDiagnose(&s)}); len(b.Actions) > 0 {
			data, merr := json.Marshal(b)
			if merr != nil {
				t.Fatalf("batch (%v): %v", err, merr)
			}
			wellFormed(t, "Batch", data)
		}
		if rep, err := tenant.WhatIf(&s, tenant.Change{Environment: env.ID}, tenant.Options{Accept: mustDiagnose(&s)}); err == nil {
			data, err := json.Marshal(rep)
			if err != nil {
				t.Fatalf("report: %v", err)
			}
			wellFormed(t, "Report", data)
		}
	})
}

// mustDiagnose returns s's findings, to accept them; none for a snapshot
// the check refuses.
func mustDiagnose(s *tenant.Snapshot) []tenant.Finding {
	found, _ := tenant.Diagnose(s)
	return found
}

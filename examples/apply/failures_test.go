package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/webapi"
)

// Each kind of answer is handled as the Web API documents it, in one run
// of the 60-user tenant:
//
//   - a 400 with a Dataverse error code for one create is a failure,
//     never sent again;
//   - a 404 for a PATCH whose row is gone is a failure, never sent again,
//     and no row is created for it;
//   - a 429 for one update on every attempt is sent -attempts times, then
//     given up with the attempts said;
//   - a 503 without Retry-After for an enable, twice, is sent again, and
//     then succeeds;
//   - a 500 for a create that Dataverse applied all the same is looked up
//     before it is sent again, found, and not created twice.
//
// Every other write is applied, and the run exits non-zero with the
// failures counted by status and Dataverse error code, then listed.
func TestApplyFailures(t *testing.T) {
	path := writeTenant(t, 60, "Seller", nil)
	h := newHarness(t, path)
	s := loadTenant(t, path)
	writes := planned(t, s)
	byUser := map[string]provisioning.Write{}
	for _, w := range writes {
		byUser[w.ObjectID] = w
	}
	refused, gone, throttled, unavailable, late := objectID(0), objectID(7), objectID(8), objectID(14), objectID(6)
	h.dv.locked(func() {
		h.dv.inject[refused] = &injected{status: 400, code: "0x80040265", message: "The domain name is not valid.", times: -1}
		h.dv.inject[throttled] = &injected{status: 429, code: "0x80072322", message: "Number of requests exceeded the limit.", times: -1}
		h.dv.inject[unavailable] = &injected{status: 503, code: "0x0", message: "Service unavailable.", times: 2}
		h.dv.inject[late] = &injected{status: 500, code: "0x80040216", message: "An unexpected error occurred.", times: 1, applied: true}
		delete(h.dv.rows, systemUserID(7)) // user 7's record (kind update) is gone from Dataverse
	})
	delete(h.seed, systemUserID(7))
	for _, c := range []struct {
		user string
		verb provisioning.Verb
	}{{refused, provisioning.Create}, {gone, provisioning.Update}, {throttled, provisioning.Enable}, {unavailable, provisioning.Enable}, {late, provisioning.Create}} {
		if byUser[c.user].Verb != c.verb {
			t.Fatalf("the plan's write of %s is %v, want %v", c.user, byUser[c.user].Verb, c.verb)
		}
	}
	out, errs, code := h.run("-tenant", path, "-batch", "20", "-attempts", "3", "-apply", "-progress", filepath.Join(t.TempDir(), "progress"))
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errs)
	}
	h.checkRows(writes, map[string]bool{refused: true, gone: true, throttled: true})
	received := func(user string) (n int) {
		r, err := encodeFor(byUser[user])
		if err != nil {
			t.Fatal(err)
		}
		h.dv.locked(func() { n = h.dv.received[r] })
		return n
	}
	for _, c := range []struct {
		user string
		want int
	}{{refused, 1}, {gone, 1}, {throttled, 3}, {unavailable, 3}, {late, 1}} {
		if n := received(c.user); n != c.want {
			t.Errorf("the write of %s was received %d times, want %d", c.user, n, c.want)
		}
	}
	h.dv.locked(func() {
		if h.dv.rows[systemUserID(7)] != nil || h.dv.upserts != 0 {
			t.Errorf("the PATCH of a row that is gone created it: %v, %d upserts", h.dv.rows[systemUserID(7)], h.dv.upserts)
		}
	})
	// The throttled write's waits are its Retry-After, 7s; no wait is
	// shorter than a 503's first backoff.
	if len(h.clock.slept) != 2 || h.clock.slept[0] != 7*time.Second || h.clock.slept[1] != 7*time.Second {
		t.Errorf("waits %v, want 7s twice: the Retry-After of the 429 sent three times", h.clock.slept)
	}
	for _, pattern := range []string{
		`(?m)^400 Bad Request\s+0x80040265\s+1$`,
		`(?m)^404 Not Found\s+0x80040217\s+1$`,
		`(?m)^429 Too Many Requests\s+0x80072322\s+1$`,
		objectID(0) + `\s+create\s+POST systemusers\s+400 Bad Request \(0x80040265\): The domain name is not valid\.`,
		objectID(7) + `\s+update\s+PATCH systemusers\(` + systemUserID(7) + `\)\s+404 Not Found \(0x80040217\): systemuser With Id = ` + systemUserID(7) + ` Does Not Exist`,
		objectID(8) + `\s+enable\s+PATCH .*429 Too Many Requests .*; gave up after 3 attempts`,
		`(?m)\(1 creates found applied by an earlier attempt\), 3 failed`,
	} {
		if !regexp.MustCompile(pattern).MatchString(out) {
			t.Errorf("the summary lacks %q:\n%s", pattern, out)
		}
	}
	if !strings.Contains(errs, "apply: 3 of 42 requests failed (listed above)") {
		t.Errorf("standard error: %s", errs)
	}
}

// encodeFor returns the fake's hash of the request of w, as apply sends
// it.
func encodeFor(w provisioning.Write) (string, error) {
	req, err := webapi.EncodeWrite(w)
	if err != nil {
		return "", err
	}
	op := &operation{method: req.Method, path: req.Path, header: map[string][]string{}, body: req.Body}
	if v := req.Headers["If-Match"]; v != "" {
		op.header.Set("If-Match", v)
	}
	return op.hash(), nil
}

// A request the service fails (a 5xx) without a Retry-After is sent again
// after a backoff that doubles with each attempt, from 2s, its second half
// random: 1s to 2s, 2s to 4s, 4s to 8s; it succeeds on its fourth send.
func TestBackoffWithoutRetryAfter(t *testing.T) {
	path := writeTenant(t, 6, "Seller", nil)
	h := newHarness(t, path)
	h.dv.locked(func() {
		h.dv.inject[objectID(1)] = &injected{status: 503, code: "0x0", message: "Service unavailable.", times: 3}
	})
	out, errs, code := h.run("-tenant", path, "-apply", "-progress", filepath.Join(t.TempDir(), "progress"))
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	h.checkRows(planned(t, loadTenant(t, path)), nil)
	s := h.clock.slept
	if len(s) != 3 || s[0] < time.Second || s[0] > 2*time.Second || s[1] < 2*time.Second || s[1] > 4*time.Second || s[2] < 4*time.Second || s[2] > 8*time.Second {
		t.Errorf("waits %v: want one in [1s, 2s], then [2s, 4s], then [4s, 8s]", s)
	}
	if s[0] == time.Second && s[1] == 2*time.Second && s[2] == 4*time.Second {
		t.Errorf("waits %v: no jitter", s)
	}
}

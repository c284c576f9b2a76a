package main

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/provisionrules/provisionrules/provisioning"
)

// testUsers is the size of the end-to-end tests' tenant: 300 users, 12
// records of users gone, 212 writes.
const testUsers = 300

// Throttled on a fifth of the $batch requests and a tenth of the writes
// inside the others, apply still applies the whole plan: the fake's rows
// end as the plan's writes say (and as the tenant was built to need:
// every user of kind create has a row, every update its new title, ...),
// every write applied exactly once, every PATCH with If-Match, every wait
// the Retry-After the fake asked for, and each write recorded once as
// done in the progress file.
func TestApplyThrottled(t *testing.T) {
	path := writeTenant(t, testUsers, "Seller", nil)
	h := newHarness(t, path)
	h.dv.throttleBatch, h.dv.throttleOp = 0.2, 0.1
	progress := filepath.Join(t.TempDir(), "progress")
	out, errs, code := h.run("-tenant", path, "-batch", "40", "-attempts", "20", "-apply", "-progress", progress)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	writes := planned(t, loadTenant(t, path))
	h.checkRows(writes, nil)
	h.dv.locked(func() {
		if len(h.dv.applied) != len(writes) {
			t.Errorf("%d writes applied, the plan has %d", len(h.dv.applied), len(writes))
		}
		for hash, n := range h.dv.applied {
			if n != 1 {
				t.Errorf("write %s applied %d times", hash, n)
			}
		}
		retried := 0
		for _, n := range h.dv.received {
			retried += n - 1
		}
		if retried == 0 || h.dv.upserts != 0 || h.dv.unauthorized != 0 {
			t.Errorf("%d writes sent again (want some: the fake throttles), %d PATCHes without If-Match, %d requests without the token", retried, h.dv.upserts, h.dv.unauthorized)
		}
		// The hand-made expectations of the tenant: kind by kind.
		created := 0
		for id := range h.dv.rows {
			if h.seed[id] == nil {
				created++
			}
		}
		if want := (testUsers + kinds - 1) / kinds; created != want {
			t.Errorf("%d rows created, want %d (one per user of kind create)", created, want)
		}
		for i := range testUsers {
			row := h.dv.rows[systemUserID(i)]
			switch i % kinds {
			case kindUpdate:
				if row["jobtitle"] != "Seller" || row["isdisabled"] != false {
					t.Errorf("user %d's row after its update: %v", i, row)
				}
			case kindEnable:
				if row["isdisabled"] != false {
					t.Errorf("user %d's row after its enable: %v", i, row)
				}
			case kindDisable:
				if row["isdisabled"] != true {
					t.Errorf("user %d's row after its disable: %v", i, row)
				}
			}
		}
		for i := range testUsers / 25 {
			if h.dv.rows[goneRowID(i)]["isdisabled"] != true {
				t.Errorf("the row of gone user %d is not disabled", i)
			}
		}
	})
	if len(h.clock.slept) == 0 {
		t.Error("apply never waited, though the fake throttled")
	}
	for _, d := range h.clock.slept {
		if d != 7*time.Second {
			t.Errorf("apply waited %v, not the Retry-After of 7s the fake asked for", d)
		}
	}
	lines := progressLines(t, progress)
	if len(lines[stateDone]) != len(writes) || len(lines[stateFound]) != 0 {
		t.Errorf("the progress file holds %d done and %d found lines, want one done per write (%d)", len(lines[stateDone]), len(lines[stateFound]), len(writes))
	}
	seen := map[progressKey]bool{}
	for _, k := range lines[stateDone] {
		if seen[k] {
			t.Errorf("%v recorded twice", k)
		}
		seen[k] = true
	}
	if !regexp.MustCompile(`(?m)^apply: batch \d+: 40 requests, \d+ succeeded, 0 failed, \d+ to retry; in all \d+ of 212 succeeded`).MatchString(errs) {
		t.Errorf("no progress line on standard error:\n%s", errs)
	}
	if !strings.Contains(out, "212 of 212 requests succeeded, 0 failed") {
		t.Errorf("summary:\n%s", out)
	}
	h.dv.locked(func() {
		if h.dv.largest > 40 {
			t.Errorf("a batch held %d requests, more than -batch 40", h.dv.largest)
		}
	})
}

// A run killed after three batches, then run again with the same progress
// file, applies the plan exactly: the second run skips the 75 requests the
// first recorded, and the fake receives every write once.
func TestApplyResumesAfterCrash(t *testing.T) {
	path := writeTenant(t, testUsers, "Seller", nil)
	h := newHarness(t, path)
	progress := filepath.Join(t.TempDir(), "progress")
	h.wrap = func(next http.RoundTripper, cancel func()) http.RoundTripper {
		return &crash{next: next, cancel: cancel, after: 3}
	}
	out, errs, code := h.run("-tenant", path, "-batch", "25", "-apply", "-progress", progress)
	if code == 0 || !strings.Contains(errs, "rerun the same command to resume") {
		t.Fatalf("a killed run: exit %d\n%s\n%s", code, out, errs)
	}
	if n := len(progressLines(t, progress)[stateDone]); n != 75 {
		t.Fatalf("the killed run recorded %d requests done, want 75 (three batches of 25)", n)
	}
	h.wrap = nil
	out, errs, code = h.run("-tenant", path, "-batch", "25", "-apply", "-progress", progress)
	if code != 0 {
		t.Fatalf("the rerun: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "75 of these requests done by an earlier run, skipped") || !strings.Contains(out, "137 of 137 requests succeeded") {
		t.Errorf("the rerun's report:\n%s", out)
	}
	h.checkRows(planned(t, loadTenant(t, path)), nil)
	h.dv.locked(func() {
		for hash, n := range h.dv.received {
			if n != 1 {
				t.Errorf("write %s received %d times", hash, n)
			}
		}
	})
	if n := len(progressLines(t, progress)[stateDone]); n != 212 {
		t.Errorf("the progress file holds %d requests done, want 212", n)
	}
}

// A run killed after its fourth batch reached the server, which applied
// it, but before the answer came back, and a torn last line in the
// progress file (the crash cut the line it was writing): the rerun
// ignores the torn line and cuts it off, looks up the creates of that
// batch by object ID and finds them (none is created twice), and sends
// its PATCHes again, which set the same values (If-Match keeps them from
// creating anything). Nothing else is sent twice.
func TestApplyResumesAfterLostAnswer(t *testing.T) {
	path := writeTenant(t, testUsers, "Seller", nil)
	h := newHarness(t, path)
	progress := filepath.Join(t.TempDir(), "progress")
	h.wrap = func(next http.RoundTripper, cancel func()) http.RoundTripper {
		return &crash{next: next, cancel: cancel, after: 3, lose: true}
	}
	if _, _, code := h.run("-tenant", path, "-batch", "25", "-apply", "-progress", progress); code == 0 {
		t.Fatal("a killed run exited 0")
	}
	f, err := os.OpenFile(progress, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"state":"done","environment":"sales-pr`)
	f.Close()
	h.wrap = nil
	out, errs, code := h.run("-tenant", path, "-batch", "25", "-apply", "-progress", progress)
	if code != 0 {
		t.Fatalf("the rerun: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "a torn last line (39 bytes, a crash while writing it) ignored") {
		t.Errorf("the rerun does not say it ignored the torn line:\n%s", out)
	}
	writes := planned(t, loadTenant(t, path))
	h.checkRows(writes, nil)
	lines := progressLines(t, progress) // fails on a line left torn
	// The fourth batch: requests 75 to 99 of the plan.
	lost := writes[75:100]
	creates := 0
	for _, w := range lost {
		if w.Verb == provisioning.Create {
			creates++
		}
	}
	if creates == 0 || len(lines[stateFound]) != creates || !strings.Contains(out, "creates found applied by an earlier attempt") {
		t.Errorf("%d creates in the lost batch, %d found by lookup:\n%s", creates, len(lines[stateFound]), out)
	}
	h.dv.locked(func() {
		twice := 0
		for _, n := range h.dv.received {
			switch {
			case n == 2:
				twice++
			case n != 1:
				t.Errorf("a write received %d times", n)
			}
		}
		if twice != len(lost)-creates {
			t.Errorf("%d writes received twice, want the %d PATCHes of the lost batch", twice, len(lost)-creates)
		}
		if h.dv.upserts != 0 {
			t.Errorf("%d PATCHes without If-Match", h.dv.upserts)
		}
	})
}

// An answer lost within a run (the connection failed on the way back) is
// a retryable failure: its creates are looked up before they are sent
// again, and found; its PATCHes are sent again.
func TestApplyLostAnswerWithinRun(t *testing.T) {
	path := writeTenant(t, 60, "Seller", nil)
	h := newHarness(t, path)
	h.wrap = func(next http.RoundTripper, _ func()) http.RoundTripper { return &dropOnce{next: next, nth: 1} }
	out, errs, code := h.run("-tenant", path, "-batch", "100", "-apply", "-progress", filepath.Join(t.TempDir(), "progress"))
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	h.checkRows(planned(t, loadTenant(t, path)), nil)
	if !strings.Contains(errs, "apply: batch 1: no answer (") || !strings.Contains(out, "10 creates looked up by object ID") {
		t.Errorf("output:\n%s\n%s", out, errs)
	}
}

// The progress file keys a request by a hash of what it sends: planned
// again from fresh data, an update that writes another title is another
// request, and is sent though the first was done.
func TestProgressKeyedByRequest(t *testing.T) {
	path := writeTenant(t, 30, "Seller", nil)
	h := newHarness(t, path)
	progress := filepath.Join(t.TempDir(), "progress")
	if out, errs, code := h.run("-tenant", path, "-apply", "-progress", progress); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	// The directory gives user 1 (of kind update) another title; the
	// records are those of the first export, so every other request is
	// the same.
	again := writeTenant(t, 30, "Seller", func(i int, user, record string) (string, string) {
		if i == 1 {
			user = strings.Replace(user, `"jobtitle": "Seller"`, `"jobtitle": "Lead seller"`, 1)
		}
		return user, record
	})
	out, errs, code := h.run("-tenant", again, "-apply", "-progress", progress)
	if code != 0 || !strings.Contains(out, "20 of these requests done by an earlier run, skipped") || !strings.Contains(out, "1 of 1 requests succeeded") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	h.dv.locked(func() {
		if got := h.dv.rows[systemUserID(1)]["jobtitle"]; got != "Lead seller" {
			t.Errorf("user 1's title is %v after the second run", got)
		}
	})
}

// An interrupt (the context done) while a batch is in flight lets the
// batch finish: its answer is read and recorded, and apply stops before
// the next. The rerun sends the rest, and no write twice.
func TestInterruptFinishesBatch(t *testing.T) {
	path := writeTenant(t, testUsers, "Seller", nil)
	h := newHarness(t, path)
	progress := filepath.Join(t.TempDir(), "progress")
	h.wrap = func(next http.RoundTripper, cancel func()) http.RoundTripper {
		return &interrupt{next: next, cancel: cancel, nth: 2}
	}
	out, errs, code := h.run("-tenant", path, "-batch", "25", "-apply", "-progress", progress)
	if code != 1 || !strings.Contains(errs, "stopped: context canceled; 50 requests succeeded, recorded in "+progress+": rerun the same command to resume") {
		t.Fatalf("an interrupted run: exit %d\n%s\n%s", code, out, errs)
	}
	if n := len(progressLines(t, progress)[stateDone]); n != 50 {
		t.Errorf("the interrupted run recorded %d requests done, want 50 (two batches of 25)", n)
	}
	h.wrap = nil
	if out, errs, code = h.run("-tenant", path, "-batch", "25", "-apply", "-progress", progress); code != 0 {
		t.Fatalf("the rerun: exit %d\n%s\n%s", code, out, errs)
	}
	h.checkRows(planned(t, loadTenant(t, path)), nil)
	h.dv.locked(func() {
		for hash, n := range h.dv.received {
			if n != 1 {
				t.Errorf("write %s received %d times", hash, n)
			}
		}
	})
}

// interrupt is a transport that cancels the run's context while the nth
// $batch request is in flight, as Ctrl-C would, and lets it finish.
type interrupt struct {
	next   http.RoundTripper
	cancel func()
	nth, n int
}

// RoundTrip sends r, cancelling the context first on the nth $batch.
func (i *interrupt) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "$batch") {
		if i.n++; i.n == i.nth {
			i.cancel()
		}
	}
	return i.next.RoundTrip(r)
}

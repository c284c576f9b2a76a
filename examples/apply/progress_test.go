package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning/webapi"
)

// testKey is a progress key of user u.
func testKey(u string) progressKey {
	return progressKey{Environment: "sales-prod", User: u, Verb: "update", Request: strings.Repeat("ab", 32)}
}

// lineOf is the line of state and key, as apply writes it.
func lineOf(t *testing.T, state progressState, k progressKey) string {
	t.Helper()
	b, err := json.Marshal(progressLine{State: state, progressKey: k})
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

// A torn last line, longer than the line written after it, is ignored
// when read and cut off when the file is opened: the file holds whole
// lines only once a line is appended.
func TestProgressTornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress")
	first := lineOf(t, stateDone, testKey("u-ana"))
	torn := `{"state":"done","environment":"sales-prod","user":"` + strings.Repeat("x", 300)
	if err := os.WriteFile(path, []byte(first+torn), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := readProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Done(testKey("u-ana")) || len(p.done) != 1 || p.torn != int64(len(torn)) {
		t.Fatalf("read %v, torn %d", p.done, p.torn)
	}
	if err := p.open(); err != nil {
		t.Fatal(err)
	}
	if err := p.record(stateSent, []progressKey{testKey("u-ben")}); err != nil {
		t.Fatal(err)
	}
	if err := p.close(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if want := first + lineOf(t, stateSent, testKey("u-ben")); string(data) != want {
		t.Errorf("the file holds\n%s\nwant\n%s", data, want)
	}
	p, err = readProgress(path)
	if err != nil || !p.Uncertain(testKey("u-ben")) || p.Uncertain(testKey("u-ana")) || p.torn != 0 {
		t.Errorf("read again: %v, %v, torn %d", err, p, p.torn)
	}
}

// A whole line that is not one apply writes is refused with its number:
// the file is not apply's, or was edited, and nothing is sent.
func TestProgressRefusesOtherLines(t *testing.T) {
	good := lineOf(t, stateDone, testKey("u-ana"))
	for _, line := range []string{
		"\n",
		"done u-ana\n",
		strings.Replace(good, `"done"`, `"skipped"`, 1),
		strings.Replace(good, `"verb":"update",`, ``, 1),
		strings.Replace(good, strings.Repeat("ab", 32), "abab", 1),
		strings.Replace(good, `{"state"`, `{"extra":1,"state"`, 1),
		strings.TrimSuffix(good, "\n") + " {}\n",
	} {
		path := filepath.Join(t.TempDir(), "progress")
		if err := os.WriteFile(path, []byte(good+line), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := readProgress(path); err == nil || !strings.Contains(err.Error(), "line 2:") {
			t.Errorf("%q: %v", line, err)
		}
	}
}

// A request's hash changes with its method, path, headers and body.
func TestRequestHash(t *testing.T) {
	base := webapi.Request{Method: "PATCH", Path: "systemusers(1)", Headers: map[string]string{"If-Match": "*"}, Body: []byte(`{"jobtitle":"Seller"}`)}
	seen := map[string]bool{requestHash(&base): true}
	for _, r := range []webapi.Request{
		{Method: "POST", Path: base.Path, Headers: base.Headers, Body: base.Body},
		{Method: base.Method, Path: "systemusers(2)", Headers: base.Headers, Body: base.Body},
		{Method: base.Method, Path: base.Path, Body: base.Body},
		{Method: base.Method, Path: base.Path, Headers: base.Headers, Body: []byte(`{"jobtitle":"Lead"}`)},
	} {
		h := requestHash(&r)
		if seen[h] {
			t.Errorf("%+v hashes as another request", r)
		}
		seen[h] = true
	}
	same := base
	if requestHash(&same) != requestHash(&base) {
		t.Error("a request's hash is not stable")
	}
}

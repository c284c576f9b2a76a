package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"

	"github.com/provisionrules/provisionrules/provisioning/webapi"
)

// A progress file records, one JSON line each, what a run of apply knows
// it has done to an environment, so that a later run skips it:
//
//	{"state":"done","environment":"sales-prod","user":"u-ana","verb":"update","request":"<sha-256 of the request>"}
//
// A line is appended for every request Dataverse answered with a 2xx
// ("done"), and for every create found by its object ID after its answer
// was lost ("found"); "sent" is appended for a create before it is sent,
// so that a run after a crash knows which creates may have been applied
// without their answer, and looks them up before sending them again. The
// lines of a batch are written and synced to disk before the next batch
// is sent.
//
// A line is keyed by the environment, the user's key, the verb and a hash
// of the request (method, path, headers and body): a request planned again
// from fresh exports that writes something else is another request, and is
// sent. A last line without its newline is what a crash in the middle of
// a write leaves: it is ignored, and cut off before the next line is
// appended. Any other line that is not one of the three is an error: the
// file is not what apply wrote, and nothing is sent.

// progressState is what a line of a progress file says of its request.
type progressState string

const (
	stateSent  progressState = "sent"  // a create was sent; its answer may be lost
	stateDone  progressState = "done"  // Dataverse answered with a 2xx
	stateFound progressState = "found" // a create whose answer was lost, found by its object ID
)

// progressKey names one request of one environment's plan, stably across
// runs.
type progressKey struct {
	Environment string `json:"environment"`
	User        string `json:"user"`
	Verb        string `json:"verb"`
	Request     string `json:"request"`
}

// progressLine is a line of a progress file.
type progressLine struct {
	State progressState `json:"state"`
	progressKey
}

// requestHash returns the hex SHA-256 of what r sends: its method, path,
// headers in name order and body.
func requestHash(r *webapi.Request) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", r.Method, r.Path)
	for _, name := range slices.Sorted(maps.Keys(r.Headers)) {
		fmt.Fprintf(h, "%s: %s\n", name, r.Headers[name])
	}
	h.Write([]byte{'\n'})
	h.Write(r.Body)
	return hex.EncodeToString(h.Sum(nil))
}

// progress is a progress file: what it holds, and the file open for
// appending once a run sends.
type progress struct {
	path string
	done map[progressKey]bool // done or found
	sent map[progressKey]bool // creates sent, whether or not done since
	// keep is the length of the file's whole lines; torn is the length of
	// the torn line after them.
	keep, torn int64
	file       *os.File
}

// readProgress reads the progress file at path: an absent file is an
// empty one.
func readProgress(path string) (*progress, error) {
	p := &progress{path: path, done: map[progressKey]bool{}, sent: map[progressKey]bool{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	whole := data
	if i := bytes.LastIndexByte(data, '\n'); i+1 < len(data) {
		whole = data[:i+1]
		p.torn = int64(len(data) - len(whole))
	}
	p.keep = int64(len(whole))
	for n, line := range bytes.SplitAfter(whole, []byte{'\n'}) {
		if len(line) == 0 {
			continue
		}
		l, err := parseProgressLine(line)
		if err != nil {
			return nil, fmt.Errorf("progress file %s, line %d: %w; it is not a progress file of apply, or was edited: nothing is sent", path, n+1, err)
		}
		switch l.State {
		case stateSent:
			p.sent[l.progressKey] = true
		default:
			p.done[l.progressKey] = true
		}
	}
	return p, nil
}

// parseProgressLine reads one line, strictly: every member, and no other.
func parseProgressLine(line []byte) (progressLine, error) {
	var l progressLine
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return l, err
	}
	if dec.More() {
		return l, errors.New("more than one JSON value on the line")
	}
	switch {
	case l.State != stateSent && l.State != stateDone && l.State != stateFound:
		return l, fmt.Errorf("state %q is none of sent, done and found", l.State)
	case l.Environment == "" || l.User == "" || l.Verb == "" || len(l.Request) != sha256.Size*2:
		return l, errors.New("a line names its environment, user, verb and the request's SHA-256")
	}
	return l, nil
}

// Done reports whether the request k was applied by an earlier run.
func (p *progress) Done(k progressKey) bool { return p.done[k] }

// Uncertain reports whether the request k, a create, was sent by an
// earlier run that did not see its answer.
func (p *progress) Uncertain(k progressKey) bool { return p.sent[k] && !p.done[k] }

// open opens the file for appending, creating it, after cutting off a
// torn last line.
func (p *progress) open() error {
	f, err := os.OpenFile(p.path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if p.torn > 0 {
		if err := f.Truncate(p.keep); err != nil {
			f.Close()
			return fmt.Errorf("progress file %s: cutting off its torn last line: %w", p.path, err)
		}
	}
	if _, err := f.Seek(p.keep, 0); err != nil {
		f.Close()
		return err
	}
	p.file = f
	return nil
}

// record appends a line of state for each key and syncs the file to disk.
func (p *progress) record(state progressState, keys []progressKey) error {
	if len(keys) == 0 {
		return nil
	}
	var b []byte
	for _, k := range keys {
		line, err := json.Marshal(progressLine{State: state, progressKey: k})
		if err != nil {
			return err
		}
		b = append(append(b, line...), '\n')
		if state == stateSent {
			p.sent[k] = true
		} else {
			p.done[k] = true
		}
	}
	if _, err := p.file.Write(b); err != nil {
		return fmt.Errorf("progress file %s: %w", p.path, err)
	}
	if err := p.file.Sync(); err != nil {
		return fmt.Errorf("progress file %s: %w", p.path, err)
	}
	return nil
}

// close closes the file.
func (p *progress) close() error {
	if p.file == nil {
		return nil
	}
	return p.file.Close()
}

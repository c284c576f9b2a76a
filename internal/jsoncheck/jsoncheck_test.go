package jsoncheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// word reads a JSON string of lower-case letters; its flaws are set per
// case, to see ReadBack catch each.
type word struct {
	s string
	// flaws
	dirtyRefusal bool // a refusal still changes s
	lossy        bool // reads only the first letter of what it wrote
}

var errNotWord = errors.New("not a word")

func (w *word) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil || strings.ToLower(s) != s {
		if w.dirtyRefusal {
			w.s = "changed"
		}
		return fmt.Errorf("word: %w", errNotWord)
	}
	if w.lossy && len(s) > 1 {
		s = s[:1]
	}
	w.s = s
	return nil
}

func (w word) MarshalJSON() ([]byte, error) { return json.Marshal(w.s) }

// recorder is a testing.TB whose Fatalf records the failure and stops the
// check, as the real one does.
type recorder struct {
	testing.TB
	failure string
}

type stop struct{}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failure = fmt.Sprintf(format, args...)
	panic(stop{})
}

// run runs ReadBack on data with reader flaws and checks, and returns its
// failure, "" for none.
func run(t *testing.T, data string, v, again *word, c Checks[word]) (failure string) {
	r := &recorder{TB: t}
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(stop); !ok {
				panic(p)
			}
			failure = r.failure
		}
	}()
	ReadBack(r, []byte(data), v, again, c)
	return ""
}

func checks() Checks[word] {
	return Checks[word]{
		Refusal: func(err error) error {
			if !errors.Is(err, errNotWord) {
				return errors.New("not errNotWord")
			}
			return nil
		},
		Valid: func(w *word) error {
			if w.s == "forbidden" {
				return errors.New("forbidden")
			}
			return nil
		},
		Diff: func(a, b word) string {
			if a.s != b.s {
				return a.s + " / " + b.s
			}
			return ""
		},
	}
}

// ReadBack passes a sound reader and fails each flaw with a message that
// says which.
func TestReadBack(t *testing.T) {
	otherRefusal := checks()
	otherRefusal.Refusal = func(error) error { return errors.New("want another error") }
	for _, tc := range []struct {
		name, data string
		v, again   word
		c          Checks[word]
		want       string // in the failure; "" for none
	}{
		{name: "sound read", data: `"ana"`, c: checks()},
		{name: "sound refusal", data: `"Ana"`, c: checks()},
		{name: "refusal of another kind", data: `"Ana"`, c: otherRefusal, want: "want another error"},
		{name: "refusal that changes the value", data: `7`, v: word{s: "kept", dirtyRefusal: true}, c: checks(), want: "changed the value"},
		{name: "invalid value read", data: `"forbidden"`, c: checks(), want: "Validate refuses"},
		{name: "lossy read back", data: `"ana"`, again: word{lossy: true}, c: checks(), want: "reads back otherwise"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := run(t, tc.data, &tc.v, &tc.again, tc.c)
			switch {
			case tc.want == "" && got != "":
				t.Errorf("ReadBack failed a sound reader: %s", got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Errorf("ReadBack's failure %q, want one saying %q", got, tc.want)
			}
		})
	}
}

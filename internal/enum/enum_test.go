package enum

import (
	"errors"
	"slices"
	"testing"
)

var names = []string{1: "one", 2: "two", 4: "four"}

func TestNameParseMarshal(t *testing.T) {
	type v uint8
	if Name(names, "V", v(2)) != "two" || Name(names, "V", v(3)) != "V(3)" || Name(names, "V", v(200)) != "V(200)" {
		t.Error("Name")
	}
	if Valid(names, v(0)) || Valid(names, v(3)) || !Valid(names, v(4)) || Valid(names, v(9)) {
		t.Error("Valid")
	}
	if got, err := Parse[v](names, "V", []byte("FOUR")); err != nil || got != 4 {
		t.Errorf("Parse(FOUR) = %d, %v", got, err)
	}
	for _, text := range []string{"", "three", "V(3)", "0"} {
		_, err := Parse[v](names, "pkg.V", []byte(text))
		var e *Error
		if !errors.Is(err, ErrUnknown) || !errors.As(err, &e) || e.Type != "pkg.V" || e.Text != text {
			t.Errorf("Parse(%q) = %v", text, err)
		}
	}
	if _, err := Marshal(names, "V", v(3)); !errors.Is(err, ErrUnknown) {
		t.Errorf("Marshal(3) = %v", err)
	}
	x := v(1)
	if err := Unmarshal(names, "V", []byte("nine"), &x); err == nil || x != 1 {
		t.Errorf("failed Unmarshal changed the value to %d", x)
	}
}

// All lists 1 to end-1; Names reads each value's name from its entry.
func TestAllAndNames(t *testing.T) {
	type entry struct{ id string }
	table := []entry{{"zero"}, {"one"}, {"two"}, {"three"}}
	if got := All(uint8(4)); !slices.Equal(got, []uint8{1, 2, 3}) {
		t.Errorf("All(4) = %v", got)
	}
	if got := All(uint8(1)); len(got) != 0 {
		t.Errorf("All(1) = %v, want none", got)
	}
	if got := Names(uint8(4), table, func(e *entry) string { return e.id }); !slices.Equal(got, []string{"", "one", "two", "three"}) {
		t.Errorf("Names = %q", got)
	}
}

// All stops at end, and never wraps around past 255.
func TestAllEndsAtEnd(t *testing.T) {
	if got := All(uint8(255)); len(got) != 254 || got[0] != 1 || got[253] != 254 {
		t.Errorf("All(255) has %d values, from %d to %d", len(got), got[0], got[len(got)-1])
	}
}

package tenant

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// snapshotJSON has Snapshot's fields by the same JSON names and options.
func TestSnapshotJSONIsSnapshot(t *testing.T) {
	tags := func(t reflect.Type) (out []string) {
		for i := range t.NumField() {
			out = append(out, t.Field(i).Name+" "+t.Field(i).Tag.Get("json"))
		}
		return out
	}
	got, want := tags(reflect.TypeFor[snapshotJSON]()), tags(reflect.TypeFor[Snapshot]())
	if !slices.Equal(got, want) {
		t.Errorf("snapshotJSON's fields\n%s\nSnapshot's\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

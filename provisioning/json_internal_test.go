package provisioning

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// jsonNames lists the JSON names of the fields of struct type t, leaving
// out those tagged "-".
func jsonNames(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// Write's tags say the names its JSON form writes, one name for one field.
func TestWriteTagsAreItsJSONForm(t *testing.T) {
	got, want := jsonNames(reflect.TypeFor[Write]()), jsonNames(reflect.TypeFor[writeJSON]())
	if !slices.Equal(got, want) {
		t.Errorf("Write's JSON names %v, its JSON form's %v", got, want)
	}
}

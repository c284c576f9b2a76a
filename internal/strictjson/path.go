package strictjson

import (
	"reflect"
	"strings"
)

// PathOf returns the JSON path of goPath, a path of Go field names into a
// value of type t as the module's Validate methods name a field
// ("Users[3].Licenses[0].Plan", "Records[env][0].ObjectID",
// "Attributes[domainname]"): each field's JSON name in its place
// ("users[3].licenses[0].plan"), indexes and keys as they are. A part of
// goPath that t has no field for is kept as it is, with the rest after it;
// so is all of goPath for a nil t.
func PathOf(t reflect.Type, goPath string) string {
	if t == nil {
		return goPath
	}
	var b strings.Builder
	rest := goPath
	for rest != "" {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch rest[0] {
		case '.':
			rest = rest[1:]
			continue
		case '[':
			end := strings.IndexByte(rest, ']')
			k := t.Kind()
			if end < 0 || k != reflect.Slice && k != reflect.Array && k != reflect.Map {
				return b.String() + rest
			}
			b.WriteString(rest[:end+1])
			rest, t = rest[end+1:], t.Elem()
			continue
		}
		end := strings.IndexAny(rest, ".[")
		if end < 0 {
			end = len(rest)
		}
		name := rest[:end]
		f, ok := reflect.StructField{}, false
		if t.Kind() == reflect.Struct {
			f, ok = t.FieldByName(name)
		}
		if !ok {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			return b.String() + rest
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag != "" && tag != "-" {
			name = tag
		}
		b.WriteString(name)
		rest, t = rest[end:], f.Type
	}
	return b.String()
}

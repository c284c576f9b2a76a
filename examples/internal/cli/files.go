// Package cli holds what the example programs share: the command line
// (help, errors, the flags of enumerated values) and their input. The
// input is a tenant file in the library's own JSON (or the sample embedded
// in the program), whose users and records Microsoft Graph and Dataverse
// exports can replace. Every file is read strictly: unknown fields,
// trailing data and wrong types are errors that name the user, environment
// or record by its place in the file and its ID, and the result passes
// tenant.Snapshot.Validate, the library's one integrity check.
package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// Files names the input files of an example.
type Files struct {
	// Tenant is a tenant file; empty for the embedded sample.
	Tenant string
	// Graph is a Microsoft Graph export whose users replace the tenant's.
	Graph string
	// Dataverse are Dataverse exports, each replacing one environment's
	// records.
	Dataverse []string
}

// Register defines the flags -tenant, -graph and -dataverse on fs.
func (f *Files) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Tenant, "tenant", "", "read the tenant from this JSON file instead of the embedded sample (see the README for its shape)")
	fs.StringVar(&f.Graph, "graph", "", "read the users from this Microsoft Graph export (see the README)")
	fs.Func("dataverse", "read one environment's records from this Dataverse export (repeatable)", func(path string) error {
		f.Dataverse = append(f.Dataverse, path)
		return nil
	})
}

// Load reads the tenant file, or sample when there is none, then the
// exports, and validates the whole. With the embedded sample and a Graph
// export, the sample's environments move to the export's tenant.
func (f *Files) Load(sample []byte) (*tenant.Snapshot, error) {
	data, name := sample, "the embedded tenant"
	if f.Tenant != "" {
		var err error
		if data, err = os.ReadFile(f.Tenant); err != nil {
			return nil, err
		}
		name = f.Tenant
	}
	s, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if f.Graph != "" {
		if err := f.readGraph(s); err != nil {
			return nil, err
		}
	}
	for _, path := range f.Dataverse {
		if err := readDataverse(s, path); err != nil {
			return nil, err
		}
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

func (f *Files) readGraph(s *tenant.Snapshot) error {
	file, err := os.Open(f.Graph)
	if err != nil {
		return err
	}
	defer file.Close()
	d, err := wire.ReadDirectory(file, wire.Options{}, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Graph, err)
	}
	s.Users = d.Users
	for i := range s.Environments {
		switch env := &s.Environments[i]; {
		case f.Tenant == "":
			env.Tenant = d.Tenant
		case env.Tenant != d.Tenant:
			return fmt.Errorf("environment %s is in tenant %s, but %s is an export of tenant %s", env.ID, env.Tenant, f.Graph, d.Tenant)
		}
	}
	s.Records = nil
	return nil
}

func readDataverse(s *tenant.Snapshot, path string) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	e, err := wire.ReadDataverseExport(file, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	found := false
	var ids []string
	for _, env := range s.Environments {
		found = found || env.ID == e.Environment
		ids = append(ids, env.ID)
	}
	if !found {
		return fmt.Errorf("%s: no environment %q in the tenant; it has %s", path, e.Environment, strings.Join(ids, ", "))
	}
	if s.Records == nil {
		s.Records = map[string][]provisioning.Record{}
	}
	s.Records[e.Environment] = e.Records
	return nil
}

// file is the shape of a tenant file: a tenant.Snapshot, and the tenant's
// ID for people who read it.
type file struct {
	Tenant       string                       `json:"tenant"`
	Environments []json.RawMessage            `json:"environments"`
	Users        []json.RawMessage            `json:"users"`
	Records      map[string][]json.RawMessage `json:"records"`
}

// Decode reads a tenant file strictly: an object with "environments",
// "users" and "records" (and "tenant", which only documents the file).
// Unknown fields, a null element, a value of the wrong type and data after
// the object are errors naming the element by its place and its ID.
func Decode(data []byte) (*tenant.Snapshot, error) {
	var f file
	if err := strict(data, &f); err != nil {
		return nil, err
	}
	s := &tenant.Snapshot{}
	for i, raw := range f.Environments {
		var env provisioning.Environment
		if err := element(raw, &env, fmt.Sprintf("environments[%d]", i), "id"); err != nil {
			return nil, err
		}
		s.Environments = append(s.Environments, env)
	}
	for i, raw := range f.Users {
		var u provisioning.User
		if err := element(raw, &u, fmt.Sprintf("users[%d]", i), "objectId"); err != nil {
			return nil, err
		}
		s.Users = append(s.Users, u)
	}
	for env, list := range f.Records {
		if s.Records == nil {
			s.Records = map[string][]provisioning.Record{}
		}
		s.Records[env] = make([]provisioning.Record, 0, len(list))
		for i, raw := range list {
			var r provisioning.Record
			if err := element(raw, &r, fmt.Sprintf("records[%s][%d]", env, i), "objectId", "upn"); err != nil {
				return nil, err
			}
			s.Records[env] = append(s.Records[env], r)
		}
	}
	return s, nil
}

// strict decodes data into v with unknown fields refused and nothing
// after the value.
func strict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return describe(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the end of the JSON document")
	}
	return nil
}

// element decodes one element of a list, naming it by where and by the
// first of idFields it holds.
func element(raw json.RawMessage, v any, where string, idFields ...string) error {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return fmt.Errorf("%s is null", where)
	}
	if err := strict(raw, v); err != nil {
		var ids map[string]any
		if json.Unmarshal(raw, &ids) == nil {
			for _, f := range idFields {
				if id, ok := ids[f].(string); ok && id != "" {
					where += fmt.Sprintf(" (%s %q)", f, id)
					break
				}
			}
		}
		return fmt.Errorf("%s: %w", where, err)
	}
	return nil
}

// describe words an encoding/json error without Go type names.
func describe(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return fmt.Errorf("a JSON %s where %s belongs", typeErr.Value, kind(typeErr.Type.Kind().String()))
		}
		return fmt.Errorf("field %s: a JSON %s where %s belongs", field, typeErr.Value, kind(typeErr.Type.Kind().String()))
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("malformed JSON at byte %d: %s", syntaxErr.Offset, strings.TrimPrefix(syntaxErr.Error(), "json: "))
	case errors.Is(err, io.EOF):
		return errors.New("empty file: want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("unexpected end of the file: the JSON document is cut short")
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	return errors.New(msg)
}

// kind names what a Go kind holds in JSON.
func kind(k string) string {
	switch k {
	case "bool":
		return "true or false"
	case "string":
		return "a string"
	case "slice", "array":
		return "a list"
	case "struct", "map":
		return "an object"
	case "uint8", "int", "int64", "uint64", "float64":
		return "a number"
	}
	return "another value"
}

package tenant

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/provisionrules/provisionrules/internal/strictjson"
	"github.com/provisionrules/provisionrules/provisioning"
)

// The package's inputs are read from JSON strictly, as package
// provisioning reads its own (see provisioning's UnmarshalJSON methods):
// valid UTF-8 without a lone surrogate escape, every key exactly a
// field's JSON name and given once, every required field present and not
// null, every enum's text one of its names, nothing after the value. A
// refusal is a *provisioning.FieldError whose Field is the JSON path of
// the mistake, such as "users[3].licenses[0].plan"; an unknown enum
// value's error lists the valid ones. They are written as encoding/json
// writes them, by their fields' JSON names, and read back equal.

// userJSON, environmentJSON and recordJSON are provisioning's types
// without their methods: a snapshot reads its elements without their
// UnmarshalJSON, which validates each one and would stop at the first
// malformed; Snapshot.UnmarshalJSON validates the whole, reporting every
// problem.
type (
	userJSON        provisioning.User
	environmentJSON provisioning.Environment
	recordJSON      provisioning.Record
	groupJSON       Group
	changeJSON      Change
	deltaJSON       Delta
	findingJSON     Finding
)

// snapshotJSON is Snapshot with its elements read as userJSON,
// environmentJSON and recordJSON: the same fields by the same JSON names
// (a test holds the two equal).
type snapshotJSON struct {
	Tenant       string                  `json:"tenant,omitempty"`
	Groups       []Group                 `json:"groups,omitzero"`
	Users        []userJSON              `json:"users,omitempty"`
	Environments []environmentJSON       `json:"environments"`
	Records      map[string][]recordJSON `json:"records,omitempty"`
}

// UnmarshalJSON reads a snapshot from the JSON encoding/json writes of it
// strictly, as the package's inputs are read: "environments" is required,
// and each user, environment, record and group is read as its own type
// reads it. Every ID is read into its canonical form
// (provisioning.CanonicalID: a GUID in lower case), so that IDs that
// differ only in letter case are one ID, as the directory has it. Then
// Validate, which reports every problem of the whole
// (the structural ones Check finds, then every malformed element), each
// once. A refusal is a *provisioning.FieldError whose Field is the JSON
// path, such as "users[3].licenses[0].plan" or
// "records[sales-prod][2].objectId", or, for a snapshot with several
// problems, an error joining one for each (errors.As finds the first);
// s is then unchanged. load.TenantFile reads a tenant file with it.
func (s *Snapshot) UnmarshalJSON(data []byte) error {
	var j snapshotJSON
	if err := strictjson.Decode(data, &j); err != nil {
		return jsonError("snapshot", "", nil, err)
	}
	x := Snapshot{Tenant: j.Tenant, Groups: j.Groups,
		Users:        convert(j.Users, func(u userJSON) provisioning.User { return provisioning.User(u) }),
		Environments: convert(j.Environments, func(e environmentJSON) provisioning.Environment { return provisioning.Environment(e) })}
	if j.Records != nil {
		x.Records = make(map[string][]provisioning.Record, len(j.Records))
		for id, list := range j.Records {
			x.Records[id] = convert(list, func(r recordJSON) provisioning.Record { return provisioning.Record(r) })
		}
	}
	if err := canonical(&x); err != nil {
		return err
	}
	if err := x.Validate(); err != nil {
		t := reflect.TypeFor[Snapshot]()
		if joined, ok := err.(interface{ Unwrap() []error }); ok {
			errs := joined.Unwrap()
			for i, e := range errs {
				errs[i] = jsonError("snapshot", "", t, e)
			}
			if len(errs) == 1 {
				return errs[0]
			}
			return errors.Join(errs...)
		}
		return jsonError("snapshot", "", t, err)
	}
	*s = x
	return nil
}

// convert returns the elements of list as as makes them; nil for nil, so
// that a list left out stays left out.
func convert[E, T any](list []E, as func(E) T) []T {
	if list == nil {
		return nil
	}
	out := make([]T, len(list))
	for i, e := range list {
		out[i] = as(e)
	}
	return out
}

// UnmarshalJSON reads a group strictly, as the package's inputs are read:
// "id" and "kind" are required. Check refuses the rest (an empty or
// repeated ID). A refusal is a *provisioning.FieldError naming the field;
// g is then unchanged.
func (g *Group) UnmarshalJSON(data []byte) error {
	var x Group
	if err := strictjson.Decode(data, (*groupJSON)(&x)); err != nil {
		return jsonError("group", x.ID, nil, err)
	}
	*g = x
	return nil
}

// UnmarshalJSON reads a change strictly, as the package's inputs are read:
// "environment" is required; a setting left out or null is left as it
// is, and "securityGroup": "" clears the group. WhatIf refuses a change
// that would make the environment malformed. A refusal is a
// *provisioning.FieldError whose Field is the JSON path, such as
// "addTeam.kind"; c is then unchanged.
func (c *Change) UnmarshalJSON(data []byte) error {
	var x Change
	if err := strictjson.Decode(data, (*changeJSON)(&x)); err != nil {
		return jsonError("change", x.Environment, nil, err)
	}
	*c = x
	return nil
}

// UnmarshalJSON reads a delta strictly, as the package's inputs are read:
// each user change's "objectId" and each group change's "group" are
// required. State.Apply refuses a change that would make a user
// malformed. A refusal is a *provisioning.FieldError whose Field is the
// JSON path, such as "users[2].licenses[0].plan"; d is then unchanged.
func (d *Delta) UnmarshalJSON(data []byte) error {
	var x Delta
	if err := strictjson.Decode(data, (*deltaJSON)(&x)); err != nil {
		return jsonError("delta", "", nil, err)
	}
	*d = x
	return nil
}

// UnmarshalJSON reads a finding strictly, as the package's inputs are
// read: every field but "object" is required. A program reads back the
// findings it showed and accepts (Options.Accept) with it. A refusal is a
// *provisioning.FieldError naming the field; f is then unchanged.
func (f *Finding) UnmarshalJSON(data []byte) error {
	var x Finding
	if err := strictjson.Decode(data, (*findingJSON)(&x)); err != nil {
		return jsonError("finding", x.Environment, nil, err)
	}
	*f = x
	return nil
}

// canonical puts every ID of s in its canonical form (a GUID in lower
// case, provisioning.CanonicalID), so that IDs that differ only in letter
// case are one ID: the boundary where a snapshot's JSON enters. It refuses
// records given under two keys of one environment ID.
func canonical(s *Snapshot) error {
	ids := func(list []string) {
		for i := range list {
			list[i] = provisioning.CanonicalID(list[i])
		}
	}
	id := provisioning.CanonicalID
	s.Tenant = id(s.Tenant)
	for i := range s.Groups {
		s.Groups[i].ID = id(s.Groups[i].ID)
	}
	for i := range s.Environments {
		e := &s.Environments[i]
		e.ID, e.Tenant, e.SecurityGroup, e.Creator, e.RootBusinessUnit = id(e.ID), id(e.Tenant), id(e.SecurityGroup), id(e.Creator), id(e.RootBusinessUnit)
		for j := range e.Teams {
			e.Teams[j].Group = id(e.Teams[j].Group)
		}
	}
	for i := range s.Users {
		u := &s.Users[i]
		u.ObjectID, u.HomeTenant, u.ApplicationID = id(u.ObjectID), id(u.HomeTenant), id(u.ApplicationID)
		for j := range u.Licenses {
			u.Licenses[j].Tenant = id(u.Licenses[j].Tenant)
		}
		ids(u.Groups)
		ids(u.NestedGroups)
		ids(u.OwnedGroups)
	}
	if s.Records == nil {
		return nil
	}
	records := make(map[string][]provisioning.Record, len(s.Records))
	for _, env := range sortedKeys(s.Records) {
		list := s.Records[env]
		for j := range list {
			r := &list[j]
			r.ObjectID, r.ApplicationID, r.SystemUserID = id(r.ObjectID), id(r.ApplicationID), id(r.SystemUserID)
			ids(r.Teams)
		}
		if _, ok := records[id(env)]; ok {
			// Two keys of one ID: neither list may silently replace the
			// other.
			return &provisioning.FieldError{Input: "snapshot", Key: id(env), Field: "records[" + env + "]", Value: env,
				Err: strictjson.Reason(&strictjson.Error{Path: "records[" + env + "]", Value: env, Err: fmt.Errorf("%w: the records of environment %s are given under two keys that differ only in letter case", provisioning.ErrDuplicate, id(env))})}
		}
		records[id(env)] = list
	}
	s.Records = records
	return nil
}

// jsonError is the *provisioning.FieldError of err, an error of reading
// JSON into a value of type t, named input and keyed key: its Field is the
// JSON path of the mistake; a *provisioning.FieldError of Validate or
// Check has its path of Go field names made the JSON one. Its Err wraps
// the *strictjson.Error, so that the path is found again when the value
// was read inside another.
func jsonError(input, key string, t reflect.Type, err error) error {
	var se *strictjson.Error
	if errors.As(err, &se) {
		return &provisioning.FieldError{Input: input, Key: key, Field: se.Path, Value: se.Value, Err: strictjson.Reason(se)}
	}
	var fe *provisioning.FieldError
	if errors.As(err, &fe) {
		path := strictjson.PathOf(t, fe.Field)
		return &provisioning.FieldError{Input: fe.Input, Key: fe.Key, Field: path, Value: fe.Value, Err: strictjson.Reason(&strictjson.Error{Path: path, Value: fe.Value, Err: fe.Err})}
	}
	return &provisioning.FieldError{Input: input, Key: key, Err: err}
}

package wire

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/internal/ident"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire/internal/jsonread"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// The Dataverse systemusers columns the reader names besides the synced
// ones.
const (
	colSystemUserID  = "systemuserid"
	colAccessMode    = "accessmode"
	colIsDisabled    = "isdisabled"
	colApplicationID = "applicationid"
)

const srcSystemUser = "systemuser"

// systemUser is the shape of a systemusers row: the columns the rules
// read, the navigation properties that carry security roles and team
// memberships, and every synced column.
var systemUser = shape[provisioning.Record]{
	key: colSystemUserID, id: func(r *provisioning.Record) string { return r.SystemUserID },
	dup: "the row of record # has this systemuserid",
	members: append([]member[provisioning.Record]{
		{name: colSystemUserID, need: required, hint: "the $select must include systemuserid",
			read: func(r *provisioning.Record, x *val) error { return x.ident(&r.SystemUserID) }},
		{name: colAccessMode, need: required, read: func(r *provisioning.Record, x *val) error {
			n, err := x.whole(int64(usertype.ReadWrite), int64(usertype.DelegatedAdmin), "want an access mode from 0 to 5")
			r.Mode = usertype.AccessMode(n)
			return err
		}},
		{name: colIsDisabled, need: required, read: func(r *provisioning.Record, x *val) error { return x.boolean(&r.Disabled) }},
		{name: colApplicationID, read: func(r *provisioning.Record, x *val) error { return x.ident(&r.ApplicationID) }},
		{name: "systemuserroles_association", read: func(r *provisioning.Record, x *val) error {
			err := list(x, roleName, &r.Roles)
			r.Roles = unique(r.Roles, nil)
			return err
		}},
		{name: "teammembership_association", read: func(r *provisioning.Record, x *val) error {
			// Only group teams have a group: those of other types do not.
			err := list(x, teamGroup, &r.Teams)
			r.Teams = unique(r.Teams, []string{""})
			return err
		}},
	}, columns()...),
	other: customColumn,
	// The synced columns are gathered in the decoder and made into the
	// record's Values at once, with one allocation.
	begin: func(x *val) { x.d.columns = [syncfields.ColumnCount]string{} },
	check: func(r *provisioning.Record, x *val) error {
		cols := &x.d.columns
		r.Fields.Columns = syncfields.MakeValues(func(c syncfields.Column) string { return cols[c] })
		r.ObjectID = r.Fields.Columns.Get(syncfields.ObjectID)
		r.UPN = r.Fields.Columns.Get(syncfields.DomainName)
		// Dataverse does not say whether the customer edited the primary
		// email: read as edited, the sync never writes it (SYNC-EMAIL).
		r.Fields.EmailEdited = true
		// A row with no object ID that is not a well-known or application
		// record is read as a stub (UT-STUB), which the sync never changes.
		if k, err := r.Kind(); err == nil && r.ObjectID == "" && r.ApplicationID == "" &&
			k != usertype.KindSupport && k != usertype.KindDelegatedAdmin {
			r.Stub = true
		}
		return nil
	},
}.table()

// columns returns the members of a systemusers row that are synced
// columns, in column order.
func columns() []member[provisioning.Record] {
	var out []member[provisioning.Record]
	for _, c := range syncfields.Columns() {
		m := member[provisioning.Record]{name: c.String(), read: func(_ *provisioning.Record, x *val) error {
			return x.text(&x.d.columns[c])
		}}
		switch c {
		case syncfields.ObjectID:
			// Not selected, every record would read as a stub, and its
			// user as one without a record.
			m.need, m.hint = present, "select it (null on a record without one)"
			fallthrough
		case syncfields.DomainName:
			m.read = func(_ *provisioning.Record, x *val) error {
				return x.ident(&x.d.columns[c])
			}
		}
		out = append(out, m)
	}
	return out
}

// roleName is the shape of an element of systemuserroles_association.
var roleName = shape[string]{members: []member[string]{
	{name: "name", need: required, read: func(s *string, x *val) error { return x.shared(s) }},
}}.table()

// teamGroup is the shape of an element of teammembership_association.
var teamGroup = shape[string]{members: []member[string]{
	{name: "azureactivedirectoryobjectid", read: func(s *string, x *val) error { return x.shared(s) }},
}}.table()

// customColumn reads a column the sync does not map into Fields.Custom: a
// string as it is, a number or a boolean as its JSON text; a null is no
// value, and an object or array (an expanded navigation property) is not
// a column and is skipped; nor are annotations and lookups' values.
func customColumn(r *provisioning.Record, x *val, key []byte) error {
	if bytes.IndexByte(key, '@') >= 0 || len(key) > 0 && key[0] == '_' {
		return x.skip(key)
	}
	x.name = string(key)
	k, err := x.d.Peek()
	if err != nil {
		return x.fail(err)
	}
	var value string
	var b []byte
	switch k {
	case jsonread.String:
		err = x.text(&value)
	case jsonread.Number:
		b, err = x.d.Number()
		value = string(b)
	case jsonread.Bool:
		var v bool
		v, err = x.d.Bool()
		value = strconv.FormatBool(v)
	default:
		return x.skip([]byte(x.name))
	}
	if err != nil {
		return x.fail(err)
	}
	if r.Fields.Custom == nil {
		r.Fields.Custom = map[string]string{}
	}
	if _, dup := r.Fields.Custom[x.name]; dup {
		return x.bad(value, x.d.Offset(), errtext.Explain(provisioning.ErrDuplicate, "member given twice"))
	}
	r.Fields.Custom[x.name] = value
	return nil
}

// validateRecord checks rec with provisioning's Validate, reporting a
// failure as an *Error of the row that wraps the *provisioning.FieldError
// (or the *syncfields.ColumnError of a malformed column).
func validateRecord(rec *provisioning.Record, at where, index int, offset int64) error {
	return invalid(rec.Validate(), at, index, rec.SystemUserID, offset)
}

// recordKeys refuses two records of one input with one key (their object
// ID, or the UPN or application ID of a record without one), holding the
// number of the record that has each.
type recordKeys map[string]int

// claim refuses a second record with rec's key.
func (k recordKeys) claim(rec *provisioning.Record, at where, index int, offset int64, n int) error {
	key := rec.Key()
	if j, dup := k[key]; dup {
		return &Error{Source: at.String(), Index: index, ID: rec.SystemUserID, Field: keyField(rec), Value: cut(key), Offset: offset,
			Err: errtext.Explain(provisioning.ErrDuplicate, "record "+strconv.Itoa(j)+" of the input has this key")}
	}
	k[key] = n
	return nil
}

// keyField names the column that gives rec its key.
func keyField(rec *provisioning.Record) string {
	switch {
	case rec.ObjectID != "":
		return syncfields.ObjectID.String()
	case rec.UPN != "":
		return syncfields.DomainName.String()
	}
	return colApplicationID
}

// ReadSystemUsers reads one page of the Dataverse Web API's systemusers,
// as returned by
//
//	GET [org]/api/data/v9.2/systemusers?$select=systemuserid,azureactivedirectoryobjectid,domainname,
//	    accessmode,isdisabled,applicationid,fullname,firstname,lastname,jobtitle,internalemailaddress,
//	    address1_telephone1,mobilephone,address1_line1,address1_city,address1_stateorprovince,
//	    address1_postalcode,address1_country,homephone
//	    &$expand=systemuserroles_association($select=name),
//	    teammembership_association($select=azureactivedirectoryobjectid,teamtype)
//
// into records. systemuserid (into Record.SystemUserID), accessmode (0 to
// 5) and isdisabled are required, and so is azureactivedirectoryobjectid,
// null on a record without one: without it every record would read as a
// stub; without systemuserid, no write could address the row. The synced
// columns go to Record.Fields.Columns; every other column with a logical name (not an
// "@" annotation, nor a "_..._value" lookup) to Record.Fields.Custom,
// which the sync never touches: a string as it is, a number or boolean as
// its JSON text; an expanded navigation property other than the two read
// here is not a column and is skipped. Readings, each failing closed:
//
//   - Dataverse does not say whether the customer edited the primary email,
//     so EmailEdited is set: the sync then never writes it (SYNC-EMAIL);
//   - a record with no azureactivedirectoryobjectid that is neither the
//     support, the delegated-admin nor an application user is a stub
//     (UT-STUB), which the sync never changes or enables.
//
// A null row, two rows with one systemuserid or one key (object ID, or
// the UPN of a record without one), an identifier holding control or
// bidirectional formatting characters, and a record that fails
// provisioning's Validate (the *Error wraps its error) are refused. The
// records it returns pass tenant.Snapshot.Check as one environment's.
func ReadSystemUsers(r io.Reader) (Page[provisioning.Record], error) {
	var p Page[provisioning.Record]
	keys := recordKeys{}
	info, err := readLone(r, srcSystemUser, systemUser, func() *provisioning.Record { return next(&p.Items) },
		func(r *rec, out *provisioning.Record) error {
			if err := validateRecord(out, r.at, r.index, r.start); err != nil {
				return err
			}
			return keys.claim(out, r.at, r.index, r.start, r.index)
		})
	return linked(p, info, err)
}

// EncodeSystemUser writes r as a systemusers row, the body of a Dataverse
// Web API create or update: azureactivedirectoryobjectid, domainname,
// accessmode, isdisabled, applicationid (when set) and every non-blank
// synced column. Custom columns are never written, the sync being barred
// from them in both directions (SYNC-CUSTOM); security roles and teams
// are associations, not columns; and a stub, which the sync never writes
// (UT-STUB), is an error.
func EncodeSystemUser(r *provisioning.Record) ([]byte, error) {
	if r == nil {
		return nil, &Error{Source: srcSystemUser, Index: -1, Field: "*Record", Value: "nil", Offset: -1, Err: provisioning.ErrMissing}
	}
	if err := validateRecord(r, lone(srcSystemUser), -1, -1); err != nil {
		return nil, err
	}
	if r.Stub {
		return nil, &Error{Source: srcSystemUser, Index: -1, ID: r.Key(), Field: "Stub", Value: "true", Offset: -1,
			Err: errtext.Explain(provisioning.ErrContradiction, "a stub is never written by the sync (UT-STUB)")}
	}
	row := map[string]any{}
	for _, c := range syncfields.Columns() {
		if v := r.Fields.Columns.Get(c); v != "" {
			row[c.String()] = v
		}
	}
	if r.ObjectID != "" {
		row[syncfields.ObjectID.String()] = r.ObjectID
	}
	if r.UPN != "" {
		row[syncfields.DomainName.String()] = r.UPN
	}
	row[colAccessMode] = int(r.Mode)
	row[colIsDisabled] = r.Disabled
	if r.ApplicationID != "" {
		row[colApplicationID] = r.ApplicationID
	}
	return json.Marshal(row)
}

// DataverseExport is one environment's Dataverse data, as
// ReadDataverseExport reads it.
type DataverseExport struct {
	// Environment is the export's environmentId.
	Environment string
	// Records are the environment's SystemUser records, in the order of
	// the export; empty when a yield function took them (see
	// ReadDataverseExport).
	Records []provisioning.Record
	// Teams are the environment's teams rows, in order (see Team); build
	// its group teams with Directory.GroupTeams.
	Teams []Team
}

const srcDataverse = "dataverse export"

// ReadDataverseExport reads one environment's Dataverse export from r,
// streaming: an object holding "environmentId" (required) and
// "systemusers", the Web API's response as it came (a page, or an array of
// pages; see ReadSystemUsers), and optionally "teams" (pages of teams
// rows, see Team) and this library's own extension for deletion, which
// Dataverse has no column for and the caller computes:
//
//   - "softDeleted": an array of the systemuserids of the records an
//     administrator has deleted (DEL-SOFT), which come out with
//     Record.SoftDeleted set, and must be disabled with no roles and no
//     teams (DEL-SOFT-EFFECT);
//   - "ownedRecords": an object mapping a systemuserid to how many records
//     of the environment the user owns (a whole number, 0 or more), into
//     Record.OwnedRecords (DEL-PERMANENT), for example summed from a
//     $apply=groupby((_ownerid_value),aggregate($count as n)) query per
//     table.
//
// It passes each record to yield as soon as it is complete, and keeps
// none; with yield nil, it collects them into Records instead. An error
// from yield stops the read and is returned as it is. A record is
// complete when read if "softDeleted" and "ownedRecords" came before
// "systemusers" (write them first, [] and {} when there are none);
// otherwise records are held until both have been read, or to the end of
// the export.
//
// The export is refused, as an *Error naming the place, the record and
// the field, when: it is not one JSON object, or has data after it, or
// nests too deep; a member is unknown or given twice; environmentId is
// absent; a row is refused by ReadSystemUsers' checks (a null row, a
// missing column, a duplicate systemuserid or key, a malformed
// identifier, a record failing provisioning's Validate, including a
// soft-deleted record that is enabled or holds a role or a team); a
// teams row is refused by ReadTeams' checks; "softDeleted" or
// "ownedRecords" names a systemuserid twice or one the export does not
// hold, or gives a count that is not a whole number of 0 or more. The
// records it yields pass tenant.Snapshot.Check as one environment's.
func ReadDataverseExport(r io.Reader, yield func(provisioning.Record) error) (DataverseExport, error) {
	x := &exportReader{keys: recordKeys{}}
	x.begin(r, yield, 2, x.complete) // softDeleted and ownedRecords
	if err := readExport(x.d, &x.top, srcDataverse, dataverseExport, x); err != nil {
		return DataverseExport{}, err
	}
	if x.out.Environment == "" {
		return DataverseExport{}, &Error{Source: srcDataverse, Index: -1, Field: "environmentId", Offset: -1, Err: provisioning.ErrMissing}
	}
	records, err := x.end(func(f *marks) sections { return f.listed }, "no record of the export has this systemuserid")
	if err != nil {
		return DataverseExport{}, err
	}
	x.out.Records = records
	return x.out, nil
}

// exportReader reads one Dataverse export.
type exportReader struct {
	export[provisioning.Record, marks]
	out  DataverseExport
	keys recordKeys
	row  provisioning.Record
}

// marks are what the deletion extension says of a record.
type marks struct {
	listed sections // softDeleted, ownedRecords
	owned  int
}

// dataverseExport is the shape of a Dataverse export.
var dataverseExport = shape[exportReader]{
	members: []member[exportReader]{
		{name: "environmentId", read: func(x *exportReader, v *val) error {
			off := v.d.valueOffset()
			if err := v.ident(&x.out.Environment); err != nil || x.out.Environment != "" {
				return err
			}
			return v.bad("", off, provisioning.ErrMissing)
		}},
		{name: "systemusers", read: func(x *exportReader, _ *val) error {
			return sectionPages(x.d, "systemusers", systemUser, &x.row, x.addRow)
		}},
		{name: "teams", read: func(x *exportReader, _ *val) error {
			return collect(x.d, "teams", team, &x.out.Teams, "another team of the export has this ID")
		}},
		{name: "softDeleted", read: (*exportReader).softDeleted},
		{name: "ownedRecords", read: (*exportReader).ownedRecords},
	},
	other: func(_ *exportReader, x *val, key []byte) error {
		x.name = string(key)
		return x.bad("", x.d.Offset(), errtext.Explain(provisioning.ErrUnknown, "not a member of a Dataverse export"))
	},
}.table()

// addRow takes the row just read.
func (x *exportReader) addRow(r *rec) error {
	v, e, first, ok := x.j.add(x.row.SystemUserID, r)
	if !ok {
		return r.bad(colSystemUserID, x.row.SystemUserID, r.start,
			errtext.Explain(provisioning.ErrDuplicate, "the row of record "+strconv.Itoa(first)+" has this systemuserid"))
	}
	*v, x.row = x.row, provisioning.Record{}
	return x.j.added(v, e)
}

// complete applies the deletion extension to a record, checks it, and
// hands it on.
func (x *exportReader) complete(r *provisioning.Record, e *entry[marks]) error {
	r.SoftDeleted = e.facts.listed&sectionSoftDeleted != 0
	r.OwnedRecords = e.facts.owned
	at := where{section: "systemusers", page: int(e.page)}
	if err := validateRecord(r, at, int(e.index), e.offset); err != nil {
		return err
	}
	if err := x.keys.claim(r, at, int(e.index), e.offset, int(x.j.ids[e.id])); err != nil {
		return err
	}
	return x.hand(r)
}

// softDeleted reads "softDeleted".
func (x *exportReader) softDeleted(*val) error {
	d := x.d
	r := rec{d: d, at: lone("softDeleted"), index: -1, start: d.Offset()}
	null, err := d.array()
	if err != nil {
		return r.fail("", err)
	}
	if null {
		return r.bad("", "null", r.start, &typeError{got: "null", want: "an array"})
	}
	for i := 0; ; i++ {
		more, err := d.Next()
		if err != nil {
			return r.fail("", err)
		}
		if !more {
			return x.j.related()
		}
		r.index, r.start = i, d.Offset()
		id, err := r.ident("")
		if err != nil {
			return err
		}
		if _, err := x.mark(&r, id, sectionSoftDeleted, r.start); err != nil {
			return err
		}
	}
}

// ownedRecords reads "ownedRecords".
func (x *exportReader) ownedRecords(*val) error {
	d := x.d
	err := keyed(d, &x.top, "ownedRecords", func(key []byte, off int64) error {
		id := string(key)
		r := rec{d: d, at: lone("ownedRecords"), index: -1, id: id, start: off}
		if !ident.Valid(id) {
			return r.bad("", id, off, errtext.Explain(provisioning.ErrMalformed, "a systemuserid holding control or bidirectional formatting characters"))
		}
		f, err := x.mark(&r, id, sectionOwnedRecords, off)
		if err != nil {
			return err
		}
		n, null, err := d.integer()
		if err != nil {
			return r.fail("", err)
		}
		if null || n < 0 || n > 1<<53 {
			return r.bad("", strconv.FormatInt(n, 10), off, errtext.Explain(provisioning.ErrMalformed, "want a count of 0 or more"))
		}
		f.owned = int(n)
		return nil
	})
	if err != nil {
		return err
	}
	return x.j.related()
}

// mark records that sec lists the record whose systemuserid is id, and
// returns what is known of it, refusing an empty ID and one listed twice.
func (x *exportReader) mark(r *rec, id string, sec sections, off int64) (*marks, error) {
	if id == "" {
		return nil, r.bad("", "", off, errtext.Explain(provisioning.ErrMissing, "an empty systemuserid"))
	}
	f := x.j.factsOf(id)
	if f.listed&sec != 0 {
		return nil, r.bad("", id, off, errtext.Explain(provisioning.ErrDuplicate, "systemuserid listed twice"))
	}
	f.listed |= sec
	return f, nil
}

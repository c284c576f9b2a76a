package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"slices"
	"strconv"

	"github.com/provisionrules/provisionrules/internal/ident"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire/internal/jsonread"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// The Dataverse systemusers columns the decoder reads besides the synced
// ones, and the navigation properties that carry security roles and team
// memberships.
const (
	colSystemUserID  = "systemuserid"
	colAccessMode    = "accessmode"
	colIsDisabled    = "isdisabled"
	colApplicationID = "applicationid"
	colObjectID      = "azureactivedirectoryobjectid"
	navRoles         = "systemuserroles_association"
	navTeams         = "teammembership_association"
)

const srcSystemUser = "systemuser"

// columnByName finds a mapped column by its logical name.
var columnByName = func() map[string]syncfields.Column {
	m := map[string]syncfields.Column{}
	for _, c := range syncfields.Columns() {
		m[c.String()] = c
	}
	return m
}()

// readSystemUser reads one systemusers row into out; out.Fields.Custom is
// made only for a row that has custom columns.
func readSystemUser(d *dec, r *rec, out *provisioning.Record) error {
	if err := d.BeginObject(); err != nil {
		return r.fail("", err)
	}
	var mask uint64 // bits 0-4 the fixed members, 8+c the mapped columns
	hasMode, hasDisabled := false, false
	for {
		key, ok, err := d.Key()
		if err != nil {
			return r.fail("", err)
		}
		if !ok {
			break
		}
		if bytes.IndexByte(key, '@') >= 0 || len(key) > 0 && key[0] == '_' {
			// An annotation, or a lookup's value: not a column.
			if err := d.Skip(); err != nil {
				return r.fail(string(key), err)
			}
			continue
		}
		switch name := string(key); name {
		case colSystemUserID:
			if err := r.seen(&mask, 0, name); err != nil {
				return err
			}
			if out.SystemUserID, err = r.ident(name, false); err != nil {
				return err
			}
			r.id = out.SystemUserID
		case colAccessMode:
			if err := r.seen(&mask, 1, name); err != nil {
				return err
			}
			off := d.Offset()
			n, null, ierr := d.integer()
			if ierr != nil {
				return r.fail(name, ierr)
			}
			if !null {
				m := usertype.AccessMode(n)
				if int64(m) != n || !m.IsValid() { // n fits m, and names a mode
					return r.bad(name, strconv.FormatInt(n, 10), off, explain(ErrUnknown, "want an access mode from 0 to 5"))
				}
				out.Mode, hasMode = m, true
			}
		case colIsDisabled:
			if err := r.seen(&mask, 2, name); err != nil {
				return err
			}
			v, null, berr := d.boolean()
			if berr != nil {
				return r.fail(name, berr)
			}
			out.Disabled, hasDisabled = v, !null
		case colApplicationID:
			if err := r.seen(&mask, 3, name); err != nil {
				return err
			}
			out.ApplicationID, err = r.ident(name, false)
		case navRoles:
			if err := r.seen(&mask, 4, name); err != nil {
				return err
			}
			out.Roles, err = readRoleNames(d, r)
		case navTeams:
			if err := r.seen(&mask, 5, name); err != nil {
				return err
			}
			out.Teams, err = readTeamGroups(d, r)
		default:
			if c, ok := columnByName[name]; ok {
				if err := r.seen(&mask, 8+uint(c), name); err != nil {
					return err
				}
				if c == syncfields.ObjectID || c == syncfields.DomainName {
					out.Fields.Columns[c], err = r.ident(name, false)
				} else {
					out.Fields.Columns[c], err = r.text(name)
				}
				break
			}
			err = readCustomColumn(d, r, out, name)
		}
		if err != nil {
			return err
		}
	}
	switch {
	case out.SystemUserID == "":
		return r.missing(colSystemUserID)
	case !hasMode:
		return r.missing(colAccessMode)
	case !hasDisabled:
		return r.missing(colIsDisabled)
	case mask&(1<<(8+uint(syncfields.ObjectID))) == 0:
		// Not selected: every record would read as a stub, and its user as
		// one without a record.
		return &Error{Source: r.at.String(), Index: r.index, ID: r.id, Field: colObjectID, Offset: r.start,
			Err: explain(ErrMissing, "select it (null on a record without one)")}
	}
	out.ObjectID = out.Fields.Columns[syncfields.ObjectID]
	out.UPN = out.Fields.Columns[syncfields.DomainName]
	// Dataverse does not say whether the customer edited the primary
	// email: read as edited, the sync never writes it (SYNC-EMAIL).
	out.Fields.EmailEdited = true
	// A row with no object ID that is not a well-known or application
	// record is read as a stub (UT-STUB), which the sync never changes.
	if k, err := out.Kind(); err == nil && out.ObjectID == "" && out.ApplicationID == "" &&
		k != usertype.KindSupport && k != usertype.KindDelegatedAdmin {
		out.Stub = true
	}
	return nil
}

// readCustomColumn reads a column the sync does not map into
// Fields.Custom: a string as it is, a number or a boolean as its JSON
// text; a null is no value, and an object or array (an expanded
// navigation property) is not a column and is skipped.
func readCustomColumn(d *dec, r *rec, out *provisioning.Record, name string) error {
	k, err := d.Peek()
	if err != nil {
		return r.fail(name, err)
	}
	var value string
	switch k {
	case jsonread.String:
		value, err = r.text(name)
		if err != nil {
			return err
		}
	case jsonread.Number:
		b, err := d.Number()
		if err != nil {
			return r.fail(name, err)
		}
		value = string(b)
	case jsonread.Bool:
		v, err := d.Bool()
		if err != nil {
			return r.fail(name, err)
		}
		value = strconv.FormatBool(v)
	default:
		if err := d.Skip(); err != nil {
			return r.fail(name, err)
		}
		return nil
	}
	if out.Fields.Custom == nil {
		out.Fields.Custom = map[string]string{}
	}
	if _, dup := out.Fields.Custom[name]; dup {
		return r.bad(name, value, d.Offset(), explain(ErrDuplicate, "member given twice"))
	}
	out.Fields.Custom[name] = value
	return nil
}

// readRoleNames reads the names of the roles in an expanded
// systemuserroles_association, each once.
func readRoleNames(d *dec, r *rec) ([]string, error) {
	var out []string
	err := readExpanded(d, r, navRoles, func(p path, start int64) error {
		var name string
		for {
			key, ok, err := d.Key()
			if err != nil {
				return r.failAt(p, err)
			}
			if !ok {
				break
			}
			if string(key) == "name" {
				if name, err = r.identAt(p.member("name"), true); err != nil {
					return err
				}
				continue
			}
			if err := d.Skip(); err != nil {
				return r.failAt(p, err)
			}
		}
		if name == "" {
			return r.badAt(p.member("name"), "", start, ErrMissing)
		}
		if !contains(out, name) {
			out = append(out, name)
		}
		return nil
	})
	return out, err
}

// readTeamGroups reads the group IDs of the group teams in an expanded
// teammembership_association: the azureactivedirectoryobjectid of every
// team that has one (teams of other types have none), each once.
func readTeamGroups(d *dec, r *rec) ([]string, error) {
	var out []string
	err := readExpanded(d, r, navTeams, func(p path, start int64) error {
		var group string
		for {
			key, ok, err := d.Key()
			if err != nil {
				return r.failAt(p, err)
			}
			if !ok {
				break
			}
			if string(key) == "azureactivedirectoryobjectid" {
				if group, err = r.identAt(p.member("azureactivedirectoryobjectid"), true); err != nil {
					return err
				}
				continue
			}
			if err := d.Skip(); err != nil {
				return r.failAt(p, err)
			}
		}
		if group != "" && !contains(out, group) {
			out = append(out, group)
		}
		return nil
	})
	return out, err
}

// readExpanded reads an expanded collection, calling one with the decoder
// inside each entity's object.
func readExpanded(d *dec, r *rec, field string, one func(p path, start int64) error) error {
	null, err := d.array()
	if err != nil {
		return r.fail(field, err)
	}
	if null {
		return nil
	}
	for i := 0; ; i++ {
		more, err := d.Next()
		if err != nil {
			return r.fail(field, err)
		}
		if !more {
			return nil
		}
		p := elem(field, i, "")
		null, err := d.object()
		if err != nil {
			return r.failAt(p, err)
		}
		if null {
			return r.badAt(p, "null", d.Offset(), ErrMissing)
		}
		if err := one(p, d.Offset()); err != nil {
			return err
		}
	}
}

// validateRecord checks rec with provisioning's Validate, reporting a
// failure as an *Error of the row that wraps the *provisioning.FieldError
// (or the *syncfields.ColumnError of a malformed column).
func validateRecord(rec *provisioning.Record, at where, index int, offset int64) error {
	err := rec.Validate()
	if err == nil {
		return nil
	}
	e := &Error{Source: at.String(), Index: index, ID: rec.SystemUserID, Offset: offset, Err: err}
	var fe *provisioning.FieldError
	var ce *syncfields.ColumnError
	switch {
	case errors.As(err, &fe):
		e.Field, e.Value = fe.Field, cut(fe.Value)
	case errors.As(err, &ce):
		e.Field, e.Value = "Fields["+ce.Column+"]", cut(ce.Value)
	}
	return e
}

// recordKeys refuses two records of one input with one key.
type recordKeys struct {
	ids  map[string]int // systemuserid → index
	keys map[string]int // Record.Key → index
}

func newRecordKeys() recordKeys {
	return recordKeys{ids: map[string]int{}, keys: map[string]int{}}
}

// claimID refuses a second row with one systemuserid.
func (k *recordKeys) claimID(r *rec, id string, n int) error {
	if j, dup := k.ids[id]; dup {
		return r.bad(colSystemUserID, id, r.start, explain(ErrDuplicate, "the row of record "+strconv.Itoa(j)+" has this systemuserid"))
	}
	k.ids[id] = n
	return nil
}

// claimKey refuses a second record with one key (its object ID, or the
// UPN or application ID of a record without one).
func (k *recordKeys) claimKey(rec *provisioning.Record, at where, index int, offset int64, n int) error {
	key := rec.Key()
	if j, dup := k.keys[key]; dup {
		return &Error{Source: at.String(), Index: index, ID: rec.SystemUserID, Field: keyField(rec), Value: cut(key), Offset: offset,
			Err: explain(ErrDuplicate, "record "+strconv.Itoa(j)+" of the input has this key")}
	}
	k.keys[key] = n
	return nil
}

// keyField names the column that gives rec its key.
func keyField(rec *provisioning.Record) string {
	switch {
	case rec.ObjectID != "":
		return "azureactivedirectoryobjectid"
	case rec.UPN != "":
		return "domainname"
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
// stub. The synced columns go to
// Record.Fields.Columns; every other column with a logical name (not an
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
	return readOne(r, srcSystemUser, func(d *dec) (Page[provisioning.Record], error) {
		var p Page[provisioning.Record]
		keys := newRecordKeys()
		at := lone(srcSystemUser)
		info, err := readPage(d, at, func(i int, start int64) error {
			r := rec{d: d, at: at, index: i, start: start}
			var out provisioning.Record
			if err := readSystemUser(d, &r, &out); err != nil {
				return err
			}
			if err := keys.claimID(&r, out.SystemUserID, i); err != nil {
				return err
			}
			if err := validateRecord(&out, at, i, start); err != nil {
				return err
			}
			if err := keys.claimKey(&out, at, i, start, i); err != nil {
				return err
			}
			p.Items = append(p.Items, out)
			return nil
		})
		p.NextLink, p.DeltaLink = info.next, info.delta
		return p, err
	})
}

// DecodeSystemUsers is ReadSystemUsers of data.
func DecodeSystemUsers(data []byte) (Page[provisioning.Record], error) {
	return ReadSystemUsers(bytes.NewReader(data))
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
		return nil, &Error{Source: srcSystemUser, Index: -1, Field: "*Record", Value: "nil", Offset: -1, Err: ErrMissing}
	}
	if err := validateRecord(r, lone(srcSystemUser), -1, -1); err != nil {
		return nil, err
	}
	if r.Stub {
		return nil, &Error{Source: srcSystemUser, Index: -1, ID: r.Key(), Field: "Stub", Value: "true", Offset: -1,
			Err: explain(ErrContradiction, "a stub is never written by the sync (UT-STUB)")}
	}
	row := map[string]any{}
	for _, c := range syncfields.Columns() {
		if v := r.Fields.Columns[c]; v != "" {
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
// DecodeDataverseExport reads it.
type DataverseExport struct {
	// Environment is the export's environmentId.
	Environment string
	// Records are the environment's SystemUser records, in the order of
	// the export; empty when a yield function took them
	// (ReadDataverseExport).
	Records []provisioning.Record
	// Teams are the environment's teams rows, in order (see Team); build
	// its group teams with Directory.GroupTeams.
	Teams []Team
}

// The members of a Dataverse export.
const (
	dvEnvironment sections = 1 << iota
	dvSystemUsers
	dvTeams
	dvSoftDeleted
	dvOwnedRecords

	dvRelations = dvSoftDeleted | dvOwnedRecords
)

var dvNames = []string{"environmentId", "systemusers", "teams", "softDeleted", "ownedRecords"}

const srcDataverse = "dataverse export"

// DecodeDataverseExport reads one environment's Dataverse export from r,
// holding every record: an object holding "environmentId" (required) and
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
// ReadDataverseExport says how it is read.
func DecodeDataverseExport(r io.Reader) (DataverseExport, error) {
	return ReadDataverseExport(r, nil)
}

// ReadDataverseExport reads a Dataverse export from r (see
// DecodeDataverseExport for its shape), streaming. With yield nil it
// returns every record in Records; otherwise it passes each record to
// yield as soon as it is complete, and keeps none. An error from yield
// stops the read and is returned as it is. A record is complete when read
// if "softDeleted" and "ownedRecords" came before "systemusers" (write
// them first, [] and {} when there are none); otherwise records are held
// until both have been read, or to the end of the export.
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
// records it returns or yields pass tenant.Snapshot.Check as one
// environment's.
func ReadDataverseExport(r io.Reader, yield func(provisioning.Record) error) (DataverseExport, error) {
	x := &exportReader{
		d:       newDec(r),
		yield:   yield,
		keys:    newRecordKeys(),
		deleted: map[string]bool{},
		owned:   map[string]int{},
	}
	if err := x.run(); err != nil {
		return DataverseExport{}, err
	}
	return x.out, nil
}

// Records returns an iterator over the records of the Dataverse export r,
// each yielded as soon as it is complete: ReadDataverseExport with a
// yield function, whose description of streaming and of the checks
// applies. At the first error the iterator yields it, with a zero Record,
// and stops.
func Records(r io.Reader) iter.Seq2[provisioning.Record, error] {
	return func(yield func(provisioning.Record, error) bool) {
		_, err := ReadDataverseExport(r, func(rec provisioning.Record) error {
			if !yield(rec, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && err != errStop {
			yield(provisioning.Record{}, err)
		}
	}
}

// heldRecord is a record read and not yet complete.
type heldRecord struct {
	r      provisioning.Record
	at     where
	index  int
	offset int64
}

// exportReader reads one Dataverse export.
type exportReader struct {
	d         *dec
	out       DataverseExport
	yield     func(provisioning.Record) error
	read      sections
	streaming bool
	keys      recordKeys
	count     int // rows read
	held      []heldRecord
	records   chunks[provisioning.Record] // complete records, when yield is nil
	deleted   map[string]bool             // softDeleted systemuserids not yet met
	owned     map[string]int              // ownedRecords not yet met
	teamIDs   map[string]struct{}
}

func (x *exportReader) run() error {
	d := x.d
	top := rec{d: d, at: lone(srcDataverse), index: -1}
	null, err := d.object()
	if err != nil {
		return top.fail("", err)
	}
	if null {
		return &Error{Source: srcDataverse, Index: -1, Offset: 0, Err: explain(ErrMissing, "the export is null")}
	}
	for {
		key, ok, err := d.Key()
		if err != nil {
			return top.fail("", err)
		}
		if !ok {
			break
		}
		name, off := string(key), d.Offset()
		i := slices.Index(dvNames, name)
		if i < 0 {
			return top.bad(name, "", off, explain(ErrUnknown, "not a member of a Dataverse export"))
		}
		sec := sections(1) << i
		if x.read&sec != 0 {
			return top.bad(name, "", off, explain(ErrDuplicate, "member given twice"))
		}
		if err := x.section(sec); err != nil {
			return err
		}
		x.read |= sec
		if !x.streaming && x.read&dvRelations == dvRelations {
			if err := x.flush(); err != nil {
				return err
			}
		}
	}
	if err := finish(d, srcDataverse); err != nil {
		return err
	}
	if x.out.Environment == "" {
		return &Error{Source: srcDataverse, Index: -1, Field: "environmentId", Offset: -1, Err: ErrMissing}
	}
	if err := x.flush(); err != nil {
		return err
	}
	if err := x.leftovers(); err != nil {
		return err
	}
	x.out.Records = x.records.slice()
	return nil
}

// section reads the value of one top-level member.
func (x *exportReader) section(sec sections) error {
	d := x.d
	switch sec {
	case dvEnvironment:
		r := rec{d: d, at: lone(srcDataverse), index: -1, start: d.Offset()}
		id, err := r.ident("environmentId", false)
		if err != nil {
			return err
		}
		if id == "" {
			return r.missing("environmentId")
		}
		x.out.Environment = id
	case dvSystemUsers:
		return pages(d, lone("systemusers"), func(at where) error {
			_, err := readPage(d, at, func(i int, start int64) error {
				r := rec{d: d, at: at, index: i, start: start}
				var out provisioning.Record
				if err := readSystemUser(d, &r, &out); err != nil {
					return err
				}
				if err := x.keys.claimID(&r, out.SystemUserID, x.count); err != nil {
					return err
				}
				x.count++
				h := heldRecord{r: out, at: at, index: i, offset: start}
				if x.streaming {
					return x.complete(&h)
				}
				x.held = append(x.held, h)
				return nil
			})
			return err
		})
	case dvTeams:
		x.teamIDs = map[string]struct{}{}
		return pages(d, lone("teams"), func(at where) error {
			_, err := readTeamsPage(d, at, func(r *rec, t Team) error {
				if _, dup := x.teamIDs[t.ID]; dup {
					return r.bad("teamid", t.ID, r.start, explain(ErrDuplicate, "another team of the export has this ID"))
				}
				x.teamIDs[t.ID] = struct{}{}
				x.out.Teams = append(x.out.Teams, t)
				return nil
			})
			return err
		})
	case dvSoftDeleted:
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
				return nil
			}
			r.index, r.start = i, d.Offset()
			id, err := r.ident("", false)
			if err != nil {
				return err
			}
			switch _, dup := x.deleted[id]; {
			case id == "":
				return r.bad("", "", r.start, explain(ErrMissing, "an empty systemuserid"))
			case dup:
				return r.bad("", id, r.start, explain(ErrDuplicate, "systemuserid listed twice"))
			}
			x.deleted[id] = true
		}
	case dvOwnedRecords:
		r := rec{d: d, at: lone("ownedRecords"), index: -1, start: d.Offset()}
		null, err := d.object()
		if err != nil {
			return r.fail("", err)
		}
		if null {
			return r.bad("", "null", r.start, &typeError{got: "null", want: "an object"})
		}
		for {
			key, ok, err := d.Key()
			if err != nil {
				return r.fail("", err)
			}
			if !ok {
				return nil
			}
			id := string(key)
			r.id = id
			off := d.Offset()
			switch _, dup := x.owned[id]; {
			case id == "":
				return r.bad("", "", off, explain(ErrMissing, "an empty systemuserid"))
			case !ident.Valid(id):
				return r.bad("", id, off, explain(ErrMalformed, "a systemuserid holding control or bidirectional formatting characters"))
			case dup:
				return r.bad("", id, off, explain(ErrDuplicate, "systemuserid listed twice"))
			}
			n, null, ierr := d.integer()
			if ierr != nil {
				return r.fail("", ierr)
			}
			if null || n < 0 || n > 1<<53 {
				return r.bad("", strconv.FormatInt(n, 10), off, explain(ErrMalformed, "want a count of 0 or more"))
			}
			x.owned[id] = int(n)
		}
	}
	return nil
}

// flush completes the held records, in order, and streams from now on.
func (x *exportReader) flush() error {
	x.streaming = true
	for i := range x.held {
		if err := x.complete(&x.held[i]); err != nil {
			return err
		}
		x.held[i] = heldRecord{}
	}
	x.held = nil
	return nil
}

// complete applies the deletion extension to a record, checks it, and
// hands it on.
func (x *exportReader) complete(h *heldRecord) error {
	id := h.r.SystemUserID
	if x.deleted[id] {
		h.r.SoftDeleted = true
		delete(x.deleted, id)
	}
	if n, ok := x.owned[id]; ok {
		h.r.OwnedRecords = n
		delete(x.owned, id)
	}
	if err := validateRecord(&h.r, h.at, h.index, h.offset); err != nil {
		return err
	}
	if err := x.keys.claimKey(&h.r, h.at, h.index, h.offset, x.keys.ids[id]); err != nil {
		return err
	}
	if x.yield != nil {
		return x.yield(h.r)
	}
	x.records.add(h.r)
	return nil
}

// leftovers refuses softDeleted and ownedRecords entries for records the
// export does not hold.
func (x *exportReader) leftovers() error {
	for _, m := range []struct {
		src string
		ids []string
	}{{"softDeleted", sortedKeys(x.deleted)}, {"ownedRecords", sortedKeys(x.owned)}} {
		if len(m.ids) > 0 {
			return &Error{Source: m.src, Index: -1, ID: m.ids[0], Offset: -1,
				Err: explain(ErrUnknown, "no record of the export has this systemuserid")}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

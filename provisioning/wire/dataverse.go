package wire

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// The Dataverse systemusers columns the decoder reads besides the synced
// ones, and the navigation properties that carry security roles.
const (
	colSystemUserID  = "systemuserid"
	colAccessMode    = "accessmode"
	colIsDisabled    = "isdisabled"
	colApplicationID = "applicationid"
	navRoles         = "systemuserroles_association"
	navTeams         = "teammembership_association"
)

// DecodeSystemUsers reads one page of the Dataverse Web API's systemusers,
// as returned by
//
//	GET [org]/api/data/v9.2/systemusers?$select=systemuserid,azureactivedirectoryobjectid,domainname,
//	    accessmode,isdisabled,applicationid,fullname,firstname,lastname,jobtitle,internalemailaddress,
//	    address1_telephone1,mobilephone,address1_line1,address1_city,address1_stateorprovince,
//	    address1_postalcode,address1_country,homephone
//	    &$expand=systemuserroles_association($select=name),
//	    teammembership_association($select=azureactivedirectoryobjectid,teamtype)
//
// into records, with the page's @odata.nextLink. systemuserid, accessmode
// (0 to 5) and isdisabled are required. The synced columns go to
// Record.Fields; every other column with a logical name (not an "@"
// annotation, nor a "_..._value" lookup) to Record.Fields.Custom, which the
// sync never touches. Readings, each failing closed:
//
//   - Dataverse does not say whether the customer edited the primary email,
//     so EmailEdited is set: the sync then never writes it (SYNC-EMAIL);
//   - a record with no azureactivedirectoryobjectid that is neither the
//     support, the delegated-admin nor an application user is a stub
//     (UT-STUB), which the sync never changes or enables.
func DecodeSystemUsers(data []byte) ([]provisioning.Record, string, error) {
	return decodePage(data, "systemuser", readSystemUser)
}

func readSystemUser(i int, raw json.RawMessage) (provisioning.Record, *Error) {
	const source = "systemuser"
	var row map[string]json.RawMessage
	if err := decodeRecord(source, i, raw, &row); err != nil {
		return provisioning.Record{}, err
	}
	id, err := str(row, colSystemUserID)
	if err == nil && id == "" {
		err = ErrMissing
	}
	bad := func(field string, e error) *Error {
		v := ""
		if r, ok := row[field]; ok {
			v = string(r)
		}
		return &Error{Source: source, Index: i, ID: id, Field: field, Value: v, Err: e}
	}
	if err != nil {
		return provisioning.Record{}, bad(colSystemUserID, err)
	}
	var r provisioning.Record
	var mode int64
	if mode, err = integer(row, colAccessMode); err != nil {
		return r, bad(colAccessMode, err)
	}
	if m := usertype.AccessMode(mode); mode < 0 || mode > 255 || !m.IsValid() {
		return r, bad(colAccessMode, ErrValue)
	} else {
		r.Mode = m
	}
	if r.Disabled, err = boolean(row, colIsDisabled); err != nil {
		return r, bad(colIsDisabled, err)
	}
	if r.ApplicationID, err = optionalStr(row, colApplicationID); err != nil {
		return r, bad(colApplicationID, err)
	}
	for name, value := range row {
		switch {
		case name == colSystemUserID || name == colAccessMode || name == colIsDisabled || name == colApplicationID:
		case name == navRoles:
			if r.Roles, err = names(value); err != nil {
				return r, bad(name, err)
			}
		case name == navTeams:
			if r.Teams, err = groupTeams(value); err != nil {
				return r, bad(name, err)
			}
		case strings.Contains(name, "@") || strings.HasPrefix(name, "_"):
			// An annotation or a lookup's value: not a column of the record.
		default:
			var c syncfields.Column
			s, err := optionalStr(row, name)
			if err != nil {
				if c.UnmarshalText([]byte(name)) == nil {
					return r, bad(name, err)
				}
				s = string(value) // a custom column of another type, kept as JSON text
			}
			if c.UnmarshalText([]byte(name)) == nil {
				r.Fields.Columns[c] = s
				continue
			}
			if r.Fields.Custom == nil {
				r.Fields.Custom = map[string]string{}
			}
			r.Fields.Custom[name] = s
		}
	}
	r.ObjectID = r.Fields.Columns[syncfields.ObjectID]
	r.UPN = r.Fields.Columns[syncfields.DomainName]
	r.Fields.EmailEdited = true
	if k, err := r.Kind(); err == nil && r.ObjectID == "" && r.ApplicationID == "" &&
		k != usertype.KindSupport && k != usertype.KindDelegatedAdmin {
		r.Stub = true
	}
	if err := r.Validate(); err != nil {
		return r, &Error{Source: source, Index: i, ID: id, Err: err}
	}
	return r, nil
}

// str reads a required string column (null counts as missing).
func str(row map[string]json.RawMessage, name string) (string, error) {
	raw, ok := row[name]
	if !ok || string(raw) == "null" {
		return "", ErrMissing
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", ErrType
	}
	return s, nil
}

// optionalStr reads a string column that may be absent or null.
func optionalStr(row map[string]json.RawMessage, name string) (string, error) {
	if raw, ok := row[name]; !ok || string(raw) == "null" {
		return "", nil
	}
	return str(row, name)
}

func integer(row map[string]json.RawMessage, name string) (int64, error) {
	raw, ok := row[name]
	if !ok || string(raw) == "null" {
		return 0, ErrMissing
	}
	n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	if err != nil {
		return 0, ErrType
	}
	return n, nil
}

func boolean(row map[string]json.RawMessage, name string) (bool, error) {
	raw, ok := row[name]
	if !ok || string(raw) == "null" {
		return false, ErrMissing
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		return false, ErrType
	}
	return b, nil
}

// named is an entity of an expanded collection, such as a role.
type named struct {
	Name string `json:"name"`
}

func names(raw json.RawMessage) ([]string, error) {
	var list []named
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, ErrType
	}
	var out []string
	for _, n := range list {
		if n.Name == "" {
			return nil, ErrMissing
		}
		if !slices.Contains(out, n.Name) {
			out = append(out, n.Name)
		}
	}
	return out, nil
}

// groupTeams reads the group IDs of the group teams in an expanded
// teammembership_association: the azureactivedirectoryobjectid of every
// team that has one (teams of other types have none).
func groupTeams(raw json.RawMessage) ([]string, error) {
	var teams []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &teams); err != nil {
		return nil, ErrType
	}
	var out []string
	for _, t := range teams {
		if t == nil {
			return nil, ErrMissing
		}
		id, err := optionalStr(t, "azureactivedirectoryobjectid")
		if err != nil {
			return nil, err
		}
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// EncodeSystemUser writes r as a systemusers row, the body of a Dataverse
// Web API create or update: azureactivedirectoryobjectid, domainname,
// accessmode, isdisabled, applicationid (when set) and every non-blank
// synced column. Custom columns are never written, the sync being barred
// from them in both directions (SYNC-CUSTOM); security roles are
// associations, not columns; and a stub, which the sync never writes, is an
// error.
func EncodeSystemUser(r *provisioning.Record) ([]byte, error) {
	if r == nil {
		return nil, &Error{Source: "systemuser", Index: -1, Err: ErrMissing}
	}
	if err := r.Validate(); err != nil {
		return nil, &Error{Source: "systemuser", Index: -1, ID: r.ObjectID, Err: err}
	}
	if r.Stub {
		return nil, &Error{Source: "systemuser", Index: -1, ID: r.UPN, Field: "stub", Value: "true", Err: ErrValue}
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

// export is the file DecodeDataverseExport reads.
type export struct {
	EnvironmentID string `json:"environmentId"`
	SystemUsers   pages  `json:"systemusers"`
}

// DataverseExport is one environment's records, as DecodeDataverseExport
// reads them.
type DataverseExport struct {
	// Environment is the environment ID.
	Environment string
	// Records are its SystemUser records.
	Records []provisioning.Record
}

// DecodeDataverseExport reads one environment's records: an object holding
// "environmentId" and "systemusers", the Web API's response as it came (a
// page, or an array of pages). The README shows how to make one.
func DecodeDataverseExport(r io.Reader) (DataverseExport, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return DataverseExport{}, err
	}
	var e export
	if err := json.Unmarshal(data, &e); err != nil {
		return DataverseExport{}, jsonError("dataverse export", -1, err)
	}
	if e.EnvironmentID == "" {
		return DataverseExport{}, &Error{Source: "dataverse export", Index: -1, Field: "environmentId", Err: ErrMissing}
	}
	records, err := all(e.SystemUsers, DecodeSystemUsers)
	return DataverseExport{Environment: e.EnvironmentID, Records: records}, err
}

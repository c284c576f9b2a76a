// Package load builds a checked tenant.Snapshot from the files a tenant
// gives: the tenant file, this library's own JSON for the environments
// (and, for a small tenant or a test, its users, records and groups); a
// whole-tenant Microsoft Graph export; and one Dataverse export per
// environment, with its records and its teams. It is the one place where
// the three meet, so that a program never pairs a directory with another
// tenant's environments, drops an environment's teams, or reads a
// configuration file loosely.
//
// Everything is read from an io.Reader: the package does no I/O of its
// own. The snapshot it returns passes tenant.Snapshot.Validate; what its
// configuration means for a plan is the health check's to say
// (tenant.Diagnose).
package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/provisionrules/provisionrules/internal/sentinel"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// Source is one input: a name for errors (a file's path, say) and the
// reader of its bytes.
type Source struct {
	// Name names the input in errors.
	Name string
	// Reader reads it; nil means the input is not given.
	Reader io.Reader
}

// Files are the inputs of a snapshot.
type Files struct {
	// Tenant is the tenant file (see TenantFile). Required: it holds the
	// environments, which no export does.
	Tenant Source
	// Directory is a whole-tenant Microsoft Graph export (see package
	// wire). When given, its users replace the tenant file's, and its
	// tenant ID and groups are the snapshot's (an export without "groups"
	// pages gives no list of groups, and the tenant file's stay).
	Directory Source
	// Dataverse are Dataverse exports, one per environment: each one's
	// records replace that environment's records, and its teams rows,
	// when it has any, replace the environment's group teams.
	Dataverse []Source
	// Options are how the directory export is read (its license
	// classifier).
	Options wire.Options
}

// Read reads f into a checked snapshot. It refuses, with an error
// naming the input:
//
//   - a tenant file that TenantFile refuses, or none;
//   - a directory export that package wire refuses, or one of another
//     tenant than the tenant file says it is of ("tenant");
//   - a Dataverse export that package wire refuses, one of an environment
//     the tenant file does not hold, and two exports of one environment;
//   - a team whose row package wire refuses (wire.Directory.GroupTeams);
//   - a snapshot that then fails tenant.Read.Validate.
//
// Without a directory export, group teams read from a Dataverse export
// know no more of their groups than the teams rows say: each is taken for
// an assigned group outside the security group, which lets nobody in at
// access (fail closed); the health check warns about what it could not
// check.
func Read(f Files) (*tenant.Snapshot, error) {
	if f.Tenant.Reader == nil {
		return nil, fmt.Errorf("load: no tenant file: it holds the environments, which no export does (%w)", sentinel.ErrMissing)
	}
	s, err := tenantFile(f.Tenant.Reader)
	if err != nil {
		return nil, fmt.Errorf("load: %s: %-w", f.Tenant.Name, err)
	}
	dir := &wire.Directory{}
	if f.Directory.Reader != nil {
		if dir, err = directory(s, f.Directory, f.Options); err != nil {
			return nil, err
		}
	}
	seen := map[string]string{}
	for _, src := range f.Dataverse {
		if err := dataverse(s, dir, src, seen); err != nil {
			return nil, err
		}
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("load: %s: %-w", f.Tenant.Name, err)
	}
	return s, nil
}

// directory reads the directory export src into s: its users, tenant ID
// and groups.
func directory(s *tenant.Snapshot, src Source, opts wire.Options) (*wire.Directory, error) {
	d, err := wire.ReadDirectory(src.Reader, opts, nil)
	if err != nil {
		return nil, fmt.Errorf("load: %s: %-w", src.Name, err)
	}
	if s.Tenant != "" && !strings.EqualFold(s.Tenant, d.Tenant) {
		return nil, fmt.Errorf("load: %s is an export of tenant %s, but the tenant file is of tenant %s (%w)", src.Name, d.Tenant, s.Tenant, sentinel.ErrContradiction)
	}
	s.Tenant, s.Users = d.Tenant, d.Users
	if len(d.Groups) == 0 {
		// An export without "groups" pages: the health check says what it
		// could not check. (A tenant whose environments have security
		// groups has groups.)
		return d, nil
	}
	s.Groups = make([]tenant.Group, 0, len(d.Groups))
	for i := range d.Groups {
		if g := &d.Groups[i]; g.DeletedDateTime == "" {
			s.Groups = append(s.Groups, tenant.Group{ID: g.ID, Kind: g.Kind()})
		}
	}
	return d, nil
}

// dataverse reads the Dataverse export src into the environment of s it
// is of: its records and its group teams. seen holds the name of the
// export already read for each environment.
func dataverse(s *tenant.Snapshot, dir *wire.Directory, src Source, seen map[string]string) error {
	e, err := wire.ReadDataverseExport(src.Reader, nil)
	if err != nil {
		return fmt.Errorf("load: %s: %-w", src.Name, err)
	}
	k := slices.IndexFunc(s.Environments, func(env provisioning.Environment) bool { return env.ID == e.Environment })
	if k < 0 {
		ids := make([]string, len(s.Environments))
		for i := range s.Environments {
			ids[i] = s.Environments[i].ID
		}
		return fmt.Errorf("load: %s is an export of environment %s, which the tenant file does not hold; it holds %s (%w)", src.Name, e.Environment, strings.Join(ids, ", "), tenant.ErrNoEnvironment)
	}
	if other, ok := seen[e.Environment]; ok {
		return fmt.Errorf("load: %s and %s are both exports of environment %s (%w)", other, src.Name, e.Environment, sentinel.ErrDuplicate)
	}
	seen[e.Environment] = src.Name
	if s.Records == nil {
		s.Records = map[string][]provisioning.Record{}
	}
	s.Records[e.Environment] = e.Records
	if len(e.Teams) > 0 {
		env := &s.Environments[k]
		if env.Teams, err = dir.GroupTeams(e.Teams, env.SecurityGroup); err != nil {
			return fmt.Errorf("load: %s: %-w", src.Name, err)
		}
	}
	return nil
}

// TenantFile reads a tenant file: this library's own JSON of a
// tenant.Snapshot, an object with "environments" and optionally "tenant"
// (the directory's tenant ID), "groups", "users" and "records". It is read
// strictly, as a configuration that decides who keeps access must be: an
// unknown field is refused with its name and the fields allowed there
// (and a field in the wrong case with the right one), a key given twice,
// a required field missing or null, an unknown enum value (with the valid
// ones), text that is not UTF-8, and data after the object are errors
// naming the place, such as users[3].licenses[0].plan. A file saved as
// UTF-16, or with a byte-order mark, is refused with a message saying to
// save it as UTF-8. Every ID is read into its canonical form
// (provisioning.CanonicalID: a GUID in lower case). The snapshot must then
// pass Validate, every problem reported once. It is read by
// tenant.Snapshot.UnmarshalJSON, whose errors are *provisioning.FieldError
// values naming the JSON path.
func TenantFile(r io.Reader) (*tenant.Snapshot, error) {
	s, err := tenantFile(r)
	if err != nil {
		return nil, fmt.Errorf("load: %-w", err)
	}
	return s, nil
}

// tenantFile is TenantFile, its errors without the package's name.
func tenantFile(r io.Reader) (*tenant.Snapshot, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if err := encoding(data); err != nil {
		return nil, err
	}
	var s tenant.Snapshot
	if err := s.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	return &s, nil
}

// encoding refuses data that is not UTF-8 JSON for a reason a person can
// fix by saving the file again: a byte-order mark, or UTF-16.
func encoding(data []byte) error {
	const save = "; save the file as UTF-8 without a byte-order mark"
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return fmt.Errorf("the file is empty: want a JSON object (%w)", sentinel.ErrMissing)
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		return errors.New("the file starts with a UTF-8 byte-order mark" + save)
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}), bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		return errors.New("the file is UTF-16 (it starts with a UTF-16 byte-order mark)" + save)
	case len(data) >= 2 && (data[0] == 0 || data[1] == 0):
		return errors.New("the file looks like UTF-16 (it holds NUL bytes)" + save)
	}
	return nil
}

package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// fuzzDecoder seeds f with the testdata files and a few broken documents,
// and checks that decode never panics and that every error it returns is a
// *wire.Error.
func fuzzDecoder(f *testing.F, decode func([]byte) error, files ...string) {
	for _, name := range files {
		f.Add(read(f, name))
	}
	for _, s := range []string{``, `{}`, `{"value":null}`, `{"value":[null]}`, `{"value":[{}]}`, `[]`, `{"value":[1]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := decode(data); err != nil {
			var we *wire.Error
			if !errors.As(err, &we) {
				t.Fatalf("error %v is not a *wire.Error", err)
			}
		}
	})
}

func FuzzDecodeGraphUsers(f *testing.F) {
	fuzzDecoder(f, func(b []byte) error { _, _, err := wire.DecodeGraphUsers(b); return err }, "users.json", "deleted-users.json")
}

func FuzzDecodeLicenseDetails(f *testing.F) {
	fuzzDecoder(f, func(b []byte) error { _, _, err := wire.DecodeLicenseDetails(b); return err }, "licenseDetails.json")
}

func FuzzDecodeDirectoryObjects(f *testing.F) {
	fuzzDecoder(f, func(b []byte) error { _, _, err := wire.DecodeDirectoryObjects(b); return err }, "memberOf.json", "ownedObjects.json")
}

func FuzzDecodeRoleAssignments(f *testing.F) {
	fuzzDecoder(f, func(b []byte) error { _, _, err := wire.DecodeRoleAssignments(b); return err }, "roleAssignments.json")
}

func FuzzDecodeServicePrincipals(f *testing.F) {
	fuzzDecoder(f, func(b []byte) error { _, _, err := wire.DecodeServicePrincipals(b); return err }, "servicePrincipals.json")
}

// FuzzDecodeSystemUsers also checks that every accepted record validates
// and encodes.
func FuzzDecodeSystemUsers(f *testing.F) {
	fuzzDecoder(f, func(b []byte) error {
		records, _, err := wire.DecodeSystemUsers(b)
		for i := range records {
			if verr := records[i].Validate(); verr != nil {
				return verr // not a *wire.Error: the fuzz check fails
			}
			if !records[i].Stub {
				if _, eerr := wire.EncodeSystemUser(&records[i]); eerr != nil {
					return eerr
				}
			}
		}
		return err
	}, "systemusers.json")
}

// FuzzDecodeDirectory also turns an accepted export into users, which must
// not panic either.
func FuzzDecodeDirectory(f *testing.F) {
	fuzzDecoder(f, func(b []byte) error {
		d, err := wire.DecodeDirectory(bytes.NewReader(b))
		if err != nil {
			return err
		}
		_, err = d.ProvisioningUsers()
		return err
	}, "directory.json")
}

func FuzzDecodeDataverseExport(f *testing.F) {
	fuzzDecoder(f, func(b []byte) error { _, err := wire.DecodeDataverseExport(bytes.NewReader(b)); return err }, "dataverse.json")
}

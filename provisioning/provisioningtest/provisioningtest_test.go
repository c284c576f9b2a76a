package provisioningtest_test

import (
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

// Every generator draws valid values only, with both Configs.
func TestGeneratorsAreValid(t *testing.T) {
	for name, c := range map[string]provisioningtest.Config{"default": {}, "edge cases": provisioningtest.EdgeCases} {
		t.Run(name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				u := c.Users().Draw(t, "user")
				if err := u.Validate(); err != nil {
					t.Fatalf("user: %v", err)
				}
				env := provisioningtest.Environments().Draw(t, "env")
				if err := env.Validate(); err != nil {
					t.Fatalf("environment: %v", err)
				}
				r := c.Records().Draw(t, "record")
				if err := r.Validate(); err != nil {
					t.Fatalf("record: %v", err)
				}
				s := c.Snapshots().Draw(t, "snapshot")
				// The generators draw values, not a tenant's configuration:
				// its health check's findings are accepted.
				found, _ := tenant.Diagnose(&s)
				if _, err := tenant.Plan(&s, provisioning.BackgroundSync, tenant.Options{Accept: found, MaxDisables: tenant.NoDisableLimit}); err != nil {
					t.Fatalf("snapshot: %v", err)
				}
				for _, u := range s.Users {
					if err := u.Validate(); err != nil {
						t.Fatalf("snapshot user: %v", err)
					}
				}
			})
		})
	}
}

// EdgeCases reaches the edge cases it promises, in the first 500 draws
// of each generator (Example draws by a fixed seed: the test is the same
// every run).
func TestEdgeCasesAreReached(t *testing.T) {
	seen := map[string]bool{}
	users, records, envs := provisioningtest.EdgeCases.Users(), provisioningtest.EdgeCases.Records(), provisioningtest.EdgeCases.Environments()
	for i := range 500 {
		u := users.Example(i)
		seen["guest"] = seen["guest"] || u.Guest
		seen["admin"] = seen["admin"] || u.Roles != 0
		seen["owner"] = seen["owner"] || len(u.OwnedGroups) > 0
		seen["nested"] = seen["nested"] || len(u.NestedGroups) > 0
		seen["application"] = seen["application"] || u.ApplicationID != ""
		seen["disabled"] = seen["disabled"] || !u.Enabled || u.Deleted || u.SoftDeleted
		seen["inactive license"] = seen["inactive license"] || slices.ContainsFunc(u.Licenses, func(l provisioning.License) bool { return l.Inactive })
		r := records.Example(i)
		k, _ := r.Kind()
		seen["record "+k.String()] = true
		seen["record in a team"] = seen["record in a team"] || len(r.Teams) > 0
		seen["record soft-deleted"] = seen["record soft-deleted"] || r.SoftDeleted
		seen["environment with teams"] = seen["environment with teams"] || len(envs.Example(i).Teams) > 0
	}
	for _, want := range []string{"guest", "admin", "owner", "nested", "application", "disabled", "inactive license",
		"record non-interactive", "record application", "record support", "record delegated-admin", "record stub",
		"record in a team", "record soft-deleted", "environment with teams"} {
		if !seen[want] {
			t.Errorf("500 draws of EdgeCases never gave %s", want)
		}
	}
}

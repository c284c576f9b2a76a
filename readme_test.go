package provisionrules_test

import (
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/load"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/syncfields"
)

var update = flag.Bool("update", false, "rewrite the generated sections of README.md")

// catalogue is every rule ID of RULES.md, copied by hand from it: the code's
// rule lists must hold exactly these.
var catalogue = []string{
	"UT-REGULAR", "UT-APPLICATION", "UT-NONINTERACTIVE", "UT-NONINTERACTIVE-LIMIT", "UT-SUPPORT", "UT-DELEGATED-ADMIN", "UT-STUB",
	"ENV-DATAVERSE", "ENV-DEVELOPER", "ENV-TRIAL", "ENV-TEAMS", "ENV-NO-GROUP", "DIR-ENABLED",
	"LIC-REQUIRED", "LIC-GUEST-TENANT", "LIC-EXEMPT-ADMIN", "LIC-EXEMPT-APP-PASS", "LIC-EXEMPT-MARKETING", "LIC-EXEMPT-NONINTERACTIVE", "LIC-FREE-M365",
	"SG-MEMBER", "SG-NESTED", "SG-OWNER", "ON-DEMAND-ONLY",
	"MODE-READ-WRITE", "MODE-ADMINISTRATIVE", "MODE-KEEP",
	"LIFE-NEVER-DELETE", "LIFE-DISABLE", "LIFE-ENABLE-ON-ACCESS", "LIFE-ON-DEMAND-KEEP", "LIFE-MATCH", "LIFE-ROLES-NOT-DISABLE", "LIFE-ACCESS-NEEDS-ROLE", "LIFE-ROLE-ON-DISABLED", "LIFE-NOT-SYNCED",
	"GT-TEAM", "GT-MATCH", "GT-JIT-ADD", "GT-SG", "GT-ROLES", "GT-AT-ACCESS", "GT-STALE", "GT-GROUP-DELETED",
	"DEL-DIRECTORY", "DEL-SOFT", "DEL-SOFT-EFFECT", "DEL-PERMANENT",
	"SYNC-ALWAYS", "SYNC-FULLNAME", "SYNC-EMAIL", "SYNC-CUSTOM", "SYNC-FIRSTNAME", "SYNC-ONPREM", "SYNC-IDEMPOTENT", "SYNC-APPLICATION",
	"CHK-TENANT", "CHK-GROUP-EXISTS", "CHK-GROUP-EMPTY", "CHK-TEAM-GROUP", "CHK-TEAM-OUTSIDE", "CHK-RECORDS-FOREIGN", "CHK-NONINTERACTIVE", "CHK-DISABLE-THRESHOLD", "CHK-ROOT-BU",
}

type ruleRow struct{ id, section, summary, where string }

func codeRules() []ruleRow {
	var rows []ruleRow
	for _, r := range provisioning.Rules() {
		info := r.Info()
		rows = append(rows, ruleRow{info.ID, info.Section, info.Summary, info.Where})
	}
	for _, r := range syncfields.Rules() {
		info := r.Info()
		rows = append(rows, ruleRow{info.ID, "Field sync", info.Summary, info.Where})
	}
	for _, r := range tenant.Rules() {
		info := r.Info()
		rows = append(rows, ruleRow{info.ID, "Tenant health", info.Severity.String() + ": " + info.Summary, info.Where})
	}
	return rows
}

func TestCodeRulesMatchCatalogue(t *testing.T) {
	var ids []string
	for _, r := range codeRules() {
		ids = append(ids, r.id)
	}
	if !slices.Equal(ids, catalogue) {
		t.Errorf("the code's rules\n%q\ndiffer from RULES.md's\n%q", ids, catalogue)
	}
}

// TestREADMERuleTable checks the README's rule table against the code's
// rule list; go test -run TestREADMERuleTable -update rewrites it.
func TestREADMERuleTable(t *testing.T) {
	var b strings.Builder
	b.WriteString("| ID | Rule | Implemented in |\n|---|---|---|\n")
	section := ""
	for _, r := range codeRules() {
		if r.section != section {
			section = r.section
			b.WriteString("| **" + section + "** | | |\n")
		}
		b.WriteString("| `" + r.id + "` | " + r.summary + " | " + code(r.where) + " |\n")
	}
	checkSection(t, "rules", b.String())
}

// TestREADMEMappingTables checks the README's field-mapping tables against
// the profiles' rows; -update rewrites them.
func TestREADMEMappingTables(t *testing.T) {
	for _, p := range syncfields.Profiles() {
		var b strings.Builder
		b.WriteString("| user form | SystemUser column | source attribute | policy | rule |\n|---|---|---|---|---|\n")
		for _, r := range p.Rows() {
			policy, source := r.Policy.String(), "`"+r.Source+"`"
			switch {
			case r.Source == "":
				policy, source = policy+", always `"+r.IfBlank+"`", "(none)"
			case r.IfBlank != "":
				policy += ", `" + r.IfBlank + "` when blank (SYNC-FIRSTNAME)"
			}
			b.WriteString("| " + r.Label + " | `" + r.Column.String() + "` | " + source + " | " + policy + " | " + r.Rule.String() + " |\n")
		}
		checkSection(t, "mapping "+p.Name(), b.String())
	}
}

func code(where string) string {
	parts := strings.Split(where, ", ")
	for i, p := range parts {
		parts[i] = "`" + p + "`"
	}
	return strings.Join(parts, ", ")
}

// checkSection compares the README text between the markers
// <!-- begin NAME --> and <!-- end NAME --> with want, or rewrites it.
func checkSection(t *testing.T, name, want string) {
	t.Helper()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	begin, end := "<!-- begin "+name+" -->\n", "<!-- end "+name+" -->"
	text := string(data)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the markers of section %q", name)
	}
	got := text[i+len(begin) : j]
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile("README.md", []byte(text[:i+len(begin)]+want+text[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md section %q is stale; run go test -run %s -update. Want:\n%s", name, t.Name(), want)
}

// TestREADMEQuickStart checks that the README's Quick start is the body of
// Example_quickStart, which go test runs and whose output it checks;
// -update rewrites it.
func TestREADMEQuickStart(t *testing.T) {
	data, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	i := strings.Index(src, "func Example_quickStart() {\n")
	j := strings.Index(src[i:], "\n}\n")
	if i < 0 || j < 0 {
		t.Fatal("example_test.go lacks Example_quickStart")
	}
	var b strings.Builder
	b.WriteString("```go\nimport (\n\t\"fmt\"\n\n\t\"github.com/provisionrules/provisionrules/provisioning\"\n)\n\n")
	for _, line := range strings.Split(src[i+len("func Example_quickStart() {\n"):i+j], "\n") {
		b.WriteString(strings.TrimPrefix(line, "\t"))
		b.WriteString("\n")
	}
	b.WriteString("```\n")
	checkSection(t, "quickstart", b.String())
}

// TestREADMETenantFile checks that the tenant file the README shows reads
// strictly and passes tenant.Snapshot.Validate.
func TestREADMETenantFile(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	_, after, ok := strings.Cut(text, "## The tenant file")
	if !ok {
		t.Fatal("README.md lacks the section The tenant file")
	}
	_, after, ok = strings.Cut(after, "```json\n")
	file, _, ok2 := strings.Cut(after, "```")
	if !ok || !ok2 {
		t.Fatal("the section The tenant file shows no JSON")
	}
	f, err := load.TenantFile(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	if found, err := tenant.Diagnose(f); err != nil || len(found) > 0 {
		t.Errorf("the README's tenant file has findings: %v, %v", found, err)
	}
	if len(f.Users) != 2 || len(f.Environments) != 1 || len(f.Environments[0].Teams) != 1 {
		t.Errorf("the README's tenant file is not the small complete one it says: %+v", f)
	}
}

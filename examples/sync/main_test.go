package main

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"
)

// The mail change shows as kept by SYNC-EMAIL, the display name as kept by
// SYNC-FULLNAME, the title as changed by SYNC-ALWAYS.
func TestOnlineSync(t *testing.T) {
	var out bytes.Buffer
	if err := run(nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	_, again, _ := strings.Cut(out.String(), "Sync again:")
	for _, pattern := range []string{
		`jobtitle\s+Buyer\s+Head Buyer\s+SYNC-ALWAYS`,
		`lastname\s+Silva\s+Silva-Jones\s+SYNC-ALWAYS`,
		`internalemailaddress\s+ana@contoso.com\s+ana.silva-jones@contoso.com\s+SYNC-EMAIL`,
		`fullname\s+Ana Silva\s+Ana Silva-Jones\s+SYNC-FULLNAME`,
		`new_badge\s+B-17\s+.*SYNC-CUSTOM`,
	} {
		if !regexp.MustCompile(pattern).MatchString(again) {
			t.Errorf("output after the change lacks %q:\n%s", pattern, out.String())
		}
	}
}

func TestOnPremisesSyncChangesNothing(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-onprem"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "nothing changed") || !regexp.MustCompile(`lastname\s+Silva\s+Silva-Jones\s+SYNC-ONPREM`).MatchString(out.String()) {
		t.Errorf("on-premises output:\n%s", out.String())
	}
}

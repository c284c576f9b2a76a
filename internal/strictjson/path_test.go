package strictjson_test

import (
	"reflect"
	"testing"

	"github.com/provisionrules/provisionrules/internal/strictjson"
)

type pathEnv struct {
	ID    string   `json:"id"`
	Roles []string `json:"roles,omitempty"`
	Plain string
	Skip  string `json:"-"`
}

type pathDoc struct {
	Envs    []pathEnv            `json:"environments"`
	Records map[string][]pathEnv `json:"records,omitempty"`
	Cols    [3]string            `json:"columns,omitzero"`
	Next    *pathDoc             `json:"next,omitempty"`
}

func TestPathOf(t *testing.T) {
	typ := reflect.TypeFor[pathDoc]()
	for goPath, want := range map[string]string{
		"Envs[3].ID":                  "environments[3].id",
		"Envs[3].Roles[0]":            "environments[3].roles[0]",
		"Records[sales.prod][2].ID":   "records[sales.prod][2].id",
		"Cols[jobtitle]":              "columns[jobtitle]",
		"Next.Next.Envs":              "next.next.environments",
		"Envs[0].Plain":               "environments[0].Plain",
		"Envs[0].Skip":                "environments[0].Skip",
		"Envs[0].Missing.Deeper[1]":   "environments[0].Missing.Deeper[1]",
		"*Doc":                        "*Doc",
		"":                            "",
		"Envs[0][1]":                  "environments[0][1]",
		"Envs[0].ID.Chars":            "environments[0].id.Chars",
		"Records[a][0].Roles[b]":      "records[a][0].roles[b]",
		"Records[unterminated.Envs":   "records[unterminated.Envs",
		"Cols[1].ID":                  "columns[1].ID",
		"Envs[2].ID[0]":               "environments[2].id[0]",
		"Next.Records[x][0].Roles[0]": "next.records[x][0].roles[0]",
	} {
		if got := strictjson.PathOf(typ, goPath); got != want {
			t.Errorf("PathOf(%q) = %q, want %q", goPath, got, want)
		}
	}
	if got := strictjson.PathOf(nil, "Envs[0].ID"); got != "Envs[0].ID" {
		t.Errorf("PathOf(nil) = %q", got)
	}
}

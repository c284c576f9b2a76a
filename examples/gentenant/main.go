// Command gentenant writes a synthetic tenant for scale tests, as
// package tenantgen makes it: the whole-tenant Microsoft Graph export that
// wire.ReadDirectory reads, or the Dataverse export of one environment
// that wire.ReadDataverseExport reads; and, on request, a tenant file of
// the tenant's environments for the other examples' -tenant. The same
// flags write the same bytes; the export is streamed, whatever its size.
// It prints the tenant's ID and its environments' security groups to
// standard error.
//
// Usage:
//
//	go run ./examples/gentenant -users 1000000 > tenant.json
//	go run ./examples/gentenant -users 1000000 -dataverse prod > prod.json
//	go run ./examples/gentenant -users 1000 -relations-first   # users stream when read
//	go run ./examples/gentenant -users 1000 -environments envs.json > tenant.json
//	go run ./examples/plan -tenant envs.json -graph tenant.json   # plan it
package main

import (
	"os"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
	"github.com/provisionrules/provisionrules/examples/internal/gentenant"
)

func main() {
	os.Exit(cli.Main("gentenant", os.Args[1:], os.Stdout, os.Stderr, gentenant.Run))
}

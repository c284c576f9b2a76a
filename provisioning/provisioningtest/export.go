package provisioningtest

import "github.com/provisionrules/provisionrules/provisioning/provisioningtest/tenantgen"

// Export is tenantgen.Export, the writer of synthetic tenants, under the
// name it had in this package before it moved to package tenantgen, which
// a program can import without linking rapid and the testing package. New
// code imports tenantgen; this name stays for the callers written before.
type Export = tenantgen.Export

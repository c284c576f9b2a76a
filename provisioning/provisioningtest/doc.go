// Package provisioningtest provides rapid generators of the inputs of
// package provisioning, for this module's property tests and for other
// modules' own, as net/http/httptest serves tests of HTTP code.
//
// Every generated value is valid by construction: User.Validate and
// Environment.Validate accept it. The generators draw object IDs, tenants
// and groups from small pools, so that the interesting coincidences happen
// often: a user who is a member of the environment's group, a guest whose
// license was assigned in the environment's tenant, the creator of a
// developer environment. A Config weighs each edge case in percent, and
// shrinking goes toward the plain case.
//
// The writer of synthetic tenants for scale tests and benchmarks is
// package tenantgen, which a program can import without linking rapid;
// Export is its old name here.
package provisioningtest

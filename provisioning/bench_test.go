package provisioning_test

import (
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
)

// benchUser holds 3 licenses, 5 groups and 2 admin roles, the shape the
// speed target names.
func benchUser() provisioning.User {
	return provisioning.User{
		ObjectID: "5f1c3a1e-0000-4000-8000-000000000001",
		UPN:      "ana@contoso.com",
		Enabled:  true,
		Licenses: []provisioning.License{
			{Plan: provisioning.PlanOther, Tenant: "contoso"},
			{Plan: provisioning.PlanFreeDataverse, Tenant: "contoso"},
			{Plan: provisioning.PlanDynamics365, Tenant: "contoso"},
		},
		Roles:       provisioning.Dynamics365Admin | provisioning.PowerPlatformAdmin,
		Groups:      []string{"g-hr", "g-finance", "g-it", "g-all", "g-sales"},
		OwnedGroups: []string{"g-it"},
	}
}

func benchEnv() provisioning.Environment {
	return provisioning.Environment{ID: "sales-prod", Tenant: "contoso", Type: provisioning.Production, Dataverse: true, SecurityGroup: "g-sales"}
}

var sinkDecision provisioning.Decision

// The decision of each iteration is kept in a local variable, published to
// the package-level sink once: Evaluate is not inlined, so its work cannot
// be dropped, and the loop does not measure a global write per iteration.

func BenchmarkEvaluate(b *testing.B) {
	u, env := benchUser(), benchEnv()
	b.ReportAllocs()
	var d provisioning.Decision
	for b.Loop() {
		d = provisioning.Evaluate(&u, &env)
	}
	sinkDecision = d
}

func BenchmarkEvaluateRefused(b *testing.B) {
	u, env := benchUser(), benchEnv()
	u.Enabled = false
	u.Roles = 0
	u.Groups = u.Groups[:4]
	u.NestedGroups = []string{"g-sales"}
	b.ReportAllocs()
	var d provisioning.Decision
	for b.Loop() {
		d = provisioning.Evaluate(&u, &env)
	}
	sinkDecision = d
}

func BenchmarkExplain(b *testing.B) {
	d := provisioning.Evaluate(ptr(benchUser()), ptr(benchEnv()))
	b.ReportAllocs()
	for b.Loop() {
		sinkChecks = d.Checks()
	}
}

var sinkChecks []provisioning.Check

func BenchmarkReconcile(b *testing.B) {
	u, env, rec := licensed(), production(), anaRecord()
	u.Attributes[syncfields.City] = "Seattle"
	b.ReportAllocs()
	var r provisioning.Reconciliation
	for b.Loop() {
		r = provisioning.Reconcile(&u, &env, &rec, bg)
	}
	if r.Action.Verb != provisioning.Update {
		b.Fatal(r.Action.Verb)
	}
}

// BenchmarkAppendJSON writes a whole explained decision into a reused
// buffer: the form a stream of explanations uses.
func BenchmarkAppendJSON(b *testing.B) {
	d := provisioning.Evaluate(ptr(benchUser()), ptr(benchEnv()))
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		buf = d.AppendJSON(buf[:0])
	}
	sinkBytes = buf
}

var sinkBytes []byte

// BenchmarkEvaluateWithTeams is Evaluate in an environment with five
// group teams, two of which hold the user.
func BenchmarkEvaluateWithTeams(b *testing.B) {
	u, env := benchUser(), benchEnv()
	for _, g := range []string{"g-hr", "g-finance", "g-ops", "g-all", "g-eng"} {
		env.Teams = append(env.Teams, provisioning.GroupTeam{Group: g, Kind: provisioning.SecurityGroup, Rule: provisioning.Assigned,
			InSecurityGroup: g == "g-all", Roles: []provisioning.TeamRole{{Name: "Role " + g}}})
	}
	b.ReportAllocs()
	var d provisioning.Decision
	for b.Loop() {
		d = provisioning.Evaluate(&u, &env)
	}
	sinkDecision = d
}

var sinkWrite provisioning.Write

// BenchmarkWrite turns a create action into its Dataverse write, as a
// caller applying a plan does for every action that writes.
func BenchmarkWrite(b *testing.B) {
	u, env := benchUser(), benchEnv()
	u.Attributes[syncfields.FirstName], u.Attributes[syncfields.City] = "Ana", "Redmond"
	env.RootBusinessUnit = "7c8d2a10-0000-4000-8000-000000000001"
	a, _ := provisioning.NextAction(&u, &env, nil, provisioning.BackgroundSync)
	if !a.Writes() {
		b.Fatalf("NextAction = %+v, want a write", a)
	}
	b.ReportAllocs()
	var w provisioning.Write
	var err error
	for b.Loop() {
		if w, err = a.Write(&u, &env, nil); err != nil {
			b.Fatal(err)
		}
	}
	sinkWrite = w
}

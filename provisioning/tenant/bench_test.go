package tenant_test

import (
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/syncfields"
)

// planSnapshot has n licensed users in envs production environments (the
// first with security group g-sales, which every user is in), a tenth of
// the users with an existing record in each, one record in twenty without
// a user.
func planSnapshot(n, envs int) tenant.Snapshot {
	s := tenant.Snapshot{Records: map[string][]provisioning.Record{}}
	for e := range envs {
		env := production()
		env.ID = "env-" + strconv.Itoa(e)
		if e > 0 {
			env.SecurityGroup = ""
		}
		s.Environments = append(s.Environments, env)
	}
	s.Users = make([]provisioning.User, n)
	for i := range n {
		u := licensed()
		u.ObjectID = "u-" + strconv.Itoa(i)
		u.UPN = u.ObjectID + "@contoso.com"
		u.Attributes.Set(syncfields.FirstName, "First"+strconv.Itoa(i%100))
		u.Attributes.Set(syncfields.City, "Redmond")
		s.Users[i] = u
		for e := range s.Environments {
			env := &s.Environments[e]
			if i%10 == 0 {
				r := provisioning.Reconcile(&u, env, nil, bg).Record
				r.Fields.Columns.Set(syncfields.City, "Seattle") // one column to update
				s.Records[env.ID] = append(s.Records[env.ID], r)
			}
			if i%20 == 0 {
				s.Records[env.ID] = append(s.Records[env.ID], provisioning.Record{ObjectID: "gone-" + strconv.Itoa(i), UPN: "gone@contoso.com"})
			}
		}
	}
	return s
}

var sinkTotals tenant.Totals

// benchPlan streams the plan of s with the given workers; users/s is the
// figure the README quotes.
func benchPlan(b *testing.B, s *tenant.Snapshot, workers int) {
	b.ReportAllocs()
	var tot tenant.Totals
	opts := lax(s, tenant.Options{Workers: workers})
	for b.Loop() {
		var err error
		if tot, err = tenant.Each(s, bg, opts, func(*tenant.Step) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	sinkTotals = tot
	b.ReportMetric(float64(len(s.Users)*len(s.Environments))*float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
}

// The sizes: 1,000,000 users in one environment and in five, with
// one worker and two.
func BenchmarkPlanMillionOneEnvironment1Worker(b *testing.B) {
	s := planSnapshot(1_000_000, 1)
	benchPlan(b, &s, 1)
}

func BenchmarkPlanMillionOneEnvironment2Workers(b *testing.B) {
	s := planSnapshot(1_000_000, 1)
	benchPlan(b, &s, 2)
}

func BenchmarkPlanMillionFiveEnvironments1Worker(b *testing.B) {
	s := planSnapshot(1_000_000, 5)
	benchPlan(b, &s, 1)
}

func BenchmarkPlanMillionFiveEnvironments2Workers(b *testing.B) {
	s := planSnapshot(1_000_000, 5)
	benchPlan(b, &s, 2)
}

// BenchmarkPlanSpeedup plans 1,000,000 users in one environment with one
// worker and then with two, in turn, in each iteration, and reports the
// mean time of each and their ratio: measured side by side, the ratio does
// not drift with the machine's load as two separate benchmarks' would.
// Run it with -benchtime 10x.
func BenchmarkPlanSpeedup(b *testing.B) {
	s := planSnapshot(1_000_000, 1)
	opts := lax(&s, tenant.Options{})
	var one, two time.Duration
	for b.Loop() {
		for _, w := range []int{1, 2} {
			start := time.Now()
			opts.Workers = w
			if _, err := tenant.Each(&s, bg, opts, func(*tenant.Step) error { return nil }); err != nil {
				b.Fatal(err)
			}
			if w == 1 {
				one += time.Since(start)
			} else {
				two += time.Since(start)
			}
		}
	}
	b.ReportMetric(float64(one.Nanoseconds())/float64(b.N), "1-worker-ns")
	b.ReportMetric(float64(two.Nanoseconds())/float64(b.N), "2-workers-ns")
	b.ReportMetric(float64(one)/float64(two), "speedup")
}

// BenchmarkPlanBatchHundredThousand collects a whole PlanResult, as Plan does.
func BenchmarkPlanBatchHundredThousand(b *testing.B) {
	s := planSnapshot(100_000, 1)
	opts := lax(&s, tenant.Options{Workers: 1})
	b.ReportAllocs()
	var batch tenant.PlanResult
	for b.Loop() {
		batch, _ = tenant.Plan(&s, bg, opts)
	}
	sinkTotals = batch.Totals
}

// BenchmarkWhatIfAgainstPlan answers two what-ifs of an environment of
// 1,000,000 users with records, beside the plan of the same snapshot (a
// PlanResult, one worker), in turn in each iteration, and reports the mean time
// of each and the ratios, measured side by side: assigning a security
// group nobody is in (every user's standing changes) and removing app-pass
// capacity that nobody relies on (nobody's does). Each call starts on a
// collected heap. Run it with -benchtime 3x.
func BenchmarkWhatIfAgainstPlan(b *testing.B) {
	s := planSnapshot(1_000_000, 1)
	opts := lax(&s, tenant.Options{Workers: 1})
	group, off := "g-new", false
	s.Environments[0].AppPass = true
	everyone := tenant.Change{Environment: "env-0", SecurityGroup: &group}
	nobody := tenant.Change{Environment: "env-0", AppPass: &off}
	var plan, all, none time.Duration
	for b.Loop() {
		// Each call starts on a collected heap, so that none pays for the
		// garbage of the one before it.
		runtime.GC()
		start := time.Now()
		batch, err := tenant.Plan(&s, bg, opts)
		if err != nil {
			b.Fatal(err)
		}
		sinkTotals = batch.Totals
		plan += time.Since(start)
		for _, c := range []tenant.Change{everyone, nobody} {
			runtime.GC()
			start = time.Now()
			rep, err := tenant.WhatIf(&s, c, opts)
			if err != nil {
				b.Fatal(err)
			}
			if c.AppPass == nil {
				all += time.Since(start)
				if len(rep.Impacts) != len(s.Users) {
					b.Fatalf("%d impacts, want every user's", len(rep.Impacts))
				}
			} else {
				none += time.Since(start)
				if len(rep.Impacts) != 0 {
					b.Fatalf("%d impacts, want none", len(rep.Impacts))
				}
			}
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(plan.Nanoseconds())/n, "plan-ns")
	b.ReportMetric(float64(all.Nanoseconds())/n, "whatif-all-ns")
	b.ReportMetric(float64(none.Nanoseconds())/n, "whatif-none-ns")
	b.ReportMetric(float64(all)/float64(plan), "all/plan")
	b.ReportMetric(float64(none)/float64(plan), "none/plan")
}

// deltaOf changes the title of n users of s, every n-th, and moves one in
// ten of them out of group g-sales.
func deltaOf(s *tenant.Snapshot, n int) tenant.Delta {
	var d tenant.Delta
	var out []string
	step := len(s.Users) / n
	for i := range n {
		u := &s.Users[i*step]
		var vals syncfields.Values
		vals.Set(syncfields.JobTitle, "Title "+strconv.Itoa(i))
		d.Users = append(d.Users, provisioning.UserChange{ObjectID: u.ObjectID, Columns: syncfields.ColumnSet(0).With(syncfields.JobTitle), Attributes: vals})
		if i%10 == 0 {
			out = append(out, u.ObjectID)
		}
	}
	d.Groups = []provisioning.GroupChange{{Group: "g-sales", MembersRemoved: out}}
	return d
}

var sinkBatch tenant.PlanResult

// BenchmarkIncremental applies a delta of n changed users to the state of
// a 1,000,000-user tenant and plans the affected pairs, beside the full
// plan of the same tenant: the ratio of the two is the speed-up the README
// quotes, and the incremental cost grows with n, not with the tenant.
func BenchmarkIncremental(b *testing.B) {
	s := planSnapshot(1_000_000, 1)
	opts := lax(&s, tenant.Options{Workers: 1})
	st, err := tenant.NewState(&s, opts)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{100, 1_000, 10_000} {
		d := deltaOf(&s, n)
		b.Run("changes="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var batch tenant.PlanResult
			for b.Loop() {
				next, a, err := st.Apply(d)
				if err != nil {
					b.Fatal(err)
				}
				if batch, err = next.PlanChanges(a, bg); err != nil {
					b.Fatal(err)
				}
			}
			sinkBatch = batch
		})
	}
	// The full plan as the incremental one is made: a PlanResult, one worker.
	b.Run("full", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			batch, err := tenant.Plan(&s, bg, opts)
			if err != nil {
				b.Fatal(err)
			}
			sinkBatch = batch
		}
		sinkBatch = tenant.PlanResult{}
	})
}

// BenchmarkIncrementalSpeedup measures, side by side in each iteration,
// one full Plan of a 1,000,000-user tenant (a PlanResult made by one worker, as
// the incremental plan is) and 100 incremental cycles of 1,000 changed users (Apply and
// PlanChanges) on it, and reports the mean of each and their ratio, the
// speed-up the README quotes. Run it with -benchtime 5x.
//
// Neither part is timed with a collection that the other started (see
// the loop); each allocates less than the heap's headroom, so neither
// is timed with a collection at all.
func BenchmarkIncrementalSpeedup(b *testing.B) {
	s := planSnapshot(1_000_000, 1)
	opts := lax(&s, tenant.Options{Workers: 1})
	st, err := tenant.NewState(&s, opts)
	if err != nil {
		b.Fatal(err)
	}
	d := deltaOf(&s, 1_000)
	const cycles = 100
	var full, incremental time.Duration
	for b.Loop() {
		// A collection before each part, untimed, so that neither pays for
		// the other's garbage: in a run of both, the full plan's 124 MB
		// would start collections of the million users' heap that land
		// in the incremental part as often as not.
		runtime.GC()
		start := time.Now()
		batch, err := tenant.Plan(&s, bg, opts)
		if err != nil {
			b.Fatal(err)
		}
		full += time.Since(start)
		sinkBatch, batch = batch, tenant.PlanResult{}
		runtime.GC()
		start = time.Now()
		for range cycles {
			next, a, err := st.Apply(d)
			if err != nil {
				b.Fatal(err)
			}
			sinkBatch, _ = next.PlanChanges(a, bg)
		}
		incremental += time.Since(start)
	}
	b.ReportMetric(float64(full.Nanoseconds())/float64(b.N), "full-ns")
	b.ReportMetric(float64(incremental.Nanoseconds())/float64(b.N*cycles), "incremental-ns")
	b.ReportMetric(float64(full)/float64(incremental)*cycles, "speedup")
}

// BenchmarkPlanPerPair plans 1,000,000 users in five environments (Each,
// one worker, as one worker decides the pairs one after another) and, in
// the same iteration, decides one pair of them a million times with
// CheckedEnvironment.NextAction, the per-pair work with nothing of the
// tenant around it; it reports both per pair and their ratio (issue 19:
// at most 2). Run it with -benchtime 3x.
func BenchmarkPlanPerPair(b *testing.B) {
	s := planSnapshot(1_000_000, 5)
	opts := lax(&s, tenant.Options{Workers: 1})
	pairs := float64(len(s.Users) * len(s.Environments))
	u, env := &s.Users[10], &s.Environments[0]
	var rec *provisioning.Record // u-10's record, with a column to update
	for i := range s.Records[env.ID] {
		if r := &s.Records[env.ID][i]; r.ObjectID == u.ObjectID {
			rec = r
		}
	}
	ce, err := provisioning.CheckEnvironment(env)
	if err != nil {
		b.Fatal(err)
	}
	cu, _ := provisioning.CheckUser(u)
	cr, _ := provisioning.CheckRecord(rec)
	if a, _ := ce.NextAction(cu, cr, bg); a.Verb != provisioning.Update {
		b.Fatalf("the one pair: %v", a.Verb)
	}
	var plan, one time.Duration
	var a provisioning.Action
	for b.Loop() {
		runtime.GC()
		start := time.Now()
		if _, err := tenant.Each(&s, bg, opts, func(*tenant.Step) error { return nil }); err != nil {
			b.Fatal(err)
		}
		plan += time.Since(start)
		start = time.Now()
		for range 1_000_000 {
			a, _ = ce.NextAction(cu, cr, bg)
		}
		one += time.Since(start)
	}
	sinkAction = a
	n := float64(b.N)
	b.ReportMetric(float64(plan.Nanoseconds())/n/pairs, "plan-ns/pair")
	b.ReportMetric(float64(one.Nanoseconds())/n/1e6, "nextaction-ns")
	b.ReportMetric(float64(plan.Nanoseconds())/pairs/(float64(one.Nanoseconds())/1e6), "ratio")
}

var sinkAction provisioning.Action

package main

import (
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/webapi"
)

// writes are the requests of one environment's plan, in the plan's order,
// and the actions whose write cannot be made.
type writes struct {
	// reqs are the requests; jobs[i] says what apply knows of reqs[i].
	reqs []webapi.Request
	jobs []job
	// unwritable are the actions that write but whose request cannot be
	// made, with why.
	unwritable []unwritable
	// totals count the plan's actions by verb.
	totals tenant.Totals
}

// job is one request of the plan as apply sends it.
type job struct {
	key  progressKey
	verb provisioning.Verb
	// attempts is how many times the request was sent in this run.
	attempts int
	// uncertain marks a create that may have been applied without apply
	// seeing the answer (a lost answer, a 5xx): it is looked up by its
	// object ID before it is sent again.
	uncertain bool
}

// unwritable is an action that writes, whose request cannot be made: a
// record without its systemuserid, an environment without its root
// business unit, an ID that cannot stand in a URL.
type unwritable struct {
	user string
	verb provisioning.Verb
	err  error
}

// collect plans s, a snapshot of one environment, under trigger t and
// opts, and makes the request of every action that writes. It refuses
// what tenant.Each refuses (an error finding of the health check not
// accepted, more disables than the threshold, malformed input) before
// making any.
func collect(s *tenant.Snapshot, t provisioning.Trigger, opts tenant.Options) (writes, error) {
	var w writes
	tot, err := tenant.Each(s, t, opts, func(st *tenant.Step) error {
		if !st.Action.Writes() {
			return nil
		}
		write, err := st.Write()
		var req webapi.Request
		if err == nil {
			req, err = webapi.EncodeWrite(write)
		}
		if err != nil {
			w.unwritable = append(w.unwritable, unwritable{user: st.Action.User, verb: st.Action.Verb, err: err})
			return nil
		}
		w.reqs = append(w.reqs, req)
		w.jobs = append(w.jobs, job{
			key:  progressKey{Environment: st.Action.Environment, User: st.Action.User, Verb: st.Action.Verb.String(), Request: requestHash(&req)},
			verb: st.Action.Verb,
		})
		return nil
	})
	w.totals = tot
	return w, err
}

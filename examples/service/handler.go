package main

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

// handler answers the service's requests. It holds no state that a
// request changes: requests are served side by side.
type handler struct {
	// maxBody bounds a request's body, in bytes.
	maxBody int64
	mux     *http.ServeMux
}

// newHandler returns the service's handler, which reads request bodies of
// at most maxBody bytes:
//
//   - POST /evaluate {"user", "environment", "record"?}: the decision
//     (provisioning.Evaluate, or EvaluateRecord with a record), as
//     Decision.MarshalJSON writes it;
//   - POST /reconcile {"user"?, "environment", "record"?, "trigger"}: what
//     the trigger does (provisioning.Reconcile; no user for a record whose
//     user is gone), as Reconciliation.MarshalJSON writes it;
//   - POST /plan {"snapshot", "trigger", "maxDisables"?, "accept"?}: the
//     batch (tenant.Plan, one worker per request), or the findings that
//     stop it.
//
// A request is read strictly (readRequest and the model's UnmarshalJSON):
// a mistake is answered 400 with the error's JSON, a body over maxBody
// 413, another method 405, another path 404. An answer whose input is
// malformed as a whole (a record of another user, say) is 422 with the
// decision or reconciliation that says so, and a plan stopped by its
// health check or its disable threshold 422 with the findings.
func newHandler(maxBody int64) http.Handler {
	h := &handler{maxBody: maxBody, mux: http.NewServeMux()}
	h.mux.HandleFunc("/evaluate", h.post(h.evaluate))
	h.mux.HandleFunc("/reconcile", h.post(h.reconcile))
	h.mux.HandleFunc("/plan", h.post(h.plan))
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusNotFound, errorReply{Error: "no such endpoint: " + r.URL.Path + "; the endpoints are POST /evaluate, /reconcile and /plan"})
	})
	return h.mux
}

// post serves endpoint for the POST method, with its body read whole
// within maxBody.
func (h *handler) post(endpoint func(w http.ResponseWriter, body []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			reply(w, http.StatusMethodNotAllowed, errorReply{Error: r.Method + " is not allowed: send POST with a JSON body"})
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			reply(w, http.StatusRequestEntityTooLarge, errorReply{Error: "the request's body is longer than " + strconv.FormatInt(tooLarge.Limit, 10) + " bytes"})
			return
		case err != nil:
			reply(w, http.StatusBadRequest, errorReply{Error: "reading the request: " + err.Error()})
			return
		}
		endpoint(w, body)
	}
}

func (h *handler) evaluate(w http.ResponseWriter, body []byte) {
	var u provisioning.User
	var env provisioning.Environment
	var rec *provisioning.Record
	if err := readRequest(body, []member{{"user", true, &u}, {"environment", true, &env}, {"record", false, &rec}}); err != nil {
		replyError(w, http.StatusBadRequest, err)
		return
	}
	d := provisioning.EvaluateRecord(&u, &env, rec)
	replyJSON(w, status(d.Err()), d.AppendJSON(nil))
}

func (h *handler) reconcile(w http.ResponseWriter, body []byte) {
	var u *provisioning.User
	var env provisioning.Environment
	var rec *provisioning.Record
	var t provisioning.Trigger
	err := readRequest(body, []member{{"user", false, &u}, {"environment", true, &env}, {"record", false, &rec}, {"trigger", true, &t}})
	if err == nil && u == nil && rec == nil {
		err = &requestError{Member: "user", Err: because(provisioning.ErrMissing, "a user, or the record of a user gone from the directory, is required")}
	}
	if err != nil {
		replyError(w, http.StatusBadRequest, err)
		return
	}
	r := provisioning.Reconcile(u, &env, rec, t)
	data, err := json.Marshal(r)
	if err != nil {
		replyError(w, http.StatusInternalServerError, err)
		return
	}
	replyJSON(w, status(r.Action.Err), data)
}

func (h *handler) plan(w http.ResponseWriter, body []byte) {
	var s tenant.Snapshot
	var t provisioning.Trigger
	var opts tenant.Options
	err := readRequest(body, []member{{"snapshot", true, &s}, {"trigger", true, &t}, {"maxDisables", false, &opts.MaxDisables}, {"accept", false, &opts.Accept}})
	if err != nil {
		replyError(w, http.StatusBadRequest, err)
		return
	}
	// One worker: the server plans requests side by side already.
	b, err := tenant.Plan(&s, t, opts)
	var findings *tenant.FindingsError
	switch {
	case errors.As(err, &findings):
		reply(w, http.StatusUnprocessableEntity, errorReply{Error: err.Error(), Findings: findings.Findings})
		return
	case err != nil:
		replyError(w, http.StatusUnprocessableEntity, err)
		return
	}
	data, err := json.Marshal(b)
	if err != nil {
		replyError(w, http.StatusInternalServerError, err)
		return
	}
	replyJSON(w, http.StatusOK, data)
}

// status is the status of an answer that err, a malformed input's error,
// made: 200, or 422 when there is one.
func status(err error) int {
	if err != nil {
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}

// errorReply is the JSON of an error: its text, the problems it is made
// of (each field refused), and the findings that stopped a plan.
type errorReply struct {
	Error    string           `json:"error"`
	Problems []problem        `json:"problems,omitempty"`
	Findings []tenant.Finding `json:"findings,omitempty"`
}

// problem is one field refused: the input ("request" for the request
// object itself), its key, the JSON path of the field in the request, the
// value found and what is wrong.
type problem struct {
	Input string `json:"input,omitempty"`
	Key   string `json:"key,omitempty"`
	Field string `json:"field,omitempty"`
	Value string `json:"value,omitempty"`
	Error string `json:"error"`
}

// replyError answers err with status: its text, and a problem for each
// *provisioning.FieldError it is or joins.
func replyError(w http.ResponseWriter, status int, err error) {
	out := errorReply{Error: err.Error()}
	for _, e := range unjoin(err) {
		var fe *provisioning.FieldError
		var re *requestError
		switch {
		case errors.As(e, &fe):
			out.Problems = append(out.Problems, problem{Input: fe.Input, Key: fe.Key, Field: fe.Field, Value: fe.Value, Error: fe.Err.Error()})
		case errors.As(e, &re):
			out.Problems = append(out.Problems, problem{Input: "request", Field: re.Member, Error: re.Err.Error()})
		}
	}
	reply(w, status, out)
}

// reply answers v, as JSON, with status.
func reply(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":"the answer cannot be written as JSON"}`)
	}
	replyJSON(w, status, data)
}

// replyJSON answers data, a JSON value, with status.
func replyJSON(w http.ResponseWriter, status int, data []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(data, '\n'))
}

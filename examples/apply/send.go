package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/webapi"
)

// The backoff after a throttled or failed request that gives no
// Retry-After: from baseBackoff, doubling with each attempt, at most
// maxBackoff, of which the second half is random (jitter), so that
// clients that failed together do not retry together.
const (
	baseBackoff = 2 * time.Second
	maxBackoff  = 2 * time.Minute
)

// maxResponse bounds the body of a response apply reads: a batch of 1,000
// answers is well under a megabyte.
const maxResponse = 64 << 20

// boundary is the multipart boundary of every batch: the bodies are JSON
// on one line, which never starts with it (webapi.Batches checks).
const boundary = "batch_provisionrules_apply"

// sender sends one environment's requests to its Dataverse Web API, one
// $batch at a time.
type sender struct {
	sys      *system
	api      string // https://<org>/api/data/v9.2/
	token    string
	size     int // requests per batch
	attempts int // the most times a request is sent
	progress *progress
	errOut   io.Writer

	reqs []webapi.Request
	jobs []job

	stats    stats
	failures []failure
}

// stats count what a run did.
type stats struct {
	batches   int // $batch requests sent
	succeeded int // requests answered with a 2xx
	found     int // creates whose answer was lost, found applied
	retries   int // requests sent again
	lookups   int // creates looked up by object ID
}

// failure is a request that failed for good, with the last answer.
type failure struct {
	index    int
	result   webapi.Response
	attempts int
	// why says more than the answer: apply gave up after the last
	// attempt, or the outcome of a create is unknown.
	why string
}

// errStop is wrapped by the error of a run that stopped before it sent
// every request: interrupted, or refused as a whole by Dataverse.
var errStop = errors.New("stopped")

// send sends the requests of s.reqs named by todo, in batches of s.size,
// and records each that succeeds in the progress file before the next
// batch is sent. A request whose answer is retryable (429, a 5xx but
// 501, not processed, or lost with the connection) is sent again, with
// the next requests, after the wait its Retry-After asks for or a
// backoff; after s.attempts sends it fails. Any other answer fails the
// request for good. send returns an error when it stops early: the
// context is done, Dataverse refuses a $batch request as a whole (a 4xx
// other than 429: the token, say), or its answer cannot be read.
func (s *sender) send(ctx context.Context, todo []int) error {
	queue := slices.Clone(todo)
	opts := webapi.BatchOptions{Boundary: boundary, Size: s.size, ContinueOnError: true}
	var wait time.Duration
	for len(queue) > 0 {
		if wait > 0 {
			if err := s.sys.sleep(ctx, wait); err != nil {
				return fmt.Errorf("%w: %w", errStop, err)
			}
			wait = 0
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%w: %w", errStop, err)
		}
		n := min(s.size, len(queue))
		next, err := s.lookUp(ctx, queue[:n])
		queue = queue[n:]
		if err != nil {
			return err
		}
		if len(next) == 0 {
			continue
		}
		// A create is recorded as sent before it is sent, so that a run
		// after a crash looks it up instead of creating it twice.
		var creates []progressKey
		for _, i := range next {
			if j := &s.jobs[i]; j.verb == provisioning.Create && !s.progress.sent[j.key] {
				creates = append(creates, j.key)
			}
		}
		if err := s.progress.record(stateSent, creates); err != nil {
			return err
		}
		batches, err := webapi.Batches(s.reqs, next, opts)
		if err != nil {
			return err
		}
		b := &batches[0]
		s.stats.batches++
		results, lost, err := s.post(ctx, b)
		if err != nil {
			return err
		}
		var done []progressKey
		var retry []int
		failed := len(s.failures)
		for _, r := range results {
			j := &s.jobs[r.Index]
			j.attempts++
			switch {
			case r.OK():
				done = append(done, j.key)
				s.stats.succeeded++
			case lost || r.Retryable():
				if j.verb == provisioning.Create && (lost || r.Status >= 500) {
					j.uncertain = true
				}
				if j.attempts >= s.attempts {
					why := fmt.Sprintf("gave up after %d attempts", j.attempts)
					if j.uncertain {
						why += "; the create may have been applied: a rerun looks it up first"
					}
					s.fail(r, j, why)
					continue
				}
				retry = append(retry, r.Index)
				wait = max(wait, s.backoff(r, j.attempts))
				s.stats.retries++
			default:
				s.fail(r, j, "")
			}
		}
		if err := s.progress.record(stateDone, done); err != nil {
			return err
		}
		fmt.Fprintf(s.errOut, "apply: batch %d: %d requests, %d succeeded, %d failed, %d to retry; in all %d of %d succeeded, %d failed, %d retried\n",
			s.stats.batches, len(next), len(done), len(s.failures)-failed, len(retry),
			s.stats.succeeded+s.stats.found, len(todo), len(s.failures), s.stats.retries)
		queue = append(retry, queue...)
	}
	return nil
}

// post sends batch b and reads its answer: one result per request. lost
// reports that the connection failed before the answer came, so that the
// outcome of every request is unknown; each result is then Status 0.
func (s *sender) post(ctx context.Context, b *webapi.Batch) (results []webapi.Response, lost bool, err error) {
	status, header, body, err := s.do(ctx, http.MethodPost, "$batch", b.Headers, b.Body)
	if err != nil {
		if ctx.Err() != nil {
			return nil, true, fmt.Errorf("%w: %w; the answer to batch %d was not read: its creates are looked up by the next run", errStop, ctx.Err(), s.stats.batches)
		}
		fmt.Fprintf(s.errOut, "apply: batch %d: no answer (%v): its requests are sent again\n", s.stats.batches, err)
		results = make([]webapi.Response, len(b.Requests))
		for k, i := range b.Requests {
			results[k].Index = i
		}
		return results, true, nil
	}
	results, err = webapi.ReadBatchResponse(b, status, header, body)
	if err != nil {
		return nil, false, fmt.Errorf("%w: batch %d: the answer cannot be read, so its requests may or may not have been applied (a rerun sends the updates again and looks the creates up first): %w", errStop, s.stats.batches, err)
	}
	if ok := status >= 200 && status < 300; !ok && !results[0].Retryable() {
		r := results[0]
		for _, res := range results {
			s.fail(res, &s.jobs[res.Index], "the $batch request was refused as a whole")
		}
		return nil, false, fmt.Errorf("%w: Dataverse refused the $batch request as a whole: %s; nothing more is sent", errStop, describe(r))
	}
	return results, false, nil
}

// fail records request j's failure, answered r.
func (s *sender) fail(r webapi.Response, j *job, why string) {
	s.failures = append(s.failures, failure{index: r.Index, result: r, attempts: j.attempts, why: why})
}

// backoff returns how long to wait before sending again a request answered
// r on its attempt-th send: what its Retry-After asks for, else a backoff
// that doubles with each attempt, capped, half of it random.
func (s *sender) backoff(r webapi.Response, attempt int) time.Duration {
	if d := r.Wait(s.sys.now()); d > 0 {
		return d
	}
	d := maxBackoff
	if attempt < 8 {
		d = min(maxBackoff, baseBackoff<<(attempt-1))
	}
	return d/2 + time.Duration(s.sys.jitter(int64(d/2)+1))
}

// lookUp looks up, among the requests next, each create that may have
// been applied without apply seeing the answer, by its object ID: one
// found is recorded as done ("found"), one not found is sent. A lookup
// that fails fails its request. It returns the requests to send.
func (s *sender) lookUp(ctx context.Context, next []int) ([]int, error) {
	var send []int
	for _, i := range next {
		j := &s.jobs[i]
		if !j.uncertain {
			send = append(send, i)
			continue
		}
		s.stats.lookups++
		q := "systemusers?$select=systemuserid&$filter=" + strings.ReplaceAll(url.QueryEscape("azureactivedirectoryobjectid eq "+s.reqs[i].ObjectID), "+", "%20")
		r, body, err := s.get(ctx, q)
		if err != nil {
			return nil, err
		}
		if !r.OK() {
			s.fail(r, j, "the create may have been applied, and looking it up by its object ID failed")
			continue
		}
		var page struct {
			Value []struct {
				SystemUserID string `json:"systemuserid"`
			} `json:"value"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			s.fail(webapi.Response{Index: i, Status: r.Status, Message: "the lookup's answer is not a page of systemusers: " + err.Error()}, j, "the create may have been applied, and looking it up failed")
			continue
		}
		if len(page.Value) > 0 {
			if err := s.progress.record(stateFound, []progressKey{j.key}); err != nil {
				return nil, err
			}
			s.stats.found++
			fmt.Fprintf(s.errOut, "apply: %s was created by an earlier attempt (systemuserid %s): not sent again\n", j.key.User, page.Value[0].SystemUserID)
			continue
		}
		j.uncertain = false
		send = append(send, i)
	}
	return send, nil
}

// get sends a GET of path under the Web API, again while the answer is
// retryable, up to s.attempts times. It returns the answer as a Result
// (the status, and Dataverse's error), with the body of a 2xx; an error
// when the context is done or no answer came.
func (s *sender) get(ctx context.Context, path string) (webapi.Response, []byte, error) {
	headers := map[string]string{"Accept": "application/json", "OData-MaxVersion": "4.0", "OData-Version": "4.0"}
	for attempt := 1; ; attempt++ {
		var r webapi.Response
		status, header, body, err := s.do(ctx, http.MethodGet, path, headers, nil)
		switch {
		case err != nil && (ctx.Err() != nil || attempt >= s.attempts):
			return r, nil, fmt.Errorf("%w: GET %s: %w", errStop, path, err)
		case err != nil:
		case status >= 200 && status < 300:
			return webapi.Response{Status: status}, body, nil
		default:
			// A failed request's answer has the shape of a $batch request
			// that failed as a whole: a status, Retry-After and a JSON
			// error.
			rs, rerr := webapi.ReadBatchResponse(&webapi.Batch{Requests: []int{0}}, status, header, body)
			if rerr != nil {
				return r, nil, fmt.Errorf("%w: GET %s: %w", errStop, path, rerr)
			}
			r = rs[0]
			if !r.Retryable() || attempt >= s.attempts {
				return r, nil, nil
			}
		}
		if err := s.sys.sleep(ctx, s.backoff(r, attempt)); err != nil {
			return r, nil, fmt.Errorf("%w: %w", errStop, err)
		}
	}
}

// do sends one request to path under the Web API with the bearer token,
// and returns the answer's status, headers and body. The request is not
// cancelled with ctx: an interrupt lets the request in flight finish, so
// that its answer is read and recorded; the client's timeout bounds it.
func (s *sender) do(ctx context.Context, method, path string, headers map[string]string, body []byte) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), method, s.api+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	for name, value := range headers {
		req.Header.Set(name, value)
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := s.sys.client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, data, nil
}

// checkRoot checks, before anything is written, that the environment at
// the URL is the one planned: that bu, the environment's root business
// unit in the tenant file, is a business unit there without a parent. A
// URL of another environment answers 404, since business unit IDs are
// GUIDs. It checks the token too.
func (s *sender) checkRoot(ctx context.Context, env, bu string) error {
	r, body, err := s.get(ctx, "businessunits("+bu+")?$select=businessunitid,_parentbusinessunitid_value")
	switch {
	case err != nil:
		return err
	case r.Status == http.StatusNotFound:
		return fmt.Errorf("the Dataverse at -url has no business unit %s, the root business unit of environment %s in the tenant file: is -url that environment's? Nothing was sent", bu, env)
	case !r.OK():
		return fmt.Errorf("reading the root business unit %s of environment %s: %s; nothing was sent", bu, env, describe(r))
	}
	var row map[string]any
	if err := json.Unmarshal(body, &row); err != nil {
		return fmt.Errorf("reading the root business unit %s of environment %s: %w; nothing was sent", bu, env, err)
	}
	if parent, ok := row["_parentbusinessunitid_value"]; !ok || parent != nil {
		return fmt.Errorf("business unit %s of the Dataverse at -url has a parent (%v): it is not the root business unit the tenant file names for environment %s; nothing was sent", bu, parent, env)
	}
	return nil
}

// describe says what answer r is: its status, Dataverse's error code and
// message.
func describe(r webapi.Response) string {
	text := fmt.Sprint(r.Status)
	if t := http.StatusText(r.Status); t != "" && r.Status != 0 {
		text += " " + t
	}
	if r.Status == 0 {
		text = "no answer"
	}
	if r.Code != "" {
		text += " (" + r.Code + ")"
	}
	if r.Message != "" {
		text += ": " + r.Message
	}
	return text
}

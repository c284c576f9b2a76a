package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provisionrules/provisionrules/examples/internal/readme"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

// With no arguments the service demonstrates itself and exits: every
// sample is answered with the status its description promises, and the
// README shows the answers to mistakes as the program prints them.
func TestDemonstration(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var requests []sample
	if err := json.Unmarshal(samples, &requests); err != nil {
		t.Fatal(err)
	}
	statuses := strings.Count(out.String(), "\n200 OK\n") + strings.Count(out.String(), "\n400 Bad Request\n") +
		strings.Count(out.String(), "\n422 Unprocessable Entity\n") + strings.Count(out.String(), "\n405 Method Not Allowed\n")
	if statuses != len(requests) || !strings.HasSuffix(out.String(), "service: shut down\n") {
		t.Errorf("%d answers of %d requests, or no shutdown:\n%s", statuses, len(requests), out.String())
	}
	for _, want := range []string{
		`"field":"user.licenses[0].plan","value":"gold","error":"unknown license plan \"gold\"; want one of dynamics-365, power-apps-premium, free-dataverse, other"`,
		`"field":"user.attributes[JobTitle]"`,
		`"field":"environment.type","error":"null where a value is required; want one of production, sandbox, trial, developer, teams, default"`,
		`{"column":"jobtitle","label":"Title","old":"Buyer","new":"Head Buyer","rule":"SYNC-ALWAYS"}`,
		`{"rule":"CHK-TENANT","severity":"error"`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demonstration does not say %s", want)
		}
	}
	readme.Check(t, "service-refusals", readme.Lines(out.String(), "POST /evaluate: a license of a plan that is none")+"\n"+
		readme.Lines(out.String(), "POST /evaluate: an environment whose type is null"))
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{{"-max-body", "0"}, {"extra"}, {"-listen"}} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%q) = nil, want a usage error", args)
		}
	}
	if err := run(context.Background(), []string{"-listen", "256.0.0.1:http"}, io.Discard, io.Discard); err == nil {
		t.Error("an address that is none is served")
	}
}

// A shutdown answers the request in flight, then takes no new
// connection, and serve returns without an error.
func TestServeShutsDownGracefully(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	inFlight, release := make(chan struct{}), make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(inFlight)
		<-release
		newHandler(1<<20).ServeHTTP(w, r)
	})
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serve(ctx, ln, slow) }()

	answered := make(chan *http.Response, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/evaluate")
		if err != nil {
			t.Error(err)
		}
		answered <- resp
	}()
	<-inFlight
	stop() // shut down while the request is in flight
	time.Sleep(50 * time.Millisecond)
	close(release)
	if resp := <-answered; resp == nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("the request in flight was answered %v, want 405", resp)
	}
	if err := <-served; err != nil {
		t.Errorf("serve = %v, want nil", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/evaluate"); err == nil {
		t.Error("a request after the shutdown was answered")
	}
}

// call is one request of the load test and what must answer it: the
// status, and the exact body a direct call of the library writes (for a
// decision, a reconciliation or a plan), or the problem the error's JSON
// names first.
type call struct {
	method, path string
	body         []byte
	status       int
	answer       []byte // the whole body, without its final newline; nil for an error
	field        string // the first problem's field, for a 400
	says         string // what the error's text says
}

// maxTestBody bounds the load test's request bodies.
const maxTestBody = 256 << 10

// Under a few thousand concurrent requests from many goroutines, a mix of
// valid and malformed ones, every answer is what a direct call of the
// library answers, byte for byte, or the refusal the library's reader
// gives; no answer is a 5xx. go test -race runs it too.
func TestUnderConcurrentLoad(t *testing.T) {
	const requests, clients = 3000, 32
	// 499 pairs, each in every kind of request (499 and 20 are coprime):
	// drawing costs more than a request under -race.
	pairs := make([]provisioningtest.Pair, 499)
	for i := range pairs {
		pairs[i] = provisioningtest.EdgeCases().Pairs().Example(i)
	}
	calls := make([]call, requests)
	for i := range calls {
		calls[i] = makeCall(t, i, pairs[i%len(pairs)])
	}
	srv := httptest.NewServer(newHandler(maxTestBody))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: time.Minute}
	defer client.CloseIdleConnections()

	start := time.Now()
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	kinds := map[int]int{}
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				status, err := send1(client, srv.URL, &calls[i])
				mu.Lock()
				kinds[status]++
				mu.Unlock()
				if err != nil {
					t.Errorf("request %d (%s %s): %v", i, calls[i].method, calls[i].path, err)
				}
			}
		}()
	}
	for i := range calls {
		next <- i
	}
	close(next)
	wg.Wait()
	t.Logf("%d requests from %d clients in %v; answers by status: %v", requests, clients, time.Since(start).Round(time.Millisecond), kinds)
	for status := range kinds {
		if status >= 500 {
			t.Errorf("%d answers of status %d", kinds[status], status)
		}
	}
	for _, status := range []int{200, 400, 404, 405, 413, 422} {
		if kinds[status] == 0 {
			t.Errorf("no answer of status %d: the mix lacks a case", status)
		}
	}
}

// send1 sends c and checks its answer.
func send1(client *http.Client, base string, c *call) (int, error) {
	req, err := http.NewRequest(c.method, base+c.path, bytes.NewReader(c.body))
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode != c.status {
		return resp.StatusCode, fmt.Errorf("status %d, want %d: %s", resp.StatusCode, c.status, got)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		return resp.StatusCode, fmt.Errorf("Content-Type %q", ct)
	}
	if c.answer != nil {
		if !bytes.Equal(got, append(c.answer, '\n')) {
			return resp.StatusCode, fmt.Errorf("answer\n%s\nwant\n%s", got, c.answer)
		}
		return resp.StatusCode, nil
	}
	var e errorReply
	dec := json.NewDecoder(bytes.NewReader(got))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return resp.StatusCode, fmt.Errorf("the error's JSON %s: %v", got, err)
	}
	if !strings.Contains(e.Error, c.says) || c.field != "" && (len(e.Problems) == 0 || e.Problems[0].Field != c.field) {
		return resp.StatusCode, fmt.Errorf("error %s, want one saying %q whose first problem is of %q", got, c.says, c.field)
	}
	return resp.StatusCode, nil
}

// makeCall makes the i-th request of the load test, of pair p, and what
// must answer it, from a direct call of the library: half of them decisions, three in
// twenty reconciliations, one in twenty a plan of a small tenant, and the
// rest mistakes of every kind, a pair of a record that is not the user's
// among them.
func makeCall(t *testing.T, i int, p provisioningtest.Pair) call {
	t.Helper()
	c := provisioningtest.EdgeCases()
	trigger := provisioningtest.Triggers().Example(i)
	var rec *provisioning.Record
	if i%3 != 0 {
		rec = &p.Record
	}
	body := func(members map[string]any) []byte {
		data, err := json.Marshal(members)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	post := func(path string, data []byte, status int, answer []byte) call {
		return call{method: http.MethodPost, path: path, body: data, status: status, answer: answer}
	}
	refused := func(path string, data []byte, status int, field, says string) call {
		return call{method: http.MethodPost, path: path, body: data, status: status, field: field, says: says}
	}
	switch k := i % 20; {
	case k < 10:
		d := provisioning.EvaluateRecord(&p.User, &p.Environment, rec)
		return post("/evaluate", body(map[string]any{"user": p.User, "environment": p.Environment, "record": rec}), status(d.Err()), d.AppendJSON(nil))
	case k < 13:
		u := &p.User
		if k == 12 { // a record whose user is gone
			u, rec = nil, &p.Record
		}
		r := provisioning.Reconcile(u, &p.Environment, rec, trigger)
		answer, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return post("/reconcile", body(map[string]any{"user": u, "environment": p.Environment, "record": rec, "trigger": trigger}), status(r.Action.Err), answer)
	case k == 13:
		s := provisioningtest.Config{}.Snapshots().Example(i)
		b, err := tenant.Plan(&s, trigger, tenant.Options{})
		if err != nil {
			t.Fatalf("a generated snapshot is not planned: %v", err)
		}
		answer, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		return post("/plan", body(map[string]any{"snapshot": s, "trigger": trigger}), http.StatusOK, answer)
	}
	// A mistake, which the library's reader refuses: the field it names,
	// under the request's member.
	user := asMap(t, p.User)
	env := asMap(t, p.Environment)
	record := asMap(t, p.Record)
	refusal := func(member string, m map[string]any, into json.Unmarshaler) (string, string) {
		err := json.Unmarshal(body(m), into)
		var fe *provisioning.FieldError
		if !errors.As(err, &fe) {
			t.Fatalf("the library reads a mistake: %v", err)
		}
		return member + "." + fe.Field, fe.Err.Error()
	}
	switch i / 20 % 13 {
	case 0:
		user["licenses"] = []map[string]string{{"plan": "gold", "tenant": "contoso"}}
		field, says := refusal("user", user, new(provisioning.User))
		return refused("/evaluate", body(map[string]any{"user": user, "environment": env}), http.StatusBadRequest, field, says)
	case 1:
		user["attributes"] = json.RawMessage(`{"jobtitle":"Buyer","JobTitle":"CEO"}`)
		field, says := refusal("user", user, new(provisioning.User))
		return refused("/evaluate", body(map[string]any{"user": user, "environment": env}), http.StatusBadRequest, field, says)
	case 2:
		delete(record, "accessMode")
		field, says := refusal("record", record, new(provisioning.Record))
		return refused("/evaluate", body(map[string]any{"user": user, "environment": env, "record": record}), http.StatusBadRequest, field, says)
	case 3:
		env["type"] = nil
		field, says := refusal("environment", env, new(provisioning.Environment))
		return refused("/reconcile", body(map[string]any{"user": user, "environment": env, "trigger": trigger}), http.StatusBadRequest, field, says)
	case 4:
		data := bytes.Replace(body(map[string]any{"user": user, "environment": env}), []byte(`"objectId":"`), []byte("\"objectId\":\"\xff"), 1)
		return refused("/evaluate", data, http.StatusBadRequest, "", "not valid UTF-8")
	case 5:
		return refused("/evaluate", body(map[string]any{"user": user, "enviroment": env}), http.StatusBadRequest, "enviroment", `unknown member "enviroment"`)
	case 6:
		return refused("/evaluate", append(body(map[string]any{"user": user, "environment": env}), "{}"...), http.StatusBadRequest, "", "data after the end of the request")
	case 7:
		return refused("/reconcile", body(map[string]any{"user": user, "environment": env, "trigger": "cron"}), http.StatusBadRequest, "trigger", `unknown trigger "cron"`)
	case 8:
		return refused("/plan", bytes.Repeat([]byte(" "), maxTestBody+1), http.StatusRequestEntityTooLarge, "", "longer than 262144 bytes")
	case 9:
		return refused("/evaluate", nil, http.StatusBadRequest, "", "not a JSON object")
	case 10:
		return call{method: http.MethodGet, path: "/evaluate", status: http.StatusMethodNotAllowed, says: "GET is not allowed"}
	case 11:
		// A record well formed on its own that is not the user's: read,
		// and answered 422 with the decision that says so.
		for j := 0; ; j++ {
			m := c.Malformed().Example(i*100 + j)
			if !m.Paired {
				continue
			}
			d := provisioning.EvaluateRecord(&m.User, &m.Environment, &m.Record)
			return post("/evaluate", body(map[string]any{"user": m.User, "environment": m.Environment, "record": m.Record}), http.StatusUnprocessableEntity, d.AppendJSON(nil))
		}
	}
	return refused("/decide", nil, http.StatusNotFound, "", "no such endpoint: /decide")
}

// asMap is v's JSON as a map, for a test to spoil.
func asMap(t *testing.T, v any) map[string]any {
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

package webapi_test

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/webapi"
	"github.com/provisionrules/provisionrules/usertype"
)

// exampleRequests are three writes of a plan: a create and two disables.
func exampleRequests() []webapi.Request {
	var reqs []webapi.Request
	for _, w := range []provisioning.Write{
		{Verb: provisioning.Create, ObjectID: "u-ana", BusinessUnit: "3f2a8c10-5b6d-4e7f-9a01-2b3c4d5e6f70", SetMode: true, Mode: usertype.ReadWrite},
		{Verb: provisioning.Disable, ObjectID: "u-ben", SystemUserID: "9b1d5e2c-0000-4000-8000-000000000002", SetDisabled: true, Disabled: true},
		{Verb: provisioning.Disable, ObjectID: "u-old", SystemUserID: "9b1d5e2c-0000-4000-8000-000000000003", SetDisabled: true, Disabled: true},
	} {
		r, err := webapi.EncodeWrite(w)
		if err != nil {
			panic(err)
		}
		reqs = append(reqs, r)
	}
	return reqs
}

func ExampleBatches() {
	reqs := exampleRequests()[:2]
	batches, err := webapi.Batches(reqs, nil, webapi.BatchOptions{Boundary: "batch_7f3c", ContinueOnError: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	b := batches[0]
	// POST b.Body to [org]/api/data/v9.2/$batch with these headers.
	for _, name := range slices.Sorted(maps.Keys(b.Headers)) {
		fmt.Printf("%s: %s\n", name, b.Headers[name])
	}
	fmt.Println(b.Requests)
	fmt.Print(strings.ReplaceAll(string(b.Body), "\r\n", "\n"))
	// Output:
	// Accept: application/json
	// Content-Type: multipart/mixed;boundary=batch_7f3c
	// If-None-Match: null
	// OData-MaxVersion: 4.0
	// OData-Version: 4.0
	// Prefer: odata.continue-on-error
	// [0 1]
	// --batch_7f3c
	// Content-Type: application/http
	// Content-Transfer-Encoding: binary
	// Content-ID: 1
	//
	// POST /api/data/v9.2/systemusers HTTP/1.1
	// Content-Type: application/json
	//
	// {"accessmode":0,"businessunitid@odata.bind":"/businessunits(3f2a8c10-5b6d-4e7f-9a01-2b3c4d5e6f70)"}
	// --batch_7f3c
	// Content-Type: application/http
	// Content-Transfer-Encoding: binary
	// Content-ID: 2
	//
	// PATCH /api/data/v9.2/systemusers(9b1d5e2c-0000-4000-8000-000000000002) HTTP/1.1
	// Content-Type: application/json
	// If-Match: *
	//
	// {"isdisabled":true}
	// --batch_7f3c--
}

// A caller sends each batch, reads the results, records what succeeded
// (so that a rerun skips it), and sends again only what may succeed, after
// the wait Dataverse asks for.
func ExampleReadBatchResponse() {
	reqs := exampleRequests()
	opts := webapi.BatchOptions{Boundary: "batch_7f3c", ContinueOnError: true}
	batches, _ := webapi.Batches(reqs, nil, opts)

	// What Dataverse might answer to batches[0]: the create done, the
	// first disable throttled, the second's row gone.
	header := http.Header{"Content-Type": {"multipart/mixed; boundary=batchresponse_41"}}
	body := strings.ReplaceAll(`--batchresponse_41
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 1

HTTP/1.1 204 No Content
OData-Version: 4.0
OData-EntityId: https://contoso.crm.dynamics.com/api/data/v9.2/systemusers(5e8f0c1a-0000-4000-8000-000000000001)

--batchresponse_41
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 2

HTTP/1.1 429 Too Many Requests
Retry-After: 20
Content-Type: application/json; odata.metadata=minimal

{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}
--batchresponse_41
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 3

HTTP/1.1 404 Not Found
Content-Type: application/json; odata.metadata=minimal

{"error":{"code":"","message":"systemuser With Id = 9b1d5e2c-0000-4000-8000-000000000003 Does Not Exist"}}
--batchresponse_41--
`, "\n", "\r\n")
	results, err := webapi.ReadBatchResponse(&batches[0], http.StatusOK, header, []byte(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	var done, retry []int
	var wait time.Duration
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC) // the caller's clock
	for _, r := range results {
		switch {
		case r.OK():
			done = append(done, r.Index)
			fmt.Println(reqs[r.Index].ObjectID, "done:", r.EntityID)
		case r.Retryable():
			retry = append(retry, r.Index)
			wait = max(wait, r.Wait(now))
			fmt.Println(reqs[r.Index].ObjectID, "retry:", r.Status, r.Code)
		default:
			fmt.Println(reqs[r.Index].ObjectID, "failed:", r.Status, r.Message)
		}
	}
	fmt.Println("done", done, "retry", retry, "after", wait)
	again, _ := webapi.Batches(reqs, retry, opts)
	fmt.Println(again[0].Requests, strings.Contains(string(again[0].Body), "Content-ID: 2\r\n"))
	// Output:
	// u-ana done: https://contoso.crm.dynamics.com/api/data/v9.2/systemusers(5e8f0c1a-0000-4000-8000-000000000001)
	// u-ben retry: 429 0x80072322
	// u-old failed: 404 systemuser With Id = 9b1d5e2c-0000-4000-8000-000000000003 Does Not Exist
	// done [0] retry [1] after 20s
	// [1] true
}

// AppendWriteBody writes the bodies of many writes into one buffer, here
// one line each, as a program that logs or streams a plan's writes does.
func ExampleAppendWriteBody() {
	env := provisioning.Environment{ID: "sales-prod", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true,
		RootBusinessUnit: "3f2a8c10-5b6d-4e7f-9a01-2b3c4d5e6f70"}
	ana := provisioning.User{ObjectID: "7d2c1f0a", UPN: "ana@contoso.com", Enabled: true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}}
	ben := provisioning.User{ObjectID: "5e9a0b1c", UPN: "ben@contoso.com", Enabled: false}
	benRecord := provisioning.Record{ObjectID: "5e9a0b1c", UPN: "ben@contoso.com", SystemUserID: "9b1d5e2c-0000-4000-8000-000000000002"}

	var buf []byte
	for _, p := range []struct {
		u *provisioning.User
		r *provisioning.Record
	}{{&ana, nil}, {&ben, &benRecord}} {
		a, _ := provisioning.NextAction(p.u, &env, p.r, provisioning.BackgroundSync)
		w, _ := a.Write(p.u, &env, p.r)
		buf = webapi.AppendWriteBody(buf, w)
		buf = append(buf, '\n')
	}
	fmt.Print(string(buf))
	// Output:
	// {"domainname":"ana@contoso.com","firstname":"#","azureactivedirectoryobjectid":"7d2c1f0a","accessmode":0,"businessunitid@odata.bind":"/businessunits(3f2a8c10-5b6d-4e7f-9a01-2b3c4d5e6f70)"}
	// {"isdisabled":true}
}

package webapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/webapi"
)

// benchRequests are n requests of a plan: every fourth a create of a
// profile (benchWrite), the others disables, each of its own row.
// sink keeps a benchmark's result alive.
var sink any

func benchRequests(b *testing.B, n int) []webapi.Request {
	reqs := make([]webapi.Request, n)
	for i := range reqs {
		w := benchWrite()
		if i%4 != 0 {
			w = provisioning.Write{Verb: provisioning.Disable, ObjectID: w.ObjectID, SetDisabled: true, Disabled: true,
				SystemUserID: fmt.Sprintf("9b1d5e2c-0000-4000-8000-%012d", i)}
		}
		var err error
		if reqs[i], err = webapi.EncodeWrite(w); err != nil {
			b.Fatal(err)
		}
	}
	return reqs
}

// BenchmarkBatches encodes 1,000 writes as one $batch body, as independent
// parts and as one change set.
func BenchmarkBatches(b *testing.B) {
	reqs := benchRequests(b, webapi.MaxBatch)
	for _, changeSet := range []bool{false, true} {
		b.Run(fmt.Sprintf("changeset=%v", changeSet), func(b *testing.B) {
			opts := webapi.BatchOptions{Boundary: "batch_80dd1615-2a10-428a-bb6f-0e559792721f", ChangeSet: changeSet}
			b.ReportAllocs()
			var bs []webapi.Batch
			for b.Loop() {
				var err error
				if bs, err = webapi.Batches(reqs, nil, opts); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(len(bs[0].Body)))
			sink = bs
		})
	}
}

// benchResponse is Dataverse's answer to a batch of n writes, each done
// (204 No Content, with the row's OData-EntityId), as independent parts or
// as one change set, with CRLF line ends.
func benchResponse(n int, changeSet bool) string {
	var s strings.Builder
	delim := "batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916"
	if changeSet {
		s.WriteString("--" + delim + "\r\nContent-Type: multipart/mixed; boundary=changesetresponse_64cc3fff\r\n\r\n")
		delim = "changesetresponse_64cc3fff"
	}
	for i := range n {
		fmt.Fprintf(&s, "--%s\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: %d\r\n\r\n"+
			"HTTP/1.1 204 No Content\r\nOData-Version: 4.0\r\n"+
			"OData-EntityId: https://contoso.crm.dynamics.com/api/data/v9.2/systemusers(9b1d5e2c-0000-4000-8000-%012d)\r\n\r\n", delim, i+1, i)
	}
	if changeSet {
		s.WriteString("--" + delim + "--\r\n")
	}
	s.WriteString("--batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916--\r\n")
	return s.String()
}

// BenchmarkReadBatchResponse reads the response to a batch of 1,000
// writes into its results, as independent parts and as one change set.
func BenchmarkReadBatchResponse(b *testing.B) {
	for _, changeSet := range []bool{false, true} {
		b.Run(fmt.Sprintf("changeset=%v", changeSet), func(b *testing.B) {
			batch := batchOf(webapi.MaxBatch, changeSet)
			body := []byte(benchResponse(webapi.MaxBatch, changeSet))
			header := http.Header{"Content-Type": {"multipart/mixed; boundary=batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916"}}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			var results []webapi.Response
			for b.Loop() {
				var err error
				if results, err = webapi.ReadBatchResponse(batch, http.StatusOK, header, body); err != nil {
					b.Fatal(err)
				}
			}
			if len(results) != webapi.MaxBatch || !results[999].OK() {
				b.Fatalf("%d results, the last %+v", len(results), results[len(results)-1])
			}
			sink = results
		})
	}
}

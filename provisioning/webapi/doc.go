// Package webapi writes the Dataverse Web API requests that apply a plan,
// one by one or in $batch requests, and reads their answers.
//
// [EncodeWrite] turns a provisioning.Write into the Dataverse Web API
// [Request] that applies it, always addressed and never an upsert: a
// create is a POST to systemusers that binds the environment's root
// business unit ("businessunitid@odata.bind": "/businessunits(<id>)");
// an update, enable or disable is a PATCH to systemusers(<systemuserid>)
// with "If-Match: *", so that Dataverse answers 404 Not Found for a row
// that is gone instead of creating it. A write without its row or its
// business unit is an error, never a request without an address.
// json.Marshal gives a request's JSON form, its body a JSON value.
//
// [Batches] puts requests into Dataverse $batch bodies of at most
// [MaxBatch] (1,000) requests, each part with a Content-ID, optionally as
// one change set (all or nothing), with the headers the caller sends
// ([Batch]). [ReadBatchResponse] reads the response into one [Response] per
// request: its status, Dataverse's error code and message, Retry-After,
// and whether a failed change set rolled it back. The package sends
// nothing; the caller does, and decides with [Response.OK],
// [Response.Retryable] and [Response.Wait]:
//
//   - 2xx: done; record the request's index, so that a rerun skips it;
//   - 429 Too Many Requests (a service protection limit): wait as long as
//     Retry-After says, then send again;
//   - 5xx but 501: send again after a growing backoff (a create may have
//     been applied all the same: look the row up before creating again);
//   - status 0, not processed after an earlier failure of its batch: send
//     again;
//   - any other 4xx: never send again as it is; plan again.
//
// Errors are *wire.Error values naming the request (its index), the part
// of a response, the field or header, and the byte offset in the body.
package webapi

//go:build race

package provisioning_test

// walkUserStride is the share of the directory users the lifecycle walk
// takes with the operations that read them: under the race detector,
// which makes the walk about five times as slow, every third user, so that
// go test -race stays within the CI budget. Every environment, record and
// operation is still walked, in parallel, which is what the detector
// watches; the plain run walks every user.
const walkUserStride = 3

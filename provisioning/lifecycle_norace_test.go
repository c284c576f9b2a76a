//go:build !race

package provisioning_test

// walkUserStride is the share of the directory users the lifecycle walk
// takes with the operations that read them: every one (see
// lifecycle_race_test.go for the race detector's share).
const walkUserStride = 1

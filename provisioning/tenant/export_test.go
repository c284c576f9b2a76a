package tenant

// SetChunkUsers sets how many users one planning task holds, so that tests
// can split small snapshots into many tasks, and returns a function that
// restores it.
func SetChunkUsers(n int) (restore func()) {
	old := chunkUsers
	chunkUsers = n
	return func() { chunkUsers = old }
}

//go:build !unix

package transfer

// Without mmap, chunk buffers stay in the Go heap.
func mapMemory(int) ([]byte, bool) { return nil, false }

func unmapMemory([]byte) {}

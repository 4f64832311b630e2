//go:build unix

package transfer

import "syscall"

// mapMemory maps size bytes of private anonymous memory, outside the Go
// heap; ok is false when the system refuses (the caller falls back to the
// heap).
func mapMemory(size int) ([]byte, bool) {
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	return b, err == nil
}

func unmapMemory(b []byte) {
	if err := syscall.Munmap(b); err != nil {
		panic("transfer: unmapping a chunk buffer: " + err.Error())
	}
}

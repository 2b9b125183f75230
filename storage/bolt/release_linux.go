//go:build linux

package bolt

import "syscall"

const releaseSupported = true

// releasePages drops the pages of [data, data+size) of a shared read-only
// file mapping from the process's resident memory (MADV_DONTNEED): the
// next read of one faults it in again from the page cache, as it is.
func releasePages(data uintptr, size int64) {
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, data, uintptr(size), syscall.MADV_DONTNEED)
}

//go:build windows

package bolt

import "golang.org/x/sys/windows"

const releaseSupported = true

// releasePages removes the pages of [data, data+size) of the file's mapped
// view from the process's working set: VirtualUnlock on pages that are not
// locked does that (and reports that they were not locked). They stay in
// the system's file cache.
func releasePages(data uintptr, size int64) {
	_ = windows.VirtualUnlock(data, uintptr(size))
}

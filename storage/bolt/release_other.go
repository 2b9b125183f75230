//go:build !linux && !windows

package bolt

// Elsewhere (macOS) the system takes back a mapped file's pages when it
// needs memory; nothing is asked of it.
const releaseSupported = false

func releasePages(data uintptr, size int64) {}

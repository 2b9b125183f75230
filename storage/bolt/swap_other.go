//go:build !windows

package bolt

// swapReleasesLock is whether a restore lets go of the register's lock
// before renaming the restored file over it. Elsewhere than Windows a
// file can be renamed over while open, so the lock is held through the
// swap.
const swapReleasesLock = false

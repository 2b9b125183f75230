//go:build windows

package bolt

// swapReleasesLock is whether a restore lets go of the register's lock
// before renaming the restored file over it. Windows refuses to rename
// over a file that is open, so the lock is let go just before the swap;
// a process that opens the register in that moment makes the rename fail,
// and the restore says so, rather than lose its save.
const swapReleasesLock = true

package storage

// DefaultPathFor exposes the pure per-OS rule behind DefaultPath to the
// external tests, so every OS's location is tested on any machine.
var DefaultPathFor = defaultPathFor

// Unpacked gives a plain register file for a backup (a temporary unpacked
// copy for a compressed one, removed by done), for the tests that open
// backups with bbolt.
var Unpacked = unpacked

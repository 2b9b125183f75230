package bolt

// Unpacked gives a plain register file for a backup (a temporary unpacked
// copy for a compressed one, removed by done), for the tests that open
// backups with bbolt.
var Unpacked = unpacked

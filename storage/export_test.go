package storage

// DefaultPathFor exposes the pure per-OS rule behind DefaultPath to the
// external tests, so every OS's location is tested on any machine.
var DefaultPathFor = defaultPathFor

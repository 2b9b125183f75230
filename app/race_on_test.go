//go:build race

package app

// raceEnabled is true under -race, which makes typing tests several times
// slower: they then type less, so that the suite keeps within its time.
const raceEnabled = true

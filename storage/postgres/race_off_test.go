//go:build !race

package postgres_test

// raceEnabled is true under -race (see race_on_test.go).
const raceEnabled = false

//go:build race

package postgres_test

// raceEnabled is true under -race, which makes the client side of the
// concurrency test several times slower (see TestConcurrentClients).
const raceEnabled = true

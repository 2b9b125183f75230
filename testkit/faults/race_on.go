//go:build linux && race

package faults

// raceFactor widens the time and memory bounds under the race detector.
const raceFactor = 8

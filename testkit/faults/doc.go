// Package faults is the fault campaign; see faults.go (Linux only).
package faults

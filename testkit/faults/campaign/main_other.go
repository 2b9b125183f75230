//go:build !linux

// Command campaign runs the fault campaign, which needs Linux (signals,
// small filesystems, resource usage of child processes).
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "the fault campaign runs on Linux only")
	os.Exit(1)
}

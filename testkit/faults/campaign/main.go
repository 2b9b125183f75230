//go:build linux

// Command campaign runs the fault campaign ("make faults") and prints its
// table: for each kind of fault, how many trials, how many were reported
// in words, how many went unnoticed, how many lost acknowledged changes,
// and how many panicked or showed an internal message.
package main

import (
	"flag"
	"fmt"
	"os"

	"improvementtracker/cli"
	"improvementtracker/testkit/faults"
)

func main() {
	if mode := os.Getenv(faults.ChildEnv); mode != "" {
		os.Exit(faults.Child(mode, os.Args[1:], runCommand))
	}
	trials := flag.Int("trials", 100, "trials for the kill, flip and truncation faults")
	seed := flag.Uint64("seed", 11, "random seed, so that a campaign can be repeated")
	keep := flag.Bool("keep", false, "keep the scratch folder")
	flag.Parse()
	dir, err := os.MkdirTemp("", "faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	rows, err := faults.Run(faults.Config{Trials: *trials, Dir: dir, Seed: *seed, Log: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	faults.Print(os.Stdout, rows)
}

// runCommand is the app's command line, for the children that run it.
func runCommand(args []string) int {
	return cli.Run(args, &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
}

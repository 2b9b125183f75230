//go:build linux

package faults

import (
	"bytes"
	"os"
	"testing"

	"improvementtracker/cli"
)

// TestMain lets the test binary act as the campaign's child process.
func TestMain(m *testing.M) {
	if mode := os.Getenv(ChildEnv); mode != "" {
		os.Exit(Child(mode, os.Args[1:], runCommand))
	}
	os.Exit(m.Run())
}

// TestShortCampaign is "make faults" with a few trials of each fault and
// smaller bombs (still twice what a return may unpack to): every damaged
// file is reported in words, nothing acknowledged is lost, and nothing
// panics or shows an internal message.
func TestShortCampaign(t *testing.T) {
	if testing.Short() {
		t.Skip("the fault campaign runs child processes")
	}
	rows, err := Run(Config{Trials: 3, Dir: t.TempDir(), Seed: 7, BombSize: 128 << 20, NoMounts: true, Quick: true})
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	Print(&table, rows)
	t.Logf("\n%s", table.String())
	for _, r := range rows {
		if r.Panics > 0 || r.Internal > 0 || r.Lost > 0 || r.Undetected > 0 {
			t.Errorf("%s: %d undetected, %d lost, %d panics, %d with internal text: %s", r.Fault, r.Undetected, r.Lost, r.Panics, r.Internal, r.Note)
		}
		switch r.Fault {
		case "SIGKILL during writes":
			if r.Trials != 3 || r.Detected != 0 {
				t.Errorf("%s: %d trials, %d with problems reported after a kill", r.Fault, r.Trials, r.Detected)
			}
		case "disk full", "read-only filesystem", "new registers on a full disk":
		default:
			if r.Trials == 0 || r.Detected != r.Trials {
				t.Errorf("%s: %d of %d detected", r.Fault, r.Detected, r.Trials)
			}
		}
	}
}

// runCommand is the app's command line, for the children that run it.
func runCommand(args []string) int {
	return cli.Run(args, &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
}

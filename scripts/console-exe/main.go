// Command console-exe writes the console build of the Windows program: the
// same file as the window build but for its subsystem, so that a command
// prompt waits for it, shows its output and gets its exit code. "make
// dist-windows" runs it:
//
//	go run ./scripts/console-exe dist/improvement-tracker.exe dist/improvement-tracker-cli.exe
package main

import (
	"debug/pe"
	"fmt"
	"os"

	"improvementtracker/testkit/winexe"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: console-exe WINDOW.exe CONSOLE.exe")
		os.Exit(2)
	}
	if err := winexe.SetSubsystem(os.Args[1], os.Args[2], pe.IMAGE_SUBSYSTEM_WINDOWS_CUI); err != nil {
		fmt.Fprintln(os.Stderr, "console-exe:", err)
		os.Exit(1)
	}
}

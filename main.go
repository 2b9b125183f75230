// Command improvement-tracker is the desktop register of inspection findings
// for UK police forces. With no arguments it opens the window; with a
// subcommand ("list", "sample", "import report", …) it runs from the
// command line.
package main

import (
	"os"

	"improvementtracker/cli"
	"improvementtracker/internal/console"
	"improvementtracker/internal/locale"
)

func main() {
	if cli.HasCommand(os.Args[1:]) {
		// The Windows window build has no console of its own: borrow the
		// prompt's, so that commands typed there print there.
		console.AttachParent()
		locale.Restore()
		os.Exit(cli.Run(os.Args[1:], &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Version: appInfo()}))
	}
	runGUI(os.Args[1:])
}

package cli

import (
	"errors"
	"fmt"

	"improvementtracker/internal/version"
)

func init() {
	register(&Command{
		Name:  "version",
		Usage: "version",
		Short: "Print the version, and the platform the program was built for",
		Run:   runVersion,
	})
}

// runVersion prints the identity a support request needs: the version and
// build from FyneApp.toml, then the Go release and platform.
func runVersion(env *Env) error {
	c := commands["version"]
	fs := newFlags(env, c)
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("version takes no arguments, got %q", args[0])
	}
	if env.Version.Name == "" {
		// Only a program that forgot to pass its FyneApp.toml gets here.
		return errors.New("the version is not known: this build did not embed FyneApp.toml")
	}
	fmt.Fprintln(env.Stdout, env.Version)
	fmt.Fprintln(env.Stdout, version.Platform())
	return nil
}

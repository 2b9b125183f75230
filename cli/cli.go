// Package cli is the command line of Improvement Tracker: the same binary as
// the desktop app, run with a subcommand ("improvement-tracker list --db
// register.db"). Each group of subcommands lives in its own file and
// registers itself here.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"improvementtracker/internal/version"
)

// Env is what a command runs with: its arguments (after the subcommand
// name), its output streams, and its environment, so tests run commands
// in-process without touching the real terminal.
type Env struct {
	Args   []string
	Stdout io.Writer
	Stderr io.Writer
	Stdin  io.Reader
	// Getenv reads the environment; os.Getenv in the real binary.
	Getenv func(string) string
	// Version is the program's identity from FyneApp.toml, which only the
	// root package can embed.
	Version version.Info
}

// Command is one subcommand.
type Command struct {
	Name  string // "list", or "import report" for a two-word command
	Usage string // "list [--db PATH] [--format table|csv]"
	Short string // one line for the command list
	Run   func(env *Env) error
}

// commands is filled by the init functions of this package's files. It is the
// one piece of package state: a fixed table, written before main runs and
// only read afterwards.
var commands = map[string]*Command{}

func register(c *Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// ErrUsage marks a mistake in how a command was called; its message is
// followed by the command's usage.
var ErrUsage = errors.New("usage")

// usageError wraps a message about the command line as ErrUsage.
func usageError(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrUsage, fmt.Sprintf(format, a...))
}

// HasCommand reports whether args name a subcommand (or ask for help), so
// main knows to run the command line instead of the window.
func HasCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "help", "-h", "--help", "-help":
		return true
	}
	_, _, ok := lookup(args)
	return ok || !strings.HasPrefix(args[0], "-")
}

func lookup(args []string) (*Command, []string, bool) {
	if len(args) >= 2 {
		if c, ok := commands[args[0]+" "+args[1]]; ok {
			return c, args[2:], true
		}
	}
	if len(args) >= 1 {
		if c, ok := commands[args[0]]; ok {
			return c, args[1:], true
		}
	}
	return nil, nil, false
}

// Run runs the subcommand named by args[0] (and args[1] for two-word
// commands) and returns the process exit code: 0 on success, 1 on failure,
// 2 for a mistake in the command line. Messages go to env.Stderr.
func Run(args []string, env *Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Stdin == nil {
		env.Stdin = os.Stdin
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			if c, _, ok := lookup(args[1:]); ok {
				fmt.Fprintf(env.Stdout, "Usage: improvement-tracker %s\n\n%s\n", c.Usage, c.Short)
				return 0
			}
		}
		printHelp(env.Stdout)
		return 0
	}
	c, rest, ok := lookup(args)
	if !ok {
		fmt.Fprintf(env.Stderr, "improvement-tracker: %q is not a command.\n\n", strings.Join(args[:min(2, len(args))], " "))
		printHelp(env.Stderr)
		return 2
	}
	env.Args = rest
	if err := c.Run(env); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(env.Stderr, "improvement-tracker %s: %s\n", c.Name, strings.TrimPrefix(err.Error(), "usage: "))
		if errors.Is(err, ErrUsage) {
			fmt.Fprintf(env.Stderr, "Usage: improvement-tracker %s\n", c.Usage)
			return 2
		}
		return 1
	}
	return 0
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "Improvement Tracker: the register of inspection findings and their progress.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "With no command it opens the desktop app. Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-16s %s\n", n, commands[n].Short)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'improvement-tracker COMMAND --help' for a command's options.")
	fmt.Fprintln(w, "Every command takes --db PATH; without it the register is found from IMPROVEMENT_TRACKER_DB, then the default location.")
}

// newFlags returns a flag set for a command that prints its usage and
// options on --help and reports mistakes as usage errors rather than
// exiting.
func newFlags(env *Env, c *Command) *flag.FlagSet {
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	fs.SetOutput(env.Stdout)
	fs.Usage = func() {
		fmt.Fprintf(env.Stdout, "Usage: improvement-tracker %s\n\n%s\n\nOptions:\n", c.Usage, c.Short)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, allowing flags after positional arguments
// ("restore FILE --db PATH"), and turns mistakes into usage errors.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError("%s", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

package cli

import (
	"context"
	"fmt"

	"improvementtracker/storage/postgres"
)

func init() {
	register(&Command{
		Name:  "server init",
		Usage: "server init --db postgres://USER@HOST/DATABASE",
		Short: "Set up a shared register on a PostgreSQL server, or upgrade its layout (for the force's IT)",
		Run:   runServerInit,
	})
}

// runServerInit makes the register's tables in a database the force's IT
// has created, or brings an older layout up to date; one made by a newer
// version of the app is left as it is.
func runServerInit(env *Env) error {
	fs := newFlags(env, commands["server init"])
	db := dbFlag(fs)
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("server init takes no arguments, got %q", args[0])
	}
	loc, isURL, err := locate(env, *db)
	if err != nil {
		return err
	}
	if !isURL {
		return usageError("server init sets up a shared register on a PostgreSQL server: give the database's address with --db postgres://USER@HOST/DATABASE (a register file needs no setting up)")
	}
	res, err := postgres.Init(context.Background(), loc, postgres.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %s.\n", postgres.Redact(loc), res)
	return nil
}

package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"improvementtracker/storage"
	"improvementtracker/storage/postgres"
)

func init() {
	register(&Command{
		Name:  "server init",
		Usage: "server init --db postgres://USER@HOST/DATABASE",
		Short: "Set up a shared register on a PostgreSQL server, or upgrade its layout (for the force's IT)",
		Run:   runServerInit,
	})
	register(&Command{
		Name:  "server grant",
		Usage: "server grant --db postgres://USER@HOST/DATABASE --login NAME --role improvement-lead|delivery-lead|viewer [--person \"Full Name\"] | --login NAME --revoke",
		Short: "Give a PostgreSQL login a role in a shared register and tie it to a person, or take the role away (for the force's IT)",
		Run:   runServerGrant,
	})
	register(&Command{
		Name:  "server logins",
		Usage: "server logins --db postgres://USER@HOST/DATABASE",
		Short: "List the logins with a role in a shared register (for the force's IT)",
		Run:   runServerLogins,
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
	loc, url, err := serverURL(env, *db, "server init")
	if err != nil {
		return err
	}
	res, err := postgres.Init(context.Background(), url, postgres.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %s.\n", loc, res)
	return nil
}

// serverURL reads --db for the server commands, which work on a shared
// register only: the location, to show, and the address with its password.
func serverURL(env *Env, db, command string) (loc storage.Location, url string, err error) {
	loc, err = storage.Locate(db, env.Getenv)
	if err != nil {
		return loc, "", err
	}
	url, err = loc.AddressFor(command)
	if err != nil {
		return loc, "", usageError("%s", err)
	}
	return loc, url, nil
}

// runServerGrant gives a login a role (again, to change it), or takes it
// away with --revoke. The database then holds the login to the role,
// whatever program it connects with.
func runServerGrant(env *Env) error {
	fs := newFlags(env, commands["server grant"])
	db := dbFlag(fs)
	login := fs.String("login", "", "the PostgreSQL login (made first by the force's IT with CREATE ROLE NAME LOGIN)")
	role := fs.String("role", "", "improvement-lead (does everything), delivery-lead (adds updates, milestones and evidence to the findings they lead) or viewer (reads)")
	person := fs.String("person", "", "the person in the register the login is, by name (or email address); a delivery lead needs one")
	revoke := fs.Bool("revoke", false, "take the login's role away instead")
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("server grant takes no arguments, got %q", args[0])
	}
	name := strings.TrimSpace(*login)
	if name == "" {
		return usageError("give the login with --login NAME")
	}
	loc, url, err := serverURL(env, *db, "server grant")
	if err != nil {
		return err
	}
	if *revoke {
		if *role != "" || *person != "" {
			return usageError("--revoke takes the login's role away: give it with --login alone")
		}
		was, err := postgres.Revoke(context.Background(), url, postgres.Options{}, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: the login %q is no longer %s; it can no longer open the register.\n", loc, name, was.Words())
		return nil
	}
	if *role == "" {
		return usageError("give the role with --role improvement-lead, delivery-lead or viewer (or --revoke to take it away)")
	}
	r, err := postgres.ParseRole(*role)
	if err != nil {
		return usageError("%s", err)
	}
	res, err := postgres.Grant(context.Background(), url, postgres.Options{}, name, r, *person)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %s.\n", loc, res)
	return nil
}

// runServerLogins lists who has which role.
func runServerLogins(env *Env) error {
	fs := newFlags(env, commands["server logins"])
	db := dbFlag(fs)
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("server logins takes no arguments, got %q", args[0])
	}
	loc, url, err := serverURL(env, *db, "server logins")
	if err != nil {
		return err
	}
	logins, err := postgres.Logins(context.Background(), url, postgres.Options{})
	if err != nil {
		return err
	}
	if len(logins) == 0 {
		fmt.Fprintf(env.Stdout, "%s: no login has a role yet; give one with \"improvement-tracker server grant\".\n", loc)
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Login\tRole\tPerson")
	for _, l := range logins {
		p := l.Person
		switch {
		case p == "" && l.Role == postgres.RoleViewer:
			p = "(none: a viewer changes nothing)"
		case p == "":
			p = "(none: changes are named by the login)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", l.Login, l.Role, p)
	}
	return tw.Flush()
}

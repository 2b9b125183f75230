package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
)

// GrantResult says what Grant did.
type GrantResult struct {
	Login string
	Role  Role
	// Was is the login's role before, "" for none.
	Was Role
	// Person is the person the login is tied to, zero for none.
	Person model.Person
}

// String says it in words.
func (r GrantResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the login %q is now %s", r.Login, r.Role.Words())
	switch {
	case r.Was == r.Role:
		b.WriteString(" (as it was)")
	case r.Was != "":
		fmt.Fprintf(&b, " (it was %s)", r.Was.Words())
	}
	switch {
	case r.Role == RoleViewer && r.Person.ID != 0:
		fmt.Fprintf(&b, ", tied to %s", r.Person.Label())
	case r.Role == RoleViewer:
		// A viewer changes nothing, so no name is needed.
	case r.Person.ID != 0:
		fmt.Fprintf(&b, ", and the audit trail names its changes %s", r.Person.Label())
	default:
		b.WriteString(", and the audit trail names its changes by the login")
	}
	return b.String()
}

// Grant gives an existing PostgreSQL login a role in the register at url
// and ties it to the person in the register named person (by name, or by
// email address when two people share a name); a delivery lead must be
// tied to one, since that is how the database knows the findings they
// lead. Granting again changes the role. It is run by the login that set
// the register up (server init), which alone may give roles.
func Grant(ctx context.Context, url string, opts Options, login string, role Role, person string) (GrantResult, error) {
	res := GrantResult{Login: login, Role: role}
	if _, ok := groupSuffix[role]; !ok {
		return res, fmt.Errorf("%q is not a role: use improvement-lead, delivery-lead or viewer", role)
	}
	person = strings.TrimSpace(person)
	if role == RoleDeliveryLead && person == "" {
		return res, errors.New("a delivery lead must be tied to the person they are: give --person \"Full Name\" as the register's People list has it, so that the database knows which findings they lead")
	}
	s, err := connect(ctx, url, opts)
	if err != nil {
		return res, err
	}
	defer s.pool.Close()
	err = s.adminWrite(ctx, func(tx pgx.Tx) error {
		groups, err := s.administer(ctx, tx, "give roles in")
		if err != nil {
			return err
		}
		if err := s.grantable(ctx, tx, login, role, groups); err != nil {
			return err
		}
		if person != "" {
			if res.Person, err = findPerson(ctx, tx, person); err != nil {
				return err
			}
		}
		var was string
		err = tx.QueryRow(ctx, `SELECT role FROM `+table("logins")+` WHERE login = $1`, login).Scan(&was)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		res.Was = Role(was)
		if err := setGroups(ctx, tx, login, groups, role); err != nil {
			return err
		}
		var personID *int64
		if res.Person.ID != 0 {
			id := int64(res.Person.ID)
			personID = &id
		}
		_, err = tx.Exec(ctx, `INSERT INTO `+table("logins")+` (login, role, person_id) VALUES ($1, $2, $3)
			ON CONFLICT (login) DO UPDATE SET role = EXCLUDED.role, person_id = EXCLUDED.person_id,
				granted_at = now(), granted_by = session_user`, login, string(role), personID)
		return err
	})
	if err != nil {
		return res, s.wordsFor("give roles in", err, false)
	}
	return res, nil
}

// Revoke takes a login's role in the register away; it returns the role
// the login had. The login itself stays: it is the force's IT's.
func Revoke(ctx context.Context, url string, opts Options, login string) (Role, error) {
	s, err := connect(ctx, url, opts)
	if err != nil {
		return "", err
	}
	defer s.pool.Close()
	var was string
	err = s.adminWrite(ctx, func(tx pgx.Tx) error {
		groups, err := s.administer(ctx, tx, "take roles away in")
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `DELETE FROM `+table("logins")+` WHERE login = $1 RETURNING role`, login).Scan(&was)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("the login %q has no role in %s, so there was nothing to take away", login, s.where)
		} else if err != nil {
			return err
		}
		return setGroups(ctx, tx, login, groups, "")
	})
	if err != nil {
		return "", s.wordsFor("take roles away in", err, false)
	}
	return Role(was), nil
}

// LoginRole is one login's role in a register, as Logins lists it.
type LoginRole struct {
	Login  string
	Role   Role
	Person string // the person's name, "" for none
}

// Logins lists the logins with a role in the register, by login name. It
// is for the login that set the register up: any other sees only itself.
func Logins(ctx context.Context, url string, opts Options) ([]LoginRole, error) {
	s, err := connect(ctx, url, opts)
	if err != nil {
		return nil, err
	}
	defer s.pool.Close()
	var out []LoginRole
	err = s.read(ctx, func(tx pgx.Tx) error {
		if _, err := s.administer(ctx, tx, "list the logins of"); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT l.login, l.role, coalesce(p.body->>'name', '')
			FROM `+table("logins")+` l LEFT JOIN `+table("people")+` p ON p.id = l.person_id ORDER BY l.login`)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (LoginRole, error) {
			var l LoginRole
			err := r.Scan(&l.Login, &l.Role, &l.Person)
			return l, err
		})
		return err
	})
	if err != nil {
		return nil, s.wordsFor("read", err, false)
	}
	return out, nil
}

// administer checks that the register is there, at this version, and that
// the login may give roles in it (it set it up, or is a superuser), and
// returns the register's group role names.
func (s *Store) administer(ctx context.Context, tx pgx.Tx, doing string) (map[Role]string, error) {
	v, err := schemaState(ctx, tx)
	switch {
	case errors.Is(err, errNotRegister):
		return nil, s.notRegister()
	case err != nil:
		return nil, err
	case v == 0:
		return nil, fmt.Errorf("%s holds no register yet: set it up with \"improvement-tracker server init --db URL\" first", s.where)
	case v > SchemaVersion:
		return nil, s.newerError(v)
	case v < SchemaVersion:
		return nil, fmt.Errorf("%s holds a register in an older layout (schema version %d), which has no roles: upgrade it with \"improvement-tracker server init --db URL\" first", s.where, v)
	}
	var me string
	var admin bool
	if err := tx.QueryRow(ctx, `SELECT session_user::text,
			(SELECT rolsuper FROM pg_roles WHERE rolname = session_user) OR pg_has_role(session_user, n.nspowner, 'USAGE')
		FROM pg_namespace n WHERE n.nspname = $1`, schema).Scan(&me, &admin); err != nil {
		return nil, err
	}
	if !admin {
		return nil, fmt.Errorf("only the login that set up %s (the one that ran \"server init\") may %s it, and %q is another: ask the force's IT", s.where, doing, me)
	}
	groups := map[Role]string{}
	for _, r := range Roles {
		var name string
		if err := tx.QueryRow(ctx, `SELECT value FROM `+table("meta")+` WHERE key = $1`, metaGroupKey(r)).Scan(&name); err != nil {
			return nil, fmt.Errorf("%w: the register's group role for %s is not recorded (%v)", model.ErrDamaged, r.Words(), err)
		}
		groups[r] = name
	}
	return groups, nil
}

// grantable checks that login is a login the database can hold to role.
func (s *Store) grantable(ctx context.Context, tx pgx.Tx, login string, role Role, groups map[Role]string) error {
	for _, g := range groups {
		if login == g {
			return fmt.Errorf("%q is one of the register's group roles, not a person's login: give the role to a login", login)
		}
	}
	var canLogin, super, inherit, owner bool
	err := tx.QueryRow(ctx, `SELECT r.rolcanlogin, r.rolsuper, r.rolinherit, pg_has_role(r.oid, n.nspowner, 'USAGE')
		FROM pg_roles r, pg_namespace n WHERE r.rolname = $1 AND n.nspname = $2`, login, schema).Scan(&canLogin, &super, &inherit, &owner)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("there is no login %q on %s: the force's IT creates it first (CREATE ROLE %s LOGIN PASSWORD '…'), then gives it a role", login, s.host, pgx.Identifier{login}.Sanitize())
	case err != nil:
		return err
	case !canLogin:
		return fmt.Errorf("%q on %s is a role that cannot log in, not a login: give the role to a login (CREATE ROLE … LOGIN)", login, s.host)
	case (super || owner) && role != RoleImprovementLead:
		return fmt.Errorf("the login %q owns the register or is a superuser, so the database lets it do everything: it can only be an improvement lead, which it is already (give it --role improvement-lead to tie it to a person)", login)
	case !inherit:
		return fmt.Errorf("the login %q is set not to inherit the rights of its roles (NOINHERIT), so a role would give it nothing: ask the force's IT to run ALTER ROLE %s INHERIT, then grant again", login, pgx.Identifier{login}.Sanitize())
	}
	return nil
}

// setGroups makes the login a member of the group role of role and of no
// other of the register's, role "" for none.
func setGroups(ctx context.Context, tx pgx.Tx, login string, groups map[Role]string, role Role) error {
	who := pgx.Identifier{login}.Sanitize()
	for _, r := range Roles {
		g := pgx.Identifier{groups[r]}.Sanitize()
		var member bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_auth_members m
			JOIN pg_roles gr ON gr.oid = m.roleid JOIN pg_roles lr ON lr.oid = m.member
			WHERE gr.rolname = $1 AND lr.rolname = $2)`, groups[r], login).Scan(&member); err != nil {
			return err
		}
		var stmt string
		switch {
		case r == role && !member:
			stmt = `GRANT ` + g + ` TO ` + who
		case r != role && member:
			stmt = `REVOKE ` + g + ` FROM ` + who
		}
		if stmt != "" {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return err
			}
		}
	}
	return nil
}

// findPerson finds the one person in the register a name (or email
// address) means. People retired from the register are not given logins.
func findPerson(ctx context.Context, tx pgx.Tx, name string) (model.Person, error) {
	rows, err := tx.Query(ctx, `SELECT id, body FROM `+table("people")+` ORDER BY id`)
	if err != nil {
		return model.Person{}, err
	}
	people, err := collect[model.Person](model.KindPerson, rows)
	if err != nil {
		return model.Person{}, err
	}
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	want := norm(name)
	var byName, byEmail []model.Person
	retired := false
	for _, p := range people {
		match := norm(p.Name) == want
		if match && p.Retired {
			retired = true
			continue
		}
		if match {
			byName = append(byName, p)
		}
		if p.Email != "" && !p.Retired && norm(p.Email) == want {
			byEmail = append(byEmail, p)
		}
	}
	switch {
	case len(byName) == 1:
		return byName[0], nil
	case len(byName) > 1:
		labels := make([]string, len(byName))
		for i, p := range byName {
			labels[i] = p.Label()
			if p.Email != "" {
				labels[i] += " <" + p.Email + ">"
			}
		}
		return model.Person{}, fmt.Errorf("%d people in the register are called %q (%s): give the person's email address as --person instead, or tell them apart in the register's People list first",
			len(byName), name, strings.Join(labels, "; "))
	case len(byEmail) == 1:
		return byEmail[0], nil
	case retired:
		return model.Person{}, fmt.Errorf("%q is marked as retired in the register's People list: a retired person is not given a login", name)
	}
	return model.Person{}, fmt.Errorf("no one in the register is called %q: check the spelling against the register's People list, or add the person there first", name)
}

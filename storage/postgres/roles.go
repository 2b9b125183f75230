package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"improvementtracker/model"
)

// Role is what a login may do in a shared register. The database enforces
// it (grants, row-level security and triggers made by createV2), so the
// same rules hold for someone who connects with psql as for the app.
type Role string

// The roles of a register's team.
const (
	// RoleImprovementLead does everything the app does.
	RoleImprovementLead Role = "improvement-lead"
	// RoleDeliveryLead adds progress updates, milestones and evidence to
	// the findings they lead (and so sets those findings' status and RAG
	// rating), and changes nothing else.
	RoleDeliveryLead Role = "delivery-lead"
	// RoleViewer reads: a chief officer.
	RoleViewer Role = "viewer"
)

// Roles lists the roles, most rights first.
var Roles = []Role{RoleImprovementLead, RoleDeliveryLead, RoleViewer}

// ParseRole reads a role as the command line writes it.
func ParseRole(s string) (Role, error) {
	norm := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-")
	norm = strings.ReplaceAll(norm, "_", "-")
	for _, r := range Roles {
		if string(r) == norm {
			return r, nil
		}
	}
	return "", fmt.Errorf("%q is not a role: use improvement-lead, delivery-lead or viewer", s)
}

// Words names the role in a sentence: "a delivery lead".
func (r Role) Words() string {
	switch r {
	case RoleImprovementLead:
		return "an improvement lead"
	case RoleDeliveryLead:
		return "a delivery lead"
	case RoleViewer:
		return "a viewer"
	}
	return "no role"
}

// groupSuffix is the end of each role's group role name.
var groupSuffix = map[Role]string{
	RoleImprovementLead: "_improvement_lead",
	RoleDeliveryLead:    "_delivery_lead",
	RoleViewer:          "_viewer",
}

// groupName is the PostgreSQL group role (NOLOGIN) that carries a role's
// table rights in the register in database db. Roles belong to the whole
// server, not to one database, so the name has the database's in it: two
// registers on one server have roles of their own, and a login's role in
// one gives it nothing in the other. A name too long for PostgreSQL (63
// bytes) keeps the start of the database's name and a short digest of all
// of it.
func groupName(db string, r Role) string {
	const prefix, max = "improvement_tracker_", 63
	suffix := groupSuffix[r]
	if len(prefix)+len(db)+len(suffix) <= max {
		return prefix + db + suffix
	}
	sum := sha256.Sum256([]byte(db))
	tag := "_" + hex.EncodeToString(sum[:3])
	keep := max - len(prefix) - len(suffix) - len(tag)
	for keep > 0 && !utf8.RuneStart(db[keep]) {
		keep--
	}
	return prefix + db[:keep] + tag + suffix
}

// metaGroupKey is the meta key under which createV2 keeps a role's group
// name, so that a database renamed later still finds its roles.
func metaGroupKey(r Role) string { return "group:" + string(r) }

// The functions, policies and triggers of version 2 name the register's
// tables in full (improvement_tracker.x), whatever a login's search_path.
const (
	fnLoginRole  = schema + ".login_role"
	fnLedPerson  = schema + ".led_person"
	fnLeads      = schema + ".leads"
	fnFindingChk = schema + ".finding_change_allowed"
	fnKept       = schema + ".kept_as_written"
)

// findingKeysALeadMayChange are the keys of a finding's stored record a
// delivery lead's save may change: what a progress update sets on the
// finding it is added to (model's AppendUpdate: status and RAG, with the
// closure dates, rationale and reopenings that follow from a status), the
// time of the change, and the record's version, which every save moves.
var findingKeysALeadMayChange = []string{"status", "rag", "modified", "closure_rationale",
	"closure_proposed_date", "closed_date", "reopenings", "version"}

// groupRolesV2 makes (or takes over) the register's group role for each
// role, and records its name in the register.
func groupRolesV2(ctx context.Context, tx pgx.Tx) (map[Role]string, error) {
	var db string
	var mayCreate bool
	if err := tx.QueryRow(ctx, `SELECT current_database(), rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user`).Scan(&db, &mayCreate); err != nil {
		return nil, err
	}
	groups := map[Role]string{}
	for _, r := range Roles {
		name := groupName(db, r)
		groups[r] = name
		var canLogin, super bool
		err := tx.QueryRow(ctx, `SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = $1`, name).Scan(&canLogin, &super)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			if !mayCreate {
				return nil, errMayNotCreateRoles
			}
			if _, err := tx.Exec(ctx, `CREATE ROLE `+pgx.Identifier{name}.Sanitize()+` NOLOGIN`); err != nil {
				return nil, err
			}
		case err != nil:
			return nil, err
		case canLogin || super:
			return nil, fmt.Errorf("the server already has a role named %q that can log in or is a superuser, so it cannot be the register's group role for %s: ask the force's IT to rename it, or give the register a database of another name", name, r.Words())
		}
		// An existing group role of the name (left by an earlier
		// register in a database of the same name) is used as it is.
		if _, err := tx.Exec(ctx, `INSERT INTO `+table("meta")+` (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, metaGroupKey(r), name); err != nil {
			return nil, err
		}
	}
	return groups, nil
}

// createV2 makes who may do what a matter for the database: the three
// group roles, the logins table that gives each login its role and
// person, the grants, the row-level security policies and the triggers.
//
//	logins(login, role, person_id, granted_at, granted_by)
//	                           a login's role in this register, and the
//	                           person it is (delivery leads must be one);
//	                           each login sees only its own row
//	meta 'group:<role>'        the group role of each role
//
// Every policy asks the logins table, not the group roles: the table
// decides, per register, and the group roles carry the table rights that
// the policies then narrow. The owner of the tables (the login that ran
// server init) and superusers are not held by the policies, as
// PostgreSQL has it; the triggers that keep progress updates and audit
// events as written hold them too.
func createV2(ctx context.Context, tx pgx.Tx) error {
	groups, err := groupRolesV2(ctx, tx)
	if err != nil {
		return err
	}
	g := func(r Role) string { return pgx.Identifier{groups[r]}.Sanitize() }
	all := g(RoleImprovementLead) + ", " + g(RoleDeliveryLead) + ", " + g(RoleViewer)
	lead, dl := g(RoleImprovementLead), g(RoleDeliveryLead)
	sch := pgx.Identifier{schema}.Sanitize()

	stmts := []string{
		`CREATE TABLE ` + table("logins") + ` (login text PRIMARY KEY,
			role text NOT NULL CHECK (role IN ('improvement-lead', 'delivery-lead', 'viewer')),
			person_id bigint,
			granted_at timestamptz NOT NULL DEFAULT now(),
			granted_by text NOT NULL DEFAULT session_user)`,
		`ALTER TABLE ` + table("logins") + ` ENABLE ROW LEVEL SECURITY`,
		`CREATE POLICY own_row ON ` + table("logins") + ` FOR SELECT USING (login = session_user)`,

		// Who the session's login is, for the policies. A login's role is
		// looked up by session_user, which SET ROLE does not change. The
		// functions fix their search_path, so that a login's own
		// functions or operators of the same names are never called in
		// their place.
		`CREATE FUNCTION ` + fnLoginRole + `() RETURNS text LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS
			$$ SELECT role FROM ` + table("logins") + ` WHERE login = session_user $$`,
		`CREATE FUNCTION ` + fnLedPerson + `() RETURNS bigint LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS
			$$ SELECT person_id FROM ` + table("logins") + ` WHERE login = session_user AND role = 'delivery-lead' $$`,
		`CREATE FUNCTION ` + fnLeads + `(finding bigint) RETURNS boolean LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS
			$$ SELECT EXISTS (SELECT 1 FROM ` + table("findings") + ` f
				WHERE f.id = finding AND (f.body->>'delivery_lead_id')::bigint = ` + fnLedPerson + `()) $$`,

		// A delivery lead's change to a finding may touch only what a
		// progress update sets.
		`CREATE FUNCTION ` + fnFindingChk + `() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
		BEGIN
			IF ` + fnLoginRole + `() = 'delivery-lead'
				AND (OLD.body - ` + keysArray() + `) IS DISTINCT FROM (NEW.body - ` + keysArray() + `) THEN
				RAISE EXCEPTION 'a delivery lead may change only the status and RAG rating of a finding they lead, by adding a progress update'
					USING ERRCODE = 'insufficient_privilege';
			END IF;
			RETURN NEW;
		END $$`,
		`CREATE TRIGGER delivery_lead_changes BEFORE UPDATE ON ` + table("findings") + `
			FOR EACH ROW EXECUTE FUNCTION ` + fnFindingChk + `()`,

		// Progress updates and audit events are kept as written, by
		// everyone, the tables' owner included.
		`CREATE FUNCTION ` + fnKept + `() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
		BEGIN
			RAISE EXCEPTION '% are kept as they were written: they cannot be changed or deleted',
				CASE TG_TABLE_NAME WHEN 'updates' THEN 'progress updates' ELSE 'audit events' END
				USING ERRCODE = 'insufficient_privilege';
		END $$`,

		// Anyone may see that the schema is a register, and its version,
		// so that a login without a role is told so in words.
		`GRANT USAGE ON SCHEMA ` + sch + ` TO PUBLIC`,
		`GRANT SELECT ON ` + table("meta") + `, ` + table("logins") + ` TO PUBLIC`,
	}
	for _, t := range []string{"updates", "audit"} {
		stmts = append(stmts,
			`CREATE TRIGGER kept_as_written BEFORE UPDATE OR DELETE ON `+table(t)+` FOR EACH ROW EXECUTE FUNCTION `+fnKept+`()`,
			`CREATE TRIGGER kept_as_written_whole BEFORE TRUNCATE ON `+table(t)+` FOR EACH STATEMENT EXECUTE FUNCTION `+fnKept+`()`)
	}

	// Every table of records: read by every role; written by an
	// improvement lead; and, below, by a delivery lead where their work
	// needs it.
	role := `(SELECT ` + fnLoginRole + `())`
	var tables []string
	for _, k := range kinds {
		tables = append(tables, string(k))
	}
	tables = append(tables, "settings", "finding_refs", "ref_counters", "evidence_files")
	for _, name := range tables {
		t := table(name)
		stmts = append(stmts,
			`ALTER TABLE `+t+` ENABLE ROW LEVEL SECURITY`,
			`CREATE POLICY readers ON `+t+` FOR SELECT USING (`+role+` IS NOT NULL)`,
			`CREATE POLICY improvement_lead ON `+t+` FOR ALL USING (`+role+` = 'improvement-lead') WITH CHECK (`+role+` = 'improvement-lead')`,
			`GRANT SELECT ON `+t+` TO `+all)
		switch name {
		case "updates", "audit":
			stmts = append(stmts, `GRANT INSERT ON `+t+` TO `+lead)
		case "evidence_files":
			// An attached file is never replaced: its digest is what
			// was shared.
			stmts = append(stmts, `GRANT INSERT, DELETE ON `+t+` TO `+lead)
		default:
			stmts = append(stmts, `GRANT INSERT, UPDATE, DELETE ON `+t+` TO `+lead)
		}
	}
	leads := func(col string) string { return fnLeads + `(` + col + `)` }
	stmts = append(stmts,
		`CREATE POLICY delivery_lead ON `+table("findings")+` FOR UPDATE
			USING ((body->>'delivery_lead_id')::bigint = (SELECT `+fnLedPerson+`()))
			WITH CHECK ((body->>'delivery_lead_id')::bigint = (SELECT `+fnLedPerson+`()))`,
		`GRANT UPDATE (body) ON `+table("findings")+` TO `+dl)
	for _, t := range []string{"milestones", "evidence"} {
		stmts = append(stmts,
			`CREATE POLICY delivery_lead_add ON `+table(t)+` FOR INSERT WITH CHECK (`+leads("finding_id")+`)`,
			`CREATE POLICY delivery_lead_change ON `+table(t)+` FOR UPDATE USING (`+leads("finding_id")+`) WITH CHECK (`+leads("finding_id")+`)`,
			`GRANT INSERT, UPDATE ON `+table(t)+` TO `+dl)
	}
	for _, t := range []string{"updates", "audit"} {
		stmts = append(stmts,
			`CREATE POLICY delivery_lead_add ON `+table(t)+` FOR INSERT WITH CHECK (`+leads("finding_id")+`)`,
			`GRANT INSERT ON `+table(t)+` TO `+dl)
	}
	stmts = append(stmts,
		`CREATE POLICY delivery_lead_add ON `+table("evidence_files")+` FOR INSERT
			WITH CHECK (`+leads(`(SELECT e.finding_id FROM `+table("evidence")+` e WHERE e.id = evidence_id)`)+`)`,
		`GRANT INSERT ON `+table("evidence_files")+` TO `+dl)
	for _, k := range kinds {
		stmts = append(stmts, `GRANT USAGE ON SEQUENCE `+pgx.Identifier{schema, string(k) + "_id_seq"}.Sanitize()+` TO `+lead)
		switch k {
		case model.KindMilestone, model.KindUpdate, model.KindEvidence, model.KindAudit:
			stmts = append(stmts, `GRANT USAGE ON SEQUENCE `+pgx.Identifier{schema, string(k) + "_id_seq"}.Sanitize()+` TO `+dl)
		}
	}
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// keysArray is findingKeysALeadMayChange as an SQL text[].
func keysArray() string {
	quoted := make([]string, len(findingKeysALeadMayChange))
	for i, k := range findingKeysALeadMayChange {
		quoted[i] = "'" + k + "'"
	}
	return "ARRAY[" + strings.Join(quoted, ", ") + "]::text[]"
}

// errMayNotCreateRoles: server init needs to make the three group roles.
var errMayNotCreateRoles = errors.New("the login that sets up a register must be allowed to create roles (CREATEROLE), to make the register's three roles: run server init as such a login, or ask the force's IT to")

// access is who the store's login is in the register, found on opening.
type access struct {
	login string
	role  Role
	// admin: the login owns the register's tables (it ran server init) or
	// is a superuser. The database does not hold it to any role's rules,
	// so it counts as an improvement lead.
	admin bool
	// who is the name the audit trail gives the login's changes: the
	// person it is tied to, else the login's name. Empty for an admin not
	// tied to a person, whose changes carry the name the app gives, as a
	// register file's do.
	who string
	// person is the person the login is tied to, 0 for none.
	person model.ID
}

// identify finds the login's role and person. A login with no role in
// the register is refused in one sentence.
func (s *Store) identify(ctx context.Context, tx pgx.Tx) (access, error) {
	var a access
	var role *string
	var person *int64
	err := tx.QueryRow(ctx, `SELECT session_user::text,
			(SELECT rolsuper FROM pg_roles WHERE rolname = session_user) OR pg_has_role(session_user, n.nspowner, 'USAGE'),
			l.role, l.person_id
		FROM pg_namespace n LEFT JOIN `+table("logins")+` l ON l.login = session_user
		WHERE n.nspname = $1`, oneTrip, schema).Scan(&a.login, &a.admin, &role, &person)
	if err != nil {
		return a, err
	}
	switch {
	case a.admin:
		a.role = RoleImprovementLead
	case role == nil:
		return a, fmt.Errorf("the login %q has %w (%s): ask the force's improvement lead to have it given one (\"improvement-tracker server grant --db URL --login %s --role delivery-lead\", or improvement-lead or viewer)",
			a.login, ErrNoRole, s.where, a.login)
	default:
		a.role = Role(*role)
	}
	if role != nil {
		a.who = a.login
	}
	if person != nil {
		a.person = model.ID(*person)
		var name string
		err := tx.QueryRow(ctx, `SELECT coalesce(body->>'name', '') FROM `+table("people")+` WHERE id = $1`, *person).Scan(&name)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return a, err
		}
		if strings.TrimSpace(name) != "" {
			a.who = name
		}
	}
	return a, nil
}

// ErrNoRole: the login may connect to the database but has not been given
// a role in its register.
var ErrNoRole = errors.New("no role in this register")

// Role is the login's role in the register.
func (s *Store) Role() Role { return s.acc.role }

// Login is the PostgreSQL login the store is connected as.
func (s *Store) Login() string { return s.acc.login }

// ReadOnly reports whether the login may only read the register (a
// viewer): the window then keeps editing switched off.
func (s *Store) ReadOnly() bool { return s.acc.role == RoleViewer }

// ReadOnlyNotice says why the register is read-only, for a banner.
func (s *Store) ReadOnlyNotice() string {
	return fmt.Sprintf("your login %q is a viewer in %s: it may read the register but not change it", s.acc.login, s.where)
}

var (
	_ model.ReadOnlyStore = (*Store)(nil)
	_ model.Signer        = (*Store)(nil)
)

// SignedAs is the name the login's progress updates are signed with: its
// person (or the login's name), which the database holds them to; "" for
// the owner tied to no one, whose updates carry the name the app gives.
func (s *Store) SignedAs() string { return s.acc.who }

// SignedPerson is the person the login is tied to in the register, 0 for
// none.
func (s *Store) SignedPerson() model.ID { return s.acc.person }

// mayChange refuses a save by a viewer before it begins. Who the save is
// made as is the write lock's to say (held), from the database.
func (s *Store) mayChange() error {
	if s.acc.role == RoleViewer {
		return fmt.Errorf("%s: nothing was saved", s.ReadOnlyNotice())
	}
	return nil
}

// refused says, in one sentence, that the database would not let the
// login make a change; reason is the server's own words.
func (s *Store) refused(action, reason string) error {
	switch {
	case action == "set up":
		return fmt.Errorf("the login %q may not set up %s (%s): run server init as the login that owns the database and may create roles (CREATEROLE)", s.user, s.where, reason)
	case action != "change":
		return fmt.Errorf("the login %q is not allowed to %s %s (%s): ask the force's IT to give it a role in the register", s.user, action, s.where, reason)
	case s.acc.role == RoleDeliveryLead:
		return fmt.Errorf("your login %q may not make this change, so nothing was saved: a delivery lead adds progress updates, milestones and evidence to the findings they lead, and changes nothing else (the server said: %s)", s.user, reason)
	case s.acc.role == "":
		return fmt.Errorf("the login %q is not allowed to change %s (%s): ask the force's IT to give it a role in the register", s.user, s.where, reason)
	}
	return fmt.Errorf("your login %q may not make this change, so nothing was saved (the server said: %s)", s.user, reason)
}

// setupRefused puts a refusal met while setting the register up into
// words: the login may not make what the layout needs. Nil for any other
// error.
func (s *Store) setupRefused(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42501" {
		return s.refused("set up", pe.Message)
	}
	return nil
}

package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
)

// Version 3 makes the database the last line of the register's rules, not
// the app: whatever a login below the register's owner sends through any
// PostgreSQL client, the rows it leaves are rows the app's own rules would
// have written.
//
//   - Typed columns the client cannot choose: a record's finding
//     (finding_id) and a finding's status, RAG rating and delivery lead are
//     generated from the record itself, so that the row-level security
//     that checks them checks what the app reads; a record's ID must be
//     the one in its body and one the register gave out.
//   - The lifecycle and the ratings that fit each status are tables made
//     from model (Moves, RatedStatuses) when the register is set up, not
//     written again by hand.
//   - Every write of a login that is not the owner passes guard_write
//     (SECURITY DEFINER, fixed search_path): the register's write lock is
//     held, the author and time of a progress update or history entry are
//     the login's person and the server's clock, a history entry comes
//     after the last, and a change of status is one the lifecycle allows.
//     At commit, check_paired holds every change to a record to the
//     history entry that describes it, and every change of a finding's
//     status or rating to its progress update.
//   - The database keeps a log of its own (changes), written only by
//     log_change: which login changed which row in which transaction, at
//     what time, and a digest of what the row became. "check" compares the
//     rows with it, so that a row forged by someone who switched the
//     triggers off (the owner, who is outside these rules) is found.
//   - The write lock is a row only lock_register may lock, and only for a
//     login that may change the register: a viewer, or a login without a
//     role, cannot hold up anyone's saves. A transaction of a login below
//     the owner that holds it and sits idle for lockIdle is ended by the
//     server.
const (
	fnIsAdmin     = schema + ".is_admin"
	fnLoginName   = schema + ".login_name"
	fnHoldsLock   = schema + ".holds_lock"
	fnLockReg     = schema + ".lock_register"
	fnLockHolder  = schema + ".lock_holder"
	fnGuard       = schema + ".guard_write"
	fnPaired      = schema + ".check_paired"
	fnLogChange   = schema + ".log_change"
	fnSavedBy     = schema + ".saved_by"
	fnKeptChanges = schema + ".changes_kept"
	fnLoginNames  = schema + ".login_names"
)

// lockIdle is how long a transaction holding the write lock may sit idle
// before the server ends it: the app's saves never pause between
// statements for anything near this, and a psql session left open in the
// middle of a change must not stop the team's saves for longer.
const lockIdle = "5s"

// entityOf is the history entry's entity for each table of records, for
// check_paired.
var entityOf = map[model.Kind]model.Entity{
	model.KindReport:     model.EntityReport,
	model.KindPerson:     model.EntityPerson,
	model.KindFinding:    model.EntityFinding,
	model.KindMilestone:  model.EntityMilestone,
	model.KindUpdate:     model.EntityUpdate,
	model.KindEvidence:   model.EntityEvidence,
	model.KindSubmission: model.EntitySubmission,
}

// children are the kinds whose records belong to a finding, by the
// finding_id in their body.
var children = []model.Kind{model.KindMilestone, model.KindUpdate, model.KindEvidence, model.KindAudit}

// quote is s as an SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// lifecycleRows is the lifecycle as SQL rows, from model.
func lifecycleRows() string {
	var rows []string
	for _, m := range model.Moves() {
		rows = append(rows, "("+quote(string(m[0]))+", "+quote(string(m[1]))+")")
	}
	return strings.Join(rows, ", ")
}

// ratedRows is the pairs of status and rating that agree, from model.
func ratedRows() string {
	var rows []string
	for _, p := range model.RatedStatuses() {
		rows = append(rows, "("+quote(p[0])+", "+quote(p[1])+")")
	}
	return strings.Join(rows, ", ")
}

// statusList is every status, as an SQL list.
func statusList() string {
	var out []string
	for _, s := range model.Statuses {
		out = append(out, quote(string(s)))
	}
	return "(" + strings.Join(out, ", ") + ")"
}

// entityCase maps TG_TABLE_NAME to the entity a history entry names.
func entityCase() string {
	var b strings.Builder
	b.WriteString("CASE TG_TABLE_NAME")
	for _, k := range kinds {
		if e, ok := entityOf[k]; ok {
			fmt.Fprintf(&b, " WHEN %s THEN %s", quote(string(k)), quote(string(e)))
		}
	}
	b.WriteString(" END")
	return b.String()
}

// nameOf is the name the history gives a login's changes, as identify
// finds it: the person it is tied to (people p), else the login.
func nameOf(login string) string {
	return "CASE WHEN btrim(coalesce(p.body->>'name', '')) <> '' THEN p.body->>'name' ELSE " + login + " END"
}

// definer is the preamble of every function of version 3: it runs with the
// owner's rights and a search_path a login cannot put objects on.
const definer = ` SECURITY DEFINER SET search_path = pg_catalog, pg_temp `

// createV3 is the upgrade from version 2; see the comment at the top.
func createV3(ctx context.Context, tx pgx.Tx) error {
	groups := map[Role]string{}
	for _, r := range Roles {
		var name string
		if err := tx.QueryRow(ctx, `SELECT value FROM `+table("meta")+` WHERE key = $1`, metaGroupKey(r)).Scan(&name); err != nil {
			return fmt.Errorf("%w: the register's group role for %s is not recorded (%v)", model.ErrDamaged, r.Words(), err)
		}
		groups[r] = pgx.Identifier{name}.Sanitize()
	}
	all := groups[RoleImprovementLead] + ", " + groups[RoleDeliveryLead] + ", " + groups[RoleViewer]

	var stmts []string
	add := func(s ...string) { stmts = append(stmts, s...) }

	// The policies that read finding_id or the delivery lead from the body
	// go, to be made again over the typed columns.
	for _, t := range []string{"milestones", "evidence"} {
		add(`DROP POLICY delivery_lead_add ON `+table(t), `DROP POLICY delivery_lead_change ON `+table(t))
	}
	for _, t := range []string{"updates", "audit", "evidence_files"} {
		add(`DROP POLICY delivery_lead_add ON ` + table(t))
	}
	add(`DROP POLICY delivery_lead ON ` + table("findings"))

	// Typed columns, generated from the record: the client cannot give
	// them a value of its own.
	for _, k := range children {
		t := table(string(k))
		add(`ALTER TABLE `+t+` DROP COLUMN finding_id`,
			`ALTER TABLE `+t+` ADD COLUMN finding_id bigint GENERATED ALWAYS AS (nullif((body->>'finding_id')::bigint, 0)) STORED`,
			`CREATE INDEX ON `+t+` (finding_id, id) WHERE finding_id IS NOT NULL`)
	}
	add(`CREATE INDEX ON `+table("audit")+` (finding_id, at) WHERE finding_id IS NOT NULL`,
		// A finding's reference is its own column, unique: the reference
		// index of version 1 was a table of its own that could be made to
		// point a reference at another finding.
		`ALTER TABLE `+table("findings")+` ADD COLUMN ref text GENERATED ALWAYS AS (body->>'ref') STORED`,
		`CREATE UNIQUE INDEX findings_ref ON `+table("findings")+` (ref)`,
		`DROP TABLE `+table("finding_refs"))
	add(`ALTER TABLE `+table("findings")+`
			ADD COLUMN status text GENERATED ALWAYS AS (body->>'status') STORED,
			ADD COLUMN rag text GENERATED ALWAYS AS (coalesce(body->>'rag', '')) STORED,
			ADD COLUMN delivery_lead_id bigint GENERATED ALWAYS AS (nullif((body->>'delivery_lead_id')::bigint, 0)) STORED`,
		`ALTER TABLE `+table("updates")+`
			ADD COLUMN status text GENERATED ALWAYS AS (body->>'status') STORED,
			ADD COLUMN rag text GENERATED ALWAYS AS (coalesce(body->>'rag', '')) STORED`)

	// The lifecycle and the ratings, from model. NOT VALID: a register
	// upgraded with rows that break them (changed by hand before this
	// version) is upgraded all the same, and "check" names those rows.
	add(`CREATE TABLE `+table("lifecycle")+` (from_status text NOT NULL, to_status text NOT NULL, PRIMARY KEY (from_status, to_status))`,
		`CREATE TABLE `+table("rated_statuses")+` (status text NOT NULL, rag text NOT NULL, PRIMARY KEY (status, rag))`,
		`GRANT SELECT ON `+table("lifecycle")+`, `+table("rated_statuses")+` TO `+all)
	for _, k := range kinds {
		add(`ALTER TABLE ` + table(string(k)) + ` ADD CONSTRAINT id_is_body_id CHECK ((body->>'id')::bigint = id) NOT VALID`)
	}

	// The database's own log, and the write lock.
	add(`CREATE TABLE `+table("changes")+` (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			txid bigint NOT NULL DEFAULT txid_current(),
			login text NOT NULL DEFAULT session_user,
			at timestamptz NOT NULL DEFAULT now(),
			tbl text NOT NULL, rec_id bigint NOT NULL, op text NOT NULL,
			digest text, status text)`,
		`CREATE INDEX ON `+table("changes")+` (txid)`,
		`CREATE INDEX ON `+table("changes")+` (tbl, rec_id, seq)`,
		`GRANT SELECT ON `+table("changes")+` TO `+all,
		`CREATE TABLE `+table("write_lock")+` (id int PRIMARY KEY CHECK (id = 1))`,
		`INSERT INTO `+table("write_lock")+` VALUES (1)`)

	add(loginFunctions()...)
	add(guardFunction(), pairedFunction(), logFunction(),
		`CREATE FUNCTION `+fnKeptChanges+`() RETURNS trigger LANGUAGE plpgsql`+definer+`AS $$
		BEGIN
			RAISE EXCEPTION 'the register''s log of changes is kept as it was written' USING ERRCODE = 'insufficient_privilege';
		END $$`,
		`CREATE TRIGGER kept_as_written BEFORE UPDATE OR DELETE ON `+table("changes")+` FOR EACH ROW EXECUTE FUNCTION `+fnKeptChanges+`()`,
		`CREATE TRIGGER kept_as_written_whole BEFORE TRUNCATE ON `+table("changes")+` FOR EACH STATEMENT EXECUTE FUNCTION `+fnKeptChanges+`()`)
	for _, fn := range []string{fnGuard, fnPaired, fnLogChange, fnKeptChanges} {
		add(`REVOKE ALL ON FUNCTION ` + fn + `() FROM PUBLIC`)
	}
	for _, k := range kinds {
		t := table(string(k))
		add(`CREATE TRIGGER guard_write BEFORE INSERT OR UPDATE OR DELETE ON `+t+` FOR EACH ROW EXECUTE FUNCTION `+fnGuard+`()`,
			`CREATE TRIGGER log_change AFTER INSERT OR UPDATE OR DELETE ON `+t+` FOR EACH ROW EXECUTE FUNCTION `+fnLogChange+`()`)
		if _, ok := entityOf[k]; ok {
			add(`CREATE CONSTRAINT TRIGGER check_paired AFTER INSERT OR UPDATE OR DELETE ON ` + t + `
				DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ` + fnPaired + `()`)
		}
	}
	add(`CREATE TRIGGER log_change AFTER INSERT OR UPDATE ON ` + table("settings") + ` FOR EACH ROW EXECUTE FUNCTION ` + fnLogChange + `()`)

	add(deliveryLeadPoliciesV3()...)

	// What the register holds now is where the log starts.
	for _, k := range kinds {
		add(`INSERT INTO ` + table("changes") + ` (tbl, rec_id, op, digest, status)
			SELECT '` + string(k) + `', id, 'UPGRADE', encode(sha256(convert_to(body::text, 'UTF8')), 'hex'),
				` + statusExpr(k) + ` FROM ` + table(string(k)))
	}
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s); err != nil {
			return fmt.Errorf("%w\n(in: %.200s)", err, s)
		}
	}
	return nil
}

// loginFunctions are version 3's functions that say who the session's
// login is, lock the register for it, and name who holds the lock or made
// a save, with the grant that lets any login call them.
func loginFunctions() []string {
	var stmts []string
	add := func(s ...string) { stmts = append(stmts, s...) }
	add(`CREATE FUNCTION `+fnIsAdmin+`() RETURNS boolean LANGUAGE sql STABLE`+definer+`AS $$
			SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
				OR pg_has_role(session_user, (SELECT nspowner FROM pg_namespace WHERE nspname = '`+schema+`'), 'USAGE') $$`,
		`CREATE FUNCTION `+fnLoginName+`() RETURNS text LANGUAGE sql STABLE`+definer+`AS $$
			SELECT `+nameOf("l.login")+`
			FROM `+table("logins")+` l LEFT JOIN `+table("people")+` p ON p.id = l.person_id
			WHERE l.login = session_user $$`,
		`CREATE FUNCTION `+fnHoldsLock+`() RETURNS boolean LANGUAGE sql VOLATILE`+definer+`AS $$
			SELECT xmax::text::bigint = txid_current() % 4294967296 FROM `+table("write_lock")+` WHERE id = 1 $$`,
		`CREATE FUNCTION `+fnLockReg+`() RETURNS TABLE (at timestamptz, who text) LANGUAGE plpgsql VOLATILE`+definer+`AS $$
		BEGIN
			IF NOT `+fnIsAdmin+`() AND coalesce(`+fnLoginRole+`(), '') NOT IN ('improvement-lead', 'delivery-lead') THEN
				RAISE EXCEPTION 'only an improvement lead or a delivery lead may change the register' USING ERRCODE = 'insufficient_privilege';
			END IF;
			PERFORM 1 FROM `+table("write_lock")+` WHERE id = 1 FOR UPDATE;
			-- The owner copies whole registers in, preparing each batch
			-- between statements; anyone else's save never pauses so long.
			IF NOT `+fnIsAdmin+`() THEN
				PERFORM set_config('idle_in_transaction_session_timeout', '`+lockIdle+`', true);
			END IF;
			RETURN QUERY SELECT now(), `+fnLoginName+`();
		END $$`,
		// Who holds the write lock, for the message of a save that waited
		// too long: any login may ask, so that the message can name the
		// login in the way.
		`CREATE FUNCTION `+fnLockHolder+`() RETURNS TABLE (login text, since timestamptz) LANGUAGE sql STABLE`+definer+`AS $$
			SELECT a.usename::text, a.xact_start FROM `+table("write_lock")+` w
			JOIN pg_locks l ON l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted AND l.transactionid = w.xmax
			JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE w.id = 1 LIMIT 1 $$`,
		// Who made the save of a transaction, from the database's log: a
		// live-update notice names a transaction, never a person.
		`CREATE FUNCTION `+fnSavedBy+`(tx bigint) RETURNS TABLE (login text, who text, at timestamptz) LANGUAGE sql STABLE`+definer+`AS $$
			WITH entry AS (SELECT a.body->>'who' AS who, a.at FROM `+table("changes")+` c2 JOIN `+table("audit")+` a ON a.id = c2.rec_id
				WHERE c2.txid = tx AND c2.tbl = 'audit' AND c2.op = 'INSERT' ORDER BY c2.seq LIMIT 1)
			SELECT c.login,
				coalesce((SELECT who FROM entry), `+nameOf("c.login")+`),
				coalesce((SELECT at FROM entry), c.at)
			FROM `+table("changes")+` c
			LEFT JOIN `+table("logins")+` l ON l.login = c.login
			LEFT JOIN `+table("people")+` p ON p.id = l.person_id
			WHERE c.txid = tx AND (`+fnLoginRole+`() IS NOT NULL OR `+fnIsAdmin+`())
			ORDER BY c.seq LIMIT 1 $$`)
	// The person each login is, for check to hold every history entry to
	// the login that made it; a login without a role learns nothing.
	add(`CREATE FUNCTION ` + fnLoginNames + `() RETURNS TABLE (login text, name text) LANGUAGE sql STABLE` + definer + `AS $$
			SELECT l.login, ` + nameOf("l.login") + `
			FROM ` + table("logins") + ` l LEFT JOIN ` + table("people") + ` p ON p.id = l.person_id
			WHERE ` + fnLoginRole + `() IS NOT NULL OR ` + fnIsAdmin + `() $$`)
	// Functions may be called by anyone unless revoked; these may, and
	// each refuses, in words, what the login may not do. holds_lock only
	// answers for the caller's own transaction.
	add(`GRANT EXECUTE ON FUNCTION ` + fnIsAdmin + `(), ` + fnLoginName + `(), ` + fnLockHolder + `(), ` + fnLockReg + `(), ` + fnHoldsLock + `(), ` + fnSavedBy + `(bigint) TO PUBLIC`)
	return stmts
}

// deliveryLeadPoliciesV3 are the delivery lead's rights again, over the
// typed columns of version 3.
func deliveryLeadPoliciesV3() []string {
	var stmts []string
	add := func(s ...string) { stmts = append(stmts, s...) }
	add(`CREATE OR REPLACE FUNCTION `+fnLeads+`(finding bigint) RETURNS boolean LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS
			$$ SELECT EXISTS (SELECT 1 FROM `+table("findings")+` f
				WHERE f.id = finding AND f.delivery_lead_id = `+fnLedPerson+`()) $$`,
		`CREATE POLICY delivery_lead ON `+table("findings")+` FOR UPDATE
			USING (delivery_lead_id = (SELECT `+fnLedPerson+`()))
			WITH CHECK (delivery_lead_id = (SELECT `+fnLedPerson+`()))`)
	leads := func(col string) string { return fnLeads + `(` + col + `)` }
	for _, t := range []string{"milestones", "evidence"} {
		add(`CREATE POLICY delivery_lead_add ON `+table(t)+` FOR INSERT WITH CHECK (`+leads("finding_id")+`)`,
			`CREATE POLICY delivery_lead_change ON `+table(t)+` FOR UPDATE USING (`+leads("finding_id")+`) WITH CHECK (`+leads("finding_id")+`)`)
	}
	for _, t := range []string{"updates", "audit"} {
		add(`CREATE POLICY delivery_lead_add ON ` + table(t) + ` FOR INSERT WITH CHECK (` + leads("finding_id") + `)`)
	}
	add(`CREATE POLICY delivery_lead_add ON ` + table("evidence_files") + ` FOR INSERT
			WITH CHECK (` + leads(`(SELECT e.finding_id FROM `+table("evidence")+` e WHERE e.id = evidence_id)`) + `)`)

	return stmts
}

// statusExpr is what the log keeps of a record's status: a finding's, so
// that "check" can hold every change of status to its progress update.
func statusExpr(k model.Kind) string {
	if k == model.KindFinding {
		return "body->>'status'"
	}
	return "NULL"
}

// refuse is a plpgsql RAISE of a refusal in words.
func refuse(msg string, args ...string) string {
	a := ""
	if len(args) > 0 {
		a = ", " + strings.Join(args, ", ")
	}
	return "RAISE EXCEPTION " + quote(msg) + a + " USING ERRCODE = 'insufficient_privilege';"
}

// guardFunction is the check every write of a login below the owner
// passes before it is made.
func guardFunction() string {
	return `CREATE FUNCTION ` + fnGuard + `() RETURNS trigger LANGUAGE plpgsql` + definer + `AS $$
	DECLARE
		last_id bigint;
		mine text;
	BEGIN
		IF TG_OP <> 'DELETE' AND TG_TABLE_NAME = 'audit' THEN
			NEW.at := (NEW.body->>'at')::timestamptz;
		END IF;
		IF ` + fnIsAdmin + `() THEN
			IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
			RETURN NEW;
		END IF;
		IF NOT ` + fnHoldsLock + `() THEN
			` + refuse("a change to the register must first take its write lock (improvement_tracker.lock_register()), so that changes are made one at a time") + `
		END IF;
		IF TG_OP = 'INSERT' THEN
			EXECUTE format('SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ` + schema + `.%I', TG_TABLE_NAME || '_id_seq') INTO last_id;
			IF NEW.id > last_id THEN
				` + refuse("record % of % was not given out by the register: record numbers come from the register's own sequence", "NEW.id", "TG_TABLE_NAME") + `
			END IF;
			IF TG_TABLE_NAME IN ('audit', 'updates') THEN
				mine := ` + fnLoginName + `();
			END IF;
			IF TG_TABLE_NAME = 'audit' THEN
				IF NEW.id <= (SELECT coalesce(max(id), 0) FROM ` + table("audit") + `) THEN
					` + refuse("a history entry is added after the last one, never among them") + `
				END IF;
				IF (NEW.body->>'who') IS DISTINCT FROM mine THEN
					` + refuse("a history entry names the person of the login that makes it (%), not %", "mine", "NEW.body->>'who'") + `
				END IF;
				IF NEW.at IS DISTINCT FROM now() THEN
					` + refuse("a history entry is dated by the server's clock (%), not %", "now()", "NEW.at") + `
				END IF;
			ELSIF TG_TABLE_NAME = 'updates' THEN
				IF (NEW.body->>'author') IS DISTINCT FROM mine THEN
					` + refuse("a progress update is signed by the person of the login that writes it (%), not %", "mine", "NEW.body->>'author'") + `
				END IF;
				IF (NEW.body->>'recorded')::timestamptz IS DISTINCT FROM now() THEN
					` + refuse("a progress update is recorded at the server's time (%), not %", "now()", "NEW.body->>'recorded'") + `
				END IF;
			END IF;
		END IF;
		IF TG_OP <> 'DELETE' AND TG_TABLE_NAME IN ('findings', 'updates') THEN
			IF (NEW.body->>'status') IS NULL OR (NEW.body->>'status') NOT IN ` + statusList() + ` THEN
				` + refuse("% is not a status of the register", "coalesce(NEW.body->>'status', 'no status')") + `
			END IF;
		END IF;
		IF TG_OP <> 'DELETE' AND TG_TABLE_NAME = 'findings' THEN
			IF NOT EXISTS (SELECT 1 FROM ` + table("rated_statuses") + ` WHERE status = NEW.body->>'status' AND rag = coalesce(NEW.body->>'rag', '')) THEN
				` + refuse("finding % cannot be % and rated %: the rating does not fit the status", "NEW.body->>'ref'", "NEW.body->>'status'", "coalesce(nullif(NEW.body->>'rag', ''), 'not rated')") + `
			END IF;
		END IF;
		IF TG_OP = 'UPDATE' AND TG_TABLE_NAME IN ('milestones', 'evidence') THEN
			IF (OLD.body->>'finding_id') IS DISTINCT FROM (NEW.body->>'finding_id') THEN
				` + refuse("a % cannot move to another finding; add it there instead", "rtrim(TG_TABLE_NAME, 's')") + `
			END IF;
			IF TG_TABLE_NAME = 'evidence' AND (OLD.body->>'sha256') IS DISTINCT FROM (NEW.body->>'sha256') THEN
				` + refuse("an attached file cannot be replaced; add new evidence with the new file instead") + `
			END IF;
		END IF;
		IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'findings' THEN
			IF (OLD.body->>'status') IS DISTINCT FROM (NEW.body->>'status') THEN
				IF NOT EXISTS (SELECT 1 FROM ` + table("lifecycle") + ` WHERE from_status = OLD.body->>'status' AND to_status = NEW.body->>'status') THEN
					` + refuse("finding % cannot go from % to %: the lifecycle does not allow it", "OLD.body->>'ref'", "OLD.body->>'status'", "coalesce(NEW.body->>'status', 'no status')") + `
				END IF;
			END IF;
		END IF;
		IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
		RETURN NEW;
	END $$`
}

// pairedFunction is the check, at commit, that a change to a record comes
// with the history entry that describes it, and a change of a finding's
// status or rating with its progress update.
func pairedFunction() string {
	return `CREATE FUNCTION ` + fnPaired + `() RETURNS trigger LANGUAGE plpgsql` + definer + `AS $$
	DECLARE
		rid bigint;
		ent text := ` + entityCase() + `;
	BEGIN
		IF ` + fnIsAdmin + `() THEN RETURN NULL; END IF;
		IF TG_OP = 'DELETE' THEN rid := OLD.id; ELSE rid := NEW.id; END IF;
		IF NOT EXISTS (SELECT 1 FROM ` + table("changes") + ` c JOIN ` + table("audit") + ` a ON a.id = c.rec_id
			WHERE c.txid = txid_current() AND c.tbl = 'audit' AND c.op = 'INSERT'
				AND a.body->>'entity' = ent AND (a.body->>'entity_id')::bigint = rid) THEN
			` + refuse("a change to % record % must come with the history entry that describes it", "TG_TABLE_NAME", "rid") + `
		END IF;
		IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'findings' THEN
			IF OLD.status IS DISTINCT FROM NEW.status OR OLD.rag IS DISTINCT FROM NEW.rag THEN
				IF NOT EXISTS (SELECT 1 FROM ` + table("changes") + ` c JOIN ` + table("updates") + ` u ON u.id = c.rec_id
					WHERE c.txid = txid_current() AND c.tbl = 'updates' AND c.op = 'INSERT'
						AND u.finding_id = NEW.id AND u.status = NEW.status) THEN
					` + refuse("finding % moved to % (%) without the progress update that records it", "NEW.ref", "NEW.status", "NEW.rag") + `
				END IF;
			END IF;
		END IF;
		RETURN NULL;
	END $$`
}

// logFunction writes the database's own log of a change.
func logFunction() string {
	return `CREATE FUNCTION ` + fnLogChange + `() RETURNS trigger LANGUAGE plpgsql` + definer + `AS $$
	BEGIN
		IF TG_OP = 'DELETE' THEN
			INSERT INTO ` + table("changes") + ` (tbl, rec_id, op) VALUES (TG_TABLE_NAME, OLD.id, TG_OP);
		ELSE
			INSERT INTO ` + table("changes") + ` (tbl, rec_id, op, digest, status) VALUES (TG_TABLE_NAME, NEW.id, TG_OP,
				encode(sha256(convert_to(NEW.body::text, 'UTF8')), 'hex'),
				CASE WHEN TG_TABLE_NAME = 'findings' THEN NEW.body->>'status' END);
		END IF;
		RETURN NULL;
	END $$`
}

// syncRules makes the lifecycle tables the model's: the moves the
// lifecycle allows and the ratings that fit each status.
func syncRules(ctx context.Context, tx pgx.Tx) error {
	for _, s := range []string{
		`DELETE FROM ` + table("lifecycle"),
		`INSERT INTO ` + table("lifecycle") + ` VALUES ` + lifecycleRows(),
		`DELETE FROM ` + table("rated_statuses"),
		`INSERT INTO ` + table("rated_statuses") + ` VALUES ` + ratedRows(),
	} {
		if _, err := tx.Exec(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

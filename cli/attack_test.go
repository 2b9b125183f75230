package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"improvementtracker/model"
	"improvementtracker/storage/postgres"
	"improvementtracker/testkit/pgtest"
)

// attackTeam is a shared register holding the Kent sample, with an
// improvement lead, a delivery lead (the Superintendent, Criminal Justice)
// and a viewer, each a login of their own, and the Q4 2024/25 return
// recorded as submitted.
type attackTeam struct {
	url, db, dir     string
	lead, dl, viewer string // connection addresses
	dlName           string // the delivery lead's login
	own, other       model.Finding
	ownMilestone     model.ID
	ownEvidence      model.ID
	dccName          string
}

func newAttackTeam(t *testing.T) *attackTeam {
	t.Helper()
	tm := &attackTeam{url: pgtest.NewDatabase(t), dir: t.TempDir()}
	tm.db = tm.url[strings.Index(tm.url, "@/")+2 : strings.Index(tm.url, "?")]
	kent := filepath.Join(tm.dir, "kent.db")
	mustRun(t, "sample", "--db", kent)
	mustRun(t, "server", "init", "--db", tm.url)
	mustRun(t, "copy", "--from", kent, "--to", tm.url)
	as := func(base, role, person string) (string, string) {
		name, password := pgtest.NewLogin(t, base)
		args := []string{"server", "grant", "--db", tm.url, "--login", name, "--role", role}
		if person != "" {
			args = append(args, "--person", person)
		}
		mustRun(t, args...)
		return pgtest.URL(tm.db, name, password), name
	}
	tm.lead, _ = as("lead", "improvement-lead", "Improvement lead")
	tm.dl, tm.dlName = as("cj", "delivery-lead", "Superintendent, Criminal Justice")
	tm.viewer, _ = as("chief", "viewer", "")
	tm.dccName = "Deputy Chief Constable"

	s, err := postgres.Open(context.Background(), tm.lead, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		people, err := tx.People()
		if err != nil {
			return err
		}
		var cj model.ID
		for _, p := range people {
			if p.Name == "Superintendent, Criminal Justice" {
				cj = p.ID
			}
		}
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		for _, f := range fs {
			switch {
			case f.DeliveryLeadID == cj && f.Status == model.InProgress && tm.own.ID == 0:
				ms, err := tx.Milestones(f.ID)
				if err != nil {
					return err
				}
				if len(ms) > 0 {
					tm.own, tm.ownMilestone = f, ms[0].ID
				}
			case f.DeliveryLeadID != cj && f.Status.IsOpen() && tm.other.ID == 0:
				tm.other = f
			}
		}
		es, err := tx.Evidence(tm.own.ID)
		if err == nil && len(es) > 0 {
			tm.ownEvidence = es[0].ID
		}
		return err
	})
	if err != nil || tm.own.ID == 0 || tm.other.ID == 0 {
		t.Fatalf("the sample has no finding for the attacks (own %q, other %q): %v", tm.own.Ref, tm.other.Ref, err)
	}
	// The Q4 2024/25 return is submitted.
	mustRun(t, "export", "return", "--db", tm.lead, "--quarter", "Q4 2024/25", "--out", filepath.Join(tm.dir, "q4.xlsx"), "--record")
	return tm
}

// timeOfDay hides the time a workbook or message was made, which moves
// between two runs of the same command.
var timeOfDay = regexp.MustCompile(`\d{2}:\d{2}(:\d{2})?`)

// workbookText is every cell of every sheet, row by row, as a reader sees
// it.
func workbookText(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "[%s]\n", sheet)
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return timeOfDay.ReplaceAllString(b.String(), "hh:mm")
}

// view is what the improvement lead sees: the list, the Q3 2026/27 and
// Q4 2024/25 returns, and check.
type view struct{ list, q3, q4, check string }

func (tm *attackTeam) view(t *testing.T, n int) view {
	t.Helper()
	var v view
	v.list = mustRun(t, "list", "--db", tm.lead, "--format", "csv")
	for _, q := range []struct {
		quarter string
		into    *string
	}{{"Q3 2026/27", &v.q3}, {"Q4 2024/25", &v.q4}} {
		out := filepath.Join(tm.dir, fmt.Sprintf("view-%d-%s.xlsx", n, strings.ReplaceAll(strings.ReplaceAll(q.quarter, " ", ""), "/", "-")))
		mustRun(t, "export", "return", "--db", tm.lead, "--quarter", q.quarter, "--out", out)
		*q.into = workbookText(t, out)
	}
	_, out, errOut := run(t, "check", "--db", tm.lead)
	v.check = timeOfDay.ReplaceAllString(out+errOut, "hh:mm")
	return v
}

// differs names what an attempt changed of the view.
func (v view) differs(w view) []string {
	var out []string
	for _, c := range []struct{ name, a, b string }{{"list", v.list, w.list}, {"Q3 2026/27 return", v.q3, w.q3},
		{"Q4 2024/25 return", v.q4, w.q4}, {"check", v.check, w.check}} {
		if c.a != c.b {
			out = append(out, c.name)
		}
	}
	return out
}

// attempt is one thing a login tries with raw SQL, committed.
type attempt struct {
	name string
	sql  func(tm *attackTeam, me string) string
}

const it = "improvement_tracker."

// lockFirst takes the register's write lock the way the app does, as a
// careful attacker would.
const lockFirst = `SELECT * FROM ` + it + `lock_register();`

func attempts() []attempt {
	id := func(x model.ID) string { return fmt.Sprint(uint64(x)) }
	update := func(finding model.ID, author, date, recorded, status string) string {
		return `INSERT INTO ` + it + `updates (id, body) VALUES (nextval('` + it + `updates_id_seq'),
			jsonb_build_object('id', currval('` + it + `updates_id_seq'), 'finding_id', ` + id(finding) + `, 'date', '` + date + `',
				'narrative', 'Recruitment completed.', 'status', '` + status + `', 'rag', 'Green', 'author', ` + author + `, 'recorded', ` + recorded + `));`
	}
	event := func(who, at, entity, entityID, finding string) string {
		return `INSERT INTO ` + it + `audit (id, body, at) VALUES (nextval('` + it + `audit_id_seq'),
			jsonb_build_object('id', currval('` + it + `audit_id_seq'), 'at', ` + at + `, 'who', ` + who + `, 'action', 'create',
				'entity', '` + entity + `', 'entity_id', ` + entityID + `, 'finding_id', ` + finding + `, 'summary', 'Closure agreed by the DCC',
				'prev', (SELECT encode(sha256(convert_to(body::text, 'UTF8')), 'hex') FROM ` + it + `audit ORDER BY id DESC LIMIT 1)), ` + at + `);`
	}
	q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	return []attempt{
		{"an update under the own finding whose body names another", func(tm *attackTeam, me string) string {
			return `INSERT INTO ` + it + `updates (id, finding_id, body) VALUES (nextval('` + it + `updates_id_seq'), ` + id(tm.own.ID) + `,
				jsonb_build_object('id', currval('` + it + `updates_id_seq'), 'finding_id', ` + id(tm.other.ID) + `, 'date', '2026-11-20',
				'narrative', 'x', 'status', 'In progress', 'rag', 'Green', 'author', 'x', 'recorded', now()))`
		}},
		{"an update filed under another finding, with the lock and a history entry", func(tm *attackTeam, me string) string {
			return lockFirst + update(tm.other.ID, q(tm.dccName), "2026-11-20", "now()", "In progress") +
				event(q(tm.dccName), "now()", "update", "currval('"+it+"updates_id_seq')", id(tm.other.ID))
		}},
		{"a milestone re-pointed at another finding", func(tm *attackTeam, me string) string {
			return lockFirst + `UPDATE ` + it + `milestones SET body = jsonb_set(body, '{finding_id}', '` + id(tm.other.ID) + `') WHERE id = ` + id(tm.ownMilestone) + `;` +
				event(q(me), "now()", "milestone", id(tm.ownMilestone), id(tm.other.ID))
		}},
		{"the own finding closed with no update", func(tm *attackTeam, me string) string {
			return lockFirst + `UPDATE ` + it + `findings SET body = body || '{"status":"Closed (inspectorate agreed)","rag":"Blue"}' WHERE id = ` + id(tm.own.ID)
		}},
		{"the own finding closed with a forged update and history entry", func(tm *attackTeam, me string) string {
			return lockFirst + `UPDATE ` + it + `findings SET body = body || '{"status":"Closed (inspectorate agreed)","rag":"Blue"}' WHERE id = ` + id(tm.own.ID) + `;` +
				update(tm.own.ID, q(me), "2026-11-30", "now()", "Closed (inspectorate agreed)") +
				event(q(me), "now()", "finding", id(tm.own.ID), id(tm.own.ID))
		}},
		{"a status that is not one", func(tm *attackTeam, me string) string {
			return lockFirst + `UPDATE ` + it + `findings SET body = body || '{"status":"Banana"}' WHERE id = ` + id(tm.own.ID) + `;` +
				update(tm.own.ID, q(me), "2026-11-30", "now()", "Banana") + event(q(me), "now()", "finding", id(tm.own.ID), id(tm.own.ID))
		}},
		{"an evidence location rewritten", func(tm *attackTeam, me string) string {
			if tm.ownEvidence == 0 {
				return lockFirst + `UPDATE ` + it + `milestones SET body = jsonb_set(body, '{title}', '"Rewritten"') WHERE id = ` + id(tm.ownMilestone)
			}
			return lockFirst + `UPDATE ` + it + `evidence SET body = jsonb_set(body, '{location}', '"\\\\elsewhere\\fake.docx"') WHERE id = ` + id(tm.ownEvidence)
		}},
		{"a history entry naming the Deputy Chief Constable", func(tm *attackTeam, me string) string {
			return lockFirst + event(q(tm.dccName), "now()", "finding", id(tm.own.ID), id(tm.own.ID))
		}},
		{"a history entry back-dated", func(tm *attackTeam, me string) string {
			return lockFirst + event(q(me), "'2025-03-01T10:00:00Z'::timestamptz", "finding", id(tm.own.ID), id(tm.own.ID))
		}},
		{"a progress update signed by the Deputy Chief Constable", func(tm *attackTeam, me string) string {
			return lockFirst + update(tm.own.ID, q(tm.dccName), "2026-11-20", "now()", "In progress") +
				event(q(me), "now()", "update", "currval('"+it+"updates_id_seq')", id(tm.own.ID))
		}},
		{"a progress update back-dated into Q4 2024/25, recorded then", func(tm *attackTeam, me string) string {
			return lockFirst + update(tm.own.ID, q(me), "2025-02-15", "'2025-02-20T10:00:00Z'", "In progress") +
				event(q(me), "now()", "update", "currval('"+it+"updates_id_seq')", id(tm.own.ID))
		}},
		{"history entries with record numbers ahead of the register's", func(tm *attackTeam, me string) string {
			return lockFirst + `INSERT INTO ` + it + `audit (id, body, at) SELECT n, jsonb_build_object('id', n, 'at', now(), 'who', ` + q(me) + `,
				'action', 'create', 'entity', 'finding', 'entity_id', ` + id(tm.own.ID) + `, 'finding_id', ` + id(tm.own.ID) + `, 'summary', 'x'), now()
				FROM generate_series((SELECT max(id) + 1000 FROM ` + it + `audit), (SELECT max(id) + 1049 FROM ` + it + `audit)) n`
		}},
		{"a finding given another reference", func(tm *attackTeam, me string) string {
			return lockFirst + `UPDATE ` + it + `findings SET body = jsonb_set(body, '{ref}', '"KEN-PEEL2122-AFI-99"') WHERE id = ` + id(tm.own.ID)
		}},
		{"the database's log rewritten", func(tm *attackTeam, me string) string {
			return `DELETE FROM ` + it + `changes`
		}},
		{"the write lock taken directly", func(tm *attackTeam, me string) string {
			return `SELECT * FROM ` + it + `write_lock FOR UPDATE`
		}},
	}
}

// TestAttacksThroughPsql has each login try, through its own connection
// and committed, every way around the register's rules the issue's
// reviewer tried, and holds that each is refused or changes nothing the
// improvement lead then sees in the list, two returns or check. The table
// it logs is the one the README gives.
func TestAttacksThroughPsql(t *testing.T) {
	if testing.Short() {
		t.Skip("the attack suite runs in the full suite")
	}
	tm := newAttackTeam(t)
	before := tm.view(t, 0)
	if !strings.Contains(before.check, "is sound") {
		t.Fatalf("check before any attempt:\n%s", before.check)
	}
	ctx := context.Background()
	n := 0
	var table strings.Builder
	fmt.Fprintf(&table, "%-75s %-18s %-18s %s\n", "attempt", "delivery lead", "improvement lead", "viewer")
	for _, a := range attempts() {
		fmt.Fprintf(&table, "%-75s", a.name)
		for _, role := range []struct{ name, url, me string }{
			{"delivery lead", tm.dl, "Superintendent, Criminal Justice"},
			{"improvement lead", tm.lead, "Improvement lead"},
			{"viewer", tm.viewer, ""},
		} {
			conn, err := pgx.Connect(ctx, role.url)
			if err != nil {
				t.Fatal(err)
			}
			_, err = conn.Exec(ctx, "BEGIN; "+a.sql(tm, role.me)+"; COMMIT;")
			_ = conn.Close(ctx)
			outcome := "refused"
			if err != nil {
				t.Logf("%s, as %s: %s", a.name, role.name, strings.SplitN(err.Error(), "\n", 2)[0])
			}
			if err == nil {
				n++
				if diff := before.differs(tm.view(t, n)); len(diff) > 0 {
					outcome = "LANDED"
					t.Errorf("%s, as %s, was committed and changed the %s", a.name, role.name, strings.Join(diff, ", "))
				} else {
					outcome = "harmless"
				}
			}
			fmt.Fprintf(&table, " %-18s", outcome)
		}
		table.WriteString("\n")
	}
	t.Logf("attempts per role:\n%s", table.String())

	// Recording late is allowed, and shown: the delivery lead's own update,
	// dated into the submitted quarter, signed and timed by the server.
	conn, err := pgx.Connect(ctx, tm.dl)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	s, err := postgres.Open(ctx, tm.dl, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Update(ctx, model.Actor{Who: "Improvement lead"}, func(tx model.Tx) error {
		return tx.AppendUpdate(&model.Update{FindingID: tm.own.ID, Date: model.MustDate("15/02/2025"), Narrative: "Typed in late: the February review.",
			Status: model.InProgress, RAG: model.Amber, Author: "Improvement lead"})
	})
	if err != nil {
		t.Fatalf("a late update through the app: %v", err)
	}
	after := tm.view(t, n+1)
	for _, want := range []string{"Recorded after a return was submitted (1;", "the progress update of 15/02/2025 on " + tm.own.Ref,
		"by Superintendent, Criminal Justice", "after the return for Q4 2024/25", "is sound"} {
		if !strings.Contains(after.check, want) {
			t.Errorf("check after a late update does not say %q:\n%s", want, after.check)
		}
	}
	// The next return names it among the changes since the last one.
	if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(tm.own.Ref) + `\t[^\n]*\tRecorded late\tProgress update of 15/02/2025\tNot in the Q4 2024/25 return \(submitted [0-9/]+\)\tRecorded [0-9/]+ by Superintendent, Criminal Justice: In progress, Amber$`).MatchString(after.q3) {
		t.Errorf("the Q3 2026/27 return does not name the late update in its changes since the last return:\n%s", after.q3[strings.Index(after.q3, "[Changes since last return]"):])
	}
}

// TestNoLoginBlocksTheLead: while a viewer holds every lock it can take, and
// while a delivery lead holds the register's write lock, the improvement
// lead's save succeeds, or fails within the lock wait naming the login in
// the way.
func TestNoLoginBlocksTheLead(t *testing.T) {
	tm := newAttackTeam(t)
	ctx := context.Background()
	save := func() error {
		s, err := postgres.Open(ctx, tm.lead, postgres.Options{})
		if err != nil {
			return err
		}
		defer s.Close()
		return s.Update(ctx, model.Actor{}, func(tx model.Tx) error {
			f, err := tx.Finding(tm.other.ID)
			if err != nil {
				return err
			}
			f.Interpretation += " Reviewed."
			return tx.SaveFinding(&f)
		})
	}
	viewer, err := pgx.Connect(ctx, tm.viewer)
	if err != nil {
		t.Fatal(err)
	}
	defer viewer.Close(ctx)
	vtx, err := viewer.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Every lock a viewer can take: the advisory lock the app used before,
	// shared locks on the tables it may read.
	for _, sql := range []string{`SELECT pg_advisory_lock(5291017946178838817)`, `SELECT pg_advisory_xact_lock(5291017946178838817)`,
		`LOCK TABLE ` + it + `findings, ` + it + `audit, ` + it + `updates IN ACCESS SHARE MODE`} {
		if _, err := vtx.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	for _, sql := range []string{lockFirst, `SELECT * FROM ` + it + `write_lock FOR UPDATE`, `LOCK TABLE ` + it + `audit IN EXCLUSIVE MODE`} {
		sp, _ := vtx.Begin(ctx) // a savepoint, so the transaction goes on
		if _, err := sp.Exec(ctx, sql); err == nil {
			t.Errorf("a viewer could run %s", sql)
		}
		_ = sp.Rollback(ctx)
	}
	start := time.Now()
	if err := save(); err != nil {
		t.Errorf("the lead's save while a viewer holds its locks: %v", err)
	}
	d := time.Since(start)
	t.Logf("the lead's save while a viewer held every lock it could: %s", d.Round(time.Millisecond))
	if d > 10*time.Second {
		t.Errorf("the lead's save took %s while a viewer held its locks", d)
	}
	_ = vtx.Rollback(ctx)

	// A delivery lead who takes the write lock and leaves the transaction
	// open (psql left in the middle of a change) is ended by the server
	// within seconds, and the lead's save goes through.
	idle, err := pgx.Connect(ctx, tm.dl)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close(ctx)
	itx, err := idle.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := itx.Exec(ctx, lockFirst); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	err = save()
	d = time.Since(start)
	t.Logf("the lead's save behind a delivery lead's idle transaction: %s, %v", d.Round(time.Millisecond), err)
	if err != nil || d > 10*time.Second {
		t.Errorf("the lead's save behind an idle transaction holding the lock took %s: %v", d, err)
	}

	// A delivery lead who takes the write lock and sits on it, keeping the
	// transaction from being ended.
	dl, err := pgx.Connect(ctx, tm.dl)
	if err != nil {
		t.Fatal(err)
	}
	defer dl.Close(ctx)
	dtx, err := dl.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dtx.Exec(ctx, `SET LOCAL idle_in_transaction_session_timeout = 0; `+lockFirst+` SET LOCAL idle_in_transaction_session_timeout = 0`); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	err = save()
	d = time.Since(start)
	t.Logf("the lead's save behind a delivery lead's lock ended after %s: %v", d.Round(time.Millisecond), err)
	if err == nil || !strings.Contains(err.Error(), `the login "`+tm.dlName+`" has kept`) || !strings.Contains(err.Error(), "nothing") && !strings.Contains(err.Error(), "not saved") {
		t.Errorf("the lead's save behind a delivery lead's lock: %v", err)
	}
	if d > 10*time.Second {
		t.Errorf("the lead's save waited %s behind a delivery lead's lock", d)
	}
	_ = dtx.Rollback(ctx)
}

// TestCheckFindsRowsForgedAroundTheTriggers: the owner, who may switch the
// register's triggers off, is outside its rules; what it forges so is
// found by check, naming the row.
func TestCheckFindsRowsForgedAroundTheTriggers(t *testing.T) {
	tm := newAttackTeam(t)
	ctx := context.Background()
	if out := mustRun(t, "check", "--db", tm.lead); !strings.Contains(out, "is sound") {
		t.Fatalf("check before: %s", out)
	}
	ref := tm.own.Ref
	for _, c := range []struct {
		name, sql string
		want      []string
	}{
		{"every trigger off", `ALTER TABLE ` + it + `findings DISABLE TRIGGER ALL;
			UPDATE ` + it + `findings SET body = body || '{"status":"Closed (inspectorate agreed)","rag":"Blue"}' WHERE id = ` + fmt.Sprint(uint64(tm.own.ID)) + `;
			ALTER TABLE ` + it + `findings ENABLE TRIGGER ALL`,
			[]string{"finding " + ref + " is not what the database's log of changes last recorded", "triggers switched off"}},
		{"the rules' triggers off, the log's on", `ALTER TABLE ` + it + `findings DISABLE TRIGGER guard_write, DISABLE TRIGGER check_paired;
			UPDATE ` + it + `findings SET body = body || '{"status":"Superseded / carried forward","rag":"Blue"}' WHERE id = ` + fmt.Sprint(uint64(tm.other.ID)) + `;
			ALTER TABLE ` + it + `findings ENABLE TRIGGER guard_write, ENABLE TRIGGER check_paired`,
			[]string{"finding " + tm.other.Ref + " was changed by the login", "with no history entry describing it",
				"finding " + tm.other.Ref + " went from", "with no progress update recording it"}},
		{"a history entry slipped in", `ALTER TABLE ` + it + `audit DISABLE TRIGGER ALL;
			INSERT INTO ` + it + `audit (id, body, at) VALUES (99999, '{"id":99999,"at":"2026-01-01T00:00:00Z","who":"Deputy Chief Constable","action":"change","entity":"finding","entity_id":1,"summary":"Forged"}', '2026-01-01');
			ALTER TABLE ` + it + `audit ENABLE TRIGGER ALL`,
			[]string{`the history entry "Forged" (record 99999) is not in the database's log of changes`, "does not follow the entry before it"}},
	} {
		if _, err := pgtest.Exec(ctx, tm.db, c.sql); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		code, out, errOut := run(t, "check", "--db", tm.lead)
		t.Logf("check after %s:\n%s%s", c.name, out, errOut)
		if code != 1 || !strings.Contains(errOut, "problem(s)") {
			t.Errorf("%s: check exit %d, %s%s", c.name, code, out, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: check does not say %q:\n%s", c.name, w, out)
			}
		}
	}
}

package postgres_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
	"improvementtracker/model/storetest"
	"improvementtracker/storage/bolt"
	"improvementtracker/storage/postgres"
	"improvementtracker/storage/transfer"
	"improvementtracker/testkit/pgtest"
)

// login is a PostgreSQL login of a test, with its password.
type login struct{ name, password string }

// team is a register with a login for each role: an improvement lead
// (Pat Lead), a delivery lead (Jo Bloggs, who leads the seed's finding),
// a viewer (the ACC) and a login with no role. Sam Analyst leads the
// other finding.
type team struct {
	url, db                string
	owner                  *postgres.Store
	seed                   storetest.Seeded
	sam, pat               model.Person
	other                  model.Finding
	lead, dl, viewer, none login
	clock                  *clock
}

func newTeam(t *testing.T) *team {
	t.Helper()
	c := newClock()
	owner, url := openNew(t, c.Now)
	tm := &team{url: url, db: dbName(url), owner: owner, seed: storetest.Seed(t, owner), clock: c}
	mustUpdate(t, owner, func(tx model.Tx) error {
		tm.sam = model.Person{Name: "Sam Analyst", Role: "Analyst"}
		if err := tx.SavePerson(&tm.sam); err != nil {
			return err
		}
		tm.pat = model.Person{Name: "Pat Lead", Role: "Force improvement lead"}
		if err := tx.SavePerson(&tm.pat); err != nil {
			return err
		}
		tm.other = model.Finding{ReportID: tm.seed.Report.ID, Type: model.AFI, Area: "Protecting vulnerable people",
			Title: "Missing children", Verbatim: "The force should improve how it finds missing children.",
			DeliveryLeadID: tm.sam.ID, CurrentTarget: model.MustDate("31/03/2026"), Status: model.NotStarted}
		return tx.SaveFinding(&tm.other)
	})
	ctx := context.Background()
	mk := func(base string, role postgres.Role, person string) login {
		name, pw := pgtest.NewLogin(t, base)
		if role != "" {
			if _, err := postgres.Grant(ctx, url, postgres.Options{}, name, role, person); err != nil {
				t.Fatal(err)
			}
		}
		return login{name, pw}
	}
	tm.lead = mk("pat", postgres.RoleImprovementLead, "Pat Lead")
	tm.dl = mk("jo", postgres.RoleDeliveryLead, "jo.bloggs@example.police.uk") // by email
	tm.viewer = mk("acc", postgres.RoleViewer, "assistant chief constable (crime)")
	tm.none = mk("nobody", "", "")
	return tm
}

// url is the register's address for a login.
func (tm *team) urlAs(l login) string { return pgtest.URL(tm.db, l.name, l.password) }

// open opens the register as a login.
func (tm *team) open(t *testing.T, l login) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), tm.urlAs(l), postgres.Options{Now: tm.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// finding reads a finding as the owner.
func (tm *team) finding(t *testing.T, id model.ID) (f model.Finding, updates []model.Update, trail []model.AuditEvent) {
	t.Helper()
	mustView(t, tm.owner, func(tx model.ReadTx) error {
		f = must(tx.Finding(id))
		updates = must(tx.Updates(id))
		trail = must(tx.Audit(id))
		return nil
	})
	return f, updates, trail
}

// TestRolesThroughTheStore checks each role through the app's own store:
// what it may do is done, and what it may not is refused in words with
// nothing saved.
func TestRolesThroughTheStore(t *testing.T) {
	tm := newTeam(t)
	ctx := context.Background()
	own, other := tm.seed.Finding, tm.other

	t.Run("a login without a role", func(t *testing.T) {
		_, err := postgres.Open(ctx, tm.urlAs(tm.none), postgres.Options{})
		if !errors.Is(err, postgres.ErrNoRole) {
			t.Fatalf("open: %v, want ErrNoRole", err)
		}
		wantWords(t, err, `the login "`+tm.none.name+`" has no role in this register`, "ask the force's improvement lead",
			"improvement-tracker server grant --db URL --login "+tm.none.name)
	})

	t.Run("viewer", func(t *testing.T) {
		s := tm.open(t, tm.viewer)
		if !s.ReadOnly() || s.Role() != postgres.RoleViewer || s.Login() != tm.viewer.name {
			t.Errorf("ReadOnly %v, Role %q, Login %q", s.ReadOnly(), s.Role(), s.Login())
		}
		mustView(t, s, func(tx model.ReadTx) error {
			fs := must(tx.Findings())
			if len(fs) != 2 || fs[0].Ref != own.Ref || fs[1].Title != "Missing children" {
				t.Errorf("the viewer reads %d findings: %+v", len(fs), fs)
			}
			return nil
		})
		err := s.Update(ctx, model.Actor{}, func(tx model.Tx) error {
			return tx.SavePerson(&model.Person{Name: "Someone"})
		})
		wantWords(t, err, `your login "`+tm.viewer.name+`" is a viewer`, "may read the register but not change it", "nothing was saved")
		// Past the store's own check, the database refuses the insert.
		err = s.UpdateRecords(ctx, func(rec model.RecordWriter) error {
			return rec.Put(model.KindPerson, 99, &model.Person{ID: 99, Name: "Someone"})
		})
		wantWords(t, err, `your login "`+tm.viewer.name+`" may not make this change, so nothing was saved`, "only an improvement lead or a delivery lead may change the register")
		mustView(t, tm.owner, func(tx model.ReadTx) error {
			if ps := must(tx.People()); len(ps) != 4 {
				t.Errorf("the register has %d people after the viewer's refused inserts, want 4", len(ps))
			}
			return nil
		})
		// A viewer may still save a copy to work offline.
		file, err := bolt.Open(filepath.Join(t.TempDir(), "offline.db"), bolt.Options{Now: tm.clock.Now, NoBackup: true})
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		sum, err := transfer.Copy(ctx, s, file)
		if err != nil {
			t.Fatal(err)
		}
		mustView(t, file, func(tx model.ReadTx) error {
			if fs := must(tx.Findings()); len(fs) != 2 || fs[1].Title != "Missing children" || len(must(tx.People())) != 4 {
				t.Errorf("the viewer's copy (%+v) holds %d findings", sum, len(fs))
			}
			return nil
		})
	})

	t.Run("delivery lead", func(t *testing.T) {
		s := tm.open(t, tm.dl)
		if s.ReadOnly() || s.Role() != postgres.RoleDeliveryLead {
			t.Errorf("ReadOnly %v, Role %q", s.ReadOnly(), s.Role())
		}
		tm.clock.Advance(60_000_000_000)
		// Their own finding: an update (which sets its status and RAG),
		// a milestone and evidence with a file. The app passes the
		// Author setting as the actor; the trail and the update name the
		// login's person instead.
		err := s.Update(ctx, model.Actor{Who: "Improvement Team"}, func(tx model.Tx) error {
			if err := tx.AppendUpdate(&model.Update{FindingID: own.ID, Date: model.MustDate("01/11/2025"),
				Narrative: "Two investigators recruited.", Status: model.InProgress, RAG: model.Amber}); err != nil {
				return err
			}
			m := model.Milestone{FindingID: own.ID, Title: "Recruit 12 investigators", CurrentDue: model.MustDate("31/01/2026")}
			if err := tx.SaveMilestone(&m); err != nil {
				return err
			}
			m.Notes = "Two of twelve in post."
			if err := tx.SaveMilestone(&m); err != nil {
				return err
			}
			return tx.AddEvidence(&model.Evidence{FindingID: own.ID, Title: "Recruitment plan", FileName: "plan.txt",
				EffectiveDate: model.MustDate("01/11/2025")}, []byte("plan"))
		})
		if err != nil {
			t.Fatal(err)
		}
		f, updates, trail := tm.finding(t, own.ID)
		if f.Status != model.InProgress || f.RAG != model.Amber || f.Title != own.Title {
			t.Errorf("the finding after the delivery lead's update: %s, %s, %q", f.Status, f.RAG, f.Title)
		}
		if len(updates) != 1 || updates[0].Author != "Jo Bloggs" || updates[0].Narrative != "Two investigators recruited." {
			t.Errorf("updates: %+v", updates)
		}
		saved := trail[len(trail)-5:]
		wantEntities := []model.Entity{model.EntityUpdate, model.EntityFinding, model.EntityMilestone, model.EntityMilestone, model.EntityEvidence}
		for i, ev := range saved {
			if ev.Who != "Jo Bloggs" || ev.Entity != wantEntities[i] || ev.FindingID != own.ID {
				t.Errorf("audit event %d: who %q, entity %s, finding #%d; want Jo Bloggs, %s, #%d", i, ev.Who, ev.Entity, ev.FindingID, wantEntities[i], own.ID)
			}
		}
		mustView(t, tm.owner, func(tx model.ReadTx) error {
			ev := must(tx.Evidence(own.ID))
			if len(ev) != 1 || ev[0].AddedBy != "Jo Bloggs" || string(must(tx.EvidenceFile(ev[0].ID))) != "plan" {
				t.Errorf("evidence: %+v", ev)
			}
			return nil
		})

		// Someone else's finding: refused, nothing saved.
		beforeOther, beforeUpdates, beforeTrail := tm.finding(t, other.ID)
		err = s.Update(ctx, model.Actor{}, func(tx model.Tx) error {
			return tx.AppendUpdate(&model.Update{FindingID: other.ID, Date: model.MustDate("01/11/2025"),
				Narrative: "Not mine.", Status: model.InProgress, RAG: model.Green})
		})
		wantWords(t, err, `your login "`+tm.dl.name+`" may not make this change, so nothing was saved`,
			"a delivery lead adds progress updates, milestones and evidence to the findings they lead", "row-level security")
		for name, fn := range map[string]func(tx model.Tx) error{
			"a milestone": func(tx model.Tx) error {
				return tx.SaveMilestone(&model.Milestone{FindingID: other.ID, Title: "Not mine", CurrentDue: model.MustDate("31/01/2026")})
			},
			"evidence": func(tx model.Tx) error {
				return tx.AddEvidence(&model.Evidence{FindingID: other.ID, Title: "Not mine", Location: "R:/plans", EffectiveDate: model.MustDate("01/11/2025")}, nil)
			},
			"a change to its title": func(tx model.Tx) error {
				f := must(tx.Finding(other.ID))
				f.Title = "Renamed"
				return tx.SaveFinding(&f)
			},
		} {
			err := s.Update(ctx, model.Actor{}, fn)
			if err == nil || !strings.Contains(err.Error(), "may not make this change") {
				t.Errorf("%s on someone else's finding: %v", name, err)
			}
		}
		afterOther, afterUpdates, afterTrail := tm.finding(t, other.ID)
		sameJSON(t, "the other finding", afterOther, beforeOther)
		if len(afterUpdates) != len(beforeUpdates) || len(afterTrail) != len(beforeTrail) {
			t.Errorf("the refused saves left %d updates and %d events, want %d and %d", len(afterUpdates), len(afterTrail), len(beforeUpdates), len(beforeTrail))
		}

		// Their own finding, but not its status: refused by the trigger.
		err = s.Update(ctx, model.Actor{}, func(tx model.Tx) error {
			f := must(tx.Finding(own.ID))
			f.Title = "A better title"
			return tx.SaveFinding(&f)
		})
		wantWords(t, err, "may not make this change", "a delivery lead may change only the status and RAG rating of a finding they lead")
		if f, _, _ := tm.finding(t, own.ID); f.Title != own.Title {
			t.Errorf("the title changed to %q", f.Title)
		}
		// Nor anything that is not a finding's.
		err = s.Update(ctx, model.Actor{}, func(tx model.Tx) error {
			p := tm.sam
			p.Role = "Senior analyst"
			return tx.SavePerson(&p)
		})
		wantWords(t, err, "may not make this change", "permission denied for table people")
		err = s.Update(ctx, model.Actor{}, func(tx model.Tx) error {
			ms := must(tx.Milestones(own.ID))
			return tx.DeleteMilestone(ms[0].ID)
		})
		wantWords(t, err, "may not make this change", "permission denied for table milestones")
	})

	t.Run("improvement lead", func(t *testing.T) {
		s := tm.open(t, tm.lead)
		if s.ReadOnly() || s.Role() != postgres.RoleImprovementLead {
			t.Errorf("ReadOnly %v, Role %q", s.ReadOnly(), s.Role())
		}
		err := s.Update(ctx, model.Actor{}, func(tx model.Tx) error {
			f := must(tx.Finding(other.ID))
			f.Title = "Missing children: repeat episodes"
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			g := model.Finding{ReportID: tm.seed.Report.ID, Type: model.AFI, Title: "New", Verbatim: "New.", Status: model.NotStarted}
			if err := tx.SaveFinding(&g); err != nil {
				return err
			}
			return tx.SavePerson(&model.Person{Name: "Alex New"})
		})
		if err != nil {
			t.Fatal(err)
		}
		f, _, trail := tm.finding(t, other.ID)
		if f.Title != "Missing children: repeat episodes" || trail[len(trail)-1].Who != "Pat Lead" {
			t.Errorf("after the improvement lead's save: %q by %q", f.Title, trail[len(trail)-1].Who)
		}
		// Progress updates are only added, even by an improvement lead,
		// even through the records.
		_, updates, _ := tm.finding(t, own.ID)
		err = s.UpdateRecords(ctx, func(rec model.RecordWriter) error {
			u := updates[0]
			u.Narrative = "Rewritten."
			return rec.Put(model.KindUpdate, u.ID, &u)
		})
		if err == nil {
			t.Error("an improvement lead's Put over a stored update was not refused")
		}
		if _, after, _ := tm.finding(t, own.ID); after[0].Narrative != "Two investigators recruited." {
			t.Errorf("the update now says %q", after[0].Narrative)
		}
		// A whole register is copied in by the login that set it up.
		err = s.UpdateRecords(ctx, func(rec model.RecordWriter) error {
			return rec.(interface {
				PutBatch(model.Kind, []model.ID, []any) error
			}).PutBatch(model.KindPerson, []model.ID{500}, []any{&model.Person{ID: 500, Name: "Copied"}})
		})
		wantWords(t, err, "only the login that set up", "may copy a whole register into it", tm.lead.name)
	})
}

// TestRolesThroughPsql checks that the database holds each login to its
// role when it connects with psql rather than the app.
func TestRolesThroughPsql(t *testing.T) {
	tm := newTeam(t)
	mustUpdate(t, tm.owner, func(tx model.Tx) error {
		if err := tx.AppendUpdate(&model.Update{FindingID: tm.other.ID, Date: model.MustDate("01/11/2025"),
			Narrative: "Started.", Status: model.InProgress, RAG: model.Green}); err != nil {
			return err
		}
		return tx.SaveMilestone(&model.Milestone{FindingID: tm.seed.Finding.ID, Title: "Plan", CurrentDue: model.MustDate("31/01/2026")})
	})
	own, other := strconv.FormatUint(uint64(tm.seed.Finding.ID), 10), strconv.FormatUint(uint64(tm.other.ID), 10)
	const it = "improvement_tracker."
	ok := func(l login, sql, want string) {
		t.Helper()
		out, err := pgtest.Psql(t, tm.urlAs(l), sql)
		if err != nil || strings.TrimSpace(out) != want {
			t.Errorf("%s: %s\n  got %q (%v), want %q", l.name, sql, out, err, want)
		}
	}
	refused := func(l login, sql, why string) {
		t.Helper()
		out, err := pgtest.Psql(t, tm.urlAs(l), sql)
		if err == nil || !strings.Contains(out, "ERROR:") || !strings.Contains(out, why) {
			t.Errorf("%s: %s\n  got %q (%v), want an error saying %q", l.name, sql, out, err, why)
		}
	}
	superuser := login{name: "postgres"}

	// Everyone with a role reads; the login with none reads nothing.
	for _, l := range []login{tm.viewer, tm.dl, tm.lead} {
		ok(l, `SELECT count(*) FROM `+it+`findings`, "2")
	}
	refused(tm.none, `SELECT count(*) FROM `+it+`findings`, "permission denied for table findings")

	// A viewer writes nothing.
	refused(tm.viewer, `INSERT INTO `+it+`people (id, body) VALUES (900, '{"id":900,"name":"X"}')`, "permission denied for table people")
	refused(tm.viewer, `UPDATE `+it+`findings SET body = body`, "permission denied for table findings")
	refused(tm.viewer, `SELECT nextval('`+it+`people_id_seq')`, "permission denied for sequence people_id_seq")

	// Every change takes the register's write lock first; past it, a
	// change is held to the history entry that describes it at commit.
	locked := func(sql string) string {
		return `BEGIN; SELECT 1 FROM ` + it + `lock_register(); ` + sql + `; COMMIT;`
	}
	const noLock = "must first take its write lock"
	const unpaired = "must come with the history entry that describes it"

	// A delivery lead changes their own finding only as the app would,
	// with its progress update and history entry; nothing else.
	refused(tm.dl, `UPDATE `+it+`findings SET body = jsonb_set(body, '{rag}', '"Red"') WHERE id = `+own, noLock)
	refused(tm.dl, locked(`UPDATE `+it+`findings SET body = jsonb_set(body, '{rag}', '"Red"') WHERE id = `+own), unpaired)
	ok(tm.dl, `UPDATE `+it+`findings SET body = jsonb_set(body, '{rag}', '"Red"') WHERE id = `+other, "UPDATE 0")
	refused(tm.dl, `UPDATE `+it+`findings SET body = jsonb_set(body, '{title}', '"Renamed"') WHERE id = `+own,
		"a delivery lead may change only the status and RAG rating of a finding they lead")
	refused(tm.dl, `UPDATE `+it+`findings SET body = jsonb_set(body, '{delivery_lead_id}', '`+strconv.FormatUint(uint64(tm.sam.ID), 10)+`') WHERE id = `+own,
		"a delivery lead may change only the status and RAG rating")
	refused(tm.dl, `INSERT INTO `+it+`findings (id, body) VALUES (900, '{"id":900}')`, "permission denied for table findings")
	refused(tm.dl, `INSERT INTO `+it+`updates (id, body) VALUES (900, '{"id":900,"finding_id":`+own+`}')`, noLock)
	refused(tm.dl, locked(`INSERT INTO `+it+`updates (id, body) VALUES (1, '{"id":1,"finding_id":`+other+`}')`), "ERROR:")
	refused(tm.dl, locked(`INSERT INTO `+it+`milestones (id, body) VALUES (1, '{"id":1,"finding_id":`+other+`}')`),
		`new row violates row-level security policy for table "milestones"`)
	refused(tm.dl, `INSERT INTO `+it+`updates (id, finding_id, body) VALUES (900, `+own+`, '{"id":900,"finding_id":`+other+`}')`,
		`Column "finding_id" is a generated column`)
	refused(tm.dl, `DELETE FROM `+it+`milestones`, "permission denied for table milestones")
	refused(tm.dl, `UPDATE `+it+`settings SET body = body`, "permission denied for table settings")
	refused(tm.dl, `SELECT nextval('`+it+`findings_id_seq')`, "permission denied for sequence findings_id_seq")
	ok(superuser, `SELECT body->>'title' FROM `+it+`findings ORDER BY id`, "Domestic abuse team resourcing\nMissing children")

	// Nobody changes or deletes a progress update or an audit event: not a
	// delivery lead, not an improvement lead, not even the owner.
	for _, l := range []login{tm.viewer, tm.dl, tm.lead} {
		for _, tbl := range []string{"updates", "audit"} {
			refused(l, `UPDATE `+it+tbl+` SET body = body`, "permission denied for table "+tbl)
			refused(l, `DELETE FROM `+it+tbl, "permission denied for table "+tbl)
		}
	}
	refused(superuser, `UPDATE `+it+`updates SET body = body`, "progress updates are kept as they were written: they cannot be changed or deleted")
	refused(superuser, `DELETE FROM `+it+`audit`, "audit events are kept as they were written: they cannot be changed or deleted")
	refused(superuser, `TRUNCATE `+it+`updates`, "progress updates are kept as they were written")
	ok(superuser, `SELECT (SELECT count(*) FROM `+it+`updates) > 0, (SELECT count(*) FROM `+it+`audit) > 0`, "t|t")

	// An improvement lead changes the rest, but only as the app does:
	// each change with the history entry that describes it.
	refused(tm.lead, `UPDATE `+it+`findings SET body = jsonb_set(body, '{title}', '"Renamed"') WHERE id = `+other, noLock)
	refused(tm.lead, locked(`UPDATE `+it+`findings SET body = jsonb_set(body, '{title}', '"Renamed"') WHERE id = `+other), unpaired)
	refused(tm.lead, locked(`DELETE FROM `+it+`milestones`), unpaired)
	// And may not give roles: only the owner writes the logins table.
	refused(tm.lead, `INSERT INTO `+it+`logins (login, role) VALUES ('x', 'viewer')`, "permission denied for table logins")
	ok(tm.lead, `SELECT login, role FROM `+it+`logins`, tm.lead.name+"|improvement-lead")
}

// TestGrant checks server grant's refusals and re-grants, and what the
// database then holds.
func TestGrant(t *testing.T) {
	tm := newTeam(t)
	ctx := context.Background()
	mustUpdate(t, tm.owner, func(tx model.Tx) error {
		for _, p := range []model.Person{{Name: "Alex Smith", Role: "Inspector", Email: "alex.smith1@example.police.uk"},
			{Name: "Alex Smith", Role: "Sergeant"}, {Name: "Old Hand", Retired: true}} {
			if err := tx.SavePerson(&p); err != nil {
				return err
			}
		}
		return nil
	})
	fresh, _ := pgtest.NewLogin(t, "fresh")
	if _, err := pgtest.Exec(ctx, "postgres", `CREATE ROLE `+pgtest.Quote(fresh+"_group")+` NOLOGIN`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = pgtest.Exec(ctx, "postgres", `DROP ROLE IF EXISTS `+pgtest.Quote(fresh+"_group")) })
	grant := func(url, who string, role postgres.Role, person string) (postgres.GrantResult, error) {
		return postgres.Grant(ctx, url, postgres.Options{}, who, role, person)
	}
	for _, c := range []struct {
		name, login string
		role        postgres.Role
		person      string
		url         string
		parts       []string
	}{
		{"a name that matches nobody", fresh, postgres.RoleViewer, "Nobody Atall", "", []string{`no one in the register is called "Nobody Atall"`, "People list"}},
		{"a name that matches two people", fresh, postgres.RoleViewer, "alex smith", "",
			[]string{`2 people in the register are called "alex smith"`, "Alex Smith (Inspector) <alex.smith1@example.police.uk>; Alex Smith (Sergeant)", "email address"}},
		{"a retired person", fresh, postgres.RoleViewer, "Old Hand", "", []string{`"Old Hand" is marked as retired`}},
		{"a delivery lead with no person", fresh, postgres.RoleDeliveryLead, "", "", []string{"a delivery lead must be tied to the person they are", "--person"}},
		{"a login that is not there", "no_such_login", postgres.RoleViewer, "", "", []string{`there is no login "no_such_login"`, `CREATE ROLE "no_such_login" LOGIN`}},
		{"a role that cannot log in", fresh + "_group", postgres.RoleViewer, "", "", []string{"is a role that cannot log in"}},
		{"the owner as a viewer", "postgres", postgres.RoleViewer, "", "", []string{`the login "postgres" owns the register or is a superuser`, "can only be an improvement lead"}},
		{"run by an improvement lead", fresh, postgres.RoleViewer, "", tm.urlAs(tm.lead), []string{"only the login that set up", tm.lead.name + `" is another`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			url := c.url
			if url == "" {
				url = tm.url
			}
			_, err := grant(url, c.login, c.role, c.person)
			wantWords(t, err, c.parts...)
		})
	}
	// Nothing was given.
	if _, err := postgres.Open(ctx, pgtest.URL(tm.db, fresh, "pw-"+fresh), postgres.Options{}); !errors.Is(err, postgres.ErrNoRole) {
		t.Fatalf("open after refused grants: %v", err)
	}

	// A grant, then a re-grant that changes the role; the login's group
	// roles follow.
	res, err := grant(tm.url, fresh, postgres.RoleViewer, "alex.smith1@example.police.uk")
	if err != nil || res.Was != "" || res.Person.Name != "Alex Smith" || res.Person.Role != "Inspector" {
		t.Fatalf("grant: %+v, %v", res, err)
	}
	if got := res.String(); got != `the login "`+fresh+`" is now a viewer, tied to Alex Smith (Inspector)` {
		t.Errorf("the grant says %q", got)
	}
	res, err = grant(tm.url, fresh, postgres.RoleDeliveryLead, "Sam Analyst")
	if err != nil || res.Was != postgres.RoleViewer || res.Person.ID != tm.sam.ID {
		t.Fatalf("re-grant: %+v, %v", res, err)
	}
	if got := res.String(); !strings.Contains(got, "is now a delivery lead (it was a viewer)") {
		t.Errorf("the re-grant says %q", got)
	}
	groups := func() string {
		conn, err := pgx.Connect(ctx, tm.url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var out string
		if err := conn.QueryRow(ctx, `SELECT coalesce(string_agg(g.rolname, ',' ORDER BY g.rolname), '') FROM pg_auth_members m
			JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles l ON l.oid = m.member WHERE l.rolname = $1`, fresh).Scan(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got, want := groups(), "improvement_tracker_"+tm.db+"_delivery_lead"; got != want {
		t.Errorf("the login's group roles: %q, want %q", got, want)
	}
	s, err := postgres.Open(ctx, pgtest.URL(tm.db, fresh, "pw-"+fresh), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Role() != postgres.RoleDeliveryLead || s.ReadOnly() {
		t.Errorf("after the re-grant: %q, read-only %v", s.Role(), s.ReadOnly())
	}
	s.Close()

	logins, err := postgres.Logins(ctx, tm.url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range logins {
		lines = append(lines, l.Login+" "+string(l.Role)+" "+l.Person)
	}
	want := []string{tm.viewer.name + " viewer Assistant Chief Constable (Crime)", fresh + " delivery-lead Sam Analyst",
		tm.dl.name + " delivery-lead Jo Bloggs", tm.lead.name + " improvement-lead Pat Lead"}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("logins:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}

	// Revoke takes the role and the group roles away.
	was, err := postgres.Revoke(ctx, tm.url, postgres.Options{}, fresh)
	if err != nil || was != postgres.RoleDeliveryLead {
		t.Fatalf("revoke: %q, %v", was, err)
	}
	if got := groups(); got != "" {
		t.Errorf("after revoke the login is in %q", got)
	}
	if _, err := postgres.Open(ctx, pgtest.URL(tm.db, fresh, "pw-"+fresh), postgres.Options{}); !errors.Is(err, postgres.ErrNoRole) {
		t.Errorf("open after revoke: %v", err)
	}
	_, err = postgres.Revoke(ctx, tm.url, postgres.Options{}, fresh)
	wantWords(t, err, `the login "`+fresh+`" has no role in`, "nothing to take away")

	// The owner tied to a person: its changes name the person.
	if _, err := grant(tm.url, "postgres", postgres.RoleImprovementLead, "Pat Lead"); err != nil {
		t.Fatal(err)
	}
	owner, err := postgres.Open(ctx, tm.url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	mustUpdate(t, owner, func(tx model.Tx) error { return tx.SavePerson(&model.Person{Name: "Another"}) })
	mustView(t, owner, func(tx model.ReadTx) error {
		trail := must(tx.Audit(0))
		if who := trail[len(trail)-1].Who; who != "Pat Lead" {
			t.Errorf("the owner's change is by %q, want Pat Lead", who)
		}
		return nil
	})
}

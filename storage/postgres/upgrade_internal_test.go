package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/testkit/pgtest"
)

// TestUpgradeFromVersion2 brings a register of schema version 2, holding
// the Kent sample with its whole history, one file attached to two
// records and a delivery lead's login, to the current version (the file
// then kept once): every record, history entry, reference counter, attached file
// and login stays as it was, check calls the register sound, and the
// delivery lead saves through the new rules at once.
//
// The version 2 register is made as version 2 of the app made it: its
// layout by createV1 and createV2, and each record stored as version 2
// stored it (the record's JSON, its finding in a column of its own, the
// reference index, the audit event's time), from the records the app
// writes today.
func TestUpgradeFromVersion2(t *testing.T) {
	ctx := context.Background()
	// The records, as the app writes them.
	srcURL := pgtest.NewDatabase(t)
	if _, err := Init(ctx, srcURL, Options{}); err != nil {
		t.Fatal(err)
	}
	src, err := Open(ctx, srcURL, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := sample.Load(src); err != nil {
		t.Fatal(err)
	}
	// One file attached to two records: kept twice up to version 3, once
	// from version 4.
	if err := src.Update(ctx, model.Actor{}, func(tx model.Tx) error {
		fs, err := tx.Findings()
		if err != nil || len(fs) < 2 {
			return fmt.Errorf("the sample's findings: %d, %v", len(fs), err)
		}
		for _, f := range fs[:2] {
			e := model.Evidence{FindingID: f.ID, Title: "Force policy", FileName: "policy.pdf", EffectiveDate: model.MustDate("01/10/2025")}
			if err := tx.AddEvidence(&e, []byte("%PDF the force policy")); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	before := dumpRecords(t, srcURL)

	// A version 2 register holding them.
	url := pgtest.NewDatabase(t)
	db := url[strings.Index(url, "@/")+2 : strings.Index(url, "?")]
	v2, err := connect(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	login, password := pgtest.NewLogin(t, "cj")
	err = v2.adminWrite(ctx, func(tx pgx.Tx) error {
		if err := createV1(ctx, tx); err != nil {
			return err
		}
		if err := createV2(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO `+table("meta")+` (key, value) VALUES ('schema_version', '2')`); err != nil {
			return err
		}
		return storeAsVersion2(ctx, tx, srcURL, login)
	})
	v2.pool.Close()
	if err != nil {
		t.Fatal(err)
	}

	res, err := Init(ctx, url, Options{})
	if err != nil || res.From != 2 || res.To != SchemaVersion {
		t.Fatalf("upgrade: %+v, %v", res, err)
	}
	if after := dumpRecords(t, url); after != before {
		t.Errorf("the records changed in the upgrade:\nbefore %d bytes, after %d bytes", len(before), len(after))
	}
	if _, err := pgtest.Exec(ctx, db, `DO $$ BEGIN IF (SELECT count(*) FROM `+table("file_contents")+`) <> 1 THEN RAISE EXCEPTION 'not kept once'; END IF; END $$`); err != nil {
		t.Errorf("the file attached to two records after the upgrade: %v", err)
	}
	logins, err := Logins(ctx, url, Options{})
	if err != nil || len(logins) != 1 || logins[0].Login != login || logins[0].Role != RoleDeliveryLead || logins[0].Person != "Superintendent, Criminal Justice" {
		t.Errorf("the logins after the upgrade: %+v, %v", logins, err)
	}
	s, err := Open(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	chk, err := s.Check(ctx)
	if err != nil || len(chk.Problems) > 0 {
		t.Errorf("check after the upgrade: %+v, %v", chk.Problems, err)
	}
	if chk.Findings != 21 || chk.Events == 0 {
		t.Errorf("check read %d findings and %d history entries", chk.Findings, chk.Events)
	}

	// The delivery lead saves a progress update at once, signed as them.
	dl, err := Open(ctx, pgtest.URL(db, login, password), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dl.Close()
	var own model.Finding
	_ = dl.View(ctx, func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		for _, f := range fs {
			if f.Status == model.InProgress && f.DeliveryLeadID == dl.personID(t) {
				own = f
			}
		}
		return err
	})
	if own.ID == 0 {
		t.Fatal("the delivery lead leads no finding in progress")
	}
	u := model.Update{FindingID: own.ID, Date: model.DateOf(s.Now()), Narrative: "After the upgrade.", Status: model.InProgress, RAG: model.Amber, Author: "Improvement lead"}
	if err := dl.Update(ctx, model.Actor{}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
		t.Fatalf("the delivery lead's save after the upgrade: %v", err)
	}
	_ = dl.View(ctx, func(tx model.ReadTx) error {
		us, err := tx.Updates(own.ID)
		if err != nil || us[len(us)-1].Author != "Superintendent, Criminal Justice" {
			t.Errorf("the update is signed %q, want the login's person (%v)", us[len(us)-1].Author, err)
		}
		return err
	})
	if chk, err := s.Check(ctx); err != nil || len(chk.Problems) > 0 {
		t.Errorf("check after the delivery lead's save: %+v, %v", chk.Problems, err)
	}
}

// personID is the person the store's login is tied to, for a test.
func (s *Store) personID(t *testing.T) model.ID {
	var id int64
	err := s.pool.QueryRow(context.Background(), `SELECT `+fnLedPerson+`()`).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return model.ID(id)
}

// dumpRecords lists every record of every kind, with the settings, the
// reference counters and the attached files, as text.
func dumpRecords(t *testing.T, url string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var b strings.Builder
	for _, k := range kinds {
		var s string
		if err := conn.QueryRow(ctx, `SELECT coalesce(string_agg(id || ' ' || body::text, E'\n' ORDER BY id), '') FROM `+table(string(k))).Scan(&s); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s:\n%s\n", k, s)
	}
	for _, q := range []string{`SELECT body::text FROM ` + table("settings"),
		`SELECT coalesce(string_agg(report_id || type_code || n, ',' ORDER BY report_id, type_code), '') FROM ` + table("ref_counters"),
		filesQuery(t, conn)} {
		var s string
		if err := conn.QueryRow(ctx, q).Scan(&s); err != nil {
			t.Fatal(err)
		}
		b.WriteString(s + "\n")
	}
	return b.String()
}

// filesQuery lists each evidence record's file by the SHA-256 of its
// bytes, in the layout the database has: the bytes beside each record up
// to version 3, kept once by SHA-256 from version 4.
func filesQuery(t *testing.T, conn *pgx.Conn) string {
	t.Helper()
	var once bool
	if err := conn.QueryRow(context.Background(), `SELECT to_regclass($1) IS NOT NULL`, schema+".file_contents").Scan(&once); err != nil {
		t.Fatal(err)
	}
	if once {
		return `SELECT coalesce(string_agg(f.evidence_id || encode(sha256(c.data), 'hex'), ',' ORDER BY f.evidence_id), '')
			FROM ` + table("evidence_files") + ` f JOIN ` + table("file_contents") + ` c ON c.sha256 = f.sha256`
	}
	return `SELECT coalesce(string_agg(evidence_id || encode(sha256(data), 'hex'), ',' ORDER BY evidence_id), '') FROM ` + table("evidence_files")
}

// storeAsVersion2 copies the records at srcURL into the version 2 layout
// tx has made, each stored as version 2 stored it, and gives login the
// delivery lead's role tied to the Superintendent, Criminal Justice.
func storeAsVersion2(ctx context.Context, tx pgx.Tx, srcURL, login string) error {
	src, err := pgx.Connect(ctx, srcURL)
	if err != nil {
		return err
	}
	defer src.Close(ctx)
	copyRows := func(query, insert string) error {
		rows, err := src.Query(ctx, query)
		if err != nil {
			return err
		}
		all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) { return r.Values() })
		if err != nil {
			return err
		}
		for _, r := range all {
			if _, err := tx.Exec(ctx, insert, r...); err != nil {
				return fmt.Errorf("%s: %w", insert, err)
			}
		}
		return nil
	}
	for _, k := range kinds {
		t := table(string(k))
		cols, vals := "id, finding_id, body", "$1, $2, $3"
		sel := `SELECT id, finding_id, body FROM ` + t
		switch k {
		case model.KindAudit:
			cols, vals, sel = cols+", at", vals+", $4", sel[:len(`SELECT id, finding_id, body`)]+", at FROM "+t
		case model.KindFinding:
			sel = `SELECT id, NULL::bigint, body FROM ` + t
		}
		if err := copyRows(sel, `INSERT INTO `+t+` (`+cols+`) VALUES (`+vals+`)`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT setval($1::regclass, greatest((SELECT max(id) FROM `+t+`), 1))`, sequence(k)); err != nil {
			return err
		}
	}
	for _, c := range []struct{ sel, ins string }{
		{`SELECT ref, id FROM ` + table("findings"), `INSERT INTO ` + table("finding_refs") + ` (ref, finding_id) VALUES ($1, $2)`},
		{`SELECT id, body FROM ` + table("settings"), `INSERT INTO ` + table("settings") + ` (id, body) VALUES ($1, $2)`},
		{`SELECT report_id, type_code, n FROM ` + table("ref_counters"), `INSERT INTO ` + table("ref_counters") + ` VALUES ($1, $2, $3)`},
		{`SELECT f.evidence_id, c.data FROM ` + table("evidence_files") + ` f JOIN ` + table("file_contents") + ` c ON c.sha256 = f.sha256`,
			`INSERT INTO ` + table("evidence_files") + ` VALUES ($1, $2)`},
	} {
		if err := copyRows(c.sel, c.ins); err != nil {
			return err
		}
	}
	var group string
	if err := tx.QueryRow(ctx, `SELECT value FROM `+table("meta")+` WHERE key = $1`, metaGroupKey(RoleDeliveryLead)).Scan(&group); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO `+table("logins")+` (login, role, person_id)
		SELECT $1, 'delivery-lead', id FROM `+table("people")+` WHERE body->>'name' = 'Superintendent, Criminal Justice'`, login); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `GRANT `+pgx.Identifier{group}.Sanitize()+` TO `+pgx.Identifier{login}.Sanitize())
	return err
}

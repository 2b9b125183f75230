package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
)

// The groups a check of a shared register reports, in order.
const (
	groupRecords    = "Damaged records"
	groupReferences = "References between records"
	groupRules      = "Records the register's rules would refuse"
	groupHistory    = "History (audit trail)"
	groupAround     = "Changes made around the register's rules"
	groupFiles      = "Attached files"
)

var groupOrder = []string{groupRecords, groupReferences, groupRules, groupHistory, groupAround, groupFiles}

// CheckResult is what Check found.
type CheckResult struct {
	// Problems are grouped by kind; none means the register is sound.
	Problems []model.ProblemGroup
	// Late are progress updates recorded after a submitted return that
	// should have included them: not problems, but to be seen.
	Late []model.LateUpdate
	// What was read.
	Findings, Updates, Events int
}

type findings map[string][]string

func (f findings) add(group, format string, a ...any) {
	f[group] = append(f[group], fmt.Sprintf(format, a...))
}

// Check reads the whole shared register, as the store's login may see it,
// and verifies it as "check" verifies a file, and more, since a server has
// clients other than the app: every row against its columns and against
// the database's own log of changes (a row changed with the triggers
// switched off shows there), every change against the history entry that
// describes it, every change of status against its progress update, every
// history entry and progress update against the login that made it, the
// history as a chain, and every attached file against its digest. It also
// lists the progress updates recorded after a return that should have held
// them. It changes nothing.
func (s *Store) Check(ctx context.Context) (CheckResult, error) {
	var res CheckResult
	err := s.read(ctx, func(tx pgx.Tx) error {
		f := findings{}
		r := &records{ctx: ctx, tx: tx, s: s}
		if err := checkRecordsOf(r, f, &res); err != nil {
			return err
		}
		if err := checkAround(ctx, tx, f); err != nil {
			return err
		}
		for _, g := range groupOrder {
			if len(f[g]) > 0 {
				res.Problems = append(res.Problems, model.ProblemGroup{Title: g, Problems: f[g]})
			}
		}
		return nil
	})
	if err != nil {
		return CheckResult{}, s.wordsFor("check", err, false)
	}
	return res, nil
}

// loadChecked lists every record of a kind; one that cannot be read is
// named and left out.
func loadChecked[T any](r *records, kind model.Kind, f findings) ([]T, error) {
	rows, err := r.tx.Query(r.ctx, `SELECT id, body FROM `+table(string(kind))+` ORDER BY id`)
	if err != nil {
		return nil, err
	}
	var out []T
	for rows.Next() {
		var id int64
		var raw []byte
		if err := rows.Scan(&id, &raw); err != nil {
			rows.Close()
			return nil, err
		}
		var v T
		if err := decode(kind, id, raw, &v); err != nil {
			f.add(groupRecords, "%v", err)
			continue
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// checkRecordsOf checks the records as the app reads them: each readable,
// each reference to another record good, each finding's status and rating
// ones the rules allow, the history a chain, attached files whole.
func checkRecordsOf(r *records, f findings, res *CheckResult) error {
	reports, err := loadChecked[model.Report](r, model.KindReport, f)
	if err != nil {
		return err
	}
	people, err := loadChecked[model.Person](r, model.KindPerson, f)
	if err != nil {
		return err
	}
	fs, err := loadChecked[model.Finding](r, model.KindFinding, f)
	if err != nil {
		return err
	}
	ms, err := loadChecked[model.Milestone](r, model.KindMilestone, f)
	if err != nil {
		return err
	}
	us, err := loadChecked[model.Update](r, model.KindUpdate, f)
	if err != nil {
		return err
	}
	es, err := loadChecked[model.Evidence](r, model.KindEvidence, f)
	if err != nil {
		return err
	}
	events, err := loadChecked[model.AuditEvent](r, model.KindAudit, f)
	if err != nil {
		return err
	}
	subs, err := loadChecked[model.Submission](r, model.KindSubmission, f)
	if err != nil {
		return err
	}
	res.Findings, res.Updates, res.Events = len(fs), len(us), len(events)

	reportIDs, personIDs := map[model.ID]bool{}, map[model.ID]bool{}
	for _, x := range reports {
		reportIDs[x.ID] = true
	}
	for _, p := range people {
		personIDs[p.ID] = true
	}
	byID := map[model.ID]model.Finding{}
	for _, x := range fs {
		byID[x.ID] = x
	}
	refOf := func(id model.ID) string {
		if x, ok := byID[id]; ok {
			return x.Ref
		}
		return fmt.Sprintf("finding record %d", id)
	}
	for _, x := range fs {
		if !reportIDs[x.ReportID] {
			f.add(groupReferences, "finding %s: its report (record %d) does not exist", x.Ref, x.ReportID)
		}
		for _, id := range []model.ID{x.ChiefOfficerID, x.DeliveryLeadID} {
			if id != 0 && !personIDs[id] {
				f.add(groupReferences, "finding %s: its lead (person record %d) does not exist", x.Ref, id)
			}
		}
		if !knownStatus(x.Status) {
			f.add(groupRules, "finding %s has the status %q, which is not a status of the register", x.Ref, x.Status)
		} else if p := model.RAGFits(x.Status, x.RAG); p != "" {
			f.add(groupRules, "finding %s: %s", x.Ref, p)
		}
	}
	for _, m := range ms {
		if _, ok := byID[m.FindingID]; !ok {
			f.add(groupReferences, "milestone %q (record %d) belongs to finding record %d, which does not exist", m.Title, m.ID, m.FindingID)
		}
	}
	for _, u := range us {
		if _, ok := byID[u.FindingID]; !ok {
			f.add(groupReferences, "the progress update of %s (record %d) belongs to finding record %d, which does not exist", u.Date, u.ID, u.FindingID)
		}
		if !knownStatus(u.Status) {
			f.add(groupRules, "the progress update of %s on %s gives the status %q, which is not a status of the register", u.Date, refOf(u.FindingID), u.Status)
		}
	}
	for _, p := range model.CheckAuditChain(events) {
		f.add(groupHistory, "%s", p)
	}
	for _, p := range model.CheckSubmissionHeads(subs, events) {
		f.add(groupHistory, "%s", p)
	}
	for _, e := range es {
		if _, ok := byID[e.FindingID]; !ok {
			f.add(groupReferences, "evidence %q (record %d) belongs to finding record %d, which does not exist", e.Title, e.ID, e.FindingID)
		}
		if !e.HasFile() {
			continue
		}
		data, err := r.File(e.ID)
		if err != nil {
			f.add(groupFiles, "evidence %q on %s: the attached file %s is missing", e.Title, refOf(e.FindingID), e.FileName)
			continue
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != e.SHA256 {
			f.add(groupFiles, "evidence %q on %s: the attached file %s does not match its SHA-256 digest", e.Title, refOf(e.FindingID), e.FileName)
		}
	}
	res.Late = model.LateUpdates(fs, us, subs)
	return nil
}

func knownStatus(s model.Status) bool {
	for _, k := range model.Statuses {
		if k == s {
			return true
		}
	}
	return false
}

// entitySQL maps a table name (column col) to the entity a history entry
// names, from the same map as the triggers (entityOf).
func entitySQL(col string) string {
	var b strings.Builder
	b.WriteString("CASE " + col)
	for _, k := range kinds {
		if e, ok := entityOf[k]; ok {
			fmt.Fprintf(&b, " WHEN %s THEN %s", quote(string(k)), quote(string(e)))
		}
	}
	b.WriteString(" END")
	return b.String()
}

// checkAround compares the rows with the database's own log of changes,
// which only its triggers write: what it finds was done around the rules,
// by someone who could switch the triggers off (the owner), or before
// version 3.
func checkAround(ctx context.Context, tx pgx.Tx, f findings) error {
	type row struct {
		what string
		args []any
	}
	var problems []row
	query := func(sql string, scan func(pgx.Rows) (row, error)) error {
		rows, err := tx.Query(ctx, sql)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scan(rows)
			if err != nil {
				return err
			}
			problems = append(problems, p)
		}
		return rows.Err()
	}
	// name says which row a problem is about, in words.
	name := `CASE WHEN t.tbl = 'findings' THEN 'finding ' || coalesce(t.body->>'ref', t.id::text)
		WHEN t.tbl = 'updates' THEN 'the progress update of ' || coalesce(t.body->>'date', '?') || ' (record ' || t.id || ')'
		WHEN t.tbl = 'audit' THEN 'the history entry "' || coalesce(t.body->>'summary', '') || '" (record ' || t.id || ')'
		ELSE rtrim(t.tbl, 's') || ' record ' || t.id END`
	var union []string
	for _, k := range kinds {
		union = append(union, `SELECT '`+string(k)+`' AS tbl, id, body FROM `+table(string(k)))
	}
	all := "(" + strings.Join(union, " UNION ALL ") + ")"

	// Rows whose record is not what the log last saw of them.
	if err := query(`SELECT `+name+`, CASE WHEN c.op IS NULL THEN 'none' ELSE c.login END
		FROM `+all+` t LEFT JOIN LATERAL (SELECT op, digest, login FROM `+table("changes")+` c
			WHERE c.tbl = t.tbl AND c.rec_id = t.id ORDER BY seq DESC LIMIT 1) c ON true
		WHERE c.digest IS DISTINCT FROM encode(sha256(convert_to(t.body::text, 'UTF8')), 'hex')
		ORDER BY t.tbl, t.id`, func(rs pgx.Rows) (row, error) {
		var what, login string
		err := rs.Scan(&what, &login)
		if login == "none" {
			return row{"%s is not in the database's log of changes: it was added with the register's triggers switched off", []any{what}}, err
		}
		return row{"%s is not what the database's log of changes last recorded (by the login %q): it was changed with the register's triggers switched off", []any{what, login}}, err
	}); err != nil {
		return err
	}
	// Rows the log still holds but that are gone.
	if err := query(`SELECT l.tbl, l.rec_id FROM (SELECT DISTINCT ON (tbl, rec_id) tbl, rec_id, op FROM `+table("changes")+`
			WHERE tbl <> 'settings' ORDER BY tbl, rec_id, seq DESC) l
		LEFT JOIN `+all+` t ON t.tbl = l.tbl AND t.id = l.rec_id
		WHERE l.op <> 'DELETE' AND t.id IS NULL ORDER BY l.tbl, l.rec_id`, func(rs pgx.Rows) (row, error) {
		var tbl string
		var id int64
		err := rs.Scan(&tbl, &id)
		return row{"%s record %d is gone, but the database's log of changes never saw it removed: it was deleted with the register's triggers switched off", []any{strings.TrimSuffix(tbl, "s"), id}}, err
	}); err != nil {
		return err
	}

	// Every change (but a copy of a whole register, whose history entries
	// are older than their transaction) comes with the history entry that
	// describes it.
	copied := `SELECT DISTINCT c.txid FROM ` + table("changes") + ` c JOIN ` + table("audit") + ` a ON a.id = c.rec_id
		WHERE c.tbl = 'audit' AND c.op = 'INSERT' AND a.at < c.at - interval '1 minute'`
	if err := query(`SELECT c.tbl, c.rec_id, c.op, c.login, c.at,
			coalesce((SELECT f.ref FROM `+table("findings")+` f WHERE c.tbl = 'findings' AND f.id = c.rec_id), '') FROM `+table("changes")+` c
		WHERE c.op IN ('INSERT', 'UPDATE', 'DELETE') AND c.tbl NOT IN ('audit', 'settings')
			AND c.txid NOT IN (`+copied+`)
			AND NOT EXISTS (SELECT 1 FROM `+table("changes")+` c2 JOIN `+table("audit")+` a ON a.id = c2.rec_id
				WHERE c2.txid = c.txid AND c2.tbl = 'audit' AND c2.op = 'INSERT'
					AND a.body->>'entity' = `+entitySQL("c.tbl")+` AND (a.body->>'entity_id')::bigint = c.rec_id)
		ORDER BY c.seq`, func(rs pgx.Rows) (row, error) {
		var tbl, op, login, ref string
		var id int64
		var at time.Time
		err := rs.Scan(&tbl, &id, &op, &login, &at, &ref)
		what := fmt.Sprintf("%s record %d", strings.TrimSuffix(tbl, "s"), id)
		if ref != "" {
			what = "finding " + ref
		}
		return row{"%s was %s by the login %q on %s with no history entry describing it", []any{what, opWords(op), login, at.Local().Format("02/01/2006 15:04")}}, err
	}); err != nil {
		return err
	}
	// Every change of a finding's status comes with its progress update.
	if err := query(`SELECT x.ref, x.prev, x.status, x.login, x.at FROM (
			SELECT c.txid, c.rec_id, c.status, c.login, c.at, c.op,
				lag(c.status) OVER (PARTITION BY c.rec_id ORDER BY c.seq) AS prev,
				coalesce((SELECT f.ref FROM `+table("findings")+` f WHERE f.id = c.rec_id), 'finding record ' || c.rec_id) AS ref
			FROM `+table("changes")+` c WHERE c.tbl = 'findings' AND c.op IN ('INSERT', 'UPDATE', 'UPGRADE')) x
		WHERE x.op = 'UPDATE' AND x.prev IS DISTINCT FROM x.status AND x.txid NOT IN (`+copied+`)
			AND NOT EXISTS (SELECT 1 FROM `+table("changes")+` c2 JOIN `+table("updates")+` u ON u.id = c2.rec_id
				WHERE c2.txid = x.txid AND c2.tbl = 'updates' AND c2.op = 'INSERT' AND u.finding_id = x.rec_id AND u.status = x.status)`,
		func(rs pgx.Rows) (row, error) {
			var ref, login string
			var prev, status *string
			var at time.Time
			err := rs.Scan(&ref, &prev, &status, &login, &at)
			return row{"finding %s went from %q to %q (the login %q, %s) with no progress update recording it", []any{ref, orElse(prev, "no status"), orElse(status, "no status"), login, at.Local().Format("02/01/2006 15:04")}}, err
		}); err != nil {
		return err
	}
	// Every history entry and progress update names the person of the
	// login that made it, at the time the server gave it. The owner's are
	// its own affair: it is outside the rules.
	if err := query(`SELECT `+name+`, c.login, n.name, coalesce(t.body->>'who', t.body->>'author')
		FROM (SELECT 'audit' AS tbl, id, body FROM `+table("audit")+` UNION ALL SELECT 'updates', id, body FROM `+table("updates")+`) t
		JOIN `+table("changes")+` c ON c.tbl = t.tbl AND c.rec_id = t.id AND c.op = 'INSERT'
		JOIN `+fnLoginNames+`() n ON n.login = c.login
		WHERE coalesce(t.body->>'who', t.body->>'author') IS DISTINCT FROM n.name
		ORDER BY c.seq`, func(rs pgx.Rows) (row, error) {
		var what, login, want string
		var got *string
		err := rs.Scan(&what, &login, &want, &got)
		return row{"%s names %q, but was made by the login %q, who is %s", []any{what, orElse(got, "no one"), login, want}}, err
	}); err != nil {
		return err
	}
	for _, p := range problems {
		f.add(groupAround, p.what, p.args...)
	}
	return nil
}

// orElse is *s, or what stands for nothing when s is NULL.
func orElse(s *string, nothing string) string {
	if s == nil {
		return nothing
	}
	return *s
}

func opWords(op string) string {
	switch op {
	case "INSERT":
		return "added"
	case "DELETE":
		return "deleted"
	}
	return "changed"
}

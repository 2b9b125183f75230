package postgres

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
)

// A large register's progress narratives are most of what it holds, and
// the as-at register needs few of them (model.UpdateHeadLister) and none of
// the audit events that record updates being added (model.HistorySincer).
// The server leaves them out itself, so they neither cross the network nor
// are decoded here: over a network that is most of the time a return takes.

var (
	_ model.UpdateHeadLister = (*records)(nil)
	_ model.HistorySincer    = (*records)(nil)
)

// LoadUpdateHeads lists every progress update in ID order with the
// narratives of those dated from first to last, and of each finding's
// latest update by last, which the snapshot would otherwise read one query
// at a time; the others' narratives are "". Dates are stored as
// YYYY-MM-DD, so the server compares them as text. With from, only the
// updates model.LatestBefore keeps are listed, chosen on the server.
func (r *records) LoadUpdateHeads(first, last, from model.Date, dst *[]model.Update) error {
	// Every narrative to last (the register's search): each finding's
	// latest by last is among them, so it need not be looked for.
	query, args := `
		SELECT id, CASE WHEN body->>'date' <= $1 THEN body ELSE body - 'narrative' END
		FROM `+table("updates")+` ORDER BY id`, []any{last.ISO()}
	switch {
	case !from.IsZero():
		query, args = latestBeforeQuery, []any{first.ISO(), last.ISO(), from.ISO()}
	case !first.IsZero():
		query, args = `
		WITH latest AS (
			SELECT DISTINCT ON (finding_id) id FROM `+table("updates")+`
			WHERE body->>'date' <= $2
			ORDER BY finding_id, body->>'date' DESC, id DESC)
		SELECT u.id, CASE WHEN u.body->>'date' BETWEEN $1 AND $2 OR l.id IS NOT NULL
			THEN u.body ELSE u.body - 'narrative' END
		FROM `+table("updates")+` u LEFT JOIN latest l ON l.id = u.id
		ORDER BY u.id`, []any{first.ISO(), last.ISO()}
	}
	rows, err := r.tx.Query(r.ctx, query, args...)
	if err != nil {
		return err
	}
	*dst, err = collect[model.Update](model.KindUpdate, rows)
	return err
}

// latestBeforeQuery lists the updates model.LatestBefore keeps, $3 being
// from and $2 last: those dated from $3 to $2, and of those dated before
// $3 each finding's latest (by date, then the last recorded). A return
// needs a quarter's updates and each finding's latest before it, a tenth
// of a large register's; the server sent them all, and the app decoded
// 200,000 to keep 13,000. Both are found in the index of the updates by
// finding, date and ID (createV5) without reading a record: the quarter's
// by its dates, and each finding's latest before it by walking the index
// backwards, so that the first of each finding is the one kept and
// nothing is sorted. The bodies kept are then looked up by ID (as an
// array, so that the server does not read every update again to join); a
// narrative is kept, as in the other queries, for the updates dated from
// $1 to $2 and each finding's latest by $2, which is among those kept.
// The date column is in the "C" collation: YYYY-MM-DD sorts the same in
// any, and the index is then the order wanted. An update without a date
// is the earliest, as model.Date's zero is; updates of no finding (a NULL
// finding_id) are, as one group, one finding.
var latestBeforeQuery = `
	WITH kept AS MATERIALIZED (
		SELECT id, coalesce(finding_id, 0) AS f, date FROM ` + table("updates") + ` WHERE date >= $3 AND date <= $2
		UNION ALL
		(SELECT DISTINCT ON (finding_id) id, coalesce(finding_id, 0), date FROM ` + table("updates") + `
		WHERE date < $3 ORDER BY finding_id DESC, date DESC, id DESC)),
	latest AS (
		SELECT DISTINCT ON (f) id FROM kept WHERE date <= $2 ORDER BY f, date DESC, id DESC)
	SELECT u.id, CASE WHEN u.date BETWEEN $1 AND $2 OR u.id IN (SELECT id FROM latest)
		THEN u.body ELSE u.body - 'narrative' END
	FROM ` + table("updates") + ` u
	WHERE u.id = ANY (ARRAY(SELECT id FROM kept))
	ORDER BY u.id`

// createV5 gives the return's reads columns of their own, generated from
// the record, and indexes over them, so that the server chooses what a
// return needs without reading the records it leaves out:
//
//   - updates.date, the update's date as its record holds it (YYYY-MM-DD,
//     "" for none), and an index by finding, date and ID, from which
//     latestBeforeQuery chooses;
//   - audit.at_nanos, the nanoseconds of the second of an event's
//     recorded time as its record holds them (the at column keeps only
//     microseconds), after the time in the index of the history by
//     finding and time, with the event's ID, which AuditSpans then reads
//     alone: the events at a span's very start, most of a large
//     register's trail when it was recorded in one go, are passed over in
//     the index, where the server used to read each one's record to find
//     its time.
//
// Adding a generated column writes each table again, once.
func createV5(ctx context.Context, tx pgx.Tx) error {
	for _, stmt := range []string{
		`ALTER TABLE ` + table("updates") + ` ADD COLUMN date text COLLATE "C"
			GENERATED ALWAYS AS (coalesce(body->>'date', '')) STORED`,
		`CREATE INDEX updates_by_date ON ` + table("updates") + ` (finding_id, date, id)`,
		`ALTER TABLE ` + table("audit") + ` ADD COLUMN at_nanos int GENERATED ALWAYS AS (` + atNanos + `) STORED`,
		// The index of version 3 by finding and time, made again with
		// what AuditSpans reads.
		`DROP INDEX IF EXISTS ` + pgx.Identifier{schema, "audit_finding_id_at_idx"}.Sanitize(),
		`CREATE INDEX audit_spans ON ` + table("audit") + ` (finding_id, at, at_nanos) INCLUDE (id) WHERE finding_id IS NOT NULL`,
	} {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

// atNanos is the nanoseconds of the second of an event's recorded time, as
// its record holds it: Go writes up to nine decimals, and drops trailing
// zeros.
const atNanos = `rpad(coalesce(substring(body->>'at' from '\.([0-9]{1,9})'), ''), 9, '0')::int`

// historyEntities are the entities whose audit events a snapshot uses, by
// model.HistoryNeeds, so that the rule is written once.
func historyEntities() (keep []string) {
	for _, e := range []model.Entity{model.EntitySettings, model.EntityReport, model.EntityPerson,
		model.EntityFinding, model.EntityMilestone, model.EntityUpdate, model.EntityEvidence,
		model.EntitySubmission} {
		if k, _ := model.HistoryNeeds(model.ActionChange, e); k {
			keep = append(keep, string(e))
		}
	}
	return keep
}

// HistorySince lists the audit events recorded after t that a snapshot
// uses (model.ForHistory: no creations), oldest first, with what
// model.ForHistory keeps of each.
func (r *records) HistorySince(t time.Time) ([]model.AuditEvent, error) {
	// A snapshot begins here, and goes on to read every finding,
	// milestone and evidence reference: they are read aside meanwhile
	// (aside.go).
	if r.mayReadAside && r.aside == nil {
		if room := r.s.roomAside(); room > 0 {
			if err := r.readAside(room); err != nil {
				return nil, err
			}
		}
	}
	events, err := r.auditWhere(func(ev model.AuditEvent) bool { return ev.At.After(t) }, `
		SELECT id, body
		FROM `+table("audit")+`
		WHERE at >= $1 AND body->>'entity' = ANY($3) AND body->>'action' <> $2
		ORDER BY id`,
		t.Truncate(time.Microsecond), string(model.ActionCreate), historyEntities())
	return model.ForHistory(events), err
}

var _ model.AuditSpanner = (*records)(nil)

// spanStart says whether event a was recorded after the instant s.after
// (a whole microsecond) plus s.nanos nanoseconds. The event's at column is
// its time to the microsecond, rounded as the server rounds; its at_nanos
// column keeps the nanoseconds its record holds. So its time is taken from
// both: its microsecond is at's, or the one before when at was rounded up
// (at's microseconds are not those of at_nanos), and its nanoseconds are
// the last three digits of at_nanos. Only events within two microseconds
// of a span's start are asked; those later are after it.
const spanStart = `(a.at - CASE WHEN a.at_nanos / 1000 = extract(microseconds FROM a.at)::bigint % 1000000
		THEN interval '0' ELSE interval '1 microsecond' END, a.at_nanos % 1000) > (s.after, s.nanos)`

// auditSpansQuery lists the events of findings $1 recorded after the
// instants $2 plus $4 nanoseconds and by $3. The events are chosen in the
// index by finding, time and nanoseconds (createV5), which holds every
// column the choice reads, and only those chosen are then read. The index
// is searched from (start, its nanoseconds of the second): every event
// after the start is there or later, and the events of the start's very
// instant, most of a trail recorded in one go, are not even passed over.
// An event whose time was rounded up to the start's microsecond may be
// there too; spanStart leaves it out.
var auditSpansQuery = `
	SELECT id, body FROM ` + table("audit") + ` WHERE id = ANY (ARRAY(
		SELECT a.id FROM ` + table("audit") + ` a
		JOIN unnest($1::bigint[], $2::timestamptz[], $4::int[]) AS s(finding_id, after, nanos)
			ON a.finding_id = s.finding_id
				AND (a.at, a.at_nanos) > (s.after, (extract(microseconds FROM s.after)::bigint % 1000000 * 1000 + s.nanos)::int)
				AND (a.at >= s.after + interval '2 microseconds' OR ` + spanStart + `)
		WHERE a.at <= $3))`

// AuditSpans answers many AuditBetween questions in one query, where one
// each would cost a round trip to the server: a 10,000-finding return asks
// thousands.
//
// A span starts at the recording of a finding's latest progress update,
// and the events recorded in the same save (the update's own) are at that
// very instant, not after it. The server tells them apart itself (see
// spanStart) and does not send them: on a register imported in one go
// every event is at one instant, and the app received and decoded most of
// the trail only to drop it.
func (r *records) AuditSpans(spans []model.AuditSpan, until time.Time) (map[model.ID][]model.AuditEvent, error) {
	ids := make([]int64, len(spans))
	starts := make([]time.Time, len(spans))
	nanos := make([]int32, len(spans))
	after := make(map[model.ID]time.Time, len(spans))
	for i, sp := range spans {
		ids[i], starts[i] = int64(sp.FindingID), sp.After.Truncate(time.Microsecond)
		nanos[i] = int32(sp.After.Sub(starts[i]))
		after[sp.FindingID] = sp.After
	}
	// No ORDER BY: on a large register the server sorted the events with
	// their bodies, most of a trail, on disk, and sent none until it had;
	// unsorted they come as they are found, are decoded meanwhile, and
	// are put in order of ID here.
	all, err := r.auditWhere(func(ev model.AuditEvent) bool { return ev.At.After(after[ev.FindingID]) && !ev.At.After(until) },
		auditSpansQuery, ids, starts, until.Truncate(time.Microsecond).Add(time.Microsecond), nanos)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b model.AuditEvent) int { return cmp.Compare(a.ID, b.ID) })
	out := make(map[model.ID][]model.AuditEvent, len(spans))
	for _, ev := range all {
		out[ev.FindingID] = append(out[ev.FindingID], ev)
	}
	return out, nil
}

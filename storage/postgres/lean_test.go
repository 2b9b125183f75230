package postgres_test

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"improvementtracker/export"
	"improvementtracker/internal/recjson"
	"improvementtracker/model"
	"improvementtracker/testkit/synthetic"
)

// TestLeanSnapshotMatchesFile: the server leaves out the narratives and
// audit events a snapshot does not use (lean.go); the snapshot it gives is
// the file's, field for field, as at dates before, during and after the
// register's history, with the narratives limited to a quarter, to each
// finding's latest, and not at all.
func TestLeanSnapshotMatchesFile(t *testing.T) {
	ctx := context.Background()
	file, server, _ := storesOf(t, synthetic.Small)
	compared := 0
	for _, asAt := range []model.Date{model.MustDate("31/03/2016"), model.MustDate("30/06/2022"),
		model.MustDate("25/08/2025"), model.MustDate("23/11/2025"), model.MustDate("31/12/2025")} {
		for _, c := range []struct {
			from    model.Date
			updates bool // only each finding's latest update before from, as a return and the dashboard read
		}{{}, {asAt.AddDays(-91), false}, {asAt.AddDays(1), false}, {asAt.AddDays(-91), true}, {asAt.AddDays(1), true}} {
			from := c.from
			opts := model.SnapshotOptions{NarrativesFrom: from}
			if c.updates {
				opts.UpdatesFrom = from
			}
			var snaps [2]*model.Snapshot
			for i, s := range []model.Store{file, server} {
				if err := s.View(ctx, func(tx model.ReadTx) (err error) {
					snaps[i], err = model.TakeSnapshotWith(tx, asAt, opts)
					return err
				}); err != nil {
					t.Fatal(err)
				}
			}
			f, p := snaps[0], snaps[1]
			for name, pair := range map[string][2]any{
				"findings": {f.Findings, p.Findings}, "milestones": {f.Milestones, p.Milestones},
				"updates": {f.Updates, p.Updates}, "evidence": {f.Evidence, p.Evidence},
				"people": {f.People, p.People}, "reports": {f.Reports, p.Reports},
				"narratives from": {f.NarrativesFrom, p.NarrativesFrom}, "updates from": {f.UpdatesFrom, p.UpdatesFrom},
			} {
				if !reflect.DeepEqual(pair[0], pair[1]) {
					t.Errorf("as at %s, narratives from %s: the server's %s differ from the file's", asAt, from, name)
				}
			}
			compared += len(f.Updates)
		}
	}
	if compared == 0 {
		t.Fatal("every snapshot was empty: nothing was compared")
	}
}

// TestDirectDecodeTakesJsonb: the server gives jsonb back with its keys
// reordered and spaced; the direct reader of records (internal/recjson)
// takes every one of them, and reads what
// encoding/json reads, so the server's lists are read as fast as the
// file's and mean the same.
func TestDirectDecodeTakesJsonb(t *testing.T) {
	ctx := context.Background()
	_, _, url := storesOf(t, synthetic.Small)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	check := func(table string, min int, fresh func() any) {
		rows, err := conn.Query(ctx, `SELECT body FROM improvement_tracker.`+table+` ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var raw []byte
			if err := rows.Scan(&raw); err != nil {
				t.Fatal(err)
			}
			direct, plain := fresh(), fresh()
			if !recjson.Decode(raw, direct) {
				t.Fatalf("%s: the direct reader left %s to encoding/json", table, raw)
			}
			if err := json.Unmarshal(raw, plain); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(direct, plain) {
				t.Fatalf("%s: %s reads as\n%+v\nnot as encoding/json reads it\n%+v", table, raw, direct, plain)
			}
			n++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if n < min {
			t.Fatalf("%s: only %d records compared", table, n)
		}
	}
	check("updates", synthetic.Small.Updates, func() any { return new(model.Update) })
	check("audit", synthetic.Small.Updates, func() any { return new(model.AuditEvent) })
	check("findings", synthetic.Small.Findings, func() any { return new(model.Finding) })
	check("milestones", synthetic.Small.Milestones, func() any { return new(model.Milestone) })
	check("evidence", synthetic.Small.Evidence, func() any { return new(model.Evidence) })
	check("people", 2, func() any { return new(model.Person) })
	check("reports", 1, func() any { return new(model.Report) })
}

// TestAuditSpansMatchAuditBetween: the server answers many findings'
// audit questions in one query exactly as it answers them one at a time.
func TestAuditSpansMatchAuditBetween(t *testing.T) {
	ctx := context.Background()
	_, server, _ := storesOf(t, synthetic.Small)
	err := server.View(ctx, func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		events, err := tx.Audit(0)
		if err != nil {
			return err
		}
		// Half the spans start before the trail, half at an event's own
		// time, so that the lower bound is tested to the instant; the
		// upper bound is an event's time too.
		var spans []model.AuditSpan
		for i, f := range fs {
			after := events[0].At.Add(-time.Second)
			if i%2 == 1 {
				after = events[(i*7919)%len(events)].At
			}
			spans = append(spans, model.AuditSpan{FindingID: f.ID, After: after})
		}
		until := events[len(events)-1].At
		got, err := tx.(model.AuditSpanner).AuditSpans(spans, until)
		if err != nil {
			return err
		}
		total := 0
		for _, sp := range spans {
			want, err := tx.(model.AuditBetweener).AuditBetween(sp.FindingID, sp.After, until)
			if err != nil {
				return err
			}
			if len(want) == 0 {
				want = nil
			}
			if !reflect.DeepEqual(got[sp.FindingID], want) {
				t.Errorf("finding %d after %s: %d events at once, %d one at a time", sp.FindingID, sp.After, len(got[sp.FindingID]), len(want))
			}
			total += len(want)
		}
		if total == 0 {
			t.Error("no span held an event: nothing was compared")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestUpdateHeadsMatchFile: the server lists progress updates with their
// narratives as the file does, for a quarter and for every narrative to a
// date (the register's search), which it answers without looking for each
// finding's latest; and, given a cut (from), only the updates
// model.LatestBefore keeps of that list, which the server chooses itself:
// the cut at the quarter's start (a return), a day after its end, before
// it, and later than the day after (which LatestBefore answers with
// updates dated after last).
func TestUpdateHeadsMatchFile(t *testing.T) {
	ctx := context.Background()
	file, server, _ := storesOf(t, synthetic.Small)
	q3, end := model.MustDate("01/10/2025"), model.MustDate("31/12/2025")
	for _, span := range [][3]model.Date{
		{{}, {Year: 9999, Month: 12, Day: 31}, {}},
		{{}, model.MustDate("30/06/2022"), {}},
		{q3, end, {}},
		{q3, end, q3},
		{q3, end, end.AddDays(1)},
		{q3, end, model.MustDate("01/07/2024")},
		{q3, end, model.MustDate("01/07/2026")},
		{{}, end, q3},
		{{}, model.MustDate("30/06/2022"), model.MustDate("01/04/2022")},
	} {
		first, last, from := span[0], span[1], span[2]
		var want, got []model.Update
		if err := file.View(ctx, func(tx model.ReadTx) (err error) {
			want, err = tx.(model.UpdateHeader).UpdateHeads(first, last, model.Date{})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if !from.IsZero() {
			want = model.LatestBefore(want, from, last)
		}
		if err := server.View(ctx, func(tx model.ReadTx) (err error) {
			got, err = tx.(model.UpdateHeader).UpdateHeads(first, last, from)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		narratives := 0
		for _, u := range want {
			if u.Narrative != "" {
				narratives++
			}
		}
		if narratives == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("%s to %s from %s: the server lists %d updates, the file %d (%d with narratives), or they differ",
				first, last, from, len(got), len(want), narratives)
		}
	}
}

// TestUpdateHeadsLatestBeforeTies: of a finding's updates dated before the
// cut, the server keeps the one LatestBefore keeps where dates tie (the
// last recorded) or an update recorded later speaks for an earlier date,
// and an update without a date counts as the earliest.
func TestUpdateHeadsLatestBeforeTies(t *testing.T) {
	ctx := context.Background()
	s, _ := openNew(t, newClock().Now)
	at := time.Date(2025, 11, 24, 10, 0, 0, 0, time.UTC)
	dates := []struct {
		finding model.ID
		date    string
	}{
		{1, "01/06/2025"}, {1, "01/06/2025"}, {1, "01/05/2025"}, {1, "05/10/2025"}, {1, "01/06/2025"},
		{2, ""}, {2, "03/03/2024"}, {2, ""},
		{3, ""},
		{4, "02/10/2025"}, {4, "30/09/2025"}, {4, "31/12/2025"}, {4, "01/01/2026"},
	}
	err := s.UpdateRecords(ctx, func(rec model.RecordWriter) error {
		for i, d := range dates {
			u := model.Update{ID: model.ID(i + 1), FindingID: d.finding, Narrative: "N" + d.date, Status: model.InProgress,
				Author: "x", Recorded: at}
			if d.date != "" {
				u.Date = model.MustDate(d.date)
			}
			if err := rec.Put(model.KindUpdate, u.ID, &u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	q3, end := model.MustDate("01/10/2025"), model.MustDate("31/12/2025")
	mustView(t, s, func(tx model.ReadTx) error {
		for _, from := range []model.Date{q3, end.AddDays(1), model.MustDate("01/06/2025"), model.MustDate("01/01/2027")} {
			all := must(tx.(model.UpdateHeader).UpdateHeads(q3, end, model.Date{}))
			want := model.LatestBefore(all, from, end)
			got := must(tx.(model.UpdateHeader).UpdateHeads(q3, end, from))
			if !reflect.DeepEqual(got, want) {
				var g, w []model.ID
				for _, u := range got {
					g = append(g, u.ID)
				}
				for _, u := range want {
					w = append(w, u.ID)
				}
				t.Errorf("from %s: the server keeps %v, LatestBefore %v (or their narratives differ)", from, g, w)
			}
		}
		return nil
	})
}

// TestReturnMatchesFile: the quarterly return read from the server, as the
// app reads it (the updates and history events the server chooses, the
// lists read aside on other connections), is the file's, byte for byte,
// for quarters before, during and at the end of the register's history.
func TestReturnMatchesFile(t *testing.T) {
	file, server, _ := storesOf(t, synthetic.Small)
	for _, q := range []model.Quarter{{StartYear: 2018, Q: 1}, {StartYear: 2023, Q: 3}, {StartYear: 2025, Q: 3}} {
		opts := export.ReturnOptions{Period: q, Marking: model.Marking{Classification: model.OfficialSensitive}, Now: fixedNow()}
		var books [2][]byte
		var rows [2]int
		for i, s := range []model.Store{file, server} {
			var src export.Source
			if err := s.View(context.Background(), func(tx model.ReadTx) (err error) {
				src, err = export.ReadSourceFrom(tx, opts.AsAtDate(), q.FirstDay())
				return err
			}); err != nil {
				t.Fatal(err)
			}
			w, err := export.BuildReturn(src, opts)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if _, err := w.Write(&buf, ""); err != nil {
				t.Fatal(err)
			}
			books[i], rows[i] = buf.Bytes(), len(w.Rows())
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
		}
		if rows[0] == 0 {
			t.Errorf("%s: the return has no rows: nothing was compared", q)
		}
		if rows[0] != rows[1] || !bytes.Equal(books[0], books[1]) {
			t.Errorf("%s: the server's return (%d rows, %d bytes) is not the file's (%d rows, %d bytes)", q, rows[1], len(books[1]), rows[0], len(books[0]))
		}
	}
}

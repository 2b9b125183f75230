package postgres

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
	"improvementtracker/testkit/pgtest"
)

// TestAuditSpansStartOnTheServer: the server itself leaves out the events
// recorded at or before a span's start, to the nanosecond, though it keeps
// times to the microsecond (rounded): what it sends is exactly what the app
// keeps, so nothing is sent to be dropped.
func TestAuditSpansStartOnTheServer(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	if _, err := Init(ctx, url, Options{}); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, url, Options{Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Around a second's end, so that rounding up crosses into the next.
	base := time.Date(2025, 11, 24, 9, 59, 59, 999998000, time.UTC)
	var offsets []time.Duration
	for _, d := range []time.Duration{0, 1, 499, 500, 501, 999, 1000, 1001, 1499, 1500, 1999, 2000, 2001, 2500, 3000, 4001} {
		offsets = append(offsets, d, -d)
	}
	var events []model.AuditEvent
	err = s.UpdateRecords(ctx, func(rec model.RecordWriter) error {
		for _, off := range offsets {
			ev := model.AuditEvent{ID: must(rec.NextID(model.KindAudit)), At: base.Add(off), Who: "x",
				Action: model.ActionChange, Entity: model.EntityFinding, FindingID: 1}
			if err := rec.Put(model.KindAudit, ev.ID, &ev); err != nil {
				return err
			}
			events = append(events, ev)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.read(ctx, func(tx pgx.Tx) error {
		rec := &records{ctx: ctx, tx: tx, s: s}
		for _, off := range offsets {
			after := base.Add(off)
			start := after.Truncate(time.Microsecond)
			sent, err := rec.auditWhere(func(model.AuditEvent) bool { return true }, auditSpansQuery,
				[]int64{1}, []time.Time{start}, time.Now(), []int32{int32(after.Sub(start))})
			if err != nil {
				return err
			}
			var got, want []string
			for _, ev := range sent {
				got = append(got, ev.At.Format(".000000000"))
			}
			for _, ev := range events {
				if ev.At.After(after) {
					want = append(want, ev.At.Format(".000000000"))
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("after %s the server sends %d events, want %d:\n got %v\nwant %v", after.Format(time.RFC3339Nano), len(got), len(want), got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return v
}

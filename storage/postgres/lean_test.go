package postgres_test

import (
	"context"
	"reflect"
	"testing"

	"improvementtracker/internal/pgtest"
	"improvementtracker/internal/synthetic"
	"improvementtracker/model"
	"improvementtracker/storage/postgres"
	"improvementtracker/storage/transfer"
)

// TestLeanSnapshotMatchesFile: the server leaves out the narratives and
// audit events a snapshot does not use (lean.go); the snapshot it gives is
// the file's, field for field, as at dates before, during and after the
// register's history, with the narratives limited to a quarter, to each
// finding's latest, and not at all.
func TestLeanSnapshotMatchesFile(t *testing.T) {
	ctx := context.Background()
	file := synthetic.OpenSize(t, synthetic.Small)
	url := pgtest.NewDatabase(t)
	if _, err := postgres.Init(ctx, url, postgres.Options{}); err != nil {
		t.Fatal(err)
	}
	server, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	if _, err := transfer.Copy(ctx, file, server); err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, asAt := range []model.Date{model.MustDate("31/03/2016"), model.MustDate("30/06/2022"),
		model.MustDate("25/08/2025"), model.MustDate("23/11/2025"), model.MustDate("31/12/2025")} {
		for _, from := range []model.Date{{}, asAt.AddDays(-91), asAt.AddDays(1)} {
			var snaps [2]*model.Snapshot
			for i, s := range []model.Store{file, server} {
				if err := s.View(ctx, func(tx model.ReadTx) (err error) {
					snaps[i], err = model.TakeSnapshotWith(tx, asAt, model.SnapshotOptions{NarrativesFrom: from})
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
				"narratives from": {f.NarrativesFrom, p.NarrativesFrom},
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

package postgres_test

import (
	"context"
	"testing"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage/postgres"
	"improvementtracker/testkit/pgtest"
)

// BenchmarkSampleSaves measures a progress update's save on the Kent
// sample, by the owner (outside the rules) and by a delivery lead (every
// check of the rules made by the database), for what the rules cost a save.
//
//	go test -tags ci -run '^$' -bench SampleSaves -benchtime 200x ./storage/postgres/
func BenchmarkSampleSaves(b *testing.B) {
	ctx := context.Background()
	url := pgtest.NewDatabase(b)
	if _, err := postgres.Init(ctx, url, postgres.Options{}); err != nil {
		b.Fatal(err)
	}
	owner, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer owner.Close()
	if err := sample.Load(owner); err != nil {
		b.Fatal(err)
	}
	name, password := pgtest.NewLogin(b, "cj")
	if _, err := postgres.Grant(ctx, url, postgres.Options{}, name, postgres.RoleDeliveryLead, "Superintendent, Criminal Justice"); err != nil {
		b.Fatal(err)
	}
	dl, err := postgres.Open(ctx, pgtest.URL(dbName(url), name, password), postgres.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer dl.Close()
	var own model.ID
	_ = owner.View(ctx, func(tx model.ReadTx) error {
		ps, _ := tx.People()
		fs, err := tx.Findings()
		for _, f := range fs {
			for _, p := range ps {
				if p.ID == f.DeliveryLeadID && p.Name == "Superintendent, Criminal Justice" && f.Status == model.InProgress {
					own = f.ID
				}
			}
		}
		return err
	})
	for _, s := range []struct {
		name  string
		store *postgres.Store
	}{{"owner", owner}, {"delivery-lead", dl}} {
		b.Run(s.name, func(b *testing.B) {
			for b.Loop() {
				err := s.store.Update(ctx, model.Actor{}, func(tx model.Tx) error {
					return tx.AppendUpdate(&model.Update{FindingID: own, Date: model.DateOf(s.store.Now()), Narrative: "Weekly check.",
						Status: model.InProgress, RAG: model.Green})
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

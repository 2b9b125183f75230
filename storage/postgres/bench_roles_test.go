package postgres_test

import (
	"context"
	"testing"

	"improvementtracker/model"
	"improvementtracker/storage/postgres"
	"improvementtracker/testkit/pgtest"
)

// BenchmarkRoles measures what the roles' row-level security costs, on the
// synthetic register: the finding list and a progress update, by the
// owner (whom the policies do not hold) and by a viewer and a delivery
// lead (whom they do).
//
//	go test -tags ci -run '^$' -bench Roles -benchtime 20x ./storage/postgres/
func BenchmarkRoles(b *testing.B) {
	file, owner, url := stores(b)
	ids := openFindings(b, file)
	ctx := context.Background()
	// The delivery lead of the first open finding, and their open findings.
	var lead model.Person
	var theirs []model.ID
	err := owner.View(ctx, func(tx model.ReadTx) error {
		for _, id := range ids {
			f, err := tx.Finding(id)
			if err != nil {
				return err
			}
			if lead.ID == 0 && f.DeliveryLeadID != 0 {
				if lead, err = tx.Person(f.DeliveryLeadID); err != nil {
					return err
				}
			}
			if lead.ID != 0 && f.DeliveryLeadID == lead.ID {
				theirs = append(theirs, id)
			}
		}
		return nil
	})
	if err != nil || len(theirs) == 0 {
		b.Fatalf("no open finding with a delivery lead: %v", err)
	}
	db := dbName(url)
	open := func(role postgres.Role, person string) *postgres.Store {
		name, password := pgtest.NewLogin(b, string(role[:3]))
		if _, err := postgres.Grant(ctx, url, postgres.Options{}, name, role, person); err != nil {
			b.Fatal(err)
		}
		s, err := postgres.Open(ctx, pgtest.URL(db, name, password), postgres.Options{Now: fixedNow})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	viewer := open(postgres.RoleViewer, "")
	dl := open(postgres.RoleDeliveryLead, lead.Email)

	for _, c := range []struct {
		name string
		s    model.Store
	}{{"list/owner", owner}, {"list/viewer", viewer}, {"list/delivery-lead", dl}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				var n int
				err := c.s.View(ctx, func(tx model.ReadTx) error {
					fs, err := tx.Findings()
					n = len(fs)
					return err
				})
				if err != nil || n == 0 {
					b.Fatalf("%d findings, %v", n, err)
				}
			}
		})
	}
	for _, c := range []struct {
		name string
		s    model.Store
	}{{"append-update/owner", owner}, {"append-update/delivery-lead", dl}} {
		b.Run(c.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				u := model.Update{FindingID: theirs[i%len(theirs)], Date: model.MustDate("01/12/2025"),
					Narrative: "Recruitment complete; training under way.", Status: model.InProgress, RAG: model.Amber}
				if err := c.s.Update(ctx, model.Actor{}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

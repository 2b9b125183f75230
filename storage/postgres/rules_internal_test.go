package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
	"improvementtracker/testkit/pgtest"
)

// TestRulesAgreeWithModel: the lifecycle and the ratings the database
// holds a login to are the model's, pair by pair, in both directions; and
// a copy changed by hand is put right by the next server init.
func TestRulesAgreeWithModel(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	if _, err := Init(ctx, url, Options{}); err != nil {
		t.Fatal(err)
	}
	agree := func(when string) {
		t.Helper()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		for _, from := range append([]model.Status{"Banana"}, model.Statuses...) {
			for _, to := range append([]model.Status{"Banana"}, model.Statuses...) {
				if from == to {
					continue
				}
				var allowed bool
				if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+table("lifecycle")+` WHERE from_status = $1 AND to_status = $2)`,
					string(from), string(to)).Scan(&allowed); err != nil {
					t.Fatal(err)
				}
				if want := model.CanMove(from, to) && from != "Banana" && to != "Banana"; allowed != want {
					t.Errorf("%s: the database says %q → %q is %v, the model %v", when, from, to, allowed, want)
				}
			}
			for _, r := range append([]model.RAG{"", "Purple"}, model.RAGs...) {
				var fits bool
				if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+table("rated_statuses")+` WHERE status = $1 AND rag = $2)`,
					string(from), string(r)).Scan(&fits); err != nil {
					t.Fatal(err)
				}
				known := from != "Banana" && r != "Purple"
				if want := known && model.RAGFits(from, r) == ""; fits != want {
					t.Errorf("%s: the database says %q rated %q fits: %v, the model %v", when, from, r, fits, want)
				}
			}
		}
	}
	agree("after server init")
	if _, err := pgtest.Exec(ctx, dbName(url), `INSERT INTO `+table("lifecycle")+` VALUES ('In progress', 'Closed (inspectorate agreed)');
		DELETE FROM `+table("rated_statuses")+` WHERE status = 'Closed (inspectorate agreed)'`); err != nil {
		t.Fatal(err)
	}
	if _, err := Init(ctx, url, Options{}); err != nil {
		t.Fatal(err)
	}
	agree("after the tables were changed by hand and server init ran again")
}

// dbName is the database a test address names.
func dbName(url string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return ""
	}
	return cfg.Database
}

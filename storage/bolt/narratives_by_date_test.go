package bolt

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// TestMigrationTo6: the step to version 6 adds the index of narratives by
// date, an entry for each of the fixture's updates under its date, and
// changes nothing else.
func TestMigrationTo6(t *testing.T) {
	db, err := bolt.Open(copyFixture(t, 4), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	step := func(to int) {
		for _, m := range migrations {
			if m.To == to {
				if err := db.Update(m.Run); err != nil {
					t.Fatalf("migration to %d (%s): %v", to, m.What, err)
				}
				return
			}
		}
		t.Fatalf("no migration to version %d", to)
	}
	step(5)
	before := dump(t, db)
	if _, ok := before["narratives_by_date"]; ok {
		t.Fatal("the step to version 5 already wrote the index of version 6")
	}
	step(6)
	after := dump(t, db)
	sameExcept(t, before, after, "narratives_by_date")
	want := map[string]string{}
	for i, u := range []struct {
		date      string
		narrative string
	}{{"01/04/2024", "Business case approved."}, {"01/07/2024", "Six investigators recruited."}} {
		k := byDateKey(model.MustDate(u.date), model.ID(i+1))
		want[string(k)] = string(seal(bucketNarrativesByDate, k, []byte(u.narrative)))
	}
	got := after["narratives_by_date"]
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("entry %x: %q, want %q", k, got[k], v)
		}
	}
}

// Keys sort by date, then by update: a quarter's narratives are one run.
func TestByDateKeysSortByDate(t *testing.T) {
	dates := []model.Date{model.MustDate("31/12/2019"), model.MustDate("01/01/2020"), model.MustDate("09/02/2020"),
		model.MustDate("10/01/2021"), model.MustDate("28/02/2021"), model.MustDate("01/03/2021")}
	for i := 1; i < len(dates); i++ {
		a, b := byDateKey(dates[i-1], 99), byDateKey(dates[i], 1)
		if string(a) >= string(b) {
			t.Errorf("the key of %s does not sort before that of %s", dates[i-1], dates[i])
		}
	}
	if d, id, ok := readByDateKey(byDateKey(dates[2], 7)); !ok || d != dateBits(dates[2]) || id != 7 {
		t.Errorf("a key reads back as %d #%d %v", d, id, ok)
	}
}

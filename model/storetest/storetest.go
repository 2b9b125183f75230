// Package storetest checks that a model.Store keeps the register's
// contract, in the manner of testing/fstest: every store (the bbolt file,
// the in-memory reference store, a server-backed one) runs the same suite,
// so that the rules in model.NewReader and model.NewWriter, and what each
// store adds to them (transactions, isolation, IDs, indexes), are proved
// once for all of them.
//
// What is about one kind of store only (a file's damage, backups, locking,
// migrations) is tested beside that store.
package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"improvementtracker/model"
)

// Clock is the clock a store under test runs on. The suite moves it by hand,
// so that audit times, record times and as-at dates are known exactly. It
// is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Start is where each subtest's clock begins.
var Start = time.Date(2025, 11, 24, 10, 0, 0, 0, time.UTC)

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the time the clock stands at; pass it to the store as its clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Run runs every check of the contract against stores made by open, each
// as a subtest with a new, empty register and its own clock. open makes a
// new, empty register running on now, and closes it (checking whatever the
// store keeps) when t ends.
func Run(t *testing.T, open func(t *testing.T, now func() time.Time) model.Store) {
	for _, c := range []struct {
		name string
		test func(t *testing.T, s model.Store, c *Clock)
	}{
		{"RoundTrip", testRoundTrip},
		{"AuditSameTransaction", testAuditSameTransaction},
		{"MovedDatesNeedRevision", testMovedDatesNeedRevision},
		{"UpdatesAppendOnly", testUpdatesAppendOnly},
		{"References", testReferences},
		{"LinksChecked", testLinksChecked},
		{"EvidenceFiles", testEvidenceFiles},
		{"Submissions", testSubmissions},
		{"AuditSince", testAuditSince},
		{"HistorySince", testHistorySince},
		{"AuditBetween", testAuditBetween},
		{"SnapshotAsAt", testSnapshotAsAt},
		{"ConcurrentWriters", testConcurrentWriters},
		{"FailedSaveLeavesRecord", testFailedSaveLeavesRecord},
		{"FailedUpdateStoresNothing", testFailedUpdateStoresNothing},
		{"PanicInView", testPanicInView},
		{"PanicInUpdate", testPanicInUpdate},
		{"CancelledContext", testCancelledContext},
		{"Conflicts", testConflicts},
		{"ControlCharacters", testControlCharacters},
	} {
		t.Run(c.name, func(t *testing.T) {
			clock := NewClock(Start)
			c.test(t, open(t, clock.Now), clock)
		})
	}
}

// Seeded is a small register: settings, a PEEL report, two people and one
// area for improvement, as a starting point. Stores' own tests start from
// it too.
type Seeded struct {
	Report     model.Report
	ACC, Jo    model.Person
	Finding    model.Finding
	seedEvents int // audit events the seed wrote
}

// Seed writes the small register Seeded describes, in one transaction, as
// "Test Lead". The register's Author setting is "Improvement Team".
func Seed(t testing.TB, s model.Store) Seeded {
	t.Helper()
	var out Seeded
	err := s.Update(context.Background(), model.Actor{Who: "Test Lead"}, func(tx model.Tx) error {
		if err := tx.SaveSettings(model.Settings{ForceName: "Kent Police", RefPrefix: "KEN",
			DefaultMarking: model.Marking{Classification: model.Official}, Author: "Improvement Team"}); err != nil {
			return err
		}
		out.Report = model.Report{Title: "PEEL 2021/22: An inspection of Kent Police", Force: "Kent Police", Type: model.PEEL,
			Cycle: "2021/22", Published: model.MustDate("17/03/2022")}
		if err := tx.SaveReport(&out.Report); err != nil {
			return err
		}
		out.ACC = model.Person{Name: "Assistant Chief Constable (Crime)", Role: "Assistant Chief Constable (Crime)"}
		if err := tx.SavePerson(&out.ACC); err != nil {
			return err
		}
		out.Jo = model.Person{Name: "Jo Bloggs", Role: "Detective Inspector", Email: "jo.bloggs@example.police.uk"}
		if err := tx.SavePerson(&out.Jo); err != nil {
			return err
		}
		out.Finding = model.Finding{ReportID: out.Report.ID, Type: model.AFI, Area: "Investigating crime",
			Grade: model.RequiresImprovement, Title: "Domestic abuse team resourcing",
			Verbatim:       "The force should make sure it has enough capacity in its domestic abuse teams.",
			ChiefOfficerID: out.ACC.ID, DeliveryLeadID: out.Jo.ID, CurrentTarget: model.MustDate("31/03/2026"),
			Status: model.NotStarted}
		return tx.SaveFinding(&out.Finding)
	})
	if err != nil {
		t.Fatal(err)
	}
	out.seedEvents = 5 // settings, report, two people, finding
	return out
}

// mustView runs fn in a read transaction, failing the test on error.
func mustView(t *testing.T, s model.Store, fn func(tx model.ReadTx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// update runs fn in a write transaction as the register's author.
func update(s model.Store, fn func(tx model.Tx) error) error {
	return s.Update(context.Background(), model.Actor{}, fn)
}

// mustUpdate runs fn in a write transaction, failing the test on error.
func mustUpdate(t *testing.T, s model.Store, fn func(tx model.Tx) error) {
	t.Helper()
	if err := update(s, fn); err != nil {
		t.Fatal(err)
	}
}

// must drops the error of a read that is expected to work, panicking when
// it does not; View turns the panic into an error the test reports.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// wantIs fails unless err wraps target.
func wantIs(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want one wrapping %q", err, target)
	}
}

// counts is how many of each kind of record a register holds.
type counts struct {
	Reports, People, Findings, Milestones, Updates, Evidence, Audit, Submissions int
}

func countAll(t *testing.T, s model.Store) counts {
	t.Helper()
	var n counts
	mustView(t, s, func(tx model.ReadTx) error {
		n = counts{len(must(tx.Reports())), len(must(tx.People())), len(must(tx.Findings())), len(must(tx.Milestones(0))),
			len(must(tx.Updates(0))), len(must(tx.Evidence(0))), len(must(tx.Audit(0))), len(must(tx.Submissions()))}
		return nil
	})
	return n
}

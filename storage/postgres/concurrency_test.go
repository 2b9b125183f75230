package postgres_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/storage/postgres"
)

// counters reads the per-client save counts kept in a finding's
// interpretation: "c0=12 c1=40 …".
func counters(text string) map[string]int {
	out := map[string]int{}
	for _, f := range strings.Fields(text) {
		name, n, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		v, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		out[name] = v
	}
	return out
}

func countersText(m map[string]int, clients int) string {
	var b strings.Builder
	for w := range clients {
		if n, ok := m[clientName(w)]; ok {
			fmt.Fprintf(&b, "%s=%d ", clientName(w), n)
		}
	}
	return strings.TrimSpace(b.String())
}

func clientName(w int) string { return "c" + strconv.Itoa(w) }

// TestConcurrentClients: eight people, each in their own window (their own
// store and connection pool on the same database), make 500 saves each on
// the same three findings, as the editor does: read the finding, change
// it, save it in a transaction of its own. A save refused because someone
// else saved first is read again and retried. Afterwards no save is lost
// (every client's counter on every finding stands at the number of its
// saves there, and each finding's version has moved on once for each of
// its saves), every refusal was a conflict naming another client, nothing
// deadlocked, and the audit trail holds exactly one event per save, in a
// chain that verifies.
//
// The full run takes about a minute on a busy two-core machine, and more
// than twice that under the race detector, which slows the clients' own
// work (encoding, comparing) and not the server's. Under -race the same
// clients therefore make 60 saves each, which is enough for the detector
// to see every path run side by side; `make unit` runs the full 500
// without it as well, so the full count is proved on every run of make
// test.
func TestConcurrentClients(t *testing.T) {
	const clients, shared = 8, 3
	saves := 500
	if raceEnabled {
		saves = 60
		t.Logf("under the race detector: %d saves per client (the full 500 run without it)", saves)
	}
	admin, url := openNew(t, nil)
	base := seed(t, admin)
	findings := []model.Finding{base.finding}
	mustUpdate(t, admin, func(tx model.Tx) error {
		for i := 1; i < shared; i++ {
			f := model.Finding{ReportID: base.report.ID, Type: model.AFI, Title: fmt.Sprintf("Shared %d", i), Verbatim: "Shared."}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			findings = append(findings, f)
		}
		return nil
	})
	var events0 int
	mustView(t, admin, func(tx model.ReadTx) error { events0 = len(must(tx.Audit(0))); return nil })

	// A deadlock fails the test with a message instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	stores := make([]*postgres.Store, clients)
	for w := range stores {
		s, err := postgres.Open(ctx, url, postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[w] = s
	}

	findingOf := func(w, i int) int { return (w + i) % shared }
	var (
		wg        sync.WaitGroup
		conflicts = make([]int, clients)
		attempts  = make([]int, clients)
		failures  = make(chan error, clients)
	)
	start := time.Now()
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, me := stores[w], clientName(w)
			for i := range saves {
				id := findings[findingOf(w, i)].ID
				for {
					attempts[w]++
					var f model.Finding
					if err := s.View(ctx, func(tx model.ReadTx) error {
						var err error
						f, err = tx.Finding(id)
						return err
					}); err != nil {
						failures <- fmt.Errorf("%s, save %d, reading: %w", me, i, err)
						return
					}
					m := counters(f.Interpretation)
					m[me]++
					f.Interpretation = countersText(m, clients)
					err := s.Update(ctx, model.Actor{Who: me}, func(tx model.Tx) error { return tx.SaveFinding(&f) })
					if err == nil {
						break
					}
					c := model.AsConflict(err)
					if c == nil {
						failures <- fmt.Errorf("%s, save %d: %w", me, i, err)
						return
					}
					// A refusal names the client that saved first and a
					// version past the one this client read.
					if !strings.HasPrefix(c.Who, "c") || c.Stored <= c.Yours || c.ID != id {
						failures <- fmt.Errorf("%s, save %d: the conflict names %q, stored version %d, read %d", me, i, c.Who, c.Stored, c.Yours)
						return
					}
					conflicts[w]++
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatalf("the clients had not finished after %s: a deadlock, or a save waiting for ever", time.Since(start).Round(time.Second))
	}
	close(failures)
	for err := range failures {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	elapsed := time.Since(start)

	// Every save stands: each client's counter on each finding is the
	// number of its saves there, and each finding's version counts every
	// save made to it.
	mustView(t, admin, func(tx model.ReadTx) error {
		total := 0
		for k, f := range findings {
			got := must(tx.Finding(f.ID))
			m := counters(got.Interpretation)
			sum := 0
			for w := range clients {
				want := 0
				for i := range saves {
					if findingOf(w, i) == k {
						want++
					}
				}
				if m[clientName(w)] != want {
					t.Errorf("%s: %s's counter is %d, want %d: a save was lost", got.Ref, clientName(w), m[clientName(w)], want)
				}
				sum += m[clientName(w)]
			}
			if got.Version != f.Version+uint64(sum) {
				t.Errorf("%s is at version %d after %d saves from version %d", got.Ref, got.Version, sum, f.Version)
			}
			total += sum
		}
		if total != clients*saves {
			t.Errorf("%d saves stand, want %d", total, clients*saves)
		}

		// One event per save, each by the client that made it, and the
		// trail a chain.
		events := must(tx.Audit(0))
		if n := len(events) - events0; n != clients*saves {
			t.Errorf("the trail gained %d events, want one per save: %d", n, clients*saves)
		}
		by := map[string]int{}
		for _, ev := range events[events0:] {
			if ev.Entity != model.EntityFinding || ev.Action != model.ActionChange || len(ev.Changes) != 1 || ev.Changes[0].Field != "interpretation" {
				t.Errorf("unexpected event: %+v", ev)
				break
			}
			by[ev.Who]++
		}
		for w := range clients {
			if by[clientName(w)] != saves {
				t.Errorf("%s has %d events, want %d", clientName(w), by[clientName(w)], saves)
			}
		}
		if problems := model.CheckAuditChain(events); len(problems) > 0 {
			t.Errorf("the audit chain does not verify: %v", problems)
		}
		return nil
	})
	sum := 0
	for w := range clients {
		// Each attempt either saved or was refused as a conflict and
		// retried.
		if attempts[w] != saves+conflicts[w] {
			t.Errorf("%s made %d attempts: %d saves and %d conflicts do not add up", clientName(w), attempts[w], saves, conflicts[w])
		}
		sum += conflicts[w]
	}
	if sum == 0 {
		t.Error("no save was ever refused: the clients did not overlap, so the test proves nothing")
	}
	t.Logf("%d clients × %d saves on %d findings: %d conflicts retried (per client %v), %s", clients, saves, shared, sum, conflicts, elapsed.Round(time.Millisecond))
}

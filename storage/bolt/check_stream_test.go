package bolt

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// streamFixture is the Kent sample with a return submitted and a progress
// update recorded after it that the return should have held: a real
// register, closed, as bytes to copy, with what the attacks need of it.
type streamFixture struct {
	base       []byte
	findings   []model.Finding
	updates    []model.Update
	milestones []model.Milestone
	events     []model.AuditEvent
	subs       []model.Submission
	u          model.Update // not its finding's latest
}

func newStreamFixture(t *testing.T) streamFixture {
	t.Helper()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s, path := sampleStore(t, &now)
	q, err := model.ParseQuarter("Q2 2026/27")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sub := model.Submission{Kind: model.SubmissionReturn, Period: q, AsAt: model.MustDate("30/09/2026"), FileName: "return.xlsx"}
	if err := s.Update(ctx, model.Actor{Who: "tester"}, func(tx model.Tx) error { return tx.SaveSubmission(&sub) }); err != nil {
		t.Fatal(err)
	}
	now = now.Add(48 * time.Hour)
	var fx streamFixture
	err = s.Update(ctx, model.Actor{Who: "tester"}, func(tx model.Tx) error {
		f := must(tx.Findings())[0]
		return tx.AppendUpdate(&model.Update{FindingID: f.ID, Date: model.MustDate("20/09/2026"), Narrative: "Typed in late", Status: model.InProgress, RAG: model.Amber})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(ctx, func(tx model.ReadTx) error {
		fx.findings, fx.updates, fx.milestones = must(tx.Findings()), must(tx.Updates(0)), must(tx.Milestones(0))
		fx.events, fx.subs = must(tx.Audit(0)), must(tx.Submissions())
		for _, f := range fx.findings {
			if us := must(tx.Updates(f.ID)); len(us) > 1 {
				fx.u = us[0]
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(fx.events) < 10 || len(fx.milestones) == 0 || fx.u.ID == 0 {
		t.Fatalf("the sample is too small to attack: %d events, %d milestones", len(fx.events), len(fx.milestones))
	}
	s.Close()
	if fx.base, err = os.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	return fx
}

func (fx streamFixture) ref(id model.ID) string {
	for _, f := range fx.findings {
		if f.ID == id {
			return f.Ref
		}
	}
	return fmt.Sprintf("finding %d", id)
}

// attack copies the register, changes the copy and checks it.
func (fx streamFixture) attack(t *testing.T, change func(tx *bolt.Tx, r *records) error) CheckResult {
	t.Helper()
	p := filepath.Join(t.TempDir(), "register.db")
	if err := os.WriteFile(p, fx.base, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(p, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return change(tx, &records{tx: tx}) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(p, Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.CheckRegister()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestCheckStreamsEveryDamage makes each kind of damage check knows on a
// copy of a real register and shows that the check, which reads each
// section once as a stream, still reports it in the same words and
// nothing else.
func TestCheckStreamsEveryDamage(t *testing.T) {
	fx := newStreamFixture(t)
	m := fx.milestones[0]
	mid := len(fx.events) / 2
	before, gone, after := fx.events[mid-1], fx.events[mid], fx.events[mid+1]
	var withFinding model.AuditEvent
	for _, ev := range fx.events {
		if ev.FindingID != 0 && ev.FindingID != fx.findings[1].ID {
			withFinding = ev
			break
		}
	}
	follows := func(ev, prev model.AuditEvent) string {
		return "History (audit trail): " + eventName(ev) + " does not follow the entry before it (" + eventName(prev) +
			"): the history has been altered or an entry removed between them"
	}
	flip := func(tx *bolt.Tx, name []byte, id model.ID) error {
		b := tx.Bucket(name)
		raw := slices.Clone(b.Get(itob(uint64(id))))
		raw[len(raw)-2] ^= 0x10
		return b.Put(itob(uint64(id)), raw)
	}
	for _, c := range []struct {
		name   string
		change func(tx *bolt.Tx, r *records) error
		want   []string // the whole report, flattened, in any order
		prefix bool     // want holds the start of each problem
	}{
		{"record whose seal fails", func(tx *bolt.Tx, r *records) error { return flip(tx, bucketUpdates, fx.u.ID) },
			[]string{fmt.Sprintf("Damaged records: progress update %s on %s (record %d) is damaged: its stored bytes no longer match their checksum.", fx.u.Date, fx.ref(fx.u.FindingID), fx.u.ID)}, true},
		{"history entry whose seal fails", func(tx *bolt.Tx, r *records) error { return flip(tx, bucketAudit, gone.ID) },
			[]string{fmt.Sprintf("Damaged records: history entry %s", gone.At.Local().Format("02/01/2006 15:04")),
				"History (audit trail): the history cannot be verified as a chain while 1 of its entries are damaged"}, true},
		{"index entry pointing nowhere", func(tx *bolt.Tx, r *records) error {
			return tx.Bucket(bucketMilestonesByFinding).Put(pairKey(m.FindingID, 999999), nil)
		}, []string{fmt.Sprintf("Indexes: the milestone index lists record 999999 under %s, which matches no milestone", fx.ref(m.FindingID))}, false},
		{"missing index entry", func(tx *bolt.Tx, r *records) error {
			return tx.Bucket(bucketMilestonesByFinding).Delete(pairKey(m.FindingID, m.ID))
		}, []string{fmt.Sprintf("Indexes: milestone record %d on %s is missing from its finding's index", m.ID, fx.ref(m.FindingID))}, false},
		{"missing history index entry", func(tx *bolt.Tx, r *records) error {
			return tx.Bucket(bucketAuditByFinding).Delete(pairKey(withFinding.FindingID, withFinding.ID))
		}, []string{"Indexes: " + eventName(withFinding) + " is missing from the history index of " + fx.ref(withFinding.FindingID)}, false},
		{"history index entry under another finding", func(tx *bolt.Tx, r *records) error {
			idx := tx.Bucket(bucketAuditByFinding)
			if err := idx.Delete(pairKey(withFinding.FindingID, withFinding.ID)); err != nil {
				return err
			}
			return idx.Put(pairKey(fx.findings[1].ID, withFinding.ID), auditTime(withFinding.At))
		}, []string{
			fmt.Sprintf("Indexes: the history index lists entry %d under %s, but it belongs to %s", withFinding.ID, fx.findings[1].Ref, fx.ref(withFinding.FindingID)),
			"Indexes: " + eventName(withFinding) + " is missing from the history index of " + fx.ref(withFinding.FindingID)}, false},
		{"orphan milestone", func(tx *bolt.Tx, r *records) error {
			if err := r.Delete(model.KindMilestone, m.ID); err != nil {
				return err
			}
			orphan := m
			orphan.FindingID = 999999
			return r.Put(model.KindMilestone, m.ID, orphan)
		}, []string{fmt.Sprintf("References between records: milestone record %d belongs to finding record 999999, which does not exist", m.ID)}, false},
		{"broken chain link", func(tx *bolt.Tx, r *records) error {
			altered := gone
			altered.Who = "Someone Else"
			return r.Put(model.KindAudit, gone.ID, altered)
		}, []string{follows(after, gone)}, false},
		{"event removed", func(tx *bolt.Tx, r *records) error { return r.Delete(model.KindAudit, gone.ID) },
			[]string{follows(after, before)}, false},
		{"event spliced in and the chain made again after it", func(tx *bolt.Tx, r *records) error {
			// A careful forger: an entry slipped in after before, every
			// later entry moved up one and chained again. Only the
			// submission, which names the head the trail had, can tell.
			for _, ev := range fx.events[mid:] {
				if err := r.Delete(model.KindAudit, ev.ID); err != nil {
					return err
				}
			}
			forged := before
			forged.Summary, forged.Who = "Nothing to see here", "Someone Else"
			list := append([]model.AuditEvent{forged}, fx.events[mid:]...)
			prev := model.AuditHash(before)
			for i, ev := range list {
				ev.ID, ev.Prev = before.ID+1+model.ID(i), prev
				if err := r.Put(model.KindAudit, ev.ID, ev); err != nil {
					return err
				}
				prev = model.AuditHash(ev)
			}
			return nil
		}, []string{fmt.Sprintf("History (audit trail): the record of the %s for %s sent as %s names a state of the history that is not in the register", fx.subs[0].Kind, fx.subs[0].Period, fx.subs[0].FileName)}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Flatten(fx.attack(t, c.change).Groups)
			ok := len(got) == len(c.want)
			for _, w := range c.want {
				ok = ok && slices.ContainsFunc(got, func(p string) bool { return p == w || c.prefix && strings.HasPrefix(p, w) })
			}
			if !ok {
				t.Errorf("check says\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// TestCheckRegisterCounts: a sound register's check says how many
// findings, updates and history entries it read, and finds the updates
// recorded late as model.LateUpdates does from the whole register.
func TestCheckRegisterCounts(t *testing.T) {
	fx := newStreamFixture(t)
	res := fx.attack(t, func(*bolt.Tx, *records) error { return nil })
	if len(res.Groups) > 0 {
		t.Fatalf("check of a sound register: %v", Flatten(res.Groups))
	}
	if res.Findings != len(fx.findings) || res.Updates != len(fx.updates) || res.Events != len(fx.events) {
		t.Errorf("counted %d findings, %d updates, %d entries; want %d, %d, %d", res.Findings, res.Updates, res.Events, len(fx.findings), len(fx.updates), len(fx.events))
	}
	want := model.LateUpdates(fx.findings, fx.updates, fx.subs)
	if len(want) == 0 || !reflect.DeepEqual(res.Late, want) {
		t.Errorf("late updates:\n%v\nwant\n%v", res.Late, want)
	}
}

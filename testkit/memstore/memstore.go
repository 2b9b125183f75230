// Package memstore is a model.Store kept in memory: the reference
// implementation of the record operations the register's rules need, for
// tests that are about the rules and the screens rather than a file, and
// for the contract suite that every store must pass.
//
// Records are kept as their JSON encoding, as the file store keeps them, so
// that what a caller reads back is its own copy and field names behave as
// they do on disk. A write transaction works on a copy of the state, which
// replaces the state when it commits: a failed or panicking transaction
// leaves nothing behind.
package memstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"reflect"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"improvementtracker/model"
)

// ErrClosed is returned by a closed store.
var ErrClosed = errors.New("the register has been closed")

// Store is a register in memory. It is safe for concurrent use: many
// readers or one writer at a time.
type Store struct {
	mu     sync.RWMutex
	now    func() time.Time
	state  *state
	closed bool
}

var _ model.Store = (*Store)(nil)

// New returns an empty register; now is its clock (nil means time.Now).
func New(now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{now: now, state: newState()}
}

// state is everything the register holds. Values are never changed in
// place once stored, so a copy of the maps is a copy of the state.
type state struct {
	settings []byte
	records  map[model.Kind]map[model.ID][]byte
	// owner is the finding each milestone, update, evidence and audit
	// event belongs to.
	owner    map[model.Kind]map[model.ID]model.ID
	seq      map[model.Kind]uint64
	refs     map[string]model.ID
	counters map[string]uint64
	files    map[model.ID][]byte
}

func newState() *state {
	return &state{
		records:  map[model.Kind]map[model.ID][]byte{},
		owner:    map[model.Kind]map[model.ID]model.ID{},
		seq:      map[model.Kind]uint64{},
		refs:     map[string]model.ID{},
		counters: map[string]uint64{},
		files:    map[model.ID][]byte{},
	}
}

func (s *state) clone() *state {
	c := &state{
		settings: s.settings,
		records:  make(map[model.Kind]map[model.ID][]byte, len(s.records)),
		owner:    make(map[model.Kind]map[model.ID]model.ID, len(s.owner)),
		seq:      maps(s.seq),
		refs:     maps(s.refs),
		counters: maps(s.counters),
		files:    maps(s.files),
	}
	for k, m := range s.records {
		c.records[k] = maps(m)
	}
	for k, m := range s.owner {
		c.owner[k] = maps(m)
	}
	return c
}

func maps[K comparable, V any](m map[K]V) map[K]V {
	c := make(map[K]V, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// Close ends the store; later calls fail with ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// View runs fn over the state as it is now. A panic in fn is a program
// error, as it is in the file store: the contract says so, and a test of
// the rules that panics should fail the same way on either store.
func (s *Store) View(ctx context.Context, fn func(tx model.ReadTx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer recoverProgramError(&err)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	return fn(model.NewReader(&records{st: s.state}))
}

// Update runs fn over a copy of the state, which becomes the state when fn
// returns nil. When fn fails or panics the copy is dropped, so nothing it
// wrote is kept.
func (s *Store) Update(ctx context.Context, by model.Actor, fn func(tx model.Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer recoverProgramError(&err)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	work := &records{st: s.state.clone(), writable: true}
	if err := fn(model.NewWriter(work, by, s.now())); err != nil {
		return err
	}
	s.state = work.st
	return nil
}

// recoverProgramError turns a panic in a transaction's callback into a
// model.ErrProgram error, with the details in the log; it must be deferred
// directly. Memory holds no file to be damaged, so every panic is a bug.
func recoverProgramError(err *error) {
	if r := recover(); r != nil {
		log.Printf("program error while using the register in memory: %v\n%s", r, debug.Stack())
		*err = fmt.Errorf("%w (%v)", model.ErrProgram, r)
	}
}

// records is model.RecordWriter over one state.
type records struct {
	st       *state
	writable bool
}

var _ model.RecordWriter = (*records)(nil)

func (r *records) mustWrite() error {
	if !r.writable {
		return fmt.Errorf("%w: a write in a read-only transaction", model.ErrProgram)
	}
	return nil
}

func (r *records) LoadSettings(s *model.Settings) (bool, error) {
	if r.st.settings == nil {
		return false, nil
	}
	return true, json.Unmarshal(r.st.settings, s)
}

func (r *records) Load(kind model.Kind, id model.ID, v any) error {
	raw, ok := r.st.records[kind][id]
	if !ok {
		return model.ErrNotFound
	}
	return json.Unmarshal(raw, v)
}

// LoadAll decodes into dst, a pointer to a slice, by reflection: this store
// is for tests, where clarity beats speed.
func (r *records) LoadAll(kind model.Kind, findingID model.ID, dst any) error {
	out := reflect.ValueOf(dst)
	if out.Kind() != reflect.Pointer || out.Elem().Kind() != reflect.Slice {
		return fmt.Errorf("%w: cannot list records into %T", model.ErrProgram, dst)
	}
	ids := r.ids(kind, findingID)
	list := reflect.MakeSlice(out.Elem().Type(), len(ids), len(ids))
	for i, id := range ids {
		if err := json.Unmarshal(r.st.records[kind][id], list.Index(i).Addr().Interface()); err != nil {
			return err
		}
	}
	out.Elem().Set(list)
	return nil
}

// ids lists a kind's IDs, or one finding's, in ID order.
func (r *records) ids(kind model.Kind, findingID model.ID) []model.ID {
	var ids []model.ID
	for id := range r.st.records[kind] {
		if findingID == 0 || r.st.owner[kind][id] == findingID {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b model.ID) int { return cmp.Compare(a, b) })
	return ids
}

// Last decodes the record with the highest ID of a kind.
func (r *records) Last(kind model.Kind, v any) (bool, error) {
	var last model.ID
	for id := range r.st.records[kind] {
		last = max(last, id)
	}
	if last == 0 {
		return false, nil
	}
	return true, json.Unmarshal(r.st.records[kind][last], v)
}

func (r *records) FindingIDByRef(ref string) (model.ID, error) {
	id, ok := r.st.refs[ref]
	if !ok {
		return 0, model.ErrNotFound
	}
	return id, nil
}

func (r *records) CountByFinding(kind model.Kind, findingID model.ID) (int, error) {
	return len(r.ids(kind, findingID)), nil
}

func (r *records) File(evidenceID model.ID) ([]byte, error) {
	data, ok := r.st.files[evidenceID]
	if !ok {
		return nil, model.ErrNotFound
	}
	return slices.Clone(data), nil
}

func (r *records) NextID(kind model.Kind) (model.ID, error) {
	if err := r.mustWrite(); err != nil {
		return 0, err
	}
	r.st.seq[kind]++
	return model.ID(r.st.seq[kind]), nil
}

// keys is what a record tells the indexes.
type keys struct {
	Ref       string   `json:"ref"`
	FindingID model.ID `json:"finding_id"`
}

func (r *records) Put(kind model.Kind, id model.ID, v any) error {
	if err := r.mustWrite(); err != nil {
		return err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var k keys
	if err := json.Unmarshal(raw, &k); err != nil {
		return err
	}
	if r.st.records[kind] == nil {
		r.st.records[kind] = map[model.ID][]byte{}
	}
	r.st.records[kind][id] = raw
	switch kind {
	case model.KindFinding:
		r.st.refs[k.Ref] = id
	case model.KindMilestone, model.KindUpdate, model.KindEvidence, model.KindAudit:
		if r.st.owner[kind] == nil {
			r.st.owner[kind] = map[model.ID]model.ID{}
		}
		r.st.owner[kind][id] = k.FindingID
	}
	return nil
}

func (r *records) Delete(kind model.Kind, id model.ID) error {
	if err := r.mustWrite(); err != nil {
		return err
	}
	raw, ok := r.st.records[kind][id]
	if !ok {
		return model.ErrNotFound
	}
	var k keys
	if err := json.Unmarshal(raw, &k); err != nil {
		return err
	}
	delete(r.st.records[kind], id)
	delete(r.st.owner[kind], id)
	switch kind {
	case model.KindFinding:
		delete(r.st.refs, k.Ref)
	case model.KindEvidence:
		delete(r.st.files, id)
	}
	return nil
}

func (r *records) PutSettings(s model.Settings) error {
	if err := r.mustWrite(); err != nil {
		return err
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	r.st.settings = raw
	return nil
}

func (r *records) PutFile(evidenceID model.ID, data []byte) error {
	if err := r.mustWrite(); err != nil {
		return err
	}
	r.st.files[evidenceID] = slices.Clone(data)
	return nil
}

func counterKey(report model.ID, code string) string { return fmt.Sprintf("%d/%s", report, code) }

func (r *records) RefCounter(report model.ID, code string) (uint64, error) {
	return r.st.counters[counterKey(report, code)], nil
}

func (r *records) SetRefCounter(report model.ID, code string, n uint64) error {
	if err := r.mustWrite(); err != nil {
		return err
	}
	r.st.counters[counterKey(report, code)] = n
	return nil
}

package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/internal/recjson"
	"improvementtracker/model"
)

// bucketUpdateHeads: updateID -> the update without its narrative (its
// head), sealed in an envelope as records are. Added by schema version 5.
//
// A large register's progress narratives are most of its bytes, and the
// as-at register needs every update's date, status and RAG but only a few
// narratives. Reading the heads from the updates section means touching
// every page of it, narratives and all; this index holds what the snapshot
// needs besides the narrative in a tenth of the space, so the narratives'
// pages are read only for the updates whose narrative is wanted.
//
// It is keyed by update ID, like the updates section, rather than by
// finding and date: the snapshot lists every update in ID order anyway
// (model.UpdateHeadLister), which a walk of the index gives as it stands,
// and writing or deleting an update touches exactly one entry under its own
// key, without first reading the record it replaces to find its old date.
// One finding's updates are found through updates_by_finding.
var bucketUpdateHeads = []byte("update_heads")

// headFormat is the first byte of an index entry's payload, so that a later
// layout can be told from this one.
const headFormat = 1

// appendHead writes an update's head, all but its ID (the key) and its
// narrative:
//
//	headFormat
//	finding ID           uvarint
//	date                 varint year, uvarint month, uvarint day
//	status, RAG, author, source   each uvarint length then the bytes
//	recorded             varint Unix seconds, uvarint nanoseconds, then
//	                     zoneUTC, or zoneOffset and the varint offset in
//	                     seconds east of UTC
//	sample               0 or 1
//
// u must be as decoding its stored JSON gives it (headOf): the recorded
// time's zone is then the one its text names, which readHead brings back
// as decoding that text would.
func appendHead(b []byte, u *model.Update) []byte {
	b = append(b, headFormat)
	b = binary.AppendUvarint(b, uint64(u.FindingID))
	b = binary.AppendVarint(b, int64(u.Date.Year))
	b = binary.AppendUvarint(b, uint64(u.Date.Month))
	b = binary.AppendUvarint(b, uint64(u.Date.Day))
	for _, s := range []string{string(u.Status), string(u.RAG), u.Author, u.Source} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = appendTime(b, u.Recorded)
	if u.Sample {
		return append(b, 1)
	}
	return append(b, 0)
}

// How a head's recorded time gives its zone: the JSON text of a time says
// "Z" or a numeric offset, and decoding gives UTC for the first and, for
// the second, the computer's own zone when it has that offset at that
// instant, else a fixed offset.
const (
	zoneUTC    = 0
	zoneOffset = 1
)

// errHeadForm is why a head that passed its checksum cannot be read: it was
// written in a layout this version does not know.
var errHeadForm = errors.New("it is not in the form the index is written in")

// headReader reads heads one after another, sharing the strings that repeat
// (statuses, RAG ratings, authors, sources) between the updates that have
// them, so that a large register's heads hold each once.
type headReader struct {
	strs map[string]string
}

// headStart reads the finding and date at the start of a head's payload,
// and gives the rest to read: the finding and date alone are enough to
// decide whether an update is kept, when most are not.
func headStart(key, p []byte) (f fields, finding model.ID, d model.Date, err error) {
	if len(key) != 8 || len(p) == 0 || p[0] != headFormat {
		return f, 0, d, errHeadForm
	}
	f = fields{p: p, i: 1}
	finding = model.ID(f.uvarint())
	d.Year = int(f.varint())
	d.Month = time.Month(f.uvarint())
	d.Day = int(f.uvarint())
	if f.i < 0 {
		return f, 0, model.Date{}, errHeadForm
	}
	return f, finding, d, nil
}

// read decodes a head's payload into u, whose ID it sets from key.
func (h *headReader) read(key, p []byte, u *model.Update) error {
	*u = model.Update{ID: model.ID(btoi(key))}
	f, finding, date, err := headStart(key, p)
	if err != nil {
		return err
	}
	u.FindingID, u.Date = finding, date
	str := func() string {
		b := f.bytes()
		if s, ok := h.strs[string(b)]; ok {
			return s
		}
		s := string(b)
		if h.strs == nil {
			h.strs = map[string]string{}
		}
		if len(h.strs) < 1<<12 { // narratives are not here: few distinct values
			h.strs[s] = s
		}
		return s
	}
	u.Status = model.Status(str())
	u.RAG = model.RAG(str())
	u.Author = str()
	u.Source = str()
	u.Recorded = f.time()
	// Then the sample flag, the last byte.
	if f.i < 0 || f.i != len(p)-1 || p[f.i] > 1 {
		return errHeadForm
	}
	u.Sample = p[f.i] == 1
	return nil
}

// inZone is t with the zone decoding a time written with that offset gives
// it (time.Parse): the computer's own zone when it has that offset at t,
// else a fixed, unnamed offset.
func inZone(t time.Time, off int) time.Time {
	if _, local := t.In(time.Local).Zone(); local == off {
		return t.In(time.Local)
	}
	return t.In(time.FixedZone("", off))
}

// headOf decodes an update's stored JSON without its narrative, as a
// record's head is written: the fields exactly as decoding the record
// gives them.
func headOf(payload []byte) (model.Update, error) {
	var u model.Update
	if isApartUpdate(payload) {
		payload = payload[1:] // the narrative is left out anyway
	}
	// No date is on or after the latest and on or before the zero date:
	// the narrative is passed over.
	if recjson.UpdateHead(payload, model.Date{Year: 1 << 30}, model.Date{}, &u) {
		return u, nil
	}
	u = model.Update{}
	if err := json.Unmarshal(payload, &u); err != nil {
		return u, fmt.Errorf("it cannot be read as a record (%s)", jsonProblem(err))
	}
	u.Narrative = ""
	return u, nil
}

// updateOf decodes an update's stored JSON, narrative and all, exactly as
// reading the record does.
func updateOf(payload []byte) (model.Update, error) {
	var u model.Update
	if recjson.Decode(payload, &u) {
		return u, nil
	}
	u = model.Update{}
	if err := json.Unmarshal(payload, &u); err != nil {
		return u, fmt.Errorf("it cannot be read as a record (%s)", jsonProblem(err))
	}
	return u, nil
}

// putHead writes the index entry of an update whose stored JSON is raw.
func putHead(idx *bolt.Bucket, key, raw []byte) error {
	u, err := headOf(raw)
	if err != nil {
		return err
	}
	idx.FillPercent = appendFill // keys are update IDs, which only grow
	return idx.Put(key, seal(bucketUpdateHeads, key, appendHead(nil, &u)))
}

// buildUpdateHeads writes the index of update heads afresh from the
// updates section: for schema version 5, and when a file's index has gone
// missing.
func buildUpdateHeads(tx *bolt.Tx) error {
	idx, updates, err := freshUpdateIndex(tx, bucketUpdateHeads)
	if err != nil || updates == nil {
		return err
	}
	r := &records{tx: tx}
	return updates.ForEach(func(k, v []byte) error {
		payload, err := unseal(bucketUpdates, k, v)
		if err != nil {
			return r.damage(bucketUpdates, k, payload, err)
		}
		if err := putHead(idx, k, payload); err != nil {
			return r.damage(bucketUpdates, k, payload, err)
		}
		return nil
	})
}

// sameHead reports whether two updates agree on everything but their
// narratives.
func sameHead(a, b model.Update) bool {
	a.Narrative, b.Narrative = "", ""
	return a.ID == b.ID && a.FindingID == b.FindingID && a.Date == b.Date && a.Status == b.Status &&
		a.RAG == b.RAG && a.Author == b.Author && a.Source == b.Source && a.Sample == b.Sample &&
		a.Recorded.Equal(b.Recorded) && sameZone(a.Recorded, b.Recorded)
}

// sameZone reports whether two times show the same offset and come from
// the same kind of zone text.
func sameZone(a, b time.Time) bool {
	_, ao := a.Zone()
	_, bo := b.Zone()
	return ao == bo && (a.Location() == time.UTC) == (b.Location() == time.UTC)
}

// headsDiffer names, in words, the fields of an update that its index entry
// gives otherwise.
func headsDiffer(rec, head model.Update) string {
	var out []string
	add := func(differ bool, name string) {
		if differ {
			out = append(out, name)
		}
	}
	add(rec.ID != head.ID, "record number")
	add(rec.FindingID != head.FindingID, "finding")
	add(rec.Date != head.Date, "date")
	add(rec.Status != head.Status, "status")
	add(rec.RAG != head.RAG, "RAG rating")
	add(rec.Author != head.Author, "author")
	add(rec.Source != head.Source, "source")
	add(!rec.Recorded.Equal(head.Recorded) || !sameZone(rec.Recorded, head.Recorded), "time recorded")
	add(rec.Sample != head.Sample, "sample flag")
	return joinWords(out)
}

// joinWords lists words as a sentence does: "a", "a and b", "a, b and c".
func joinWords(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	var b bytes.Buffer
	for i, w := range ws {
		switch {
		case i == len(ws)-1:
			b.WriteString(" and ")
		case i > 0:
			b.WriteString(", ")
		}
		b.WriteString(w)
	}
	return b.String()
}

// The indexes of schema version 5, in words.
const (
	updateIndexName  = "the index of progress updates"
	historyIndexName = "the index of the history by time"
)

// indexDamage is the error for an index entry that fails its checksum,
// cannot be read, or disagrees with the record it stands for: it names the
// entry and offers the newest backup that checks clean, as damage to a
// record does.
// The entry is named by the record it stands for, id; 0 when its key
// cannot be read.
func (r *records) indexDamage(index string, id uint64, why error) error {
	what := "an entry of " + index
	if id != 0 {
		what = fmt.Sprintf("the entry for record %d in %s", id, index)
	}
	e := &RecordDamage{What: what, Why: why.Error()}
	if r.s != nil {
		e.Path = r.s.path
		if b, ok := r.s.cleanBackup(); ok {
			e.Backup, e.BackupTime = b.Path, b.Time
		}
	}
	return e
}

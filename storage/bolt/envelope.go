package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"path/filepath"
	"strconv"
	"time"

	"improvementtracker/internal/recjson"
	"improvementtracker/model"
)

// Every record (and the settings) is stored in an envelope that carries a
// checksum, from schema version 4:
//
//	byte 0      envelopeMark
//	bytes 1..4  CRC-32C, big-endian, of the bucket name, the key and the
//	            payload, so that a record moved under another key is caught
//	            as surely as one whose bytes changed
//	bytes 5..   the payload: the record's JSON
//
// bbolt checksums only its header pages, so without this a flipped bit in a
// record reads back as a different name, date or status, and nothing says
// so. CRC-32C finds every one-bit and two-bit error and every burst up to 32
// bits, and costs little next to decoding the JSON.
const envelopeMark = 0xC4 // a byte no JSON text starts with

// envelopeSize is the bytes an envelope adds to a record.
const envelopeSize = 5

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sealedBuckets are the buckets whose values are sealed in envelopes. The
// indexes are not: check compares them with the records they point to.
var sealedBuckets = [][]byte{
	bucketSettings, bucketReports, bucketPeople, bucketFindings, bucketMilestones,
	bucketUpdates, bucketEvidence, bucketAudit, bucketSubmissions,
}

// separator is the byte between a checksum's bucket and key: made once,
// as one made in envelopeSum escapes to the heap, and every record read
// is checked.
var separator = []byte{0}

func envelopeSum(bucket, key, payload []byte) uint32 {
	h := crc32.Update(0, castagnoli, bucket)
	h = crc32.Update(h, castagnoli, separator)
	h = crc32.Update(h, castagnoli, key)
	return crc32.Update(h, castagnoli, payload)
}

// seal wraps a record's JSON in its envelope.
func seal(bucket, key, payload []byte) []byte {
	out := make([]byte, envelopeSize+len(payload))
	out[0] = envelopeMark
	binary.BigEndian.PutUint32(out[1:], envelopeSum(bucket, key, payload))
	copy(out[envelopeSize:], payload)
	return out
}

// errChecksum and errNoEnvelope are why unseal refuses a value.
var (
	errChecksum   = errors.New("its stored bytes no longer match their checksum")
	errNoEnvelope = errors.New("it is not stored as the app stores records")
)

// unseal checks a stored value's envelope and returns its payload, which
// points into raw.
//
// A compressed value (pack.go) is checked as stored and then decompressed:
// its payload is then a copy, and the one it was sealed from.
func unseal(bucket, key, raw []byte) ([]byte, error) {
	if len(raw) < envelopeSize || raw[0] != envelopeMark && raw[0] != packedMark {
		return nil, errNoEnvelope
	}
	payload := raw[envelopeSize:]
	if binary.BigEndian.Uint32(raw[1:]) != envelopeSum(bucket, key, payload) {
		if raw[0] == packedMark {
			// Only to name the value: its words may still be readable.
			payload, _ = unpack(payload)
		}
		return payload, errChecksum
	}
	if raw[0] == packedMark {
		return unpack(payload)
	}
	return payload, nil
}

// RecordDamage is a stored record that fails its checksum or cannot be
// decoded. Its message names the record in words, the file, and the newest
// backup that checks clean; errors.Is(err, model.ErrDamaged) holds.
type RecordDamage struct {
	// What names the record: "progress update 14/03/2026 on
	// KEN-PEEL2122-AFI-07".
	What string
	// Why says what is wrong with it.
	Why string
	// Path is the register file; Backup the newest backup that checks
	// clean, "" when there is none.
	Path, Backup string
	BackupTime   time.Time
}

func (e *RecordDamage) Error() string {
	msg := e.What + " is damaged: " + e.Why + "."
	if e.Path == "" {
		return msg
	}
	msg += " The register is " + e.Path + "."
	if e.Backup == "" {
		return msg + " No backup that checks clean was found in " + backupDir(e.Path) + "; keep the file and do not delete it"
	}
	return msg + fmt.Sprintf(" The newest backup that checks clean is %s, made %s: restore it with Restore backup in the app or \"improvement-tracker restore %s\"",
		filepath.Base(e.Backup), e.BackupTime.Local().Format("on 02/01/2006 at 15:04"), e.Backup)
}

// Unwrap makes errors.Is(err, model.ErrDamaged) hold.
func (e *RecordDamage) Unwrap() error { return model.ErrDamaged }

// decode checks a stored value's envelope and unmarshals its payload into
// v. json.Unmarshal copies what it keeps, so nothing returned points into
// bbolt's memory.
func (r *records) decode(bucket, key, raw []byte, v any) error {
	_, err := r.decodeKept(bucket, key, raw, v)
	return err
}

// decodeKept is decode that also gives the payload it decoded: the
// file's own bytes, or the unpacked ones, valid until the transaction
// ends.
func (r *records) decodeKept(bucket, key, raw []byte, v any) ([]byte, error) {
	payload, err := unseal(bucket, key, raw)
	if err == nil && isLeanEvent(payload) {
		err = decodeLeanInto(payload, v)
	} else if err == nil && isApartUpdate(payload) {
		err = r.decodeApart(key, payload, v)
	} else if err == nil && !recjson.Decode(payload, v) {
		err = json.Unmarshal(payload, v)
		if err != nil {
			err = fmt.Errorf("it cannot be read as a record (%s)", jsonProblem(err))
		}
	}
	if err != nil {
		return nil, r.damage(bucket, key, payload, err)
	}
	return payload, nil
}

// jsonProblem says in words what json found wrong, without its internals.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return "its text is broken at byte " + strconv.FormatInt(syn.Offset, 10)
	case errors.As(err, &typ):
		return "its " + typ.Field + " holds the wrong kind of value"
	}
	return "its text is not in the expected form"
}

// damage builds the error for a damaged record, naming it as well as its
// possibly damaged payload allows.
func (r *records) damage(bucket, key, payload []byte, why error) error {
	e := &RecordDamage{What: r.describe(bucket, key, payload), Why: why.Error()}
	if r.s != nil {
		e.Path = r.s.path
		if b, ok := r.s.cleanBackup(); ok {
			e.Backup, e.BackupTime = b.Path, b.Time
		}
	}
	return e
}

// field reads a top-level string or number field from a record's JSON
// without decoding the rest, which may be damaged; "" when it cannot.
func field(payload []byte, name string) string {
	i := bytes.Index(payload, []byte(`"`+name+`":`))
	if i < 0 {
		return ""
	}
	rest := payload[i+len(name)+3:]
	if len(rest) > 0 && rest[0] == '"' {
		var s string
		end := bytes.IndexByte(rest[1:], '"')
		if end < 0 || json.Unmarshal(rest[:end+2], &s) != nil {
			return ""
		}
		return s
	}
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	return string(rest[:n])
}

// what names kinds of record in words, by bucket.
var what = map[string]string{
	"settings": "the register settings", "reports": "report", "people": "person", "findings": "finding",
	"milestones": "milestone", "updates": "progress update", "evidence": "evidence",
	"audit": "history entry", "submissions": "the record of a submission",
}

// describe names a record in words: "progress update 14/03/2026 on
// KEN-PEEL2122-AFI-07 (record 17)".
func (r *records) describe(bucket, key, payload []byte) string {
	name := what[string(bucket)]
	if name == "" {
		name = "a record in the " + string(bucket) + " section"
	}
	if bytes.Equal(bucket, bucketSettings) {
		return name
	}
	id := "record " + strconv.FormatUint(btoi(key), 10)
	date := func(s string) string {
		if d, err := model.ParseDate(s); err == nil && !d.IsZero() {
			return d.String()
		}
		return ""
	}
	when := func(s string) string {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.Local().Format("02/01/2006 15:04")
		}
		return ""
	}
	var label, on string
	switch string(bucket) {
	case "findings":
		label = field(payload, "ref")
	case "reports":
		label = strconv.Quote(field(payload, "title"))
	case "people":
		label = strconv.Quote(field(payload, "name"))
	case "milestones", "evidence":
		label = strconv.Quote(field(payload, "title"))
		on = r.findingRef(field(payload, "finding_id"))
	case "updates":
		label = date(field(payload, "date"))
		on = r.findingRef(field(payload, "finding_id"))
	case "audit":
		label = when(field(payload, "at"))
		on = r.findingRef(field(payload, "finding_id"))
		if isLeanEvent(payload) {
			label, on = r.describeLean(payload)
		}
	case "submissions":
		if p := field(payload, "period"); p != "" {
			label = "for " + p
		}
	}
	if label == `""` {
		label = ""
	}
	out := name
	if label != "" {
		out += " " + label
	}
	if on != "" {
		out += " on " + on
	}
	return out + " (" + id + ")"
}

// findingRef is the reference of the finding with the ID written in s, or
// "" when it cannot be read.
func (r *records) findingRef(s string) string {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 || r.tx == nil {
		return ""
	}
	b := r.tx.Bucket(bucketFindings)
	if b == nil {
		return ""
	}
	raw := b.Get(itob(id))
	payload, err := unseal(bucketFindings, itob(id), raw)
	if err != nil {
		return ""
	}
	return field(payload, "ref")
}

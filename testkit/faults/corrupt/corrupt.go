// Package corrupt damages register files the way a failing disk, a bad
// copy or a careless hand would: one bit flipped inside a stored record, a
// header page spoilt, the file cut short. The tests and the fault campaign
// use it to show that every such file is reported in words.
package corrupt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// RecordBuckets are the buckets that hold the register's records (not its
// indexes): a flip inside one of their values must be found by check.
var RecordBuckets = []string{"settings", "reports", "people", "findings", "milestones", "updates", "evidence", "audit", "submissions"}

// Value is one stored value and where its bytes are in the file.
type Value struct {
	Bucket string
	Key    []byte
	Offset int64
	Len    int
}

// Values lists the record values of the file at path whose bytes occur
// exactly once in the file, so that each can be found and altered there.
func Values(path string) ([]Value, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var out []Value
	err = db.View(func(tx *bolt.Tx) error {
		for _, name := range RecordBuckets {
			b := tx.Bucket([]byte(name))
			if b == nil {
				continue
			}
			_ = b.ForEach(func(k, v []byte) error {
				if len(v) < 8 {
					return nil
				}
				i := bytes.Index(raw, v)
				if i < 0 || bytes.Contains(raw[i+1:], v) {
					return nil
				}
				out = append(out, Value{Bucket: name, Key: bytes.Clone(k), Offset: int64(i), Len: len(v)})
				return nil
			})
		}
		return nil
	})
	return out, err
}

// FlipBit flips one bit of the file at path, at byte off.
func FlipBit(path string, off int64, bit uint) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, off); err != nil {
		return err
	}
	b[0] ^= 1 << (bit % 8)
	if _, err := f.WriteAt(b, off); err != nil {
		return err
	}
	return f.Sync()
}

// FlipInRecord flips one random bit inside a random record value, and says
// which record it was.
func FlipInRecord(path string, rnd *rand.Rand) (string, error) {
	vals, err := Values(path)
	if err != nil {
		return "", err
	}
	if len(vals) == 0 {
		return "", errors.New("the file has no records to damage")
	}
	v := vals[rnd.IntN(len(vals))]
	at := rnd.IntN(v.Len)
	bit := uint(rnd.IntN(8))
	return fmt.Sprintf("%s #%d byte %d bit %d", v.Bucket, binary.BigEndian.Uint64(append(make([]byte, 8-min(8, len(v.Key))), v.Key...)), at, bit),
		FlipBit(path, v.Offset+int64(at), bit)
}

// Meta is one of bbolt's two header pages.
type Meta struct {
	Offset int64
	TxID   uint64
	// Used is how many bytes of the file its pages take (the page
	// high-water mark): bytes past it hold nothing yet.
	Used int64
}

// Metas reads where the two header pages are and their transaction IDs;
// newest is the index of the one with the higher ID.
func Metas(path string) (m [2]Meta, newest int, err error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return m, 0, err
	}
	if len(raw) < 4096 {
		return m, 0, errors.New("the file is too short to hold two header pages")
	}
	le := binary.LittleEndian
	pageSize := int64(le.Uint32(raw[16+8:]))
	if pageSize < 512 || pageSize > 1<<16 || int64(len(raw)) < 2*pageSize {
		return m, 0, fmt.Errorf("unexpected page size %d", pageSize)
	}
	for i := range 2 {
		off := int64(i) * pageSize
		m[i] = Meta{Offset: off, TxID: le.Uint64(raw[off+16+48:]), Used: int64(le.Uint64(raw[off+16+40:])) * pageSize}
	}
	if m[1].TxID > m[0].TxID {
		newest = 1
	}
	return m, newest, nil
}

// How a header page is damaged.
const (
	ZeroChecksum = "zero checksum"
	FlipHeader   = "flip a bit"
	ZeroPage     = "zero page"
)

// DamageMeta spoils header page i (0 or 1) of the file in the way how says.
func DamageMeta(path string, i int, how string, rnd *rand.Rand) error {
	m, _, err := Metas(path)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	off := m[i].Offset
	switch how {
	case ZeroChecksum:
		_, err = f.WriteAt(make([]byte, 8), off+16+56)
	case FlipHeader:
		// Inside the meta fields the checksum covers: magic to txid.
		at := off + 16 + int64(rnd.IntN(56))
		b := make([]byte, 1)
		if _, err = f.ReadAt(b, at); err == nil {
			b[0] ^= 1 << rnd.IntN(8)
			_, err = f.WriteAt(b, at)
		}
	case ZeroPage:
		_, err = f.WriteAt(make([]byte, 16+64), off)
	default:
		err = fmt.Errorf("no way to damage a header called %q", how)
	}
	if err == nil {
		err = f.Sync()
	}
	return err
}

// Truncate cuts the file at path to n bytes.
func Truncate(path string, n int64) error {
	return os.Truncate(path, n)
}

// InternalPhrases are texts of Go's runtime, bbolt and other libraries that
// must never reach a person: each means an error was passed on unworded.
var InternalPhrases = []string{
	"runtime error", "nil pointer", "invalid memory address", "goroutine ", "panic:", "fatal error",
	"unexpected fault address", "invalid freelist page", "meta 0 copy", "meta 1 copy", "assertion failed",
	"page expected", "invalid page type", "bbolt", "bolt.", "unexpected EOF", "index out of range",
	"invalid checksum", "zip: ", "xml: ", "flate: ", "excelize",
}

// Internal returns the first internal phrase in text, or "".
func Internal(text string) string {
	low := strings.ToLower(text)
	for _, p := range InternalPhrases {
		if strings.Contains(low, strings.ToLower(p)) {
			return p
		}
	}
	return ""
}

package bolt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"sync"

	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
)

// From schema version 10 the trail's events, and the copies of events the
// history by time keeps, are stored compressed. Each is a few hundred
// bytes, which compresses poorly alone (zstd without a dictionary kept 89%
// of a lean event on the 10,000-finding synthetic register); with a
// dictionary trained from the register's own events it keeps 36%. The
// dictionary is trained when the register is upgraded (or, for a register
// made new, once it holds enough events) and kept in the meta section.
//
// A compressed value is sealed as any other, with its own mark:
//
//	byte 0      packedMark
//	bytes 1..4  CRC-32C of the bucket name, the key and the stored bytes
//	bytes 5..   a zstd frame that names its dictionary
//
// so a flipped byte is caught by the checksum before anything is
// decompressed, and unseal gives back the payload it was sealed from, byte
// for byte: every reader is unchanged and the trail's hashes are those of
// the same events.
const packedMark = 0xC5

// packMin is the shortest payload compressed: below it the frame's own
// bytes cost about what the dictionary saves.
const packMin = 48

// packTrainMin is the fewest values a section must hold for a dictionary
// to be trained from them: from fewer it would mostly fit those values.
const packTrainMin = 200

// Dictionaries in the meta section: zstd dictionaries whose ID is the
// CRC-32C of the rest of their bytes (dictSum), so that a damaged
// dictionary is refused rather than used to decompress wrong text.
var keyDictEvents = []byte("dict_events")

// packedSections are the sections whose values are compressed, each with
// the dictionary it uses.
//
// The narratives by date are not among them, though a dictionary of their
// own would keep 28% of them: the register screen's search reads every
// narrative at each load, and decompressing 200,000 made it about 1.3
// times slower at 10,000 findings; and a dictionary trained from
// narratives would keep fragments of a deleted finding's narratives in the
// file and its backups, where the trail keeps nothing of them.
var packedSections = []struct{ bucket, dict []byte }{
	{bucketAudit, keyDictEvents},
	{bucketAuditByTime, keyDictEvents},
}

// codec compresses and decompresses with one dictionary. zstd's encoder
// and decoder are safe for use by many goroutines at once.
type codec struct {
	dict []byte
	enc  *zstd.Encoder
	dec  *zstd.Decoder
}

// codecs are the dictionaries met so far, by ID: a frame names its
// dictionary only by ID, and unseal has no transaction to read it from.
// Two different dictionaries with one ID are refused (newCodec).
var codecs struct {
	sync.RWMutex
	byID map[uint32]*codec
}

var (
	errDictDamaged = errors.New("the register's compression dictionary is damaged")
	errDictUnknown = errors.New("it is compressed with a dictionary the register does not hold")
)

// dictSum is the ID a dictionary must carry: the checksum of its bytes
// after the magic number and the ID.
func dictSum(d []byte) uint32 {
	return crc32.Checksum(d[8:], castagnoli) | 1<<31
}

// codecFor gives the codec of a stored dictionary, making it the first
// time.
func codecFor(d []byte) (*codec, error) {
	if len(d) < 16 || binary.LittleEndian.Uint32(d[4:]) != dictSum(d) {
		return nil, errDictDamaged
	}
	id := binary.LittleEndian.Uint32(d[4:])
	codecs.RLock()
	c := codecs.byID[id]
	codecs.RUnlock()
	if c != nil {
		if !bytes.Equal(c.dict, d) {
			return nil, fmt.Errorf("two compression dictionaries have the ID %08x; open one register at a time", id)
		}
		return c, nil
	}
	d = bytes.Clone(d)
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderDict(d), zstd.WithEncoderCRC(false), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", errDictDamaged, err)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderDicts(d), zstd.WithDecoderMaxMemory(1<<30), zstd.WithDecoderConcurrency(0))
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", errDictDamaged, err)
	}
	codecs.Lock()
	defer codecs.Unlock()
	if codecs.byID == nil {
		codecs.byID = map[uint32]*codec{}
	}
	if had := codecs.byID[id]; had != nil {
		return had, nil
	}
	c = &codec{dict: d, enc: enc, dec: dec}
	codecs.byID[id] = c
	return c, nil
}

// packerOf gives the codec a section's values are written with, nil when
// the register has no dictionary for it.
func packerOf(tx *bolt.Tx, dictKey []byte) (*codec, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return nil, nil
	}
	d := meta.Get(dictKey)
	if d == nil {
		return nil, nil
	}
	return codecFor(d)
}

// loadDicts makes the codecs of a register's dictionaries known, so that
// its values can be read. A damaged dictionary is not an error here: each
// value compressed with it is named as damaged when read, and check says
// which dictionary.
func loadDicts(tx *bolt.Tx) {
	_, _ = packerOf(tx, keyDictEvents)
}

// sealPacked seals payload, compressed with c when that makes it shorter.
func sealPacked(c *codec, bucket, key, payload []byte) []byte {
	if c == nil || len(payload) < packMin {
		return seal(bucket, key, payload)
	}
	out := make([]byte, envelopeSize, envelopeSize+len(payload))
	out = c.enc.EncodeAll(payload, out)
	if len(out) >= envelopeSize+len(payload) {
		return seal(bucket, key, payload)
	}
	out[0] = packedMark
	binary.BigEndian.PutUint32(out[1:], envelopeSum(bucket, key, out[envelopeSize:]))
	return out
}

// unpack decompresses a packed value's stored bytes.
func unpack(z []byte) ([]byte, error) {
	var h zstd.Header
	if err := h.Decode(z); err != nil {
		return nil, errors.New("its compressed bytes cannot be read")
	}
	codecs.RLock()
	c := codecs.byID[h.DictionaryID]
	codecs.RUnlock()
	if c == nil {
		return nil, errDictUnknown
	}
	out, err := c.dec.DecodeAll(z, nil)
	if err != nil {
		return nil, fmt.Errorf("its compressed bytes cannot be read (%v)", err)
	}
	return out, nil
}

// trainDict trains a dictionary from a section's values: its history is
// an even spread of them, newest last, up to dictSize bytes. nil when the
// section holds too few to train from.
func trainDict(values [][]byte) ([]byte, error) {
	const dictSize, samples = 32 << 10, 2000
	if len(values) < packTrainMin {
		return nil, nil
	}
	var hist []byte
	var contents [][]byte
	step := max(1, len(values)/samples)
	for i := 0; i < len(values); i += step {
		contents = append(contents, values[i])
	}
	// The history is filled from an even spread too, so that it speaks
	// for the whole section and not its oldest values.
	total := 0
	for _, v := range values {
		total += len(v)
	}
	every := max(1, total/dictSize)
	seen := 0
	for _, v := range values {
		if seen/every != (seen+len(v))/every && len(hist)+len(v) <= dictSize {
			hist = append(hist, v...)
		}
		seen += len(v)
	}
	if len(hist) < 64 {
		return nil, nil
	}
	d, err := zstd.BuildDict(zstd.BuildDictOptions{ID: 1, Contents: contents, History: hist, Offsets: [3]int{1, 4, 8}, Level: zstd.SpeedDefault})
	if err != nil {
		return nil, fmt.Errorf("training a compression dictionary: %w", err)
	}
	binary.LittleEndian.PutUint32(d[4:], dictSum(d))
	return d, nil
}

// checkDicts makes the register's dictionaries known for check's reading
// of the records, and says in words which one is damaged: every value
// compressed with it is then named too.
func checkDicts(tx *bolt.Tx, rep report) {
	if _, err := packerOf(tx, keyDictEvents); err != nil {
		rep.add(groupRecords, "the compression dictionary %s in the meta section: %v; the values compressed with it cannot be read. Restore a backup", keyDictEvents, err)
	}
}

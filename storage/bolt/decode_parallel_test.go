package bolt

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"strings"
	"testing"

	"improvementtracker/model"
)

// panicky is a record whose decoding panics at one value: a bug in a
// decoder, which the parallel workers must report rather than end the
// program with.
type panicky struct{ N int }

func (p *panicky) UnmarshalJSON(b []byte) error {
	if string(b) == `"boom"` {
		var m map[string]int
		m["boom"]++ // a nil map: a bug, not damage
	}
	return json.Unmarshal(b, &p.N)
}

// TestDecodeParallelRecovers checks that a panic in a decode worker comes
// back as a program error, not damage, whichever worker it is in, and that
// the other workers' results are not handed out.
func TestDecodeParallelRecovers(t *testing.T) {
	var logged strings.Builder
	prev := log.Writer()
	log.SetOutput(&logged)
	defer log.SetOutput(prev)
	const n = 4 * 512 // enough for several workers where there are cores
	// Stored values are sealed in their envelope (envelope.go); the
	// records need only a store to name in messages.
	rec := &records{s: &Store{path: "register.db"}}
	for _, at := range []int{0, n / 2, n - 1} {
		t.Run(fmt.Sprint(at), func(t *testing.T) {
			keys, vals := make([][]byte, n), make([][]byte, n)
			for i := range n {
				keys[i] = itob(uint64(i + 1))
				vals[i] = seal([]byte("test"), keys[i], []byte(fmt.Sprint(i)))
			}
			vals[at] = seal([]byte("test"), keys[at], []byte(`"boom"`))
			out, err := decodeParallel[panicky](rec, []byte("test"), keys, vals)
			if out != nil || !errors.Is(err, model.ErrProgram) || errors.Is(err, model.ErrDamaged) {
				t.Fatalf("got %d records and %v, want a program error and no records", len(out), err)
			}
			if msg := err.Error(); !strings.Contains(msg, "program error") || strings.Contains(msg, "damaged") {
				t.Errorf("the message: %q", msg)
			}
		})
	}
	if !strings.Contains(logged.String(), "assignment to entry in nil map") {
		t.Errorf("the panic was not logged: %s", logged.String())
	}
	// Sound values decode in order.
	keys, vals := make([][]byte, n), make([][]byte, n)
	for i := range n {
		keys[i] = itob(uint64(i + 1))
		vals[i] = seal([]byte("test"), keys[i], []byte(fmt.Sprint(i)))
	}
	out, err := decodeParallel[panicky](rec, []byte("test"), keys, vals)
	if err != nil || len(out) != n || out[0].N != 0 || out[n-1].N != n-1 {
		t.Fatalf("sound values: %d records, %v", len(out), err)
	}
}

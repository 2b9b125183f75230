package parallel

import (
	"errors"
	"fmt"
	"testing"
)

// Stream gives every record in the order they came, whatever worker
// decoded it, and of the failures the first in that order: a record's, a
// fault, or the reading's own.
func TestStreamKeepsOrderAndGivesTheFirstFailure(t *testing.T) {
	recovered := func(r any) error { return fmt.Errorf("fault: %v", r) }
	source := func(n int, readFails int) func() (int, bool, error) {
		i := 0
		return func() (int, bool, error) {
			if i == readFails {
				return 0, false, errors.New("connection lost")
			}
			if i == n {
				return 0, false, nil
			}
			i++
			return i - 1, true, nil
		}
	}
	for _, n := range []int{0, 1, 511, 512, 513, 4096, 10_001} {
		out, err := Stream(source(n, -1), func(raw int, v *string) error { *v = fmt.Sprint(raw * 2); return nil }, recovered)
		if err != nil || len(out) != n {
			t.Fatalf("%d records: %d decoded, %v", n, len(out), err)
		}
		for i, v := range out {
			if v != fmt.Sprint(i*2) {
				t.Fatalf("%d records: place %d holds %s", n, i, v)
			}
		}
	}
	for _, c := range []struct {
		fail      map[int]bool // the records that fail: true panics
		readFails int
		want      string
	}{
		{map[int]bool{8_000: true, 2_000: false}, -1, "record 2000"},
		{map[int]bool{8_000: true, 9_000: false}, -1, "fault: record 8000"},
		{map[int]bool{9_000: false}, 5_000, "connection lost"},
		{map[int]bool{1_000: false}, 5_000, "record 1000"},
	} {
		_, err := Stream(source(10_000, c.readFails), func(i int, v *int) error {
			if panics, ok := c.fail[i]; ok {
				if panics {
					panic(fmt.Sprint("record ", i))
				}
				return fmt.Errorf("record %d", i)
			}
			return nil
		}, recovered)
		if err == nil || err.Error() != c.want {
			t.Errorf("the first failure: %v, want %q", err, c.want)
		}
	}
}

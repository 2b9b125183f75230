package parallel

import (
	"errors"
	"fmt"
	"testing"
)

// Ordered hands every item back worked, in the order given, whatever the
// batch size; the first failing batch in order stops it with its error
// (a panic included) and nothing after it is handed back.
func TestOrderedKeepsOrderAndStopsAtTheFirstFailure(t *testing.T) {
	recovered := func(r any) error { return fmt.Errorf("fault: %v", r) }
	count := func(n int) func() (int, bool) {
		i := 0
		return func() (int, bool) {
			if i == n {
				return 0, false
			}
			i++
			return i - 1, true
		}
	}
	double := func(in []int, out []int) error {
		for i, v := range in {
			out[i] = 2 * v
		}
		return nil
	}
	for _, n := range []int{0, 1, 7, 100, 10_001} {
		for _, batch := range []int{1, 3, 512} {
			var got []int
			err := Ordered(batch, count(n), double, func(in, out []int) {
				for i := range in {
					if out[i] != 2*in[i] {
						t.Fatalf("%d/%d: %d worked as %d", n, batch, in[i], out[i])
					}
				}
				got = append(got, in...)
			}, recovered)
			if err != nil || len(got) != n {
				t.Fatalf("%d items in batches of %d: %d handed back, %v", n, batch, len(got), err)
			}
			for i, v := range got {
				if v != i {
					t.Fatalf("%d items in batches of %d: place %d holds %d", n, batch, i, v)
				}
			}
		}
	}
	for _, c := range []struct {
		fail  map[int]bool // the items whose batch fails: true panics
		want  string
		upTo  int // items handed back before it
		batch int
	}{
		{map[int]bool{250: false, 900: true}, "item 250", 200, 100},
		{map[int]bool{950: false, 420: true}, "fault: item 420", 400, 100},
	} {
		last := -1
		err := Ordered(c.batch, count(1000), func(in, out []int) error {
			for _, v := range in {
				if panics, ok := c.fail[v]; ok {
					if panics {
						panic(fmt.Sprint("item ", v))
					}
					return errors.New(fmt.Sprint("item ", v))
				}
			}
			return nil
		}, func(in, _ []int) { last = in[len(in)-1] }, recovered)
		if err == nil || err.Error() != c.want || last != c.upTo-1 {
			t.Errorf("got %v after item %d; want %q after item %d", err, last, c.want, c.upTo-1)
		}
	}
}

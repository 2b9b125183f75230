package parallel

import (
	"errors"
	"fmt"
	"testing"
)

// Run does every piece of work, and a fault in one is an error, not the
// end of the program: every error, returned or recovered, in the order
// given.
func TestRunDoesEachAndReportsFaults(t *testing.T) {
	var a, b, c int
	if err := Run(func(r any) error { return fmt.Errorf("%v", r) },
		func() error { a = 1; return nil }, func() error { b = 2; return nil }, func() error { c = 3; return nil }); err != nil || a != 1 || b != 2 || c != 3 {
		t.Fatalf("got %d %d %d, %v", a, b, c, err)
	}
	var list []int
	err := Run(func(r any) error { return errors.New(fmt.Sprint("fault: ", r)) },
		func() error { a = 10; return nil },
		func() error { _ = list[3]; return nil },
		func() error { return errors.New("refused") },
		func() error { panic("second") })
	want := "fault: runtime error: index out of range [3] with length 0\nrefused\nfault: second"
	if err == nil || err.Error() != want || a != 10 {
		t.Fatalf("got %v, a = %d; want %q, and the other work done", err, a, want)
	}
}

// Decode fills every place, on several workers when there are enough
// records, and of records that fail it gives the first in record order,
// whichever worker met it, a fault included.
func TestDecodeFillsInOrderAndGivesTheFirstFailure(t *testing.T) {
	recovered := func(r any) error { return fmt.Errorf("fault: %v", r) }
	for _, n := range []int{0, 1, 511, 4096, 10_001} {
		out, err := Decode(n, func(i int, v *int) error { *v = i * 2; return nil }, recovered)
		if err != nil || len(out) != n {
			t.Fatalf("%d records: %d decoded, %v", n, len(out), err)
		}
		for i, v := range out {
			if v != i*2 {
				t.Fatalf("%d records: place %d holds %d", n, i, v)
			}
		}
	}
	for _, c := range []struct {
		fail map[int]bool // the records that fail: true panics
		want string
	}{
		{map[int]bool{8_000: true, 2_000: false}, "record 2000"},
		{map[int]bool{8_000: true, 9_000: false}, "fault: record 8000"},
	} {
		_, err := Decode(10_000, func(i int, v *int) error {
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

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

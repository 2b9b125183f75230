package parallel

import (
	"errors"
	"fmt"
	"testing"
)

// Run does every piece of work, and a fault in one is an error, the first
// in the order given, not the end of the program.
func TestRunDoesEachAndReportsFaults(t *testing.T) {
	var a, b, c int
	if err := Run(func(r any) error { return fmt.Errorf("%v", r) },
		func() { a = 1 }, func() { b = 2 }, func() { c = 3 }); err != nil || a != 1 || b != 2 || c != 3 {
		t.Fatalf("got %d %d %d, %v", a, b, c, err)
	}
	var list []int
	err := Run(func(r any) error { return errors.New(fmt.Sprint("fault: ", r)) },
		func() { a = 10 },
		func() { _ = list[3] },
		func() { panic("second") })
	if err == nil || err.Error() != "fault: runtime error: index out of range [3] with length 0" || a != 10 {
		t.Fatalf("got %v, a = %d; want the first fault in order, and the other work done", err, a)
	}
}

package memstore_test

import (
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/model/storetest"
	"improvementtracker/testkit/memstore"
)

// TestContract runs the register's contract on the in-memory store.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) model.Store {
		s := memstore.New(now)
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

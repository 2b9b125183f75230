package postgres_test

import (
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/model/storetest"
)

// TestContract runs the register's contract on the PostgreSQL store: a new
// database with a new register for each check.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) model.Store {
		s, _ := openNew(t, now)
		return s
	})
}

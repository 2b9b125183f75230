package cli

import (
	"os"
	"testing"

	"improvementtracker/testkit/pgtest"
)

// TestMain starts a throwaway PostgreSQL server for the shared-register
// commands' tests.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

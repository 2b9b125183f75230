//go:build !unix

package bolt_test

import "testing"

func makeFIFO(*testing.T, string) string { return "" }

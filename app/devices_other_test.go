//go:build !unix

package app

import "testing"

func windowDevices(*testing.T) map[string]string { return nil }

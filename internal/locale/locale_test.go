package locale

import "testing"

func TestIsCVariant(t *testing.T) {
	for v, want := range map[string]bool{
		"C.UTF-8":     true,
		"C.utf8":      true,
		"POSIX.UTF-8": true,
		"C@euro":      true,
		"C":           false, // understood by Fyne already
		"POSIX":       false,
		"en_GB.UTF-8": false,
		"Ca_ES":       false,
		"":            false,
	} {
		if got := isCVariant(v); got != want {
			t.Errorf("isCVariant(%q) = %v, want %v", v, got, want)
		}
	}
}

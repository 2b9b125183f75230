package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"improvementtracker/internal/version"
)

// repoVersion parses the repository's FyneApp.toml, as the binary does.
func repoVersion(t *testing.T) version.Info {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := version.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func TestVersion(t *testing.T) {
	info := repoVersion(t)
	var out, errOut bytes.Buffer
	code := Run([]string{"version"}, &Env{Stdout: &out, Stderr: &errOut, Version: info})
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("version printed %q, want two lines", out.String())
	}
	want := "Improvement Tracker " + info.Version + " (build "
	if !strings.HasPrefix(lines[0], want) {
		t.Errorf("first line %q, want it to start %q", lines[0], want)
	}
	if !strings.Contains(lines[1], runtime.GOOS+"/"+runtime.GOARCH) || !strings.Contains(lines[1], runtime.Version()) {
		t.Errorf("second line %q, want the Go release and platform", lines[1])
	}
}

func TestVersionMistakes(t *testing.T) {
	tests := map[string]struct {
		args     []string
		info     version.Info
		wantCode int
		wantErr  string
	}{
		"an argument":   {args: []string{"version", "extra"}, info: repoVersion(t), wantCode: 2, wantErr: "takes no arguments"},
		"unknown flag":  {args: []string{"version", "--nope"}, info: repoVersion(t), wantCode: 2, wantErr: "flag provided but not defined"},
		"not embedded":  {args: []string{"version"}, wantCode: 1, wantErr: "did not embed FyneApp.toml"},
		"help succeeds": {args: []string{"version", "--help"}, info: repoVersion(t), wantCode: 0},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Run(tt.args, &Env{Stdout: &out, Stderr: &errOut, Version: tt.info})
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d", code, tt.wantCode)
			}
			if !strings.Contains(errOut.String(), tt.wantErr) {
				t.Errorf("stderr %q, want it to contain %q", errOut.String(), tt.wantErr)
			}
		})
	}
}

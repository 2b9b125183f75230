package version_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"improvementtracker/internal/version"
)

// TestRepositoryFile parses the real FyneApp.toml, which the other
// packages' tests and the binary rely on.
func TestRepositoryFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := version.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Improvement Tracker" || got.ID != "org.improvementtracker.app" {
		t.Errorf("Parse(FyneApp.toml) = %+v; the name and ID must not change, the data folder is named after the ID", got)
	}
	if got.Build < 1 {
		t.Errorf("Build = %d; fyne package needs a build number of at least 1", got.Build)
	}
}

func TestParse(t *testing.T) {
	tests := map[string]struct {
		in      string
		want    version.Info
		wantErr string
	}{
		"complete": {
			in:   "[Details]\nName = \"Tracker\"\nID = \"org.example.tracker\"\nVersion = \"1.2.3\"\nBuild = 4\nIcon = \"icon.png\"\n",
			want: version.Info{Name: "Tracker", ID: "org.example.tracker", Version: "1.2.3", Build: 4},
		},
		"no build number": {
			in:   "[Details]\nName = \"Tracker\"\nID = \"a.b\"\nVersion = \"0.1.0\"\n",
			want: version.Info{Name: "Tracker", ID: "a.b", Version: "0.1.0"},
		},
		"other sections are ignored": {
			in:   "Website = \"x\"\n[Details]\nName = \"T\"\nID = \"a.b\"\nVersion = \"2.0.10\"\nBuild = 1\n[Development]\nX = \"y\"\n",
			want: version.Info{Name: "T", ID: "a.b", Version: "2.0.10", Build: 1},
		},
		"no details":         {in: "Name = \"T\"\n", wantErr: "no [Details] section"},
		"empty":              {in: "", wantErr: "no [Details] section"},
		"no name":            {in: "[Details]\nID = \"a.b\"\nVersion = \"1.0.0\"\n", wantErr: "Name is empty"},
		"no id":              {in: "[Details]\nName = \"T\"\nVersion = \"1.0.0\"\n", wantErr: "ID is empty"},
		"two-part version":   {in: "[Details]\nName = \"T\"\nID = \"a.b\"\nVersion = \"1.0\"\n", wantErr: `Version "1.0" is not of the form 1.2.3`},
		"pre-release suffix": {in: "[Details]\nName = \"T\"\nID = \"a.b\"\nVersion = \"1.0.0-rc1\"\n", wantErr: "is not of the form"},
		"negative build":     {in: "[Details]\nName = \"T\"\nID = \"a.b\"\nVersion = \"1.0.0\"\nBuild = -1\n", wantErr: "Build -1 is negative"},
		"build is text":      {in: "[Details]\nName = \"T\"\nID = \"a.b\"\nVersion = \"1.0.0\"\nBuild = \"one\"\n", wantErr: "reading FyneApp.toml"},
		"not toml":           {in: "[Details\n", wantErr: "reading FyneApp.toml"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := version.Parse([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Parse() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("[Details]\nName = \"T\"\nID = \"a.b\"\nVersion = \"1.2.3\"\nBuild = 1\n"))
	f.Add([]byte("[Details]\nVersion = \"1..3\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := version.Parse(data)
		if err == nil && (info.Name == "" || info.ID == "" || strings.Count(info.Version, ".") != 2) {
			t.Errorf("Parse accepted an incomplete identity: %+v", info)
		}
	})
}

func TestString(t *testing.T) {
	i := version.Info{Name: "Improvement Tracker", Version: "0.1.0", Build: 1}
	if got, want := i.String(), "Improvement Tracker 0.1.0 (build 1)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got, want := i.Release(), "0.1.0 (build 1)"; got != want {
		t.Errorf("Release() = %q, want %q", got, want)
	}
	if p := version.Platform(); !strings.HasPrefix(p, "go") || !strings.Contains(p, "/") {
		t.Errorf("Platform() = %q, want e.g. \"go1.26.8 linux/amd64\"", p)
	}
}

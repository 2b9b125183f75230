package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// module is this module's path, the prefix of its own imports.
const module = "improvementtracker"

// layers ranks the packages as docs/architecture.md draws them: a package
// may import only packages of a lower rank, so every arrow runs one way,
// down. The first prefix that matches a package's folder gives its rank.
var layers = []struct {
	prefix string
	rank   int
}{
	{"model/storetest", 1}, // the contract suite: model only
	{"model", 0},
	{"internal/", 1}, // runtime libraries
	{"sample", 1},
	{"storage/bolt", 2},
	{"storage/postgres", 2},
	{"storage/transfer", 2},
	{"export", 2},
	{"importer/", 2},
	{"storage", 3}, // the one way into a register
	{"testkit/faults/campaign", 6},
	{"testkit/", 4}, // test and benchmark tools: above the stores, below the front ends
	{"app", 5},
	{"cli", 5},
	{"scripts/", 6},
	{"", 6}, // the program itself
}

func rankOf(pkg string) int {
	for _, l := range layers {
		if within(pkg, l.prefix) {
			return l.rank
		}
	}
	return -1
}

// within reports whether the package pkg is under prefix: a folder given
// with its slash holds its sub-folders only; one without, itself and its
// sub-folders; the empty prefix holds everything.
func within(pkg, prefix string) bool {
	switch {
	case prefix == "" || pkg == prefix:
		return true
	case strings.HasSuffix(prefix, "/"):
		return strings.HasPrefix(pkg, prefix)
	}
	return strings.HasPrefix(pkg, prefix+"/")
}

// family is the top of a package's folder tree within its layer, so that
// a package may use its own sub-packages (testkit/faults and its
// generators).
func family(pkg string) string {
	parts := strings.Split(pkg, "/")
	if len(parts) > 1 && (parts[0] == "testkit" || parts[0] == "importer" || parts[0] == "internal" || parts[0] == "storage") {
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}

// sources reads the imports of every non-test Go file in the module, by
// package folder, and the files themselves for the checks that read them.
func sources(t *testing.T) (imports map[string]map[string]bool, files map[string]*ast.File, fset *token.FileSet) {
	t.Helper()
	imports = map[string]map[string]bool{}
	files = map[string]*ast.File{}
	fset = token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files[path] = f
		pkg := filepath.ToSlash(filepath.Dir(path))
		if pkg == "." {
			pkg = ""
		}
		if imports[pkg] == nil {
			imports[pkg] = map[string]bool{}
		}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if p == module || strings.HasPrefix(p, module+"/") {
				imports[pkg][strings.TrimPrefix(strings.TrimPrefix(p, module), "/")] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return imports, files, fset
}

// TestImportsRunDown checks the import graph against the layers: no arrow
// from a lower package to a higher one, and none between two packages of
// one layer unless they are one family. Go already refuses a cycle; this
// refuses the arrows that would make one possible.
func TestImportsRunDown(t *testing.T) {
	imports, _, _ := sources(t)
	var pkgs []string
	for p := range imports {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	if len(pkgs) < 20 {
		t.Fatalf("only %d packages found: %v", len(pkgs), pkgs)
	}
	for _, p := range pkgs {
		from := rankOf(p)
		if from < 0 {
			t.Errorf("package %q is in no layer: add it to the layers here and to docs/architecture.md", p)
			continue
		}
		for q := range imports[p] {
			to := rankOf(q)
			switch {
			case to < from:
			case to == from && family(p) == family(q):
			default:
				t.Errorf("%q (layer %d) imports %q (layer %d): arrows run down only", p, from, q, to)
			}
		}
	}
}

// TestOnlyStorageTellsAFileFromAServer checks that no package but storage
// (and the server store, which reads its own addresses) asks whether a
// location is a server's address: every other package takes the answer
// storage.Locate gives.
func TestOnlyStorageTellsAFileFromAServer(t *testing.T) {
	_, files, fset := sources(t)
	for path, f := range files {
		dir := filepath.ToSlash(filepath.Dir(path))
		if dir == "storage" || dir == "storage/postgres" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "IsURL" {
				t.Errorf("%s: decides between a file and a server itself (IsURL); use storage.Locate", fset.Position(sel.Pos()))
			}
			return true
		})
	}
}

// TestFilesAndFunctionsStayReadable holds the house's sizes: no non-test
// file over 700 lines, no function over 150.
func TestFilesAndFunctionsStayReadable(t *testing.T) {
	_, files, fset := sources(t)
	for path, f := range files {
		if n := fset.Position(f.End()).Line; n > 700 {
			t.Errorf("%s has %d lines: split it by job (no non-test file over 700)", path, n)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if n := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1; n > 150 {
					t.Errorf("%s: %s has %d lines (no function over 150)", path, fd.Name.Name, n)
				}
			}
		}
	}
}

// Command boltsize reports how a register file's bytes are spent: for each
// section (top-level bucket) its records, the pages it occupies, the bytes
// of those pages in use and so how full they are, and the file's free
// pages. It opens the file read-only.
//
//	go run ./bench/boltsize register.db
package main

import (
	"fmt"
	"os"
	"sort"
	"text/tabwriter"
	"time"

	bolt "go.etcd.io/bbolt"
)

type section struct {
	name         string
	keys         int
	alloc, inuse int
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: boltsize REGISTER")
		os.Exit(2)
	}
	if err := report(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "boltsize:", err)
		os.Exit(1)
	}
}

func report(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, PreLoadFreelist: true, Timeout: 5 * time.Second})
	if err != nil {
		return err
	}
	defer db.Close()
	var sections []section
	var pageSize, used int
	err = db.View(func(tx *bolt.Tx) error {
		pageSize = tx.DB().Info().PageSize
		used = int(tx.Size())
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			st := b.Stats()
			sections = append(sections, section{string(name), st.KeyN,
				st.BranchAlloc + st.LeafAlloc + st.InlineBucketInuse,
				st.BranchInuse + st.LeafInuse + st.InlineBucketInuse})
			return nil
		})
	})
	if err != nil {
		return err
	}
	sort.Slice(sections, func(i, j int) bool { return sections[i].alloc > sections[j].alloc })
	st := db.Stats()
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "section\tentries\tpages MB\tin use MB\tfull\t")
	var alloc, inuse int
	for _, s := range sections {
		alloc += s.alloc
		inuse += s.inuse
		fmt.Fprintf(w, "%s\t%d\t%.1f\t%.1f\t%s\t\n", s.name, s.keys, mb(s.alloc), mb(s.inuse), pct(s.inuse, s.alloc))
	}
	free := (st.FreePageN + st.PendingPageN) * pageSize
	fmt.Fprintf(w, "all sections\t\t%.1f\t%.1f\t%s\t\n", mb(alloc), mb(inuse), pct(inuse, alloc))
	fmt.Fprintf(w, "free pages\t\t%.1f\t\t\t\n", mb(free))
	fmt.Fprintf(w, "file up to its last page used\t\t%.1f\t\t%s\t\n", mb(used), pct(inuse, used))
	fmt.Fprintf(w, "file on disk\t\t%.1f\t\t%s\t\n", mb(int(info.Size())), pct(inuse, int(info.Size())))
	return w.Flush()
}

func mb(n int) float64 { return float64(n) / 1e6 }

func pct(part, whole int) string {
	if whole == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(part)/float64(whole))
}

//go:build linux

package faults

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"improvementtracker/model"
	"improvementtracker/storage/bolt"
	"improvementtracker/testkit/faults/bomb"
	"improvementtracker/testkit/faults/hostile"
)

// The faults at the edges: hostile files that are small on disk, devices
// and pipes given as files, restores beside writes, two processes writing
// one register, and registers that never came to be.

// bounded reports whether a child gave up (or finished) within the bounds
// every input must keep to, without a panic or internal text.
func bounded(r result) bool {
	return !r.killed && r.elapsed < bombTime && r.maxRSS < bombMemory && !r.panicked() && unworded(r.out) == ""
}

// unworded returns the first phrase of the machine's in out, or "".
func unworded(out string) string {
	for _, p := range []string{"no such file", "errno", "EOF", "bbolt", "zip: ", "xml: ", "is a directory", "permission denied", "input/output error"} {
		if strings.Contains(out, p) {
			return p
		}
	}
	return ""
}

// note describes a child's run for the table's note.
func note(what string, r result) string {
	return fmt.Sprintf("%s: exit %d in %.1f s, %d MB%s: %s", what, r.code, r.elapsed.Seconds(), r.maxRSS>>20,
		map[bool]string{true: ", killed", false: ""}[r.killed], firstLine(r.out))
}

// hostilePDFs: each hostile PDF imported as a report. The flat tree of
// 5,000 pages is a report, if a strange one: it must be read within the
// bounds; the others refused in words.
func (c *campaign) hostilePDFs() Row {
	row := Row{Fault: "hostile PDFs"}
	reg := c.fresh()
	var notes []string
	var worstTime time.Duration
	var worstRSS int64
	for _, kind := range hostile.PDFs {
		file := filepath.Join(c.cfg.Dir, "hostile-"+strings.NewReplacer(" ", "-", "^", "", ",", "").Replace(string(kind))+".pdf")
		if err := os.WriteFile(file, hostile.PDF(kind), 0o600); err != nil {
			notes = append(notes, err.Error())
			continue
		}
		row.Trials++
		debug.FreeOSMemory() // a child's peak counts the parent's memory at the fork
		r := child(3*bombTime, "cli", "import", "report", file, "--db", reg, "--dry-run")
		tally(&row, r)
		worstTime, worstRSS = max(worstTime, r.elapsed), max(worstRSS, r.maxRSS)
		ok := bounded(r) && (kind == hostile.PDFFlat || r.code == 1)
		if ok {
			row.Detected++
			notes = append(notes, fmt.Sprintf("%s %.1f s %d MB", kind, r.elapsed.Seconds(), r.maxRSS>>20))
		} else {
			row.Undetected++
			notes = append(notes, note(string(kind), r))
		}
		_ = os.Remove(file)
	}
	row.Note = strings.Join(append([]string{fmt.Sprintf("worst %.1f s, %d MB", worstTime.Seconds(), worstRSS>>20)}, notes...), "; ")
	return row
}

// underCap: the workbooks under the unzip cap that would take a gigabyte,
// imported as returns: each refused in words, within the bounds; and the
// largest return that is read, read within them.
func (c *campaign) underCap() Row {
	row := Row{Fault: "workbooks under the unzip cap"}
	reg := c.fresh()
	var notes []string
	var worstTime time.Duration
	var worstRSS int64
	for _, kind := range bomb.UnderCap {
		if c.cfg.Quick && (kind == bomb.LargestReturn || kind == bomb.WideRows) {
			continue
		}
		file := filepath.Join(c.cfg.Dir, "undercap-"+strings.NewReplacer(" ", "-", ",", "").Replace(string(kind))+".xlsx")
		f, err := os.Create(file)
		if err == nil {
			err = bomb.WriteUnderCap(f, kind)
			_ = f.Close()
		}
		if err != nil {
			notes = append(notes, err.Error())
			continue
		}
		row.Trials++
		debug.FreeOSMemory() // a child's peak counts the parent's memory at the fork
		r := child(6*bombTime, "cli", "import", "return", file, "--db", reg, "--dry-run")
		tally(&row, r)
		worstTime, worstRSS = max(worstTime, r.elapsed), max(worstRSS, r.maxRSS)
		ok := bounded(r) && (r.code == 1 || kind == bomb.LargestReturn && r.code == 0)
		if kind == bomb.RowPastCap && !strings.Contains(r.out, "50000 rows") {
			ok = false // an edit past the cap must be refused naming it
		}
		if ok {
			row.Detected++
			notes = append(notes, fmt.Sprintf("%s %.1f s %d MB", kind, r.elapsed.Seconds(), r.maxRSS>>20))
		} else {
			row.Undetected++
			notes = append(notes, note(string(kind), r))
		}
		_ = os.Remove(file)
	}
	row.Note = strings.Join(append([]string{fmt.Sprintf("worst %.1f s, %d MB", worstTime.Seconds(), worstRSS>>20)}, notes...), "; ")
	return row
}

// devices: /dev/zero, /dev/urandom and a pipe given as a report, a return
// and the register: refused in words, in time, never called damaged, and
// the register unchanged.
func (c *campaign) devices() Row {
	row := Row{Fault: "devices and pipes as input"}
	reg := c.fresh()
	before, _ := os.ReadFile(reg)
	fifo := filepath.Join(c.cfg.Dir, "pipe")
	_ = syscall.Mkfifo(fifo, 0o600)
	report := filepath.Join(c.cfg.Dir, "report.txt")
	_ = os.WriteFile(report, []byte("A report.\n"), 0o600)
	var notes []string
	for _, in := range []string{"/dev/zero", "/dev/urandom", fifo} {
		if _, err := os.Stat(in); err != nil {
			continue
		}
		for _, args := range [][]string{
			{"import", "report", in, "--db", reg},
			{"import", "return", in, "--db", reg},
			{"import", "report", report, "--db", in},
		} {
			row.Trials++
			r := child(30*time.Second, "cli", args...)
			tally(&row, r)
			after, _ := os.ReadFile(reg)
			if bounded(r) && r.code != 0 && !strings.Contains(r.out, "damaged") && string(after) == string(before) {
				row.Detected++
			} else {
				row.Undetected++
				notes = append(notes, note(strings.Join(args[:3], " "), r))
			}
		}
	}
	row.Note = strings.Join(append([]string{"detected = refused in words, in time, not called damaged, register unchanged"}, notes...), "; ")
	return row
}

// childImportLoop saves a finding as a command-line import does (open,
// save, close) args[1] times, printing "ack N" after each and the message
// of each failure.
func childImportLoop(args []string) int {
	limit, _ := strconv.Atoi(args[1])
	out := bufio.NewWriter(os.Stdout)
	for n := 1; n <= limit; n++ {
		s, err := bolt.Open(args[0], bolt.Options{NoBackup: true, Timeout: 20 * time.Second})
		if err == nil {
			u := model.Update{Date: model.NewDate(2025, 6, 1), Narrative: writeNarrative + fmt.Sprintf("%d-%d", os.Getpid(), n),
				Status: model.InProgress, RAG: model.Amber, Author: "Fault campaign"}
			err = s.Update(context.Background(), model.Actor{Who: "Fault campaign"}, func(tx model.Tx) error {
				fs, err := tx.Findings()
				if err != nil || len(fs) == 0 {
					return fmt.Errorf("no finding to write to: %v", err)
				}
				u.FindingID = fs[0].ID
				return tx.AppendUpdate(&u)
			})
			if cerr := s.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(out, "fail %d: %v\n", n, err)
		} else {
			fmt.Fprintf(out, "ack %d-%d\n", os.Getpid(), n)
		}
		_ = out.Flush()
	}
	return 0
}

// startLoop starts an import loop of n saves into path.
func startLoop(path string, n int) (*exec.Cmd, *strings.Builder, *sync.WaitGroup, error) {
	self, _ := os.Executable()
	cmd := exec.Command(self, path, strconv.Itoa(n))
	cmd.Env = append(os.Environ(), ChildEnv+"=importloop", "LANG=en_GB.UTF-8")
	pipe, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		return nil, nil, nil, err
	}
	var out strings.Builder
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
		}
	}()
	return cmd, &out, &wg, nil
}

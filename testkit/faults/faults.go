//go:build linux

// Package faults is the fault campaign: it does to registers and returns
// what a hostile disk and a careless user would (kills a write half way,
// flips bits inside records, spoils the header pages, cuts files short,
// fills the disk, offers zip bombs) and counts, for each kind of fault, how
// often the damage was reported in words, how often it went unnoticed,
// whether anything acknowledged was lost, and whether anything panicked or
// let an internal message through.
//
// Every register command runs in a child process (the campaign's own
// binary, re-run with Child's arguments), so that a crash, a kill or a
// runaway allocation is measured rather than suffered. "make faults" runs
// the full campaign; the package's test runs a short one.
package faults

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"improvementtracker/model"
	"improvementtracker/storage/bolt"
	"improvementtracker/testkit/faults/bomb"
	"improvementtracker/testkit/faults/corrupt"
)

// ChildEnv is the environment variable that makes the campaign's binary
// (or a test binary) act as a child: its value is the child's mode.
const ChildEnv = "IMPROVEMENT_TRACKER_FAULTS_CHILD"

// Config is one campaign.
type Config struct {
	Trials int    // trials for the kill, flip and truncation rows
	Dir    string // a scratch folder
	Seed   uint64
	// BombSize overrides the size of the zip bombs (0: the corpus's own).
	BombSize int64
	// NoMounts skips the faults that need a small filesystem mounted (a
	// full disk, read-only media): the short campaign in the tests.
	NoMounts bool
	// Quick leaves out the trials that read the largest inputs allowed,
	// which measure time rather than find faults: the short campaign.
	Quick bool
	Log   io.Writer // progress, or nil
}

// Row is one line of the table.
type Row struct {
	Fault      string
	Trials     int
	Detected   int // damage reported in words
	Undetected int // damage that went unreported
	Lost       int // acknowledged changes lost, or lost without a word
	Panics     int // a Go panic or fatal error
	Internal   int // an internal message shown to a person
	Note       string
}

// Print writes the table.
func Print(w io.Writer, rows []Row) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "fault\ttrials\tdetected\tundetected\tlost\tpanics\tinternal text\tnote")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", r.Fault, r.Trials, r.Detected, r.Undetected, r.Lost, r.Panics, r.Internal, r.Note)
	}
	_ = tw.Flush()
}

// result is one child's run.
type result struct {
	code    int
	out     string
	elapsed time.Duration
	maxRSS  int64 // bytes
	killed  bool
}

func (r result) panicked() bool {
	return r.code == 2 && (strings.Contains(r.out, "goroutine ") || strings.Contains(r.out, "panic:")) ||
		strings.Contains(r.out, "fatal error:")
}

// child runs the campaign's binary as a child in mode with args.
func child(timeout time.Duration, mode string, args ...string) result {
	return childIn("", timeout, mode, args...)
}

// childIn is child with tmp as the child's temporary folder ("" for the
// usual one), so that what it leaves there can be counted.
func childIn(tmp string, timeout time.Duration, mode string, args ...string) result {
	self, _ := os.Executable()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, self, args...)
	cmd.Env = append(os.Environ(), ChildEnv+"="+mode, "LANG=en_GB.UTF-8")
	if tmp != "" {
		cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	r := result{out: out.String(), elapsed: time.Since(start), killed: ctx.Err() != nil}
	if cmd.ProcessState != nil {
		r.code = cmd.ProcessState.ExitCode()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.maxRSS = ru.Maxrss * 1024
		}
		// The kernel counts the parent's memory at the fork in the
		// child's peak; the child's own, when it says it, is the truth.
		if i := strings.LastIndex(r.out, peakMarker); i >= 0 {
			if kb, err := strconv.ParseInt(strings.TrimSpace(r.out[i+len(peakMarker):]), 10, 64); err == nil {
				r.maxRSS = kb << 10
			}
			r.out = r.out[:i]
		}
	} else if err != nil {
		r.code, r.out = -1, err.Error()
	}
	return r
}

// cliRun runs an improvement-tracker command in a child.
func cliRun(args ...string) result {
	return child(2*time.Minute, "cli", args...)
}

// Child is the child's side: it runs when ChildEnv is set and returns the
// exit code. command runs the app's command line (cli.Run in the binary
// that hosts the campaign), so that this package, which sits below the
// command line, does not reach up into it.
func Child(mode string, args []string, command func(args []string) int) int {
	code := childMode(mode, args, command)
	if kb := peakKB(); kb > 0 {
		fmt.Fprintf(os.Stderr, "%s%d\n", peakMarker, kb)
	}
	return code
}

// peakMarker starts the line on which a child says its own peak memory.
const peakMarker = "\nfaults-child-peak-kb: "

// peakKB is this process's own peak memory in KB (VmHWM), 0 if unknown.
func peakKB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb
		}
	}
	return 0
}

// childMode runs the child's mode and returns its exit code.
func childMode(mode string, args []string, command func([]string) int) int {
	switch mode {
	case "cli":
		return command(args)
	case "write":
		return childWrite(args)
	case "narratives":
		return childNarratives(args)
	case "importloop":
		return childImportLoop(args)
	}
	fmt.Fprintf(os.Stderr, "unknown child mode %q\n", mode)
	return 3
}

// writeNarrative is how the campaign's updates start, so that they can be
// told from the sample's.
const writeNarrative = "Fault campaign write "

// childWrite appends progress updates to the first finding, printing "ack
// N" once each is committed, until it has written args[1] (0: for ever) or
// fails.
func childWrite(args []string) int {
	limit, _ := strconv.Atoi(args[1])
	s, err := bolt.Open(args[0], bolt.Options{NoBackup: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	ctx := context.Background()
	var first model.Finding
	if err := s.View(ctx, func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		if err == nil && len(fs) > 0 {
			first = fs[0]
		}
		return err
	}); err != nil || first.ID == 0 {
		fmt.Fprintln(os.Stderr, "no finding to write to:", err)
		return 1
	}
	out := bufio.NewWriter(os.Stdout)
	for n := 1; limit == 0 || n <= limit; n++ {
		u := model.Update{FindingID: first.ID, Date: model.NewDate(2025, 6, 1), Narrative: writeNarrative + strconv.Itoa(n),
			Status: first.Status, RAG: first.RAG, Author: "Fault campaign"}
		if !u.RAG.Valid() || u.RAG == "" {
			u.RAG = model.Amber
		}
		if !u.Status.Valid() {
			u.Status = model.InProgress
		}
		if err := s.Update(ctx, model.Actor{Who: "Fault campaign"}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Fprintf(out, "ack %d\n", n)
		_ = out.Flush()
	}
	return 0
}

// childNarratives prints the numbers of the campaign's updates in the
// register.
func childNarratives(args []string) int {
	s, err := bolt.Open(args[0], bolt.Options{NoBackup: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		us, err := tx.Updates(0)
		for _, u := range us {
			if n, ok := strings.CutPrefix(u.Narrative, writeNarrative); ok {
				fmt.Println(n)
			}
		}
		return err
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// Run runs the campaign and returns its table.
func Run(cfg Config) ([]Row, error) {
	if cfg.Trials <= 0 {
		cfg.Trials = 100
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	rnd := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	base := filepath.Join(cfg.Dir, "base", "register.db")
	if r := cliRun("sample", "--db", base); r.code != 0 {
		return nil, fmt.Errorf("cannot make the sample register: %s", r.out)
	}
	// Daily backups made while the sample was loaded would be taken as
	// the register's history; each trial starts with none.
	_ = os.RemoveAll(filepath.Join(cfg.Dir, "base", "backups"))
	c := &campaign{cfg: cfg, rnd: rnd, base: base}
	var rows []Row
	for _, f := range []func() Row{c.kill, c.flips, c.meta, c.truncate, c.diskFull, c.readOnly, c.bombs,
		c.hostilePDFs, c.underCap, c.devices, c.restores, c.contention, c.unbornRegisters, c.newOnFullDisk} {
		row := f()
		fmt.Fprintf(cfg.Log, "%s: %d trials done\n", row.Fault, row.Trials)
		rows = append(rows, row)
	}
	return rows, nil
}

type campaign struct {
	cfg  Config
	rnd  *rand.Rand
	base string
	n    int
}

// fresh copies the base register into a new folder of its own.
func (c *campaign) fresh() string {
	c.n++
	dir := filepath.Join(c.cfg.Dir, fmt.Sprintf("t%04d", c.n))
	_ = os.MkdirAll(dir, 0o700)
	path := filepath.Join(dir, "register.db")
	raw, err := os.ReadFile(c.base)
	if err == nil {
		err = os.WriteFile(path, raw, 0o600)
	}
	if err != nil {
		panic(err)
	}
	return path
}

// tally adds a child's run to the panics and internal-text counts.
func tally(row *Row, rs ...result) {
	for _, r := range rs {
		if r.panicked() {
			row.Panics++
		} else if corrupt.Internal(r.out) != "" {
			row.Internal++
		}
	}
}

// acked reads the numbers a writing child acknowledged.
func acked(out string) map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		if n, ok := strings.CutPrefix(line, "ack "); ok {
			m[strings.TrimSpace(n)] = true
		}
	}
	return m
}

// missing counts acknowledged writes absent from the register.
func missing(path string, ack map[string]bool) (int, result) {
	r := child(time.Minute, "narratives", path)
	have := map[string]bool{}
	for _, line := range strings.Split(r.out, "\n") {
		have[strings.TrimSpace(line)] = true
	}
	lost := 0
	for n := range ack {
		if !have[n] {
			lost++
		}
	}
	return lost, r
}

// kill: a writer killed at a random moment. Nothing it acknowledged may be
// lost and the file must check sound.
func (c *campaign) kill() Row {
	row := Row{Fault: "SIGKILL during writes"}
	acks := 0
	for range c.cfg.Trials {
		path := c.fresh()
		self, _ := os.Executable()
		cmd := exec.Command(self, path, "0")
		cmd.Env = append(os.Environ(), ChildEnv+"=write")
		pipe, err := cmd.StdoutPipe()
		if err == nil {
			err = cmd.Start()
		}
		if err != nil {
			row.Note = err.Error()
			break
		}
		// Kill at a random moment once the writes are under way.
		var out bytes.Buffer
		lines := bufio.NewScanner(pipe)
		started := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			first := true
			for lines.Scan() {
				out.WriteString(lines.Text() + "\n")
				if first {
					close(started)
					first = false
				}
			}
			if first {
				close(started)
			}
		}()
		<-started
		time.Sleep(time.Duration(c.rnd.IntN(300)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-done
		_ = cmd.Wait()
		row.Trials++
		ack := acked(out.String())
		acks += len(ack)
		lost, nr := missing(path, ack)
		chk := cliRun("check", "--db", path)
		tally(&row, nr, chk)
		row.Lost += lost
		if chk.code != 0 || nr.code != 0 {
			row.Detected++ // a problem reported after a kill: not expected
		}
	}
	row.Note = fmt.Sprintf("%d acknowledged writes; detected = problems reported (none expected)", acks)
	return row
}

// flips: one bit flipped inside a stored record; check must report it.
func (c *campaign) flips() Row {
	row := Row{Fault: "one-bit flip inside a record"}
	for range c.cfg.Trials {
		path := c.fresh()
		if _, err := corrupt.FlipInRecord(path, c.rnd); err != nil {
			row.Note = err.Error()
			continue
		}
		row.Trials++
		chk := cliRun("check", "--db", path)
		lst := cliRun("list", "--db", path)
		tally(&row, chk, lst)
		if chk.code != 0 {
			row.Detected++
		} else {
			row.Undetected++
		}
	}
	return row
}

// meta: the newest header page spoilt after a save. The save is then
// lost; check and list must say so rather than show the older state.
func (c *campaign) meta() Row {
	row := Row{Fault: "newest header page damaged"}
	hows := []string{corrupt.ZeroChecksum, corrupt.FlipHeader, corrupt.ZeroPage}
	for i := range max(4, c.cfg.Trials/10) {
		path := c.fresh()
		if r := child(time.Minute, "write", path, "1"); r.code != 0 {
			row.Note = r.out
			continue
		}
		_, newest, err := corrupt.Metas(path)
		if err == nil {
			err = corrupt.DamageMeta(path, newest, hows[i%len(hows)], c.rnd)
		}
		if err != nil {
			row.Note = err.Error()
			continue
		}
		row.Trials++
		chk := cliRun("check", "--db", path)
		lst := cliRun("list", "--db", path)
		tally(&row, chk, lst)
		if chk.code != 0 && lst.code != 0 && strings.Contains(chk.out+lst.out, "last save") {
			row.Detected++
		} else {
			row.Undetected++
			if chk.code == 0 || lst.code == 0 {
				row.Lost++ // the older state shown as if nothing happened
			}
		}
	}
	row.Note = "detected = check and list both refuse and say the last save may be lost"
	return row
}

// truncate: the file cut short at a random length.
func (c *campaign) truncate() Row {
	row := Row{Fault: "file cut short"}
	for range c.cfg.Trials {
		path := c.fresh()
		// Cut inside the pages in use: bytes past them hold nothing.
		m, newest, err := corrupt.Metas(path)
		if err == nil {
			err = corrupt.Truncate(path, c.rnd.Int64N(m[newest].Used))
		}
		if err != nil {
			row.Note = err.Error()
			continue
		}
		row.Trials++
		chk := cliRun("check", "--db", path)
		lst := cliRun("list", "--db", path)
		tally(&row, chk, lst)
		if chk.code != 0 && lst.code != 0 {
			row.Detected++
		} else {
			row.Undetected++
		}
	}
	return row
}

// diskFull: writes until a small filesystem is full, then reads. Every
// acknowledged write must be there, the file sound, and a list on the
// next day (when a backup is due and cannot be written) must still work.
func (c *campaign) diskFull() Row {
	row := Row{Fault: "disk full"}
	if c.cfg.NoMounts {
		row.Note = "skipped: no filesystems are mounted in the short campaign"
		return row
	}
	mnt := filepath.Join(c.cfg.Dir, "full")
	_ = os.MkdirAll(mnt, 0o700)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt).CombinedOutput(); err != nil {
		row.Note = "skipped: cannot mount a small filesystem here (" + strings.TrimSpace(string(out)) + ")"
		return row
	}
	defer func() { _ = exec.Command("umount", mnt).Run() }()
	for i := range max(3, c.cfg.Trials/20) {
		_ = exec.Command("sh", "-c", "rm -rf "+mnt+"/*").Run()
		path := filepath.Join(mnt, "register.db")
		raw, _ := os.ReadFile(c.base)
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			row.Note = "skipped: the sample register does not fit in 1 MB"
			return row
		}
		// Leave a different amount of room each time.
		filler := filepath.Join(mnt, "filler")
		var st syscall.Statfs_t
		_ = syscall.Statfs(mnt, &st)
		free := int64(st.Bavail) * st.Bsize
		_ = os.WriteFile(filler, make([]byte, max(0, free-int64(32<<10)*int64(i+1))), 0o600)
		w := child(2*time.Minute, "write", path, "0")
		row.Trials++
		ack := acked(w.out)
		lost, nr := missing(path, ack)
		chk := cliRun("check", "--db", path)
		// No backup was made today, and none can be: reading must work.
		lst := cliRun("list", "--db", path)
		tally(&row, w, nr, chk, lst)
		row.Lost += lost
		if w.code != 0 && chk.code == 0 && lst.code == 0 {
			row.Detected++ // the full disk stopped the writes in words, nothing else
		} else {
			row.Undetected++
		}
	}
	row.Note = "detected = writes stop in words, the file checks sound and list still works"
	return row
}

// readOnly: a sound register on a read-only filesystem must be listed and
// checked, and never called damaged.
func (c *campaign) readOnly() Row {
	row := Row{Fault: "read-only filesystem"}
	if c.cfg.NoMounts {
		row.Note = "skipped: no filesystems are mounted in the short campaign"
		return row
	}
	mnt := filepath.Join(c.cfg.Dir, "ro")
	_ = os.MkdirAll(mnt, 0o700)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt).CombinedOutput(); err != nil {
		row.Note = "skipped: cannot mount a filesystem here (" + strings.TrimSpace(string(out)) + ")"
		return row
	}
	defer func() { _ = exec.Command("umount", mnt).Run() }()
	raw, _ := os.ReadFile(c.base)
	path := filepath.Join(mnt, "register.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		row.Note = err.Error()
		return row
	}
	if out, err := exec.Command("mount", "-o", "remount,ro", mnt).CombinedOutput(); err != nil {
		row.Note = "skipped: cannot make the filesystem read-only (" + strings.TrimSpace(string(out)) + ")"
		return row
	}
	for _, cmd := range [][]string{{"list"}, {"check"}} {
		r := cliRun(append(cmd, "--db", path)...)
		row.Trials++
		tally(&row, r)
		if r.code == 0 && !strings.Contains(r.out, "damaged") {
			row.Detected++
		} else {
			row.Undetected++
			row.Note = strings.TrimSpace(firstLine(r.out))
		}
	}
	if row.Note == "" {
		row.Note = "detected = opened for reading, never called damaged"
	}
	return row
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	if len(line) > 120 {
		line = line[:120] + "…"
	}
	return line
}

// Bomb limits: the import must give up in words within these.
const (
	// Under the race detector (the short campaign in "make test") every
	// child runs several times slower and larger.
	bombTime   = 10 * time.Second * raceFactor
	bombMemory = 300 << 20 * raceFactor
)

// bombs: each hostile workbook imported as a return.
func (c *campaign) bombs() Row {
	row := Row{Fault: "zip bombs and bad cells"}
	reg := c.fresh()
	var notes []string
	var worstTime time.Duration
	var worstRSS int64
	for _, b := range bomb.Corpus {
		size := b.Size
		if c.cfg.BombSize > 0 && size > c.cfg.BombSize {
			size = c.cfg.BombSize
		}
		file := filepath.Join(c.cfg.Dir, "bomb-"+strings.ReplaceAll(string(b.Kind), " ", "-")+".xlsx")
		f, err := os.Create(file)
		if err == nil {
			err = bomb.Write(f, b.Kind, size)
			_ = f.Close()
		}
		if err != nil {
			notes = append(notes, string(b.Kind)+": "+err.Error())
			continue
		}
		row.Trials++
		tmp := filepath.Join(c.cfg.Dir, "tmp-"+strings.ReplaceAll(string(b.Kind), " ", "-"))
		_ = os.MkdirAll(tmp, 0o700)
		r := childIn(tmp, 30*time.Second, "cli", "import", "return", file, "--db", reg, "--dry-run")
		tally(&row, r)
		worstTime, worstRSS = max(worstTime, r.elapsed), max(worstRSS, r.maxRSS)
		left, _ := os.ReadDir(tmp)
		leftover := len(left)
		// Refused (or, for a bad cell, its problem listed and nothing
		// applied: exit 1 either way), in words, in time, in memory.
		ok := !r.killed && r.code == 1 && r.elapsed < bombTime && r.maxRSS < bombMemory && leftover == 0
		if cell := badCell[b.Kind]; cell != "" && !strings.Contains(r.out, cell) {
			ok = false
		}
		if ok {
			row.Detected++
		} else {
			row.Undetected++
			notes = append(notes, fmt.Sprintf("%s: exit %d in %.1f s, %d MB%s: %s", b.Kind, r.code, r.elapsed.Seconds(), r.maxRSS>>20,
				map[bool]string{true: ", killed", false: ""}[r.killed], firstLine(r.out)))
		}
		if leftover > 0 {
			row.Lost++
			notes = append(notes, fmt.Sprintf("%s left %d temporary file(s)", b.Kind, leftover))
		}
		_ = os.Remove(file)
	}
	notes = append([]string{fmt.Sprintf("worst %.1f s, %d MB", worstTime.Seconds(), worstRSS>>20)}, notes...)
	row.Note = strings.Join(notes, "; ")
	return row
}

// badCell is where each workbook with a bad cell has it: the import must
// name that cell.
var badCell = map[bomb.Kind]string{bomb.NULCell: "cell D2", bomb.BadUTF8: "cell D2", bomb.LongCell: "cell D3"}

//go:build linux

package faults

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"improvementtracker/storage/bolt"
	"improvementtracker/testkit/faults/bomb"
)

// restores: an import loop beside restores of a backup. Every save the
// loop was told was made must be found afterwards in the register or in a
// copy a restore kept of the register it replaced, and no copy may
// overwrite another.
func (c *campaign) restores() Row {
	row := Row{Fault: "restore beside an import loop"}
	reg := c.fresh()
	if r := cliRun("backup", "--db", reg); r.code != 0 {
		row.Note = "cannot make the backup: " + firstLine(r.out)
		return row
	}
	backups, _ := bolt.ListBackups(reg)
	if len(backups) == 0 {
		row.Note = "no backup was made"
		return row
	}
	backup := backups[0].Path
	want := max(3, min(30, c.cfg.Trials))
	cmd, out, wg, err := startLoop(reg, 1_000_000)
	if err != nil {
		row.Note = err.Error()
		return row
	}
	deadline := time.Now().Add(5 * time.Minute)
	for row.Trials < want && time.Now().Before(deadline) {
		r := cliRun("restore", backup, "--db", reg)
		tally(&row, r)
		if r.code == 0 {
			row.Trials++
		}
	}
	_ = cmd.Process.Kill()
	wg.Wait() // all its output read before the wait closes the pipe
	_ = cmd.Wait()
	ack := acked(out.String())
	lost, have := c.lostAcross(reg, ack)
	row.Lost = lost
	kept := 0
	all, _ := bolt.ListBackups(reg)
	for _, b := range all {
		if b.Kind == bolt.KindBeforeRestore {
			kept++
		}
	}
	row.Detected = row.Trials
	if kept < row.Trials {
		row.Undetected = row.Trials - kept
	}
	row.Note = fmt.Sprintf("%d saves acknowledged, %d found; %d copies kept before %d restores", len(ack), have, kept, row.Trials)
	return row
}

// lostAcross counts the acknowledged saves found neither in the register
// nor in any copy kept before a restore, and how many were found.
func (c *campaign) lostAcross(reg string, ack map[string]bool) (lost, found int) {
	have := map[string]bool{}
	paths := []string{reg}
	all, _ := bolt.ListBackups(reg)
	for _, b := range all {
		if b.Kind == bolt.KindBeforeRestore {
			paths = append(paths, b.Path)
		}
	}
	for _, p := range paths {
		r := child(time.Minute, "narratives", p)
		for _, line := range strings.Split(r.out, "\n") {
			have[strings.TrimSpace(line)] = true
		}
	}
	for n := range ack {
		if have[n] {
			found++
		} else {
			lost++
		}
	}
	return lost, found
}

// contention: two processes import into one register at once, each
// waiting for the other's lock while the other grows the file. No import
// may be told the register is damaged, and every acknowledged save must
// be there.
func (c *campaign) contention() Row {
	row := Row{Fault: "two processes, one register"}
	reg := c.fresh()
	each := max(30, min(420, c.cfg.Trials*42/10))
	var out strings.Builder
	var loops []func()
	for range 2 {
		cmd, o, wg, err := startLoop(reg, each)
		if err != nil {
			row.Note = err.Error()
			return row
		}
		loops = append(loops, func() {
			wg.Wait()
			_ = cmd.Wait()
			out.WriteString(o.String())
		})
	}
	for _, wait := range loops {
		wait()
	}
	row.Trials = 2 * each
	ack := acked(out.String())
	row.Detected = len(ack)
	var notes []string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "fail ") {
			row.Undetected++
			if strings.Contains(line, "damaged") || strings.Contains(line, "cut short") {
				row.Internal++ // a false alarm: counted where it shows
			}
			if len(notes) < 3 {
				notes = append(notes, firstLine(line))
			}
		}
	}
	lost, _ := missing(reg, ack)
	row.Lost = lost
	row.Note = strings.Join(append([]string{"detected = imports acknowledged; undetected = imports that failed (internal = told the register is damaged)"}, notes...), "; ")
	return row
}

// unbornRegisters: a register that never came to be (0 bytes; zeros from a
// first write cut short) is made again or refused in words that do not
// call it damaged; a return applied to a mistyped register makes nothing.
func (c *campaign) unbornRegisters() Row {
	row := Row{Fault: "registers that never came to be"}
	dir := filepath.Join(c.cfg.Dir, "unborn")
	_ = os.MkdirAll(dir, 0o700)
	report := filepath.Join(dir, "report.txt")
	_ = os.WriteFile(report, []byte("Recommendation 1\nThe force should keep its registers.\n"), 0o600)
	var notes []string
	trial := func(what string, ok bool, r result) {
		row.Trials++
		tally(&row, r)
		if ok && unworded(r.out) == "" {
			row.Detected++
		} else {
			row.Undetected++
			notes = append(notes, note(what, r))
		}
	}
	empty := filepath.Join(dir, "empty", "register.db")
	_ = os.MkdirAll(filepath.Dir(empty), 0o700)
	_ = os.WriteFile(empty, nil, 0o600)
	r := cliRun("list", "--db", empty)
	trial("list of an empty register", r.code != 0 && !strings.Contains(r.out, "damaged"), r)
	r = cliRun("import", "report", report, "--db", empty)
	info, _ := os.Stat(empty)
	trial("import into an empty register", r.code == 0 && info != nil && info.Size() > 0, r)

	zeros := filepath.Join(dir, "zeros", "register.db")
	_ = os.MkdirAll(filepath.Dir(zeros), 0o700)
	_ = os.WriteFile(zeros, make([]byte, 16384), 0o600)
	r = cliRun("import", "report", report, "--db", zeros)
	trial("import into a register of zeros", r.code != 0 && !strings.Contains(r.out, "damaged"), r)

	typo := filepath.Join(dir, "Typo", "regster.db")
	ret := filepath.Join(dir, "return.xlsx")
	if f, err := os.Create(ret); err == nil {
		_ = bomb.Write(f, bomb.NULCell, 0)
		_ = f.Close()
	}
	r = cliRun("import", "return", ret, "--db", typo)
	_, statErr := os.Stat(filepath.Dir(typo))
	trial("return into a mistyped register", r.code != 0 && os.IsNotExist(statErr), r)
	row.Note = strings.Join(append([]string{"detected = made again, or refused without calling it damaged; nothing made at a mistyped path"}, notes...), "; ")
	return row
}

// newOnFullDisk: a new register, an empty one and a copy's new target, on
// a disk with no room: each fails in words that do not say damaged and
// leaves nothing half made (the empty file stays empty); once room is
// made, the new and the empty register are made.
func (c *campaign) newOnFullDisk() Row {
	row := Row{Fault: "new registers on a full disk"}
	if c.cfg.NoMounts {
		row.Note = "skipped: no filesystems are mounted in the short campaign"
		return row
	}
	mnt := filepath.Join(c.cfg.Dir, "fullnew")
	_ = os.MkdirAll(mnt, 0o700)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt).CombinedOutput(); err != nil {
		row.Note = "skipped: cannot mount a small filesystem here (" + strings.TrimSpace(string(out)) + ")"
		return row
	}
	defer func() { _ = exec.Command("umount", mnt).Run() }()
	report := filepath.Join(c.cfg.Dir, "fullnew-report.txt")
	_ = os.WriteFile(report, []byte("Recommendation 1\nThe force should keep its registers.\n"), 0o600)
	empty := filepath.Join(mnt, "empty.db")
	_ = os.WriteFile(empty, nil, 0o600)
	filler := filepath.Join(mnt, "filler")
	if f, err := os.Create(filler); err == nil {
		chunk := make([]byte, 4096)
		for {
			if _, err := f.Write(chunk); err != nil {
				break
			}
		}
		_ = f.Close()
	}
	var notes []string
	trial := func(what string, ok bool, r result) {
		row.Trials++
		tally(&row, r)
		if ok && unworded(r.out) == "" {
			row.Detected++
		} else {
			row.Undetected++
			notes = append(notes, note(what, r))
		}
	}
	fresh := filepath.Join(mnt, "new", "register.db")
	r := cliRun("import", "report", report, "--db", fresh)
	_, statErr := os.Stat(filepath.Dir(fresh))
	trial("new register", r.code != 0 && !strings.Contains(r.out, "damaged") && os.IsNotExist(statErr), r)
	r = cliRun("import", "report", report, "--db", empty)
	info, _ := os.Stat(empty)
	trial("empty register", r.code != 0 && !strings.Contains(r.out, "damaged") && info != nil && info.Size() == 0, r)
	target := filepath.Join(mnt, "copy.db")
	r = cliRun("copy", "--from", c.base, "--to", target)
	_, statErr = os.Stat(target)
	trial("copy --to", r.code != 0 && os.IsNotExist(statErr), r)
	_ = os.Remove(filler)
	r = cliRun("import", "report", report, "--db", fresh)
	trial("new register, room made", r.code == 0, r)
	r = cliRun("import", "report", report, "--db", empty)
	trial("empty register, room made", r.code == 0, r)
	row.Note = strings.Join(append([]string{"detected = fails in words, not damaged, nothing half made; made once there is room"}, notes...), "; ")
	return row
}

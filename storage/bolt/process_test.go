package bolt_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
	storage "improvementtracker/storage/bolt"
)

// These tests run a second process: the test binary itself, started with
// -test.run=TestHelperProcess and an environment variable saying what to do.
const (
	envHelper = "STORAGE_TEST_HELPER"
	envDB     = "STORAGE_TEST_DB"
)

// TestHelperProcess is the second process. It does nothing in a normal run.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(envDB)
	switch os.Getenv(envHelper) {
	case "":
		t.Skip("run only as a child process of the lock and crash tests")
	case "lock":
		start := time.Now()
		_, err := storage.Open(path, storage.Options{})
		fmt.Printf("ELAPSED %d\nLOCKED %v\nERROR %v\n", time.Since(start).Milliseconds(), errors.Is(err, model.ErrLocked), err)
		os.Exit(0)
	case "crash":
		crashWriter(path)
	case "crash-attach":
		crashAttacher(path)
	case "contend":
		contendWriter(path)
	}
}

// crashWriter adds findings with an update each, one transaction per pair,
// printing the IDs of each after its commit returns, until it is killed.
func crashWriter(path string) {
	s, err := storage.Open(path, storage.Options{NoBackup: true})
	if err != nil {
		fmt.Println("OPEN", err)
		os.Exit(1)
	}
	var reportID model.ID
	_ = s.View(context.Background(), func(tx model.ReadTx) error {
		rs, err := tx.Reports()
		if len(rs) > 0 {
			reportID = rs[0].ID
		}
		return err
	})
	deadline := time.Now().Add(20 * time.Second) // never outlive a lost parent for long
	for i := 0; time.Now().Before(deadline); i++ {
		f := model.Finding{ReportID: reportID, Type: model.AFI, Title: fmt.Sprintf("Crash test %d", i),
			Verbatim: strings.Repeat("The force should keep writing. ", 20)}
		u := model.Update{Date: model.MustDate("01/10/2025"), Narrative: strings.Repeat("Progress. ", 30), Status: model.InProgress, RAG: model.Green}
		err := s.Update(context.Background(), model.Actor{Who: "crash test"}, func(tx model.Tx) error {
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			u.FindingID = f.ID
			return tx.AppendUpdate(&u)
		})
		if err != nil {
			fmt.Println("WRITE", err)
			os.Exit(1)
		}
		// One write call per line, so a kill cannot split an
		// acknowledgement from its newline unnoticed.
		os.Stdout.WriteString(fmt.Sprintf("ACK %d %d\n", f.ID, u.ID))
	}
	os.Exit(0)
}

func helperCmd(kind, path string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), envHelper+"="+kind, envDB+"="+path)
	return cmd
}

// TestLockSecondProcess checks that a second process opening a register
// that is open gets the plain message within two seconds, not a hang.
func TestLockSecondProcess(t *testing.T) {
	s := openNew(t, newClock())
	start := time.Now()
	out, err := helperCmd("lock", s.Path()).CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	text := string(out)
	var elapsed int64
	if _, err := fmt.Sscanf(text[strings.Index(text, "ELAPSED"):], "ELAPSED %d", &elapsed); err != nil {
		t.Fatalf("child output: %s", text)
	}
	if elapsed >= 2000 {
		t.Errorf("the second process waited %d ms; want under 2 s", elapsed)
	}
	if !strings.Contains(text, "LOCKED true") {
		t.Errorf("the second process's error does not wrap ErrLocked:\n%s", text)
	}
	if !strings.Contains(text, "open in another Improvement Tracker window") || !strings.Contains(text, s.Path()) {
		t.Errorf("the message does not say plainly which file is open elsewhere:\n%s", text)
	}
	t.Logf("second process gave up after %d ms (%v including its start-up)", elapsed, wall.Round(time.Millisecond))
}

// TestCrashSafety kills a writing process at random moments and checks that
// every write it reported as committed is there, and the file is sound.
func TestCrashSafety(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	seed(t, s)
	path := s.Path()
	s.Close()

	seedVal := uint64(time.Now().UnixNano())
	rnd := rand.New(rand.NewPCG(seedVal, 7))
	t.Logf("random seed %d", seedVal)
	const runs = 20
	total := 0
	for run := range runs {
		acked := killWriterAtRandom(t, path, rnd)
		total += len(acked)
		r, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
		if err != nil {
			t.Fatalf("run %d: reopening after the kill: %v", run, err)
		}
		err = r.View(context.Background(), func(tx model.ReadTx) error {
			for _, a := range acked {
				if _, err := tx.Finding(a[0]); err != nil {
					return fmt.Errorf("acknowledged finding #%d is missing: %w", a[0], err)
				}
				us, err := tx.Updates(a[0])
				if err != nil || len(us) != 1 || us[0].ID != a[1] {
					return fmt.Errorf("acknowledged update #%d of finding #%d is missing (%v, %v)", a[1], a[0], us, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if problems, err := r.Check(); err != nil || len(problems) > 0 {
			t.Fatalf("run %d: check after the kill: %v %v", run, problems, err)
		}
		r.Close()
	}
	t.Logf("%d runs, %d acknowledged writes, all present", runs, total)
}

// killWriterAtRandom starts the writer, lets it commit for a random
// 0–150 ms after its first acknowledgement, kills it, and returns the
// finding and update IDs it acknowledged.
func killWriterAtRandom(t *testing.T, path string, rnd *rand.Rand) [][2]model.ID {
	t.Helper()
	return killAtRandom(t, "crash", path, rnd)
}

// killAtRandom is killWriterAtRandom for the helper process of kind.
func killAtRandom(t *testing.T, kind, path string, rnd *rand.Rand) [][2]model.ID {
	t.Helper()
	cmd := helperCmd(kind, path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		r := bufio.NewReader(stdout)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return // a line cut short by the kill was never acknowledged
			}
			lines <- line
		}
	}()
	var acked [][2]model.ID
	record := func(line string) {
		var f, u model.ID
		if _, err := fmt.Sscanf(line, "ACK %d %d", &f, &u); err == nil {
			acked = append(acked, [2]model.ID{f, u})
		} else if !strings.HasPrefix(line, "=== RUN") {
			t.Logf("writer: %s", strings.TrimSpace(line))
		}
	}
	timeout := time.After(15 * time.Second)
	for len(acked) == 0 {
		select {
		case line, ok := <-lines:
			if !ok {
				_ = cmd.Wait()
				t.Fatal("the writer stopped before its first write")
			}
			record(line)
		case <-timeout:
			_ = cmd.Process.Kill()
			t.Fatal("the writer made no write in 15 s")
		}
	}
	kill := time.After(time.Duration(rnd.IntN(150)) * time.Millisecond)
	for killed := false; ; {
		select {
		case line, ok := <-lines:
			if !ok {
				_ = cmd.Wait()
				return acked
			}
			record(line)
		case <-kill:
			if !killed {
				// Process.Kill is SIGKILL on Unix and TerminateProcess
				// on Windows: no chance to finish the write.
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				killed = true
			}
		}
	}
}

// tempPath is a register path in a fresh temporary folder.
func tempPath(t *testing.T) string { return filepath.Join(t.TempDir(), "register.db") }

package bolt_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"improvementtracker/model"
	storage "improvementtracker/storage/bolt"
)

// contendImports is how many imports each of the two processes makes.
const contendImports = 420

// contendWriter opens the register, saves a finding large enough to grow
// the file, and closes it, contendImports times, as a command-line import
// does; it prints ACK for each save and the message of each failure.
func contendWriter(path string) {
	for i := range contendImports {
		s, err := storage.Open(path, storage.Options{Timeout: 20 * time.Second})
		if err != nil {
			fmt.Printf("FAIL %v\n", err)
			continue
		}
		err = s.Update(context.Background(), model.Actor{Who: "contend"}, func(tx model.Tx) error {
			rs, err := tx.Reports()
			if err != nil || len(rs) == 0 {
				return fmt.Errorf("no report: %v", err)
			}
			return tx.SaveFinding(&model.Finding{ReportID: rs[0].ID, Type: model.AFI,
				Title: fmt.Sprintf("Contended %d %d", os.Getpid(), i), Verbatim: strings.Repeat("Growing the file. ", 400)})
		})
		if cerr := s.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			fmt.Printf("FAIL %v\n", err)
			continue
		}
		os.Stdout.WriteString("ACK\n")
	}
	os.Exit(0)
}

// TestTwoProcessesOneRegister runs two processes importing into one
// register at once. Each waits for the other's lock, and meanwhile the
// other grows the file: the size read before the wait must not be taken
// for the file's, which made a sound register look cut short ("the file
// is N bytes but its contents need M") and told the user to restore a
// backup. No import may fail, and none be called damaged.
func TestTwoProcessesOneRegister(t *testing.T) {
	if testing.Short() {
		t.Skip("two processes of many imports each")
	}
	path := tempPath(t)
	s, err := storage.Open(path, storage.Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	_ = s.Close()
	var wg sync.WaitGroup
	var mu sync.Mutex
	acks := 0
	var failures []string
	for range 2 {
		cmd := helperCmd("contend", path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				mu.Lock()
				if line := sc.Text(); line == "ACK" {
					acks++
				} else if strings.HasPrefix(line, "FAIL ") {
					failures = append(failures, line)
				}
				mu.Unlock()
			}
			_ = cmd.Wait()
		}()
	}
	wg.Wait()
	t.Logf("%d of %d imports acknowledged", acks, 2*contendImports)
	for _, f := range failures {
		t.Error(f)
		if strings.Contains(f, "damaged") || strings.Contains(f, "cut short") {
			t.Error("a sound register was called damaged while another process wrote to it")
		}
	}
	if acks != 2*contendImports {
		t.Errorf("%d imports acknowledged, want %d", acks, 2*contendImports)
	}
	r, err := storage.Open(path, storage.Options{NoBackup: true, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mustView(t, r, func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		if n := len(fs) - 1; err == nil && n != acks {
			return fmt.Errorf("%d findings saved, %d acknowledged", n, acks)
		}
		return err
	})
}

package bolt

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// checkFiles is check's part for attached files (files.go): every file the
// register's evidence refers to is in the folder beside it and holds what
// its SHA-256 says, and so is every file each backup kept refers to, read
// from the backup's list without unpacking it. Each file is read once,
// however many records and backups refer to it. A missing or changed file
// is named with its evidence and finding.
func (s *Store) checkFiles(tx *bolt.Tx, rep report) {
	refs, listed, err := fileRefs(tx)
	if err != nil || !listed {
		return // a record that cannot be read is said by the records' check
	}
	fc := fileChecker{files: s.files, seen: map[string]fileState{}}
	ours := map[string]bool{}
	for _, ref := range refs {
		ours[ref.SHA256] = true
		switch fc.state(ref.SHA256) {
		case fileMissing:
			rep.add(groupFiles, "evidence %q on %s: the attached file %s is missing from %s. Attach the same file again (to any evidence) to put it back",
				ref.Evidence, ref.Finding, ref.File, s.files.dir)
		case fileChanged:
			rep.add(groupFiles, "evidence %q on %s: the attached file %s does not match its SHA-256 digest (it has been changed or damaged in %s). Attach the same file again (to any evidence) to put it right",
				ref.Evidence, ref.Finding, ref.File, s.files.dir)
		}
	}
	backups, err := ListBackups(s.path)
	if err != nil {
		rep.add(groupFiles, "the backups' lists of attached files cannot be read: %v", err)
		return
	}
	for _, b := range backups {
		refs, _, err := backupFileRefs(b.Path)
		if err != nil {
			rep.add(groupFiles, "the backup %s: its list of attached files cannot be read (%s), so the files it needs cannot be checked", b.Path, plainOSError(err))
			continue
		}
		for _, ref := range refs {
			// A file the register refers to is said once, above.
			if st := fc.state(ref.SHA256); st != fileSound && !ours[ref.SHA256] {
				rep.add(groupFiles, "the backup %s (made %s) needs the attached file %s, which is %s %s: restoring that backup would give its evidence without a sound file",
					b.Path, b.Time.Local().Format("on 02/01/2006 at 15:04"), ref.words(), st, s.files.dir)
			}
		}
	}
}

// fileState is what a check found of one attached file.
type fileState int

const (
	fileSound fileState = iota
	fileMissing
	fileChanged
)

func (f fileState) String() string {
	if f == fileMissing {
		return "missing from"
	}
	return "changed or damaged in"
}

// fileChecker reads each file once.
type fileChecker struct {
	files fileStore
	seen  map[string]fileState
}

func (c *fileChecker) state(sum string) fileState {
	if st, ok := c.seen[sum]; ok {
		return st
	}
	st := fileSound
	if ok, missing := c.files.sound(sum); missing {
		st = fileMissing
	} else if !ok {
		st = fileChanged
	}
	c.seen[sum] = st
	return st
}

// missingFiles lists, in words, the attached files of refs that are not
// sound in files: what a restore refuses a backup for.
func missingFiles(files fileStore, refs []fileRef) []string {
	fc := fileChecker{files: files, seen: map[string]fileState{}}
	var out []string
	for _, ref := range refs {
		if st := fc.state(ref.SHA256); st != fileSound {
			out = append(out, fmt.Sprintf("%s is %s %s", ref.words(), st, files.dir))
		}
	}
	return out
}

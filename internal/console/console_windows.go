//go:build windows

package console

import (
	"fmt"
	"os"

	"golang.org/x/sys/windows"
)

// platform is the Windows console API.
type platform struct{}

var stdHandles = [3]uint32{windows.STD_INPUT_HANDLE, windows.STD_OUTPUT_HANDLE, windows.STD_ERROR_HANDLE}

// procAttachConsole is kernel32's AttachConsole, which x/sys does not wrap.
var procAttachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

// attachParentProcess is ATTACH_PARENT_PROCESS, (DWORD)-1.
const attachParentProcess = ^uint32(0)

func (platform) valid(stream int) bool {
	h, err := windows.GetStdHandle(stdHandles[stream])
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	_, err = windows.GetFileType(h)
	return err == nil
}

func (platform) attachParent() error {
	if err := procAttachConsole.Find(); err != nil {
		return err
	}
	r, _, err := procAttachConsole.Call(uintptr(attachParentProcess))
	if r == 0 {
		return fmt.Errorf("attaching to the parent console: %w", err)
	}
	return nil
}

func (platform) open(stream int) (*os.File, error) {
	name, access := "CONOUT$", uint32(windows.GENERIC_READ|windows.GENERIC_WRITE)
	if stream == stdin {
		name = "CONIN$"
	}
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(p, access, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", name, err)
	}
	// The runtime writes panics to the process's standard error handle,
	// so set the handles as well as the os package's files.
	if err := windows.SetStdHandle(stdHandles[stream], h); err != nil {
		windows.CloseHandle(h)
		return nil, fmt.Errorf("setting the standard handle: %w", err)
	}
	return os.NewFile(uintptr(h), name), nil
}

// Package atomicfile writes files so that readers see either the old file
// or the complete new one, never a half-written one: data goes to a
// temporary file in the same directory, which is synced and then renamed
// over the target. On error the temporary file is removed.
package atomicfile

import (
	"os"
	"path/filepath"
)

// File is a file being written; Close commits it, Abort discards it.
type File struct {
	*os.File
	path string
}

// Create starts writing path, with mode 0644 once committed.
func Create(path string) (*File, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	return &File{File: f, path: path}, nil
}

// Close syncs the data and renames the temporary file over the target.
func (f *File) Close() error {
	err := f.File.Chmod(0o644)
	if err == nil {
		err = f.File.Sync()
	}
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// Abort discards what was written; the target is left as it was.
func (f *File) Abort() {
	f.File.Close()
	os.Remove(f.Name())
}

// WriteFile writes data to path atomically.
func WriteFile(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return err
	}
	return f.Close()
}

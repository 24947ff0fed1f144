package outdir

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
)

var errWouldBlock = errors.New("outdir: lock held")

// pending holds the temporary files of File values not yet closed, for
// AbortAll; mu guards it.
var pending = map[*File]bool{}

// File is one file written outside a set (such as calibrate's model file):
// its data goes to a temporary file beside it, which Close renames over
// the target. The target is never half-written.
type File struct {
	*os.File
	ctx  context.Context
	path string
}

// CreateFile starts writing path. It fails at once when path's folder does
// not exist or path is a folder.
func CreateFile(ctx context.Context, path string) (*File, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, errors.New(path + " is a folder; name a file")
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	w := &File{File: f, ctx: ctx, path: path}
	mu.Lock()
	pending[w] = true
	mu.Unlock()
	return w, nil
}

// Close syncs the data and renames the temporary file over the target,
// unless the context is done or AbortAll ran; on failure the temporary
// file is removed.
func (f *File) Close() error {
	mu.Lock()
	defer mu.Unlock()
	if !pending[f] {
		return errors.New("interrupted")
	}
	delete(pending, f)
	err := f.ctx.Err()
	if err == nil {
		err = f.File.Chmod(0o644)
	}
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
	mu.Lock()
	defer mu.Unlock()
	if pending[f] {
		delete(pending, f)
		f.File.Close()
		os.Remove(f.Name())
	}
}

// abortFiles removes every pending file's temporary file; mu is held.
func abortFiles() {
	for f := range pending {
		f.File.Close()
		os.Remove(f.Name())
	}
	clear(pending)
}

// WriteFile writes data to path atomically.
func WriteFile(ctx context.Context, path string, data []byte) error {
	f, err := CreateFile(ctx, path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return err
	}
	return f.Close()
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

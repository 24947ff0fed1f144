// Package outdir writes a command's output files into a folder as one set.
//
// A command opens its output folder with Begin before it does any work,
// writes each file by name, and ends with Commit or Abort:
//
//	d, err := outdir.Begin(ctx, "out/forecast")
//	if err != nil { return err }
//	defer d.Abort()          // no-op after a successful Commit
//	... d.WriteFile("summary.json", b) ...
//	return d.Commit()
//
// Files are written to a staging folder inside the output folder
// (.sim-stage-XXXX), through an os.Root, so that no name can reach
// outside it: a name must be one plain path element (see CheckName), and
// names built from data go through Slug first. Commit renames the staged
// files into the output folder while holding an exclusive lock on the
// folder, removes the files of the previous committed set that
// this set does not have (listed in .sim-files), and records the new set.
// Two commands committing to one folder thus end with one complete set,
// the last committed.
//
// Abort, an error, a cancelled context or an interrupt (see
// AbortAll) leaves the folder as it was: the staging folder is removed,
// and so is the output folder itself when Begin created it. A process
// killed outright leaves its staging folder behind; the next Begin on the
// folder removes it, since nobody holds its lock any more.
package outdir

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

const (
	stagePrefix  = ".sim-stage-"
	lockName     = ".sim.lock" // in a staging folder, held while it lives
	manifestName = ".sim-files"
	// MaxName is the longest file name, in bytes, that CheckName accepts.
	MaxName = 200
)

// Dir is an output folder being written. Its methods are safe for use by
// one goroutine at a time; AbortAll may run concurrently with them.
type Dir struct {
	ctx     context.Context
	path    string
	root    *os.Root
	stage   string   // staging folder's name in root
	stageLk *os.File // held while staging; frees the folder for cleaning
	names   []string // staged, in order of writing
	created bool     // Begin created path
	done    bool
}

var (
	mu     sync.Mutex // guards active and every commit
	active = map[*Dir]bool{}
	closed bool // AbortAll ran: no more commits
)

// Begin opens path as an output folder, creating it (and its parents) when
// missing, and starts a staging folder in it. It fails at once when path
// exists and is not a folder, or cannot be written. Stale staging folders
// of killed runs are removed. ctx cancels writing: once it is done every
// write and Commit return its error.
func Begin(ctx context.Context, path string) (*Dir, error) {
	if path == "" {
		return nil, errors.New("no output folder given")
	}
	created := false
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(path, 0o755); err != nil {
			return nil, err
		}
		created = true
	case err != nil:
		return nil, err
	case !st.IsDir():
		return nil, fmt.Errorf("%s exists and is not a folder; name a folder for the output", path)
	}
	root, err := os.OpenRoot(path)
	if err != nil {
		return nil, err
	}
	d := &Dir{ctx: ctx, path: path, root: root, created: created}
	cleanStale(root)
	if err := d.startStage(); err != nil {
		root.Close()
		d.removeCreated()
		return nil, fmt.Errorf("%s: cannot write there: %w", path, err)
	}
	mu.Lock()
	active[d] = true
	mu.Unlock()
	return d, nil
}

func (d *Dir) startStage() error {
	for range 100 {
		name := stagePrefix + randomSuffix()
		if err := d.root.Mkdir(name, 0o755); err != nil {
			if errors.Is(err, fs.ErrExist) {
				continue
			}
			return err
		}
		lk, err := d.root.OpenFile(name+"/"+lockName, os.O_CREATE|os.O_RDWR, 0o644)
		if err == nil {
			err = lock(lk, false)
		}
		if err != nil {
			if lk != nil {
				lk.Close()
			}
			d.root.RemoveAll(name)
			return err
		}
		d.stage, d.stageLk = name, lk
		return nil
	}
	return errors.New("no free staging name")
}

// staleAge is how old a staging folder must be before cleanStale looks
// at it: a live process creates its folder and locks it within
// microseconds, so a younger unlocked folder may be one being born.
const staleAge = 10 * time.Second

// cleanStale removes the staging folders that no live process holds.
func cleanStale(root *os.Root) {
	f, err := root.Open(".")
	if err != nil {
		return
	}
	ents, _ := f.ReadDir(-1)
	f.Close()
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), stagePrefix) {
			continue
		}
		if info, err := e.Info(); err != nil || time.Since(info.ModTime()) < staleAge {
			continue
		}
		lk, err := root.OpenFile(e.Name()+"/"+lockName, os.O_RDWR, 0)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				root.RemoveAll(e.Name()) // killed before it took its lock
			}
			continue
		}
		if lock(lk, false) == nil {
			root.RemoveAll(e.Name())
		}
		lk.Close()
	}
}

// Path returns the output folder as given to Begin.
func (d *Dir) Path() string { return d.path }

// Join returns the path of the file name in the output folder, for
// messages.
func (d *Dir) Join(name string) string { return filepath.Join(d.path, name) }

// CheckName returns an error unless name can name a file of the set: one
// path element of at most MaxName bytes of valid UTF-8, not starting with
// a dot, without separators or control characters.
func CheckName(name string) error {
	switch {
	case name == "" || len(name) > MaxName:
		return fmt.Errorf("output file name %q: want 1 to %d bytes", name, MaxName)
	case !utf8.ValidString(name):
		return fmt.Errorf("output file name %q: not UTF-8", name)
	case name[0] == '.':
		return fmt.Errorf("output file name %q: starts with a dot", name)
	case strings.ContainsAny(name, `/\:`) || !filepath.IsLocal(name):
		return fmt.Errorf("output file name %q: not a single plain name", name)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("output file name %q: has control characters", name)
		}
	}
	return nil
}

// Create starts writing the file name of the set; Close on the returned
// writer finishes it. A name written twice keeps the later content.
func (d *Dir) Create(name string) (io.WriteCloser, error) {
	if err := d.writable(name); err != nil {
		return nil, err
	}
	f, err := d.root.OpenFile(d.stage+"/"+name, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(d.names, name) {
		d.names = append(d.names, name)
	}
	return &file{File: f, d: d}, nil
}

type file struct {
	*os.File
	d *Dir
}

func (f *file) Write(p []byte) (int, error) {
	if err := f.d.ctx.Err(); err != nil {
		return 0, err
	}
	return f.File.Write(p)
}

func (f *file) Close() error {
	err := f.File.Sync()
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = f.d.ctx.Err()
	}
	return err
}

// WriteFile writes data as the file name of the set.
func (d *Dir) WriteFile(name string, data []byte) error {
	w, err := d.Create(name)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

func (d *Dir) writable(name string) error {
	if d.done {
		return errors.New("outdir: write after Commit or Abort")
	}
	if err := d.ctx.Err(); err != nil {
		return err
	}
	return CheckName(name)
}

// Commit moves the written files into the output folder as one set and
// releases the folder. The files of the previous set that this one lacks
// are removed. It fails, leaving the folder as it was, when the context is
// done or AbortAll has run.
func (d *Dir) Commit() error {
	if d.done {
		return errors.New("outdir: Commit after Commit or Abort")
	}
	mu.Lock()
	defer mu.Unlock()
	if closed {
		return errors.New("interrupted")
	}
	if err := d.ctx.Err(); err != nil {
		return err
	}
	lk, err := d.root.Open(".") // the folder itself is the lock
	if err != nil {
		return err
	}
	defer lk.Close()
	if err := lock(lk, true); err != nil {
		return err
	}
	old := readManifest(d.root)
	for _, n := range d.names {
		if err := d.root.Rename(d.stage+"/"+n, n); err != nil {
			return fmt.Errorf("%s: %w", d.Join(n), err)
		}
	}
	for _, n := range old {
		if !slices.Contains(d.names, n) && CheckName(n) == nil {
			d.root.Remove(n)
		}
	}
	if err := writeManifest(d.root, d.stage, d.names); err != nil {
		return err
	}
	d.release()
	d.created = false
	return nil
}

// Abort discards what was written and releases the folder, removing it
// when Begin created it. It does nothing after Commit.
func (d *Dir) Abort() {
	mu.Lock()
	defer mu.Unlock()
	if d.done {
		return
	}
	d.release()
	d.removeCreated()
}

// release removes the staging folder; mu is held.
func (d *Dir) release() {
	d.done = true
	d.stageLk.Close()
	d.root.RemoveAll(d.stage)
	d.root.Close()
	delete(active, d)
}

func (d *Dir) removeCreated() {
	if d.created {
		os.Remove(d.path) // only when empty
	}
}

// AbortAll aborts every folder being written and stops later commits, so
// that a process about to exit on a signal leaves no partial output. A
// commit in progress finishes first.
func AbortAll() {
	mu.Lock()
	defer mu.Unlock()
	closed = true
	for d := range active {
		d.release()
		d.removeCreated()
	}
	abortFiles()
}

func readManifest(root *os.Root) []string {
	f, err := root.Open(manifestName)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return nil
	}
	return strings.Fields(string(b))
}

func writeManifest(root *os.Root, stage string, names []string) error {
	tmp := stage + "/" + manifestName
	if err := root.WriteFile(tmp, []byte(strings.Join(names, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	return root.Rename(tmp, manifestName)
}

// Slug returns prefix-value as a file name stem that CheckName accepts
// (with room for an extension): value's letters and digits are kept,
// lower-cased, and every other run of characters becomes one '-'. A value
// that did not come through unchanged gets 8 hex digits of its hash, so
// that "Web" and "web", or "a/b" and "a-b", stay apart.
func Slug(prefix, value string) string {
	var b strings.Builder
	dash := false
	for _, r := range value {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
			dash = false
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
		if b.Len() >= 48 {
			break
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" || s != value {
		h := fnv.New32a()
		h.Write([]byte(value))
		if s != "" {
			s += "-"
		}
		s += fmt.Sprintf("%08x", h.Sum32())
	}
	return prefix + "-" + s
}

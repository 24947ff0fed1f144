package outdir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// listing returns the names in dir, sorted, dot files included.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func visible(names []string) []string {
	return slices.DeleteFunc(slices.Clone(names), func(n string) bool { return strings.HasPrefix(n, ".") })
}

func TestCommitReplacesSet(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "out", "forecast")
	d, err := Begin(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a.txt", "b.txt"} {
		if err := d.WriteFile(n, []byte("one "+n)); err != nil {
			t.Fatal(err)
		}
	}
	if got := visible(listing(t, dir)); len(got) != 0 {
		t.Fatalf("before Commit the folder shows %v, want nothing", got)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d.Abort() // no-op after Commit
	os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("user's"), 0o644)

	d, err = Begin(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("b.txt", []byte("two")); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, want := listing(t, dir), []string{".sim-files", "b.txt", "mine.txt"}; !slices.Equal(got, want) {
		t.Errorf("after the second set: %v, want %v (a.txt of the old set removed, the user's file kept)", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "b.txt")); string(b) != "two" {
		t.Errorf("b.txt = %q, want \"two\"", b)
	}
}

func TestAbortLeavesFolderAsItWas(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	dir := filepath.Join(parent, "new")
	d, err := Begin(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("a.txt", []byte("x"))
	d.Abort()
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the folder Begin created is still there after Abort: %v", err)
	}

	old := t.TempDir()
	os.WriteFile(filepath.Join(old, "a.txt"), []byte("old"), 0o644)
	d, err = Begin(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("a.txt", []byte("new"))
	d.Abort()
	if got := listing(t, old); !slices.Equal(got, []string{"a.txt"}) {
		t.Errorf("after Abort: %v, want [a.txt]", got)
	}
	if b, _ := os.ReadFile(filepath.Join(old, "a.txt")); string(b) != "old" {
		t.Errorf("a.txt = %q after Abort, want \"old\"", b)
	}
}

func TestCancelledContextCommitsNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	d, err := Begin(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	d.WriteFile("a.txt", []byte("x"))
	cancel()
	if err := d.WriteFile("b.txt", []byte("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("WriteFile after cancel: %v, want context.Canceled", err)
	}
	if err := d.Commit(); !errors.Is(err, context.Canceled) {
		t.Errorf("Commit after cancel: %v, want context.Canceled", err)
	}
	d.Abort()
	if got := listing(t, dir); len(got) != 0 {
		t.Errorf("folder holds %v, want nothing", got)
	}
}

func TestBeginOnFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, nil, 0o644)
	_, err := Begin(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("Begin on a file: %v, want an error saying it is not a folder", err)
	}
}

func TestNamesStayInside(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	d, err := Begin(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	for _, n := range []string{"", "../x", "/tmp/x", "a/b", `a\b`, ".hidden", "..", ".", "a\x00b", "c:x", "a\nb", strings.Repeat("a", MaxName+1)} {
		if err := d.WriteFile(n, []byte("x")); err == nil {
			t.Errorf("WriteFile(%q) succeeded, want an error", n)
		}
	}
	// A symbolic link planted in the folder does not lead outside.
	os.Symlink(parent, filepath.Join(dir, "link"))
	if err := d.WriteFile("link", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := listing(t, parent); !slices.Equal(got, []string{"out"}) {
		t.Errorf("parent holds %v, want only out", got)
	}
	if st, err := os.Lstat(filepath.Join(dir, "link")); err != nil || !st.Mode().IsRegular() {
		t.Errorf("link is %v, %v; want the written file in place of the link", st, err)
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ prefix, in, want string }{
		{"survival", "mql", "survival-mql"},
		{"arrivals", "web_form", "arrivals-web_form"},
		{"arrivals", "Web", "arrivals-web-" + hash("Web")},
		{"arrivals", "/../../../../tmp/x/ESCAPED", "arrivals-tmp-x-escaped-" + hash("/../../../../tmp/x/ESCAPED")},
		{"deals", "<script>alert(1)</script>", "deals-script-alert-1-script-" + hash("<script>alert(1)</script>")},
		{"deals", "", "deals-" + hash("")},
		{"deals", "..", "deals-" + hash("..")},
		{"deals", "Événements", "deals-v-nements-" + hash("Événements")},
	}
	for _, tt := range tests {
		got := Slug(tt.prefix, tt.in)
		if got != tt.want {
			t.Errorf("Slug(%q, %q) = %q, want %q", tt.prefix, tt.in, got, tt.want)
		}
		if err := CheckName(got + ".png"); err != nil {
			t.Errorf("Slug(%q, %q) = %q: %v", tt.prefix, tt.in, got, err)
		}
	}
	long := Slug("deals", strings.Repeat("x", 10000))
	if len(long) > 80 {
		t.Errorf("Slug of a 10,000-byte name is %d bytes long", len(long))
	}
}

func hash(s string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return fmt.Sprintf("%08x", h)
}

// TestConcurrentCommits runs writers of two different sets into one folder
// at once; the folder ends with one whole set.
func TestConcurrentCommits(t *testing.T) {
	dir := t.TempDir()
	sets := [][]string{{"a.txt", "b.txt", "c.txt"}, {"b.txt", "d.txt"}}
	for round := range 20 {
		var wg sync.WaitGroup
		for i, set := range sets {
			wg.Go(func() {
				d, err := Begin(context.Background(), dir)
				if err != nil {
					t.Error(err)
					return
				}
				defer d.Abort()
				for _, n := range set {
					if err := d.WriteFile(n, []byte(fmt.Sprint(round, i))); err != nil {
						t.Error(err)
						return
					}
				}
				if err := d.Commit(); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		got := visible(listing(t, dir))
		var owner string
		for _, n := range got {
			b, _ := os.ReadFile(filepath.Join(dir, n))
			if owner == "" {
				owner = string(b)
			}
			if string(b) != owner {
				t.Fatalf("round %d: %s holds %q, another file %q: a mixed set", round, n, b, owner)
			}
		}
		if !slices.Equal(got, sets[0]) && !slices.Equal(got, sets[1]) {
			t.Fatalf("round %d: folder holds %v, want one of %v", round, got, sets)
		}
	}
}

// TestStaleStageRemoved checks that a staging folder left by a killed
// process (no lock held) goes at the next Begin, and that a live one stays.
func TestStaleStageRemoved(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".sim-stage-dead"), 0o755)
	os.WriteFile(filepath.Join(dir, ".sim-stage-dead", ".sim.lock"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, ".sim-stage-dead", "half.png"), []byte("half"), 0o644)
	old := time.Now().Add(-time.Minute)
	os.Chtimes(filepath.Join(dir, ".sim-stage-dead"), old, old)
	live, err := Begin(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Abort()
	os.Chtimes(filepath.Join(dir, live.stage), old, old) // old, but locked
	d, err := Begin(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	var stages []string
	for _, n := range listing(t, dir) {
		if strings.HasPrefix(n, stagePrefix) {
			stages = append(stages, n)
		}
	}
	if len(stages) != 2 || slices.Contains(stages, ".sim-stage-dead") || !slices.Contains(stages, live.stage) {
		t.Errorf("staging folders %v, want the two live ones only", stages)
	}
}

func TestAbortAll(t *testing.T) {
	dir := t.TempDir()
	d, err := Begin(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("a.txt", []byte("x"))
	f, err := CreateFile(context.Background(), filepath.Join(dir, "model.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half"))
	AbortAll()
	defer func() { mu.Lock(); closed = false; mu.Unlock() }()
	if err := d.Commit(); err == nil {
		t.Error("Commit after AbortAll succeeded")
	}
	if err := f.Close(); err == nil {
		t.Error("File.Close after AbortAll succeeded")
	}
	if got := listing(t, dir); len(got) != 0 {
		t.Errorf("folder holds %v after AbortAll, want nothing", got)
	}
}

func TestWriteFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "a.txt")
	os.WriteFile(path, []byte("old"), 0o600)
	if err := WriteFile(ctx, path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	if string(b) != "new" || st.Mode().Perm() != 0o644 {
		t.Errorf("got %q mode %v, want \"new\" mode 0644", b, st.Mode().Perm())
	}
	f, err := CreateFile(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half"))
	f.Abort()
	b, _ = os.ReadFile(path)
	if got := listing(t, dir); string(b) != "new" || len(got) != 1 {
		t.Errorf("after Abort: %q and %v, want \"new\" and one file", b, got)
	}
	if _, err := CreateFile(ctx, filepath.Join(dir, "no", "a.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("CreateFile in a missing folder: %v, want not exist", err)
	}
	if _, err := CreateFile(ctx, dir); err == nil {
		t.Error("CreateFile on a folder succeeded")
	}
}

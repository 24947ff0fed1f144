package report

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// stepPath returns a Kaplan–Meier-like step curve of n steps as path
// data, with its points.
func stepPath(n int, seed uint64) (string, [][2]float64) {
	r := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	var pts [][2]float64
	x, y := 60.0, 240.0
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
	add := func(cmd string) {
		b.WriteString(cmd + f(x) + "," + f(y))
		px, _ := strconv.ParseFloat(f(x), 64)
		py, _ := strconv.ParseFloat(f(y), 64)
		pts = append(pts, [2]float64{px, py})
	}
	add("M")
	for range n {
		x += r.ExpFloat64() * 500 / float64(n)
		add("L")
		y -= r.ExpFloat64() * 90 / float64(n)
		add("L")
	}
	return b.String(), pts
}

// distance returns the distance from p to the polyline q.
func distance(p [2]float64, q [][2]float64) float64 {
	d := math.Inf(1)
	for i := 1; i < len(q); i++ {
		d = math.Min(d, segmentDistance(p, q[i-1], q[i]))
	}
	return d
}

// TestThinPathData thins step curves: the ends stay, every original point
// lies within the tolerance of the thinned curve, the points kept are
// written as they were, and the path shrinks.
func TestThinPathData(t *testing.T) {
	for _, n := range []int{10, 2000, 30000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			d, pts := stepPath(n, uint64(n))
			th, ok := thinPathData(d, PathTolerance)
			if !ok {
				t.Fatal("not thinned")
			}
			_, kept := stepPathPoints(t, th)
			if kept[0] != pts[0] || kept[len(kept)-1] != pts[len(pts)-1] {
				t.Errorf("ends moved: %v %v, want %v %v", kept[0], kept[len(kept)-1], pts[0], pts[len(pts)-1])
			}
			worst := 0.0
			for i, p := range pts {
				if n > 2000 && i%7 != 0 {
					continue // a sample of the points suffices
				}
				worst = math.Max(worst, distance(p, kept))
			}
			if worst > PathTolerance+1e-9 {
				t.Errorf("a point lies %.3g from the thinned curve, want at most %g", worst, PathTolerance)
			}
			if n >= 2000 && len(th) > len(d)/4 {
				t.Errorf("thinned %d bytes to %d, want a quarter or less", len(d), len(th))
			}
			t.Logf("%d points, %d bytes -> %d points, %d bytes", len(pts), len(d), len(kept), len(th))
		})
	}
}

func stepPathPoints(t *testing.T, d string) ([]string, [][2]float64) {
	t.Helper()
	cmds := strings.Split(strings.TrimPrefix(d, "M"), "L")
	var pts [][2]float64
	for _, c := range cmds {
		xs, ys, _ := strings.Cut(c, ",")
		x, err1 := strconv.ParseFloat(xs, 64)
		y, err2 := strconv.ParseFloat(ys, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad point %q", c)
		}
		pts = append(pts, [2]float64{x, y})
	}
	return cmds, pts
}

// TestThinPathsLeavesOthers: paths with curves or relative commands, and
// short ones, are left as they are; subpaths and a closing Z survive.
func TestThinPathsLeavesOthers(t *testing.T) {
	long, _ := stepPath(3000, 3)
	for _, tt := range []struct{ name, in string }{
		{"short", `<path d="M1,2L3,4L5,6"/>`},
		{"curve", `<path d="M1,2C` + strings.Repeat("3,4 5,6 7,8 ", 500) + `"/>`},
		{"relative", `<path d="M1,2l` + strings.Repeat("3,4l", 1500) + `1,1"/>`},
	} {
		if got := thinPaths(tt.in); got != tt.in {
			t.Errorf("%s: changed to %.80q", tt.name, got)
		}
	}
	in := `<path d="` + long + `M10,10L20,20Z"/>`
	got := thinPaths(in)
	if !strings.HasSuffix(got, `M10,10L20,20Z"/>`) || len(got) >= len(in) {
		t.Errorf("two subpaths and Z: got %d bytes ending %q", len(got), got[max(0, len(got)-30):])
	}
}

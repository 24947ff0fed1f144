package report

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// pathData matches the data of an SVG path; those shorter than
// minThin bytes are not worth thinning.
var pathData = regexp.MustCompile(`\sd="([^"]*)"`)

const minThin = 4096

// PathTolerance is how far, in the chart's user units (about a pixel at
// the report's width), a thinned path may stray from the original.
const PathTolerance = 0.2

// thinPaths returns svg with every long polyline path (absolute M and L
// commands, an optional Z) thinned by thinPolyline to within PathTolerance:
// a Kaplan–Meier curve of 60,000 steps is drawn with a few thousand
// points, which look the same and weigh a hundredth. Paths of other
// commands are left as they are.
func thinPaths(svg string) string {
	return pathData.ReplaceAllStringFunc(svg, func(m string) string {
		d := pathData.FindStringSubmatch(m)[1]
		if len(d) < minThin {
			return m
		}
		t, ok := thinPathData(d, PathTolerance)
		if !ok {
			return m
		}
		return ` d="` + t + `"`
	})
}

// thinPathData thins d, SVG path data of absolute M and L commands with
// comma-separated coordinates (as gonum/plot writes them), each subpath
// on its own; false when d holds anything else.
func thinPathData(d string, eps float64) (string, bool) {
	closed := strings.HasSuffix(d, "Z")
	body := strings.TrimSuffix(d, "Z")
	if body == "" || body[0] != 'M' || strings.ContainsAny(body, "HhVvCcSsQqTtAaZzml ") {
		return "", false
	}
	var out strings.Builder
	for _, sub := range strings.Split(body[1:], "M") {
		cmds := strings.Split(sub, "L")
		pts := make([][2]float64, len(cmds))
		for i, c := range cmds {
			xs, ys, ok := strings.Cut(c, ",")
			x, err1 := strconv.ParseFloat(xs, 64)
			y, err2 := strconv.ParseFloat(ys, 64)
			if !ok || err1 != nil || err2 != nil {
				return "", false
			}
			pts[i] = [2]float64{x, y}
		}
		keep := thinPolyline(pts, eps)
		out.WriteString("M")
		first := true
		for i, k := range keep {
			if !k {
				continue
			}
			if !first {
				out.WriteString("L")
			}
			first = false
			out.WriteString(cmds[i]) // the point as written: no precision lost
		}
	}
	if closed {
		out.WriteString("Z")
	}
	return out.String(), true
}

// thinPolyline returns which points of the polyline pts to keep so that
// the kept ones stay within eps of every point dropped
// (Ramer–Douglas–Peucker): the ends are always kept.
func thinPolyline(pts [][2]float64, eps float64) []bool {
	keep := make([]bool, len(pts))
	if len(pts) == 0 {
		return keep
	}
	keep[0], keep[len(pts)-1] = true, true
	type span struct{ i, j int }
	stack := []span{{0, len(pts) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.j-s.i < 2 {
			continue
		}
		a, b := pts[s.i], pts[s.j]
		far, at := -1.0, -1
		for k := s.i + 1; k < s.j; k++ {
			if d := segmentDistance(pts[k], a, b); d > far {
				far, at = d, k
			}
		}
		if far > eps {
			keep[at] = true
			stack = append(stack, span{s.i, at}, span{at, s.j})
		}
	}
	return keep
}

// segmentDistance returns the distance from p to the segment from a to b.
func segmentDistance(p, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	}
	return math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
}

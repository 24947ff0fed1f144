package render

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Margin is the blank border Encode and Save leave around a chart.
const Margin = 8 * vg.Millimeter / 2

// Encode draws p on a w × h canvas, inside a blank Margin, and writes it to dst in the given format,
// "png" (at DPI dots per inch) or "svg" (with its fonts embedded, so that it
// looks the same everywhere). A zero w or h means Width or Height.
func Encode(dst io.Writer, p *plot.Plot, w, h vg.Length, format string) error {
	if w == 0 {
		w = Width
	}
	if h == 0 {
		h = Height
	}
	var c vg.CanvasWriterTo
	switch strings.ToLower(format) {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))}
	case "svg":
		c = vgsvg.NewWith(vgsvg.UseWH(w, h), vgsvg.EmbedFonts(true))
	default:
		return fmt.Errorf("render: unsupported image format %q (want png or svg)", format)
	}
	dc := draw.New(c)
	p.Draw(draw.Crop(dc, Margin, -Margin, Margin, -Margin))
	_, err := c.WriteTo(dst)
	return err
}

// Save writes p as a w × h image to path, as PNG or SVG according to the
// extension of path (".png" or ".svg", in any case); see Encode. It writes
// atomically: the image goes to a temporary file in the same directory,
// which is synced and then renamed to path, so that readers see either the
// old file or the complete new one. The temporary file is removed on error.
func Save(p *plot.Plot, w, h vg.Length, path string) error {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if format != "png" && format != "svg" {
		return fmt.Errorf("render: cannot save %s: unsupported extension %q (want .png or .svg)", path, filepath.Ext(path))
	}
	f, err := outdir.CreateFile(context.Background(), path)
	if err != nil {
		return fmt.Errorf("render: saving chart: %w", err)
	}
	if err := Encode(f, p, w, h, format); err != nil {
		f.Abort()
		return fmt.Errorf("render: saving chart to %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("render: saving chart to %s: %w", path, err)
	}
	return nil
}

package report

import (
	"bytes"
	"errors"
	"html"
	"regexp"
	"strings"
)

var (
	svgOpen   = regexp.MustCompile(`(?s)<svg\b[^>]*>`)
	xmlnsAttr = regexp.MustCompile(`\s+xmlns(:\w+)?="[^"]*"`)
	sizeAttr  = regexp.MustCompile(`\s+(width|height)="[^"]*"`)
	styleElem = regexp.MustCompile(`(?s)<style>(.*?)</style>`)
	fontFace  = regexp.MustCompile(`(?s)@font-face\s*\{.*?\}`)
	emptyDefs = regexp.MustCompile(`(?s)<defs>\s*</defs>`)
	comment   = regexp.MustCompile(`(?s)<!--.*?-->`)
)

// fontSet collects the @font-face rules of the inlined charts, once each.
type fontSet struct {
	seen  map[string]bool
	rules []string
}

func newFontSet() *fontSet { return &fontSet{seen: map[string]bool{}} }

func (f *fontSet) add(rule string) {
	if !f.seen[rule] {
		f.seen[rule] = true
		f.rules = append(f.rules, rule)
	}
}

func (f *fontSet) css() string { return strings.Join(f.rules, "\n") }

// InlineSVG returns svg, an SVG document as render.Encode writes it, as an
// element for an HTML page: without the XML prolog, comments and namespace
// declarations (HTML puts <svg> in the SVG namespace by itself), without
// fixed width and height (the viewBox keeps the aspect ratio while the page
// sizes it), labelled with title for screen readers, and with its
// @font-face rules moved to fonts, which the page declares once: every
// chart embeds the same fonts, a megabyte each. A nil fonts leaves the
// style element in place.
func InlineSVG(svg []byte, title string, fonts *fontSet) (string, error) {
	start := bytes.Index(svg, []byte("<svg"))
	end := bytes.LastIndex(svg, []byte("</svg>"))
	if start < 0 || end < start {
		return "", errors.New("not an SVG image")
	}
	s := string(svg[start : end+len("</svg>")])
	open := svgOpen.FindString(s)
	if !strings.Contains(open, "viewBox") {
		return "", errors.New("SVG image without a viewBox")
	}
	tag := xmlnsAttr.ReplaceAllString(open, "")
	tag = sizeAttr.ReplaceAllString(tag, "")
	tag = strings.TrimSuffix(tag, ">") + ` role="img" aria-label="` + html.EscapeString(title) + `">`
	s = tag + s[len(open):]
	if fonts != nil {
		s = styleElem.ReplaceAllStringFunc(s, func(m string) string {
			for _, r := range fontFace.FindAllString(m, -1) {
				fonts.add(r)
			}
			rest := strings.TrimSpace(fontFace.ReplaceAllString(styleElem.FindStringSubmatch(m)[1], ""))
			if rest == "" {
				return ""
			}
			return "<style>" + rest + "</style>"
		})
		s = emptyDefs.ReplaceAllString(s, "")
	}
	s = comment.ReplaceAllString(s, "")
	return s, nil
}

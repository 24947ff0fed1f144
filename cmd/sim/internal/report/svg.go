package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
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

// fontSrc is the src of an embedded font face.
var fontSrc = regexp.MustCompile(`(?s)src:\s*url\(data:[^)]*\)[^;]*;`)

// localFonts is what the page asks of the reader's machine instead of
// embedding the charts' font: Liberation Sans, or one with its metrics
// (Arial and Helvetica, for which it was designed as a stand-in, and
// Arimo), so that labels keep the widths the charts were laid out with.
// Embedding it would cost a megabyte a face.
// local() matches a face by its full or PostScript name, so the bold face
// names the bold fonts (localBoldFonts): the regular names would draw bold
// titles in regular type.
const (
	localFonts     = `src: local("Liberation Sans"), local("LiberationSans"), local("Arial"), local("ArialMT"), local("Helvetica"), local("Arimo");`
	localBoldFonts = `src: local("Liberation Sans Bold"), local("LiberationSans-Bold"), local("Arial Bold"), local("Arial-BoldMT"), local("Helvetica Bold"), local("Helvetica-Bold"), local("Arimo Bold"), local("Arimo-Bold");`
)

// fontBold matches the weight of a bold @font-face rule.
var fontBold = regexp.MustCompile(`font-weight:\s*(bold|[6-9]00)`)

// add records the @font-face rule, with its embedded data replaced by
// localFonts (localBoldFonts for a bold face), once.
func (f *fontSet) add(rule string) {
	src := localFonts
	if fontBold.MatchString(rule) {
		src = localBoldFonts
	}
	rule = fontSrc.ReplaceAllLiteralString(rule, src)
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
// @font-face rules moved to fonts, which the page declares once, without
// the embedded data (see localFonts): every chart embeds the same fonts, a
// megabyte each. Long polylines are thinned to what the page can show
// (thinPaths). A nil fonts leaves the style element in place. It
// returns an error unless svg holds only chart markup (see checkSVG).
func InlineSVG(svg []byte, title string, fonts *fontSet) (string, error) {
	if err := checkSVG(svg); err != nil {
		return "", err
	}
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
	return thinPaths(s), nil
}

// svgElements are the elements a chart may hold: those gonum/plot's SVG
// canvas writes, and a few plain shapes.
var svgElements = map[string]bool{
	"svg": true, "g": true, "path": true, "text": true, "tspan": true, "defs": true, "style": true,
	"rect": true, "circle": true, "ellipse": true, "line": true, "polyline": true, "polygon": true,
	"clipPath": true, "title": true, "desc": true,
}

// checkSVG returns an error unless svg holds only chart markup: the
// elements of svgElements, no event-handler attributes, no links other
// than to fragments of the document, and style sheets without markup,
// imports or scripts. A folder given to 'sim report' may come from
// anyone; its SVG files are inlined in the page, so they must not carry
// anything that runs.
func checkSVG(svg []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = true
	inStyle := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("not a well-formed SVG image: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !svgElements[t.Name.Local] {
				return fmt.Errorf("SVG element <%s> is not chart markup", t.Name.Local)
			}
			for _, a := range t.Attr {
				name, val := strings.ToLower(a.Name.Local), strings.ToLower(a.Value)
				switch {
				case strings.HasPrefix(name, "on"):
					return fmt.Errorf("SVG attribute %s is an event handler", a.Name.Local)
				case name == "href" && !strings.HasPrefix(val, "#"):
					return fmt.Errorf("SVG link %q leaves the image", a.Value)
				case strings.Contains(val, "javascript:") || strings.Contains(val, "url(") && !strings.Contains(val, "url(#"):
					return fmt.Errorf("SVG attribute %s=%q refers outside the image", a.Name.Local, a.Value)
				}
			}
			inStyle = t.Name.Local == "style"
		case xml.EndElement:
			inStyle = false
		case xml.CharData:
			if inStyle {
				css := strings.ToLower(string(t))
				for _, bad := range []string{"<", "@import", "javascript:", "expression(", "behavior:", "-moz-binding"} {
					if strings.Contains(css, bad) {
						return fmt.Errorf("SVG style sheet holds %q", bad)
					}
				}
				for rest := css; ; {
					i := strings.Index(rest, "url(")
					if i < 0 {
						break
					}
					rest = strings.TrimLeft(rest[i+len("url("):], " '\"")
					if !strings.HasPrefix(rest, "data:font/") && !strings.HasPrefix(rest, "#") {
						return errors.New("SVG style sheet loads a resource from outside the image")
					}
				}
			}
		case xml.ProcInst:
			if t.Target != "xml" {
				return fmt.Errorf("SVG processing instruction <?%s?>", t.Target)
			}
		case xml.Directive:
			return errors.New("SVG holds a <!...> declaration")
		}
	}
}

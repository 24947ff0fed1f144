package data

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding is the character encoding a file was read in. Every reader
// detects it from the file's first bytes (see DetectEncoding) and decodes
// the file to UTF-8; Report.Encodings records it per file.
type Encoding int

// Encodings. The zero value is UTF8.
const (
	UTF8        Encoding = iota // UTF-8 without a byte order mark (plain ASCII included)
	UTF8BOM                     // UTF-8 with a byte order mark (Data Loader, Excel's "CSV UTF-8")
	Windows1252                 // Windows-1252 (Salesforce Data Export, Excel's "CSV"), decoded to UTF-8
	UTF16LE                     // UTF-16, little-endian, with a byte order mark (Excel's "Unicode Text")
	UTF16BE                     // UTF-16, big-endian, with a byte order mark
)

// String returns "UTF-8", "UTF-8 with BOM", "Windows-1252", "UTF-16LE" or
// "UTF-16BE".
func (e Encoding) String() string {
	switch e {
	case UTF8:
		return "UTF-8"
	case UTF8BOM:
		return "UTF-8 with BOM"
	case Windows1252:
		return "Windows-1252"
	case UTF16LE:
		return "UTF-16LE"
	case UTF16BE:
		return "UTF-16BE"
	}
	return fmt.Sprintf("Encoding(%d)", int(e))
}

// sniffBytes is how much of a file DetectEncoding looks at.
const sniffBytes = 256 << 10

// DetectEncoding reads the start of r (up to 256 KiB) and returns a
// reader of the whole of r decoded to UTF-8, with the encoding found:
// a UTF-8 byte order mark gives UTF8BOM (the mark is left for the CSV
// layer to drop); a UTF-16 mark gives UTF16LE or UTF16BE (decoded, mark
// dropped); bytes that are valid UTF-8 give UTF8; anything else is
// Windows1252, the code page of Excel and of Salesforce's Data Export.
// Windows-1252 decodes every byte, so a binary file comes out as text
// full of control characters, which the readers reject.
//
// A file sniffed as UTF8 may still hold invalid UTF-8 after the first
// 256 KiB: the table layer reads such a row as Windows-1252 and counts
// it in a warning (a file sniffed as UTF8BOM rejects it instead).
func DetectEncoding(r io.Reader) (io.Reader, Encoding) {
	br := bufio.NewReaderSize(r, sniffBytes)
	head, _ := br.Peek(sniffBytes) // a read error comes back from br's next Read
	full := len(head) == sniffBytes
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		return br, UTF8BOM
	case bytes.HasPrefix(head, []byte("\xff\xfe")):
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), UTF16LE
	case bytes.HasPrefix(head, []byte("\xfe\xff")):
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), UTF16BE
	}
	if full {
		// The peek may cut a rune in two: drop an incomplete last rune.
		for k := 1; k <= 3 && k <= len(head); k++ {
			if utf8.RuneStart(head[len(head)-k]) {
				if !utf8.FullRune(head[len(head)-k:]) {
					head = head[:len(head)-k]
				}
				break
			}
		}
	}
	if utf8.Valid(head) {
		return br, UTF8
	}
	return charmap.Windows1252.NewDecoder().Reader(br), Windows1252
}

// decode1252 decodes s, bytes in Windows-1252, to UTF-8.
func decode1252(s string) string {
	out, err := charmap.Windows1252.NewDecoder().String(s)
	if err != nil {
		return s // Windows-1252 decodes every byte; not reached
	}
	return out
}

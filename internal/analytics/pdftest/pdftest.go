// Package pdftest reads PDF files in tests: their bytes with the Flate
// streams inflated, so the printed text and image dictionaries can be searched.
package pdftest

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
)

var streamRE = regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`)

// Text returns the PDF's bytes followed by every Flate stream inflated.
func Text(pdf []byte) string {
	var b bytes.Buffer
	b.Write(pdf)
	for _, m := range streamRE.FindAllSubmatch(pdf, -1) {
		if r, err := zlib.NewReader(bytes.NewReader(m[1])); err == nil {
			data, _ := io.ReadAll(r)
			b.Write(data)
		}
	}
	return b.String()
}

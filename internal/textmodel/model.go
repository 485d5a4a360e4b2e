package textmodel

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
)

// Model is a linear model over hashed features: one weight per feature
// bucket and label, quantised to 8 bits with one scale, and one bias per label.
type Model struct {
	Labels []string
	// Multi is one logistic per label (a text has a set of labels); otherwise
	// the labels are exclusive and scored with a softmax.
	Multi bool
	Bits  uint8
	scale float32
	bias  []float32
	w     []int8 // bucket-major: w[bucket*len(Labels)+label]
}

const magic = "RTM1"

// MaxLabels bounds the labels of one model (the scorer keeps scores on the stack).
const MaxLabels = 16

// ScoreBag writes the raw score of every label for a bag's features into out.
func (m *Model) ScoreBag(b *Bag, out []float32) {
	n := len(m.Labels)
	mask := uint32(1)<<m.Bits - 1
	var text, rules [MaxLabels]int32
	for _, h := range b.h[:b.text] {
		row := m.w[int(h&mask)*n:][:n]
		for c, q := range row {
			text[c] += int32(q)
		}
	}
	for _, h := range b.h[b.text:b.n] {
		row := m.w[int(h&mask)*n:][:n]
		for c, q := range row {
			rules[c] += int32(q)
		}
	}
	v := b.textValue()
	for c := range n {
		out[c] = m.bias[c] + m.scale*(float32(text[c])*v+float32(rules[c]))
	}
}

// Probabilities turns scores into probabilities in place: a softmax for exclusive labels, a
// logistic per label otherwise.
func (m *Model) Probabilities(s []float32) {
	if m.Multi {
		for i, z := range s {
			s[i] = float32(1 / (1 + math.Exp(-float64(z))))
		}
		return
	}
	mx := s[0]
	for _, z := range s[1:] {
		mx = max(mx, z)
	}
	var sum float64
	for i, z := range s {
		e := math.Exp(float64(z - mx))
		s[i] = float32(e)
		sum += e
	}
	for i := range s {
		s[i] = float32(float64(s[i]) / sum)
	}
}

// MarshalBinary writes the model uncompressed: header, labels, scale, biases, then the
// non-zero rows as (bucket delta, weights).
func (m *Model) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(magic)
	multi := byte(0)
	if m.Multi {
		multi = 1
	}
	b.Write([]byte{m.Bits, multi, byte(len(m.Labels))})
	for _, l := range m.Labels {
		b.WriteByte(byte(len(l)))
		b.WriteString(l)
	}
	var tmp [binary.MaxVarintLen64]byte
	put32 := func(f float32) {
		binary.LittleEndian.PutUint32(tmp[:4], math.Float32bits(f))
		b.Write(tmp[:4])
	}
	put32(m.scale)
	for _, x := range m.bias {
		put32(x)
	}
	n := len(m.Labels)
	rows := 0
	for r := 0; r < 1<<m.Bits; r++ {
		if !zero(m.w[r*n : (r+1)*n]) {
			rows++
		}
	}
	b.Write(tmp[:binary.PutUvarint(tmp[:], uint64(rows))])
	last := -1
	for r := 0; r < 1<<m.Bits; r++ {
		row := m.w[r*n : (r+1)*n]
		if zero(row) {
			continue
		}
		b.Write(tmp[:binary.PutUvarint(tmp[:], uint64(r-last))])
		for _, q := range row {
			b.WriteByte(byte(q))
		}
		last = r
	}
	return b.Bytes(), nil
}

func zero(row []int8) bool {
	for _, q := range row {
		if q != 0 {
			return false
		}
	}
	return true
}

// UnmarshalBinary reads what MarshalBinary wrote.
func (m *Model) UnmarshalBinary(data []byte) error {
	r := bytes.NewReader(data)
	head := make([]byte, len(magic)+3)
	if _, err := io.ReadFull(r, head); err != nil || string(head[:len(magic)]) != magic {
		return errors.New("textmodel: not a model")
	}
	m.Bits, m.Multi = head[4], head[5] == 1
	n := int(head[6])
	if m.Bits < 4 || m.Bits > 24 || n == 0 || n > MaxLabels {
		return fmt.Errorf("textmodel: bad header (%d bits, %d labels)", m.Bits, n)
	}
	m.Labels = make([]string, n)
	for i := range m.Labels {
		l, err := r.ReadByte()
		if err != nil {
			return errors.New("textmodel: truncated labels")
		}
		s := make([]byte, l)
		if _, err := io.ReadFull(r, s); err != nil {
			return errors.New("textmodel: truncated labels")
		}
		m.Labels[i] = string(s)
	}
	var tmp [4]byte
	get32 := func() (float32, error) {
		_, err := io.ReadFull(r, tmp[:])
		return math.Float32frombits(binary.LittleEndian.Uint32(tmp[:])), err
	}
	var err error
	if m.scale, err = get32(); err != nil {
		return errors.New("textmodel: truncated scale")
	}
	m.bias = make([]float32, n)
	for i := range m.bias {
		if m.bias[i], err = get32(); err != nil {
			return errors.New("textmodel: truncated biases")
		}
	}
	rows, err := binary.ReadUvarint(r)
	if err != nil || rows > 1<<m.Bits {
		return errors.New("textmodel: bad row count")
	}
	m.w = make([]int8, (1<<m.Bits)*n)
	at := -1
	for range rows {
		d, err := binary.ReadUvarint(r)
		if err != nil || d == 0 || d > 1<<m.Bits {
			return errors.New("textmodel: bad row index")
		}
		at += int(d)
		if at >= 1<<m.Bits {
			return errors.New("textmodel: bad row index")
		}
		for c := range n {
			q, err := r.ReadByte()
			if err != nil {
				return errors.New("textmodel: truncated weights")
			}
			m.w[at*n+c] = int8(q)
		}
	}
	if r.Len() != 0 {
		return errors.New("textmodel: trailing bytes")
	}
	return nil
}

// Compress deflates a marshalled model for embedding.
func Compress(raw []byte) []byte {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	_, _ = w.Write(raw)
	_ = w.Close()
	return b.Bytes()
}

// Decompress inflates an embedded model.
func Decompress(z []byte) ([]byte, error) {
	return io.ReadAll(flate.NewReader(bytes.NewReader(z)))
}

// Load inflates and reads an embedded model.
func Load(z []byte) (*Model, error) {
	raw, err := Decompress(z)
	if err != nil {
		return nil, fmt.Errorf("textmodel: inflate: %w", err)
	}
	m := new(Model)
	if err := m.UnmarshalBinary(raw); err != nil {
		return nil, err
	}
	return m, nil
}

// Embedded returns a loader for a package's embedded weights, read on first use; it
// yields nil when data is empty (no model: the rules decide alone) and panics on a
// corrupt file, which TestEmbeddedModel would have caught.
func Embedded(pkg string, data []byte) func() *Model {
	return sync.OnceValue(func() *Model {
		if len(data) == 0 {
			return nil
		}
		m, err := Load(data)
		if err != nil {
			panic(pkg + ": embedded model: " + err.Error())
		}
		return m
	})
}

// SameAsTrained reports whether embedded (deflated) holds exactly what train makes of the
// brand corpus in dir minus the held-out rounds.
func SameAsTrained(dir string, embedded []byte, train func([]BrandRow) *Model) error {
	rows, err := TrainingRows(dir)
	if err != nil {
		return err
	}
	want, err := train(rows).MarshalBinary()
	if err != nil {
		return err
	}
	got, err := Decompress(embedded)
	if err != nil {
		return err
	}
	if !bytes.Equal(want, got) {
		return errors.New("textmodel: embedded model differs from the trainer's output: run go generate ./internal/sentiment")
	}
	return nil
}

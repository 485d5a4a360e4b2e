package textmodel

import "testing"

// benchTexts are brand comments of 50–80 characters.
var benchTexts = []string{
	"Ordered two weeks ago and the parcel is still not here, any news please?",
	"Le manteau est magnifique et la livraison a été super rapide, merci !",
	"Rückerstattung seit drei Wochen nicht da, niemand antwortet auf Mails",
	"obsessed with the new colours 😍😍 need the green one asap",
}

func BenchmarkAddText(b *testing.B) {
	var bag Bag
	i := 0
	for b.Loop() {
		bag.AddText(benchTexts[i%len(benchTexts)], "en")
		i++
	}
	b.ReportMetric(float64(bag.n), "features")
}

func benchModel(labels int) *Model {
	m := &Model{Labels: make([]string, labels), Bits: 16, scale: 0.01, bias: make([]float32, labels), w: make([]int8, labels<<16)}
	for i := range m.w {
		m.w[i] = int8(i * 7)
	}
	return m
}

func BenchmarkScoreBag(b *testing.B) {
	for _, n := range []int{3, 11} {
		m := benchModel(n)
		bags := make([]Bag, len(benchTexts))
		for i, t := range benchTexts {
			bags[i].AddText(t, "en")
		}
		b.Run(string(rune('0'+n/10))+string(rune('0'+n%10)), func(b *testing.B) {
			var s [MaxLabels]float32
			i := 0
			for b.Loop() {
				m.ScoreBag(&bags[i%len(bags)], s[:n])
				i++
			}
		})
	}
}

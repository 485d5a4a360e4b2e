package textmodel

import "testing"

var benchTexts = []string{
	"Love the new autumn coat, the fabric is so soft and it fits perfectly, thanks!!",
	"Still waiting for my refund after three weeks, nobody answers my emails. Awful",
	"La livraison a pris deux semaines et le pull est arrivé abîmé, très déçue 😡",
	"Die Jacke ist mega bequem und sieht super aus, danke für die schnelle Lieferung",
	"Is the wool jumper available in a size 12 or only in the smaller sizes online?",
	"Trop beau ce manteau, je l'ai reçu hier et je ne le quitte plus, merci beaucoup",
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

package sentiment

import (
	"io"
	"strings"
	"testing"
	"time"
)

// benchComments are typical brand comments of about 80 characters.
var benchComments = []string{
	"Love the new autumn coat, the fabric is so soft and it fits perfectly, thanks!!",
	"Still waiting for my refund after three weeks, nobody answers my emails. Awful",
	"La livraison a pris deux semaines et le pull est arrivé abîmé, très déçue 😡",
	"Die Jacke ist mega bequem und sieht super aus, danke für die schnelle Lieferung",
	"Is the wool jumper available in a size 12 or only in the smaller sizes online?",
	"Trop beau ce manteau, je l'ai reçu hier et je ne le quitte plus, merci beaucoup",
}

// reportThroughput adds comments per wall-clock second and per CPU second;
// run with -cpu 1 so the process CPU time is one core's.
func reportThroughput(b *testing.B, cpuStart time.Duration) {
	n := float64(b.N)
	b.ReportMetric(n/b.Elapsed().Seconds(), "comments/s")
	if cpu := processCPU() - cpuStart; cpu > 0 {
		b.ReportMetric(n/cpu.Seconds(), "comments/cpu-s")
	}
}

func BenchmarkAnalyze(b *testing.B) { benchTagged(b, Analyze) }

// BenchmarkAnalyzeRules is BenchmarkAnalyze without the learned layer, to show its cost.
func BenchmarkAnalyzeRules(b *testing.B) {
	benchTagged(b, func(text, hint string) Result { return AnalyzeModel(nil, text, hint) })
}

// benchTagged runs analyze over benchComments with the language hint given, as the network's tag usually is.
func benchTagged(b *testing.B, analyze func(text, hint string) Result) {
	hints := []string{"en", "en", "fr", "de", "en", "fr"}
	b.ReportAllocs()
	i := 0
	cpu := processCPU()
	for b.Loop() {
		k := i % len(benchComments)
		analyze(benchComments[k], hints[k])
		i++
	}
	reportThroughput(b, cpu)
}

func BenchmarkAnalyzeDetect(b *testing.B) {
	b.ReportAllocs()
	i := 0
	cpu := processCPU()
	for b.Loop() {
		Analyze(benchComments[i%len(benchComments)], "")
		i++
	}
	reportThroughput(b, cpu)
}

func BenchmarkRunCLI(b *testing.B) {
	input := strings.Repeat(strings.Join(benchComments, "\n")+"\n", 100)
	b.SetBytes(int64(len(input)))
	for b.Loop() {
		if err := RunCLI(strings.NewReader(input), io.Discard, "auto"); err != nil {
			b.Fatal(err)
		}
	}
}

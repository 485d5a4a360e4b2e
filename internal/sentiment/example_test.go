package sentiment_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/relais/relais/internal/sentiment"
)

func ExampleAnalyze() {
	r := sentiment.Analyze("Love the colour but the zip broke after a week 😡", "")
	fmt.Printf("%s %.2f %s\n", r.Label, r.Compound, r.Lang)
	for _, d := range r.Drivers {
		fmt.Printf("%s %+.2f\n", d.Word, d.Valence)
	}
	// Output:
	// negative -0.93 en
	// Love +1.60
	// broke -2.70
	// 😡 -3.60
	// (complaint) -2.48
}

func ExampleAnalyze_networkTag() {
	// A Mastodon status tagged "fr-CA" is scored with the French data.
	r := sentiment.Analyze("Livraison super rapide, merci !", "fr-CA")
	fmt.Println(r.Label, r.Lang)
	// Output:
	// positive fr
}

func ExampleDetectLanguage() {
	fmt.Println(sentiment.DetectLanguage("Die Jacke ist leider schon kaputt", ""))
	fmt.Println(sentiment.DetectLanguage("La veste est déjà abîmée", ""))
	fmt.Println(sentiment.DetectLanguage("La chaqueta ya está rota", ""))
	// Output:
	// de
	// fr
	// other
}

func ExampleRunCLI() {
	in := strings.NewReader("Great service, thank you!\nLe colis est arrivé abîmé\n")
	if err := sentiment.RunCLI(in, os.Stdout, "auto"); err != nil {
		fmt.Println(err)
	}
	// Output:
	// positive	0.8016	en
	// negative	-0.6570	fr
}

package coach_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/relais/relais/internal/coach"
)

func ExampleAnalyze() {
	rep := coach.Analyze(coach.Draft{
		Text:     "Enfin ! La nouvelle collection arrive 😍 -20 % avec le code LUNE20. Partagez-la avec vos amies ! Laquelle préférez-vous ? #MaisonLune",
		Media:    1,
		Channels: 3,
	})
	fmt.Println(rep.Lang, rep.Score)
	for _, r := range rep.Rules {
		fmt.Println(r.Rule, r.Score)
	}
	// Output:
	// fr 89
	// enthusiasm 100
	// easy_to_share 77
	// reward 100
	// share_actively 80
	// invite_sharing 90
}

func ExampleRunCLI() {
	err := coach.RunCLI(strings.NewReader("Neue Jacken sind da."), os.Stdout, "de", 0, 1)
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// {
	//   "score": 22,
	//   "lang": "de",
	//   "rules": [
	//     {
	//       "rule": "enthusiasm",
	//       "score": 30,
	//       "evidence": [
	//         "Stimmung 0.00 (neutral)",
	//         "aktivierende Wörter: neue"
	//       ],
	//       "suggestion": "Der Text ist rein informativ; ergänze ein Gefühlswort („endlich“, „wir lieben“) oder ein Emoji wie 😍."
	//     },
	//     {
	//       "rule": "easy_to_share",
	//       "score": 55,
	//       "evidence": [
	//         "kein Bild oder Video angehängt",
	//         "Lesbarkeit Amstad 103 (Ziel ≥ 60)"
	//       ],
	//       "suggestion": "Hänge ein Bild oder ein kurzes Video an: visuelle Posts werden öfter geteilt."
	//     },
	//     {
	//       "rule": "reward",
	//       "score": 0,
	//       "evidence": [],
	//       "suggestion": "Belohne dein Publikum: eine exklusive Vorschau, früher Zugang oder ein Code wie WILLKOMMEN10."
	//     },
	//     {
	//       "rule": "share_actively",
	//       "score": 25,
	//       "evidence": [
	//         "auf 1 Kanal/Kanälen geplant"
	//       ],
	//       "suggestion": "Plane den Beitrag auf mindestens zwei Kanälen, mit einer Variante pro Netzwerk."
	//     },
	//     {
	//       "rule": "invite_sharing",
	//       "score": 0,
	//       "evidence": [],
	//       "suggestion": "Lade mit eigenen Worten zum Teilen ein: „teile es mit deinen Freunden“, „speichere es dir“."
	//     }
	//   ]
	// }
}

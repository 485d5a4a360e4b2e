package sentiment

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEighthRoundShapes holds one sentence per mechanism of shapes.go, written for this
// test (none is from a labelled set), and the cases each must leave alone.
func TestEighthRoundShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, lang, text string
		want             Label
	}{
		{"contact attempts counted", "en", "Rang your hotline 6 times this week about the coat", Negative},
		{"contact attempts counted (de)", "de", "Hab fünfmal angerufen wegen der Jacke", Negative},
		{"contact counted with praise stays praise", "en", "Emailed 2 times and they were lovely both times", Positive},
		{"promise contradicted", "en", "They told me 48 hours for the exchange. Day 9 today.", Negative},
		{"promise contradicted (fr)", "fr", "On m'avait promis un échange sous 48h. Toujours rien.", Negative},
		{"refusal to come back", "en", "I won't be coming back to this shop", Negative},
		{"refusal to come back (fr)", "fr", "Vous ne me reverrez pas en boutique", Negative},
		{"refusal to buy again (de)", "de", "Bei euch kaufe ich nicht mehr", Negative},
		{"eager to come back is praise", "en", "Can't wait to be back in the Paris store, loved it", Positive},
		{"expectation unmet", "fr", "Je m'attendais à mieux pour une marque comme vous", Negative},
		{"low expectation exceeded stays praise", "en", "Didn't expect much but the coat is gorgeous", Positive},
		{"demand", "de", "Ich will endlich mein Geld zurück", Negative},
		{"imperative (fr)", "fr", "Remboursez-moi la différence", Negative},
		{"to date with a denial", "fr", "Aucun colis à ce jour", Negative},
		{"to date without a problem", "en", "No problems to date, the boots are great", Positive},
		{"favourite in the past", "de", "Das war mal mein Lieblingsladen", Negative},
		{"remedy after the problem", "en", "The strap snapped and they posted a replacement the same day, thank you", Positive},
		{"remedy undone", "en", "Strap snapped, the replacement snapped too", Negative},
		{"product question", "en", "Is the knit itchy?", Neutral},
		{"product question (de)", "de", "Fusselt der Mantel?", Neutral},
		{"personal question still judges", "en", "Why is my parcel lost again?", Negative},
		{"why with a negation", "fr", "Pourquoi le site affiche des couleurs qui n'existent pas ?", Negative},
		{"why-not is a suggestion", "en", "Why not make it in navy too?", Neutral},
		{"too late for the event", "de", "Drei Wochen vor dem Urlaub bestellt, zwei Tage danach gekommen", Negative},
		{"same but different", "en", "Same jeans, same size as in spring, and these are tighter", Negative},
		{"two versions", "en", "The courier says you never gave him the box, you say you did", Negative},
		{"hypocrisy", "fr", "Vous parlez de durabilité et vous brûlez vos invendus", Negative},
		{"comparison is no praise", "en", "This blazer fits like a tent", Neutral},
		{"like as a verb stays praise", "en", "I really like the new cut", Positive},
		{"sarcastic closing after a report", "de", "Eure Versandkosten haben sich zwischen Warenkorb und Kasse verdoppelt. Super.", Negative},
		{"quick facts with a closing praise stay praise", "en", "Ordered, shipped and delivered in 30 hours. Superb", Positive},
		{"dialect negation", "de", "Paket is immer noch nich da", Negative},
		{"where without its accent", "fr", "il est ou mon colis", Negative},
		{"salutation is no praise", "de", "Wann kommt die neue Kollektion? Mit freundlichen Grüßen", Neutral},
		{"worth the wait", "en", "Took a while but worth the wait", Positive},
		{"spoken French negation", "fr", "franchement j'aime pas la nouvelle coupe", Negative},
		{"spoken French negation of a complaint word", "fr", "vous décevez jamais", Positive},
		{"no post-negation without a pronoun", "fr", "Joli et pas cher", Positive},
		{"de retour is stock, not a return", "fr", "Enfin il est de retour, j'en ai pris deux", Positive},
		{"without, then a new clause", "de", "Umtausch ohne Stress, Geld nach 2 Tagen zurück", Positive},
		{"too busy to help", "en", "The staff were too busy chatting to help anyone", Negative},
		{"closing irony after a report to the brand", "en", "Your hotline closes at 4pm. I only get home at 5. Perfect.", Negative},
		{"closing irony after scare quotes", "fr", "J'ai vu la composition de votre pull \"laine\". Incroyable.", Negative},
		{"where?? after a claim", "de", "\"Zugestellt\" steht da. Wo denn??", Negative},
		{"polite refusal", "de", "150 € für einen Hoodie? Nein danke", Negative},
		{"demand opening a sentence", "en", "Fix your checkout, it has been a week", Negative},
		{"demand opening a sentence (fr)", "fr", "Arrêtez de m'envoyer trois mails par jour", Negative},
		{"a noun is no demand", "en", "Refund came through in 2 days, impressed", Positive},
		{"number and unit in one token", "fr", "Colis bloqué depuis 72h", Negative},
		{"factual report then praise stays praise", "en", "Exchanged for a smaller size with no questions asked. Great service", Positive},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Analyze(tc.text, tc.lang)
			require.Equal(t, tc.want, got.Label, "%q → %.3f %v", tc.text, got.Compound, got.Drivers)
		})
	}
}

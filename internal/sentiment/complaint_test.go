package sentiment

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestComplaintShapes holds one sentence per complaint-layer mechanism of the
// blind4 and eighth rounds, written for this test (none is from a labelled set), and the
// cases each mechanism must leave alone.
func TestComplaintShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, lang, text string
		want             Label
	}{
		{"cue through inflection (fr)", "fr", "Les coutures se déchirent déjà, et le bouton manquait", Negative},
		{"cue through compound head (de)", "de", "Schon wieder eine Lieferverzögerung ohne jede Info", Negative},
		{"separable verb (de)", "de", "Die Pailletten fallen nach dem ersten Abend ab.", Negative},
		{"closing irony after criticism", "en", "Courier dumped the box in a puddle. Lovely.", Negative},
		{"closing irony (fr)", "fr", "Deux semaines sans nouvelles de ma commande. Bravo.", Negative},
		{"closing thanks after praise stays praise", "en", "Gorgeous coat and perfect fit. Thanks!", Positive},
		{"closing praise after a mixed comment stays praise", "en", "Delivery was a bit slow but the dress is stunning. Love it.", Positive},
		{"one mild word is no criticism", "en", "Swapped for a bigger size, no fuss at all. Brilliant", Positive},
		{"thanks for nothing", "de", "Danke für nichts, ich bestelle woanders", Negative},
		{"regret nothing", "en", "Bought it in four colours and regret nothing", Positive},
		{"regret opener as contrast", "fr", "Superbe collection. Dommage que tout soit fabriqué par des ouvrières payées une misère", Negative},
		{"why-question with a problem", "en", "Why email me about the restock if it's sold out before I can click?", Negative},
		{"excess (de)", "de", "Die Ärmel sind bei jeder Größe zu lang", Negative},
		{"excess denied", "en", "Not too tight, not too loose, just right", Positive},
		{"ordinal attempt", "en", "Fourth delivery attempt and I was in all day", Negative},
		{"wasted effort", "fr", "Une heure de route pour rien, la boutique était fermée", Negative},
		{"duration gap", "en", "Took my money in 2 minutes, refund takes 5 weeks", Negative},
		{"rating high", "en", "Fit, fabric, colour: 9/10", Positive},
		{"rating low", "de", "Service 1/5, nie wieder", Negative},
		{"date is no rating", "en", "Order placed 12/10/2026", Neutral},
		{"cheap as a fact", "de", "Nur 19 € für den Pulli, sieht aus wie Designer", Positive},
		{"early as a fact", "fr", "Arrivé deux jours d'avance", Positive},
		{"problem solved in its clause", "en", "You swapped my broken buckle for free, wow", Positive},
		{"unchanged status", "de", "Die Sendungsverfolgung zeigt immer noch „Auftrag erfasst“", Negative},
		{"copy-paste reply", "fr", "On me répond par un copier-coller sur ma commande", Negative},
		{"scare-quoted praise", "en", "So this is your \"great\" new fabric", Negative},
		{"service while waiting", "de", "Die Schneiderin hat den Saum gekürzt, während ich gewartet habe. Klasse", Positive},
		{"durability fact", "en", "Had these boots for 5 years and they still look new", Positive},
		{"rhetorical closing", "de", "Größe 40 ist enger als meine 36, wer misst hier", Negative},
		{"cessation", "en", "Customer since 2015. Not anymore.", Negative},
		{"never got the money", "fr", "Remboursement validé il y a un mois, je n'ai jamais vu l'argent", Negative},
		{"made my day is no duration", "fr", "Votre petit mot m'a fait ma journée", Positive},
		{"report about an order without praise", "en", "Ordered the black coat on the 2nd and the tracking page shows nothing", Negative},
		{"report with the outcome met", "en", "Ordered on Monday and the parcel arrived this morning", Neutral},
		{"event for, not after", "en", "Perfect for the Christmas party", Positive},
		{"where do I find is a question", "en", "Where do I find my order history?", Neutral},
		{"hoped-for praise denied", "fr", "J'avais envie d'adorer ce manteau, mais non", Negative},
		{"nevertheless (de)", "de", "Adresse geändert und trotzdem an die alte Adresse geschickt", Negative},
		{"so … that not", "en", "The collar is so stiff I can't turn my head", Negative},
		{"so … that not with praise stays praise", "en", "So soft I can't stop touching it", Positive},
		{"after the first wash (de)", "de", "Nach der ersten Wäsche war das Shirt bauchfrei", Negative},
		{"repetition alone is no complaint", "fr", "On me complimente à chaque fois que je mets cette robe", Positive},
		{"repetition with a service object", "en", "The app freezes every time I open my basket", Negative},
		{"rating in words", "fr", "Je donne 9 sur 10 à ce pull", Positive},
		{"couldn't be happier", "en", "Couldn't be happier with these boots", Positive},
		{"last chance", "de", "Das war eure letzte Chance", Negative},
		{"unlike the photos", "fr", "La couleur n'a rien à voir avec les photos", Negative},
		{"joy only looked forward to (de)", "de", "Hatte mich so auf die Jacke gefreut, jetzt das", Negative},
		{"a salutation is no praise (de)", "de", "Liebe Leute, wo bleibt meine Bestellung?", Negative},
		{"report to the brand without praise", "de", "Ihr habt die falsche Farbe geschickt und das Etikett fehlt", Negative},
		{"report about an agent", "en", "The driver threw it over the gate and drove off", Negative},
		{"report with a mention is a tag", "en", "@anna you have to see the new colours in the shop", Neutral},
		// Eighth round (shapes.go).
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
		// The shapes are the rule engine's; the learned layer on top must agree too, except
		// where it is known to be wrong (learnedMisses).
		if got := AnalyzeModel(nil, tc.text, tc.lang); got.Label != tc.want {
			t.Errorf("rules: %s: %q = %s, want %s %v", tc.name, tc.text, got.Label, tc.want, got.Drivers)
		}
		if got := Analyze(tc.text, tc.lang); got.Label != tc.want && learnedMisses[tc.text] == "" {
			t.Errorf("rules + model: %s: %q = %s, want %s %v", tc.name, tc.text, got.Label, tc.want, got.Drivers)
		}
	}
}

// learnedMisses are texts of the tests where the learned layer overrules the rules and is
// wrong (docs/text-intelligence.md, "Learned layer"): kept visible rather than relabelled.
var learnedMisses = map[string]string{
	"Order placed 12/10/2026": "negative: short order reports are mostly complaints in the corpus",
	// Since train11 (many positive comments the complaint layer reads as complaints: "they
	// replaced my faulty bag no questions asked") the layer trusts a lone complaint cue less.
	"Strap snapped, the replacement snapped too":     "positive: replacement is praise in train11",
	"This blazer fits like a tent":                   "positive: short fit reports",
	"Nur 19 € für den Pulli, sieht aus wie Designer": "negative: a price as a fact",
	"Why not make it in navy too?":                   "negative: short questions to the brand",
}

func TestRatingIn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		want float64
	}{
		{"10/10", 1}, {"3 / 5", 0.6}, {"1/5 stars", 0.2}, {"5 stars", 1}, {"2 étoiles", 0.4}, {"4 Sterne", 0.8},
		{"12/10/2026", -1}, {"11/10", -1}, {"24/7 support", -1}, {"no rating", -1}, {"9", -1}, {"", -1},
	} {
		require.InDelta(t, tc.want, ratingIn(tc.text), 1e-9, tc.text)
	}
}

func TestMiddleRatingHasNoDriver(t *testing.T) {
	t.Parallel()
	for _, d := range Analyze("Fabric 5/10", "en").Drivers {
		require.NotEqual(t, "(rating)", d.Word)
	}
}

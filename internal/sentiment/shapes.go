package sentiment

import "strings"

// Complaint shapes of the eighth round. cueFlags has no bit left, so these roles live in
// a second, small table. Each role is a word class, not a sentence: contact attempts
// counted ("called 4 times", "4 appels", "viermal angerufen"), promises the rest of the
// comment contradicts ("u said next day. it's day 5", "on m'a dit 5 à 7 jours. Ça fait 19",
// "Es hieß 5-7 Tage. Jetzt sind es 19"), refusals to come back or buy again written with a
// plain negation ("won't be back", "vous ne me reverrez pas", "bestell nicht mehr"),
// expectations unmet ("expected better", "je m'attendais à mieux", "mehr erwartet"),
// demands ("I want my money back", "remboursez-moi", "ich will mein Geld zurück"), "to date"
// with a negation ("rien reçu à ce jour", "bis heute nicht"), praise of a favourite in the
// past tense ("c'était ma marque préférée", "war mal meine Lieblingsmarke") and a remedy
// after a problem ("broke, and they sent a new one"), which is praise, not a complaint.

// roleFlags mark the roles of the eighth round's shapes.
type roleFlags uint32

const (
	rContact     roleFlags = 1 << iota // called, emailed, calls; appelé, appels, relancé; angerufen, Anrufe
	rPromise                           // said, told, promised, supposed, meant; disaient, promis, censé; hieß, versprochen, sollte
	rBack                              // back, reverrez, revenir; wieder, zurück, mehr
	rExpect                            // expected, attendais, erwartet
	rBetter                            // more, better; mieux, plus; mehr, besser
	rWant                              // want, demand; veux, exige, réclame; will, verlange, fordere
	rMoney                             // money, refund; argent, remboursement; Geld, Erstattung
	rFavourite                         // favourite, préférée, Lieblings…
	rPastBe                            // was, were; était, étiez; war, waren
	rRemedy                            // new one, replacement, free; neuf, remplacement; neuen, Ersatz, kostenlos
	rPerson                            // I, my, you, your: a question about one's own case is no product question
	rToDate                            // date, présent, heute, jetzt (after "to", "à ce", "bis")
	rSame                              // same, même, gleiche
	rComparative                       // smaller, different, en dessous, kleiner, anders
	rSay                               // says, dit, sagt: two versions of one story
	rTalk                              // talk, parlez, redet: "you talk about … and you …"
	rAddress                           // you, vous, ihr
)

var roleTables = map[string]map[string]roleFlags{
	"en": roleTable(map[roleFlags]string{
		rContact:     `called calling rang phoned emailed e-mailed messaged contacted chased wrote explained transferred calls emails messages`,
		rPromise:     `said told promised supposed meant claimed advertised`,
		rBack:        `back again anymore`,
		rExpect:      `expected expect expecting`,
		rBetter:      `more better`,
		rWant:        `want wanted demand demanding`,
		rMoney:       `money refund refunded`,
		rFavourite:   `favourite favorite fave`,
		rPastBe:      `was were`,
		rRemedy:      `new replacement replaced free`,
		rPerson:      `i i'm i've me my mine your we our`,
		rToDate:      `date`,
		rSame:        `same`,
		rComparative: `smaller bigger larger tighter looser shorter longer different`,
		rSay:         `says say said`,
		rTalk:        `talk talking preach preaching`,
		rAddress:     `you`,
	}),
	"fr": roleTable(map[roleFlags]string{
		rContact:     `appelé appelée appelés appels appel écrit écrits relancé relancée relances contacté contactée expliqué transféré transférée mails emails messages`,
		rPromise:     `disaient disait promis promise censé censée devait prévu prévue annoncé annoncée`,
		rBack:        `reverrez reverra reviendrai reviendra revenir`,
		rExpect:      `attendais attendait attendions`,
		rBetter:      `mieux plus`,
		rWant:        `veux voudrais exige exigeons réclame`,
		rMoney:       `argent remboursement remboursée remboursé rembourser`,
		rFavourite:   `préférée préféré préférés préférées`,
		rPastBe:      `était étiez étaient`,
		rRemedy:      `neuf neuve nouveau nouvelle remplacement remplacé remplacée gratuitement offert offerte`,
		rPerson:      `je j' moi me m' mon ma mes votre vos nous`,
		rToDate:      `jour présent`,
		rSame:        `même mêmes`,
		rComparative: `dessous au-dessus différent différente différents différentes`,
		rSay:         `dit dites disent disait`,
		rTalk:        `parlez prônez parler`,
		rAddress:     `vous`,
	}),
	"de": roleTable(map[roleFlags]string{
		rContact:     `angerufen geschrieben kontaktiert erklärt gemailt nachgehakt weiterverbunden anrufe mails nachrichten`,
		rPromise:     `hieß hiess versprochen angeblich sollte sollten angekündigt`,
		rBack:        `wieder zurück mehr`,
		rExpect:      `erwartet erwartete`,
		rBetter:      `mehr besser`,
		rWant:        `will verlange fordere`,
		rMoney:       `geld erstattung`,
		rPastBe:      `war waren wart`,
		rRemedy:      `neuen neue neues ersatz kostenlos gratis`,
		rPerson:      `ich mich mir mein meine meinen meinem meiner ihr euch euer eure wir`,
		rToDate:      `heute jetzt`,
		rSame:        `gleiche gleichen gleicher dieselbe derselbe dasselbe`,
		rComparative: `kleiner größer enger weiter kürzer länger anders`,
		rSay:         `sagt sagen sagte sagten`,
		rTalk:        `redet sprecht predigt reden`,
		rAddress:     `ihr`,
	}),
}

func roleTable(lists map[roleFlags]string) map[string]roleFlags {
	m := map[string]roleFlags{}
	for f, list := range lists {
		for _, w := range strings.Fields(list) {
			m[w] |= f
		}
	}
	return m
}

// roleOf returns the roles of a lower-case word.
func roleOf(table map[string]roleFlags, lang, w string) roleFlags {
	f := table[w]
	if lang == "de" && f == 0 && strings.HasPrefix(w, "lieblings") {
		f = rFavourite // Lieblingsmarke, Lieblingsladen
	}
	return f
}

// shapes is what the eighth round's shapes add to a complaint.
type shapes struct {
	strength float64 // hard: refusals, unmet expectations, demands, "to date" denied
	soft     float64 // outweighed by praise: counted contacts, contradicted promises
	past     bool
}

// readShapes reads the eighth round's shapes; rl holds each token's roles.
func readShapes(lang string, toks []token, fl []cueFlags, rl []roleFlags, text string) shapes {
	var s shapes
	n := len(toks)
	event, same, says, talk := -1, -1, 0, -1
	denial := false
	for i := range toks {
		w := toks[i].low
		if fl[i]&(cNeg|cZero) != 0 || isBareNo(w) || w == "si" {
			denial = true
		}
		switch {
		case fl[i]&cEvent != 0 && event < 0:
			event = i
		case event >= 0 && i >= 2 && (isAfter(w) || w == "danach") && fl[i-2]&cUnit|fl[i-1]&cUnit != 0 && !toks[i].question:
			s.strength += 1.5 // two weeks before the wedding, three days after it: too late
			event = len(toks)
		case rl[i]&rSame != 0 && same < 0:
			same = i
		case same >= 0 && rl[i]&rComparative != 0 && !toks[i].question:
			s.strength += 1.5 // same size as last year and a full size smaller
			same = len(toks)
		case rl[i]&rSay != 0:
			says++
		case rl[i]&rTalk != 0 && talk < 0:
			talk = i
		case talk >= 0 && rl[i]&rAddress != 0 && i > talk+2:
			s.strength += 1.5 // you talk about sustainability and you ship in three plastic bags
			talk = len(toks)
		case (w == "chance" || w == "chances") && chanceAgain(toks, fl, i):
			s.strength += 1.5 // another chance, encore une chance, noch eine Chance
			toks[i].muted = true
		case lang == "en" && w == "like" && !likeVerb(toks, i):
			toks[i].muted = true // "fits like an XS", "looks like a disco": a comparison, not praise
		case lang == "de" && w == "gelöst" && cameLoose(lang, toks, i):
			toks[i].muted = true // "hat sich gelöst" came loose, it was not solved
		}
	}
	if says >= 2 && denial {
		s.strength += 1.5 // Klarna says I paid, you say I didn't
	}
	if strings.Contains(text, "??") {
		for i := 0; i < n; i++ {
			if fl[i]&cWhere != 0 && toks[i].question {
				s.strength += 1.5 // "Delivered" apparently. Where though?? / Mais où ??
				break
			}
		}
		for i := 1; i < n; i++ {
			if fl[i]&cUnit != 0 && (isNumber(toks[i-1].low) || fl[i-1]&cNumber != 0 || i >= 2 && isNumber(toks[i-2].low)) {
				s.strength += 1.5 // 10 working days?? In 2026?
				break
			}
		}
	}
	inClauseBefore := func(i, k int, f roleFlags, g cueFlags) bool {
		for j := i - 1; j >= 0 && j >= i-k && !toks[j].clauseEnd; j-- {
			if rl[j]&f != 0 || fl[j]&g != 0 {
				return true
			}
		}
		return false
	}
	inClauseAfter := func(i, k int, f roleFlags, g cueFlags) bool {
		for j := i + 1; j < n && j <= i+k; j++ {
			if rl[j]&f != 0 || fl[j]&g != 0 {
				return true
			}
			if toks[j].clauseEnd {
				break
			}
		}
		return false
	}
	for i := range toks {
		r := rl[i]
		if r == 0 || toks[i].kind != kindWord {
			continue
		}
		q := toks[i].question
		switch {
		case r&rContact != 0 && !q && countedNear(toks, fl, i):
			s.soft += 1.5 // called 4 times, 3 emails, quatre appels, viermal angerufen
		case r&rPromise != 0 && !q && promiseDenied(lang, toks, fl, i):
			s.soft += 1.5 // u said next day. it's day 5 / on m'a dit 5 à 7 jours. Ça fait 19
		case r&rBack != 0 && !q && refusedReturn(lang, toks, fl, i):
			s.strength += 1.5 // won't be back, vous ne me reverrez pas, bestell nicht mehr
		case r&rExpect != 0 && !q && (inClauseAfter(i, 4, rBetter, 0) || inClauseBefore(i, 4, rBetter, 0)) &&
			!inClauseBefore(i, 4, 0, cNeg|cZero|cNever) && !inClauseAfter(i, 2, 0, cNeg):
			s.strength += 1.5 // expected better, je m'attendais à mieux, hatte mehr erwartet
		case r&rWant != 0 && !q && (inClauseAfter(i, 4, rMoney, 0) || lang == "de" && inClauseAfter(i, 5, rBack, 0) && inClauseAfter(i, 5, rMoney, 0)):
			s.strength += 1.5 // I want my money back, je veux être remboursée, ich will mein Geld zurück
		case r&rToDate != 0 && toDate(lang, toks, i) && !q && (inClauseBefore(i, 6, 0, cNeg|cZero|cNothing|cNever) || inClauseAfter(i, 4, 0, cNeg|cZero|cNothing|cNever)) &&
			!inClauseBefore(i, 6, 0, cProblem) && !inClauseAfter(i, 4, 0, cProblem) && !troubleNear(toks, i):
			s.strength += 1.5 // rien reçu à ce jour, bis heute nicht eingetroffen, nothing to date
		case r&rFavourite != 0 && inClauseBefore(i, 3, rPastBe, 0):
			s.strength += 0.75 // c'était ma marque préférée, war mal meine Lieblingsmarke
			s.past = true
		}
	}
	// A demand opening a sentence: "Fix your app", "Stop emailing me", "Arrêtez de m'écrire", "Gebt mir mein Geld".
	for i := 0; i+1 < n; i++ {
		if (i == 0 || sentenceEnd(toks[i-1])) && !toks[i].question && imperatives[lang][toks[i].low] &&
			(lang != "en" || imperativeObject(toks[i+1].low)) {
			s.strength += 1.5
			break
		}
	}
	// An order given to the brand: "refund me", "call me back", "remboursez-moi", "rappelez-moi".
	for i := 0; i+1 < n; i++ {
		if toks[i].question || fl[i]&(cObject|cRespond|cOutcome) == 0 || fl[i]&cBuy != 0 {
			continue
		}
		if lang == "en" && (i == 0 || sentenceEnd(toks[i-1])) && toks[i+1].low == "me" ||
			lang == "fr" && strings.HasSuffix(toks[i].low, "ez") && toks[i+1].low == "moi" {
			s.strength += 1.5
			break
		}
	}
	return s
}

// countedNear reports a number of two or more next to a contact word: "called 4 times",
// "3 emails", "quatre appels", "4 mal angerufen".
func countedNear(toks []token, fl []cueFlags, i int) bool {
	for d := -3; d <= 3; d++ {
		j := i + d
		if d == 0 || j < 0 || j >= len(toks) {
			continue
		}
		w := toks[j].low
		if (isNumber(w) && w != "1") || (fl[j]&cNumber != 0 && quantity(w) >= 2) || len(w) > 3 && strings.HasSuffix(w, "mal") && fl[j]&cTime != 0 {
			if d < 0 && j > 0 && (toks[j-1].low == "at" || toks[j-1].low == "à" || toks[j-1].low == "um") {
				continue // "called at 9", "appelé à 9h"
			}
			return true
		}
	}
	return false
}

// promiseDenied reports a promise ("said", "hieß", "qu'ils disaient", "on m'a dit")
// whose sentence is followed by a sentence with a number, a negation, "still" or "nothing".
func promiseDenied(lang string, toks []token, fl []cueFlags, i int) bool {
	end := i
	for end < len(toks) && !sentenceEnd(toks[end]) {
		end++
	}
	if end >= len(toks)-1 {
		return false
	}
	for j := end + 1; j < len(toks) && j <= end+6; j++ {
		if isNumber(toks[j].low) || fl[j]&(cNeg|cZero|cNothing|cWait|cUnit) != 0 {
			return true
		}
		if sentenceEnd(toks[j]) {
			break
		}
	}
	return false
}

// refusedReturn reports a plain negation of coming back or buying again: "won't be back",
// "not ordering again", "vous ne me reverrez pas", "ich bestell nicht mehr", "seht ihr nicht wieder".
func refusedReturn(lang string, toks []token, fl []cueFlags, i int) bool {
	w := toks[i].low
	neg := false
	for j := i - 1; j >= 0 && j >= i-4 && !toks[j].clauseEnd; j-- {
		if fl[j]&cWaiting != 0 || toks[j].low == "hesitate" || toks[j].low == "hésiter" {
			return false // "can't wait to be back", "wouldn't hesitate to buy again"
		}
		if fl[j]&(cNeg|cNever) != 0 {
			neg = true
		}
	}
	switch lang {
	case "fr":
		// "reverrez", "reviendrai" carry the return; the negation may follow: "vous ne me reverrez pas".
		if !neg && i+1 < len(toks) && toks[i+1].low == "pas" {
			neg = true
		}
		return neg
	case "de":
		// "nicht mehr", "nicht wieder", "nicht zurück": the negation stands right before the particle.
		if i == 0 {
			return false
		}
		p := toks[i-1].low
		if p != "nicht" && p != "nich" && p != "nie" {
			return false
		}
		if w == "zurück" {
			return false // "Geld nicht zurück" is a refund complaint the other cues read
		}
		for j := i - 2; j >= 0 && j >= i-6 && !toks[j].clauseEnd; j-- {
			if fl[j]&(cBuy|cObject) != 0 || rolesDE(toks[j].low) {
				return true
			}
		}
		return i+1 < len(toks) && fl[i+1]&cBuy != 0
	}
	if !neg {
		return false
	}
	if w == "back" {
		// "won't be back", "not coming back", "never going back"; not "haven't got my money back".
		for j := i - 1; j >= 0 && j >= i-3; j-- {
			switch toks[j].low {
			case "be", "coming", "come", "going", "go", "shopping", "returning":
				return true
			}
		}
		return false
	}
	for j := i - 1; j >= 0 && j >= i-4 && !toks[j].clauseEnd; j-- {
		if fl[j]&cBuy != 0 {
			return true // not ordering again, won't buy anymore
		}
	}
	return false
}

// rolesDE reports German words that say the customer comes back: "seht", "sehen" (mich seht ihr nicht wieder).
func rolesDE(w string) bool { return w == "seht" || w == "sehen" || w == "komme" || w == "kommen" }

// toDate reports "to date", "à ce jour", "jusqu'à présent", "bis heute", "bis jetzt" ending at toks[i].
func toDate(lang string, toks []token, i int) bool {
	if i == 0 {
		return false
	}
	p := toks[i-1].low
	switch lang {
	case "en":
		return p == "to"
	case "fr":
		if toks[i].low == "jour" {
			return p == "ce" && i >= 2 && toks[i-2].low == "à"
		}
		return p == "à" && i >= 2 && toks[i-2].low == "jusqu'"
	case "de":
		return p == "bis"
	}
	return false
}

// remedyAfter reports a remedy after the problem at toks[i] in the rest of the comment:
// "refunded my broken zip AND sent a new one", "j'ai perdu un bouton et vous m'en avez envoyé un
// gratuitement", "Knopf verloren und ihr habt mir kostenlos einen neuen geschickt".
func remedyAfter(toks []token, fl []cueFlags, rl []roleFlags, i int) bool {
	for j := i + 1; j < len(toks) && j <= i+14; j++ {
		if fl[j]&(cProblem|cWait|cWaiting|cNobody|cNever) != 0 {
			return false // broke again, still waiting, nobody answered
		}
		if rl[j]&rRemedy != 0 || fixVerbs[toks[j].low] {
			for k := j - 1; k > i && k >= j-3; k-- {
				if fl[k]&(cNeg|cZero) != 0 {
					return false // "no replacement", "pas de remplacement"
				}
			}
			return true
		}
	}
	return false
}

// productQuestion marks the words of a yes/no question about the product ("Is the sweater
// scratchy or soft?", "Kratzt der Pulli?", "Ça se froisse beaucoup ?"): a question that
// speaks of no one's own case, no service object, no why, still or again and ends with one
// question mark asks about a quality; its negative words do not judge.
func productQuestion(toks []token, fl []cueFlags, rl []roleFlags, text string) {
	if strings.Contains(text, "??") || strings.Contains(text, "?!") || strings.Contains(text, "!?") {
		return
	}
	start := 0
	for i := range toks {
		if !sentenceEnd(toks[i]) && i != len(toks)-1 {
			continue
		}
		if toks[i].question {
			plain := true
			for j := start; j <= i; j++ {
				if rl[j]&rPerson != 0 || fl[j]&(cObject|cMy|cWhy|cWait|cAgain|cNever|cNobody|cWhere) != 0 || toks[j].kind == kindEmoji {
					plain = false
					break
				}
			}
			if plain {
				for j := start; j <= i; j++ {
					toks[j].asked = true
				}
			}
		}
		start = i + 1
	}
}

// suggestion reports "why not…?", "why don't you…?", "pourquoi pas / pourquoi ne pas…?",
// "warum nicht…?": a suggestion to the brand, not a complaint.
func suggestion(lang string, toks []token, i int) bool {
	for d := 1; d <= 2 && i+d < len(toks); d++ {
		switch toks[i+d].low {
		case "not", "don't", "dont", "pas", "nicht":
			return true
		case "ne", "n'":
			return lang == "fr"
		}
	}
	return false
}

// goneBefore reports a stock-out before the customer could act: "sells out before the email
// lands", "épuisé avant même que le mail arrive", "ausverkauft, bevor die Mail da ist".
func goneBefore(toks []token, i int) bool {
	for d := 1; d <= 4 && i+d < len(toks); d++ {
		switch toks[i+d].low {
		case "before", "avant", "bevor", "ehe":
			return true
		}
	}
	return false
}

// firstOfUse reports "first" before a use: "in the first wash", "au premier lavage",
// "beim ersten Waschen", "première semaine".
func firstOfUse(toks []token, fl []cueFlags) bool {
	for i := 0; i+1 < len(toks); i++ {
		switch toks[i].low {
		case "first", "premier", "première", "ersten", "erste", "erstem":
			next := toks[i+1].low
			if fl[i+1]&(cUse|cUnit) != 0 || next == "waschen" || next == "tragen" || next == "port" || next == "lavage" {
				return true
			}
		}
	}
	return false
}

var likeSubject = set(`i we you they i'd we'd you'd they'd really do would also totally definitely actually absolutely
	genuinely people who she he kinda just all`)

// likeVerb reports "like" used as a verb ("I like it", "really like", "Like!"), not as a comparison.
func likeVerb(toks []token, i int) bool {
	if i == 0 || sentenceEnd(toks[i-1]) || toks[i-1].clauseEnd {
		return true
	}
	return likeSubject[toks[i-1].low]
}

// chanceAgain reports a chance given again: "another chance", "keep giving you chances",
// "encore une chance", "noch eine Chance".
func chanceAgain(toks []token, fl []cueFlags, i int) bool {
	for d := 1; d <= 3 && i-d >= 0; d++ {
		w := toks[i-d].low
		if fl[i-d]&(cAnother|cAgain) != 0 || w == "keep" || w == "giving" {
			return i-d+1 >= i || toks[i-d+1].low != "last"
		}
	}
	return false
}

// worthIt reports "worth the wait", "vaut l'attente", "das Warten wert": waiting that paid off.
func worthIt(toks []token, i int) bool {
	for d := 1; d <= 2 && i-d >= 0; d++ {
		if w := toks[i-d].low; w == "worth" || w == "vaut" || w == "valait" {
			return true
		}
	}
	return i+1 < len(toks) && toks[i+1].low == "wert"
}

// troubleWord are the nouns of a trouble denied: "no problems to date", "aucun souci à ce jour".
var troubleWord = set(`problem problems issue issues complaint complaints souci soucis problème problèmes probleme problemes problem probleme beschwerde beschwerden`)

// troubleNear reports a trouble noun in the six words before toks[i].
func troubleNear(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-6; j-- {
		if troubleWord[toks[j].low] {
			return true
		}
	}
	return false
}

// imperatives are verbs that open a demand to the brand.
var imperatives = map[string]map[string]bool{
	"en": set(`fix sort stop refund explain respond reply answer`),
	"fr": set(`arrêtez répondez remboursez réglez rappelez expliquez corrigez réparez rendez`),
	"de": set(`gebt erstattet antwortet meldet regelt repariert hört erklärt`),
}

// attachedUnit reports a number written with its unit: "48h", "3j", "10min", "2wks", "3std".
func attachedUnit(w string) bool {
	i := 0
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		i++
	}
	if i == 0 || i == len(w) {
		return false
	}
	switch w[i:] {
	case "h", "hrs", "j", "min", "mins", "d", "days", "wks", "std", "tage":
		return true
	}
	return false
}

// imperativeObject reports the word after an English verb that makes it an order ("Fix your app",
// "Stop emailing me", "Refund me"), not a noun ("Refund came through").
func imperativeObject(w string) bool {
	switch w {
	case "me", "my", "your", "it", "this", "that", "the", "us", "out", "up":
		return true
	}
	return len(w) > 4 && strings.HasSuffix(w, "ing")
}

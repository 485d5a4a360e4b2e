package sentiment

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Complaints without sentiment words ("my parcel has not moved for 9 days",
// "where is my refund???", "never ordering again") and sarcasm ("great job 🙄",
// "Super service. Three emails, zero replies.") are the costly misses of a
// lexicon scorer on brand comments. The complaint layer reads cue words that
// carry no valence of their own — service objects, waiting and duration,
// missing/broken items, unreachable support, refusal to buy again, boycotts,
// sarcasm markers — and combines them in small windows into a complaint
// strength. A strength of at least complaintMin adds negative valence; from
// sarcasmMin on (or with a sarcasm marker) praise words count against the
// brand instead of for it. The cues are word classes, not listed sentences,
// so they generalise to complaints the lists never saw.

// cueFlags mark the roles a word plays in a complaint.
type cueFlags uint64

const (
	cObject    cueFlags = 1 << iota // order, parcel, refund, reply, account…
	cProblem                        // missing, broken, wrong, stuck, crashes…
	cWait                           // still, toujours, immer/noch
	cUnit                           // days, weeks, jours, Tage…
	cSince                          // since, for, depuis, seit, after, nach
	cNobody                         // nobody, personne, niemand
	cRespond                        // answers, replies, picks up, rappeler, antwortet…
	cNever                          // never, jamais, nie
	cAgain                          // again, encore, wieder
	cBuy                            // order, buy, shop, commande, kaufe…
	cLast                           // last (time), dernière (fois), letzte (Mal)
	cTime                           // time, fois, Mal
	cBoycott                        // boycott, unfollow, greenwashing, sweatshop…
	cWhere                          // where, où, wo, wann
	cMy                             // my, mon, mein…
	cZero                           // no, zero, aucun, kein, null
	cSomeone                        // someone, anyone, quelqu'un, jemand
	cNeg                            // not, pas, nicht, haven't…
	cSarcasm                        // words that mark irony next to a complaint: "merci bien", "oh"
	cOrdinal                        // third, 3rd, troisième, dritten
	cNow                            // now, maintenant, jetzt, rum, later, plus tard, später
	cWaiting                        // waiting, attends, attente, warte
	cElsewhere                      // elsewhere, ailleurs, woanders
	cDone                           // done (with), fini (avec), Schluss (mit)
	cNumber                         // one, deux, drei… (digits are read directly)
	cAccess                         // log in, pay, connecter, einloggen: failing access is a problem
	cUse                            // washes, wears: a duration of use, a complaint only with a problem
	cOutcome                        // arrived, received, works, loads: expected outcomes, a complaint when negated
	cMore                           // more, encore, noch: "how many more weeks"
	cWho                            // who, qui, wer
	cApprove                        // approved, validé, abgesegnet: "who approved this?"
	cEvent                          // birthday, Christmas, wedding: arriving after it is too late
	cNothing                        // nothing, rien, nichts
	cContrast                       // but, mais, aber
	cOpener                         // sure, yeah, klar: with scare quotes, irony
	cRepeat                         // every time, keeps, à chaque fois, ständig: repetition
	cDifferent                      // different, différentes, verschiedene
	cEven                           // even, même, mal/einmal after a negation: "couldn't even"
	cFor                            // for, pour, für: "designer prices for supermarket quality"
	cCanned                         // template, automated, copy-paste: a canned answer
	cAnother                        // another, un autre, noch eine: one more of the same
	cWhy                            // why, pourquoi, warum
	cGone                           // gone, parti, weg: sold out in seconds
	cExpress                        // express, expedited, next-day: paid for speed
	cAsk                            // asked, demandé, gebeten
	cAlready                        // already, déjà, schon
	cLose                           // lost, perdre, verloren
	cCustomer                       // customer, cliente, Kundin
	cSoon                           // seconds, secondes, Sekunden
	cPrice                          // price, prix, Preis (and German compounds ending in -preis/-preise)
	cQuality                        // quality, qualité, Qualität (and compounds)
	cFast                           // within, in, en, innerhalb, under: "within 24 hours" is speed
	cOnly                           // exactly, only, just, exactement, seulement, genau, nur: "lasted exactly one wash"
	cPast                           // used (to be), étiez, wart, früher: praise of the past is a complaint of the present
	cRaise                          // raising, increase, augmentez, erhöht: prices going up
	cDecline                        // drops, worse, downhill, baisse, sinkt, schlechter
	cThough                         // although, alors que, obwohl: a concession sets up a complaint
	cAttempt                        // attempt, tentative, Versuch: "third delivery attempt"
	cExcess                         // too, trop, zu: excess of a measurable quality
	cDim                            // long, short, tight, cher, eng, dünn: measurable qualities
	cThanks                         // thanks, merci, danke: after a complaint, or "for nothing", irony
	cVain                           // umsonst, for nothing: wasted effort (with "for"/"pour"/"für" + nothing)
	cDisbelief                      // seriously, sérieux, ernsthaft, im Ernst: a rhetorical question
	cFind                           // find, trouver, finde: "where do I find…" asks the way, it does not complain
)

// Complaint weights; tuned on testdata/brand/*_dev.tsv only.
const (
	complaintMin   = 1.0 // below this, cues are incidental ("Refund came through in 2 days")
	sarcasmMin     = 1.5 // from here on, praise in the same comment is read as irony
	complaintScale = 1.1 // valence per unit of strength
	maxStrength    = 4.0
	reliefValence  = 0.8 // per denied problem, at most two
	fastValence    = 1.5 // a quick delivery, answer or refund stated as a fact
	ironyWeight    = 1.5 // praise read as irony is taken back and counted this much against the brand
	ratingScale    = 5.0 // valence per unit of a rating away from its middle: 10/10 → +2.5, 1/5 → −1.5
	ironyHead      = 1.5 // criticism before a closing "Brilliant." that makes it irony (one "no" is not enough)
)

// complaintCues holds one cue table per language.
type complaintCues struct {
	words    map[string]cueFlags
	prefixes map[string][]prefixCue // first four bytes → longer prefixes ("bestell" matches "bestellt")
	// stems indexes the cue words of content classes by stem, so inflected forms the lists do not
	// spell out still carry their cue ("retombent" finds "tombé", "Nähten" finds "Naht").
	stems map[string]cueFlags
	stem  func(string) string
	// compounds lets a German compound carry the cue of its head ("Lieferverzögerung" → "verzögerung").
	compounds bool
	french    bool // stem through appendStemFrench, which does not allocate for accented words
	// separable indexes German verbs whose particle stands apart ("fallen … ab"):
	// particle → stem of the rest of the verb ("abgefallen" → "ab" → stem("fallen")).
	separable map[string]map[string]cueFlags
}

// minCueStem is the shortest stem a cue is indexed under: "bottes" must not meet "bots".
const minCueStem = 4

// stemClasses are the cue classes of content words, whose inflections keep the cue;
// function words (pas, noch, mein, for) are matched exactly only.
const stemClasses = cObject | cProblem | cWaiting | cRespond | cBuy | cBoycott | cOutcome | cCanned | cAsk |
	cCustomer | cRaise | cDecline | cAccess | cAttempt | cExcess

// headClasses are the classes a compound inherits from its head: "Rabattcode" is a code,
// "Lieferverzögerung" a delay; a verb or a function word is never a compound's head.
const headClasses = cObject | cProblem | cBoycott | cCanned | cAttempt

// withMorphology indexes the content cue words by stem; German participles of separable
// verbs are indexed without their "ge" ("abgefallen" → "abfallen") so the verb found split
// in a clause ("fallen … ab") meets them.
func (c *complaintCues) withMorphology(stem func(string) string, compounds bool) *complaintCues {
	c.stem, c.compounds = stem, compounds
	c.stems = map[string]cueFlags{}
	c.separable = map[string]map[string]cueFlags{}
	for w, f := range c.words {
		if f&stemClasses == 0 || strings.ContainsRune(w, ' ') {
			continue
		}
		if st := stem(w); len(st) >= minCueStem {
			c.stems[st] |= f & stemClasses
		}
		if compounds {
			if p, rest, ok := separableParticiple(w); ok {
				if c.separable[p] == nil {
					c.separable[p] = map[string]cueFlags{}
				}
				c.separable[p][stem(rest)] |= f & stemClasses
			}
		}
	}
	return c
}

// inFrench makes the table stem through appendStemFrench.
func (c *complaintCues) inFrench() *complaintCues {
	c.french = true
	return c
}

// germanParticles are the separable verb particles ("fallen ab", "geht kaputt" is no particle).
var germanParticles = []string{"zurück", "durch", "weg", "auf", "aus", "ein", "los", "ab", "an"}

// separableParticiple splits a separable verb's participle into its particle and the rest
// without "ge": "abgefallen" → "ab", "fallen"; "abgelöst" → "ab", "löst".
func separableParticiple(w string) (particle, rest string, ok bool) {
	for _, p := range germanParticles {
		if strings.HasPrefix(w, p) && strings.HasPrefix(w[len(p):], "ge") && len(w) > len(p)+5 {
			return p, w[len(p)+2:], true
		}
	}
	return "", "", false
}

// stemEnglish strips the regular inflections the English cue lists do not spell out
// ("squeaks", "squeaked", "squeaking" → "squeak").
func stemEnglish(w string) string {
	for _, suf := range []string{"ing", "ed", "es", "s"} {
		if len(w)-len(suf) >= 4 && strings.HasSuffix(w, suf) {
			return undouble(strings.TrimSuffix(w[:len(w)-len(suf)], "e"))
		}
	}
	return undouble(strings.TrimSuffix(w, "e"))
}

// prefixCue is a word beginning that carries cues in every inflected form.
type prefixCue struct {
	prefix string
	flags  cueFlags
}

// lookup returns the cue flags of a lower-case word.
func (c *complaintCues) lookup(w string) cueFlags {
	if f, ok := c.words[w]; ok {
		return f
	}
	if len(w) < 5 {
		return 0
	}
	// German compounds: "Designerpreise", "Discounterqualität".
	if strings.HasSuffix(w, "preise") || strings.HasSuffix(w, "preis") {
		return cPrice
	}
	if strings.HasSuffix(w, "qualität") {
		return cQuality
	}
	for _, p := range c.prefixes[w[:4]] {
		if strings.HasPrefix(w, p.prefix) {
			return p.flags
		}
	}
	if c.stems == nil {
		return 0
	}
	if c.french {
		var buf [64]byte
		if len(w) > 48 {
			return 0
		}
		if f := c.stems[string(appendStemFrench(buf[:0], w))]; f != 0 { // no allocation for the lookup
			return f
		}
		// The imperfect of -er verbs reaches the verb's cue: "manquait" → "manque".
		for _, e := range [...]string{"aient", "ait", "ais"} {
			if len(w)-len(e) >= 4 && strings.HasSuffix(w, e) {
				b := append(append(buf[:0], w[:len(w)-len(e)]...), 'e')
				return c.stems[string(appendStemFrench(b[len(b):], string(b)))]
			}
		}
		return 0
	}
	if f := c.stems[c.stem(w)]; f != 0 {
		return f
	}
	if c.compounds && len(w) >= 8 && len(w) <= maxCompoundBytes {
		// Heads of at least four letters, longest first.
		for i := 3; i+4 <= len(w); i++ {
			if w[i]&0xC0 == 0x80 {
				continue
			}
			head := w[i:]
			if f := c.words[head] & headClasses; f != 0 {
				return f
			}
			if f := c.stems[c.stem(head)] & headClasses; f != 0 {
				return f
			}
		}
	}
	return 0
}

// newCues builds a table from space-separated word lists; a trailing "*" makes
// the word a prefix of at least five bytes.
func newCues(lists map[cueFlags]string) *complaintCues {
	c := &complaintCues{words: map[string]cueFlags{}, prefixes: map[string][]prefixCue{}}
	for f, list := range lists {
		for _, w := range strings.Fields(list) {
			w = strings.ToLower(strings.ReplaceAll(w, "_", " "))
			if p, ok := strings.CutSuffix(w, "*"); ok {
				if len(p) < 5 {
					panic("sentiment: complaint prefix shorter than five bytes: " + p)
				}
				k := p[:4]
				found := false
				for i := range c.prefixes[k] {
					if c.prefixes[k][i].prefix == p {
						c.prefixes[k][i].flags |= f
						found = true
					}
				}
				if !found {
					c.prefixes[k] = append(c.prefixes[k], prefixCue{prefix: p, flags: f})
				}
				continue
			}
			c.words[w] |= f
		}
	}
	return c
}

var cueTables = map[string]*complaintCues{
	"en": newCues(map[cueFlags]string{
		cObject: `order orders parcel parcels package packages delivery refund refunds money return returns
			tracking item items email emails mail reply replies answer call calls support chatbot account app
			site website checkout payment card courier shipment stock seam zip heel button stitching
			confirmation portal news update updates customer code discount strap sole exchange
			driver staff cashier assistant advisor agent`,
		cProblem: `missing broken broke wrong damaged lost stuck delayed late crashes crashed crashing failing fails
			failed error shrunk shrank pills pilled ripped torn tore hole holes stain stained faded scuffed
			crushed soaked undone cancelled canceled refused rejected debited charged twice loops ignored
			ignoring filthy dirty rings apart burn burning burnt unsold snapped cracked split peeling peeled
			itchy itch itches flimsy faulty defective see-through underpaid exploiting exploited cruelty bug
			buggy glitch glitchy overcharged bots resellers scalpers thrown soaking dumped bobbling bobbles pilling 404 500 offline
			deleted removed wiped squeak squeaks squeaky thinner postponed pushed rescheduled cancellation
			damp musty mouldy moldy smelled smells stinks stank poked poking`,
		cWait:      `still stil`,
		cWaiting:   `waiting wait waited hold queued queue chasing ages forever`,
		cUnit:      `day days week weeks month months hour hours minutes mins hrs wks fortnight`,
		cUse:       `wash washes wear wears wearing washing`,
		cSince:     `since for after been`,
		cNobody:    `nobody noone`,
		cRespond:   `answers answer answered replies reply replied responds responded respond picks call calls back helped help helping reach reading read listening explain explanation`,
		cNever:     `never`,
		cAgain:     `again`,
		cBuy:       `order ordering ordered buy buying bought shop shopping purchase purchasing`,
		cLast:      `last`,
		cTime:      `time times`,
		cBoycott:   `boycott boycotting unfollow unfollowing unfollowed greenwashing sweatshop sweatshops exploitation`,
		cWhere:     `where wher where's wheres`,
		cMy:        `my`,
		cZero:      `no zero none`,
		cNothing:   `nothing`,
		cSomeone:   `someone anyone somebody anybody`,
		cNeg:       `not impossible never hasn't haven't hasnt havent didn't didnt doesn't doesnt isn't isnt wasn't wasnt won't wont can't cant couldn't couldnt`,
		cSarcasm:   `oh wow`,
		cOrdinal:   `second 2nd third 3rd fourth 4th fifth 5th`,
		cNow:       `now later ago`,
		cElsewhere: `elsewhere`,
		cDone:      `done cancelling canceling`,
		cNumber:    `a an one two three four five six seven eight nine ten several few couple`,
		cAccess:    `log login sign access open opens checkout pay reach`,
		cOutcome:   `arrived arrive received receive recieved delivered shipped moved updated refunded work works working load loads exist exists got lasted`,
		cMore:      `more longer`,
		cWho:       `who`,
		cApprove:   `approved thought signed`,
		cEvent:     `birthday christmas wedding party holiday holidays event weekend`,
		cContrast:  `but`,
		cOpener:    `sure yeah right`,
		cRepeat:    `every keeps keep constantly repeatedly`,
		cDifferent: `different`,
		cEven:      `even`,
		cFor:       `for`,
		cCanned:    `template copy-paste automated automatic generic canned bot`,
		cAnother:   `another`,
		cWhy:       `why`,
		cGone:      `gone sold`,
		cExpress:   `express expedited next-day premium`,
		cAsk:       `asked asking requested`,
		cAlready:   `already`,
		cLose:      `lost lose losing`,
		cCustomer:  `customer customers client`,
		cSoon:      `seconds`,
		cPrice:     `price prices prix`,
		cQuality:   `quality`,
		cFast:      `within in under`,
		cOnly:      `exactly only just`,
		cPast:      `used`,
		cRaise:     `raising raised raise increase increased increasing hike doubled tripled`,
		cDecline:   `drops dropped dropping declined declining worse downhill`,
		cThough:    `although though whereas`,
		cAttempt:   `attempt attempts try`,
		cExcess:    `too`,
		cDim:       `long short tight loose big small large thin thick wide narrow tiny huge stiff expensive low high heavy late busy`,
		cThanks:    `thanks thank thx cheers`,
		cDisbelief: `seriously really srsly actually`,
		cFind:      `find see get buy change track check`,
	}).withMorphology(stemEnglish, false),
	"fr": newCues(map[cueFlags]string{
		cObject: `commande commandes colis paquet livraison rembourseme* argent retour retours suivi article articles
			mail mails email réponse appel support chatbot compte appli site paiement carte transporteur livreur
			stock couture coutures fermeture talon bouton confirmation nouvelles nouvelle cliente client code
			semelle bride échange vendeuse vendeur caissière conseillère conseiller`,
		cProblem: `manquant manquante manque cassé cassée abîmé abîmée déchiré déchirée perdu perdue bloqué bloquée
			retardé retardée retard plante planté erreur échoue rétréci bouloche trou taché délavé rayées rayé
			écrasé trempé défaites lâché décollé annulée annulé refusé refusée débitée débité ignorées ignorée ignorés ignoré
			sales sale déteint renvoie vide tombé brûler brûlent invendus fendue fendu craquée craqué coincée
			coincé défectueux défectueuse transparent sous-payées sous-payés exploitées bug bugue beugue
			perdre rupture prélevée prélevé gratte bots jeté balancé déconnecte 404 500 camelote
			effacé supprimé grince craquelle repoussé repousse repoussez reporté reportée pèle pèlent annulation
			humidité moisi moisie pue puait`,
		cWait:      `toujours tjrs`,
		cWaiting:   `attends attente attendre attendu éternité queue`,
		cUnit:      `jour jours semaine semaines mois heure heures minutes quinzaine`,
		cUse:       `lavage lavages lavé lavée porté portée`,
		cNumber:    `un une deux trois quatre cinq six sept huit neuf dix plusieurs quelques`,
		cAccess:    `connecter payer accéder ouvrir valider commander joindre`,
		cOutcome:   `arrivée arrivé arrivés reçu reçue livré livrée expédié expédiée bougé marche fonctionne charge remboursé remboursée existe recevoir`,
		cMore:      `encore`,
		cWho:       `qui`,
		cApprove:   `validé valide approuvé pensé`,
		cEvent:     `anniversaire noël mariage fête soirée vacances week-end`,
		cNothing:   `rien`,
		cContrast:  `mais`,
		cOpener:    `oui ouais bien`,
		cSince:     `depuis fait bout après pendant`,
		cNobody:    `personne`,
		cRespond:   `répond répondu réponse réponses décroche rappeler rappelé aidé aider aide joindre lit lire expliquer explication`,
		cNever:     `jamais`,
		cAgain:     `encore`,
		cBuy:       `commande achète achèterai acheter achat commander`,
		cLast:      `dernière`,
		cTime:      `fois temps`,
		cBoycott:   `boycott boycotte boycotter désabonne désabonner greenwashing exploitation ateliers`,
		cWhere:     `où`,
		cMy:        `mon ma mes`,
		cZero:      `aucun aucune zéro rien pas`,
		cSomeone:   `quelqu'un`,
		cNeg:       `pas n' ne impossible jamais`,
		cSarcasm:   `ah`,
		cOrdinal:   `deuxième 2e troisième 3e quatrième 4e`,
		cNow:       `maintenant tard`,
		cElsewhere: `ailleurs`,
		cDone:      `fini résilie`,
		cRepeat:    `chaque arrêt`,
		cDifferent: `différentes différents différente`,
		cEven:      `même`,
		cFor:       `pour`,
		cCanned:    `type copier-coller automatique automatisée générique`,
		cAnother:   `autre`,
		cWhy:       `pourquoi`,
		cGone:      `parti partis partie épuisé`,
		cExpress:   `express`,
		cAsk:       `demande demandé demandée`,
		cAlready:   `déjà`,
		cLose:      `perdre perdu perdue`,
		cCustomer:  `cliente client clientes clients`,
		cSoon:      `secondes`,
		cPrice:     `prix`,
		cQuality:   `qualité`,
		cFast:      `en moins`,
		cOnly:      `exactement seulement juste`,
		cPast:      `étiez`,
		cRaise:     `augmentez augmentent augmenté augmentation hausse doublé triplé monté grimpé`,
		cDecline:   `baisse baissé pire dégradée`,
		cThough:    `alors`,
		cAttempt:   `tentative tentatives essai`,
		cExcess:    `trop`,
		cDim:       `long longue longues longs court courte courts courtes serré serrée large larges grand grande petit petite fin fine fins épais épaisse étroit étroite cher chère chers lourd lourde tard occupé occupée occupés occupées`,
		cThanks:    `merci`,
		cDisbelief: `sérieux sérieusement vraiment exactement`,
		cFind:      `trouver trouve voir acheter changer suivre peux peut`,
	}).withMorphology(stemFrench, false).inFrench(),
	"de": newCues(map[cueFlags]string{
		cObject: `bestellung bestellungen paket pakete lieferung erstattung rückerstattung geld retoure retouren
			rücksendung sendungsverfolgung sendung artikel mail mails antwort anruf support chatbot konto app
			seite kasse zahlung karte paketdienst bote naht nähte reißverschluss absatz knopf bestätigung
			retourenportal hotline rückmeldung nachricht nachrichten kundin kunde code rabattcode riemen sohle umtausch
			fahrer verkäuferin verkäufer kassiererin mitarbeiterin mitarbeiter beraterin`,
		cProblem: `fehlt fehlen fehlte kaputt kaputtem kaputter beschädigt falsch falsche falscher verloren
			verspätet stürzt abgestürzt fehler eingelaufen knötchen loch fleck ausgeblichen zerkratzt zerdrückt
			durchnässt aufgegangen storniert abgelehnt abgebucht ignoriert dreckig abgefärbt abgefallen
			leere bricht verbrennen verbrannt unverkaufte gerissen gebrochen klemmt defekt durchsichtig
			unterbezahlte unterbezahlt ausgebeutet bug verloren ausverkauft kratzt bots geworfen durchweicht abgelöst 404 500 offline mist abgezogen
			gelöscht quietschen quietscht bröckelt bröckeln dünner verzögerung verschoben verschiebt abgeblättert stornierung
			muffig stinkt stank schimmel schimmelig`,
		cWait:      `noch`,
		cWaiting:   `warte warten wartet warteschleife gewartet hinterher ewig ewigkeit schlange`,
		cUnit:      `tag tage tagen woche wochen monat monaten monate stunde stunden minuten werktage werktagen std`,
		cUse:       `wäsche wäschen`,
		cNumber:    `ein eine einen einem einer zwei drei vier fünf sechs sieben acht neun zehn mehrere paar`,
		cAccess:    `einloggen anmelden bezahlen zugreifen öffnen bestellen erreichen`,
		cOutcome:   `angekommen erhalten geliefert verschickt funktioniert lädt bewegt erstattet existiert bekommen eingetroffen gehalten`,
		cMore:      `noch`,
		cWho:       `wer`,
		cApprove:   `abgesegnet genehmigt freigegeben gedacht`,
		cEvent:     `geburtstag weihnachten hochzeit feier party urlaub wochenende`,
		cNothing:   `nichts`,
		cContrast:  `aber`,
		cOpener:    `klar ja genau`,
		cSince:     `seit nach`,
		cNobody:    `niemand keiner niemanden`,
		cRespond:   `antwortet antwort antworten geantwortet ran zurück gemeldet meldet geholfen helfen hilft erreichen erreichbar liest lesen erreicht zuständig erklären erklärung`,
		cNever:     `nie niemals`,
		cAgain:     `wieder`,
		cBuy:       `bestelle bestellen einkaufe kaufe kaufen einkaufen`,
		cLast:      `letzte`,
		cTime:      `mal dreimal zweimal viermal fünfmal`,
		cBoycott:   `boykott boykottieren entfolgt entfolge greenwashing ausbeutung kinderarbeit`,
		cWhere:     `wo`,
		cMy:        `mein meine meinen meinem meiner`,
		cZero:      `kein keine keinen null nichts nix`,
		cSomeone:   `jemand`,
		cNeg:       `nicht nich ned nie unmöglich`,
		cSarcasm:   `oh`,
		cOrdinal:   `zweiten dritten vierten zweite zweiter dritte dritter vierte vierter`,
		cNow:       `jetzt rum später`,
		cElsewhere: `woanders`,
		cDone:      `schluss kündige`,
		cRepeat:    `ständig dauernd jedes`,
		cDifferent: `verschiedene verschiedenen unterschiedliche`,
		cEven:      `mal einmal`,
		cFor:       `für`,
		cCanned:    `standardantwort automatische automatisch copy-paste textbaustein`,
		cAnother:   `noch`,
		cWhy:       `warum wieso`,
		cGone:      `weg ausverkauft`,
		cExpress:   `express expressversand`,
		cAsk:       `gebeten gefragt nachgefragt`,
		cAlready:   `schon bereits`,
		cLose:      `verloren verlieren`,
		cCustomer:  `kundin kunde kunden`,
		cSoon:      `sekunden`,
		cPrice:     `preis preise`,
		cQuality:   `qualität`,
		cFast:      `innerhalb in binnen`,
		cOnly:      `genau nur`,
		cPast:      `wart früher`,
		cRaise:     `erhöht erhöhung preiserhöhung teurer verdoppelt verdreifacht hochgesetzt angehoben`,
		cDecline:   `sinkt schlechter nachgelassen`,
		cThough:    `obwohl trotzdem`,
		cAttempt:   `versuch versuche zustellversuch`,
		cExcess:    `zu`,
		cDim:       `lang lange kurz kurze eng enge weit weite groß große klein kleine dünn dünne dick dicke breit schmal steif teuer schwer spät beschäftigt`,
		cThanks:    `danke`,
		cVain:      `umsonst`,
		cDisbelief: `ernsthaft ernst echt eigentlich`,
		cFind:      `finde finden sehe sehen kaufen ändern bekomme kann`,
	}).withMorphology(stemGerman, true),
}

// sarcasmEmoji are the emoji people put next to ironic praise.
var sarcasmEmoji = map[string]bool{"🙄": true, "🙃": true, "😒": true, "🤡": true, "😑": true}

// complaint is what the complaint layer found in one text.
type complaint struct {
	strength float64
	sarcasm  bool    // an eye-roll, quoted praise or an ironic opener: praise is not meant
	relief   int     // denied problems ("no holes", "doesn't itch"): mild praise
	soft     float64 // part of strength from cues that praise outweighs (repetition)
	past     bool    // praise is about the past ("you used to be my favourite")
	fast     bool    // a fact of praise: quick delivery, answer or refund ("within 24 hours"), a low price ("only £25")
	// closing is the first token of a short last sentence ("Good to know.", "Merci bien.",
	// "thanks for that") after at least one other sentence, or -1: after criticism, its praise is irony.
	closing int
	rating  float64 // a rating in the text ("10/10", "1/5", "5 stars"), scaled to [0, 1]; -1 when none
	// contrast is a "but" or "although" in the text: a closing "Thanks!" then closes a mixed comment.
	contrast bool
	// report is a statement (no question) of six words or more about a service object (order,
	// parcel, refund, app, card…): on a brand's channel, such a report without praise is a complaint.
	report bool
	quoted bool // a short quoted span ("recycled" line): a closing "Unbelievable." then is irony
	// addressed is a comment that speaks to the brand ("your chat closes at 5"): a closing
	// "Great." after such a report is irony.
	addressed bool
}

// findComplaint reads complaint cues from tokens. It allocates nothing.
func findComplaint(lang string, toks []token, text string) complaint {
	cues := cueTables[lang]
	if cues == nil {
		cues = cueTables["en"]
	}
	var flags [48]cueFlags
	var fl []cueFlags
	if len(toks) > len(flags) {
		fl = make([]cueFlags, len(toks))
	} else {
		fl = flags[:len(toks)]
	}
	var roles [48]roleFlags
	var rl []roleFlags
	if len(toks) > len(roles) {
		rl = make([]roleFlags, len(toks))
	} else {
		rl = roles[:len(toks)]
	}
	rtab := roleTables[lang]
	var all cueFlags
	caps := 0
	c := complaint{closing: -1, rating: -1}
	for i := range toks {
		t := &toks[i]
		switch t.kind {
		case kindEmoji:
			if sarcasmEmoji[t.low] {
				c.sarcasm = true
				c.strength += 1.0
			}
			continue
		case kindWord:
		default:
			continue
		}
		f := cues.lookup(t.low)
		if f == 0 && lang == "en" && strings.HasSuffix(t.low, "n't") {
			f = cNeg
		}
		if f == 0 && attachedUnit(t.low) {
			f = cUnit // "depuis 48h", "seit 3std", "for 10hrs": a number and its unit in one token
		}
		if f&cUnit != 0 && updateDay(toks, i) {
			f = 0 // "mise à jour" is an update, not a day
		}
		if lang == "fr" && t.low == "retour" && i > 0 && toks[i-1].low == "de" {
			f = 0 // "il est de retour": back in stock, not a return
		}
		if lang == "fr" && t.low == "ou" && (i > 0 && (toks[i-1].low == "est" || toks[i-1].low == "sont") || i+1 < len(toks) && toks[i+1].low == "est") {
			f = cWhere // "il est ou mon colis", "ou est ma commande": où without its accent
		}
		fl[i] = f
		all |= f
		if rtab != nil {
			rl[i] = roleOf(rtab, lang, t.low)
		}
		if utf8.RuneCountInString(t.raw) >= 3 && isAllCaps(t.raw) {
			caps++
		}
	}
	if lang == "de" {
		all |= rejoinParticles(cues, toks, fl)
	}
	c.closing = closingClause(toks)
	c.rating = ratingIn(text)
	quoted := hasQuotedSpan(text)
	c.quoted = quoted
	productQuestion(toks, fl, rl, text)
	var anyRole roleFlags
	for _, r := range rl {
		anyRole |= r
	}
	c.addressed = addressesBrand(toks)
	if all == 0 && anyRole == 0 && !c.sarcasm && !quoted && !c.addressed {
		return c
	}
	within := func(i, n int, f cueFlags) bool {
		for d := 1; d <= n && i+d < len(toks); d++ {
			if fl[i+d]&f != 0 {
				return true
			}
		}
		return false
	}
	before := func(i, n int, f cueFlags) bool {
		for d := 1; d <= n && i-d >= 0; d++ {
			if fl[i-d]&f != 0 {
				return true
			}
		}
		return false
	}
	// sentenceHas reports a cue later in the sentence of toks[i].
	sentenceHas := func(i int, f cueFlags) bool {
		for j := i + 1; j < len(toks) && !sentenceEnd(toks[j-1]); j++ {
			if fl[j]&f != 0 {
				return true
			}
		}
		return false
	}
	outcomeMet := false
	nevertheless := 0.0 // soft like repetition, but needs no service object: the clause before says what was done
	problems := 0
	weak := 0.0
	negated := func(i int) bool {
		// "not broken", "ne gratte pas", "kratzt überhaupt nicht": a denied problem is no complaint.
		if before(i, 2, cNeg|cZero) {
			return true
		}
		if lang == "de" || lang == "fr" {
			for d := 1; d <= 2 && i+d < len(toks) && !toks[i+d-1].clauseEnd; d++ {
				if l := toks[i+d].low; l == "nicht" || l == "nich" || l == "pas" {
					return true
				}
			}
		}
		return false
	}
	// postNegated reports a German "funktioniert … nicht" in the same clause.
	postNegated := func(i int) bool {
		for d := 1; d <= 4 && i+d < len(toks) && !toks[i+d-1].clauseEnd; d++ {
			if l := toks[i+d].low; l == "nicht" || l == "nich" {
				return true
			}
		}
		return false
	}
	for i := range toks {
		f := fl[i]
		if toks[i].kind != kindWord {
			continue
		}
		// Two shapes built from words without cues of their own.
		if copyPaste(toks, i) {
			c.strength += 1.5 // a copy-paste reply, un copier-coller, ein Copy-Paste-Text
			continue
		}
		if lang == "fr" && toks[i].low == "avant" && (toks[i].clauseEnd || i == len(toks)-1) && i > 1 {
			c.strength += 0.75 // J'adorais cette marque avant: praise of the past
			c.past = true
			continue
		}
		if f&cContrast != 0 {
			if i == len(toks)-2 && isBareNo(toks[i+1].low) {
				c.strength += 1.5 // I really wanted to love this but no / mais non / aber nein
				c.past = true     // the praise was only hoped for
				continue
			}
		}
		if lang != "en" && isNevertheless(toks, i) && !toks[i].question {
			nevertheless += 1 // Rechnung bezahlt und trotzdem eine Mahnung; payé et quand même relancée
			continue
		}
		if isPhotoWord(toks[i].low) && !toks[i].question && differsInSentence(toks, i) {
			problems++ // nothing like the photos, rien à voir avec la photo, anders als auf den Fotos
			continue
		}
		if lang == "de" && (toks[i].low == "hatte" || toks[i].low == "hatten") && joyAfter(toks, i) {
			c.strength += 0.75 // hatte mich so gefreut: joy that was only looked forward to
			c.past = true
			continue
		}
		if soThatNot(lang, toks, i) {
			problems++ // so loud I couldn't hear, tellement forte qu'on ne s'entend pas, so schmal, dass … nicht
			continue
		}
		if isWithout(toks[i].low) && !toks[i].question && !toks[i].clauseEnd && (fl[i+1]&(cRespond|cObject) != 0 ||
			!toks[i+1].clauseEnd && within(i, 2, cRespond|cObject)) && !within(i, 2, cProblem) {
			c.strength += 1.5 // two weeks without news of my order, sans réponse, ohne Antwort
			continue
		}
		if f == 0 {
			continue
		}
		q := toks[i].question
		switch {
		case f&cBoycott != 0:
			c.strength += 2
		case f&cThanks != 0 && within(i, 2, cNothing) && !within(i, 3, cProblem):
			c.strength += 2 // thanks for nothing, merci pour rien, danke für nichts
			c.sarcasm = true
		case f&cNothing != 0 && before(i, 1, cFor) && !before(i, 3, cThanks) && !nothingToSay(toks, i):
			c.strength += 1.5 // 40 minutes for nothing, 40 minutes de route pour rien
		case f&cVain != 0 && (sentenceHas(i, cUnit) || before(i, 3, cUnit)):
			c.strength += 1.5 // 40 Minuten umsonst gefahren
		case f&cDisbelief != 0 && q && shortQuestion(toks, i, 3):
			c.strength += 1.5 // … seriously? sérieusement ? Im Ernst?
		case f&cDisbelief != 0 && q && quoted:
			c.strength += 1 // When does "dispatched within 24 hours" actually mean 24 hours?
		case f&cExcess != 0 && within(i, 1, cDim) && !questionClause(toks, i):
			if negated(i) {
				c.relief++ // not too tight
			} else {
				problems++ // 10 cm too long, trop serré, zu eng
			}
		case lang == "fr" && toks[i].low == "trop" && i > 0 && toks[i-1].low == "de" && !questionClause(toks, i):
			problems++ // 10 cm de trop
		case f&cOrdinal != 0 && within(i, 2, cAttempt|cObject) && !q:
			c.strength += 1 // third delivery attempt, troisième relance, dritter Zustellversuch
		case f&cWhy != 0 && q && sentenceHas(i, cProblem|cGone|cRespond):
			c.strength += 1.5 // why advertise it if it is sold out? warum … ausverkauft?
		case f&cNothing != 0 && toks[i].clauseEnd && (i == 0 || toks[i-1].clauseEnd):
			c.strength += 1.5 // … today is the 19th. Nothing.
		case f&cOnly != 0 && i+2 < len(toks) && isOne(toks[i+1].low) && fl[i+2]&(cUse|cUnit) != 0:
			c.strength += 1.5 // lasted exactly one wash, a tenu exactement un lavage
		case f&cPast != 0 && (lang != "en" || (i+1 < len(toks) && toks[i+1].low == "to")) && !(i > 0 && unitDays(toks[i-1].low) > 0):
			// ("einen Tag früher da" is a day early, not the past)
			c.strength += 0.75 // you used to be my favourite
			c.past = true
		case f&cRaise != 0 && (within(i, 3, cPrice) || before(i, 6, cPrice) || strings.Contains(toks[i].low, "preis")):
			c.strength += 1.5 // raising prices again
		case f&cDecline != 0 && (before(i, 3, cQuality) || within(i, 2, cQuality)):
			c.strength += 1.5 // while the quality drops
		case f&cThough != 0:
			weak += 0.5 // although it was a gift
		case f&cLose != 0 && (within(i, 4, cCustomer) || before(i, 4, cCustomer)):
			c.strength += 2 // you just lost a customer, vous venez de perdre une cliente
		case f&cRepeat != 0 && repeatAt(lang, toks, i):
			c.soft += 1 // every single time, keeps happening, à chaque fois, ständig
		case f&cDifferent != 0 && (within(i, 2, cRespond) || before(i, 2, cRespond)):
			c.strength += 1.5 // four different answers
		case f&cEven != 0 && (before(i, 2, cNeg) || (lang == "fr" && within(i, 1, cNeg))):
			c.strength += 1 // couldn't even, même pas, nicht mal
		case f&cCanned != 0 && (within(i, 2, cRespond|cObject) || before(i, 2, cRespond|cObject)):
			c.strength += 1.5 // a template reply, une réponse type, eine Standardantwort
		case f&cCanned != 0 && lang == "de" && (strings.HasSuffix(toks[i].low, "antwort") || toks[i].low == "textbaustein"):
			c.strength += 1.5
		case f&cAnother != 0 && anotherOne(lang, toks, i) && within(i, 6, cObject):
			c.strength += 1 // another "sorry" email, encore un mail, noch eine Mail
		case toks[i].low == "encore" && i+1 < len(toks) && (toks[i+1].low == "un" || toks[i+1].low == "une") && within(i, 3, cObject):
			c.strength += 1
		case f&cWhy != 0 && q && within(i, 3, cMy) && within(i, 4, cObject):
			c.strength += 1.5 // why is my refund taking so long? warum dauert meine Erstattung so lange?
		case f&cWhy != 0 && q && within(i, 4, cNeg|cNobody) && !suggestion(lang, toks, i):
			c.strength += 1.5 // why can't anyone…? pourquoi personne… ?
		case f&cWhy != 0 && q && sentenceHas(i, cNeg) && !within(i, 2, cNeg) && !suggestion(lang, toks, i):
			c.strength += 1.5 // why does the app show sizes that aren't available? (not "why not…?", a suggestion)
		case f&cSoon != 0 && (within(i, 3, cGone) || before(i, 3, cGone)):
			c.strength += 1.5 // gone in seconds
		case f&cGone != 0 && goneBefore(toks, i):
			c.strength += 1.5 // sold out before the email lands, épuisé avant même, weg bevor
		case f&cExpress != 0 && slowDays(toks, fl):
			c.strength += 1.5 // paid for express, came in 8 days
		case f&cTime != 0 && !q && countedTimes(toks, fl, i):
			if within(i, 4, cAsk) || before(i, 4, cAsk) {
				c.strength += 1.5 // asked three times, trois fois que je demande, dreimal gebeten
			} else {
				c.soft += 1
			}
		case f&cAlready != 0 && within(i, 4, cProblem):
			weak += 0.5 // already bobbling
		case f&cFor != 0 && before(i, 3, cPrice) && within(i, 4, cQuality):
			c.strength += 1.5 // designer prices for supermarket quality
		case loggedOut(toks, i):
			problems++
		case f&cNever != 0 && (within(i, 5, cBuy|cAgain) || before(i, 3, cBuy)):
			c.strength += 2 // never ordering again, plus jamais je commande, nie wieder
		case f&cOutcome != 0 && all&cUse != 0 && all&cObject == 0 && (before(i, 3, cNeg) || (lang == "de" && postNegated(i))):
			c.relief++ // washed twenty times and the colour hasn't moved
		case f&cOutcome != 0 && toks[i].low == "work" && i > 0 && subjectPronouns[toks[i-1].low]:
			// "I work until 6": the customer's own doing, not an outcome of the order
		case f&cOutcome != 0 && !(before(i, 3, cNeg|cNever) || before(i, 2, cNothing|cZero) || (lang == "de" && postNegated(i))):
			// ("rien reçu", "nothing arrived", "nix angekommen" deny the outcome)
			outcomeMet = true // received, arrived, works: a report of things going as expected
		case f&cOutcome != 0:
			c.strength += 1.5 // hasn't arrived, n'est jamais arrivée, funktioniert nicht
		case f&cLast != 0 && i+1 < len(toks) && (toks[i+1].low == "chance" || toks[i+1].low == "chances"):
			c.strength += 1.5 // one last chance, dernière chance, letzte Chance
		case f&cLast != 0 && within(i, 1, cTime) && within(i, 7, cBuy):
			c.strength += 2 // the last time I shop here
		case f&cLast != 0 && within(i, 2, cBuy|cObject) && !q:
			c.strength += 1.5 // my last order with you, la dernière commande que je passe
		case f&cNobody != 0 && (within(i, 5, cRespond) || before(i, 3, cRespond)):
			c.strength += 2 // nobody picks up, personne ne décroche, niemand zu erreichen
		case f&cZero != 0 && within(i, 2, cRespond|cObject) && f&cObject == 0:
			c.strength += 1.5 // no reply, zero replies, aucune réponse, pas de suivi, keine Antwort
		case f&cNothing != 0 && nothingToSay(toks, i):
			// "rien à redire", "nichts zu meckern", "nothing to complain about" is praise
		case f&cNothing != 0 && (before(i, 3, cUnit) || before(i, 6, cContrast)):
			c.strength += 1.5 // 5 days and nothing; delivered but nothing at my door
		case f&cWait != 0 && statusAfter(toks, i):
			c.strength += 1.5 // tracking still says "label created", le suivi indique toujours
		case f&cWait != 0 && within(i, 3, cNeg|cZero) && within(i, 5, cProblem) && !within(i, 3, cWaiting):
			c.relief++ // still no holes, toujours pas une bouloche, immer noch kein Knötchen
		case f&cWait != 0 && within(i, 3, cNeg|cZero|cWaiting) && !(i+1 < len(toks) && fl[i+1]&cNever != 0):
			// ("noch nie so bequem" is praise: never before)
			c.strength += 1.5 // still no refund, toujours pas, immer noch keine
		case f&cWaiting != 0 && !before(i, 1, cNeg) && !whileBefore(toks, i) && !worthIt(toks, i):
			// ("hemmed my trousers while I waited" is service, not waiting)
			c.strength += 1 // waiting, on hold (but "can't wait" is eager)
		case f&cWait != 0:
			weak += 0.5 // "still" alone: a complaint only with other cues
		case f&cSince != 0 && firstUse(toks, fl, i):
			c.strength += 1 // after one wash, après un lavage, nach einer Wäsche: nothing should change so soon
		case f&cSince != 0 && within(i, 3, cUse):
			weak += 0.5 // after two washes: a complaint only with a problem
		case f&cSince != 0 && (isAfter(toks[i].low) || isSince(toks[i].low)) && within(i, 3, cEvent):
			c.strength += 1.5 // arrived after the birthday: too late
		case f&cWhere != 0 && within(i, 4, cMy) && within(i, 5, cObject) && !within(i, 3, cFind):
			c.strength += 1.5 // where is my refund, où est mon argent, wo bleibt mein Geld
		case f&cSomeone != 0 && q && (within(i, 7, cRespond) || before(i, 4, cRespond)):
			c.strength += 1.5 // when will someone call me back? liest hier jemand?
		case f&cSomeone != 0 && q && i+1 >= len(toks)-1 && shortQuestion(toks, i, 5):
			c.strength += 1 // Is anyone there? Il y a quelqu'un ?
		case f&cWho != 0 && q && within(i, 5, cApprove):
			c.strength += 1.5 // who approved this ad?
		case f&cSince != 0 && toks[i].low == "been" && within(i, 3, cUnit|cWaiting):
			c.strength += 1.5 // it's been a month, been waiting
		case f&cSince != 0 && isAfter(toks[i].low) && within(i, 3, cUnit) && durationDays(toks, fl, i) <= 3:
			weak += 0.5 // "nach drei Tagen zurück", "after 2 days": quick, a complaint only with a problem
		case f&cSince != 0 && within(i, 3, cUnit) && !possessiveUnit(toks, fl, i):
			// ("vous avez fait ma semaine" made my week: a possessive unit is no duration)
			c.strength += 1 // for 9 days, ça fait un mois, seit 9 Tagen
		case f&cSince != 0 && (toks[i].low == "since" || toks[i].low == "depuis" || toks[i].low == "seit"):
			c.strength += 0.75 // since Monday, depuis lundi, seit dem Update
		case f&cUnit != 0 && q && (within(i, 2, cMore) || before(i, 2, cMore)):
			c.strength += 1.5 // how many more weeks? combien de semaines encore ?
		case f&cUnit != 0 && (within(i, 2, cNow) || frenchAgo(toks, i) || germanAgo(toks, i)):
			c.strength += 1 // 9 days now, a week later, une semaine plus tard, il y a deux semaines
		case f&cUnit != 0 && before(i, 2, cOrdinal):
			c.strength += 1 // on the second day, am zweiten Tag
		case f&cUnit != 0 && i+1 < len(toks) && isNumber(toks[i+1].low) && (i == 0 || toks[i-1].clauseEnd):
			c.strength += 1 // Day 6. / Jour 6. / Tag 10
		case f&cUnit != 0 && i > 0 && (fl[i-1]&cNumber != 0 || isNumber(toks[i-1].low)) && !before(i, 3, cSince):
			weak += 0.5 // two weeks: a duration, a complaint with a problem
		case f&cOrdinal != 0 && within(i, 3, cTime):
			c.strength += 1 // third time asking
		case f&cAgain != 0 && (toks[i].clauseEnd || i == len(toks)-1):
			c.strength += 0.75 // … Again. / Encore. / Schon wieder.
		case f&cElsewhere != 0:
			c.strength += 1.5
		case f&cDone != 0 && i+1 < len(toks) && (lang != "fr" || toks[i+1].low == "avec"):
			// ("fini en moins d'une minute" is done quickly; "fini avec vous" is done with the brand)
			c.strength += 1
		case f&cOpener != 0 && i == 0 && quoted:
			c.strength += 1.5 // Sure, "we value your feedback"
			c.sarcasm = true
		case (f&cProblem != 0 || brokePart(toks, i) || cameLoose(lang, toks, i) || goneNow(toks, i)) && !questionClause(toks, i):
			if negated(i) || fixedInClause(toks, i) || remedyAfter(toks, fl, rl, i) {
				// not broken; replaced my broken zip, sorted my missing parcel: a problem solved
				c.relief++
			} else {
				problems++
			}
		case f&cAccess != 0 && !q && (before(i, 4, cNeg) || (lang == "de" && postNegated(i))):
			problems++
		case f&cSarcasm != 0 && i == 0:
			c.sarcasm = true
		}
	}
	if problems > 0 && firstOfUse(toks, fl) {
		c.strength += 1 // in the first wash, au premier lavage, beim ersten Tragen
	}
	c.strength += float64(min(problems, 2))
	sh := readShapes(lang, toks, fl, rl, text)
	c.strength += sh.strength
	c.soft += sh.soft
	c.past = c.past || sh.past
	if last := lastClause(toks); last > 0 && !toks[len(toks)-1].question && rhetorical(toks, last) {
		c.strength += 1 // …, who designed this / qui a dessiné ça / wer hat das entworfen
	} else if c.closing >= 0 && !toks[len(toks)-1].question && cessation(toks, c.closing) {
		c.strength += 1.5 // Loyal for 10 years. Not anymore. / C'est fini. / Jetzt nicht mehr.
	}
	if neverSeen(toks) {
		c.strength += 1.5 // never got a penny back, jamais vu ce colis, keinen Cent gesehen
	}
	if quoted && c.strength == 0 && all&(cNeg|cZero|cNever) != 0 {
		c.strength += 0.5 // a quoted claim ("closed", „übergeben“) and a denial: the claim is contradicted
	}
	if all&cObject != 0 && durationGap(toks, fl) {
		c.strength += 1.5 // 2 days to take my money, 6 weeks to give it back
	}
	c.fast = all&(cProblem|cGone) == 0 && (all&cPrice == 0 && quickFact(lang, toks, fl) || all&cOnly != 0 && cheapFact(toks, fl, text) || lastsFact(toks, fl))
	if c.strength > 0 || all&(cObject|cAttempt|cAccess) != 0 || sh.soft > 0 {
		c.strength += c.soft
	} else {
		c.soft = 0 // "people stop me every time I wear it": repetition alone, of nothing to do with service
	}
	c.strength += nevertheless
	c.soft += nevertheless
	if c.strength > 0 {
		c.strength += weak
	}
	if c.strength > 0 && all&cObject != 0 {
		c.strength += 0.25
	}
	if c.strength > 0 && (strings.Contains(text, "!!") || strings.Contains(text, "??") || strings.Contains(text, "?!")) {
		c.strength += 0.5 // where is my parcel??? / 3 weeks!!!: repeated punctuation intensifies a complaint
	}
	if c.strength > 0 && caps > 0 {
		c.strength += 0.5 * float64(min(caps, 3)) // NEVER AGAIN
	}
	if quoted && c.strength == 0 && quotedPraise(lang, text) {
		// Scare-quoted praise: call fast fashion "sustainable", „nachhaltig“ nennen.
		c.sarcasm = true
		c.strength += 0.5
	}
	if c.strength > 0 && quoted {
		c.sarcasm = true // "Express delivery" they said
		c.strength += 0.5
	}
	c.strength = min(c.strength, maxStrength)
	c.contrast = all&(cContrast|cThough) != 0
	if (all&cObject != 0 || c.addressed) && len(toks) >= 6 && !outcomeMet {
		c.report = true
		for i := range toks {
			if toks[i].question || contactNotice[toks[i].low] || toks[i].kind == kindMention {
				// A question asks; "sent you a DM about my order" announces a message, which says the rest.
				c.report = false
				break
			}
		}
	}
	return c
}

// isNumber reports whether w is written with digits ("9", "2-3" is two tokens).
func isNumber(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// quotedPraise reports a quoted span of one to three words that carries praise.
func quotedPraise(lang, text string) bool {
	ld := data.langs[lang]
	if ld == nil {
		return false
	}
	return quotedSpan(text, func(span string) bool {
		words := strings.Fields(strings.ToLower(span))
		if len(words) > 3 {
			return false
		}
		for _, w := range words {
			if v, _ := lookupWord(ld, strings.Trim(w, ".,!?")); v > 0 {
				return true
			}
		}
		return false
	})
}

// hasQuotedSpan reports whether the text quotes a short span, as in scare
// quotes ("express" delivery, « livraison express », „24h“-Support).
func hasQuotedSpan(text string) bool {
	return quotedSpan(text, func(string) bool { return true })
}

// quotedSpan calls ok with the first span of at most 40 bytes between each kind of quotes
// and reports whether ok accepted one.
func quotedSpan(text string, ok func(span string) bool) bool {
	for _, q := range [...][2]string{{`"`, `"`}, {"“", "”"}, {"«", "»"}, {"„", "“"}} {
		i := strings.Index(text, q[0])
		if i < 0 {
			continue
		}
		rest := text[i+len(q[0]):]
		if j := strings.Index(rest, q[1]); j > 0 && j <= 40 && ok(rest[:j]) {
			return true
		}
	}
	return false
}

// applyComplaint turns a complaint into valence: praise read as irony counts
// at half its weight against the brand, and the strength adds its own share.
//
// head is the valence of the tokens before c.closing: a short closing sentence of praise
// after criticism ("… Support says wait 10 days. Brilliant.", "… Merci bien.") is irony.
func applyComplaint(sum, head float64, drivers []Driver, c complaint) (float64, []Driver) {
	if tail := sum - head; c.closing >= 0 && tail > 0 && !c.contrast && (head <= -ironyHead || c.strength >= complaintMin || (c.report && (c.strength > 0 || c.addressed) || c.quoted) && !c.fast && head <= 0) {
		v := -(1 + ironyWeight) * tail
		sum += v
		c.sarcasm = true
		drivers = append(drivers, Driver{Word: "(irony)", Valence: math.Round(v*1000) / 1000})
	}
	if c.rating >= 0 && c.rating != 0.5 { // 5/10 says nothing either way
		v := (c.rating - 0.5) * ratingScale
		sum += v
		drivers = append(drivers, Driver{Word: "(rating)", Valence: math.Round(v*1000) / 1000})
	}
	if c.fast && c.strength < complaintMin {
		sum += fastValence
		drivers = append(drivers, Driver{Word: "(quick)", Valence: fastValence})
	}
	if c.relief > 0 && c.strength < complaintMin {
		v := reliefValence * float64(min(c.relief, 2))
		sum += v
		drivers = append(drivers, Driver{Word: "(no problem)", Valence: v})
	}
	var praise float64
	for _, d := range drivers {
		if d.Valence > 0 {
			praise += d.Valence
		}
	}
	if praise > 0 {
		c.strength -= c.soft // "every single time it's sorted within the hour" is praise
	} else if c.report && c.strength < complaintMin && !c.fast && c.relief == 0 {
		c.strength = complaintMin // a report about an order with a weak cue and no praise
	}
	if c.strength < complaintMin && !((c.sarcasm || c.past) && c.strength > 0) {
		return sum, drivers
	}
	if c.sarcasm || c.past || c.strength >= sarcasmMin {
		sum -= ironyWeight * praise
	}
	v := -c.strength * complaintScale
	return sum + v, append(drivers, Driver{Word: "(complaint)", Valence: math.Round(v*1000) / 1000})
}

// frenchAgo reports whether the unit at toks[i] follows "il y a" and a number ("il y a deux semaines").
func frenchAgo(toks []token, i int) bool {
	return i >= 3 && toks[i-2].low == "a" && toks[i-3].low == "y" || i >= 2 && toks[i-1].low == "a" && toks[i-2].low == "y"
}

// brokePart reports a part coming off: "fell off", "came apart", "came undone".
func brokePart(toks []token, i int) bool {
	switch toks[i].low {
	case "fell", "came", "come", "comes", "falls", "fall", "falling", "coming":
	default:
		return false
	}
	if i+1 >= len(toks) {
		return false
	}
	switch toks[i+1].low {
	case "off", "apart", "undone", "loose":
		return true
	}
	return false
}

// cameLoose reports German "hat sich … gelöst" (came loose), not "gelöst" (solved).
func cameLoose(lang string, toks []token, i int) bool {
	if lang != "de" || toks[i].low != "gelöst" {
		return false
	}
	for d := 1; d <= 5 && i-d >= 0; d++ {
		if toks[i-d].low == "sich" {
			return true
		}
	}
	return false
}

// repeatAt reports repetition: "every (single) time", "keeps", "à chaque fois",
// "tout le temps", "sans arrêt", "jedes Mal", "ständig", "immer wieder".
func repeatAt(lang string, toks []token, i int) bool {
	w := toks[i].low
	next := func(d int) string {
		if i+d < len(toks) {
			return toks[i+d].low
		}
		return ""
	}
	switch lang {
	case "fr":
		return w == "chaque" && next(1) == "fois" || w == "arrêt" && i > 0 && toks[i-1].low == "sans"
	case "de":
		return w == "jedes" && next(1) == "mal" || w == "ständig" || w == "dauernd"
	}
	switch w {
	case "every":
		return next(1) == "time" || next(2) == "time"
	case "keeps", "keep":
		return true
	}
	return w == "constantly" || w == "repeatedly"
}

// anotherOne reports "another …", "un autre …", "noch eine …".
func anotherOne(lang string, toks []token, i int) bool {
	switch lang {
	case "de":
		if i+1 >= len(toks) {
			return false
		}
		switch toks[i+1].low {
		case "ein", "eine", "einen":
			return true
		}
		return false
	case "fr":
		return i > 0 && (toks[i-1].low == "un" || toks[i-1].low == "une")
	}
	return true
}

// slowDays reports a delivery time of two days or more ("came in 8 days", "nach 8 Tagen").
func slowDays(toks []token, fl []cueFlags) bool {
	for i := 1; i < len(toks); i++ {
		if fl[i]&cUnit == 0 {
			continue
		}
		switch toks[i].low {
		case "days", "weeks", "jours", "semaines", "tagen", "tage", "wochen":
			if isNumber(toks[i-1].low) && toks[i-1].low != "1" || fl[i-1]&cNumber != 0 {
				return true
			}
		}
	}
	return false
}

// countedTimes reports "three times", "4 fois", "dreimal" at a time word.
func countedTimes(toks []token, fl []cueFlags, i int) bool {
	w := toks[i].low
	if len(w) > 3 && strings.HasSuffix(w, "mal") {
		return true // dreimal, viermal
	}
	if i == 0 {
		return false
	}
	p := toks[i-1].low
	if p == "a" || p == "an" || p == "one" || p == "un" || p == "ein" || p == "1" {
		return false
	}
	return isNumber(p) || fl[i-1]&cNumber != 0
}

// loggedOut reports "logs me out", "loggt mich … aus".
func loggedOut(toks []token, i int) bool {
	switch toks[i].low {
	case "logs", "logged", "kicks", "kicked", "throws":
		for d := 1; d <= 3 && i+d < len(toks); d++ {
			if toks[i+d].low == "out" {
				return true
			}
		}
	case "loggt", "wirft":
		for d := 1; d <= 4 && i+d < len(toks); d++ {
			if toks[i+d].low == "aus" || toks[i+d].low == "raus" {
				return true
			}
		}
	}
	return false
}

// isAfter reports the words that put a duration after an event ("after",
// "nach", "après"), which may be quick ("back after 2 days") or slow.
func isAfter(w string) bool { return w == "after" || w == "nach" || w == "après" }

// smallNumbers gives the value of number words up to ten.
var smallNumbers = map[string]float64{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"few": 3, "couple": 2, "several": 4,
	"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
	"quelques": 3, "plusieurs": 4,
	"ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
	"sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "paar": 3, "mehrere": 4,
}

// isOne reports the number one in any of the languages.
func isOne(w string) bool { return w == "1" || smallNumbers[w] == 1 && w != "few" }

// quantity reads a number written in digits or words; 0 when w is none.
func quantity(w string) float64 {
	if v, ok := smallNumbers[w]; ok {
		return v
	}
	v := 0.0
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return 0
		}
		v = v*10 + float64(w[i]-'0')
		if v > 1e6 {
			return 0
		}
	}
	return v
}

// unitDays converts a time unit to days; 0 when w is not one.
func unitDays(w string) float64 {
	switch w {
	case "minute", "minutes", "mins", "minuten", "minute(s)":
		return 1.0 / 1440
	case "hour", "hours", "heure", "heures", "stunde", "stunden", "h":
		return 1.0 / 24
	case "day", "days", "jour", "jours", "tag", "tage", "tagen":
		return 1
	case "week", "weeks", "semaine", "semaines", "woche", "wochen":
		return 7
	case "month", "months", "mois", "monat", "monate", "monaten":
		return 30
	}
	return 0
}

// durationDays reads "<number> <unit>" in the three tokens after i, in days;
// a unit without a number counts as one of it ("after a week" reads the article).
func durationDays(toks []token, fl []cueFlags, i int) float64 {
	for d := 1; d <= 3 && i+d < len(toks); d++ {
		u := unitDays(toks[i+d].low)
		if u == 0 {
			continue
		}
		n := 1.0
		if d >= 2 {
			if q := quantity(toks[i+d-1].low); q > 0 {
				n = q
			}
		}
		return n * u
	}
	return 0
}

// quickFact reports praise stated as a fact of speed: "within 24 hours",
// "in minutes", "the next day", "en moins de 24h", "le lendemain",
// "innerhalb von 24 Stunden", "am nächsten Tag".
func quickFact(lang string, toks []token, fl []cueFlags) bool {
	for i := range toks {
		if toks[i].question {
			continue // "Do you do next day delivery?" asks
		}
		if toks[i].low == "out" && i+1 < len(toks) && toks[i+1].low == "of" {
			return false // "out of stock within a minute" is no praise
		}
		if fl[i]&cSoon != 0 {
			return true // checkout takes seconds, le paiement prend trois secondes
		}
		if unitDays(toks[i].low) > 0 && !updateDay(toks, i) && earlyAfter(toks, i) {
			return true // a day early, un jour d'avance, einen Tag früher
		}
		w := toks[i].low
		switch w {
		case "lendemain":
			return true
		case "next", "nächsten", "same", "selben", "même":
			if i+1 < len(toks) && (unitDays(toks[i+1].low) == 1) || w == "même" && i > 0 && unitDays(toks[i-1].low) == 1 {
				return true
			}
		}
		if fl[i]&cFast == 0 && !isAfter(w) {
			continue
		}
		after := isAfter(w)
		for d := 1; d <= 4 && i+d < len(toks); d++ {
			t := toks[i+d].low
			if h, ok := hoursToken(t); ok {
				return h <= 48
			}
			u := unitDays(t)
			if u == 0 || updateDay(toks, i+d) {
				continue
			}
			if after && u < 1.0/24 {
				return false // "after 20 minutes" on hold is no speed
			}
			n := 1.0
			if q := quantity(toks[i+d-1].low); q > 0 {
				n = q
			}
			return n*u <= 3
		}
	}
	return false
}

// hoursToken reads "24h", "48h" as hours.
func hoursToken(w string) (float64, bool) {
	if len(w) < 2 || w[len(w)-1] != 'h' {
		return 0, false
	}
	q := quantity(w[:len(w)-1])
	return q, q > 0
}

// germanAgo reports whether the unit at toks[i] follows "vor" and a number ("vor zwei Wochen").
func germanAgo(toks []token, i int) bool {
	return i >= 2 && toks[i-2].low == "vor" && quantity(toks[i-1].low) > 0 || i >= 1 && toks[i-1].low == "vor"
}

// questionClause reports whether the clause holding toks[i] ends with "?":
// "Is the link broken?" asks, "Charged three times, who will refund me?" complains.
func questionClause(toks []token, i int) bool {
	for j := i; j < len(toks); j++ {
		if toks[j].clauseEnd {
			return toks[j].end == '?'
		}
	}
	return toks[i].question
}

// nothingToSay reports "nothing to complain about" and its French and German forms.
func nothingToSay(toks []token, i int) bool {
	if i+2 >= len(toks) {
		return false
	}
	a, b := toks[i+1].low, toks[i+2].low
	return a == "à" && b == "redire" || a == "zu" && (b == "meckern" || b == "beanstanden") || a == "to" && (b == "complain" || b == "fault")
}

// sentenceEnd reports whether a sentence ends after t.
func sentenceEnd(t token) bool { return t.end == '.' || t.end == '!' || t.end == '?' }

// isSince reports the words that start a duration up to now ("since", "depuis", "seit").
func isSince(w string) bool { return w == "since" || w == "depuis" || w == "seit" }

// shortQuestion reports whether toks[i] sits in a question of at most n words:
// "Seriously?", "… sérieusement ?", "Is anyone there?".
func shortQuestion(toks []token, i, n int) bool {
	if !toks[i].question {
		return false
	}
	start, end := i, i
	for start > 0 && !sentenceEnd(toks[start-1]) && !toks[start-1].clauseEnd {
		start--
	}
	for end < len(toks)-1 && !toks[end].clauseEnd {
		end++
	}
	return end-start+1 <= n
}

// closingClause returns the first token of a last sentence of one to three tokens that
// follows another sentence ("… soaked. thanks for that", "… Merci bien.", "… Danke auch."), or -1.
func closingClause(toks []token) int {
	n := len(toks)
	if n < 3 {
		return -1
	}
	last := n - 1
	if sentenceEnd(toks[last]) {
		last-- // the text's own final punctuation
	}
	for j := last; j >= 0 && j >= n-4; j-- {
		if sentenceEnd(toks[j]) {
			if j+1 < n && j >= 1 {
				return j + 1
			}
			return -1
		}
	}
	return -1
}

// lastClause returns the first token of a last clause of one to six tokens after a comma
// or a sentence end, or -1.
func lastClause(toks []token) int {
	n := len(toks)
	for j := n - 2; j >= 0 && j >= n-7; j-- {
		if toks[j].clauseEnd {
			return j + 1
		}
	}
	return -1
}

// rejoinParticles gives a German separable verb split in its clause the cue of the
// joined verb: "Knöpfe fallen ab" is "abfallen", indexed from "abgefallen". It returns
// the cues it added.
func rejoinParticles(cues *complaintCues, toks []token, fl []cueFlags) cueFlags {
	var added cueFlags
	for i, t := range toks {
		if t.kind != kindWord || !(t.clauseEnd || i == len(toks)-1) || !slices.Contains(germanParticles, t.low) {
			continue
		}
		for d := 1; d <= 8 && i-d >= 0 && !toks[i-d].clauseEnd; d++ {
			v := toks[i-d]
			if v.kind != kindWord || fl[i-d] != 0 || len(v.low) < 3 {
				continue
			}
			if f := cues.separable[t.low][cues.stem(v.low)]; f != 0 {
				fl[i-d] = f
				added |= f
				break
			}
		}
	}
	return added
}

// ratingIn reads a rating written as "8/10", "1/5" or "5 stars" / "5 étoiles" / "5 Sterne",
// scaled to [0, 1]; -1 when the text has none.
func ratingIn(text string) float64 {
	for i := 0; i < len(text); i++ {
		if text[i] < '0' || text[i] > '9' || i > 0 && text[i-1] >= '0' && text[i-1] <= '9' {
			continue
		}
		j := i
		for j < len(text) && text[j] >= '0' && text[j] <= '9' && j-i < 3 {
			j++
		}
		num := quantity(text[i:j])
		k := j
		for k < len(text) && text[k] == ' ' {
			k++
		}
		if k < len(text) && text[k] == '/' {
			k++
			for k < len(text) && text[k] == ' ' {
				k++
			}
			m := k
			for m < len(text) && text[m] >= '0' && text[m] <= '9' && m-k < 3 {
				m++
			}
			if m < len(text) && (text[m] >= '0' && text[m] <= '9' || text[m] == '/') {
				continue // a date or a longer number: 12/10/2026
			}
			if den := quantity(text[k:m]); (den == 10 || den == 5) && num <= den {
				return num / den
			}
			continue
		}
		rest := strings.ToLower(text[k:min(len(text), k+12)])
		for _, w := range [...]string{"out of ", "sur ", "von "} {
			// "10 out of 10", "10 sur 10", "10 von 10"
			if r, ok := strings.CutPrefix(rest, w); ok {
				m := 0
				for m < len(r) && r[m] >= '0' && r[m] <= '9' && m < 2 {
					m++
				}
				if den := quantity(r[:m]); (den == 10 || den == 5) && num <= den && (m == len(r) || r[m] < '0' || r[m] > '9') {
					return num / den
				}
			}
		}
		for _, w := range [...]string{"stars", "star", "étoile", "stern"} {
			if strings.HasPrefix(rest, w) && num >= 1 && num <= 5 {
				return num / 5
			}
		}
	}
	return -1
}

// durationGap reports two durations of which the later is at least five times the
// earlier: "2 days to take my money and 6 weeks to give it back", "Abbuchen in 2 Tagen,
// Rückerstattung in 6 Wochen".
func durationGap(toks []token, fl []cueFlags) bool {
	first := 0.0
	for i := 1; i < len(toks); i++ {
		if fl[i]&cUnit == 0 {
			continue
		}
		q := quantity(toks[i-1].low)
		if q == 0 {
			continue
		}
		d := q * unitDays(toks[i].low)
		if d == 0 {
			continue
		}
		if first == 0 {
			first = d
		} else if d >= 5*first {
			return true
		}
	}
	return false
}

// updateDay reports the "jour" of French "mise à jour" (an update).
func updateDay(toks []token, i int) bool {
	return i >= 2 && toks[i].low == "jour" && toks[i-1].low == "à" && toks[i-2].low == "mise"
}

// earlyAfter reports "early" right after a unit: "a day early", "un jour d'avance",
// "un jour plus tôt", "einen Tag früher".
func earlyAfter(toks []token, i int) bool {
	for d := 1; d <= 2 && i+d < len(toks); d++ {
		switch toks[i+d].low {
		case "early", "earlier", "avance", "tôt", "früher", "eher":
			return true
		case "d'", "plus":
			continue
		}
		return false
	}
	return false
}

// cheapFact reports praise of a low price stated as a fact: "only £25", "seulement 25€", "nur 25 €".
func cheapFact(toks []token, fl []cueFlags, text string) bool {
	if !strings.ContainsAny(text, "€£$") {
		return false
	}
	for i := range toks {
		if fl[i]&cOnly == 0 || toks[i].question {
			continue
		}
		for d := 1; d <= 2 && i+d < len(toks); d++ {
			if isNumber(toks[i+d].low) {
				return !(i+d+1 < len(toks) && unitDays(toks[i+d+1].low) > 0)
			}
		}
	}
	return false
}

// whileBefore reports "while", "pendant que", "während" just before a waiting word:
// "hemmed my trousers while I waited" is service done on the spot.
func whileBefore(toks []token, i int) bool {
	for d := 1; d <= 3 && i-d >= 0; d++ {
		switch toks[i-d].low {
		case "while", "whilst", "pendant", "während":
			return true
		}
	}
	return false
}

// fixVerbs are the verbs of a problem solved: "replaced my broken zip", "sorted my missing parcel".
var fixVerbs = map[string]bool{
	"replaced": true, "repaired": true, "fixed": true, "sorted": true, "solved": true, "resolved": true, "exchanged": true, "swapped": true,
	"remplacé": true, "remplacée": true, "réparé": true, "réparée": true, "changé": true, "changée": true, "échangé": true, "résolu": true, "retrouvé": true,
	"ersetzt": true, "repariert": true, "getauscht": true, "umgetauscht": true, "ausgetauscht": true, "behoben": true, "gefunden": true,
}

// fixedInClause reports a fix verb in the clause of the problem word at toks[i].
func fixedInClause(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-6 && !toks[j].clauseEnd; j-- {
		if fixVerbs[toks[j].low] {
			return true
		}
	}
	for j := i + 1; j < len(toks) && j <= i+6; j++ {
		if fixVerbs[toks[j].low] {
			return true
		}
		if toks[j].clauseEnd {
			break
		}
	}
	return false
}

// goneNow reports "gone" or "weg" after a form of "to be": "now it's gone", "jetzt ist es weg".
func goneNow(toks []token, i int) bool {
	if w := toks[i].low; w != "gone" && w != "weg" {
		return false
	}
	for d := 1; d <= 2 && i-d >= 0; d++ {
		switch toks[i-d].low {
		case "is", "are", "was", "it's", "ist", "sind", "war", "waren":
			return true
		}
	}
	return false
}

// statusAfter reports a tracking status that has not changed: "still says", "indique toujours",
// "zeigt immer noch", followed by a quoted status or right after the status verb.
func statusAfter(toks []token, i int) bool {
	for d := -2; d <= 2; d++ {
		if d == 0 || i+d < 0 || i+d >= len(toks) {
			continue
		}
		switch toks[i+d].low {
		case "says", "shows", "indique", "affiche", "zeigt", "steht", "marqué":
			return true
		}
	}
	return false
}

// copyPaste reports a copy-paste reply, which the tokenizer splits: "copy-paste", "copier coller", "Copy-Paste-Text".
func copyPaste(toks []token, i int) bool {
	return i > 0 && (toks[i].low == "paste" && toks[i-1].low == "copy" || toks[i].low == "coller" && toks[i-1].low == "copier")
}

// longUnits are the durations of ownership: years, winters, seasons.
var longUnits = map[string]bool{
	"years": true, "winters": true, "seasons": true, "ans": true, "années": true, "hivers": true, "saisons": true,
	"jahre": true, "jahren": true, "wintern": true, "winter": true,
}

// stillNew are the words of a thing that still looks new: "still looks brand new", "comme neuf", "wie neu".
var stillNew = map[string]bool{"new": true, "neuf": true, "neuve": true, "neu": true, "still": true, "toujours": true, "immer": true}

// lastsFact reports praise of durability stated as a fact: a number of years, winters or
// seasons of use and a thing that still looks new ("Had this coat for 6 winters and it still
// looks brand new", "depuis 6 hivers et il est comme neuf", "seit sechs Wintern … wie neu").
func lastsFact(toks []token, fl []cueFlags) bool {
	long := false
	for i := 1; i < len(toks); i++ {
		if (isNumber(toks[i-1].low) || fl[i-1]&cNumber != 0) && quantity(toks[i-1].low) >= 2 && longUnits[toks[i].low] {
			long = true
			continue
		}
		if long && stillNew[toks[i].low] && !toks[i].question {
			return true
		}
	}
	return false
}

// possessiveUnit reports a unit after a possessive in the window of toks[i]: "fait ma semaine"
// (made my week) is no duration.
func possessiveUnit(toks []token, fl []cueFlags, i int) bool {
	for d := 1; d <= 3 && i+d < len(toks); d++ {
		if fl[i+d]&cUnit != 0 {
			return fl[i+d-1]&cMy != 0 || toks[i+d-1].low == "your" || toks[i+d-1].low == "votre" || toks[i+d-1].low == "ta"
		}
	}
	return false
}

// whWords open a rhetorical question.
var whWords = map[string]bool{
	"who": true, "what": true, "why": true, "qui": true, "quoi": true, "pourquoi": true, "wer": true, "was": true,
	"warum": true, "wozu": true, "wieso": true,
}

// rhetorical reports a short closing clause that asks without asking, after a statement:
// "… who designed this", "… what happened", "… c'est quoi ces tailles", "… à quoi bon",
// "… on nous prend pour qui", "… was ist da los", "… wozu überhaupt".
func rhetorical(toks []token, start int) bool {
	for j := start; j < len(toks) && j <= start+3; j++ {
		if whWords[toks[j].low] {
			// "exactly what I was looking for", "das, was ich gesucht habe": a relative clause
			return !(j+1 < len(toks) && subjectPronouns[toks[j+1].low])
		}
	}
	return false
}

// subjectPronouns follow a relative "what"/"was"/"ce que", never a rhetorical question's wh-word.
var subjectPronouns = map[string]bool{
	"i": true, "you": true, "we": true, "they": true, "je": true, "j'": true, "tu": true, "nous": true,
	"ich": true, "du": true, "wir": true, "man": true,
}

// cessationWords end a relationship: "not anymore", "no longer", "c'est fini", "nicht mehr".
var cessationWords = map[string]bool{"anymore": true, "longer": true, "fini": true, "terminé": true, "mehr": true, "maintenant": true}

// cessation reports a short closing sentence that ends a relationship: "Not anymore.",
// "No longer.", "C'est fini.", "Plus maintenant.", "Jetzt nicht mehr.".
func cessation(toks []token, start int) bool {
	neg := false
	for j := start; j < len(toks); j++ {
		switch toks[j].low {
		case "not", "no", "c'", "plus", "nicht", "nie":
			neg = true
		}
		if cessationWords[toks[j].low] && neg {
			return true
		}
	}
	return false
}

// neverSeen reports a denied receipt of money or a parcel: "never got a penny back",
// "je n'ai jamais vu ce colis", "keinen Cent gesehen".
func neverSeen(toks []token) bool {
	for i, t := range toks {
		switch t.low {
		case "got", "seen", "saw", "vu", "reçu", "gesehen", "bekommen":
		default:
			continue
		}
		denied, thing := false, false
		for d := 1; d <= 4 && i-d >= 0; d++ {
			switch toks[i-d].low {
			case "never", "not", "didn't", "haven't", "jamais", "pas", "keinen", "keine", "nie", "nichts":
				denied = true
			case "penny", "cent", "centime", "euro", "colis", "paket", "parcel", "money", "argent", "geld":
				thing = true
			}
		}
		for d := 1; d <= 3 && i+d < len(toks); d++ {
			switch toks[i+d].low {
			case "penny", "cent", "centime", "colis", "paket", "parcel", "money", "argent", "geld", "refund":
				thing = true
			}
		}
		if denied && thing {
			return true
		}
	}
	return false
}

// isWithout reports "without", "sans", "ohne".
func isWithout(w string) bool { return w == "without" || w == "sans" || w == "ohne" }

// contactNotice are the words of a comment that points to a private message.
var contactNotice = map[string]bool{"dm": true, "dms": true, "mp": true, "inbox": true, "privé": true, "pn": true}

// isBareNo reports a bare "no" closing a comment: "… but no", "mais non", "aber nein".
func isBareNo(w string) bool { return w == "no" || w == "nope" || w == "non" || w == "nein" }

// isNevertheless reports German "trotzdem" and French "quand même" after a first clause:
// the customer did their part, the brand did not ("Rechnung bezahlt und trotzdem eine Mahnung").
func isNevertheless(toks []token, i int) bool {
	if i < 2 {
		return false
	}
	switch toks[i].low {
	case "trotzdem":
		return true
	case "même":
		return toks[i-1].low == "quand"
	}
	return false
}

// soThatNot reports "so <adjective> (that) … not": a quality so strong that something fails,
// "so loud I couldn't hear", "tellement forte qu'on ne s'entend pas", "so schmal, dass ich … nicht".
// Praise words are excluded ("so soft I can't stop touching it").
func soThatNot(lang string, toks []token, i int) bool {
	switch toks[i].low {
	case "so", "too", "tellement", "si", "trop":
	default:
		return false
	}
	if i+2 >= len(toks) || toks[i].question {
		return false
	}
	ld := data.langs[lang]
	if ld == nil {
		return false
	}
	if v, _ := lookupWord(ld, toks[i+1].low); v > 0 {
		return false
	}
	for d := 2; d <= 7 && i+d < len(toks); d++ {
		w := toks[i+d].low
		if w == "not" || w == "pas" || w == "nicht" || w == "kein" || w == "keine" || strings.HasSuffix(w, "n't") {
			return true
		}
		if sentenceEnd(toks[i+d]) {
			return false
		}
	}
	return false
}

// firstUse reports "after one wash", "after the first wash", "après un lavage", "nach der ersten Wäsche".
func firstUse(toks []token, fl []cueFlags, i int) bool {
	for d := 1; d <= 2 && i+d+1 < len(toks); d++ {
		w := toks[i+d].low
		if (isOne(w) || w == "first" || w == "premier" || w == "première" || w == "ersten" || w == "erste") && fl[i+d+1]&cUse != 0 {
			return true
		}
	}
	return false
}

// isPhotoWord reports what a product is compared with when it disappoints (a switch: it runs on every word).
func isPhotoWord(w string) bool {
	switch w {
	case "photo", "photos", "picture", "pictures", "pics", "description", "fotos", "foto", "bild", "bildern", "bilder", "beschreibung":
		return true
	}
	return false
}

// differsInSentence reports a word of difference in the sentence of toks[i]:
// "nothing like", "different", "rien à voir", "anderes … als".
func differsInSentence(toks []token, i int) bool {
	start := i
	for start > 0 && !sentenceEnd(toks[start-1]) {
		start--
	}
	for j := start; j < len(toks); j++ {
		switch toks[j].low {
		case "nothing", "different", "unlike", "rien", "différent", "différente", "anders", "anderes", "andere", "anderen":
			return true
		}
		if j > i && sentenceEnd(toks[j]) {
			break
		}
	}
	return false
}

// joyAfter reports a praise or joy word in the clause after German "hatte": "hatte mich so gefreut".
func joyAfter(toks []token, i int) bool {
	ld := data.langs["de"]
	for d := 1; d <= 8 && i+d < len(toks); d++ {
		if v, _ := lookupWord(ld, toks[i+d].low); v > 0 {
			return true
		}
		if toks[i+d].clauseEnd {
			return false
		}
	}
	return false
}

// addressesBrand reports a comment that speaks to the brand: "you", "your", "vous", "votre", "ihr", "euer".
func addressesBrand(toks []token) bool {
	for _, t := range toks {
		switch t.low {
		case "you", "your", "you've", "you're", "vous", "votre", "vos", "ihr", "euer", "eure", "euch", "eurem", "euren":
			return true
		}
	}
	return false
}

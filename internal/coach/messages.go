package coach

import "fmt"

// msgKey names one evidence or suggestion text.
type msgKey int

const (
	msgSentiment msgKey = iota
	msgArousal
	msgEmoji
	msgExclaim
	msgExclaimMany
	msgMedia
	msgMediaRequired
	msgNoMedia
	msgReadability
	msgLongSentences
	msgLinks
	msgHashtags
	msgLengthAll
	msgLengthNetwork
	msgHook
	msgReward
	msgContest
	msgChannels
	msgMentions
	msgCTA
	msgBait
	msgQuestion
	msgUTM
	sugNegativeTone
	sugEnthusiasmKeep
	sugNoAffect
	sugTooManyExclaims
	sugMoreEnthusiasm
	sugAddVisual
	sugAddVisualFor
	sugSimplify
	sugShortSentences
	sugOneLink
	sugFewerHashtags
	sugAddHashtag
	sugShorten
	sugShareKeep
	sugContestTerms
	sugAddReward
	sugStrongerReward
	sugRewardKeep
	sugMoreChannels
	sugMoreChannelsOf
	msgAnd
	sugMentionPartner
	sugActiveKeep
	sugAddCTA
	sugNoBait
	sugAskQuestion
	sugUTM
	sugInviteKeep
	msgCount // number of keys; every catalog must define all of them
)

// catalog holds one language's texts, indexed by msgKey.
type catalog map[msgKey]string

// f formats a text with arguments.
func (c catalog) f(k msgKey, args ...any) string { return fmt.Sprintf(c[k], args...) }

// s returns a text without arguments.
func (c catalog) s(k msgKey) string { return c[k] }

var messages = map[string]catalog{
	"en": {
		msgSentiment:       "sentiment %.2f (%s)",
		msgArousal:         "high-arousal words: %s",
		msgEmoji:           "positive emoji: %s",
		msgExclaim:         "%d exclamation mark(s)",
		msgExclaimMany:     "%d exclamation marks (more than 3 reads as shouting)",
		msgMedia:           "%d visual(s) attached",
		msgMediaRequired:   "%s requires a visual",
		msgNoMedia:         "no visual attached",
		msgReadability:     "%s readability %.0f (pass ≥ %.0f)",
		msgLongSentences:   "sentences average %.0f words (aim for 20 or fewer)",
		msgLinks:           "%d links (1 at most keeps one message)",
		msgHashtags:        "%d hashtag(s)",
		msgLengthAll:       "%d characters (280 fit every network)",
		msgLengthNetwork:   "%s allows %d characters; this draft has %d",
		msgHook:            "first line has %d characters; about 125 show before \"more\"",
		msgReward:          "reward signals: %s",
		msgContest:         "contest: %s",
		msgChannels:        "planned on %d channel(s)",
		msgMentions:        "partners or multipliers mentioned: %s",
		msgCTA:             "call to share: %s",
		msgBait:            "engagement bait that platforms demote: %s",
		msgQuestion:        "asks a question (invites comments)",
		msgUTM:             "landing link carries UTM parameters",
		sugNegativeTone:    "The tone reads negative; unless this is a cause campaign, frame it around what people gain (\"finally fixed\", \"now easier\").",
		sugEnthusiasmKeep:  "Strong emotional charge; keep it.",
		sugNoAffect:        "This reads as pure information; add one feeling word (\"finally\", \"we love\") or an emoji such as 😍.",
		sugTooManyExclaims: "Keep one to three exclamation marks; more reads as shouting.",
		sugMoreEnthusiasm:  "Add a high-arousal word (\"wow\", \"finally\", \"can't wait\") or a positive emoji to lift the emotion.",
		sugAddVisual:       "Attach an image or a short video: visual posts are shared more.",
		sugAddVisualFor:    "Attach an image or a short video: visual posts are shared more, and posts on %s need one.",
		sugSimplify:        "Simplify: shorter words and sentences make the message easier to pass on.",
		sugShortSentences:  "Split long sentences; aim for 20 words or fewer.",
		sugOneLink:         "Keep a single link so the post carries one message.",
		sugFewerHashtags:   "Use one to five hashtags; more looks like spam.",
		sugAddHashtag:      "Add one to five relevant hashtags, including a branded one.",
		sugShorten:         "Shorten the text and put the hook in the first 125 characters.",
		sugShareKeep:       "Easy to share as it is.",
		sugContestTerms:    "Link the contest's terms of participation in the post.",
		sugAddReward:       "Reward the audience: an exclusive preview, early access, or a code such as WELCOME10.",
		sugStrongerReward:  "Make the reward concrete: state the discount or the code, and for whom it is.",
		sugRewardKeep:      "Clear reward; keep it.",
		sugMoreChannels:    "Plan the piece on at least two channels, with a variant per network.",
		sugMoreChannelsOf:  "Plan it on your other channels too (%s), with a variant per network.",
		msgAnd:             "and",
		sugMentionPartner:  "Mention a partner, creator or team member who can carry the post further.",
		sugActiveKeep:      "Well distributed; keep the per-network variants.",
		sugAddCTA:          "Invite sharing in your own words: \"share with your friends\", \"save this for later\".",
		sugNoBait:          "Replace \"tag a friend\"-style bait with a natural invitation such as \"share it with whoever needs it\".",
		sugAskQuestion:     "End with a question to invite comments.",
		sugUTM:             "Add UTM parameters to the link so shares can be measured.",
		sugInviteKeep:      "Clear invitation to share; keep it.",
	},
	"fr": {
		msgSentiment:       "sentiment %.2f (%s)",
		msgArousal:         "mots à forte intensité : %s",
		msgEmoji:           "émojis positifs : %s",
		msgExclaim:         "%d point(s) d'exclamation",
		msgExclaimMany:     "%d points d'exclamation (au-delà de 3, cela crie)",
		msgMedia:           "%d visuel(s) joint(s)",
		msgMediaRequired:   "%s exige un visuel",
		msgNoMedia:         "aucun visuel joint",
		msgReadability:     "lisibilité %s %.0f (seuil ≥ %.0f)",
		msgLongSentences:   "phrases de %.0f mots en moyenne (visez 20 au plus)",
		msgLinks:           "%d liens (un seul garde un message unique)",
		msgHashtags:        "%d hashtag(s)",
		msgLengthAll:       "%d caractères (280 passent sur tous les réseaux)",
		msgLengthNetwork:   "%s autorise %d caractères ; ce brouillon en compte %d",
		msgHook:            "la première ligne fait %d caractères ; environ 125 s'affichent avant « plus »",
		msgReward:          "récompenses : %s",
		msgContest:         "concours : %s",
		msgChannels:        "prévu sur %d canal(aux)",
		msgMentions:        "partenaires ou relais mentionnés : %s",
		msgCTA:             "invitation à partager : %s",
		msgBait:            "appât à engagement pénalisé par les plateformes : %s",
		msgQuestion:        "pose une question (invite aux commentaires)",
		msgUTM:             "le lien porte des paramètres UTM",
		sugNegativeTone:    "Le ton est négatif ; sauf pour une cause, mettez en avant ce que l'on y gagne (« enfin réglé », « plus simple »).",
		sugEnthusiasmKeep:  "Forte charge émotionnelle ; gardez-la.",
		sugNoAffect:        "Le texte est purement informatif ; ajoutez un mot d'émotion (« enfin », « on adore ») ou un émoji comme 😍.",
		sugTooManyExclaims: "Gardez un à trois points d'exclamation ; au-delà, cela crie.",
		sugMoreEnthusiasm:  "Ajoutez un mot fort (« enfin », « incroyable », « on a hâte ») ou un émoji positif pour plus d'émotion.",
		sugAddVisual:       "Joignez une image ou une courte vidéo : les posts visuels sont plus partagés.",
		sugAddVisualFor:    "Joignez une image ou une courte vidéo : les posts visuels sont plus partagés, et les publications sur %s en exigent un.",
		sugSimplify:        "Simplifiez : des mots et des phrases plus courts se transmettent mieux.",
		sugShortSentences:  "Coupez les phrases longues ; visez 20 mots au plus.",
		sugOneLink:         "Gardez un seul lien pour un message unique.",
		sugFewerHashtags:   "Utilisez un à cinq hashtags ; au-delà, cela fait spam.",
		sugAddHashtag:      "Ajoutez un à cinq hashtags pertinents, dont un hashtag de marque.",
		sugShorten:         "Raccourcissez le texte et placez l'accroche dans les 125 premiers caractères.",
		sugShareKeep:       "Facile à partager tel quel.",
		sugContestTerms:    "Ajoutez le lien vers le règlement du concours.",
		sugAddReward:       "Récompensez votre audience : un avant-goût exclusif, un accès en avant-première ou un code comme BIENVENUE10.",
		sugStrongerReward:  "Rendez la récompense concrète : indiquez la remise ou le code, et pour qui.",
		sugRewardKeep:      "Récompense claire ; gardez-la.",
		sugMoreChannels:    "Prévoyez la publication sur au moins deux canaux, avec une variante par réseau.",
		sugMoreChannelsOf:  "Prévoyez-la aussi sur vos autres canaux (%s), avec une variante par réseau.",
		msgAnd:             "et",
		sugMentionPartner:  "Mentionnez un partenaire, un créateur ou un collaborateur qui peut relayer le post.",
		sugActiveKeep:      "Bonne diffusion ; gardez les variantes par réseau.",
		sugAddCTA:          "Invitez au partage avec vos mots : « partagez-le avec vos amis », « enregistrez-le pour plus tard ».",
		sugNoBait:          "Remplacez « identifie un ami » par une invitation naturelle comme « partage-le à qui en a besoin ».",
		sugAskQuestion:     "Terminez par une question pour susciter des commentaires.",
		sugUTM:             "Ajoutez des paramètres UTM au lien pour mesurer les partages.",
		sugInviteKeep:      "Invitation au partage claire ; gardez-la.",
	},
	"de": {
		msgSentiment:       "Stimmung %.2f (%s)",
		msgArousal:         "aktivierende Wörter: %s",
		msgEmoji:           "positive Emojis: %s",
		msgExclaim:         "%d Ausrufezeichen",
		msgExclaimMany:     "%d Ausrufezeichen (mehr als 3 wirkt wie Schreien)",
		msgMedia:           "%d Bild(er) oder Video(s) angehängt",
		msgMediaRequired:   "%s verlangt ein Bild oder Video",
		msgNoMedia:         "kein Bild oder Video angehängt",
		msgReadability:     "Lesbarkeit %s %.0f (Ziel ≥ %.0f)",
		msgLongSentences:   "Sätze mit durchschnittlich %.0f Wörtern (Ziel: höchstens 20)",
		msgLinks:           "%d Links (höchstens einer hält die Botschaft klar)",
		msgHashtags:        "%d Hashtag(s)",
		msgLengthAll:       "%d Zeichen (280 passen in jedes Netzwerk)",
		msgLengthNetwork:   "%s erlaubt %d Zeichen; dieser Entwurf hat %d",
		msgHook:            "die erste Zeile hat %d Zeichen; etwa 125 sind vor „mehr“ sichtbar",
		msgReward:          "Belohnungen: %s",
		msgContest:         "Gewinnspiel: %s",
		msgChannels:        "auf %d Kanal/Kanälen geplant",
		msgMentions:        "erwähnte Partner oder Multiplikatoren: %s",
		msgCTA:             "Aufruf zum Teilen: %s",
		msgBait:            "Engagement-Köder, den Plattformen abwerten: %s",
		msgQuestion:        "stellt eine Frage (lädt zum Kommentieren ein)",
		msgUTM:             "der Link trägt UTM-Parameter",
		sugNegativeTone:    "Der Ton wirkt negativ; außer bei einer Kampagne für einen guten Zweck lieber zeigen, was man gewinnt („endlich gelöst“, „jetzt einfacher“).",
		sugEnthusiasmKeep:  "Starke emotionale Ladung; so lassen.",
		sugNoAffect:        "Der Text ist rein informativ; ergänze ein Gefühlswort („endlich“, „wir lieben“) oder ein Emoji wie 😍.",
		sugTooManyExclaims: "Ein bis drei Ausrufezeichen reichen; mehr wirkt wie Schreien.",
		sugMoreEnthusiasm:  "Ergänze ein starkes Wort („endlich“, „ab heute“, „wow“) oder ein positives Emoji für mehr Emotion.",
		sugAddVisual:       "Hänge ein Bild oder ein kurzes Video an: visuelle Posts werden öfter geteilt.",
		sugAddVisualFor:    "Hänge ein Bild oder ein kurzes Video an: visuelle Posts werden öfter geteilt, und Beiträge auf %s brauchen eins.",
		sugSimplify:        "Vereinfache: kürzere Wörter und Sätze lassen sich leichter weitergeben.",
		sugShortSentences:  "Teile lange Sätze; höchstens 20 Wörter pro Satz.",
		sugOneLink:         "Nur ein Link, damit der Post eine klare Botschaft hat.",
		sugFewerHashtags:   "Ein bis fünf Hashtags reichen; mehr wirkt wie Spam.",
		sugAddHashtag:      "Ergänze ein bis fünf passende Hashtags, darunter einen Marken-Hashtag.",
		sugShorten:         "Kürze den Text und bring den Aufhänger in die ersten 125 Zeichen.",
		sugShareKeep:       "So lässt es sich leicht teilen.",
		sugContestTerms:    "Verlinke die Teilnahmebedingungen des Gewinnspiels im Post.",
		sugAddReward:       "Belohne dein Publikum: eine exklusive Vorschau, früher Zugang oder ein Code wie WILLKOMMEN10.",
		sugStrongerReward:  "Mach die Belohnung konkret: nenne Rabatt oder Code und für wen er gilt.",
		sugRewardKeep:      "Klare Belohnung; so lassen.",
		sugMoreChannels:    "Plane den Beitrag auf mindestens zwei Kanälen, mit einer Variante pro Netzwerk.",
		sugMoreChannelsOf:  "Plane ihn auch auf deinen anderen Kanälen (%s), mit einer Variante pro Netzwerk.",
		msgAnd:             "und",
		sugMentionPartner:  "Erwähne einen Partner, Creator oder Kollegen, der den Beitrag weitertragen kann.",
		sugActiveKeep:      "Gut verteilt; die Varianten pro Netzwerk beibehalten.",
		sugAddCTA:          "Lade mit eigenen Worten zum Teilen ein: „teile es mit deinen Freunden“, „speichere es dir“.",
		sugNoBait:          "Ersetze „markiere einen Freund“ durch eine natürliche Einladung wie „teile es mit allen, die es brauchen“.",
		sugAskQuestion:     "Schließe mit einer Frage, um Kommentare anzuregen.",
		sugUTM:             "Ergänze UTM-Parameter am Link, damit sich Shares messen lassen.",
		sugInviteKeep:      "Klare Einladung zum Teilen; so lassen.",
	},
}

// labelNames translates sentiment labels for evidence texts.
var labelNames = map[string]map[string]string{
	"en": {"positive": "positive", "negative": "negative", "neutral": "neutral"},
	"fr": {"positive": "positif", "negative": "négatif", "neutral": "neutre"},
	"de": {"positive": "positiv", "negative": "negativ", "neutral": "neutral"},
}

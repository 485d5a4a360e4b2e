package coach

import (
	"strings"
	"testing"

	"github.com/relais/relais/internal/network"
	"github.com/stretchr/testify/require"
)

// ruleOf returns the report of one rule.
func ruleOf(t *testing.T, rep Report, name string) RuleReport {
	t.Helper()
	for _, r := range rep.Rules {
		if r.Rule == name {
			return r
		}
	}
	t.Fatalf("rule %q missing from report", name)
	return RuleReport{}
}

func TestRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		draft    Draft
		rule     string
		minScore int // inclusive
		maxScore int // inclusive
		evidence string
		suggest  msgKey
	}{
		// R1 enthusiasm
		{"en enthusiasm high", Draft{Text: "Finally! Our new raincoat is here and we are so excited 😍", Lang: "en"},
			RuleEnthusiasm, 85, 100, "high-arousal words: finally, excited", sugEnthusiasmKeep},
		{"en enthusiasm flat", Draft{Text: "The store opens at 9 on Monday.", Lang: "en"},
			RuleEnthusiasm, 0, 20, "sentiment 0.00 (neutral)", sugNoAffect},
		{"fr enthusiasm high", Draft{Text: "Enfin ! La nouvelle collection est incroyable, on a trop hâte 😍", Lang: "fr"},
			RuleEnthusiasm, 85, 100, "émojis positifs : 😍", sugEnthusiasmKeep},
		{"fr enthusiasm flat", Draft{Text: "La boutique ouvre lundi à 9 heures.", Lang: "fr"},
			RuleEnthusiasm, 0, 20, "sentiment 0.00 (neutre)", sugNoAffect},
		{"de enthusiasm high", Draft{Text: "Endlich! Ab heute ist die neue Kollektion da, wir sind begeistert 🧡", Lang: "de"},
			RuleEnthusiasm, 85, 100, "1 Ausrufezeichen", sugEnthusiasmKeep},
		{"de enthusiasm flat", Draft{Text: "Die Filiale öffnet am Montag um 9 Uhr.", Lang: "de"},
			RuleEnthusiasm, 0, 20, "Stimmung 0.00 (neutral)", sugNoAffect},
		{"en shouting", Draft{Text: "Sale starts now!!!!! Amazing deals!", Lang: "en"},
			RuleEnthusiasm, 0, 100, "6 exclamation marks (more than 3 reads as shouting)", sugTooManyExclaims},
		{"fr negative tone", Draft{Text: "Nous sommes vraiment désolés, la livraison est en retard et c'est une honte.", Lang: "fr"},
			RuleEnthusiasm, 0, 100, "", sugNegativeTone},

		// R2 easy to share
		{"en easy", Draft{Text: "New socks are in. Soft, warm and cheap. #cosy", Lang: "en", Media: 1},
			RuleEasyToShare, 90, 100, "1 visual(s) attached", sugShareKeep},
		{"en hard: no visual", Draft{Text: "New socks are in. Soft, warm and cheap. #cosy", Lang: "en"},
			RuleEasyToShare, 0, 65, "no visual attached", sugAddVisual},
		{"fr easy", Draft{Text: "Les bottes sont là. Chaudes et douces. #hiver", Lang: "fr", Media: 2},
			RuleEasyToShare, 90, 100, "2 visuel(s) joint(s)", sugShareKeep},
		{"fr hard: dense text", Draft{Text: "Conformément aux engagements environnementaux communiqués précédemment, l'entreprise mentionnée intensifie considérablement l'approvisionnement responsable, l'écoconception généralisée et l'accompagnement méthodologique des fournisseurs internationaux.", Lang: "fr", Media: 1},
			RuleEasyToShare, 0, 70, "", sugSimplify},
		{"de easy", Draft{Text: "Die Stiefel sind da. Warm und weich. #winter", Lang: "de", Media: 1},
			RuleEasyToShare, 90, 100, "1 Bild(er) oder Video(s) angehängt", sugShareKeep},
		{"de hard: too many hashtags and links", Draft{Text: "Neu im Shop https://a.example https://b.example #a #b #c #d #e #f #g", Lang: "de", Media: 1},
			RuleEasyToShare, 0, 80, "2 Links (höchstens einer hält die Botschaft klar)", sugOneLink},
		{"en too long for X", Draft{Text: strings.Repeat("Our new coats are here. ", 12) + "#winter", Lang: "en", Media: 1, Networks: []network.Kind{network.X}},
			RuleEasyToShare, 0, 90, "X allows 280 characters; this draft has 295", sugShorten},

		// R3 reward
		{"en reward", Draft{Text: "Members only: 20% off everything with code SPRING20", Lang: "en"},
			RuleReward, 100, 100, "reward signals: members only, code SPRING20, 20% off", sugRewardKeep},
		{"en no reward", Draft{Text: "Our spring collection is online.", Lang: "en"},
			RuleReward, 0, 0, "", sugAddReward},
		{"en contest without terms", Draft{Text: "Giveaway! Win a jacket, comment below.", Lang: "en"},
			RuleReward, 0, 60, "contest: giveaway, win", sugContestTerms},
		{"fr reward", Draft{Text: "En avant-première pour vous : -15 % avec le code promo HIVER15", Lang: "fr"},
			RuleReward, 100, 100, "", sugRewardKeep},
		{"fr no reward", Draft{Text: "Notre collection de printemps est en ligne.", Lang: "fr"},
			RuleReward, 0, 0, "", sugAddReward},
		{"fr contest with terms", Draft{Text: "Jeu-concours : un manteau à gagner ! Règlement : https://example.fr/reglement", Lang: "fr"},
			RuleReward, 70, 100, "concours : concours, jeu-concours, à gagner, gagner", sugRewardKeep},
		{"de reward", Draft{Text: "Exklusiv für euch: 20 % Rabatt mit dem Code HERBST20, versandkostenfrei", Lang: "de"},
			RuleReward, 100, 100, "", sugRewardKeep},
		{"de no reward", Draft{Text: "Unsere Frühjahrskollektion ist online.", Lang: "de"},
			RuleReward, 0, 0, "", sugAddReward},
		{"de contest without terms", Draft{Text: "Gewinnspiel: wir verlosen drei Jacken!", Lang: "de"},
			RuleReward, 0, 60, "", sugContestTerms},

		// R4 share actively
		{"en active", Draft{Text: "Shot with @maya.creates in Lisbon", Lang: "en", Channels: 4},
			RuleShareActively, 100, 100, "partners or multipliers mentioned: @maya.creates", sugActiveKeep},
		{"en passive", Draft{Text: "New post", Lang: "en", Channels: 1},
			RuleShareActively, 0, 30, "planned on 1 channel(s)", sugMoreChannels},
		{"fr active", Draft{Text: "Avec @atelier_lune pour cette capsule", Lang: "fr", Channels: 3},
			RuleShareActively, 95, 100, "prévu sur 3 canal(aux)", sugActiveKeep},
		{"fr no partner", Draft{Text: "La capsule est en ligne", Lang: "fr", Channels: 2},
			RuleShareActively, 50, 70, "", sugMentionPartner},
		{"de active by networks", Draft{Text: "Mit @nordwerk fotografiert", Lang: "de", Networks: []network.Kind{network.Instagram, network.Bluesky}},
			RuleShareActively, 80, 80, "auf 2 Kanal/Kanälen geplant", sugActiveKeep},
		{"de passive", Draft{Text: "Neuer Beitrag", Lang: "de"},
			RuleShareActively, 0, 0, "", sugMoreChannels},

		// R5 invite sharing
		{"en invite", Draft{Text: "Share with your friends who need a new coat! Which colour is yours? https://shop.example/c?utm_source=ig #coatseason", Lang: "en"},
			RuleInviteSharing, 100, 100, "call to share: share", sugInviteKeep},
		{"en no invite", Draft{Text: "New coats are online.", Lang: "en"},
			RuleInviteSharing, 0, 0, "", sugAddCTA},
		{"en bait", Draft{Text: "Tag a friend who needs this!", Lang: "en"},
			RuleInviteSharing, 0, 45, "engagement bait that platforms demote: tag a friend", sugNoBait},
		{"fr invite", Draft{Text: "Partage-les avec tes copines ! Tu préfères la bleue ou la rouge ?", Lang: "fr"},
			RuleInviteSharing, 80, 100, "invitation à partager : partage", sugInviteKeep},
		{"fr no invite", Draft{Text: "Les nouveaux manteaux sont en ligne.", Lang: "fr"},
			RuleInviteSharing, 0, 0, "", sugAddCTA},
		{"de invite", Draft{Text: "Teile es mit deiner besten Freundin! Welche Farbe nimmst du?", Lang: "de"},
			RuleInviteSharing, 80, 100, "Aufruf zum Teilen: teile", sugInviteKeep},
		{"de no invite", Draft{Text: "Die neuen Mäntel sind online.", Lang: "de"},
			RuleInviteSharing, 0, 0, "", sugAddCTA},
		{"de link without utm", Draft{Text: "Teilt den Link mit euren Freunden! Was meint ihr? https://shop.example/mantel #mantel", Lang: "de"},
			RuleInviteSharing, 80, 95, "", sugUTM},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep := Analyze(tc.draft)
			r := ruleOf(t, rep, tc.rule)
			require.GreaterOrEqual(t, r.Score, tc.minScore, "score; evidence %v", r.Evidence)
			require.LessOrEqual(t, r.Score, tc.maxScore, "score; evidence %v", r.Evidence)
			if tc.evidence != "" {
				require.Contains(t, r.Evidence, tc.evidence)
			}
			lang := tc.draft.Lang
			require.Equal(t, messages[lang][tc.suggest], r.Suggestion, "suggestion in the draft's language")
		})
	}
}

func TestMentions(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"@maya.creates", "@Nord_Werk"},
		mentions("Shot with @maya.creates and @Nord_Werk. Questions: info@shop.example (@maya.creates again)"))
	require.Empty(t, mentions("write to hello@relais.example"))
}

func TestReportShape(t *testing.T) {
	t.Parallel()
	rep := Analyze(Draft{Text: "Hallo zusammen, die neue Jacke ist da!", Media: 1, Channels: 2})
	require.Equal(t, "de", rep.Lang, "language detected when no hint is given")
	names := make([]string, len(rep.Rules))
	sum := 0
	for i, r := range rep.Rules {
		names[i] = r.Rule
		require.NotNil(t, r.Evidence)
		require.NotEmpty(t, r.Suggestion)
		require.True(t, r.Score >= 0 && r.Score <= 100)
		sum += r.Score
	}
	require.Equal(t, []string{RuleEnthusiasm, RuleEasyToShare, RuleReward, RuleShareActively, RuleInviteSharing}, names)
	require.InDelta(t, float64(sum)/5, float64(rep.Score), 0.5, "overall score is the mean of the five")
}

func TestOtherLanguageFallsBackToEnglishMessages(t *testing.T) {
	t.Parallel()
	rep := Analyze(Draft{Text: "Hola a todos, la nueva chaqueta ya está aquí", Lang: "es"})
	require.Equal(t, "other", rep.Lang)
	require.Equal(t, messages["en"][sugAddReward], ruleOf(t, rep, RuleReward).Suggestion)
}

func TestCatalogsComplete(t *testing.T) {
	t.Parallel()
	for lang, c := range messages {
		for k := msgSentiment; k < msgCount; k++ {
			require.NotEmpty(t, c[k], "%s catalog misses key %d", lang, k)
		}
	}
}

func TestReadability(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, lang, formula string
		min, max                  float64
	}{
		{"en simple", "The cat sat on the mat. It was warm.", "en", "Flesch", 90, 130},
		{"en dense", "Institutional sustainability commitments necessitate comprehensive organisational transformation.", "en", "Flesch", -300, 10},
		{"de simple", "Die Jacke ist warm. Sie ist neu.", "de", "Amstad", 80, 140},
		{"de dense", "Nachhaltigkeitsverpflichtungen erfordern umfassende organisatorische Veränderungsprozesse.", "de", "Amstad", -300, 20},
		{"fr simple", "Le pull est doux. Il est chaud.", "fr", "Kandel–Moles", 90, 140},
		{"fr dense", "Les engagements environnementaux nécessitent une transformation organisationnelle considérable.", "fr", "Kandel–Moles", -300, 30},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := readability(tc.text, tc.lang)
			require.Equal(t, tc.formula, r.formula)
			require.GreaterOrEqual(t, r.score, tc.min)
			require.LessOrEqual(t, r.score, tc.max)
		})
	}
}

func TestCountSyllables(t *testing.T) {
	t.Parallel()
	tests := []struct {
		word, lang string
		want       int
	}{
		{"make", "en", 1}, {"table", "en", 2}, {"beautiful", "en", 3}, {"share", "en", 1},
		{"robe", "fr", 1}, {"collection", "fr", 3}, {"élégante", "fr", 3},
		{"schöne", "de", 2}, {"Kollektion", "de", 3}, {"frei", "de", 1},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, countSyllables(tc.word, tc.lang), "%s (%s)", tc.word, tc.lang)
	}
}

// TestCoachNamesOnlyConnectedNetworks: suggestions name the workspace's
// connected networks and no other; without the list they name none.
func TestCoachNamesOnlyConnectedNetworks(t *testing.T) {
	t.Parallel()
	text := "New socks are in. Soft, warm and cheap. #cosy"
	known := []string{"Instagram", "TikTok", "YouTube", "Pinterest", "Threads", "LinkedIn", "Facebook", "X ", "Bluesky", "Mastodon", "Telegram"}
	for _, tc := range []struct {
		name           string
		draft          Draft
		visual, active string
	}{
		{"no workspace", Draft{Text: text, Lang: "en", Channels: 1},
			messages["en"][sugAddVisual], messages["en"][sugMoreChannels]},
		{"bluesky and mastodon only", Draft{Text: text, Lang: "en", Channels: 1, Networks: []network.Kind{network.Bluesky},
			Connected: []network.Kind{network.Bluesky, network.Mastodon}},
			messages["en"][sugAddVisual], "Plan it on your other channels too (Mastodon), with a variant per network."},
		{"one channel, nothing else to suggest", Draft{Text: text, Lang: "en", Channels: 1, Networks: []network.Kind{network.Mastodon},
			Connected: []network.Kind{network.Mastodon}},
			messages["en"][sugAddVisual], messages["en"][sugMentionPartner]},
		{"two accounts of one network", Draft{Text: text, Lang: "en", Channels: 1, Networks: []network.Kind{network.Mastodon},
			Connected: []network.Kind{network.Mastodon, network.Mastodon}},
			messages["en"][sugAddVisual], messages["en"][sugMoreChannels]},
		{"connected networks that need a visual", Draft{Text: text, Lang: "en", Channels: 1, Networks: []network.Kind{network.Bluesky},
			Connected: []network.Kind{network.Bluesky, network.Instagram, network.Pinterest, network.Telegram}},
			"Attach an image or a short video: visual posts are shared more, and posts on Instagram and Pinterest need one.",
			"Plan it on your other channels too (Instagram, Pinterest and Telegram), with a variant per network."},
		{"in the interface language", Draft{Text: text, Lang: "en", Channels: 1, MessageLang: "fr", Networks: []network.Kind{network.Bluesky},
			Connected: []network.Kind{network.Bluesky, network.Instagram, network.TikTok}},
			"Joignez une image ou une courte vidéo : les posts visuels sont plus partagés, et les publications sur Instagram et TikTok en exigent un.",
			"Prévoyez-la aussi sur vos autres canaux (Instagram et TikTok), avec une variante par réseau."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep := Analyze(tc.draft)
			visual := ruleOf(t, rep, RuleEasyToShare).Suggestion
			active := ruleOf(t, rep, RuleShareActively).Suggestion
			require.Equal(t, tc.visual, visual)
			require.Equal(t, tc.active, active)
			connected := map[string]bool{}
			for _, k := range tc.draft.Connected {
				l, _ := network.LimitsFor(k)
				connected[l.Name] = true
			}
			for _, r := range rep.Rules {
				for _, name := range known {
					if !connected[strings.TrimSpace(name)] {
						require.NotContains(t, r.Suggestion, name, "%s names a network that is not connected", r.Rule)
					}
				}
			}
		})
	}
}

// TestCoachSpeaksTheInterfaceLanguage: a German draft read by someone whose
// interface is in French gets French evidence and suggestions, while the
// text is still analysed as German.
func TestCoachSpeaksTheInterfaceLanguage(t *testing.T) {
	t.Parallel()
	text := "Endlich! Ab heute ist die neue Kollektion da, wir sind begeistert 🧡 Teile es mit deinen Freunden!"
	de := Analyze(Draft{Text: text})
	fr := Analyze(Draft{Text: text, MessageLang: "fr"})
	require.Equal(t, "de", fr.Lang, "the draft's language is still detected")
	require.Equal(t, de.Score, fr.Score, "the scores do not depend on the reader's language")
	require.Contains(t, ruleOf(t, fr, RuleEnthusiasm).Evidence, "2 point(s) d'exclamation")
	require.Contains(t, ruleOf(t, de, RuleEnthusiasm).Evidence, "2 Ausrufezeichen")
	require.Equal(t, messages["fr"][sugEnthusiasmKeep], ruleOf(t, fr, RuleEnthusiasm).Suggestion)
	require.NotEmpty(t, ruleOf(t, fr, RuleInviteSharing).Evidence, "German calls to share are found")
	unknown := Analyze(Draft{Text: text, MessageLang: "xx"})
	require.Equal(t, de, unknown, "an unknown interface language falls back to the draft's")
}

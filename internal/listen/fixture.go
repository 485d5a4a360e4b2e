package listen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Fixture vocabulary: ordinary words of three languages, brand names the
// benchmark's queries look for, hashtags.
var (
	fixtureWords = map[string][]string{
		"en": strings.Fields("the new store opened today and the coffee was great but delivery took forever my order arrived broken customer service answered fast love this jacket price is too high quality feels cheap shipping refund weekend sale summer collection shoes running app update crashed again thanks for help"),
		"fr": strings.Fields("le nouveau magasin a ouvert aujourd hui et le café était super mais la livraison a pris une éternité ma commande est arrivée cassée le service client a répondu vite j adore cette veste le prix est trop élevé qualité remboursement soldes collection été chaussures"),
		"de": strings.Fields("der neue laden hat heute eröffnet und der kaffee war toll aber die lieferung dauerte ewig meine bestellung kam kaputt an der kundenservice hat schnell geantwortet ich liebe diese jacke der preis ist zu hoch qualität rückerstattung schlussverkauf sommerkollektion schuhe"),
	}
	// FixtureBrands are the brand names mixed into some posts: sixteen
	// known ones, then made-up names, 1,000 in all.
	FixtureBrands = func() []string {
		out := []string{"acme", "globex", "initech", "umbrella", "hooli", "vandelay", "soylent", "wonka", "stark", "wayne", "tyrell", "cyberdyne", "massive", "oscorp", "gringotts", "monarch"}
		syl := []string{"ka", "lo", "mi", "ten", "ru", "za", "vek", "do", "sil", "ne", "bra", "tor"}
		for i := 0; len(out) < 1000; i++ {
			out = append(out, syl[i%12]+syl[(i/12)%12]+syl[(i/144)%12]+"x")
		}
		return out
	}()
	fixtureTags = []string{"fashion", "sale", "coffee", "running", "summer", "tech", "music", "news"}
)

// GenerateFixture writes n Jetstream messages in the exact shape Jetstream
// sends, from start on (time_us strictly increasing): about 85 % post
// creations in English, French and German — some naming a brand of
// FixtureBrands, some with hashtag and mention facets — and the rest likes,
// deletions and identity events a real capture holds. The same seed gives
// the same stream.
func GenerateFixture(n int, seed uint64, start time.Time) [][]byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	langs := []string{"en", "fr", "de"}
	out := make([][]byte, 0, n)
	us := start.UnixMicro()
	for i := 0; i < n; i++ {
		us += 1 + r.Int64N(2000)
		did := fmt.Sprintf("did:plc:%024x", r.Uint64()%5000)
		rkey := fmt.Sprintf("3l%011x", uint64(us)&0xfffffffffff)
		ev := JetEvent{DID: did, TimeUS: us, Kind: "commit"}
		switch x := r.IntN(100); {
		case x < 8:
			ev.Commit = &JetCommit{Rev: rkey, Operation: "create", Collection: "app.bsky.feed.like", RKey: rkey}
		case x < 12:
			ev.Commit = &JetCommit{Rev: rkey, Operation: "delete", Collection: PostCollection, RKey: rkey}
		case x < 15:
			ev.Kind = "identity"
			ev.Identity = &struct {
				DID    string `json:"did"`
				Handle string `json:"handle"`
				Seq    int64  `json:"seq"`
				Time   string `json:"time"`
			}{DID: did, Handle: fmt.Sprintf("user%d.bsky.social", i), Seq: int64(i), Time: time.UnixMicro(us).UTC().Format(time.RFC3339Nano)}
		default:
			lang := langs[r.IntN(len(langs))]
			vocab := fixtureWords[lang]
			nw := 8 + r.IntN(25)
			var b strings.Builder
			for j := 0; j < nw; j++ {
				if j > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(vocab[r.IntN(len(vocab))])
			}
			if r.IntN(10) == 0 {
				brand := FixtureBrands[r.IntN(len(FixtureBrands))]
				if r.IntN(2) == 0 {
					brand = strings.ToUpper(brand[:1]) + brand[1:]
				}
				b.WriteString(" " + brand)
			}
			rec := &JetPost{Type: PostCollection, CreatedAt: time.UnixMicro(us - 300_000).UTC().Format("2006-01-02T15:04:05.000Z"), Langs: []string{lang}}
			if r.IntN(5) == 0 {
				tag := fixtureTags[r.IntN(len(fixtureTags))]
				s := b.Len() + 1
				b.WriteString(" #" + tag)
				rec.Facets = append(rec.Facets, facet(s, b.Len(), "app.bsky.richtext.facet#tag", "tag", tag))
			}
			if r.IntN(20) == 0 {
				h := FixtureBrands[r.IntN(len(FixtureBrands))] + ".bsky.social"
				s := b.Len() + 1
				b.WriteString(" @" + h)
				rec.Facets = append(rec.Facets, facet(s, b.Len(), "app.bsky.richtext.facet#mention", "did", fmt.Sprintf("did:plc:brand%s", h[:4])))
			}
			rec.Text = b.String()
			ev.Commit = &JetCommit{Rev: rkey, Operation: "create", Collection: PostCollection, RKey: rkey, Record: rec,
				CID: fmt.Sprintf("bafyreib%052x", r.Uint64())}
		}
		raw, _ := json.Marshal(ev)
		out = append(out, raw)
	}
	return out
}

func facet(start, end int, typ, key, val string) JetFacet {
	var f JetFacet
	f.Index.ByteStart, f.Index.ByteEnd = start, end
	feat := struct {
		Type string `json:"$type"`
		DID  string `json:"did,omitempty"`
		URI  string `json:"uri,omitempty"`
		Tag  string `json:"tag,omitempty"`
	}{Type: typ}
	if key == "tag" {
		feat.Tag = val
	} else {
		feat.DID = val
	}
	f.Features = append(f.Features, feat)
	return f
}

// BenchQueries builds n distinct queries of the kinds users write: brand
// names with OR, phrases, NOT exclusions, prefixes, hashtags and language
// filters; the first ones name FixtureBrands so the fixture's posts match.
func BenchQueries(n int) []*Compiled {
	out := make([]*Compiled, 0, n)
	for i := 0; i < n; i++ {
		b := FixtureBrands[i%len(FixtureBrands)]
		var s Spec
		switch i % 5 {
		case 0:
			s = Spec{Keywords: fmt.Sprintf("%s OR %s%d", b, b, i)}
		case 1:
			s = Spec{Keywords: fmt.Sprintf(`(%s AND (refund* OR "customer service")) NOT spam%d`, b, i)}
		case 2:
			s = Spec{Keywords: fmt.Sprintf("%s%d OR brand%d", b, i, i), Hashtags: []string{fixtureTags[i%len(fixtureTags)] + fmt.Sprint(i)}}
		case 3:
			s = Spec{Keywords: fmt.Sprintf(`"%s shoes" OR %s`, b, b), Languages: []string{"de", "fr"}}
		default:
			s = Spec{Keywords: fmt.Sprintf("product%d", i), Mentions: []string{b + ".bsky.social"}}
		}
		s.Name = fmt.Sprintf("q%d", i)
		c, err := Compile(s)
		if err != nil {
			panic(err)
		}
		out = append(out, c)
	}
	return out
}

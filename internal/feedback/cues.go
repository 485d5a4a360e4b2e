package feedback

import "strings"

// cueTable holds one language's theme cues.
type cueTable struct {
	words    map[string]themeSet
	prefixes map[string][]prefixCue // first four bytes → word beginnings of five bytes or more
	parts    []prefixCue            // German compound parts, matched inside words of eight bytes or more
	pairs    map[string]themeSet    // two-word cues keyed "first second"
	// weak cues raise their theme only when none of the blocking themes is raised by
	// another cue: "size" is no fit question in "is size 40 in stock?", "€5" no price
	// complaint in "underpaid workers so you can sell €5 tops".
	weak map[string]weakCue
	// stems indexes the whole-word cues by stem; stem appends a word's stem to a buffer.
	stems     map[string]themeSet
	stemmer   byte                // 'e', 'f', 'd': the stemmer of the table's language, 0 for none
	compounds bool                // German: a long word raises the themes of its head
	folded    map[string]themeSet // French: whole-word cues without their accents
}

// weakCue is a cue that other themes overrule.
type weakCue struct {
	set, blockedBy themeSet
}

type prefixCue struct {
	text string
	set  themeSet
}

// word returns the themes one lower-case word raises: the word itself, a word beginning or
// a compound part; failing those, its stem (plurals, inflections and, in French, missing
// accents: "reponses" finds "réponse"), the parts of a hyphenated word ("Januar-Sale") and,
// in German, the head of a compound ("Schuhgrößen" → "größen", "Ausbeuterfabriken" → "fabriken").
func (t *cueTable) word(w string) themeSet {
	if s := t.form(w); s != 0 {
		return s
	}
	if t.stemmer == 0 || len(w) < 4 || len(w) > 64 {
		return 0
	}
	if _, weak := t.weak[w]; weak {
		return 0 // a weak cue keeps its own rule ("de retour" is stock, not a return)
	}
	var buf [64]byte
	if t.folded != nil && len(w) >= minStem {
		if s := t.folded[string(foldAccents(buf[:0], w))]; s != 0 {
			return s // "livree" is "livrée", "reponse" "réponse"
		}
	}
	if len(w) < minStem {
		return 0
	}
	if s := t.stems[string(t.stemOf(buf[:0], w))]; s != 0 {
		return s
	}
	if strings.IndexByte(w, '-') > 0 {
		var s themeSet
		for rest := w; rest != ""; {
			part, after, _ := strings.Cut(rest, "-")
			if len(part) >= minStem {
				s |= t.form(part) | t.stems[string(t.stemOf(buf[:0], part))]
			}
			rest = after
		}
		return s
	}
	if t.compounds && len(w) >= 8 {
		for i := 3; i+minStem <= len(w); i++ {
			if w[i]&0xC0 == 0x80 {
				continue
			}
			if s := t.words[w[i:]]; s != 0 {
				return s
			}
		}
	}
	return 0
}

// form returns the themes of a word as written: whole word, beginning or compound part.
func (t *cueTable) form(w string) themeSet {
	if s, ok := t.words[w]; ok {
		return s
	}
	var s themeSet
	if len(w) >= 5 {
		for _, p := range t.prefixes[w[:4]] {
			if strings.HasPrefix(w, p.text) {
				s |= p.set
			}
		}
	}
	if len(w) >= 8 {
		for _, p := range t.parts {
			if strings.Contains(w, p.text) {
				s |= p.set
			}
		}
	}
	return s
}

// pair returns the themes two consecutive words raise together.
func (t *cueTable) pair(a, b string) themeSet {
	if len(t.pairs) == 0 {
		return 0
	}
	var buf [64]byte
	k := append(append(append(buf[:0], a...), ' '), b...)
	return t.pairs[string(k)] // the compiler does not allocate for this lookup
}

// weakCue returns the weak cue of a word, if any.
func (t *cueTable) weakCue(w string) (weakCue, bool) {
	c, ok := t.weak[w]
	return c, ok
}

// newTable builds a table from space-separated cue lists per theme. A cue
// ending in "*" is a word beginning, one starting with "~" a compound part,
// one with "_" a pair of words ("customer_service").
func newTable(lists map[Theme]string, weak ...weakList) *cueTable {
	t := &cueTable{words: map[string]themeSet{}, prefixes: map[string][]prefixCue{}, pairs: map[string]themeSet{}, weak: map[string]weakCue{}}
	for _, wl := range weak {
		var blocked themeSet
		for _, b := range wl.blockedBy {
			blocked |= 1 << themeIndex(b)
		}
		for _, w := range strings.Fields(wl.words) {
			c := t.weak[w]
			c.set |= 1 << themeIndex(wl.theme)
			c.blockedBy |= blocked
			t.weak[w] = c
		}
	}
	for th, list := range lists {
		bit := themeSet(1) << themeIndex(th)
		for _, c := range strings.Fields(list) {
			c = strings.ToLower(c)
			switch {
			case strings.HasPrefix(c, "~"):
				t.parts = append(t.parts, prefixCue{text: c[1:], set: bit})
			case strings.Contains(c, "_"):
				t.pairs[strings.ReplaceAll(c, "_", " ")] |= bit
			case strings.HasSuffix(c, "*"):
				p := strings.TrimSuffix(c, "*")
				if len(p) < 5 {
					panic("feedback: cue prefix shorter than five bytes: " + p)
				}
				t.prefixes[p[:4]] = append(t.prefixes[p[:4]], prefixCue{text: p, set: bit})
			default:
				t.words[c] |= bit
			}
		}
	}
	return t
}

// weakList names weak cues of one theme and the themes that overrule them.
type weakList struct {
	theme     Theme
	words     string
	blockedBy []Theme
}

// any lists every theme: a cue blocked by any other theme only speaks when nothing else does.
var anyTheme = All

var tables = map[string]*cueTable{
	"en": newTable(map[Theme]string{
		Delivery: `delivery deliveries deliver delivered delivering undelivered packaging wrapped courier
			couriers driver shipping shipped shipment shipments ship ships dispatch* arrival tracking tracked postage postman doorstep neighbour neighbor warehouse depot transit customs
			dpd dhl evri hermes ups fedex usps royal_mail next-day next_day express signed_for came_in
			out_for click_and collection_point pick_up pickup locker delivery_slot left_at processing
			delayed delay delays eta en_route safe_place letterbox mailbox porch postcode inpost yodel parcelforce auspost australia_post an_post canada_post never_arrived not_arrived hasn't_arrived`,
		RefundReturn: `refund refunds refunded refunding return returns returned returning exchange exchanges exchanged
			send_back sent_back sending_back money_back sent_it send_it store_credit credit_note return_label
			reimburse reimbursed reimbursement rma
			swap swapped restocking_fee return_window returns_policy send_them`,
		Quality: `quality seam seams stitching stitch stitches thread threads fabric fabrics material materials wash
			washes washed washing shrunk shrink shrank shrinks pilling pills pilled bobbling bobbles bobble torn
			tear tears ripped rip hole holes broke broken zip zipper button buttons heel heels sole soles strap
			straps lining faded fade fades ran colour_ran durable lasted lasting itch itchy itches scratchy thin
			flimsy see-through print peeled peeling scuffed snapped cracked split soft softest
			comfy comfortable defect defects defective faulty stain stained brand_new looks_new still_looks
			survived held_up well_made well-made craftsmanship fell_apart falls_apart worn_out stretched
			smell smells shape sturdy squeak squeaks squeaky squeaking stretching sequins sequin underwire
			handle handles marks going_strong coming_apart came_apart came_off come_off fell_off washable machine-washable
			waterproof water-resistant breathable thick cheaply_made poor_quality low_quality high_quality unravel unravelled unraveling frayed fraying discoloured discolored shrinkage lint shedding plasticky hem hems creases wrinkled durability first_wash one_wash worn_once`,
		SizeFit: `sizing fit fits fitted small smaller large larger tight tighter loose baggy tight_fit length
			lengths inseam waist hips chest shoulders sleeves long_legs true_to runs_small runs_large size_up
			size_down size_guide size_chart measurements petite xs xl xxl wide_enough gape gapes gaping
			too_small too_big too_tight too_short too_long runs_big oversized plus-size plus_size curvy tall_range bust roomy snug boxy what_size`,
		Price: `price prices priced pricing pricey expensive overpriced how_much rip-off ripoff rip_off worth value
			cost costs costing affordable premium_prices bargain cheaper full_price price_match
			dollars quid bucks budget deal deals black_friday clearance markdown marked_down coupon loyalty price_increase price_hike hiked pricy shipping_fee delivery_charge`,
		Service: `customer_service customer_care customer_support chatbot chat agent agents advisor representative
			reply replies replied answer answers answered respond responded responds response email emails call
			calls called phone hotline helpline on_hold call_back get_back helpful unhelpful contact contacted
			dm template ignored ignoring messages message feedback complaint complaints ticket
			case_number inbox
			customer_services support_team live_chat whatsapp messenger ghosted ghosting no_reply no_response hung_up escalate escalated reference_number automated canned copy-paste reps service_desk`,
		Stock: `restock restocked restocking sold_out out_of back_in available availability unavailable in_stock
			waitlist notify_me bots scalpers reselling resell resellers limited_edition coming_back come_back
			next_drop pre-order pre-ordered preorder
			backorder backordered back_order out-of-stock oos low_stock last_one sells_out sell_out selling_out discontinued discontinue bring_back`,
		Website: `website site app online_shop checkout basket cart login log_in logs_me account password page
			link promo_code discount_code voucher_code code error errors bug bugs glitch crashes crashing crashed
			loading 404 wishlist newsletter unsubscribe filter search order_history
			webpage online_store browser log_out logged_out sign_in signing_in sign_up timeout timed_out search_bar filters add_to try-on`,
		Store: `store stores shop_staff in_store in-store fitting_room fitting_rooms changing_room changing_rooms
			till tills cashier queue queued queuing branch staff assistant assistants manager shopping shop
			outlet mall window_display shop_window
			shops outlets stockist sales_assistant shop_assistant store_manager security_guard fitting opening_hours opening_times high_street flagship pop-up concession`,
		Ethics: `ethics ethical sustainable sustainability workers worker wage wages living_wage factory factories
			supplier suppliers supply_chain labour labor sweatshop sweatshops greenwashing fur leather animal
			animals cruelty environment environmental planet climate carbon plastic recycled recycling organic
			vegan eco boycott transparent transparency exploitation underpaid repair unsold burn burning
			diversity inclusion racist racism sexist offensive appropriation certified certification
			child_labour child_labor forced_labour forced_labor uyghur uighur animal_testing tested_on cruelty-free fast_fashion fast-fashion landfill microplastics emissions co2 net_zero carbon_neutral fair_trade fairtrade slavery human_rights living_wages greenwash greenwashed eco-friendly biodegradable second-hand secondhand preloved pre-loved upcycled mulesing inclusive inclusivity representation tokenism boycotting boycotted`,
		Payment: `payments pay_with pay_by card cards paypal klarna clearpay afterpay apple_pay debited charged
			double_charged bank invoice gift_card gift_cards voucher vouchers installments instalments
			transaction declined payment_failed credit_card debit_card
			paid_twice charged_twice direct_debit bank_transfer google_pay shop_pay laybuy sezzle affirm visa mastercard amex 3d_secure card_declined chargeback billing billed pending_charge contactless gift_voucher e-gift pay_later pay_in`,
	},
		weakList{SizeFit, "size sizes", []Theme{Stock}},
		weakList{Price, "£ € $ cheap", []Theme{Ethics, Quality}},
		weakList{Service, "support help helped helping human", []Theme{Ethics, Store}},
		weakList{Stock, "stock", []Theme{Ethics}},
		weakList{Payment, "payment", []Theme{Website}},
		weakList{Delivery, "order orders ordered", anyTheme},
		weakList{Delivery, "arrive arrived arrives arriving", anyTheme}, // "arrived with a hole" is quality
		weakList{RefundReturn, "money", anyTheme},
		weakList{Price, "sale discount", []Theme{Website, Payment}},
		weakList{Quality, "wool cotton knit cashmere linen silk denim", anyTheme},
		weakList{Delivery, "parcel parcels package packages box", []Theme{RefundReturn}},
	).withStems('e', false),
	"fr": newTable(map[Theme]string{
		Delivery: `livraison livraisons livré livrée livrés livrées livrer livrez livreur livreurs emballage emballé emballée transporteur
			transporteurs expédié expédiée expédition expédier suivi
			dépôt entrepôt douane colissimo chronopost mondial_relay la_poste express portail carton
			point_relais relais retrait click_and
			livreuse jamais_reçu pas_reçu toujours_rien ups dpd dhl gls fedex bpost purolator postes_canada retard en_retard acheminement boîte_aux facteur factrice frais_de envoi envoyé envoyée collect`,
		RefundReturn: `rembours* retours retourner retourné renvoyé renvoyée renvoyer échange échanger échanges
			avoir étiquette_retour
			renvoi rétractation échangé échangée retours_gratuits bordereau délai_de`,
		Quality: `qualité couture coutures fil tissu tissus matière matières lavage lavages lavé lavée rétréci
			rétrécit bouloche bouloches boulocher trou trous cassé cassée fermeture zip bouton boutons talon
			semelle bride déchiré déchirée délavé décousu doux douce gratte fin fine transparent
			doublure motif décollé déteint défectueux défectueuse défaut usé neuf lâché
			porté tenu survécu fendue coincée camelote confortable solide odeur déformé grince grincent
			sequins paillettes armature anse tache taches traces tient_toujours décollent décolle arraché arrachée arrachés déchire
			finitions finition bouloché boulochent effiloché effiloche décoloré décolorée rétrécie imperméable étanche tient_chaud épais épaisse fragile résistant résistante lavable synthétique bas_de haut_de mauvaise_qualité grattent pique piquent accroc troué trouée abîmé abîmée endommagé endommagée usée déformée décousue craqué craquée composition`,
		SizeFit: `coupe serré serrée grand petit longueur manches taille_normalement comme_un_gant hanches me_va
			va_pour va_à taille_habituelle guide_des ample large étroit taille_petit taille_grand taillent
			boudinée boudiné flotte baille détend pointure pointures
			trop_petit trop_grand trop_petite trop_grande trop_serré trop_large trop_court trop_courte trop_long trop_longue moulant moulante ajusté ajustée mensurations tour_de entrejambe épaules poitrine bonnet grande_taille grandes_tailles petites_tailles une_taille mannequin`,
		Price: `prix cher chère chers chères coûte coûtent coûteux arnaque abordable vaut rapport qualité-prix
			donné hors_de
			tarif tarifs coût euros balles trop_cher promotion promos réduc remise bon_plan pas_cher bradé soldé soldée black_friday augmentation hausse fidélité prix_barré`,
		Service: `service_client sav conseiller conseillère conseillers réponse réponses répondu répond rappeler
			rappelle rappelé mail mails e-mail chat chatbot téléphone appelé appel décroche joindre message
			messages avis contacte ignorée ignoré réclamation réclamations ticket
			service_après-vente service_clients relation_client hotline assistance courriel courriels répondez répondent aucune_réponse sans_réponse injoignable joignable interlocuteur dossier plainte plaintes formulaire whatsapp messenger relance relancé relancée relances copier-coller réponse_automatique`,
		Stock: `de_retour rupture réassort épuisé épuisée dispo disponible disponibles indisponible bots
			revendent édition_limitée revient revenir précommande précommandé prochaine_sortie
			en_stock épuisées épuisés plus_dispo réapprovisionnement restock reviendra remis_en sold_out indispo introuvable pré-commande précommander liste_d'attente dernière_pièce`,
		Website: `site appli application panier compte connecter déconnecte page lien code_promo code bug bugs
			plante erreur mot_de newsletter mise_à liste_envies
			site_web site_internet connexion se_connecter identifiant identifiants beugue bugue buggé chargement page_blanche inscription désinscrire filtres filtre recherche essayage_virtuel e-shop eshop`,
		Store: `magasin magasins boutique boutiques vendeuse vendeuses vendeur vendeurs cabine cabines caisse
			caissière caisses queue responsable centre_commercial vitrine vitrines
			succursale enseigne personnel employé employée employés vigile vigiles essayage horaires ouverture caissier accueil rayon rayons centre-ville`,
		Ethics: `éthique éthiques durable écologie écologique ouvrière ouvrières ouvriers salaire salaires usine
			usines fournisseur fournisseurs greenwashing fourrure cuir animaux animale environnement planète
			climat carbone plastique recyclé bio vegan boycott transparence exploitation sous-payées invendus
			brûler réparation ateliers engagement raciste sexiste diversité fabriqué fabriqués fabriquée
			fabriquées certifié certifiée certifiés
			travail_des travail_forcé ouïghours ouïghour tests_sur testé_sur testés_sur bien-être droits_humains conditions_de esclavage éco-responsable écoresponsable fast_fashion fast-fashion surproduction pollution polluant polluante émissions co2 seconde_main friperie upcycling recyclage boycotter boycottez inclusif inclusive inclusivité grossophobe grossophobie homophobe transphobe appropriation vison angora`,
		Payment: `payer_en payer_avec payer_par carte cartes paypal klarna débité débitée prélevé prélevée banque
			facture cartes_cadeaux carte_cadeau bon_d en_3 3_fois transaction refusée carte_bancaire
			moyen_de virement prélèvement double_prélèvement cb visa mastercard apple_pay google_pay alma oney scalapay plusieurs_fois paiement_refusé carte_refusée espèces chèque chèque-cadeau e-carte interac facturé facturée facturation`,
	},
		weakList{SizeFit, "taille tailles", []Theme{Stock}},
		weakList{Price, "€ £ $", []Theme{Ethics}},
		weakList{Service, "aide aider humain", []Theme{Ethics, Store}},
		weakList{Stock, "stock", []Theme{Ethics}},
		weakList{Payment, "paiement", []Theme{Website}},
		weakList{Website, "ligne", []Theme{Payment, RefundReturn}},
		weakList{RefundReturn, "retour", []Theme{Stock}},
		weakList{Delivery, "commande commandes commandé commandée", anyTheme},
		weakList{Delivery, "arrivé arrivée arrivés arrive arriver", anyTheme},
		weakList{RefundReturn, "argent", anyTheme},
		weakList{Price, "soldes promo réduction", []Theme{Website, Payment}},
		weakList{Quality, "laine coton maille cachemire lin soie nickel impeccable", anyTheme},
		weakList{Delivery, "colis", []Theme{RefundReturn}},
	).withStems('f', false).withFolding(),
	"de": newTable(map[Theme]string{
		Delivery: `lieferung lieferungen liefert liefern geliefert lieferfenster verpackt verpackung versand versendet
			verschickt verschicken zugestellt zustellung sendung sendungsnummer sendungsverfolgung tracking
			bote paketdienst dhl hermes dpd gls angekommen ankommen kam lager depot zaun express zoll
			packstation abholen abholung nachbarn ~versand ~liefer ~paket ~zustell
			zusteller paketbote kurier paketshop postfiliale abholstation verspätet verspätung ups fedex spedition nachverfolgung collect nicht_angekommen`,
		RefundReturn: `erstattung erstattet rückerstattung retoure retouren rücksendung rücksendungen zurückgeschickt
			zurückschicken zurückgeben umtausch umtauschen gutschrift ~retour ~erstattung ~rücksend
			widerruf widerrufen rückgabe zurückgesendet zurückgesandt retourniert retournieren erstatten geld_zurück umgetauscht rückzahlung zurückerstattet gutgeschrieben ~rückgabe ~umtausch`,
		Quality: `qualität naht nähte faden stoff material wäsche wäschen gewaschen waschen eingelaufen läuft_ein
			knötchen loch löcher kaputt reißverschluss knopf knöpfe absatz sohle riemen gerissen gebrochen
			abgefärbt weich kratzt dünn durchsichtig futter druck abgelöst defekt
			neu getragen klemmt aufgegangen bequem robust verarbeitung verarbeitet geruch riecht
			quietschen quietscht pailletten henkel fleck flecken färben färbt hält_immer abgerissen ausgerissen aufgeplatzt sich_ab
			~qualität ~stoff ~naht
			~material wasserdicht wasserabweisend ~wäsche ausgeleiert ausgewaschen verwaschen fusselt fusseln pilling löst_sich abgebrochen verzogen formstabil hochwertig minderwertig langlebig strapazierfähig verfärbt ausgebleicht knittert zerknittert reißt rissig brüchig abgenutzt kratzig juckt stinkt`,
		SizeFit: `passt passform fällt eng enger weit weiter länge ärmel hüfte nummern passt_wie größentabelle
			zu_klein zu_groß sitzt schnitt schmal absteht langgrößen kurzgrößen weiten
			fällt_klein fällt_groß eine_nummer nummer_größer nummer_kleiner körpergröße zwickt spannt schlabbert schlabberig bund oberweite taille beinlänge innenbeinlänge schultern übergröße petite oversize oversized`,
		Price: `preis preise teuer teurer billig billiger günstig günstiger kostet abzocke wert überteuert lohnt ~preis
			kosten schnäppchen preiswert wucher wucherpreise sonderangebot ~schlussverkauf black_friday treuepunkte bonuspunkte kundenkarte bonusprogramm prozente`,
		Service: `kundenservice support antwort antworten antwortet mail mails e-mail chat chatbot hotline
			warteschleife anruf angerufen rückruf mitarbeiter mitarbeitern erreichbar rückmeldung beschwerde
			ticket ~kundenservice ~antwort ~chat ignoriert nachrichten nachricht dm meinung reklamation reklamationen
			telefon weiterverbunden
			kontaktiere zurück
			kundendienst kundenbetreuung ~hotline whatsapp ansprechpartner vertröstet abgewimmelt standardantwort textbaustein textbausteine vorgangsnummer ticketnummer meldet_sich`,
		Stock: `ausverkauft nachschub verfügbar lieferbar wieder_da wieder_rein rein bots ~ausverkauf
			wiederauffüllung limitiert vorbestellt vorbestellung restock drop nochmal
			vergriffen nachbestellen nachbestellt vorrätig auf_lager lagernd vorbestellbar vorbestellen wieder_verfügbar wieder_erhältlich restbestand neuauflage`,
		Website: `seite website webseite app warenkorb konto einloggen loggt passwort rabattcode code fehler
			absturz stürzt link newsletter ~seite wunschliste
			onlineshop online-shop ~konto anmelden anmeldung registrierung login bestellvorgang checkout lädt ladezeit ausgeloggt eingeloggt filter suchfunktion ~fehler bug bugs abgestürzt startseite homepage browser`,
		Store: `filiale filialen laden läden verkäuferin verkäuferinnen verkäufer umkleide umkleiden kasse
			filialleiterin einkaufserlebnis einkaufszentrum ~filial kassiererin kassierer schaufenster
			kaufhaus outlet öffnungszeiten personal verkaufspersonal ladendetektiv security sicherheitsdienst kabine kabinen anprobe anprobieren ~umkleide vor_ort im_laden`,
		Ethics: `ethisch nachhaltig nachhaltigkeit arbeiter arbeiterinnen näherinnen lohn löhne fabrik fabriken
			lieferant lieferanten lieferantenliste lieferkette greenwashing pelz leder tiere tierquälerei umwelt
			klima plastik recycelt bio vegan boykott ausbeutung transparenz unterbezahlte unverkaufte
			verbrennen reparaturservice fair fairen rassistisch sexistisch ~nachhaltig hergestellt zertifiziert ~pelz
			zwangsarbeit kinderarbeit tierversuche tierversuch tierwohl menschenrechte ~lieferkette uiguren uigurische fairtrade öko ökologisch umweltfreundlich klimaneutral co2 emissionen mikroplastik fast_fashion fast-fashion upcycling secondhand second-hand recycling daunen angora mulesing ~boykott diversität vielfalt inklusion rassismus näherei nähereien sweatshop arbeitsbedingungen existenzlohn mindestlohn gewerkschaft grüner_knopf`,
		Payment: `zahlen_mit bezahlen_mit bezahlvorgang abgebucht karte kreditkarte paypal klarna bank rechnung
			gutschein gutscheine mahnt mahnung transaktion abgelehnt ratenzahlung
			zahlungsart zahlungsmethode ~zahlung lastschrift sofortüberweisung überweisung vorkasse nachnahme bar_zahlen bar kartenzahlung apple_pay google_pay visa mastercard girocard geschenkkarte abbuchung 3d-secure belastet inkasso`,
	},
		weakList{SizeFit, "größe größen", []Theme{Stock}},
		weakList{Price, "€ £ $", []Theme{Ethics}},
		weakList{Service, "geholfen helfen hilfe menschen mensch", []Theme{Ethics, Store}},
		weakList{Payment, "zahlung", []Theme{Website}},
		weakList{Delivery, "bestellung bestellungen bestellt bestelle", anyTheme},
		weakList{RefundReturn, "geld", anyTheme},
		weakList{Price, "sale rabatt reduziert", []Theme{Website, Payment}},
		weakList{Quality, "wolle baumwolle strick merino kaschmir leinen seide viskose einwandfrei", anyTheme},
		weakList{Delivery, "paket pakete karton", []Theme{RefundReturn}},
	).withStems('d', true),
}

// minStem is the shortest word and stem the stem index knows: "seit" must not meet "seite",
// "porte" not "porté", "last" not "lasted".
const minStem = 6

// withStems indexes the table's whole-word cues by stem.
func (t *cueTable) withStems(stemmer byte, compounds bool) *cueTable {
	t.stemmer, t.compounds = stemmer, compounds
	t.stems = map[string]themeSet{}
	var buf [64]byte
	for w, s := range t.words {
		if len(w) >= minStem && len(w) <= 64 {
			if st := string(t.stemOf(buf[:0], w)); len(st) >= minStem {
				t.stems[st] |= s
			}
		}
	}
	return t
}

// withFolding indexes the whole-word cues without their accents.
func (t *cueTable) withFolding() *cueTable {
	t.folded = map[string]themeSet{}
	var buf [64]byte
	for w, s := range t.words {
		if len(w) <= 64 {
			if f := string(foldAccents(buf[:0], w)); f != w && len(f) >= minStem {
				t.folded[f] |= s
			}
		}
	}
	return t
}

// foldAccents appends w with the French accented letters folded to their base letter.
func foldAccents(dst []byte, w string) []byte {
	for _, r := range w {
		if r < 0x80 {
			dst = append(dst, byte(r))
		} else if b, ok := foldFR[r]; ok {
			dst = append(dst, b)
		} else {
			dst = append(dst, string(r)...)
		}
	}
	return dst
}

// weakHead returns the weak cue of a German compound's head: "Schuhgrößen" speaks like "größen".
func (t *cueTable) weakHead(w string) (weakCue, bool) {
	if !t.compounds || len(w) < 8 || len(w) > 64 {
		return weakCue{}, false
	}
	for i := 3; i+4 <= len(w); i++ {
		if w[i]&0xC0 == 0x80 {
			continue
		}
		if c, ok := t.weak[w[i:]]; ok {
			return c, true
		}
	}
	return weakCue{}, false
}

// stemOf appends the stem of w (a switch, not a func value, so buffers stay on the stack).
func (t *cueTable) stemOf(dst []byte, w string) []byte {
	switch t.stemmer {
	case 'e':
		return stemEN(dst, w)
	case 'f':
		return stemFR(dst, w)
	case 'd':
		return stemDE(dst, w)
	}
	return append(dst, w...)
}

// stemEN strips plural and verb endings: "seams" → "seam", "stitched" → "stitch", "tracking" → "track".
func stemEN(dst []byte, w string) []byte {
	for _, suf := range [...]string{"ing", "ies", "ed", "es", "s"} {
		if len(w)-len(suf) >= 4 && strings.HasSuffix(w, suf) {
			w = w[:len(w)-len(suf)]
			break
		}
	}
	return append(dst, strings.TrimSuffix(w, "e")...)
}

// foldFR maps the French accented letters to their base letter.
var foldFR = map[rune]byte{'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e', 'à': 'a', 'â': 'a', 'ù': 'u', 'û': 'u', 'ü': 'u',
	'ô': 'o', 'î': 'i', 'ï': 'i', 'ç': 'c', 'œ': 'o'}

// stemFR folds accents and strips gender and number: "réponses" and "reponse" → "repons",
// "livrées" → "livr", "coutures" → "coutur".
func stemFR(dst []byte, w string) []byte {
	start := len(dst)
	dst = foldAccents(dst, w)
	b := dst[start:]
	for _, suf := range [...]string{"ees", "es", "ee", "s", "x", "e"} {
		if len(b)-len(suf) >= 4 && strings.HasSuffix(string(b), suf) {
			return dst[:len(dst)-len(suf)]
		}
	}
	return dst
}

// stemDE strips German noun and adjective endings and folds ß: "Nähten" → "näht", "Größen" → "gröss".
func stemDE(dst []byte, w string) []byte {
	for _, suf := range [...]string{"en", "em", "es", "e", "n", "s"} { // not "er": Arbeiter is no Arbeit
		if len(w)-len(suf) >= 4 && strings.HasSuffix(w, suf) {
			w = w[:len(w)-len(suf)]
			break
		}
	}
	for _, r := range w {
		if r == 'ß' {
			dst = append(dst, 's', 's')
		} else {
			dst = append(dst, string(r)...)
		}
	}
	return dst
}

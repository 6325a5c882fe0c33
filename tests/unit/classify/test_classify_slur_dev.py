"""A private English and French dev list for slurs (slur_direct, slur_obfuscated and their contrasts).

Sentences written by hand, apart from the training data, to judge whether a retrained model generalises on slurs
used against a protected group (race and ethnicity, religion, sexual orientation, gender identity, disability,
Roma and Travellers, migrants, women), common and less common ones, with asterisks, digits and dropped or swapped
letters as people type them, and French verlan. The contrasts share their words: homonyms in their innocent sense
(slur_homonym), in-group reclaimed use (reclaimed), a slur quoted to condemn it or to report abuse (counter_quote),
news reports, questions about what a word means and the history of a word.
This test only checks they stay out of the generated training examples (whole or inside a framed example): a dev
sentence that leaked into training would measure memory, not generalisation. It asserts no model output.
"""

from __future__ import annotations

from devlist_checks import assert_well_formed, leaked

# (text, expected outcome as a careful moderator applying tests/blind/SPEC.md would give it)
DEV_EN: tuple[tuple[str, str], ...] = (
    # slurs used at a group or a person for their identity (some obfuscated or misspelt)
    ("fucking faggots all over my timeline again, june can't end soon enough", "hate"),
    ("only a fagget wears pink shoes to school lmao, everyone knows what u are", "hate"),
    ("two poofs snogging at the bus stop, nearly lost my breakfast", "hate"),
    ("bender. that's all you'll ever be, a dirty little bender", "hate"),
    ("why do dykes always have to shove it in everyone's face?", "hate"),
    ("that tranny in the women's changing room should be dragged out by the hair", "hate"),
    ("troons are blokes in wigs with a mental illness, nothing more", "hate"),
    ("n*ggers ruin every neighbourhood they move into, look at the stats", "hate"),
    ("look at all the coons queueing for free food again, shocker", "hate"),
    ("whole high street is run by pakkis now and the place stinks", "hate"),
    ("The kikes own the banks, the media and your government. Wake up.", "hate"),
    ("yids out. simple as", "hate"),
    ("my new office is full of chinks, can't understand a word anyone says in the kitchen", "hate"),
    ("gooks will eat anything that moves, dogs included", "hate"),
    ("another raft full of wetbacks crossing the river tonight, build the wall higher", "hate"),
    ("spics r taking all the building jobs n sending every penny home", "hate"),
    ("towelheads should be kept out of this country, full stop", "hate"),
    ("muzzies breed like rabbits and then moan there aren't enough council houses", "hate"),
    ("sandn1ggers blowing each other up again, who cares", "hate"),
    ("pikeys nicked the lead off the church roof again, every last one of them's a thief", "hate"),
    ("Gyppos have parked their caravans on the rec. lock your sheds lads", "hate"),
    ("tinkers camped by the canal again, filthy thieving lot", "hate"),
    ("the special school bus goes past every morning full of dribbling retards", "hate"),
    ("why should my taxes pay for spastics who'll never work a day in their lives?", "hate"),
    ("cant even go swimming anymore without a bunch of mongs splashing about with their carers", "hate"),
    ("foids are all the same, every roastie will leave you the second a richer chad shows up", "hate"),
    ("women are slags, the lot of them. prove me wrong", "hate"),
    # homonyms in their innocent sense
    ("nipping out for a fag, back in 5 🚬", "none"),
    ("faggots, mash and onion gravy for tea tonight, proper Black Country comfort food", "none"),
    ("the old woodcutter came down the lane with a faggot of kindling on his back", "none"),
    ("retard the ignition timing a couple of degrees and the pinking should stop", "none"),
    ("the Mongols under Genghis Khan built the largest land empire in history", "none"),
    ("kitchen's spic and span before the in-laws arrive, feeling very smug", "none"),
    ("our bluetick coonhound howls every time the ice cream van goes past", "none"),
    ("the sea dyke by the village was raised another metre after the 1953 flood", "none"),
    ("our bitch had a litter of nine last night, mum and pups all doing fine 🐶", "none"),
    ("their one chink in the armour is set pieces, we should be winning corners all game", "none"),
    ("three-day bender in Galway for my brother's stag, my liver is filing a complaint", "none"),
    # reclaimed, in-group use about the speaker's own identity
    ("dyke march saturday!! me and my girlfriend are carrying the banner again, come find us 🌈", "none"),
    ("crip joy is real: me and my wheelchair crew took over the seafront today ♿", "none"),
    # quoted to condemn or report it, news, meaning and history
    (
        "a man screamed 'go home paki' at my dad at the petrol station today. he's lived here 41 years. I'm shaking",
        "none",
    ),
    ("Teenager charged after shouting 'f*ggot' at a couple on a Manchester tram, police say", "none"),
    ("genuine question, what does 'pikey' actually mean? my grandad says it and I think it's bad", "none"),
    ("why is 'retarded' offensive now if it used to be an actual medical term?", "none"),
    (
        "one theory is that 'kike' comes from Ellis Island, where Jewish immigrants who couldn't write signed with a "
        "circle, a 'kikel' in Yiddish",
        "none",
    ),
    ("calling trans women 'trannies' isn't edgy humour, it's a slur. block and report", "none"),
    (
        "my daughter came home in tears because a boy called her a chink at lunch. the school did nothing",
        "none",
    ),
    (
        "'Operation Wetback' was the 1954 mass deportation, and the name alone shows how normal that slur was",
        "none",
    ),
)

DEV_FR: tuple[tuple[str, str], ...] = (
    # insultes racistes, homophobes, transphobes, validistes... visant un groupe ou une personne pour son identité
    ("sale bougnoul retourne dans ton bled", "hate"),
    ("y a que des bicots dans ce RER, on se croirait à Alger", "hate"),
    ("les ratons ont encore cramé des bagnoles cette nuit, comme d'hab", "hate"),
    ("crouilles dehors ! la France aux Français", "hate"),
    ("encore un négro qui pleure au racisme, va bosser au lieu de chialer", "hate"),
    ("les bamboulas foutent le bordel partout où ils passent", "hate"),
    ("une négresse ministre, on aura vraiment tout vu dans ce pays", "hate"),
    ("sale renoi, t'as rien à faire dans notre bar", "hate"),
    ("renvoyez ces macaques dans leur brousse, ils ont rien à faire chez nous", "hate"),
    ("les youp1ns tiennent les banques et les médias, ouvrez les yeux", "hate"),
    ("un youtre reste un youtre, même baptisé", "hate"),
    ("casse-toi sale pd, on veut pas de tapettes dans le vestiaire", "hate"),
    ("deux tarlouses qui se roulent une pelle dans le tram, ça m'a coupé l'appétit", "hate"),
    ("les p*dés devraient pas avoir le droit d'adopter, c'est contre nature", "hate"),
    ("pourquoi les gouines se sentent obligées de l'afficher partout ?", "hate"),
    ("un travelo dans les toilettes des femmes ? direct dehors à coups de pied", "hate"),
    ("les mongols de l'IME devraient pas prendre le même bus que nos gosses", "hate"),
    ("mdr regarde le gogol en fauteuil qui bave sur son tshirt", "hate"),
    ("pk on paierait des impôts pour des trisos qui bosseront jamais ?", "hate"),
    ("encore des romanos devant le Lidl, planquez vos sacs", "hate"),
    ("les romanichels ont posé leurs caravanes sur le terrain de foot, bande de voleurs", "hate"),
    ("sale chintok, rentre bouffer du chien chez toi", "hate"),
    ("c'est quoi ces niakoués qui ont racheté tous les tabacs du quartier ?", "hate"),
    ("les bridés nous ont ramené le covid, merci les gars", "hate"),
    ("toutes des putes les meufs de nos jours, elles courent qu'après le fric", "hate"),
    ("les beurettes c'est toutes des michtos", "hate"),
    ("les muzz vont nous imposer la charia si on se réveille pas", "hate"),
    ("encore un zodiac rempli de clandos à Calais, qu'ils retournent d'où ils viennent", "hate"),
    # homonymes au sens innocent
    ("j'ai changé les plaquettes mais la pédale de frein reste molle, une idée ?", "none"),
    ("quelqu'un a vu la tapette à mouches ? y en a trois qui tournent dans la cuisine", "none"),
    ("un raton laveur s'est installé dans le grenier de mes parents en Alsace 🦝", "none"),
    ("le melon charentais du marché ce matin, une tuerie avec du jambon cru", "none"),
    ("je relis Les Âmes mortes de Gogol, toujours aussi drôle", "none"),
    ("les Mongols de Gengis Khan ont conquis la moitié de l'Asie en moins d'un siècle", "none"),
    ("mon scooter est bridé à 45, je me fais doubler par les vélos en montée", "none"),
    ("concert de jazz manouche ce soir à Samois, hommage à Django 🎸", "none"),
    ("les macaques du zoo ont piqué le sandwich d'un gamin, on a tous ri", "none"),
    # réappropriation, usage par le groupe lui-même
    ("on est une bande de gouines et fières de l'être, rdv à la marche des fiertés samedi 🌈", "none"),
    ("en tant que renoi de Sarcelles, ce film m'a parlé comme jamais", "none"),
    ("les rebeus du quartier ont organisé une maraude pour les SDF, respect à eux", "none"),
    # citée pour la dénoncer ou la rapporter, presse, sens et histoire du mot
    ("un mec m'a traité de 'sale bougnoule' dans le métro et personne a bougé. en 2024.", "none"),
    ("Un conseiller municipal condamné pour avoir qualifié des Roms de « romanos » sur Facebook", "none"),
    ("c'est quoi un 'niakoué' ? mon grand-père l'a sorti au repas et tout le monde a fait la gueule", "none"),
    ("pourquoi dire 'mongol' pour se moquer de quelqu'un c'est insultant en fait ?", "none"),
    (
        "le mot 'bougnoule' viendrait du wolof, où il voulait dire 'noir', avant de viser les Maghrébins",
        "none",
    ),
    ("Césaire a repris le mot 'nègre' pour en faire la négritude, un geste de fierté", "none"),
    ("traiter quelqu'un de 'travelo' c'est pas de l'humour, c'est de la transphobie. signalez", "none"),
    ("ma fille s'est fait traiter de chinetoque à la récré, j'ai écrit à la directrice", "none"),
)


def test_dev_lists_are_well_formed() -> None:
    assert_well_formed(DEV_EN, minimum=40)
    assert_well_formed(DEV_FR, minimum=40)


def test_dev_sentences_are_not_training_examples() -> None:
    assert not (found := leaked(DEV_EN, "en")), found
    assert not (found := leaked(DEV_FR, "fr")), found

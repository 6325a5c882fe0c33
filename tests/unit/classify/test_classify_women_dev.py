"""A private English and French dev list on hate against women (misogyny).

Sentences written by hand, apart from the training data (``src/townsquare/classify/training/``) and from the blind
suite, to judge whether a retrained model generalises on misogyny: explicit, dehumanising and implicit derogation,
questions, negated positives, "I hate women", calls to exclude women from work, voting or sport, slurs for women
aimed at women in general, incel and manosphere vocabulary, pronoun references, threats and calls to violence
against women as a group. Each language also has contrasts sharing those words (feminist discussion, news about
violence against women, quoted abuse condemned by the woman who received it, positive or neutral statements, civil
policy debate, harmless jokes, self-deprecation, women's sport results) and personal insults of one individual woman
that are not about her being a woman (``harass_individual`` in tests/blind/SPEC.md).
This test only checks they stay out of the generated training examples (whole or inside a framed example): a dev
sentence that leaked into training would measure memory, not generalisation. It asserts no model output.
"""

from __future__ import annotations

from devlist_checks import assert_well_formed, leaked

# (text, expected outcome as a careful moderator applying tests/blind/SPEC.md would give it)
DEV_EN: tuple[tuple[str, str], ...] = (
    # explicit derogation and dehumanisation
    ("women are shallow, selfish and only out for a man's wallet, every last one of them", "hate"),
    ("honestly females are the most manipulative creatures on the planet", "hate"),
    ("women are livestock with smartphones. throw them a compliment and they'll follow anyone home", "hate"),
    ("women are parasites who live off men's taxes and call it equality", "hate"),
    # stereotypes stated as fact, implicit derogation
    (
        "ask a woman to read a map and watch what happens lol. there's a reason men drove the carriages",
        "hate",
    ),
    ("never let a girl near the company accounts, it'll all be gone on handbags by march", "hate"),
    ("the reason female drivers crash so much is they can't do two things at once. basic science", "hate"),
    ("a woman's opinion is worth less than my dog's, at least he's loyal", "hate"),
    # questions and negated positives
    ("why does every woman over 30 turn into a bitter cat lady who blames men for everything?", "hate"),
    ("serious question, why do women even bother pretending they can do maths?", "hate"),
    ("women aren't capable of logical thought, it's emotions all the way down", "hate"),
    ("no woman has ever been a decent leader. not one. look it up", "hate"),
    # I hate women
    ("I genuinely hate women. all of them. can't stand being in the same room", "hate"),
    ("i despise females so much its unreal", "hate"),
    # calls to exclude women from work, voting, sport
    ("women should be banned from management, they wreck every team they run", "hate"),
    ("repeal the 19th. giving women the vote was the worst mistake of the last century", "hate"),
    ("keep women out of the commentary box, nobody wants a squeaky voice explaining offside", "hate"),
    # slurs for women aimed at women in general, obfuscated too
    ("all these hoes the same, trust none of em", "hate"),
    ("w0men are wh*res, every one of them would sell you out for a bigger bank account", "hate"),
    # incel and manosphere vocabulary
    ("foids are subhuman. stacys ride chad and leave us betas to rot", "hate"),
    (
        "hypergamy is hardwired into every female, she'll monkey-branch the second a higher value man looks her way",
        "hate",
    ),
    ("femoids don't have souls, just a list of height requirements", "hate"),
    # the group named, then derogated by a pronoun
    (
        "Spent the night at the office party with the women from accounts. They really are gossiping hens with nothing between the ears.",
        "hate",
    ),
    (
        "Women wanted equality. Now they've got it they whine every single day. Useless, the lot of them.",
        "hate",
    ),
    # threats and calls to violence against women as a group
    ("every woman marching on sunday deserves to get her teeth kicked in", "hate"),
    ("women need a slap now and then to remember their place. lads, do your duty", "hate"),
    # profanity and emoji carrying the hate
    ("fucking women ruin everything they touch, sport, games, films, all of it", "hate"),
    ("women in the workplace 🤡🤡 get back in the kitchen 🍳", "hate"),
    # contrasts: quoted abuse condemned, news, feminist discussion, positive and neutral mentions
    (
        "a man replied 'women belong in the kitchen' under my article. reported. this is what we deal with daily",
        "none",
    ),
    (
        "someone DMed me 'shut up you dumb bitch, women can't code'. I've been a backend engineer for 12 years. screenshotting",
        "none",
    ),
    ("new WHO report: about 1 in 3 women worldwide have experienced physical or sexual violence", "none"),
    ("the court convicted him of coercive control after years of abuse against his wife", "none"),
    (
        "the 'women are too emotional to lead' line has always been used to keep us out of the room. it was never true",
        "none",
    ),
    ("no, women are not worse drivers. insurers' own figures show fewer serious crashes", "none"),
    (
        "teachers say boys now repeat 'foids' and 'hypergamy' in class. the manosphere is reaching 13 year olds",
        "none",
    ),
    ("women are brilliant engineers and we need far more of them on this team 💪", "none"),
    ("my gran raised six kids and ran the village shop. strongest woman I know", "none"),
    ("women's march on sunday starts at 11, bring water and comfy shoes", "none"),
    (
        "The Handmaid's Tale is terrifying because the regime takes away women's right to read and vote",
        "none",
    ),
    # civil policy debate
    (
        "not convinced board quotas are the best tool, I'd rather see funded childcare and pay transparency",
        "none",
    ),
    (
        "should parental leave be equal for both parents? sharing it would probably close the pay gap faster",
        "none",
    ),
    # jokes that do not demean women, self-deprecation
    ("my wife beat me at chess three times in a row and now she's insufferable. love her", "none"),
    ("as a woman in tech I am legally required to tell you I broke prod today. send snacks", "none"),
    ("the dog just had 8 puppies, the bitch and her babies are doing well 🐶", "none"),
    # women's sport
    ("the Lionesses beat Spain 2-1, unreal scenes at Wembley tonight", "none"),
    ("women's rugby world cup final sold out in 48 hours, massive for the sport", "none"),
    ("our women's team absolutely destroyed them 5-0 on saturday 🔥", "none"),
    ("I don't hate women, I just hate losing to my sister at FIFA every weekend", "none"),
    ("my girlfriend is the smartest person in every room and I'm just glad to be there", "none"),
    ("half the speakers at the conference were women this year and the talks were the best yet", "none"),
    # personal insults of one woman, not about her being a woman
    (
        "@Sarah_J your videos are painful to watch, you can't even edit a clip, delete your channel",
        "harassment",
    ),
    ("Jessica you are the most boring person in this group chat, nobody laughs at your jokes", "harassment"),
    (
        "Megan's presentation today was a car crash, she's clueless about her own project and everyone knows it",
        "harassment",
    ),
    ("you're a two-faced liar, Claire, and the whole office can see right through you", "harassment"),
    ("nobody asked for your opinion Priya, go back to being irrelevant", "harassment"),
    ("ur so annoying rachel no wonder nobody invites u anywhere", "harassment"),
)

DEV_FR: tuple[tuple[str, str], ...] = (
    # dérogation explicite et déshumanisation
    ("les femmes sont toutes des menteuses et des manipulatrices, c'est dans leur nature", "hate"),
    ("les meufs c'est que des profiteuses, elles cherchent juste un mec avec un gros salaire", "hate"),
    ("les femmes c'est du bétail, tu les flattes un peu et elles suivent n'importe qui", "hate"),
    ("les bonnes femmes c'est de la vermine qui vit sur le dos des hommes", "hate"),
    # stéréotypes énoncés comme des faits, dérogation implicite
    ("confie la compta à une femme et en deux mois tout est parti en sacs à main et en chaussures", "hate"),
    ("une femme qui travaille c'est une mère qui abandonne ses gosses, leur place est à la maison", "hate"),
    (
        "évidemment qu'elle s'est garée sur deux places, femme au volant quoi 🙄 elles sont toutes comme ça",
        "hate",
    ),
    ("l'avis d'une femme vaut moins que celui de mon chien, lui au moins il est fidèle", "hate"),
    # questions et positifs niés
    (
        "pourquoi les femmes se sentent obligées de donner leur avis sur le foot alors qu'elles y comprennent rien ?",
        "hate",
    ),
    ("c'est moi ou les femmes sont incapables de prendre une décision sans chialer ?", "hate"),
    ("les femmes ne sont pas faites pour diriger, elles n'ont aucune logique", "hate"),
    ("jamais une femme n'a inventé quoi que ce soit d'utile, faut arrêter de rêver", "hate"),
    # je déteste les femmes
    ("je déteste les femmes, toutes autant qu'elles sont", "hate"),
    ("jsuis pas misogyne mais j'supporte plus les meufs, elles me dégoûtent", "hate"),
    # appels à exclure les femmes du travail, du vote, du sport
    ("les femmes devraient être interdites aux postes de direction, elles coulent toutes les boîtes", "hate"),
    ("on aurait jamais dû donner le droit de vote aux femmes, regardez où on en est", "hate"),
    ("virez les femmes des plateaux sportifs, personne veut les entendre commenter un match", "hate"),
    # insultes pour les femmes visant les femmes en général, masquées aussi
    ("toutes des salopes, les femmes, pas une pour rattraper l'autre", "hate"),
    ("les f3mmes = des p*tes, elles vont toujours vers celui qui a le plus de thune", "hate"),
    # vocabulaire incel et masculiniste
    (
        "les femelles c'est des sous-humaines, elles couchent avec les chads et laissent les bêtas pourrir",
        "hate",
    ),
    ("l'hypergamie c'est dans leur ADN, une femme te lâchera dès qu'un mâle alpha passe devant elle", "hate"),
    ("les femoïdes ont pas d'âme, juste une liste de critères de taille et de salaire", "hate"),
    # le groupe nommé, puis dénigré par un pronom
    (
        "Les femmes ont voulu l'égalité. Maintenant elles passent leur temps à pleurnicher, elles servent à rien.",
        "hate",
    ),
    (
        "J'ai bossé avec des femmes pendant dix ans. Elles sont toutes pareilles : jalouses, hystériques, incompétentes.",
        "hate",
    ),
    # menaces et appels à la violence contre les femmes en tant que groupe
    ("toutes celles qui défilent le 8 mars mériteraient de se faire tabasser", "hate"),
    ("une bonne gifle de temps en temps, y a que ça pour que les femmes restent à leur place", "hate"),
    # grossièretés, emoji, écriture SMS
    ("putain les femmes gâchent tout ce qu'elles touchent, le ciné, les jeux, le sport, tout", "hate"),
    ("les femmes au boulot 🤡🤡 retournez à la cuisine 🍳", "hate"),
    ("les femmes sa sert a rien a part pondre des gosses", "hate"),
    # contrastes : insultes citées pour les dénoncer, actualité, discussion féministe, mentions positives ou neutres
    (
        "un mec m'a écrit 'retourne à ta cuisine, les femmes ça sert à rien'. Signalé. Voilà le quotidien des journalistes",
        "none",
    ),
    (
        "on m'a traitée de 'salope hystérique' parce que j'ai parlé d'égalité salariale. je laisse ça là, voilà ce qu'on subit",
        "none",
    ),
    ("En France, une femme meurt tous les trois jours sous les coups de son conjoint ou ex-conjoint", "none"),
    ("le tribunal a condamné l'homme à cinq ans de prison ferme pour violences conjugales", "none"),
    ("non, les femmes ne sont pas 'trop émotives' pour diriger, ce cliché doit disparaître", "none"),
    ("étude : les femmes au volant ont moins d'accidents graves que les hommes", "none"),
    (
        "des profs alertent : des ados de 4e répètent en classe les discours masculinistes sur 'l'hypergamie' et les 'femoïdes'",
        "none",
    ),
    ("les femmes de ma famille sont des battantes, ma mère a élevé quatre enfants seule", "none"),
    ("Marie Curie, deux prix Nobel, franchement respect éternel", "none"),
    ("manif du 8 mars demain, départ 14h place de la République, prenez de l'eau", "none"),
    (
        "La Servante écarlate fait froid dans le dos : un régime qui interdit aux femmes de lire et de voter",
        "none",
    ),
    ("vive les femmes qui codent, on en veut plus dans notre équipe 💪", "none"),
    # débat civil sur les politiques publiques
    (
        "pas sûr que les quotas dans les conseils d'administration soient la bonne solution, je préférerais plus de places en crèche",
        "none",
    ),
    (
        "un congé paternité aussi long que le congé maternité, ça réduirait les écarts de salaire, non ?",
        "none",
    ),
    # blagues qui ne rabaissent pas les femmes, autodérision
    (
        "ma copine m'a battu trois fois de suite à Mario Kart, elle est insupportable depuis, je l'adore",
        "none",
    ),
    (
        "moi qui essaie de faire un créneau depuis 10 min avec une file de voitures derrière 😭 je suis nulle",
        "none",
    ),
    ("la chienne a eu six chiots cette nuit, la maman et les petits vont bien 🐶", "none"),
    # sport féminin
    ("les Bleues s'imposent 3-1 face à l'Italie, quel match !", "none"),
    ("l'équipe de France féminine de handball championne du monde, trop fière 🇫🇷", "none"),
    ("les filles du club ont défoncé l'équipe adverse 5-0 ce week-end 🔥", "none"),
    (
        "je n'ai rien contre les hommes, je veux juste qu'on arrête de couper la parole aux femmes en réunion",
        "none",
    ),
    # insultes personnelles d'une femme, sans rapport avec le fait d'être une femme
    ("@Camille_L tes vidéos sont nulles à chier, t'as aucun talent, supprime ta chaîne", "harassment"),
    ("Julie t'es la personne la plus chiante du groupe, personne rigole à tes blagues", "harassment"),
    (
        "la présentation de Sophie ce matin c'était une catastrophe, elle comprend rien à son propre projet",
        "harassment",
    ),
    ("t'es une hypocrite Laura, tout le bureau voit clair dans ton jeu", "harassment"),
    ("personne t'a demandé ton avis Nadia, retourne dans ton coin et ferme-la", "harassment"),
    ("t'es relou Inès, pas étonnant que personne t'invite jamais", "harassment"),
)


def test_dev_list_is_well_formed() -> None:
    assert_well_formed(DEV_EN, minimum=50)
    assert_well_formed(DEV_FR, minimum=50)


def test_dev_sentences_are_not_training_examples() -> None:
    assert not (found := leaked(DEV_EN, "en")), found
    assert not (found := leaked(DEV_FR, "fr")), found

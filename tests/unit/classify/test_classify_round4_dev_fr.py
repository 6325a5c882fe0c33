"""A private French dev list for round 4 of the written phrasings (issue 14).

Sentences written separately from ``training/data/round4_fr.yaml`` to judge a retrained model.
This test only checks they stay out of the generated training examples (whole or inside a framed example): a dev
sentence that leaked into training would measure memory, not generalisation. It asserts no model output
(the model card reports the shipped model's score on it).
"""

from __future__ import annotations

from devlist_checks import assert_well_formed, leaked

# (text, expected outcome as a careful moderator would give it)
DEV_FR: tuple[tuple[str, str], ...] = (
    # menaces et appels à la violence contre un groupe protégé (de la haine)
    ("les réfugiés du gymnase, on devrait les enfumer comme des renards dans leur terrier", "hate"),
    ("je veux voir chaque Arabe de cette ville à genoux avec un canon sur la tempe", "hate"),
    ("qui vient avec moi cogner les gouines qui sortent du bar samedi ?", "hate"),
    ("les personnes trans, il faudrait les brûler sur la place du marché, comme les sorcières", "hate"),
    ("il est grand temps de nettoyer les caravanes des Roms au lance-flammes", "hate"),
    ("ces juifs vont finir au fond d'une fosse, je le jure sur ma vie", "hate"),
    ("les autistes, je leur réserve une balle à chacun le jour où ça pète", "hate"),
    ("les femmes qui avortent méritent toutes d'être lapidées", "hate"),
    ("on va écrabouiller le Stade Rennais samedi, 5-0 minimum", "none"),
    ("marche de soutien aux familles roms expulsées, départ 14h place de la Comédie", "none"),
    ("le type qui avait appelé à tirer sur les migrants à Menton a pris deux ans ferme", "none"),
    ("« il faut pendre les homos » : ce tweet d'un élu fait scandale, plainte déposée", "none"),
    ("je déteste la violence, même contre ceux qui me détestent", "none"),
    # menaces conditionnelles et voilées contre une personne
    ("si tu remets une photo de mes enfants en ligne, tu rentreras plus jamais chez toi debout", "threat"),
    ("t'as oublié de fermer ton garage hier soir. nous on a pas oublié", "threat"),
    ("ose encore me contredire devant le patron et je te brûle la gueule au chalumeau", "threat"),
    ("ta mère prend toujours le 38 à 17h ? ce serait bête qu'elle le rate un jour, pour toujours", "threat"),
    ("si tu refuses ce pot-de-vin, ton chien le paiera, puis ta femme", "threat"),
    ("si tu passes le concours en juin, je t'invite au resto pour fêter ça", "none"),
    ("je vais saisir le conciliateur de justice si tu répares pas la clôture", "none"),
    ("vigilance canicule : si vous sortez entre 12h et 16h, hydratez-vous", "none"),
    ("si tu prends encore mon chargeur, je te fais payer un café, voleuse", "none"),
    ("on va vous détruire en finale de badminton, préparez vos raquettes", "none"),
    # intention et idées suicidaires
    (
        "j'ai mis de côté toutes mes gélules depuis Noël, je les prends vendredi quand l'appart sera vide",
        "self_harm",
    ),
    (
        "je laisse ma guitare à Hugo et mes carnets à ma sœur, je leur ai écrit à chacun, c'est pour cette nuit",
        "self_harm",
    ),
    ("le pont suspendu près de chez ma tante, j'y vais dimanche et je reviens pas", "self_harm"),
    ("je voudrais m'arrêter d'exister, juste ça, m'arrêter", "self_harm"),
    ("chaque nuit j'espère que mon cœur va lâcher pendant que je dors", "self_harm"),
    ("jvois plus l'intérêt de rester en vie, ça fait des semaines que j'y pense", "self_harm"),
    ("j'ai plus envie de lutter, je veux juste ne plus être là demain", "self_harm"),
    ("ce devoir de thermo va avoir ma peau, j'en suis à la 5e page", "none"),
    ("j'ai écrit mes lettres de motivation pour chaque entreprise, je les envoie demain", "none"),
    ("il y a trois ans je voulais mourir. aujourd'hui je suis bénévole au 3114", "none"),
    (
        "dans le manga, le héros saute du toit du lycée et tout le monde pleure, cet épisode est trop dur",
        "none",
    ),
    ("ton message m'inquiète, je peux venir dormir chez toi ce soir ?", "none"),
    ("je suis morte de rire, ma grand-mère a découvert les filtres Snapchat", "none"),
    # menaces contre des lieux et des événements, divulgation
    ("mercredi pendant la chorale de l'école Pasteur je rentre avec la hachette", "threat"),
    ("la mosquée de Villeneuve aura un vendredi rouge, on a tout préparé", "threat"),
    (
        "le concert de l'orchestre municipal dimanche, je viens avec de l'explosif dans l'étui du violoncelle",
        "threat",
    ),
    ("demain au bureau je commence par la compta et je finis par le DG, j'ai assez de balles", "threat"),
    (
        "la clinique où ils ont refusé d'opérer mon père, je la fais cramer avec les chirurgiens dedans",
        "threat",
    ),
    ("son adresse c'est 22 rue des Peupliers à Angers, allez lui casser les jambes de ma part", "threat"),
    (
        "je sais dans quel collège est ta fille et à quelle heure elle sort, retire ta plainte ou elle le paiera",
        "threat",
    ),
    ("répétition générale du spectacle de l'école jeudi 18h, les parents sont bienvenus", "none"),
    (
        "exercice alerte attentat ce matin au lycée, les élèves se sont enfermés dans les salles 10 minutes",
        "none",
    ),
    ("il y a cinq ans, l'incendie criminel de la synagogue de Rouen, cérémonie ce soir", "none"),
    ("voilà l'adresse pour le barbecue : 9 chemin des Vignes, venez avec vos chaises pliantes", "none"),
    ("le livreur demande ton adresse exacte et ton étage, je lui donne ?", "none"),
    # haine contre les personnes handicapées et les gays et lesbiennes
    ("les handicapés mentaux, c'est juste des boulets que la société traîne", "hate"),
    ("pourquoi on laisse les sourds conduire ? ils sont un danger pour nous tous", "hate"),
    ("les gens en fauteuil. Qu'ils arrêtent de se plaindre, on leur doit rien", "hate"),
    ("je ne supporte pas les trisomiques au restaurant, ça me dégoûte", "hate"),
    ("les homos sont des pervers, faut les tenir loin des écoles", "hate"),
    ("les lesbiennes ne sont jamais de vraies mères", "hate"),
    ("deux hommes qui s'embrassent ? c'est répugnant, ces gens sont des malades", "hate"),
    ("ma cousine sourde est architecte, elle dessine des bâtiments accessibles à tous", "none"),
    ("la mairie va enfin mettre des bandes podotactiles dans toutes les stations de tram", "none"),
    ("« les handicapés coûtent cher » ? non, c'est l'inaccessibilité qui coûte cher à tout le monde", "none"),
    (
        "j'ai fait mon coming out lesbien à ma grand-mère, elle m'a demandé quand elle rencontrait ma copine",
        "none",
    ),
    ("les gays et les lesbiennes ont les mêmes droits que tout le monde, fin du débat", "none"),
    ("débat à la médiathèque : homoparentalité, ce que disent les études", "none"),
    # harcèlement hors groupe protégé
    ("Jérémy t'es qu'un minable, retourne pleurer dans les jupes de ta mère", "harassment"),
    ("le président du club est un escroc et un abruti fini", "harassment"),
    ("les gens qui doublent dans la file du boulanger, je les supporte pas", "none"),
)


def test_dev_list_is_well_formed() -> None:
    assert_well_formed(DEV_FR, minimum=60)


def test_dev_sentences_are_not_training_examples() -> None:
    assert not (found := leaked(DEV_FR, "fr")), found

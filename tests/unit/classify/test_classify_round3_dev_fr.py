"""A private French dev list for round 3 of the written phrasings (issue 14).

Sentences written separately from ``training/data/round3_fr.yaml`` to judge a retrained model.
This test only checks they stay out of the generated training examples (whole or inside a framed example): a dev
sentence that leaked into training would measure memory, not generalisation. It asserts no model output
(the model card reports the shipped model's score on it).
"""

from __future__ import annotations

from devlist_checks import assert_well_formed, leaked

# (text, expected outcome as a careful moderator would give it)
DEV_FR: tuple[tuple[str, str], ...] = (
    # menaces liées à un lieu
    ("mardi à la récré je sors le flingue dans la cour du collège, vous verrez", "threat"),
    ("la mosquée de la rue Carnot, on y descend samedi soir avec des jerricans", "threat"),
    ("vendredi au vernissage de la médiathèque, je tire sur le premier qui parle", "threat"),
    ("la synagogue ouvre ses portes dimanche pour un concert de musique klezmer", "none"),
    ("grosse manif devant la préfecture samedi, prenez de l'eau et de la crème solaire", "none"),
    ("la mairie de notre village a été évacuée après un colis suspect, rien de grave", "none"),
    # menaces conditionnelles et voilées
    ("si tu témoignes contre mon cousin, ta boutique brûlera avec toi derrière le comptoir", "threat"),
    ("ton fils prend le bus de 7h12 tous les matins. je dis ça, je dis rien", "threat"),
    ("t'as intérêt à te taire, sinon on viendra te rendre une petite visite nocturne", "threat"),
    ("si tu passes par Lille, fais-moi signe, je t'offre une bière", "none"),
    ("fais attention à toi sur la route du retour, il y a du brouillard", "none"),
    ("il lui a écrit qu'il savait où elle travaillait, elle a obtenu une ordonnance de protection", "none"),
    # appels à la violence contre un groupe
    ("qu'on sorte les fourches et qu'on aille chasser les Roms du terrain vague", "hate"),
    ("allez, tous au foyer de réfugiés cette nuit, on les fait déguerpir à coups de barre", "hate"),
    ("il faudrait cogner chaque lesbienne qui s'embrasse en public", "hate"),
    ("les musulmans du quartier rompent le jeûne ensemble ce soir, tout le monde est invité", "none"),
    ("le tribunal a condamné un youtubeur pour avoir appelé à frapper des homosexuels", "none"),
    ("on va pulvériser l'équipe de Nantes ce week-end, allez les Verts", "none"),
    # intention suicidaire
    ("j'ai rempli une bouteille de tous mes cachets, je la bois après le dîner", "self_harm"),
    ("mon frère aura ma console, ma mère mes carnets. je pars cette nuit", "self_harm"),
    ("g trouvé un endroit tranquille en forêt pour pas qu'on me trouve, c'est pour demain", "self_harm"),
    ("cette réunion de trois heures m'a tuée, je rentre dormir", "none"),
    ("l'an dernier j'avais écrit ma lettre d'adieu. cette année j'ai écrit un livre. restez", "none"),
    ("tu me dis que tu veux mourir : je reste au téléphone avec toi toute la nuit s'il faut", "none"),
    # haine : handicap, musulmans, LGBT, femmes
    ("les personnes handicapées ne sont pas utiles à la société, qu'on arrête de faire semblant", "hate"),
    ("ces gens en fauteuil, ils ralentissent tout, on devrait leur interdire le métro", "hate"),
    ("t'as déjà vu un musulman dire la vérité ? moi jamais", "hate"),
    ("les homos. Franchement ils me donnent envie de vomir", "hate"),
    ("les femmes sont trop bêtes pour comprendre la politique, laissez-les hors de ça", "hate"),
    ("je ne supporte pas les meufs, elles ne pensent qu'à l'argent", "hate"),
    ("les trans ne seront jamais des personnes normales", "hate"),
    ("mon collègue sourd m'a appris à signer bonjour et merci", "none"),
    ("« les femmes sont bêtes » ? elle a deux doctorats et elle dirige le labo", "none"),
    ("mon oncle est gay et il a élevé trois enfants formidables", "none"),
    ("le débat sur l'accessibilité des gares aux handicapés revient à l'Assemblée", "none"),
    # harcèlement hors groupe protégé
    ("Kevin t'es une sous-merde, même ton chien t'aime pas", "harassment"),
    ("l'entraîneur de Lens est un incompétent notoire, qu'il dégage", "harassment"),
    ("je déteste les gens qui klaxonnent à 6h du matin", "none"),
    ("putain ce gratin dauphinois est incroyable", "none"),
    ("les fans du Real sont insupportables quand ils gagnent", "none"),
)


def test_dev_list_is_well_formed() -> None:
    assert_well_formed(DEV_FR)


def test_dev_sentences_are_not_training_examples() -> None:
    assert not (found := leaked(DEV_FR, "fr")), found

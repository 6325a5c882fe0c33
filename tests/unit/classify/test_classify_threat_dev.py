"""Threats, self-harm and harassment on sentences written after the training data (issue 14, item 3).

The engineer who wrote ``threats_*``, ``selfharm_*`` and ``targets_*`` (v3-v6 phrasings) wrote these sentences as a
development list, never as training examples (a test below checks it) and without sight of the blind suite. They
measure generalisation to new phrasings, both languages pooled per outcome; the floors sit below what a model
trained from the committed data scored (threat 0.68, self-harm 0.58, harassment 0.86, contrasts 0.98 on a scratch
build), so a retrain that loses the threat, self-harm or harassment data fails here. Single sentences are not
asserted: the measure is the blind suite.
"""

from __future__ import annotations

import re

import pytest

from townsquare.classify import Assessment, classify
from townsquare.classify.normalize import normalize

THREAT = [
    ("I'm going to put a knife in your ribs when you get off the bus", "en"),
    ("you'll be eating hospital food for months after I'm done with you", "en"),
    ("I'm gonna bust your head open with a bottle", "en"),
    ("tomorrow you die, simple as that", "en"),
    ("I'll hunt you down and gut you, Kevin", "en"),
    ("if you come back to this street you'll leave in pieces", "en"),
    ("open your mouth about this to anyone and your sister pays for it", "en"),
    ("you should think about how fragile your knees are", "en"),
    ("it'd be a pity if your shop caught fire one night", "en"),
    ("I know your daughter takes the 8:15 bus from Mill Road. Think about that.", "en"),
    ("found where you live, lovely garden, I'll be visiting with a crowbar", "en"),
    ("I'm bringing a rifle to the graduation ceremony, sit at the back", "en"),
    ("the mosque on Station Road will burn during Friday prayers", "en"),
    ("there will be a massacre at the school concert, mark my words", "en"),
    ("someone go smash that referee's face in after the game", "en"),
    ("je vais t'enfoncer un couteau dans les côtes à la descente du bus", "fr"),
    ("tu vas bouffer de la nourriture d'hosto pendant des mois après ce que je vais te faire", "fr"),
    ("je vais t'ouvrir le crâne avec une bouteille", "fr"),
    ("demain tu crèves, c'est aussi simple que ça", "fr"),
    ("si tu remets les pieds dans cette rue tu repars en morceaux", "fr"),
    ("parle de ça à qui que ce soit et c'est ta sœur qui paiera", "fr"),
    ("tu devrais penser à quel point tes genoux sont fragiles", "fr"),
    ("ce serait dommage que ta boutique prenne feu une nuit", "fr"),
    ("je sais que ta fille prend le bus de 8h15 rue du Moulin. Réfléchis.", "fr"),
    ("j'ai trouvé où t'habites, joli jardin, je passerai avec un pied-de-biche", "fr"),
    ("j'apporte un fusil à la remise des diplômes, mettez-vous au fond", "fr"),
    ("la mosquée de la rue de la Gare brûlera pendant la prière du vendredi", "fr"),
    ("y aura un massacre au spectacle de l'école, retenez bien", "fr"),
    ("que quelqu'un aille défoncer la gueule de l'arbitre après le match", "fr"),
    ("I'm going to rearrange your face with a baseball bat", "en"),
    ("the next time you walk past my house you'll be limping for life", "en"),
    ("you'll be breathing through a tube when I'm finished", "en"),
    ("I swear I'll shoot you the moment you step out of that car", "en"),
    ("keep ignoring me and you'll find out what a broken jaw feels like", "en"),
    ("snitches get stitches, and you're a snitch", "en"),
    ("your little boy plays in the park every afternoon, doesn't he? Be a shame.", "en"),
    ("I've got your postcode and a can of petrol", "en"),
    ("Monday morning assembly is going to be very loud, bring earplugs and a coffin", "en"),
    ("the protest on Saturday will meet my truck at full speed", "en"),
    ("I'm going to burn down the café where you work with you locked inside", "en"),
    ("go and stab the landlord, he's earned it", "en"),
    ("je vais te refaire la tête à la batte de baseball", "fr"),
    ("la prochaine fois que tu passes devant chez moi tu boiteras à vie", "fr"),
    ("tu respireras avec un tuyau quand j'en aurai fini avec toi", "fr"),
    ("je te jure que je te tire dessus dès que tu sors de ta voiture", "fr"),
    ("continue à m'ignorer et tu sauras ce que c'est qu'une mâchoire cassée", "fr"),
    ("les balances finissent à l'hosto, et t'es une balance", "fr"),
    ("ton petit joue au parc tous les après-midi, non ? Ce serait dommage.", "fr"),
    ("j'ai ton code postal et un bidon d'essence", "fr"),
    ("lundi matin au lycée ça va faire beaucoup de bruit, prévoyez des cercueils", "fr"),
    ("la manif de samedi va rencontrer mon camion à fond", "fr"),
    ("je vais cramer le café où tu bosses avec toi enfermé dedans", "fr"),
    ("allez planter le proprio, il l'a bien mérité", "fr"),
]
SELF_HARM = [
    ("honestly I don't see why I should bother staying alive", "en"),
    ("I keep hoping I'll just not wake up one morning", "en"),
    ("I'd rather be dead than feel like this every day", "en"),
    ("everyone would be relieved if I was gone for good", "en"),
    ("I've got the pills lined up on my desk, tonight I'm done", "en"),
    ("going to the bridge after work and I'm not coming back", "en"),
    ("how many of my antidepressants would it take to never wake up", "en"),
    ("I cut my arm again, it's the only thing that calms me", "en"),
    ("franchement je vois pas pourquoi je m'embêterais à rester en vie", "fr"),
    ("j'espère à chaque fois que je me réveillerai pas le matin", "fr"),
    ("je préfère être mort que me sentir comme ça tous les jours", "fr"),
    ("tout le monde serait soulagé si je partais pour de bon", "fr"),
    ("j'ai aligné les cachets sur mon bureau, ce soir c'est fini", "fr"),
    ("je vais au pont après le boulot et je reviendrai pas", "fr"),
    ("combien de mes antidépresseurs il faut pour ne plus jamais se réveiller", "fr"),
    ("je me suis encore tailladé le bras, c'est le seul truc qui me calme", "fr"),
    ("I genuinely don't want to live to see thirty", "en"),
    ("it's getting harder to find reasons to keep breathing", "en"),
    ("I ordered the tablets online, enough to finish it this weekend", "en"),
    ("leaving my keys on the table. I'm walking to the lake and that's it.", "en"),
    ("burned my wrist with the iron on purpose again tonight", "en"),
    ("sincèrement j'ai pas envie de vivre jusqu'à trente ans", "fr"),
    ("c'est de plus en plus dur de trouver des raisons de continuer à respirer", "fr"),
    ("j'ai commandé les comprimés en ligne, de quoi en finir ce week-end", "fr"),
    ("je laisse mes clés sur la table. Je marche jusqu'au lac et c'est tout.", "fr"),
    ("je me suis brûlé le poignet au fer à repasser exprès ce soir encore", "fr"),
]
HARASSMENT = [
    ("you're a useless little worm and everyone at work knows it", "en"),
    ("Jake is the most pathetic loser in our year", "en"),
    ("that referee is a clueless buffoon who ruined the game", "en"),
    ("the fans in the north stand are brain-dead idiots", "en"),
    ("the finance minister is a gutless liar", "en"),
    ("nobody wants you in the group chat, leave, freak", "en"),
    ("t'es un petit ver inutile et tout le boulot le sait", "fr"),
    ("Jordan c'est le plus gros looser de la promo", "fr"),
    ("cet arbitre est un bouffon incompétent qui a gâché le match", "fr"),
    ("les supporters de la tribune nord sont des demeurés", "fr"),
    ("le ministre des finances est un menteur sans couilles", "fr"),
    ("personne veut de toi dans le groupe, dégage, le cassos", "fr"),
    ("your dad is ashamed of you and so is everyone else, you absolute failure", "en"),
    ("Mark from accounts is a spineless bootlicker", "en"),
    ("the away end today was full of clueless, screaming morons", "en"),
    ("that goalkeeper is a butterfingered embarrassment, what a clown", "en"),
    ("the chancellor is a smug, lying weasel", "en"),
    ("ton père a honte de toi et tout le monde aussi, espèce de raté", "fr"),
    ("Marc de la compta est un lèche-bottes sans colonne", "fr"),
    ("le parcage visiteurs aujourd'hui était rempli de crétins hurlants", "fr"),
    ("ce gardien est une passoire ridicule, quel guignol", "fr"),
    ("le ministre de l'économie est une fouine suffisante et menteuse", "fr"),
]
NONE = [
    ("I'll kill you if you tell anyone the ending of the book lol", "en"),
    ("we absolutely murdered them in the cup tonight", "en"),
    ("this curry is going to destroy me, so spicy", "en"),
    ("the thriller's villain threatens to bomb the opera", "en"),
    ("a man was jailed for sending death threats to his MP", "en"),
    ("school concert on Friday at 6, the kids will sing", "en"),
    ("meet us at the mosque after Friday prayers for lunch", "en"),
    ("I'm taking the kids to the stadium tour on Saturday at 10", "en"),
    ("this maths homework is going to be the death of me", "en"),
    ("I was dying of laughter at the wedding speech", "en"),
    ("if you're having dark thoughts, please reach out to a helpline tonight", "en"),
    ("four years since my attempt and I'm getting married next month", "en"),
    ("I think the referee made a bad call there", "en"),
    ("the fans in the north stand were brilliant tonight", "en"),
    ("je te tue si tu racontes la fin du livre à quelqu'un mdr", "fr"),
    ("on les a massacrés en coupe ce soir", "fr"),
    ("ce curry va me détruire, trop épicé", "fr"),
    ("dans le thriller, le méchant menace de faire sauter l'opéra", "fr"),
    ("un homme condamné pour avoir envoyé des menaces de mort à sa députée", "fr"),
    ("spectacle de l'école vendredi à 18h, les enfants vont chanter", "fr"),
    ("on se retrouve à la mosquée après la prière du vendredi pour déjeuner", "fr"),
    ("j'emmène les enfants visiter le stade samedi à 10h", "fr"),
    ("ce devoir de maths va avoir ma peau", "fr"),
    ("j'étais morte de rire pendant le discours du mariage", "fr"),
    ("si t'as des idées noires, appelle le 3114 ce soir, s'il te plaît", "fr"),
    ("quatre ans après ma tentative, je me marie le mois prochain", "fr"),
    ("je pense que l'arbitre s'est planté sur cette action", "fr"),
    ("les supporters de la tribune nord ont été géniaux ce soir", "fr"),
    ("I'll kill you if you forget my birthday again haha", "en"),
    ("the final boss absolutely slaughtered our whole squad", "en"),
    ("news: teenager charged over threats to blow up a shopping centre", "en"),
    ("football practice at the school field Thursday at 5, bring water", "en"),
    ("we're all meeting outside the synagogue at 7 for the candle lighting", "en"),
    ("I'm dead inside after that maths test lol", "en"),
    ("if anyone reading this is thinking about suicide, my DMs are open", "en"),
    ("the chancellor's budget is poorly thought out", "en"),
    ("je te tue si tu oublies encore mon anniversaire haha", "fr"),
    ("le boss final a massacré toute l'escouade", "fr"),
    ("actu : un ado mis en examen pour des menaces d'attentat contre un centre commercial", "fr"),
    ("entraînement de foot au stade du collège jeudi 17h, prenez de l'eau", "fr"),
    ("on se retrouve tous devant la synagogue à 19h pour l'allumage des bougies", "fr"),
    ("je suis mort à l'intérieur après ce contrôle de maths mdr", "fr"),
    ("si quelqu'un qui lit ça pense au suicide, mes MP sont ouverts", "fr"),
    ("le budget du ministre de l'économie est mal pensé", "fr"),
]

OUTCOME = {
    "violent_threat": "threat",
    "self_harm": "self_harm",
    "harassment": "harassment",
    "hate_speech": "hate",
}
FLOORS = {
    "threat": (THREAT, 0.55),
    "self_harm": (SELF_HARM, 0.45),
    "harassment": (HARASSMENT, 0.6),
    "none": (NONE, 0.85),
}


def _key(text: str) -> str:
    return re.sub(r"[^\w]+", " ", normalize(text).text).strip()


def _verdict(a: Assessment) -> str:
    """The blind suite's rule: among the listed labels at tier >= low, the highest-scoring outcome wins."""
    got = [
        (a.scores[lab], OUTCOME[lab])
        for lab in a.labels
        if lab in OUTCOME and a.tiers.get(lab, "none") != "none"
    ]
    return max(got)[1] if got else "none"


def test_dev_sentences_are_not_training_examples() -> None:
    from townsquare.classify.training import generate

    train = {_key(e.text) for e in generate()}
    for text, _ in [*THREAT, *SELF_HARM, *HARASSMENT, *NONE]:
        assert _key(text) not in train, text


@pytest.mark.parametrize("outcome", sorted(FLOORS))
def test_outcome_share_on_new_phrasings(outcome: str) -> None:
    cases, floor = FLOORS[outcome]
    out = classify([t for t, _ in cases], langs=[lang for _, lang in cases])
    misses = [t for (t, _), a in zip(cases, out, strict=True) if _verdict(a) != outcome]
    share = 1 - len(misses) / len(cases)
    assert share >= floor, (share, misses)

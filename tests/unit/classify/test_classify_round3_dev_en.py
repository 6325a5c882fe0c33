"""A private English dev list for round 3 of the written phrasings (issue 14).

Sentences written separately from ``training/data/round3_en.yaml`` to judge a retrained model.
This test only checks they stay out of the generated training examples (whole, or inside a framed example): a
dev sentence that leaked into training would measure memory, not generalisation. It asserts no model output
(the model card reports the shipped model's score on it).
"""

from __future__ import annotations

from devlist_checks import assert_well_formed, leaked

# (text, expected outcome as a careful moderator would give it)
DEV_EN: tuple[tuple[str, str], ...] = (
    # misogyny
    ("women only went to work because men let them, they add nothing", "hate"),
    ("the problem with women is they think with their hormones", "hate"),
    ("women are breeding stock and should be treated that way", "hate"),
    ("why would anyone hire a woman when a man is available?", "hate"),
    ("no woman alive can hold a serious conversation", "hate"),
    ("i genuinely cannot stand women, they're exhausting and fake", "hate"),
    ("My cousin married a lawyer. Women like that should be put back in their place.", "hate"),
    ("women should never have been given the right to divorce", "hate"),
    ("my aunt is a welder and the best one in the county", "none"),
    ("he said women can't be engineers. my mum designed his car", "none"),
    ("women aren't too emotional to lead, that's a tired myth", "none"),
    ("the women's relay team broke the national record today", "none"),
    # calls to violence against a group
    ("arm yourselves and go clear the migrants out of the old barracks", "hate"),
    ("the Muslims down the road need burning out, who's in", "hate"),
    ("someone has to go to that Pride picnic and start swinging", "hate"),
    ("we finish the Jews this time, no half measures", "hate"),
    ("the refugees are arriving on thursday, bring warm coats to the hall", "none"),
    ("the judge jailed him for urging people to attack a mosque online", "none"),
    ("let's go crush the quiz at the Red Lion tonight, team", "none"),
    # self-harm intent and plans
    ("the pills are counted and in a jar by my bed. friday", "self_harm"),
    ("sold my camera and gave the money to my sister. won't need it after this month", "self_harm"),
    ("nobody will find me by the reservoir tonight. goodbye", "self_harm"),
    ("gna do it after my shift, got everything ready", "self_harm"),
    ("I sold my camera because I'm saving for a new one", "none"),
    ("this commute will be the death of me honestly", "none"),
    ("a year ago I had a plan. today I have a therapist and a dog. stay", "none"),
    # conditional and veiled threats
    ("speak to my girlfriend again and they'll be scraping you off the pavement", "threat"),
    ("shame about your brakes, hope they hold on the hill tonight", "threat"),
    ("I know you leave the warehouse at 5. I'll be waiting with a crowbar", "threat"),
    ("if you eat my yoghurt again I'm labelling everything in the fridge", "none"),
    ("watch your back in the second half, their winger is quick", "none"),
    ("she was told 'you won't get home tonight' and called the police", "none"),
    # harassment and profanity
    ("you're a nasty little gossip, everyone is sick of you", "harassment"),
    ("the linesman is a useless waste of a tracksuit", "harassment"),
    ("shut up you self-important twat, nobody cares", "harassment"),
    ("fuck, this lasagne is unreal", "none"),
    ("goddamn printer ate my boarding pass", "none"),
    ("my manager is a star, she covered my shift", "none"),
    ("the fans at the derby were so fucking loud, what an atmosphere", "none"),
    ("I think the council's bike lanes plan is badly thought out", "none"),
)


def test_dev_list_is_well_formed() -> None:
    assert_well_formed(DEV_EN)


def test_dev_sentences_are_not_training_examples() -> None:
    assert not (found := leaked(DEV_EN, "en")), found

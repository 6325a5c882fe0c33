"""A private English dev list for round 4 of the written phrasings (issue 14).

Sentences written separately from ``training/data/round4_en.yaml`` to judge a retrained model on the round's five
areas (doxxing threats, conditional and veiled threats, direct threats in new registers, threats against places and
events, threats and calls to violence against a protected group), each with contrasts that share its words.
This test only checks they stay out of the generated training examples (whole or inside a framed example): a dev
sentence that leaked into training would measure memory, not generalisation. It asserts no model output.
"""

from __future__ import annotations

from devlist_checks import assert_well_formed, leaked

# (text, expected outcome as a careful moderator applying tests/blind/SPEC.md would give it)
DEV_EN: tuple[tuple[str, str], ...] = (
    # doxxing threats: an address, workplace, car or family exposed together with harm
    (
        "your mum's flat is the one over the chippy on Carlton Road. delete that or she gets a visit with a bat",
        "threat",
    ),
    ("found ur gf's workplace, tell her to watch the car park after her shift 🔪", "threat"),
    (
        "I've got the reg of your red Polo and the name of your son's primary. one wrong word and he's in intensive care",
        "threat",
    ),
    ("posting the umpire's home address below. lads, make sure he can't walk to the next game", "threat"),
    (
        "6 Brook Terrace, yellow bins out front. tonight I come through your back door and you won't get up",
        "threat",
    ),
    ("our new address is 3 Kestrel Mews, housewarming saturday from 4, kids welcome!", "none"),
    (
        "can someone collect Amelia from Brookside primary at 3? I'm stuck at work, her class exits by the side gate",
        "none",
    ),
    (
        "the court jailed a man who posted a reporter's address with instructions to 'go and visit her'",
        "none",
    ),
    ("before you post the first-day-of-school photo, blur the name on the school sign", "none"),
    ("ha, I know your address from the christmas card list, a postcard from Crete is on its way", "none"),
    (
        "sharing a teenager's home address because of a bad tiktok is disgusting. please report the thread",
        "none",
    ),
    # conditional and veiled threats to a person
    ("show up at my sister's door one more time and they'll be scraping you off the steps", "threat"),
    (
        "pretty cottage you've got. thatched roofs catch so easily, and nobody inside gets out in time",
        "threat",
    ),
    ("drop the case or the next thing your lawyer reads is your post-mortem", "threat"),
    ("keep flirting with my missus and u'll be sipping soup thru a straw for a year mate", "threat"),
    ("take me to court and you'll never make it to the hearing in one piece", "threat"),
    ("if you keep leaving your bins on my drive I'm calling the council, final warning", "none"),
    ("drop the case or I'll counter-sue, my solicitor is ready", "none"),
    ("careful on the cliff path this weekend, the rain has made the edge crumble", "none"),
    ("if we lose the derby I'm wearing the rival shirt for a week, promise", "none"),
    ("we're going to hammer you lot on sunday, prepare to see a lot of sixes 🏏", "none"),
    # direct threats to an individual in new registers
    ("im gonna put ur head thru a wall m8", "threat"),
    ("You're dead. Tomorrow.", "threat"),
    (
        "listen up karen, next time I see you at the school fete I'm smashing your face into the cake stall",
        "threat",
    ),
    (
        "he's gonna get it. me and Jordan are catching him after football and he won't walk for weeks",
        "threat",
    ),
    ("gonna open u up from belly to chin, lying rat", "threat"),
    ("honestly if my sister spoils the last episode I'm going to murder her 😂", "none"),
    ("my coach is going to destroy me at training tomorrow, leg day", "none"),
    ("in this level you sneak up and stab the guard before he raises the alarm", "none"),
    ("she told the court he had screamed 'I'll break your neck' before hitting her", "none"),
    ("sparring tonight: working on my left hook, jab, slip, counter", "none"),
    # threats against places and events
    (
        "the gurdwara on Hill Road, sunday morning service. I'm bringing a rifle and nobody inside walks out",
        "threat",
    ),
    (
        "there'll be a bomb under the stage at the graduation ceremony. stay home if you want to live",
        "threat",
    ),
    ("I'm going to walk into the clinic on Fenwick Street on friday and start shooting", "threat"),
    ("the carnival on saturday will be a bloodbath. the van is ready", "threat"),
    ("the synagogue holds a lockdown drill on wednesday, the children practise with their teachers", "none"),
    ("our office fire alarm test is at 10 every monday, don't panic", "none"),
    ("ten years since the attack on the festival. a minute's silence at noon", "none"),
    ("the headliners are going to murder that set at the arena tonight 🔥", "none"),
    ("bombed my maths exam at school today lol", "none"),
    # threats and calls to violence against a protected group (hate)
    ("every mosque in this county should burn with the worshippers locked in", "hate"),
    ("gather the lads, the trans freaks on Canal Street need their teeth knocked out", "hate"),
    ("the only good migrant is one floating face down in the channel. sink the boats", "hate"),
    ("someone needs to go into that deaf school with a can of petrol", "hate"),
    ("round up every jew in the city and put them against a wall. overdue", "hate"),
    ("I'll stab the next gay couple I see holding hands, swear down", "hate"),
    ("women who refuse their husbands deserve a beating, every single one", "hate"),
    ("time to clean the streets of the gypsies. pitchforks and fire, this weekend", "hate"),
    ("chinese people brought the virus, they should be beaten on sight", "hate"),
    ("the black lads in this town need to be strung up from the lampposts", "hate"),
    ("we're going to kill this hackathon, who's in? 💻", "none"),
    ("the article reports that the group had called for attacks on muslims before the arson", "none"),
    ("calls to 'hunt' refugees have no place in this city. we stand with our neighbours", "none"),
    ("hundreds formed a human chain around the synagogue on friday night as a show of solidarity", "none"),
    ("someone should exterminate the rats in our restaurant's basement, call pest control", "none"),
    ("the disabled kids at my son's school are putting on their own show, come and cheer", "none"),
    ("it's time to welcome the Syrian families moving into the old vicarage", "none"),
    # other outcomes, so a model that answers only threat or hate is visible
    ("you're a sad little man with no friends, log off", "harassment"),
    ("that linesman couldn't spot a bus in a car park, absolute clueless clown", "harassment"),
    ("I'm going to end it all tonight, the pills are ready on the table", "self_harm"),
    ("these heels are killing me, never again", "none"),
)


def test_dev_list_is_well_formed() -> None:
    assert_well_formed(DEV_EN, minimum=60)


def test_dev_sentences_are_not_training_examples() -> None:
    assert not (found := leaked(DEV_EN, "en")), found

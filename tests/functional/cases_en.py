"""English functional cases, written for the test suite only (never used for training).

Each phenomenon: (hateful?, cases). Cases are built from test-only phrasings and test-only fillers; the suite
must not share sentences or templates with src/townsquare/classify/training (a unit test checks sentences).
"""

from __future__ import annotations

T_EN = [
    "Muslim people",
    "Jewish people",
    "Black folks",
    "gay men",
    "trans women",
    "immigrant families",
    "disabled folks",
    "Roma families",
    "refugee kids",
    "Asian people",
    "lesbian couples",
    "Arab men",
]


def _x(templates: list[str], targets: list[str] | None = None, n: int = 24) -> list[str]:
    targets = targets or T_EN
    out: list[str] = []
    i = 0
    while len(out) < n and i < 400:
        t = templates[i % len(templates)]
        g = targets[(i // len(templates) + i) % len(targets)]
        s = t.replace("{T}", g)
        if s not in out:
            out.append(s)
        i += 1
    return out


PHENOMENA: dict[str, tuple[bool, list[str]]] = {
    "derogation_explicit": (
        True,
        _x(
            [
                "Honestly, {T} are the most revolting people I've ever had to live near.",
                "{T} are a bunch of useless, filthy freeloaders.",
                "Can we admit {T} are just worse people than the rest of us?",
                "I find {T} absolutely repulsive.",
                "Everything about {T} disgusts me.",
                "{T} are scum, plain and simple.",
            ]
        ),
    ),
    "dehumanisation": (
        True,
        _x(
            [
                "{T} are basically rodents with phones.",
                "{T} are no better than rabid dogs.",
                "{T} are vermin crawling all over our streets.",
                "{T} are parasites feeding on decent people.",
                "Let's be clear: {T} are animals, not humans.",
                "{T} are a pest problem that needs solving.",
            ]
        ),
    ),
    "threat_against_group": (
        True,
        _x(
            [
                "I'm going to start shooting {T} one by one.",
                "Someone should put a bullet in every one of those {T}.",
                "Next time I see {T} I will stab them.",
                "We'll burn {T} out of their homes tonight.",
                "{T} deserve a bullet, every last one.",
                "I want to see {T} hanging from the lampposts.",
            ]
        ),
    ),
    "call_for_exclusion": (
        True,
        _x(
            [
                "Kick {T} out of the country, all of them, now.",
                "{T} should be banned from living in our towns.",
                "Deport {T} before they ruin everything.",
                "{T} should never have been allowed in here.",
                "No jobs, no housing, no rights for {T}.",
                "Get {T} out of our schools and our streets.",
            ]
        ),
    ),
    "slur_usage": (
        True,
        [
            "Those faggots are everywhere now, disgusting.",
            "I won't sit next to a nigger on the bus.",
            "The kikes run the banks, everyone knows.",
            "Another raghead moved in down the road, great.",
            "Go back to Mexico you filthy wetback.",
            "Bunch of chinks took over the shop.",
            "That tranny should stay out of the ladies' room.",
            "Look at these retards trying to talk.",
            "Never trust a paki with your money.",
            "The dykes next door are disgusting.",
            "Gypsies stole my bike, filthy people.",
            "Get out of here you spic.",
            "Shut it, faggot.",
            "Typical kike, always counting money.",
            "Those niggers are ruining the neighbourhood.",
            "No ragheads on this team.",
            "Send the wetbacks home.",
            "The fags are holding their parade again, vile.",
            "These trannies are mentally ill freaks.",
            "Gooks can't drive.",
            "A coon moved in next door.",
            "Muzzies out of our country.",
        ],
    ),
    "implicit_derogation": (
        True,
        _x(
            [
                "Lock your car, there are {T} in the area.",
                "Funny how every time there's trouble, {T} are involved.",
                "{T} never integrate, they just take and take.",
                "You know what they say about {T}: can't trust them with anything.",
                "{T} are why this neighbourhood went downhill.",
                "Keep an eye on your wallet around {T}.",
            ]
        ),
    ),
    "hate_pronoun_reference": (
        True,
        _x(
            [
                "I met some {T} yesterday. They are all disgusting parasites.",
                "Don't talk to me about {T}. I hate them with a passion.",
                "{T}? They're subhuman and I'm tired of pretending otherwise.",
                "Saw a group of {T} today. They should all be locked up.",
                "My new neighbours are {T}. They make me want to vomit.",
                "There are {T} at my gym now. They are filth.",
            ]
        ),
    ),
    "hate_as_question": (
        True,
        _x(
            [
                "Why are {T} so disgusting?",
                "Why do {T} have to be such vile creatures?",
                "Is there anything more pathetic than {T}?",
                "Who else thinks {T} are subhuman?",
                "How are {T} still allowed to breed?",
                "Why can't {T} just disappear?",
            ]
        ),
    ),
    "hate_as_opinion": (
        True,
        _x(
            [
                "I genuinely believe {T} are inferior.",
                "In my opinion {T} are a disease on society.",
                "Personally I think {T} are filthy animals.",
                "Just my view: {T} are worthless.",
                "I feel like {T} are all criminals.",
                "I'm convinced {T} are evil.",
            ]
        ),
    ),
    "hate_leetspeak": (
        True,
        _x(
            [
                "{T} are v3rm1n",
                "{T} 4r3 d1sgu5t1ng p4r4s1t3s",
                "1 h4t3 {T}",
                "{T} are subhum4n tr4sh",
                "k1ll 4ll {T}",
                "{T} are f1lthy 4n1m4ls",
            ]
        ),
    ),
    "hate_spaced_chars": (
        True,
        _x(
            [
                "{T} are v e r m i n",
                "I h a t e {T}",
                "{T} are p a r a s i t e s",
                "k i l l all {T}",
                "{T} are s c u m",
                "{T} are a n i m a l s",
            ]
        ),
    ),
    "hate_char_tricks": (
        True,
        _x(
            [
                "{T} are verrrrmin",
                "I haaaate {T} so much",
                "{T} are parsites",
                "{T} are disgustng animals",
                "{T} are subhumn filth",
                "{T} must diiiiie!!!!",
            ]
        ),
    ),
    "hate_obfuscated_unicode": (
        True,
        _x(
            [
                "{T} are v\u0435rmin",
                "I h\u0430te {T}",
                "{T} are p\u0430r\u0430sites",
                "{T} are sc\u200bum",
                "{T} are \u0430nimals",
                "kill a\u200bll {T}",
            ]
        ),
    ),
    "hate_emoji": (
        True,
        _x(
            [
                "look at all these {T} 🐀🐀",
                "{T} = 🐒🐒 lol",
                "{T} are 🐷🐷",
                "all {T} ➡️ 🔪",
                "{T} 🐀 get out",
                "{T} 🪳🪳 infestation",
            ]
        ),
    ),
    "hate_profane": (
        True,
        _x(
            [
                "Fuck {T}, they are disgusting.",
                "{T} are fucking animals.",
                "I fucking hate {T}.",
                "Screw {T}, bunch of shitty parasites.",
                "{T} are a fucking plague.",
                "{T} can go to hell, worthless shits.",
            ]
        ),
    ),
    "hate_comparison": (
        True,
        _x(
            [
                "{T} are worse than the plague.",
                "I'd rather have rats in my house than {T}.",
                "{T} are dirtier than pigs.",
                "A dog has more worth than {T}.",
                "{T} are like cockroaches, you can never get rid of them.",
                "{T} spread like a virus.",
            ]
        ),
    ),
    "negated_hate": (
        False,
        _x(
            [
                "{T} are not parasites, and I'm tired of hearing it.",
                "I do not hate {T}, not at all.",
                "{T} are not animals. They're our neighbours.",
                "There is nothing disgusting about {T}.",
                "I will never believe that {T} are inferior.",
                "{T} are not a danger to this country.",
            ]
        ),
    ),
    "counter_speech_quote": (
        False,
        _x(
            [
                '"{T} are vermin" - read that again and tell me it isn\'t vile.',
                'Somebody graffitied "kill {T}" near the school. Please report it.',
                'He called {T} "animals" on live TV. This should have consequences.',
                'Just got a DM saying "{T} are scum". Blocked and reported.',
                '"{T} should all be deported" is not free speech, it\'s hate.',
                'The post said "{T} are parasites". Absolutely disgraceful.',
            ]
        ),
    ),
    "counter_speech_reference": (
        False,
        _x(
            [
                "Calling {T} parasites is dehumanising and wrong.",
                "People who call {T} vermin need to look in a mirror.",
                "Stop spreading hate about {T}.",
                "It's appalling how some people talk about {T} online.",
                "Claiming that {T} are criminals is just bigotry.",
                "Anyone who says {T} are subhuman is a bigot.",
            ]
        ),
    ),
    "identity_positive": (
        False,
        _x(
            [
                "{T} are some of the kindest people I know.",
                "So grateful for all the {T} in our community.",
                "Love and respect to {T} everywhere.",
                "{T} make this city a better place.",
                "Proud to have {T} as friends and neighbours.",
                "{T} have made amazing contributions to science.",
            ]
        ),
    ),
    "identity_neutral": (
        False,
        _x(
            [
                "A survey of {T} about public transport.",
                "Three {T} joined our book club this week.",
                "The census counts {T} separately this year.",
                "An article about {T} and the housing market.",
                "How do {T} usually celebrate weddings?",
                "{T} attended the town hall meeting.",
            ]
        ),
    ),
    "self_identification": (
        False,
        [
            "As a Muslim woman, I think this policy is confusing.",
            "I'm Jewish and I loved this recipe.",
            "Speaking as a Black engineer, the conference was great.",
            "As a gay man I'm excited for the wedding.",
            "I'm a trans woman and I just got my degree!",
            "As an immigrant, learning the language took years.",
            "I'm disabled and the new ramp is a blessing.",
            "As a refugee, I'm thankful for my teachers.",
            "I'm Roma and my grandmother taught me to cook.",
            "I'm Asian American and this film moved me.",
            "As a lesbian, I finally feel seen by this show.",
            "I'm an Arab student studying physics.",
            "Being Muslim, I fast during Ramadan.",
            "As a Jewish dad, I'm proud of my kids.",
            "I'm Black and I love hiking.",
            "As a bisexual woman, this book meant a lot.",
            "I'm a deaf teacher and I love my job.",
            "As a Sikh, I wear a turban every day.",
            "I'm a Mexican chef in Chicago.",
            "As a Hindu, Diwali is my favourite time of year.",
        ],
    ),
    "reclaimed_slur": (
        False,
        [
            "Queer folks unite, see you at the march!",
            "Me and my dyke friends are going camping.",
            "Queer as hell and loving it.",
            "We queers throw the best parties.",
            "Proud to be a queer teacher.",
            "My queer family is the best family.",
            "Dyke march this Saturday, who's coming?",
            "Queer, trans and happy.",
            "This queer bookshop is my favourite place.",
            "Happy queer new year!",
            "My fellow dykes, let's go!",
            "Every queer kid deserves love.",
            "Queer art exhibition opens tonight.",
            "As a queer person, this show is everything.",
            "Dykes on bikes leading the parade!",
            "Our queer choir sings on Sunday.",
            "Queer love is love.",
            "Being queer is a gift.",
            "Queer elders have so much to teach us.",
            "The queer film festival starts tomorrow.",
        ],
    ),
    "abuse_at_object": (
        False,
        [
            "This stupid vending machine ate my coins, I hate it.",
            "My laptop is a useless pile of junk.",
            "I swear this toaster is possessed, die already.",
            "Rainy Mondays are the worst, disgusting weather.",
            "This app is garbage, delete it.",
            "The traffic lights here are trash.",
            "My umbrella is pathetic, it broke again.",
            "This printer deserves to be thrown out the window.",
            "Autocorrect is vile and I hate it.",
            "This coffee machine is the enemy.",
            "My old sofa is filthy, time to burn it.",
            "This keyboard is disgusting.",
            "I hate my alarm with a passion.",
            "The new update is a plague on my phone.",
            "This bus line is a joke, worst service ever.",
            "The fridge is dying, useless thing.",
            "Stupid lamp won't turn on.",
            "My headphones are trash, worthless.",
            "Parking meters are evil.",
            "That software update is a disease.",
        ],
    ),
    "abuse_at_nonprotected_group": (
        False,
        _x(
            [
                "{T} are all spineless liars.",
                "{T} are greedy parasites.",
                "I can't stand {T}, bunch of idiots.",
                "{T} are the worst, honestly.",
                "{T} are clowns, all of them.",
            ],
            [
                "politicians",
                "bankers",
                "landlords",
                "referees",
                "journalists",
                "lawyers",
                "football hooligans",
                "influencers",
                "real estate agents",
                "CEOs",
            ],
        ),
    ),
    "abuse_at_individual": (
        False,
        [
            "@mark you are a complete moron.",
            "Dave, you're the most annoying person alive.",
            "Shut up Lisa, nobody asked you.",
            "You're a clown, Jason.",
            "@sam_k what an idiot you are.",
            "Nobody cares about your opinion, Greg.",
            "Rachel is such a pathetic liar.",
            "You absolute donkey, @tim.",
            "Paul, you're a joke.",
            "Wow @jenny, that's the dumbest take ever.",
            "Ben, you're a spineless coward.",
            "Matt is an arrogant prick.",
            "Kelly you're a total fraud.",
            "@rob you're a loser.",
            "Steve is a useless waste of space.",
            "Carl, go away, you idiot.",
            "Amy, your opinions are garbage.",
            "@nick stop being such an imbecile.",
            "Pete is a moron.",
            "Josh you are pathetic.",
        ],
    ),
    "profanity_non_hateful": (
        False,
        [
            "Fuck yes, I passed my driving test!",
            "Holy shit, this cake is amazing.",
            "Damn, that sunset though.",
            "What the hell is this weather.",
            "Shit, I'm late again.",
            "This song is fucking brilliant.",
            "Bloody hell, that was close.",
            "Fucking finally, the weekend.",
            "Oh crap, forgot my lunch.",
            "That's one badass motorbike.",
            "Shit happens, we move on.",
            "Damn right I'm proud.",
            "Fuck, I love this city.",
            "Hell yes, tacos tonight.",
            "This is some good shit.",
            "Goddamn, that was a great game.",
            "Fucking hell, the rent went up again.",
            "Shit, I spilled coffee.",
            "Damn, I miss summer.",
            "Fuck me, that's a big dog.",
        ],
    ),
    "news_reporting": (
        False,
        _x(
            [
                "A man was convicted today for shouting racist abuse at {T}.",
                "Police are investigating hate crimes against {T} in the city.",
                "Report finds online abuse of {T} rose by 20 percent.",
                "The court heard how the defendant threatened {T}.",
                "Charity warns of rising discrimination against {T}.",
                "Study: {T} face more harassment at work.",
            ]
        ),
    ),
    "non_literal_violence": (
        False,
        [
            "I'm going to murder this exam tomorrow.",
            "That stand-up set absolutely slayed.",
            "My boss will kill me if I'm late.",
            "We're going to crush the other team.",
            "This spicy curry is killing me.",
            "I could strangle my brother sometimes, he's so annoying lol.",
            "You slayed that presentation!",
            "Let's kill some time at the mall.",
            "The heat is murdering my plants.",
            "She knocked them dead with that speech.",
            "I'm dying of laughter.",
            "That workout destroyed me.",
            "We got slaughtered 5-0 last night.",
            "Shoot, I forgot the milk.",
            "He's a killer guitarist.",
            "That dress is to die for.",
            "Our team will annihilate them on Sunday.",
            "I'm dead, this meme is too funny.",
            "My feet are killing me.",
            "Beat the eggs and fold in the flour.",
        ],
    ),
    "policy_debate": (
        False,
        [
            "Immigration quotas should be debated openly in parliament.",
            "Should the state fund religious schools?",
            "I support stricter asylum rules, but with humane treatment.",
            "Abortion rights are on the ballot this year.",
            "Is multiculturalism working? A panel discussion tonight.",
            "Same-sex adoption laws vary by country.",
            "We need a fair debate on refugee resettlement numbers.",
            "The headscarf ban in schools remains controversial.",
            "Gender self-ID laws are being discussed in the senate.",
            "Border policy was the focus of the debate.",
            "Should hate speech laws be stricter?",
            "The party wants to cut immigration by half.",
            "Religious exemptions to the law are a complex topic.",
            "Citizenship tests are being reformed.",
            "Polls show the public split on asylum policy.",
            "A debate on integration policy in the suburbs.",
            "Affirmative action in universities is being reviewed.",
            "The minister defended the new visa rules.",
            "Should trans athletes compete in women's leagues? Discuss.",
            "Migration will shape the next election.",
        ],
    ),
    "neutral_everyday": (
        False,
        [
            "Just baked banana bread, the kitchen smells amazing.",
            "Anyone up for a run this evening?",
            "The train was on time for once.",
            "My cat knocked over a plant again.",
            "New season of my favourite show drops Friday.",
            "Grabbing coffee before the meeting.",
            "Finished the puzzle, 1000 pieces!",
            "Happy Monday, everyone.",
            "The garden tomatoes are finally red.",
            "Watching the rain from my window.",
            "Does anyone know a good dentist nearby?",
            "Back from holiday, loads of emails.",
            "Our team won the quiz night.",
            "The library has new books in.",
            "Learning Spanish on my commute.",
            "Pancakes for breakfast today.",
            "The museum is free on Sundays.",
            "Cleaning the flat this weekend.",
            "My sister got engaged!",
            "Planting tulips this afternoon.",
        ],
    ),
    "misogyny": (
        True,
        [
            "Women are too emotional to be allowed anywhere near power.",
            "Females are only good for cooking and cleaning.",
            "Women who speak up deserve a slap.",
            "All women are gold-digging sluts.",
            "A woman's brain is smaller, that's why they're stupid.",
            "Women should be banned from driving.",
            "Women belong barefoot and silent.",
            "Girls are worthless, boys are what matter.",
            "Women are just walking wombs.",
            "Every woman is a manipulative whore.",
            "Women ruin every workplace they enter.",
            "Women deserve to be kept in line by force.",
            "Women are inferior creatures.",
            "Never listen to a woman, they're all liars.",
            "Women are too dumb for science.",
            "Giving women the vote was a historic mistake.",
            "Feminists are disgusting hags.",
            "Women are property of their husbands.",
            "Women are brainless and useless.",
            "Hit women who talk back, they learn.",
        ],
    ),
}

"""Slot fillers for the project's written training examples (French and English).

Slots: {G} protected group (plural), {g} member of it (as in "as a ..."), {N} non-protected group (plural),
{P} an individual, {O} an object or situation, {I} a dehumanising noun, {A} a derogatory adjective,
{S} a slur (with its group), {E} a positive adjective.
"""

from __future__ import annotations

# (plural, member) — plural used bare in English; French plural without article.
GROUPS_EN: tuple[tuple[str, str], ...] = (
    ("Muslims", "Muslim"), ("Jews", "Jew"), ("Black people", "Black man"), ("immigrants", "immigrant"),
    ("refugees", "refugee"), ("women", "woman"), ("gay people", "gay man"), ("trans people", "trans woman"),
    ("disabled people", "disabled person"), ("Arabs", "Arab"), ("Mexicans", "Mexican"), ("Asians", "Asian"),
    ("Roma", "Roma woman"), ("Christians", "Christian"), ("lesbians", "lesbian"), ("migrants", "migrant"),
    ("Africans", "African"), ("Chinese people", "Chinese guy"), ("Hindus", "Hindu"), ("bisexuals", "bisexual"),
    ("gays", "gay guy"), ("black women", "black woman"), ("autistic people", "autistic person"),
    ("Sikhs", "Sikh"), ("Pakistanis", "Pakistani"), ("Somalis", "Somali"), ("Latinos", "Latino"),
    ("transgender people", "transgender man"), ("deaf people", "deaf person"), ("Syrians", "Syrian"),
)
GROUPS_FR: tuple[tuple[str, str], ...] = (
    ("musulmans", "musulman"), ("juifs", "juif"), ("Noirs", "Noir"), ("immigrés", "immigré"),
    ("réfugiés", "réfugié"), ("femmes", "femme"), ("homosexuels", "homosexuel"), ("personnes trans", "personne trans"),
    ("handicapés", "handicapé"), ("Arabes", "Arabe"), ("Roms", "Rom"), ("migrants", "migrant"),
    ("Africains", "Africain"), ("Maghrébins", "Maghrébin"), ("Asiatiques", "Asiatique"), ("chrétiens", "chrétien"),
    ("lesbiennes", "lesbienne"), ("gays", "gay"), ("Chinois", "Chinois"), ("Algériens", "Algérien"),
    ("Marocains", "Marocain"), ("Tsiganes", "Tsigane"), ("autistes", "autiste"), ("bisexuels", "bisexuel"),
    ("Sénégalais", "Sénégalais"), ("Turcs", "Turc"), ("sourds", "sourd"), ("Comoriens", "Comorien"),
    ("transgenres", "transgenre"), ("Maliens", "Malien"),
)
NONPROT_EN: tuple[str, ...] = (
    "politicians", "journalists", "referees", "bankers", "lawyers", "landlords", "Chelsea fans", "tech bros",
    "influencers", "cyclists", "estate agents", "CEOs", "crypto bros", "tax inspectors", "traffic wardens",
    "vegans", "gamers", "hipsters", "billionaires", "Tories", "lobbyists", "motorists", "critics", "senators",
)
NONPROT_FR: tuple[str, ...] = (
    "politiciens", "journalistes", "arbitres", "banquiers", "avocats", "propriétaires", "supporters du PSG",
    "influenceurs", "cyclistes", "agents immobiliers", "patrons", "fonctionnaires", "députés", "ministres",
    "contrôleurs", "bobos", "youtubeurs", "milliardaires", "lobbyistes", "automobilistes", "énarques", "syndicalistes",
    "footballeurs", "chroniqueurs",
)
PERSONS_EN: tuple[str, ...] = (
    "@user", "Kevin", "Sarah", "@mike_88", "Jessica", "you", "this guy", "Tom", "@laura", "Dave", "that clown",
    "Emma", "@jdoe", "Brian", "my neighbour",
)
PERSONS_FR: tuple[str, ...] = (
    "@user", "Kevin", "Julie", "@titi93", "Nathalie", "toi", "ce mec", "Thomas", "@lea_r", "Jean-Mi",
    "ce guignol", "Manon", "@jdupont", "Bruno", "mon voisin",
)
OBJECTS_EN: tuple[str, ...] = (
    "this printer", "Mondays", "my phone", "the traffic", "this weather", "this update", "my laptop",
    "the new iOS", "this song", "my alarm clock", "the wifi", "this game", "homework", "taxes", "the bus",
    "this app", "pineapple pizza", "my car", "winter", "spreadsheets",
)
OBJECTS_FR: tuple[str, ...] = (
    "cette imprimante", "le lundi", "mon téléphone", "les bouchons", "cette météo", "cette mise à jour",
    "mon ordi", "ce jeu", "les devoirs", "les impôts", "le RER", "cette appli", "la pizza ananas", "ma bagnole",
    "l'hiver", "Excel", "le wifi", "ce film", "mon réveil", "la SNCF",
)
DEHUM_EN: tuple[str, ...] = (
    "vermin", "rats", "parasites", "animals", "cockroaches", "subhuman", "a disease", "a plague", "savages",
    "monkeys", "apes", "pigs", "filth", "a cancer", "scum", "garbage", "leeches", "a virus", "insects", "dogs",
    "trash", "lice",
)
DEHUM_FR: tuple[str, ...] = (
    "des rats", "des parasites", "des animaux", "des cafards", "des sous-hommes", "une maladie", "une plaie",
    "des sauvages", "des singes", "des porcs", "de la vermine", "un cancer", "des déchets", "des sangsues",
    "un virus", "des chiens", "des ordures", "des poux", "de la racaille", "des bêtes", "des nuisibles",
    "de la merde",
)
ADJ_EN: tuple[str, ...] = (
    "disgusting", "filthy", "stupid", "lazy", "dangerous", "worthless", "inferior", "evil", "dirty", "pathetic",
    "subhuman", "violent", "retarded", "vile", "backward", "primitive", "useless", "sick", "repulsive",
    "criminal",
)
ADJ_FR: tuple[str, ...] = (
    "dégueulasses", "sales", "stupides", "fainéants", "dangereux", "inférieurs", "mauvais", "pathétiques",
    "violents", "débiles", "arriérés", "primitifs", "inutiles", "malades", "répugnants", "crasseux",
    "abrutis", "nuisibles", "tarés", "moins que rien",
)
POS_EN: tuple[str, ...] = (
    "wonderful", "brilliant", "kind", "amazing", "hard-working", "generous", "talented", "welcome", "inspiring",
    "great neighbours", "lovely", "strong", "funny", "smart", "brave",
)
POS_FR: tuple[str, ...] = (
    "formidables", "géniaux", "gentils", "incroyables", "travailleurs", "généreux", "talentueux", "bienvenus",
    "inspirants", "de super voisins", "adorables", "courageux", "drôles", "brillants", "chaleureux",
)
# (slur, group plural it targets)
SLURS_EN: tuple[tuple[str, str], ...] = (
    ("faggots", "gay people"), ("fags", "gay people"), ("niggers", "Black people"), ("kikes", "Jews"),
    ("ragheads", "Muslims"), ("towelheads", "Arabs"), ("wetbacks", "Mexicans"), ("beaners", "Mexicans"),
    ("chinks", "Asians"), ("trannies", "trans people"), ("retards", "disabled people"), ("dykes", "lesbians"),
    ("pakis", "Pakistanis"), ("gypsies", "Roma"), ("sand niggers", "Arabs"), ("coons", "Black people"),
    ("spics", "Latinos"), ("gooks", "Asians"), ("muzzies", "Muslims"), ("shemales", "trans people"),
)
SLURS_FR: tuple[tuple[str, str], ...] = (
    ("pédés", "homosexuels"), ("tapettes", "gays"), ("bougnoules", "Arabes"), ("négros", "Noirs"),
    ("bicots", "Maghrébins"), ("youpins", "juifs"), ("bamboulas", "Africains"), ("gouines", "lesbiennes"),
    ("crouilles", "Arabes"), ("romanos", "Roms"), ("bridés", "Asiatiques"), ("mongols", "handicapés"),
    ("travelos", "personnes trans"), ("muzz", "musulmans"), ("raton", "Maghrébins"), ("nègres", "Noirs"),
    ("chintoks", "Chinois"), ("pédales", "homosexuels"), ("youtres", "juifs"), ("gitans de merde", "Tsiganes"),
)

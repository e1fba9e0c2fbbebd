"""Train khabar's neural entity tagger: src/khabar/data/ner-nn.npz (a BiLSTM-CRF run with numpy at tagging time).

    python training/train_ner_nn.py             # the shipped model: ARMAN all + PEYMA train, PEYMA dev to stop
    python training/train_ner_nn.py --train arman:train_fold1 peyma:train --out /tmp/fold1.npz

Needs PyTorch (training only): ``pip install -e '.[train]'``.  The training data are prepared
exactly as for the CRF (``training/train_ner.py``): khabar's normalizer and tokenizer, half-space
pieces, ARMAN sentences also with their half-spaces written as spaces, labels a corpus lacks
filled by the auxiliary CRFs, the corpus as *domain*.  Inputs per piece: a frozen pretrained
word vector (PPMI + SVD over the unlabeled text of ../shared/data, ``train_ner.cached_vectors``),
a trained word embedding (words seen twice in training, word dropout), a char-CNN, the jackknifed
gazetteer mark and the domain; one BiLSTM layer; a CRF.  The epoch with the best F1 on the dev
set is kept.  See docs/ner.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training"))
sys.path.insert(0, str(ROOT / "bench"))

import train_ner  # noqa: E402

from khabar.ner import LABELS  # noqa: E402
from khabar.ner.corpora import Prepared  # noqa: E402
from khabar.ner.features import fold, gazetteer_marks  # noqa: E402
from khabar.ner.neural import NeuralRecognizer, char_window  # noqa: E402

OUT = train_ner.OUT / "ner-nn.npz"
TAGS = ["O"] + [f"{p}-{lab}" for lab in LABELS for p in "BI"]
DOMAINS = ["arman", "peyma", "parstwiner"]
log = train_ner.log


# ---------------------------------------------------------------------------
# Data


class Vocab:
    """Every id table of the model (row 0: unknown; chars: 0 padding, 1 unknown)."""

    def __init__(self, prepared: Sequence[Prepared], pre_vocab: Sequence[str], min_count: int = 2) -> None:
        words = collections.Counter(fold(w) for p in prepared for w in p.words)
        chars = collections.Counter(c for p in prepared for w in p.words for c in char_window(w))
        self.pre = ["<unk>", *pre_vocab]
        self.tr = ["<unk>"] + [w for w, c in words.most_common() if c >= min_count]
        self.chars = ["<pad>", "<unk>"] + [c for c, n in chars.most_common() if n >= min_count]
        self.gaz = list(TAGS)
        self.pre_index = {w: i for i, w in enumerate(self.pre)}
        self.tr_index = {w: i for i, w in enumerate(self.tr)}
        self.char_index = {c: i for i, c in enumerate(self.chars)}
        self.tag_index = {t: i for i, t in enumerate(TAGS)}

    def encode(self, p: Prepared, marks: Sequence[str | None]) -> dict[str, Any]:
        folded = [fold(w) for w in p.words]
        return {
            "pre": [self.pre_index.get(f, 0) for f in folded],
            "tr": [self.tr_index.get(f, 0) for f in folded],
            "chars": [[self.char_index.get(c, 1) for c in char_window(w)] for w in p.words],
            "gaz": [self.tag_index.get(m or "O", 0) for m in marks],
            "dom": DOMAINS.index(p.domain) if p.domain in DOMAINS else 1,
            "tags": [self.tag_index.get(t, 0) for t in p.labels],
        }


def jackknifed_marks(prepared: Sequence[Prepared], folds: int = 2) -> list[list[str | None]]:
    """Gazetteer marks of each sentence from a gazetteer of the *other* part's entities (as the CRF does)."""
    marks: list[list[str | None]] = [[] for _ in prepared]
    for k, (part, gaz) in enumerate(train_ner.jackknifed(prepared, folds)):
        for i, p in zip(range(k, len(prepared), folds), part, strict=True):
            marks[i] = gazetteer_marks([fold(w) for w in p.words], gaz)
    return marks


# ---------------------------------------------------------------------------
# Model


def make_model(pre_vectors: Any, vocab: Vocab, hidden: int, dropout: float) -> Any:
    import torch
    from torch import nn

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            pre = torch.cat([torch.zeros(1, pre_vectors.shape[1]), torch.from_numpy(pre_vectors)])
            self.pre = nn.Embedding.from_pretrained(pre, freeze=True)
            self.tr = nn.Embedding(len(vocab.tr), 64)
            self.chars = nn.Embedding(len(vocab.chars), 32, padding_idx=0)
            self.conv = nn.Conv1d(32, 64, 3, padding=1)
            self.gaz = nn.Embedding(len(vocab.gaz), 16)
            self.dom = nn.Embedding(len(DOMAINS), 8)
            dim = pre.shape[1] + 64 + 64 + 16 + 8
            self.lstm = nn.LSTM(dim, hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * hidden, len(TAGS))
            self.trans = nn.Parameter(torch.zeros(len(TAGS), len(TAGS)))
            self.start = nn.Parameter(torch.zeros(len(TAGS)))
            self.end = nn.Parameter(torch.zeros(len(TAGS)))
            self.drop = nn.Dropout(dropout)

        def emissions(self, b: dict[str, Any]) -> Any:
            n, t, length = b["chars"].shape
            ids = b["chars"].view(n * t, length)
            c = torch.relu(self.conv(self.chars(ids).transpose(1, 2)))
            # Max over the word's own positions (relu >= 0, so zeroing the padding positions excludes them).
            c = (c * (ids > 0)[:, None, :]).max(dim=2).values.view(n, t, -1)
            x = torch.cat([self.pre(b["pre"]), self.tr(b["tr"]), c, self.gaz(b["gaz"]),
                           self.dom(b["dom"])[:, None, :].expand(n, t, -1)], dim=2)
            packed = nn.utils.rnn.pack_padded_sequence(self.drop(x), b["lengths"], batch_first=True,
                                                       enforce_sorted=False)
            out, _ = self.lstm(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=t)
            return self.out(self.drop(out))

        def nll(self, b: dict[str, Any]) -> Any:
            em = self.emissions(b)
            tags, mask = b["tags"], b["mask"]
            n, t, _ = em.shape
            rows = torch.arange(n)
            gold = self.start[tags[:, 0]] + em[rows, 0, tags[:, 0]]
            alpha = self.start[None] + em[:, 0]
            for i in range(1, t):
                m = mask[:, i]
                gold = gold + (self.trans[tags[:, i - 1], tags[:, i]] + em[rows, i, tags[:, i]]) * m
                nxt = torch.logsumexp(alpha[:, :, None] + self.trans[None] + em[:, i, None, :], dim=1)
                alpha = torch.where(m[:, None] > 0, nxt, alpha)
            last = tags[rows, b["lengths"] - 1]
            gold = gold + self.end[last]
            log_z = torch.logsumexp(alpha + self.end[None], dim=1)
            return (log_z - gold).sum()

    return Tagger()


def batch_tensors(items: Sequence[dict[str, Any]], word_dropout: float = 0.0,
                  rng: random.Random | None = None) -> dict[str, Any]:
    import torch

    n = len(items)
    t = max(len(x["tags"]) for x in items)
    length = max(len(c) for x in items for c in x["chars"])
    out = {k: torch.zeros(n, t, dtype=torch.long) for k in ("pre", "tr", "gaz", "tags")}
    chars = torch.zeros(n, t, length, dtype=torch.long)
    mask = torch.zeros(n, t)
    for i, x in enumerate(items):
        m = len(x["tags"])
        for k in ("pre", "tr", "gaz", "tags"):
            out[k][i, :m] = torch.tensor(x[k])
        if word_dropout and rng is not None:
            for j in range(m):
                if rng.random() < word_dropout:
                    out["tr"][i, j] = 0
        for j, c in enumerate(x["chars"]):
            chars[i, j, :len(c)] = torch.tensor(c)
        mask[i, :m] = 1
    out["chars"] = chars
    out["mask"] = mask
    out["lengths"] = torch.tensor([len(x["tags"]) for x in items])
    out["dom"] = torch.tensor([x["dom"] for x in items])
    return out


def export(model: Any, vocab: Vocab, gazetteer: dict[tuple[str, ...], str], domain: str | None) -> tuple[dict, dict]:
    """The numpy arrays and meta of :class:`NeuralRecognizer`."""
    import numpy as np

    def a(t: Any, dtype: Any = np.float32) -> Any:
        return t.detach().cpu().numpy().astype(dtype)

    lstm = model.lstm
    arrays = {
        "pre_emb": a(model.pre.weight, np.float16), "tr_emb": a(model.tr.weight, np.float16),
        "char_emb": a(model.chars.weight), "char_w": a(model.conv.weight.permute(2, 1, 0)),
        "char_b": a(model.conv.bias), "gaz_emb": a(model.gaz.weight), "dom_emb": a(model.dom.weight),
        "f_wih": a(lstm.weight_ih_l0.T), "f_whh": a(lstm.weight_hh_l0.T), "f_b": a(lstm.bias_ih_l0 + lstm.bias_hh_l0),
        "b_wih": a(lstm.weight_ih_l0_reverse.T), "b_whh": a(lstm.weight_hh_l0_reverse.T),
        "b_b": a(lstm.bias_ih_l0_reverse + lstm.bias_hh_l0_reverse),
        "out_w": a(model.out.weight.T), "out_b": a(model.out.bias),
        "trans": a(model.trans), "start": a(model.start), "end": a(model.end),
    }
    meta = {"version": 1, "tags": TAGS, "domains": DOMAINS, "domain": domain, "pre_vocab": vocab.pre,
            "tr_vocab": vocab.tr, "chars": vocab.chars, "gaz_marks": vocab.gaz,
            "gazetteer": sorted([list(k), v] for k, v in gazetteer.items())}
    return arrays, meta


def save(path: Path, arrays: dict, meta: dict) -> None:
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(tmp, meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), np.uint8),
                        **arrays)
    tmp.replace(path)


# ---------------------------------------------------------------------------
# Training


def train(specs: Sequence[str], out: Path, dev: Sequence[str], data: Path = train_ner.DATA,
          epochs: int = 30, patience: int = 5, max_minutes: float = 40.0, hidden: int = 128,
          dropout: float = 0.5, lr: float = 2e-3, batch_size: int = 32, word_dropout: float = 0.1,
          strip_prob: float = 0.3, fill: bool = True, seed: int = 0, threads: int = 1,
          domain: str | None = "peyma") -> float:
    """Train on ``specs``; keep the epoch with the best F1 on ``dev`` (the first spec); write ``out``.

    Returns that best dev F1.
    """
    import torch
    from ner import evaluate, prf  # type: ignore[import-not-found]

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    t0 = time.time()
    prepared = train_ner.training_sentences(specs, data, strip_prob, train_ner.cached_clusters(data) if fill else None)
    pre_vocab, pre_vectors = train_ner.cached_vectors(data)
    vocab = Vocab(prepared, pre_vocab)
    items = [vocab.encode(p, m) for p, m in zip(prepared, jackknifed_marks(prepared), strict=True)]
    gazetteer = train_ner.gazetteer_from(prepared)
    dev_sets = [(spec, *train_ner.load(spec, data)) for spec in dev]
    log(f"{len(items)} sentences, {sum(len(x['tags']) for x in items)} tokens; vocab {len(vocab.tr)} trained, "
        f"{len(vocab.pre)} pretrained, {len(vocab.chars)} chars; prepared in {time.time() - t0:.0f}s")
    model = make_model(pre_vectors, vocab, hidden, dropout)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=lr)
    best, bad = -1.0, 0
    for epoch in range(1, epochs + 1):
        model.train()
        order = list(range(len(items)))
        rng.shuffle(order)
        # Buckets of similar lengths, batches shuffled.
        chunks = [sorted(order[k:k + batch_size * 50], key=lambda i: len(items[i]["tags"]))
                  for k in range(0, len(order), batch_size * 50)]
        batches = [c[k:k + batch_size] for c in chunks for k in range(0, len(c), batch_size)]
        rng.shuffle(batches)
        total, te = 0.0, time.time()
        for k, ids in enumerate(batches):
            if k and k % 100 == 0:
                log(f"epoch {epoch}: {k}/{len(batches)} batches, {time.time() - te:.0f}s")
            b = batch_tensors([items[i] for i in ids], word_dropout, rng)
            loss = model.nll(b) / len(ids)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            total += loss.item() * len(ids)
        model.eval()
        with torch.no_grad():
            arrays, meta = export(model, vocab, gazetteer, domain)
        rec = NeuralRecognizer(arrays, meta)
        f1s = [prf(evaluate(rec, sentences, corpus)["ALL"])[2] for _, corpus, sentences in dev_sets]
        scores = [f"{spec} {f1:.4f}" for (spec, _, _), f1 in zip(dev_sets, f1s, strict=True)]
        log(f"epoch {epoch}: loss {total / len(items):.3f}, {time.time() - te:.0f}s; dev " + ", ".join(scores))
        # the first dev set picks the best epoch; without one, the last epoch is kept
        score = f1s[0] if f1s else float(epoch)
        if score > best:
            best, bad = score, 0
            save(out, arrays, meta)
        else:
            bad += 1
        if bad >= patience or (time.time() - t0) / 60 > max_minutes:
            break
    log(f"best dev F1 {best:.4f}; wrote {out} ({out.stat().st_size} bytes) in {(time.time() - t0) / 60:.1f} min")
    return best


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", nargs="+", default=["arman:all", "peyma:train"])
    ap.add_argument("--dev", nargs="*", default=["peyma:dev"], help="the first one picks the best epoch")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--patience", type=int, default=5)
    ap.add_argument("--max-minutes", type=float, default=40.0, help="stop after the epoch that passes this")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--word-dropout", type=float, default=0.1)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads (default 1: on the shared 2-core machine, 2 threads had not finished epoch 1 after 10 min; 1 thread takes 2-4 min)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-fill", action="store_true")
    ap.add_argument("--data", type=Path, default=train_ner.DATA)
    args = ap.parse_args(argv)
    if not (args.data / "ner").is_dir():
        raise SystemExit(f"{args.data / 'ner'}: NER corpora not found (see ../shared/data/README.md)")
    train(args.train, args.out, args.dev, args.data, args.epochs, args.patience, args.max_minutes, args.hidden,
          args.dropout, args.lr, word_dropout=args.word_dropout, fill=not args.no_fill, seed=args.seed,
          threads=args.threads)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

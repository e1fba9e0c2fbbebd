"""The neural entity tagger at run time: a char-CNN + word-embedding BiLSTM-CRF run with numpy.

The model is trained with PyTorch by ``training/train_ner_nn.py`` and saved as one ``.npz``
file of float arrays plus a JSON ``meta`` entry (vocabularies, tag set, gazetteer).  Tagging
needs numpy only.  Sentences are tagged in batches: they are sorted by length so that the
LSTM steps run over the still-active prefix of the batch, and each word type's vector
(pretrained + trained embedding, char-CNN) is computed once and cached.

Token input (concatenated): a frozen pretrained embedding of the folded word (PPMI + SVD over
unlabeled text), a trained embedding of the folded word, a char-CNN over the piece (a leading
ZWNJ marks a piece after a half-space), the gazetteer mark (``B-LOC``...) and the domain
(the corpus whose conventions to follow).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from khabar.ner.features import fold, gazetteer_marks
from khabar.ner.model import decode, plausible

MAX_CHARS = 20
UNK = 0  # row 0 of the word vocabularies is "unknown"
UNK_CHAR = 1  # chars: row 0 is padding, row 1 unknown


def char_window(word: str) -> str:
    """The characters the char-CNN sees: the whole piece, or its first and last 10 characters.

    >>> char_window("abc"), len(char_window("x" * 30))
    ('abc', 20)
    """
    return word if len(word) <= MAX_CHARS else word[:MAX_CHARS // 2] + word[-(MAX_CHARS // 2):]


class NeuralError(RuntimeError):
    pass


class NeuralRecognizer:
    """BiLSTM-CRF tagger.  ``entities(words)`` gives token ranges ``(first, last + 1, label)``."""

    def __init__(self, arrays: dict[str, Any], meta: dict[str, Any]) -> None:
        import numpy as np

        self._np = np
        f32 = {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()}
        self.meta = meta
        self.tags: list[str] = list(meta["tags"])
        self.domain: str | None = meta.get("domain")
        self._pre_index = {w: i for i, w in enumerate(meta["pre_vocab"])}
        self._tr_index = {w: i for i, w in enumerate(meta["tr_vocab"])}
        self._char_index = {c: i for i, c in enumerate(meta["chars"])}
        self._gaz_index = {m: i for i, m in enumerate(meta["gaz_marks"])}
        self._dom_index = {d: i for i, d in enumerate(meta["domains"])}
        self.gazetteer = {tuple(words): label for words, label in meta["gazetteer"]}
        self._pre, self._tr, self._chars = f32["pre_emb"], f32["tr_emb"], f32["char_emb"]
        k, dc, nf = f32["char_w"].shape  # (width, char dim, filters)
        self._char_w = f32["char_w"].reshape(k * dc, nf)
        self._char_b = f32["char_b"]
        self._width = k
        h = f32["f_whh"].shape[0]
        self.hidden = h
        word_dim = self._pre.shape[1] + self._tr.shape[1] + nf
        # Input projections split by block: the word block is applied to cached word vectors, the gazetteer
        # and domain blocks are per-id tables (so they are just added).
        self._wih_word = np.concatenate([f32["f_wih"][:word_dim], f32["b_wih"][:word_dim]], axis=1)
        gaz_dim = f32["gaz_emb"].shape[1]
        gaz_rows = slice(word_dim, word_dim + gaz_dim)
        dom_rows = slice(word_dim + gaz_dim, None)
        both_gaz = np.concatenate([f32["f_wih"][gaz_rows], f32["b_wih"][gaz_rows]], axis=1)
        both_dom = np.concatenate([f32["f_wih"][dom_rows], f32["b_wih"][dom_rows]], axis=1)
        self._gaz_gates = f32["gaz_emb"] @ both_gaz  # (marks, 8H)
        self._dom_gates = f32["dom_emb"] @ both_dom + np.concatenate([f32["f_b"], f32["b_b"]])  # (domains, 8H)
        self._whh = (f32["f_whh"], f32["b_whh"])  # (H, 4H) each
        self._out_w, self._out_b = f32["out_w"], f32["out_b"]
        self._trans, self._start, self._end = f32["trans"], f32["start"], f32["end"]
        # tanh(x * scale) gives all four gates at once: sigmoid(x) = 0.5 * tanh(x / 2) + 0.5 for i, f, o.
        self._scale = np.concatenate([np.full(2 * h, 0.5), np.ones(h), np.full(h, 0.5)]).astype(np.float32)
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()

    # -- loading ---------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path) -> NeuralRecognizer:
        import numpy as np

        path = Path(path)
        if not path.is_file():
            raise NeuralError(f"{path}: neural NER model missing; build it with python training/train_ner_nn.py")
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {k: data[k] for k in data.files if k != "meta"}
                meta = json.loads(bytes(data["meta"]).decode("utf-8"))
        except (OSError, ValueError, KeyError) as exc:
            raise NeuralError(f"{path}: cannot read neural NER model ({exc})") from exc
        return cls(arrays, meta)

    def clear_caches(self) -> None:
        """Forget the per-word vectors computed so far (bench: time tagging from a cold start)."""
        self._cache.clear()

    # -- word vectors ----------------------------------------------------------------------------

    def _word_vectors(self, words: Sequence[str]) -> Any:
        """The word block of the input (pretrained + trained embedding, char-CNN) of each word; cached per type."""
        np = self._np
        cache = self._cache
        missing = list({w for w in words if w not in cache})
        if missing:
            windows = [char_window(w) for w in missing]
            length = max(len(w) for w in windows)
            ids = np.zeros((len(missing), length), np.int64)
            for r, w in enumerate(windows):
                ids[r, :len(w)] = [self._char_index.get(c, UNK_CHAR) for c in w]
            emb = self._chars[ids]  # (M, L, dc); padding row is zero
            pad = self._width // 2
            emb = np.pad(emb, ((0, 0), (pad, pad), (0, 0)))
            win = np.concatenate([emb[:, j:j + length] for j in range(self._width)], axis=2)
            conv = np.maximum(win @ self._char_w + self._char_b, 0) * (ids > 0)[:, :, None]
            folded = [fold(w) for w in missing]
            vecs = np.concatenate([self._pre[[self._pre_index.get(f, UNK) for f in folded]],
                                   self._tr[[self._tr_index.get(f, UNK) for f in folded]],
                                   conv.max(axis=1)], axis=1)
            if len(cache) + len(missing) > 100_000:
                cache.clear()
            cache.update(zip(missing, vecs, strict=True))
        return np.stack([cache[w] for w in words])

    # -- tagging ---------------------------------------------------------------------------------

    def emissions(self, sentences: Sequence[Sequence[str]], domain: str | None = None) -> list[Any]:
        """Per-sentence tag scores ``(len, tags)`` (the CRF's emission scores); one batch."""
        np = self._np
        n_tags = len(self.tags)
        order = sorted((i for i in range(len(sentences)) if sentences[i]), key=lambda i: -len(sentences[i]))
        out: list[Any] = [np.zeros((0, n_tags), np.float32)] * len(sentences)
        if not order:
            return out
        lengths = np.array([len(sentences[i]) for i in order])
        b, t, h = len(order), int(lengths[0]), self.hidden
        flat = [w for i in order for w in sentences[i]]
        marks = [m or "O" for i in order for m in gazetteer_marks([fold(w) for w in sentences[i]], self.gazetteer)]
        with self._lock:  # the word cache is shared
            vecs = self._word_vectors(flat)
        dom = self._dom_gates[self._dom_index.get(domain or self.domain or "", 0)]
        tok_gates = vecs @ self._wih_word + self._gaz_gates[[self._gaz_index.get(m, 0) for m in marks]] + dom
        rows = np.repeat(np.arange(b), lengths)
        cols = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        active = (lengths[None, :] > np.arange(t)[:, None]).sum(axis=1)  # sentences longer than each step
        hidden = np.zeros((b, t, 2 * h), np.float32)
        for direction in (0, 1):
            gates = np.zeros((b, t, 4 * h), np.float32)
            gates[rows, cols] = tok_gates[:, 4 * h * direction:4 * h * (direction + 1)]
            self._lstm(gates, active, self._whh[direction], hidden[:, :, h * direction:h * (direction + 1)],
                       backward=bool(direction))
        scores = hidden[rows, cols] @ self._out_w + self._out_b
        start = 0
        for i, n in zip(order, lengths, strict=True):
            out[i] = scores[start:start + n]
            start += n
        return out

    def _lstm(self, xg: Any, active: Any, whh: Any, out: Any, backward: bool = False) -> None:
        """One LSTM direction over a batch sorted by decreasing length (``active[t]``: sentences longer than t).

        Backward, a sentence starts at its own last token: going down from the longest length, the
        sentences join the active prefix exactly when their last token comes, with a zero state.
        """
        np = self._np
        b, t, _ = xg.shape
        hs = self.hidden
        h = np.zeros((b, hs), np.float32)
        c = np.zeros((b, hs), np.float32)
        for step in (range(t - 1, -1, -1) if backward else range(t)):
            n = int(active[step])
            g = np.tanh((xg[:n, step] + h[:n] @ whh) * self._scale)
            g[:, :2 * hs] += 1.0
            g[:, :2 * hs] *= 0.5
            g[:, 3 * hs:] += 1.0
            g[:, 3 * hs:] *= 0.5
            c[:n] = g[:, hs:2 * hs] * c[:n] + g[:, :hs] * g[:, 2 * hs:3 * hs]
            h[:n] = g[:, 3 * hs:] * np.tanh(c[:n])
            out[:n, step] = h[:n]

    def viterbi(self, scores: Sequence[Any]) -> list[list[str]]:
        """Best tag sequence of each sentence under the CRF (batched over sentences)."""
        np = self._np
        n_tags = len(self.tags)
        order = sorted(range(len(scores)), key=lambda i: -len(scores[i]))
        lengths = np.array([len(scores[i]) for i in order])
        result: list[list[str]] = [[] for _ in scores]
        if not len(lengths) or lengths[0] == 0:
            return result
        b, t = len(order), int(lengths[0])
        em = np.zeros((b, t, n_tags), np.float32)
        for row, i in enumerate(order):
            em[row, :lengths[row]] = scores[i]
        score = self._start + em[:, 0]
        back = np.zeros((b, t, n_tags), np.int64)
        active = (lengths[None, :] > np.arange(t)[:, None]).sum(axis=1)
        for step in range(1, t):
            n = int(active[step])
            cand = score[:n, :, None] + self._trans[None]
            back[:n, step] = cand.argmax(axis=1)
            score[:n] = cand.max(axis=1) + em[:n, step]
        cur = (score + self._end).argmax(axis=1)
        tags = np.zeros((b, t), np.int64)
        rows = np.arange(b)
        tags[rows, lengths - 1] = cur
        for step in range(t - 1, 0, -1):
            live = lengths > step
            cur[live] = back[rows[live], step, cur[live]]
            tags[live, step - 1] = cur[live]
        names = self.tags
        for row, i in enumerate(order):
            result[i] = [names[k] for k in tags[row, :lengths[row]]]
        return result

    def tag_batch(self, sentences: Sequence[Sequence[str]], domain: str | None = None) -> list[list[str]]:
        return self.viterbi(self.emissions(sentences, domain))

    def tag(self, words: Sequence[str], domain: str | None = None) -> list[str]:
        return self.tag_batch([words], domain)[0]

    def entities_batch(self, sentences: Sequence[Sequence[str]], domain: str | None = None,
                       batch_tokens: int = 8192) -> list[list[tuple[int, int, str]]]:
        """Entities of many sentences, tagged in batches of similar lengths (at most ``batch_tokens`` padded)."""
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))  # similar lengths together
        out: list[list[tuple[int, int, str]]] = [[] for _ in sentences]
        k = 0
        while k < len(order):
            # as many as fit in batch_tokens once padded to the longest of them (the last batch too)
            size = max(1, min(512, len(order) - k, batch_tokens // max(1, len(sentences[order[k]]))))
            while size > 1 and size * len(sentences[order[k + size - 1]]) > batch_tokens:
                size -= 1
            chunk = order[k:k + size]
            for i, tags in zip(chunk, self.tag_batch([sentences[i] for i in chunk], domain), strict=True):
                out[i] = plausible(sentences[i], decode(tags))
            k += size
        return out

    def entities(self, words: Sequence[str], domain: str | None = None) -> list[tuple[int, int, str]]:
        return self.entities_batch([words], domain)[0]

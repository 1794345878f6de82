"""Which groups a measure is for, with the words that showed it (jieba tokens, not substrings)."""
from __future__ import annotations

from dataclasses import dataclass

from .lexicon import Lexicon, tokenizer
from .model import Item

TAGGED_KINDS = ("measure", "column")


@dataclass(frozen=True)
class Tag:
    """A group attached to an item."""

    slug: str
    """The group's slug."""
    evidence: tuple[str, ...]
    """The words in the item that triggered it (empty for an editor's override)."""
    source: str = "text"
    """``text`` when found in the item, ``override`` when an editor added it."""


class Tagger:
    """Matches group synonyms against jieba tokens so 渔业 never means 渔民 and 农民…工作 never
    means 农民工: a synonym counts only as a whole token or a run of whole tokens."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.jieba = tokenizer(lex)
        self.max_len = max((len(s) for g in lex.groups for s in g.synonyms), default=1)

    def tokens(self, text: str) -> list[str]:
        return [t for t in self.jieba.cut(text, HMM=False) if t.strip()]

    def tag(self, item: Item) -> tuple[Tag, ...]:
        if item.kind not in TAGGED_KINDS:
            return ()
        text = "。".join(x for x in (item.heading or "", item.text, *item.table) if x)
        toks = self.tokens(text)
        spans: set[str] = set()
        for i in range(len(toks)):
            joined = ""
            for j in range(i, min(i + 4, len(toks))):
                joined += toks[j]
                if len(joined) > self.max_len:
                    break
                spans.add(joined)
        out = []
        for group in self.lex.groups:
            # Exclude words are jieba words too, so a synonym inside one (农民工 in 农民工作) never
            # forms a span of whole tokens there.
            hits = [s for s in group.synonyms if s in spans and s not in group.exclude]
            if hits:
                out.append(Tag(group.slug, tuple(sorted(set(hits), key=hits.index))))
        return tuple(out)

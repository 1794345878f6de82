"""Which groups a measure is for, with the words that showed it (jieba tokens, not substrings)."""
from __future__ import annotations

from collections import Counter
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
    """``text`` when found in the item, ``heading`` when a heading above it names the group,
    ``override`` when an editor added it."""


def text_of(item: Item) -> str:
    """What is read of an item: its heading, text and table cells (cut by jieba once, for tagging
    and for finding similar measures)."""
    return "。".join(x for x in (item.heading or "", item.text, *item.table) if x)


class Tagger:
    """Matches group synonyms against jieba tokens so 渔业 never means 渔民 and 农民…工作 never
    means 农民工: a synonym counts only as a whole token or a run of whole tokens."""

    def __init__(self, lex: Lexicon):
        """jieba, slow to load, is started at the first text to cut; each text is cut once (plans
        copy whole measures and every measure repeats its headings)."""
        self.lex = lex
        self._jieba = None
        self._words: dict[str, tuple[str, ...]] = {}
        self._synonyms = frozenset(s for g in lex.groups for s in g.synonyms)
        self._prefixes = frozenset(s[:k] for s in self._synonyms for k in range(1, len(s) + 1))
        """Every beginning of a synonym: a run of tokens that is none can grow into none."""
        self._blocking: dict[str, bool] = {}
        self._heading_hits: dict[str, dict[str, tuple[str, ...]]] = {}

    def tokens(self, text: str) -> tuple[str, ...]:
        words = self._words.get(text)
        if words is None:
            if self._jieba is None:
                self._jieba = tokenizer(self.lex)
            words = self._words[text] = tuple(t for t in self._jieba.cut(text, HMM=False) if t.strip())
        return words

    def spans(self, text: str) -> Counter[str]:
        """Every run of up to four whole tokens that is a group synonym and not a body or industry,
        with how often it occurs.

        ``残疾人托养`` names an industry, not help for disabled people: a run directly followed by a
        token that starts or ends with a word from ``not_people_after`` (content/tagging.toml: 托养,
        协会, 事务 …) is dropped."""
        toks = self.tokens(text)
        wanted, prefixes = self._synonyms, self._prefixes
        out: Counter[str] = Counter()
        n = len(toks)
        for i in range(n):
            joined = ""
            for j in range(i, min(i + 4, n)):
                joined += toks[j]
                if joined not in prefixes:  # also ends runs longer than any synonym
                    break
                if joined in wanted and not (j + 1 < n and self._blocks(toks[j + 1])):
                    out[joined] += 1
        return out

    def _blocks(self, token: str) -> bool:
        """Whether a run followed by ``token`` names a body or an industry (remembered per token)."""
        known = self._blocking.get(token)
        if known is None:
            after = self.lex.not_people_after
            known = self._blocking[token] = any(token.startswith(a) or token.endswith(a) for a in after)
        return known

    def _hits(self, spans: Counter[str], heading: str | None = None) -> dict[str, tuple[str, ...]]:
        """Group → the synonyms found. Weak synonyms (创业, 职工) are topics as often as people: they
        count only when the item uses them twice, or in its heading, or with a strong synonym."""
        out = {}
        if not spans:  # most items name no group: no walk over every group's synonyms
            return out
        for group in self.lex.groups:
            # Exclude words are jieba words too, so a synonym inside one (农民工 in 农民工作) never
            # forms a span of whole tokens there.
            hits = [s for s in group.synonyms if s in spans and s not in group.exclude]
            strong = [s for s in hits if s not in group.weak]
            weak_uses = sum(spans[s] for s in hits if s in group.weak)
            in_heading = bool(heading) and any(s in heading for s in hits)
            if strong or weak_uses >= 2 or in_heading:
                out[group.slug] = tuple(hits)
        return out

    def tag(self, item: Item, context: tuple[str, ...] = ()) -> tuple[Tag, ...]:
        """Groups the item's own words name, then groups named by the headings above it.

        A reader takes ``（一）增加农民工资性收入`` as saying who every measure under it is for, so
        a group in an enclosing heading (``context``, outermost first) tags the item too, with the
        heading's words as evidence."""
        if item.kind not in TAGGED_KINDS:
            return ()
        own = self._hits(self.spans(text_of(item)), item.heading)
        inherited: dict[str, tuple[str, ...]] = {}
        for title in reversed(context):  # the nearest heading's words are the evidence
            if title not in self._heading_hits:
                self._heading_hits[title] = self._hits(self.spans(title), title)
            for slug, words in self._heading_hits[title].items():
                inherited.setdefault(slug, words)
        out = []
        for group in self.lex.groups:
            if group.slug in own:
                out.append(Tag(group.slug, own[group.slug]))
            elif group.slug in inherited:
                out.append(Tag(group.slug, inherited[group.slug], "heading"))
        return tuple(out)

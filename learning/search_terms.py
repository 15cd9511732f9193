"""What a learner typed into a search box, as terms the catalog search can match (pure Python, no database).

A query becomes at most MAX_TERMS terms. Each term is a word plus its alternatives: the abbreviations learners type
("llm", "cnn", "backprop") also match the words the catalog spells out. Words are what both full-text engines call
words (letters and digits; "_" and punctuation separate them), so no operator or quote a learner types ever
reaches an engine's query syntax. Common English words ("the", "for", "with") are dropped: PostgreSQL's English
configuration ignores the same list, so both engines agree on what a query asks for.
"""

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MAX_WORD_CHARS = 40

_WORD = re.compile(r"[^\W_]+")

# Abbreviations and short forms learners type -> how the catalog spells them. Keep it small and unambiguous: each
# entry must mean one thing in deep learning. Plural forms ("llms", "cnns") are found by dropping a final "s".
SYNONYMS: dict[str, tuple[str, ...]] = {
    "llm": ("large language model",),
    "cnn": ("convolutional neural network", "convolutional network", "convnet"),
    "convnet": ("convolutional neural network", "convolutional network"),
    "rnn": ("recurrent neural network", "recurrent network"),
    "lstm": ("long short term memory",),
    "nlp": ("natural language processing",),
    "gan": ("generative adversarial network", "generative adversarial"),
    "rl": ("reinforcement learning",),
    "rlhf": ("reinforcement learning from human feedback",),
    "backprop": ("backpropagation", "back propagation"),
    "ml": ("machine learning",),
    "dl": ("deep learning",),
    "gnn": ("graph neural network",),
    "rag": ("retrieval augmented generation",),
    "cv": ("computer vision",),
    "vae": ("variational autoencoder",),
    "sgd": ("stochastic gradient descent",),
    "vit": ("vision transformer",),
    "mlp": ("multilayer perceptron", "multi layer perceptron"),
    "tf": ("tensorflow",),
    "nn": ("neural network",),
}

# PostgreSQL's English stop words (snowball's list): its `english` configuration drops them, and so do we.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is are was
    were be been being have has had having do does did doing a an the and but if or because as until while of at by
    for with about against between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more most other some such no
    nor not only own same so than too very s t can will just don should now""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Term:
    """One word of the query and the phrases that mean the same; a resource matches the term if it has any."""

    word: str
    alternatives: tuple[str, ...] = ()

    @property
    def phrases(self) -> tuple[str, ...]:
        return (self.word, *self.alternatives)


@dataclass(frozen=True)
class SearchQuery:
    terms: tuple[Term, ...]
    words: tuple[str, ...]  # every word typed (stop words too), for the substring fallback

    def __bool__(self) -> bool:
        return bool(self.words)


def parse_query(text: str) -> SearchQuery:
    """The terms of `text`: NFKC-normalised, case-folded, cut to MAX_QUERY_CHARS and MAX_TERMS."""
    folded = unicodedata.normalize("NFKC", text[: MAX_QUERY_CHARS * 2])[:MAX_QUERY_CHARS].casefold()
    words = tuple(dict.fromkeys(word[:MAX_WORD_CHARS] for word in _WORD.findall(folded)))[:MAX_TERMS]
    terms = tuple(Term(word, synonyms_of(word)) for word in words if word not in STOP_WORDS)
    return SearchQuery(terms=terms, words=words)


def synonyms_of(word: str) -> tuple[str, ...]:
    if word in SYNONYMS:
        return SYNONYMS[word]
    if word.endswith("s") and word[:-1] in SYNONYMS:
        return SYNONYMS[word[:-1]]
    return ()


def fts5_phrase(phrase: str) -> str:
    """`phrase` as an FTS5 string: double quotes make every word literal (no operators, no column names)."""
    return '"' + phrase.replace('"', '""') + '"'


def fts5_term(term: Term) -> str:
    return "(" + " OR ".join(fts5_phrase(phrase) for phrase in term.phrases) + ")"

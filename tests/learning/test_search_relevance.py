"""Relevance of the catalog search on the shipped catalog: for each query, the resources a learner would accept as
the first result (judged from the catalog, one set per query), and the mean reciprocal rank of the first of them."""

import pytest

from learning.selectors import published_resources
from learning.selectors.search import resource_search

pytestmark = pytest.mark.django_db

REINFORCEMENT_LEARNING = {
    "sutton-barto-rl-book",
    "hf-deep-rl-course",
    "david-silver-rl-course",
    "david-silver-rl-lecture-1",
    "spinning-up-deep-rl",
    "lilianweng-rl-overview",
    "berkeley-cs285",
    "karpathy-pong-from-pixels",
}

EXPECTED_FIRST = {
    "llm": {
        "raschka-understanding-llms",
        "build-llm-from-scratch",
        "karpathy-intro-to-llms",
        "hf-llm-course",
        "hf-llm-course-fine-tuning-chapter",
        "philschmid-fine-tune-llms-2025",
        "raschka-lora-finetuning-tips",
        "llm-c",
        "chinchilla-paper",
        "lora-paper",
        "qlora-paper",
        "vllm-paged-attention-paper",
        "llm-int8-paper",
    },
    "backprop": {
        "rumelhart-backprop-1986",
        "karpathy-yes-you-should-understand-backprop",
        "cs231n-notes-backprop",
        "3b1b-backpropagation-calculus",
        "colah-backprop",
        "karpathy-micrograd-video",
        "d2l-backprop-chapter",
    },
    "cnn": {"cnn-explainer", "tf-cnn-tutorial", "cs231n-notes-convnets", "keras-mnist-convnet", "alexnet-paper"},
    "adam": {"adam-paper"},
    "pytorch beginner": {
        "pytorch-learn-the-basics",
        "learn-pytorch-zero-to-mastery",
        "pytorch-autograd-tutorial",
        "pytorch-training-a-classifier",
    },
    "transformers": {
        "jalammar-illustrated-transformer",
        "annotated-transformer",
        "attention-is-all-you-need",
        "3b1b-attention-in-transformers",
        "transformer-explainer",
        "hf-transformers-quicktour",
        "lilianweng-transformer-family-v2",
        "stanford-cs25-transformers-united",
    },
    "reinforcement learning": REINFORCEMENT_LEARNING,
    "rl": REINFORCEMENT_LEARNING,
    "diffusion": {
        "ddpm-paper",
        "lilianweng-diffusion-models",
        "jalammar-illustrated-stable-diffusion",
        "hf-annotated-diffusion",
        "hf-diffusion-models-class",
        "hf-diffusers-docs",
        "latent-diffusion-paper",
        "ddim-paper",
    },
    "rnn": {
        "karpathy-unreasonable-effectiveness-rnns",
        "distill-attention-augmented-rnns",
        "pytorch-char-rnn-classification",
        "colah-understanding-lstms",
    },
    "lstm": {"colah-understanding-lstms", "lstm-paper"},
    "nlp": {
        "cs224n",
        "coursera-nlp-specialization",
        "jhoward-nlp-for-beginners",
        "nlp-with-transformers-notebooks",
        "jurafsky-martin-slp3",
        "kaggle-nlp-disaster-tweets",
        "hf-llm-course",
    },
    "gan": {"gan-paper", "coursera-gans-specialization", "pytorch-dcgan-tutorial", "tf-dcgan-tutorial"},
    "attention": {
        "attention-is-all-you-need",
        "lilianweng-attention",
        "bahdanau-attention-paper",
        "3b1b-attention-in-transformers",
        "jalammar-seq2seq-attention",
        "distill-attention-augmented-rnns",
        "yannic-attention-is-all-you-need",
    },
    "word embeddings": {"word2vec-paper", "glove-paper", "jalammar-illustrated-word2vec", "mlcc-embeddings"},
    "batch normalization": {"batch-norm-paper"},
    "dropout": {"dropout-paper"},
    "lora": {"lora-paper", "qlora-paper", "raschka-lora-finetuning-tips"},
    "jax": {"jax-quickstart", "thinking-in-jax", "you-dont-know-jax", "uva-intro-to-jax-flax"},
    "linear algebra": {"3b1b-essence-of-linear-algebra", "mit-18-06-linear-algebra", "linear-algebra-done-right"},
    "recommender systems": {
        "wide-and-deep-paper",
        "google-recsys-course",
        "eugeneyan-recsys-system-design",
        "microsoft-recommenders",
        "dlrm-paper",
    },
    "gnn": {
        "distill-gnn-intro",
        "distill-understanding-gnns",
        "gcn-paper",
        "gat-paper",
        "stanford-cs224w",
        "graph-representation-learning-book",
    },
    "rag": {"rag-paper", "hf-advanced-rag-cookbook"},
    "mlops": {
        "google-cloud-mlops-continuous-delivery",
        "made-with-ml",
        "full-stack-deep-learning",
        "coursera-ml-in-production",
        "designing-ml-systems",
    },
    "bert": {"bert-paper", "jalammar-illustrated-bert"},
    "resnet": {"resnet-paper"},
    "activation functions": {"mlcc-activation-functions", "uva-activation-functions-notebook", "swish-paper"},
    "gradient descent": {"ruder-gradient-descent-overview", "mlcc-gradient-descent"},
    "quantization": {
        "visual-guide-to-quantization",
        "gptq-paper",
        "qlora-paper",
        "llm-int8-paper",
        "hf-bitsandbytes-8bit-blog",
    },
    "self-driving cars": {"coursera-self-driving-cars", "nvidia-end-to-end-driving-paper"},
}


def _ranked_slugs(query: str, limit: int = 20) -> list[str]:
    return [r.slug for r in resource_search(queryset=published_resources(), text=query)[:limit]]


def _reciprocal_rank(ranked: list[str], relevant: set[str]) -> float:
    return next((1 / position for position, slug in enumerate(ranked, start=1) if slug in relevant), 0.0)


def test_every_expected_resource_is_in_the_shipped_catalog(catalog):
    slugs = set(published_resources().values_list("slug", flat=True))
    assert len(EXPECTED_FIRST) >= 20
    assert set().union(*EXPECTED_FIRST.values()) <= slugs


def test_mean_reciprocal_rank_on_the_shipped_catalog_is_at_least_0_8(catalog):
    ranks = {query: _reciprocal_rank(_ranked_slugs(query), relevant) for query, relevant in EXPECTED_FIRST.items()}
    mean = sum(ranks.values()) / len(ranks)
    misses = {query: rank for query, rank in ranks.items() if rank < 1}
    assert mean >= 0.8, f"MRR {mean:.3f}; below rank 1: {misses}"


def test_llm_no_longer_puts_a_reinforcement_learning_overview_first(catalog):
    results = list(resource_search(queryset=published_resources(), text="llm"))
    assert results[0].slug in EXPECTED_FIRST["llm"]
    # "Bellman" contains "llm": only a substring match, so it comes after every whole-word match.
    whole_word = [r.slug for r in results if r.whole_terms]
    slugs = [r.slug for r in results]
    assert "lilianweng-rl-overview" not in whole_word
    assert slugs.index("lilianweng-rl-overview") >= len(whole_word)

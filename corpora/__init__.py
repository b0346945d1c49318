"""Text resources the service ships (dictionary, stopwords, campaigns, duplicate model, taxonomies, samples,
organisation aliases).

A package so that a built wheel carries them as package data: code finds them through
:data:`CORPORA_DIR` (this folder, wherever the package is installed), never through the checkout.
"""
from pathlib import Path

CORPORA_DIR = Path(__file__).resolve().parent
USERDICT = CORPORA_DIR / "userdict.txt"
STOPWORDS = CORPORA_DIR / "stopwords.txt"
CAMPAIGNS_DIR = CORPORA_DIR / "campaigns"
DUPLICATES = CORPORA_DIR / "duplicates.yaml"
SAMPLES_DIR = CORPORA_DIR / "samples"
KEYWORD_STOPWORDS = CORPORA_DIR / "keyword_stopwords.txt"
TAXONOMY_DIR = CORPORA_DIR / "taxonomy"
ORG_ALIASES = CORPORA_DIR / "orgs" / "institutions.yaml"

"""Text to features: normalisation, tokenisation, keywords, condensation, embeddings."""

"""Decisions over features: vector index, duplicates, clusters, domains, experts and panels."""

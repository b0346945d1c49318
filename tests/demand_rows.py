"""The demand rows the tests submit: the generator is shared with the benchmarks (:mod:`corpora.demand_rows`)."""
from corpora.demand_rows import AREAS, CONTACT_MOBILE, CONTACT_NAME, REGIONS, credit_code, make_row, write_jsonl

__all__ = ["AREAS", "CONTACT_MOBILE", "CONTACT_NAME", "REGIONS", "credit_code", "make_row", "write_jsonl"]

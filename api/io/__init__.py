"""Files in and out: reading form tables (:mod:`.readers`), writing Excel/CSV/JSONL (:mod:`.writers`)
and the multi-sheet Excel report (:mod:`.report`)."""

"""The composition root: :func:`build_services` makes every capability once, from one :class:`Settings`.

The HTTP app (:mod:`api.http.app`), every CLI command (:mod:`api.cli`) and the Excel report get
what they need from the :class:`Services` it returns, so ``--home`` / ``--database-url`` reach
everything, and nothing else reads the environment (:func:`load_settings` is the only caller of
:meth:`Settings.from_env`). Heavy resources (jieba dictionaries, the embedding model, the duplicate
index) are built on first use and then shared; a command that never matches never loads a model.
"""
from __future__ import annotations

import logging
import os
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.config import Settings
from api.io.report import DEFAULT_SHEETS, SheetBuilder
from api.io.resources import (doc_frequency, expert_floor, jieba_idf, keyword_ranker, org_directory, read_router,
                                 word_tags)
from api.io.taxonomy_files import read_offices, read_taxonomy
from api.services import dedup_runs
from api.services.campaign import CampaignContext, load_campaign
from api.services.bangdan import Bangdan
from api.services.condense import Condensation, KeywordSettings
from api.services.condense_report import CLUSTERS_SHEET, RoundReport
from api.services.dedup_runs import DedupRuns
from api.services.domains import SHEET_NAME as DOMAINS_SHEET
from api.services.domains import DomainLabels
from api.services.duplicate_file import FileCheck
from api.services.duplicates import DuplicateService, load_params
from api.services.experts import ExpertMatching
from api.services.intake import DEFAULT_INTAKE_STEPS, IntakeStep, PreparedStep
from api.io.uploads import remove_orphan_uploads, upload_folder
from api.services.index_share import SharedBatches
from api.services.job_work import import_from_spec
from api.services.jobs import Jobs
from api.services.list_signing import ListSigner
from api.services.panel_sheets import PANELS_SHEET_NAME
from api.services.panels import PanelAssignment
from api.services.recommendations import Recommendations
from api.services.scan_verification import ScanVerifier
from api.services.solver_institutions import SolverInstitutions
from api.store.engine import open_database
from matching.office_model import TextRouter
from matching.vocabulary import Region
from nlp.embed import Embedder
from nlp.evidence_words import ContentWords
from nlp.phrases import GenericWords, PhraseRules
from nlp.tokenize import Tokenizer, read_wordlist

log = logging.getLogger(__name__)


def load_settings(env: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from ``JIEBANG_*`` variables (``os.environ`` by default), with command-line overrides."""
    return Settings.from_env(env).override(**overrides)


def _set_faiss_threads(threads: int) -> None:
    """faiss's OpenMP thread count of the main thread (the CLI's work). libgomp keeps it per thread, so the
    duplicate index also sets it in each thread that searches (``DuplicateService(faiss_threads=…)``)."""
    import faiss

    faiss.omp_set_num_threads(max(1, int(threads)))


class Services:
    """Every capability of one process, built from one :class:`Settings` (see :func:`build_services`)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.engine: Engine
        self.sessions: sessionmaker[Session]
        self.engine, self.sessions = open_database(settings.db_url, lock_timeout_s=settings.lock_timeout_s)
        with self.sessions() as session:
            self.campaign: CampaignContext = load_campaign(session, settings.campaign_file)
        _set_faiss_threads(settings.faiss_threads)

    def session(self) -> Session:
        """A new database session (the caller closes it, e.g. ``with services.session() as s``)."""
        return self.sessions()

    # ----- models (built on first use, once)
    @cached_property
    def tokenizer(self) -> Tokenizer:
        """jieba with the domain dictionary and stopwords."""
        return Tokenizer(self.settings.userdict, self.settings.stopwords)

    @cached_property
    def embedder(self) -> Embedder:
        """The sentence-embedding model (``settings.embed_model``)."""
        return Embedder(self.settings.embed_model)

    # ----- capabilities
    @cached_property
    def duplicates(self) -> DuplicateService:
        """The campaign's duplicate detector, kept in step with storage."""
        return DuplicateService(load_params(self.settings.duplicates_file), self.campaign.id,
                                self.embedder, self.tokenizer, faiss_threads=self.settings.faiss_threads,
                                shared=SharedBatches(self.settings.home))

    @cached_property
    def dedup_runs(self) -> DedupRuns:
        """Batch de-duplication of a round (groups stored in the database)."""
        return DedupRuns(self.duplicates)

    @cached_property
    def experts(self) -> ExpertMatching:
        """Expert ranking over the stored pool (pseudonyms keyed by the admin token), with the shipped
        relevance floor and the organisation alias table for conflicts."""
        return ExpertMatching(self.tokenizer, pseudonym_key=self.settings.admin_token, floor=expert_floor(),
                              orgs=org_directory())

    @cached_property
    def panels(self) -> PanelAssignment:
        """Review-panel assignment runs."""
        return PanelAssignment(self.experts)

    @cached_property
    def condensation(self) -> Condensation:
        """Condensation of the round (clusters under stable keys, staff edits, profiles)."""
        keywords = KeywordSettings(stopwords=self.keyword_stopwords, background_idf=jieba_idf(),
                                   ranker=keyword_ranker(), tags=word_tags(self.settings.userdict),
                                   doc_freq=doc_frequency())
        return Condensation(self.campaign, self.embedder, self.tokenizer, keywords, topics=self.router)

    @cached_property
    def keyword_stopwords(self) -> frozenset[str]:
        """Form boilerplate that is never a keyword (``corpora/keyword_stopwords.txt``), and the province's region
        names with and without 市 (阜新, 大连市): where a demand comes from, not what it is about (a cluster's
        keywords read "收获、阜新" on the sample round)."""
        places = {name for region in Region for name in (region.value, region.value.removesuffix("市"))}
        return frozenset(read_wordlist(self.settings.keyword_stopwords)) | {"辽宁", "辽宁省"} | places

    @cached_property
    def router(self) -> TextRouter | None:
        """The shipped routing model (office and 技术领域 from text): routing, and the topic view of condensation."""
        return read_router(self.settings.router_model, self.tokenizer)

    @cached_property
    def domains(self) -> DomainLabels:
        """Technology-domain suggestions and office routing, learning from staff decisions."""
        taxonomy = read_taxonomy(self.settings.taxonomy_dir / f"{self.settings.domain_taxonomy}.json")
        offices = read_offices(self.settings.taxonomy_dir / "offices.yaml", taxonomy)
        content = ContentWords(PhraseRules(self.tokenizer.stopwords | self.keyword_stopwords),
                               GenericWords(doc_frequency()))  # evidence shown to staff: content words only
        return DomainLabels(self.campaign, taxonomy, offices, self.embedder, self.tokenizer, router=self.router,
                            office_threshold=self.settings.office_threshold, content_words=content)

    @cached_property
    def bangdan(self) -> Bangdan:
        """The 榜单 draft: 拟发榜 clusters and demands, staff edits with versions, Word and Excel per office."""
        return Bangdan(self.campaign, self.condensation)

    @cached_property
    def round_report(self) -> RoundReport:
        """The condensation report (Excel with charts, JSON)."""
        return RoundReport(self.condensation)

    @cached_property
    def jobs(self) -> Jobs:
        """Background jobs (imports, de-dup, condensation, panels, labelling): a small thread pool."""
        return Jobs(self.sessions, progress_dir=self.settings.home / "jobs",
                    builders={"import": partial(import_from_spec, self)})

    def upload_folder(self) -> Path:
        """A new folder for an uploaded file, under the home (removed by its request or job; a killed
        process's are removed at the next start)."""
        return upload_folder(self.settings.home)

    @cached_property
    def institutions(self) -> SolverInstitutions:
        """Candidate solver institutions (揭榜方) for a demand."""
        return SolverInstitutions(self.tokenizer)

    @cached_property
    def recommendations(self) -> Recommendations:
        """推荐清单: composed per bureau and batch, exported signed with the department's key, scans verified."""
        return Recommendations(self.campaign, ListSigner(self.settings.signing_key_file))

    @cached_property
    def scan_verifier(self) -> ScanVerifier:
        """Stamped scans of 推荐清单: QR code read, signature checked, list compared with the stored recommendations."""
        return ScanVerifier(self.recommendations, self.settings.scans_dir)

    # ----- hook lists
    @property
    def intake_steps(self) -> tuple[IntakeStep, ...]:
        """What runs on every demand at intake and on ``check``: the campaign rules, then the duplicate check."""
        return (*DEFAULT_INTAKE_STEPS, PreparedStep(self._duplicate_step, self._duplicate_prepare, self._duplicate_file,
                                                  self.duplicates.behind))

    def _duplicate_step(self, session: Session, campaign: CampaignContext, item: Any) -> list[Any]:
        return self.duplicates.intake_step(session, campaign, item)

    def _duplicate_prepare(self, session: Session, campaign: CampaignContext, items: Any) -> None:
        self.duplicates.prepare_intake(session, campaign, items)

    def _duplicate_file(self, session: Session, campaign: CampaignContext, views: Any) -> FileCheck:
        rows = self.settings.check_process_rows
        return FileCheck(self.duplicates, session, views, process_rows=rows if rows > 0 else None)

    @property
    def report_sheets(self) -> tuple[SheetBuilder, ...]:
        """The sheets of the Excel report: intake sheets, expert panels, duplicate groups, clusters, domains."""
        return (*DEFAULT_SHEETS, SheetBuilder(PANELS_SHEET_NAME, self._panels_sheet),
                SheetBuilder(dedup_runs.SHEET_NAME, self._duplicates_sheet),
                SheetBuilder(CLUSTERS_SHEET, self._clusters_sheet), SheetBuilder(DOMAINS_SHEET, self._domains_sheet))

    def _domains_sheet(self, session: Session, campaign: CampaignContext) -> Any:
        return self.domains.sheet(session, campaign)

    def _clusters_sheet(self, session: Session, campaign: CampaignContext) -> Any:
        return self.round_report.sheet(session, campaign)

    def _panels_sheet(self, session: Session, campaign: CampaignContext) -> Any:
        return self.panels.sheet(session, campaign)

    def _duplicates_sheet(self, session: Session, campaign: CampaignContext) -> Any:
        return self.dedup_runs.sheet(session, campaign)

    def warm_up(self) -> None:
        """Build the shared models and the duplicate index now (server start), not on the first clerk's
        request, so that worker threads never race to build them."""
        with self.session() as session:  # what a previous process left running will never finish
            self.jobs.recover(session)
        remove_orphan_uploads(self.settings.home)  # personal data of uploads a killed process never removed
        for capability in ("experts", "panels", "institutions"):
            getattr(self, capability)
        try:
            with self.session() as session:
                self.duplicates.sync(session)
        except Exception:  # e.g. the model is missing: intake will report it; the app still starts
            log.exception("duplicate index not built at start; it will be built on first use")

    def close(self) -> None:
        """Release the database connections."""
        if "jobs" in self.__dict__:
            self.jobs.shutdown()
        self.engine.dispose()


def hand_to_workers(settings: Settings) -> None:
    """Put the command line's home, database and campaign where worker processes read their settings
    (uvicorn starts each worker from an import string: it builds its app from the environment)."""
    os.environ.update({"JIEBANG_HOME": str(settings.home), "JIEBANG_DATABASE_URL": settings.db_url,
                       "JIEBANG_CAMPAIGN": str(settings.campaign_file)})


def build_services(settings: Settings) -> Services:
    """Open storage, load the campaign and set process-wide library settings; models come on first use."""
    return Services(settings)

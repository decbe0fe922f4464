"""SQLAlchemy 2 typed models. The same schema runs on SQLite and PostgreSQL.

Enumerations are stored as their names in plain strings (portable, readable in a SQL console);
multi-valued enumerations as ';'-joined names. Decisions and the access log are append-only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.persistence.base import Base


class ForceRow(Base):
    __tablename__ = "force"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    territorial: Mapped[bool] = mapped_column(Boolean, default=True)
    public_key: Mapped[str | None] = mapped_column(Text)  # Ed25519 public key (base64) for notice files


class SettingRow(Base):
    """Installation-wide settings held in the database (home force, systems used…). Never secrets."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PersonRow(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_number: Mapped[str] = mapped_column(String(32), unique=True)
    warrant_number: Mapped[str | None] = mapped_column(String(32), index=True)
    surname: Mapped[str] = mapped_column(String(100), index=True)
    forenames: Mapped[str] = mapped_column(String(150))
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(1))
    ethnicity: Mapped[str | None] = mapped_column(String(16))
    workforce_type: Mapped[str] = mapped_column(String(32))
    rank_or_grade: Mapped[str | None] = mapped_column(String(40))
    unit: Mapped[str | None] = mapped_column(String(100))
    line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    role_flags: Mapped[str] = mapped_column(String(100), default="")
    employment_status: Mapped[str] = mapped_column(String(20), default="SERVING")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    vetting_level: Mapped[str | None] = mapped_column(String(20))
    vetting_review_due: Mapped[date | None] = mapped_column(Date)
    list_status: Mapped[str] = mapped_column(String(10), default="NONE")
    # A statistical stub left by a retention disposal (app.services.retention): no name, no staff
    # number, only what the returns count. Never part of the workforce register.
    anonymised: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, default=1)

    previous_names: Mapped[list[PreviousNameRow]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PreviousNameRow.id"
    )
    previous_forces: Mapped[list[PreviousForceRow]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PreviousForceRow.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by SQLAlchemy, never changed


class PreviousNameRow(Base):
    __tablename__ = "person_previous_name"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(String(250))
    person: Mapped[PersonRow] = relationship(back_populates="previous_names")


class PreviousForceRow(Base):
    __tablename__ = "person_previous_force"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    force_code: Mapped[str] = mapped_column(ForeignKey("force.code"))
    person: Mapped[PersonRow] = relationship(back_populates="previous_forces")


class UserRow(Base):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(150))
    password_hash: Mapped[str] = mapped_column(String(200))
    roles: Mapped[str] = mapped_column(String(200))  # ';'-joined Role names
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    team: Mapped[str | None] = mapped_column(String(100))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class CaseRow(Base):
    __tablename__ = "ppda_case"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    received_date: Mapped[date] = mapped_column(Date)
    reporting_route: Mapped[str] = mapped_column(String(32))
    case_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="OPEN", index=True)
    crime_refs: Mapped[str] = mapped_column(String(400), default="")
    closed_date: Mapped[date | None] = mapped_column(Date)
    retention_review_date: Mapped[date | None] = mapped_column(Date)
    restricted_to_named: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_from: Mapped[str | None] = mapped_column(String(260))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The case list's projection: refreshed in the same transaction as every change to the case
    # (app.services.case_summary), so a 100,000-case list is searched, sorted and paged in SQL.
    search_text: Mapped[str] = mapped_column(Text, default="")
    list_subjects: Mapped[str] = mapped_column(String(400), default="")
    list_abuse_types: Mapped[str] = mapped_column(String(300), default="")
    list_risk: Mapped[str | None] = mapped_column(String(10), index=True)
    list_restriction: Mapped[str] = mapped_column(String(200), default="")
    list_body: Mapped[str] = mapped_column(String(64), default="HOME")
    list_external: Mapped[bool] = mapped_column(Boolean, default=False)
    list_flags: Mapped[str] = mapped_column(String(200), default="")
    next_due_date: Mapped[date | None] = mapped_column(Date, index=True)

    victims: Mapped[list[VictimRow]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="VictimRow.id"
    )
    allegations: Mapped[list[AllegationRow]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="AllegationRow.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by SQLAlchemy, never changed


class CaseMemberRow(Base):
    """A user on the case team (assignment) or named on a restricted case."""

    __tablename__ = "case_member"
    __table_args__ = (UniqueConstraint("case_id", "user_id", "role"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ppda_case.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))  # AssignmentRole name or NAMED_ACCESS
    declared_no_prior_connection: Mapped[bool] = mapped_column(Boolean, default=False)
    assigned_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)


class AssociateRow(Base):
    """A declared association between a user's person record and a subject or victim."""

    __tablename__ = "declared_associate"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    associate_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("ppda_case.id"))
    note: Mapped[str | None] = mapped_column(String(400))


class VictimRow(Base):
    __tablename__ = "victim"
    __table_args__ = (UniqueConstraint("case_id", "reference"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ppda_case.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(40))
    relationship_to_subject: Mapped[str] = mapped_column(String(32))
    police_workforce: Mapped[str] = mapped_column(String(16), default="NO")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))  # when workforce, same force
    sex: Mapped[str | None] = mapped_column(String(1))
    age_band: Mapped[str | None] = mapped_column(String(16))
    dash_risk: Mapped[str | None] = mapped_column(String(10))
    dash_date: Mapped[date | None] = mapped_column(Date)
    dash_assessor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    marac_referred: Mapped[bool] = mapped_column(Boolean, default=False)
    advocate_offered: Mapped[bool] = mapped_column(Boolean, default=False)
    advocate_accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_details: Mapped[str | None] = mapped_column(Text)

    case: Mapped[CaseRow] = relationship(back_populates="victims")


class AllegationRow(Base):
    __tablename__ = "allegation"
    __table_args__ = (UniqueConstraint("case_id", "subject_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ppda_case.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    recorded_date: Mapped[date] = mapped_column(Date, index=True)
    conduct_from: Mapped[date | None] = mapped_column(Date)
    conduct_to: Mapped[date | None] = mapped_column(Date)
    abuse_types: Mapped[str] = mapped_column(String(300))
    aggravating_features: Mapped[str] = mapped_column(String(300), default="")
    breaches: Mapped[str] = mapped_column(String(300), default="DISCREDITABLE_CONDUCT")
    criminal: Mapped[bool] = mapped_column(Boolean, default=False)
    crime_ref: Mapped[str | None] = mapped_column(String(60))
    summary: Mapped[str | None] = mapped_column(Text)
    victim_refs: Mapped[str] = mapped_column(String(400), default="")  # ';'-joined victim references

    case: Mapped[CaseRow] = relationship(back_populates="allegations")


class DecisionRow(Base):
    """An append-only decision record. Rows are never updated; a new decision supersedes."""

    __tablename__ = "decision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ppda_case.id", ondelete="CASCADE"), index=True)
    allegation_id: Mapped[int | None] = mapped_column(ForeignKey("allegation.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    options_considered: Mapped[list[str]] = mapped_column(JSON, default=list)
    rationale: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime)
    effective_date: Mapped[date] = mapped_column(Date)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    imported_from: Mapped[str | None] = mapped_column(String(260))
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # who ran the import
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))


class NoticeRow(Base):
    __tablename__ = "prior_notice"
    __table_args__ = (UniqueConstraint("issuing_force", "notice_ref"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuing_force: Mapped[str] = mapped_column(ForeignKey("force.code"))
    notice_ref: Mapped[str] = mapped_column(String(64))
    notice_date: Mapped[date] = mapped_column(Date)
    record_type: Mapped[str] = mapped_column(String(32))
    surname: Mapped[str] = mapped_column(String(100))
    forenames: Mapped[str] = mapped_column(String(150))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    staff_number: Mapped[str | None] = mapped_column(String(32))
    warrant_number: Mapped[str | None] = mapped_column(String(32))
    pnc_id: Mapped[str | None] = mapped_column(String(32))
    employing_force: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str | None] = mapped_column(Text)
    handling: Mapped[str | None] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(String(260))
    signature_state: Mapped[str] = mapped_column(String(20), default="NOT_SIGNED")
    received_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    dob_year_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # only the year known
    # Matching: the version last matched against the register (NULL or older: still to match, so a
    # crash between an import and its matching leaves the notice to the next run), and what it
    # found when that is worth telling (an undated notice whose name is too common to review).
    matched_version: Mapped[int | None] = mapped_column(Integer)
    match_note: Mapped[str | None] = mapped_column(String(200))


class NoticeMatchRow(Base):
    __tablename__ = "notice_match"
    __table_args__ = (UniqueConstraint("notice_id", "person_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("prior_notice.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    decision: Mapped[str] = mapped_column(String(10))
    reasons: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default="PROPOSED", index=True)
    found_at: Mapped[datetime] = mapped_column(DateTime)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    triage_outcome: Mapped[str | None] = mapped_column(String(40))
    rationale: Mapped[str | None] = mapped_column(Text)
    notice_version: Mapped[int] = mapped_column(Integer, default=1)
    person_version: Mapped[int] = mapped_column(Integer, default=1)
    # The vetting review a confirmed match raises (DOMAIN.md §4), recorded when done.
    vetting_reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    vetting_reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    vetting_result: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("ppda_case.id"))  # a case opened from it


class PolicyRow(Base):
    """One policy value as the force recorded it (bitemporal: `effective_from` is when it applies,
    `recorded_at` when it was recorded, naive UTC). Rows are only ever added: a later row for the
    same name and effective_from supersedes an earlier one from its recorded_at on, and a
    back-dated row (a correction) carries its reason."""

    __tablename__ = "policy_value"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    effective_from: Mapped[date] = mapped_column(Date)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)


class HeadcountRow(Base):
    __tablename__ = "headcount"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)  # survey year Y (period ending 31 March Y)
    total: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    set_at: Mapped[datetime] = mapped_column(DateTime)


class AccessLogRow(Base):
    """DPA 2018 s.62 access log: append-only (triggers, and on PostgreSQL the application role's
    grants), hash-chained, its head signed outside the database (see app.services.audit)."""

    __tablename__ = "access_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64), index=True)
    operation: Mapped[str] = mapped_column(String(16))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(80), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    recipient: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


Index("ix_decision_case_kind", DecisionRow.case_id, DecisionRow.kind)
# The case list: newest first with search and named-access filtering, and the need-to-know checks.
Index("ix_ppda_case_received_date_search", CaseRow.received_date, CaseRow.search_text, CaseRow.restricted_to_named)
Index("ix_person_line_manager_id", PersonRow.line_manager_id)
Index("ix_victim_person_id", VictimRow.person_id)


class ProposedDecisionRow(Base):
    """An investigator's decision awaiting a supervisor (DOMAIN.md §7: "an INVESTIGATOR may
    propose"): the casework action and its arguments (JSON), recorded by that action only when a
    supervisor or the head of PSD approves it. Status: PENDING, APPROVED, REJECTED, WITHDRAWN."""

    __tablename__ = "proposed_decision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ppda_case.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    arguments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    proposed_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    proposed_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(10), default="PENDING", index=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))  # what the approval recorded


# The case file's tables live in their own module; importing it here puts them in Base.metadata.
from app.persistence import case_file_models  # noqa: E402,F401

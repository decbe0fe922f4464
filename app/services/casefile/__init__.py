"""The investigator's case file (issue #15; rules in app.domain.case_file): the case log
(`entries`, read as one timeline with the decisions by `timeline`), documents stored inside the
database (`documents`), investigation actions (`tasks`) and the case-file PDF for a referral or a
hearing (`export`). Every function checks the role and need to know exactly as the casework
services do (app.services.casework.common.require_access for writes, case_queries for reads) and
writes the access log; reading is a consultation, an export a disclosure with its recipient.

Submodules are imported by their users (intake imports `rows` alone: the others import casework)."""

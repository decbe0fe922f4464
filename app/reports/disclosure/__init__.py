"""Statistical disclosure control for published reports: a model of what a report prints
(model), complementary suppression (suppress), and the audit that runs before a report is written
(audit), all over exact linear relations (solver)."""

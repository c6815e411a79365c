"""Validation: the model's effects against published ones, each row a calibration target, an input check or a test.

Every pattern contrasts scenario settings ("arms") run with the same replicate seeds (common random
numbers), or reads one arm against published data, in the contrast and at the follow-up the study
used. ``sim/data/published_effects.csv`` gives each published effect with a two-sided band; a row
passes when the model's estimate falls inside it. Each row has a kind:

- *calibration target*: the model was tuned to it (the BJS curves and the shape of their return hazard,
  the violent-extremist rate, the ISP technical-violation contrast, the contact-prejudice correlation), so
  passing shows the fit holds, not that the model is right;
- *input check*: a parameter set from the same study comes back out (the record penalty at hiring,
  the media shock's decay), so passing shows the plumbing works;
- *independent test*: nothing was tuned to it; only these count as validation.

Each measure is computed per replicate and reported as the mean with a 95% t-interval across
replicates (``sim.stats.interval``); measures of a mean curve (the BJS errors, the hazard shape)
use a 95% bootstrap interval over replicates. Arms shared by several patterns are run once. Runs go
to the sweep engine's workers (``sim.experiments.engines``).

The package: ``arms`` runs the arms, ``measures`` turns their runs into rows against the published effects, and
``write`` writes the table, the figures and docs/VALIDATION.md; the names below are those the command, the tests
and the docs use.
"""

from __future__ import annotations

from sim.patterns.arms import (
    ARMS,
    FULL,
    INTENSIVE,
    ONLY_EVENTS,
    QUICK,
    ROOT_SEED,
    Observed,
    Size,
    arm_designs,
    arm_settings,
    attack_week,
    check_overrides,
    observe,
    observe_task,
    pattern_curves,
    run_arms,
)
from sim.patterns.measures import (
    CALIBRATION,
    CIRCLES_FOLLOW_UP,
    FIVE_YEARS,
    HAZARD_SHAPE,
    INDEPENDENT,
    INPUT,
    KINDS,
    PATTERNS,
    PLACED_WITHIN,
    THREE_YEARS,
    Published,
    Row,
    at,
    banded,
    bjs_rows,
    contact,
    criminal_record,
    evaluate,
    extremist_reoffending,
    family_ties,
    hazard_ratio,
    intensive_supervision,
    largest_gap,
    media_shock,
    mentoring,
    month_span,
    monthly_hazard,
    participants_vs_matched,
    per_replicate,
    published_effects,
    ratio,
    return_grid,
)
from sim.patterns.write import (
    BJS_WORDS,
    CALIBRATION_COMMAND,
    DOCS,
    PAST_THE_BAND,
    SHIPPED_COLUMNS,
    STUDIES,
    bjs_measures,
    calibration_text,
    circles_measure,
    contact_measure,
    design_text,
    draw_figures,
    extremist_measure,
    figures_text,
    headline,
    labelled_headline,
    markdown_table,
    measured_text,
    measures_text,
    media_measure,
    overrides_words,
    record_measure,
    result_text,
    row_kinds_text,
    shipped_table,
    size_words,
    supervision_measure,
    validation_heading,
    validation_markdown,
    visits_measure,
    write_docs,
    write_outputs,
)

__all__ = [
    "ROOT_SEED", "Size", "QUICK", "FULL", "INTENSIVE", "ARMS", "ONLY_EVENTS", "attack_week", "Observed", "observe",
    "pattern_curves", "observe_task", "arm_designs", "check_overrides", "arm_settings", "run_arms", "CALIBRATION",
    "INPUT", "INDEPENDENT", "KINDS", "Published", "month_span", "published_effects", "Row", "banded", "at",
    "per_replicate", "ratio", "hazard_ratio", "THREE_YEARS", "FIVE_YEARS", "intensive_supervision", "PLACED_WITHIN",
    "CIRCLES_FOLLOW_UP", "participants_vs_matched", "mentoring", "family_ties", "criminal_record", "contact",
    "media_shock", "largest_gap", "monthly_hazard", "HAZARD_SHAPE", "return_grid", "bjs_rows",
    "extremist_reoffending", "PATTERNS", "evaluate", "headline", "overrides_words", "labelled_headline",
    "size_words", "DOCS", "CALIBRATION_COMMAND", "measured_text", "markdown_table", "PAST_THE_BAND", "result_text",
    "BJS_WORDS", "draw_figures", "write_outputs", "validation_markdown", "validation_heading", "row_kinds_text",
    "design_text", "measures_text", "bjs_measures", "supervision_measure", "visits_measure", "contact_measure",
    "circles_measure", "record_measure", "extremist_measure", "media_measure", "figures_text", "calibration_text",
    "STUDIES", "SHIPPED_COLUMNS", "shipped_table", "write_docs",
]

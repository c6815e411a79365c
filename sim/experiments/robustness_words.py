"""robustness.md's words: its introduction and sections (in short, the sign table, PRIM's boxes, what was drawn, how to
read it; the acceptability curve's come from ``sim.experiments.acceptability``), and the sentences the terminal
(``sim.commands.robustness``) and ``sim report`` repeat from them, so that all three say the same.

Reads what the analysis found (``robustness_results``, ``robustness_analysis``); the figures are
``robustness_figures``'s, and the run that writes robustness.md is ``sim.experiments.robustness``'s.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.costs import SHIPPED_CURRENCY
from sim.experiments.acceptability import ACCEPTABILITY_SECTION, acceptability_lines, acceptability_short
from sim.experiments.comparison import too_few_said
from sim.experiments.robustness_analysis import (
    BEATS_CHANCE,
    MIN_CUT,
    MIN_FOR_PRIM,
    NO_BETTER,
    NOT_KEPT,
    PRICES,
    TOO_FEW,
    searched_by_prim,
    sign_of,
)
from sim.experiments.robustness_results import COST, Robustness, describe, difference_form
from sim.job_size import counted
from sim.money import readable, signed_money
from sim.scenarios.fields import unit_of
from sim.stats import clear_of_zero, cut_said, too_few_alike, wilson
from sim.units import percent, share_interval

CANNOT_REFUTE = ("in simulated analyses of 64 draws, the default, the held-out check confirmed a real box in only 24% "
                 "to 36% of them (71% at 256 draws, less with fewer; docs/DECISIONS.md), so it can confirm a box but "
                 "not refute one")
"""Why 'no better than chance' does not mean 'no region': benchmarks/prim_power.py measured the check's power."""


def markdown(found: Robustness, spec: dict[str, Any]) -> str:
    """``robustness.md``: what was drawn, which conclusions hold, and where they do not."""
    text = [f"# Robustness of the comparison against {found.named(spec['names'][0])}", "", introduction(found, spec), ""]
    for heading, lines in sections(found, spec):
        text += [f"## {heading}", "", *lines, ""]
    return "\n".join(text)


def introduction(found: Robustness, spec: dict[str, Any]) -> str:
    prices = sum(key.startswith(PRICES) for key in found.factors)
    held = (f" No price is drawn: their plausible ranges are in {SHIPPED_CURRENCY} and the scenarios price in "
            f"{found.currency}, so the cost is tested against the other assumptions only."
            if found.currency != SHIPPED_CURRENCY else "")
    return (f"{len(found.factors)} assumed parameters"
            + (f", {prices} of them prices (they change what a draw costs, never what happens in it)," if prices
               else "")
            + " drawn together over their plausible ranges (Latin hypercube, "
            f"seed {spec['seed']}: each draw sets every assumption at once, the draws spread evenly over each range), "
            f"{counted(spec['draws'], 'draw')} x {counted(spec['replicates'], 'replicate')} per scenario, common random "
            "numbers across scenarios (the scenarios of a draw meet the same chances, so their difference is the "
            "policy's, not luck's). The nominal difference uses the scenarios' own values: the comparison as `sim "
            f"compare` runs it, on {counted(nominal_count(spec), 'replicate')} (its 95% "
            "interval says whether its sign, which every draw is tested against, is the policy's or the seeds')."
            + held_sentence(spec) + held
            + (f" **{found.failed} runs failed** and their draws are left out (see the sweeps' runs tables)."
               if found.failed else ""))


def nominal_count(spec: dict[str, Any]) -> int:
    """The replicates per scenario of the nominal comparison, which its 95% intervals rest on (a draw's, for a plan of
    a version before --nominal-replicates)."""
    return spec.get("nominal_replicates", spec["replicates"])


def other_replicates(spec: dict[str, Any]) -> str:
    """Why comparison.md may say otherwise of a small difference than this analysis does, and what settles it: the
    nominal intervals rest on this analysis's own replicates, `sim compare` on its --replicates; each is right for its
    replicates, so a difference near 0 can be clear of it in one and not in the other."""
    replicates = counted(nominal_count(spec), "replicate")
    return (f"How sure each nominal difference is (its 95% interval) rests on the {replicates} per scenario this "
            "analysis ran at the nominal values (fewer where the table says so). A report on other replicates, such as comparison.md from `sim "
            "compare`, may settle a small difference differently (clear of 0 in one, not in the other); each is right "
            "for its own replicates. To settle such a difference, rerun with more replicates: --nominal-replicates "
            "here, --replicates for `sim compare`.")


HELD = {"fixed": "held at the value given with --set", "fitted": "held at values fitted in the scenario file"}
"""Why an assumption with a plausible range was not drawn: what the terminal's size line and robustness.md say of the
assumptions in ``spec["fixed"]`` and ``spec["fitted"]``."""


def held_count(spec: dict[str, Any]) -> str:
    """The size line's count of assumptions held, not drawn: ' (1 held at the value given with --set, 5 held at values
    fitted in the scenario file)', '' when none is."""
    counts = [f"{len(spec[kind])} {words}" for kind, words in HELD.items() if spec.get(kind)]
    return f" ({', '.join(counts)})" if counts else ""


def _value(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else f"{value}"


def held_values(spec: dict[str, Any], kind: str) -> str:
    """The assumptions of ``spec[kind]`` ("fixed" or "fitted") with their values, a fitted one with its fit:
    'release.imprisonment_share = 0.11 (fitted in general_offenders.yaml to ...)'."""
    held = spec.get(kind) or {}
    if kind == "fixed":
        return ", ".join(f"{k} = {_value(v)}" for k, v in held.items())
    return ", ".join(f"{k} = {_value(v['value'])} ({v['fit']})" for k, v in held.items())


def held_sentence(spec: dict[str, Any]) -> str:
    """Assumed parameters the user fixed with --set or a scenario file fitted: held at that value in every draw and the
    nominal run, not drawn."""
    return "".join(f" {words[0].upper()}{words[1:]} in every draw and the nominal run, so not drawn: "
                   f"{held_values(spec, kind)}." for kind, words in HELD.items() if spec.get(kind))


SIGN_TABLE = "Do the conclusions keep their sign?"
PRIM_SECTION = "Where a conclusion loses its sign (PRIM)"


def sections(found: Robustness, spec: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """robustness.md's sections as (heading, Markdown lines), so that ``sim report`` says the same words."""
    return [("In short", [f"- {s}" for s in in_short(found)]), (SIGN_TABLE, sign_lines(found, spec)),
            (PRIM_SECTION, prim_lines(found)), (ACCEPTABILITY_SECTION, acceptability_lines(found)),
            ("What was drawn", drawn_lines(spec)), ("How to read this", READING)]


def _boxes_of(found: Robustness, scenario: str, outcome: str) -> pd.DataFrame:
    boxes = found.boxes
    return boxes[(boxes["scenario"] == scenario) & (boxes["outcome"] == outcome)]


def _ranges(box: pd.DataFrame) -> str:
    """A PRIM box's ranges in words, each assumption named as the reader meets it (``assumption_words``), with the
    range drawn and its unit."""
    return "; ".join(f"{assumption_words(b.assumption)} is between {b.low:.3g} and {b.high:.3g} (of "
                     f"{b.range_low:.3g}-{b.range_high:.3g}" + (f"; unit: {unit})" if (unit := unit_of(b.assumption))
                                                             else ")") for b in box.itertuples())


def assumption_words(key: str) -> str:
    """An assumption as a policy reader meets it: its name in words (``key_name``) with the key that sets it, e.g.
    'the chance of losing stable housing on recall (`reintegration.recall_housing_loss`)'; the key alone where the
    schema has no words for it."""
    from sim.scenarios.names import in_sentence, key_name

    name = key_name(key)  # at most NAME_ROOM characters, never cut: tests/test_parameters_doc.py checks every one
    return f"{in_sentence(name)} (`{key}`)" if name else key


NAME_ROOM = 70  # characters of an assumption's name in a sentence: a PRIM box names two or three in one


def _not_kept(row) -> int:
    """The draws not keeping the nominal sign (flips and ties); none when there is no nominal sign."""
    return 0 if row.share_keeping_sign != row.share_keeping_sign else row.flips + row.ties


def draws_not_keeping(row, sign: str) -> str:
    """The draws not keeping the nominal `sign`, in words ("2 flip it and 1 gives no difference"): a tie is no flip."""
    words = [f"{row.flips} {'flips' if row.flips == 1 else 'flip'} {sign}"] if row.flips else []
    if row.ties:
        words.append(f"{row.ties} {'gives' if row.ties == 1 else 'give'} no difference")
    return " and ".join(words)


def rarer_side(row, sign: str) -> str:
    """The rarer of the draws not keeping the nominal `sign` and those keeping it, in words: the side PRIM would
    describe, so that "too few" is said of the few ("only 4 keep it"), never of the many ("12 flip it")."""
    lost = _not_kept(row)
    return draws_not_keeping(row, sign) if lost <= row.draws - lost else f"only {row.draws - lost} keep {sign}"


def unclear_tag(row) -> str:
    """robustness.md's mark of a nominal difference whose sign is not yet a conclusion: 'not distinguishable from 0'
    (its 95% paired interval includes 0), 'no telling whether it differs from 0' (one replicate, no interval); '' when
    it is clear of 0 as ``sim compare`` reads a difference (``clear_of_zero``: the same difference in each of
    ``IDENTICAL_PAIRS`` or more replicates is clear; in fewer it is not distinguishable, and ``nominal_interval_text``
    says why), has no sign, or the folder predates the interval."""
    pairs = int(getattr(row, "nominal_pairs", 0) or 0)
    if not pairs or sign_of(row.nominal) == 0 or clear_of_zero(row.nominal, row.nominal_low, row.nominal_high, pairs):
        return ""
    return "not distinguishable from 0" if pairs >= 2 else "no telling whether it differs from 0"


def few_for_prim(row, sign: str) -> str:
    """Why PRIM says nothing of a conclusion whose rarer side (``rarer_side``) has too few draws: 'only 4 keep it, too
    few for PRIM to say where'; when no draw keeps the nominal `sign`, that none does, in plain words ('only 0 keep it,
    too few for PRIM to say where' read as if some did): then there is no region where it holds for PRIM to find."""
    if _not_kept(row) == row.draws:
        return f"none keep {sign}: it {_lost(row)} in every draw, so there is no region where it holds for PRIM to find"
    return f"{rarer_side(row, sign)}, too few for PRIM to say where"


def nominal_unclear(row, currency: str = SHIPPED_CURRENCY) -> str:
    """Why the nominal difference's sign is not yet a conclusion (``unclear_tag``), or ''.

    The draws are tested against the nominal sign; on few replicates a small difference may have that sign by
    the seeds alone, and then what the draws 'keep' or 'flip' is noise, not a test of the assumptions."""
    tag = unclear_tag(row)
    if not tag:
        return ""
    said = f"the difference is {tag}" if tag.startswith("not") else f"there is {tag}"
    return (f"at the nominal values {said} ({nominal_interval_text(row, currency)}): its sign may be the seeds', so "
            "what the draws keep or flip may be noise; raise --nominal-replicates")


def nominal_interval_text(row, currency: str = SHIPPED_CURRENCY) -> str:
    """The nominal difference's 95% paired interval in words ('95% CI -1.2 points to -0.3 points over 10 paired
    replicates'), or why it has none; '' for a folder written before the interval. A difference is never claimed
    without the interval that says whether it is more than the seeds'."""
    pairs = int(getattr(row, "nominal_pairs", 0) or 0)
    if not pairs:
        return ""
    low, high, form = row.nominal_low, row.nominal_high, difference_form(row.outcome, currency)
    return ("one replicate, so no interval" if pairs == 1 else
            f"no interval: {too_few_said(pairs)}" if too_few_alike(row.nominal, low, pairs) else
            "the same difference in every replicate, so no interval" if low != low else
            f"95% CI {form(low)} to {form(high)} over {pairs} paired replicates"
            + cut_said(row.nominal, low, high))


def _lost(row) -> str:
    """What the difference does in the draws not keeping its sign: it flips, it is zero, or either."""
    return "flips or is zero" if row.flips and row.ties else "is zero" if row.ties else "flips"


def cost_words(row, currency: str) -> tuple[str, str]:
    """The cost conclusion's nominal difference in plain words ('costs GBP 1,200 more', 'saves GBP 300') and what a
    draw keeping its sign does ('costs more', 'saves'): a policy reader asks what a scenario costs, not for a signed
    difference."""
    amount = signed_money(abs(row.nominal), currency)[1:]  # 'GBP 1,200', rounded as the signed differences are
    return (f"costs {amount} more", "costs more") if row.nominal > 0 else (f"saves {amount}", "saves")


def in_short(found: Robustness) -> list[str]:
    """One sentence per conclusion: its nominal difference, the share of draws keeping its sign, where it does not.
    The cost conclusion says what the scenario costs or saves per person released, in the currency and price year; then
    one per scenario on whether it is worth its cost (``acceptability_short``)."""
    lines = []
    for row in found.table.itertuples():
        form, signed = found.form(row.outcome), row.share_keeping_sign == row.share_keeping_sign
        # a nominal sign that may be the seeds' is said before the share of draws keeping it, which is then not set
        # in bold: '**100%** of 8 draws' came first, and the reader took it for a finding before the 'But ...'
        unclear, tag = nominal_unclear(row, found.currency), unclear_tag(row)
        named = f"{found.named(row.scenario)} against {found.title(row.reference)}"
        if row.outcome == COST:
            per = f"per person released {found.over_the_run()} at the nominal values ({found.price_year} prices)"
            if not signed:
                lines.append(f"{named}: costs the same {per}: no sign to keep.")
                continue
            nominal, kept = cost_words(row, found.currency)
            opening = f"{named}: {nominal} {per} and {kept} in"
        else:
            said = f"{named}: the difference in {describe(row.outcome)}"
            if not signed:
                lines.append(f"{said} is {form(row.nominal)} at the nominal values: no sign to keep.")
                continue
            opening = (f"{said} ({form(row.nominal)} at the nominal values{f', {tag} there' if unclear else ''}) "
                       "keeps its sign in")
        share = percent(row.share_keeping_sign, 0)
        sentence = (f"{opening} {share if unclear else f'**{share}**'} of {found.counted(row)} ({kept_interval(row)}; "
                    f"90% of them give {form(row.p05)} to {form(row.p95)})")
        box, lost = _boxes_of(found, row.scenario, row.outcome), _not_kept(row)
        if not box.empty and box["box_holds"].iloc[0] == NOT_KEPT:
            sentence += f"; it {_lost(row)} mostly when {_ranges(box)}{held_out_tag(box)}"
        elif not box.empty:
            sentence += f"; it holds mostly when {_ranges(box)}{held_out_tag(box)}"
        elif lost and min(lost, row.draws - lost) < MIN_FOR_PRIM:
            sentence += f"; {few_for_prim(row, 'it')}"
        elif lost:
            sentence += f"; the draws where it {_lost(row)} lie in no region of the assumptions PRIM can describe"
        lines.append(sentence + (f". But {unclear}." if unclear else "."))
    return lines + acceptability_short(found)


SHARE_MEANS = ("The draws vary the sizes the model assumes, within ranges that are themselves assumed; they never vary "
               "its rules (which mechanisms exist and how they connect). So a share near 100% says that the conclusion "
               "follows from the model's rules whatever those sizes, not that it holds outside the model; and a share "
               "of draws is not the chance that it holds: the draws spread evenly over what is plausible, not over "
               "what is likely.")
"""Under the table of signs: '100% of 64 draws' read as certainty about the world, where it is certainty about the
model, whose rules the draws do not touch."""


def kept_interval(row) -> str:
    """The 95% Wilson interval of the share of draws keeping the sign, as the draws allow it: 32 draws that all
    keep it still allow one draw in nine to flip it (95% CI 89 to 100%)."""
    return share_interval(*wilson(round(row.share_keeping_sign * row.draws), row.draws))


def sign_lines(found: Robustness, spec: dict[str, Any]) -> list[str]:
    """The table of conclusions and their signs, with how sure each nominal difference is and what it rests on
    (``other_replicates``, for a folder that records the nominal intervals)."""
    t = found.table
    text = ["| scenario | outcome | nominal difference | share of draws keeping the sign | draws flipping it | "
            "draws with no difference | 5%-95% of draws |", "|---|---|---|---|---|---|---|"]
    for row in t.itertuples():
        form = found.form(row.outcome)
        share = "n/a (nominal difference 0)" if row.share_keeping_sign != row.share_keeping_sign \
            else f"{percent(row.share_keeping_sign, 0)} ({kept_interval(row)})"
        said = [part for part in (nominal_interval_text(row, found.currency), unclear_tag(row)) if part]
        nominal = form(row.nominal) + (f" ({'; '.join(said)})" if said else "")
        text.append(f"| {found.named(row.scenario)} | {describe(row.outcome)} | {nominal} | {share} | {row.flips} | "
                    f"{row.ties} | {form(row.p05)} to {form(row.p95)} |")
    if "nominal_pairs" in t and (t["nominal_pairs"].fillna(0) > 0).any():  # a folder that records the intervals
        text += ["", other_replicates(spec)]
    text += ["", "Each share is out of the draws that ran: a draw giving no difference (both scenarios alike, e.g. "
             "when an assumption switches a mechanism off) neither keeps the sign nor flips it, so it lowers the "
             f"share without counting as a flip. {SHARE_MEANS}"]
    short = [row for row in t.itertuples() if row.draws < len(found.draws)]
    if short:
        text[-1] += (" A draw with no value for a conclusion is left out of its share: "
                     + "; ".join(f"{found.named(r.scenario)}, {describe(r.outcome)}: out of {found.counted(r)}"
                                 for r in short) + ".")
    fragile = t[t["share_keeping_sign"] < 0.5]
    if not fragile.empty:
        text += ["", "Conclusions whose nominal sign holds in fewer than half the draws: "
                 + "; ".join(f"{found.named(r.scenario)}, {describe(r.outcome)}"
                             + (f" ({tag} at the nominal values either)" if (tag := unclear_tag(r)) else "")
                             for r in fragile.itertuples())
                 + ". Across the plausible ranges most draws flip them or give no difference."]
    if any(unclear_tag(r) for r in t.itertuples()):
        text += ["", "A nominal difference marked not distinguishable from 0 has a 95% paired interval over the nominal "
                 "replicates that includes 0, and one marked no telling rests on a single replicate: the sign the draws "
                 "are tested against may be the seeds', not the policy's. Rerun the same command into this folder with "
                 "more --nominal-replicates before reading its share or PRIM box: every draw already run is reused, "
                 "and only the nominal comparison's new replicates run."]
    return text


def box_finding(found: Robustness, scenario: str, outcome: str) -> str:
    """What PRIM's box of a conclusion holds, in words: the draws where the difference flips or is zero, or the rest."""
    t = found.table
    row = next(t[(t["scenario"] == scenario) & (t["outcome"] == outcome)].itertuples())
    if _boxes_of(found, scenario, outcome)["box_holds"].iloc[0] == NOT_KEPT:
        return f"the difference {_lost(row)}"
    return f"the nominal sign holds (the difference {_lost(row)} in most draws)"


PRIM_PLAIN = ("PRIM (the Patient Rule Induction Method) searches the drawn assumptions for the ranges within which a "
              "conclusion most often fails to hold, so that a reader knows which assumptions to check before relying on it.")


def prim_lines(found: Robustness) -> list[str]:
    t, text = found.table, [PRIM_PLAIN, ""]
    for row in t.itertuples():
        lost = _not_kept(row)
        rare = min(lost, row.draws - lost)
        if lost and (rare < MIN_FOR_PRIM or _boxes_of(found, row.scenario, row.outcome).empty):
            # too few is said of the rarer side: the draws not keeping the sign are named just before
            few = "too few for PRIM to say where" if rare == lost else few_for_prim(row, "it")
            why = few if rare < MIN_FOR_PRIM else \
                f"PRIM finds no box that cuts any range by {percent(MIN_CUT, 0)} (scattered: noise or many small influences)"
            text.append(f"- {found.named(row.scenario)}, {describe(row.outcome)}: of {found.counted(row)}, "
                        f"{draws_not_keeping(row, 'the sign')}; {why}.")
    if not any(_not_kept(row) for row in t.itertuples()):
        text.append("Every draw keeps the sign of every conclusion.")
    for (scenario, outcome), box in found.boxes.groupby(["scenario", "outcome"], sort=False):
        first = box.iloc[0]
        row = next(t[(t["scenario"] == scenario) & (t["outcome"] == outcome)].itertuples())
        held = _not_kept(row) if first["box_holds"] == NOT_KEPT else row.draws - _not_kept(row)
        text.append(f"- {found.named(scenario)}, {describe(outcome)}: {box_finding(found, scenario, outcome)} mostly when "
                    f"{_ranges(box)}. This box holds "
                    f"{percent(first['coverage'], 0)} of those draws, and {percent(first['density'], 0)} of the draws "
                    f"in it are such draws, against {percent(held / row.draws, 0)} of all {row.draws} draws"
                    + ("" if first["density"] >= 0.5 else ": most draws within these ranges are not, so the ranges "
                       "say where to look, not where it happens") + "."
                    + held_out_words(first, len(searched_by_prim(found.factors, outcome))))
    return text


def held_out_words(box: pd.Series, assumptions: int) -> str:
    """' Tested on draws it was not found on, ...': whether a box's row (``robustness_analysis.held_out_test``'s
    columns) beats chance, in words; '' for a folder written before the test."""
    verdict, get = box.get("held_out"), box.get
    chance = (f" Over {assumptions} assumptions PRIM finds some box in any draws, however labelled, so read this one "
              "as a place to look, not a finding.")
    refute = f" Nor is it shown to be spurious: {CANNOT_REFUTE}."
    if verdict == TOO_FEW:
        return (" Too few such draws to test it on draws it was not found on (half of them, or of the others, would "
                f"be fewer than {MIN_FOR_PRIM}): read it as a place to look, not a finding, or raise --draws.")
    if verdict not in (BEATS_CHANCE, NO_BETTER):
        return ""
    if get("held_out_inside") != get("held_out_inside"):  # NaN: PRIM found no box on the half
        return " Tested on draws it was not found on, it does not beat chance: PRIM run the same way on half the " \
               "draws finds no box there." + chance + refute
    said = (f" Tested on draws it was not found on, it {'beats' if verdict == BEATS_CHANCE else 'does not beat'} chance: "
            "PRIM run the same way on half the draws (chosen at random) finds a box in which "
            f"{_share(get('held_out_density'))} of the other half's {int(get('held_out_inside'))} draws inside it are "
            f"such draws, against {_share(get('held_out_outside_density'))} of those outside it (Fisher's exact test, "
            f"one-sided p = {get('held_out_p'):.3g}).")
    return said + ("" if verdict == BEATS_CHANCE else chance + refute)


def held_out_tag(box: pd.DataFrame) -> str:
    """In short's few words on whether a conclusion's box beats chance on held-out draws ('' for an older folder)."""
    verdict = box["held_out"].iloc[0] if "held_out" in box else None
    return {BEATS_CHANCE: " (a box that beats chance on held-out draws)",
            NO_BETTER: " (but a box no better than chance on held-out draws: a place to look, not a finding; "
                       f"{CANNOT_REFUTE})",
            TOO_FEW: " (too few draws to test the box on held-out draws: a place to look, not a finding)"}.get(verdict, "")


def _share(value: float) -> str:
    return "n/a" if value != value else percent(value, 0)


def drawn_lines(spec: dict[str, Any]) -> list[str]:
    """robustness.md's table of what was drawn: each assumption by name (``key_name``), key, unit and range."""
    from sim.scenarios.names import key_name

    return ["| assumption | key | unit | drawn between |", "|---|---|---|---|",
            *(f"| {key_name(k) or k} | `{k}` | {unit_of(k)} | {readable(lo)} to {readable(hi)} |"
              for k, (lo, hi) in spec["factors"].items()),
            *(f"\nNot drawn, {words}: {held_values(spec, kind)}." for kind, words in HELD.items() if spec.get(kind))]


READING = [
    "- A share near 100% means the conclusion holds whatever the assumptions within their plausible ranges; "
    "near 50% means the sign is decided by the assumptions, not by the policy.",
    "- The cost is each run's whole cost over the run per person released in it, priced with the draw's prices: an "
    "assumed price is drawn with the other assumptions, so the share of draws keeping the cost's sign says whether "
    "what a scenario costs against the reference would change with the prices, and the middle 90% by how much. PRIM "
    "names a price only for the cost: a price cannot change what happens in a run.",
    "- Each draw's difference is the mean over its replicates paired across scenarios (those with a value in both), "
    "so some sign changes are noise when the "
    "nominal difference is small: compare the nominal difference with the spread.",
    "- PRIM (Friedman & Fisher 1999; EMA Workbench) peels the space of assumptions down to the box richest "
    "in draws not keeping the sign (flips and draws with no difference); only the assumptions it restricts are "
    "listed. draws.csv holds every draw; robustness.csv and prim_boxes.csv the tables; figures/robustness.png the "
    "spread of each difference and figures/prim_<scenario>_<outcome>.png each PRIM box over its two most "
    "restricted assumptions; acceptability.csv and figures/acceptability.png the acceptability curve.",
    "- Over many assumptions and a few dozen draws PRIM finds some box whatever the draws, and the densest box it finds "
    "is dense partly by selection. So each box is tested on draws it was not found on: PRIM runs the same way on half "
    "the draws (chosen at random from the run's seed, half of each kind), and Fisher's exact test asks whether the other "
    "half's draws inside that box are richer in such draws than those outside it. A box that does not beat chance "
    "(p >= 0.05) says where to look, not where the conclusion fails; nor does it show that there is no such region: "
    f"{CANNOT_REFUTE}. Draws of more --replicates flip less at random, which the check needs more than more --draws.",
]


def kept_text(row, found: Robustness | None = None) -> str:
    """A conclusion's share of draws keeping its sign, as robustness.md says it (with `found`, why some draws have no
    value, ``Robustness.counted``)."""
    if row.share_keeping_sign != row.share_keeping_sign:  # NaN: nothing to keep
        return "no sign to keep (nominal difference 0)"
    return f"keeps its sign in {percent(row.share_keeping_sign, 0)} of {found.counted(row) if found else f'{row.draws} draws'}"

"""Live curves: one scenario on the dashboard, two overlaid on the comparison page."""

# ruff: noqa: N802 - Solara components are named like classes, as in Solara's and Mesa's own code

from __future__ import annotations

import solara
from mesa.visualization.utils import update_counter

from sim.dashboard.drawing import CurvesPicture
from sim.dashboard.session import ComparisonModel, TrainerModel
from sim.figures import palette


def colours(names: list[str]) -> list[str]:
    """Hex colours from the project's colour-blind-safe palette, in order."""
    shades = palette([f"{i}" for i in range(len(names))])
    return ["#" + "".join(f"{int(255 * c):02x}" for c in shades[f"{i}"][:3]) for i in range(len(names))]


@solara.component
def LiveCurves(model: TrainerModel):
    update_counter.get()
    picture = solara.use_memo(lambda: CurvesPicture([(model.settings.name, model, colours(["a"])[0])]), [model])
    picture_bytes = picture.update()
    with solara.Column(gap="4px", classes=["sim-curves"]):
        solara.HTML(tag="div", unsafe_innerHTML=headline(model))
        solara.Image(picture_bytes, width="100%", format="jpeg")
    model.drawn()


@solara.component
def ComparisonCurves(model: ComparisonModel):
    update_counter.get()
    names = [model.left.settings.name, model.right.settings.name]
    if names[0] == names[1]:
        names = [f"{names[0]} (A)", f"{names[1]} (B)"]
    shades = colours(names)
    picture = solara.use_memo(
        lambda: CurvesPicture([(names[0], model.left, shades[0]), (names[1], model.right, shades[1])]), [model]
    )
    picture_bytes = picture.update()
    with solara.Column(gap="4px", classes=["sim-curves"]):
        solara.HTML(tag="div", unsafe_innerHTML=f"<b class='sim-week'>Week {model.week}</b>, same seed ({model.pair.seed})")
        for name, run, shade in zip(names, (model.left, model.right), shades, strict=True):
            solara.HTML(tag="div", unsafe_innerHTML=f"<span style='color:{shade}'>&#9632;</span> <b>{name}</b>: {headline(run, week=False)}")
        solara.Image(picture_bytes, width="100%", format="jpeg")
    model.drawn()


def headline(model: TrainerModel, week: bool = True) -> str:
    """This week's numbers in words, for the room at the back that cannot read the axes."""
    row = model.history[-1]
    felt = row["experienced_stigma"]
    text = (f"{100 * row['reoffended']:.1f}% reoffended, {100 * row['recalled']:.1f}% recalled of "
            f"{row['released']} released; stigma {row['community_stigma']:.2f} in the community, "
            f"{'-' if felt != felt else f'{felt:.2f}'} felt by released people; "
            f"{row['ngo_waitlist']:.0f} on the NGO waitlist")
    return f"<b class='sim-week'>Week {model.week}</b>: {text}" if week else text

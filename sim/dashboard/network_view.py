"""The network view: the sampled network as a picture, with its legend and the week, refreshed every update."""

# ruff: noqa: N802 - Solara components are named like classes, as in Solara's and Mesa's own code

from __future__ import annotations

import solara
from mesa.visualization.utils import update_counter

from sim.agents.states import Status
from sim.dashboard.drawing import NetworkPicture
from sim.dashboard.network_sample import STATUS_COLOURS, STATUS_LABELS
from sim.dashboard.session import TrainerModel

# The dots' colour scale on one line, its ends named on either side of it: as "community member's stigma: [scale]
# accepting -> rejecting" it took two lines at 1280x720, the second at or below the bottom of the screen.
STIGMA_KEY = ("<small style='white-space:nowrap'>stigma: accepting <span style='display:inline-block;width:64px;"
              "height:10px;vertical-align:middle;border:1px solid #999;"
              "background:linear-gradient(to right,#fcfbfd,#3f007d)'></span> rejecting</small>")
CHIP = "display:inline-block;width:14px;height:14px;margin:0 4px 0 10px;border:1px solid #333;vertical-align:middle"


@solara.component
def NetworkView(model: TrainerModel):
    update_counter.get()  # re-render after every step, like SolaraViz's own components
    picture = solara.use_memo(lambda: NetworkPicture(model), [model])
    picture_bytes = picture.update()
    counts = model.status_counts()
    with solara.Column(gap="4px", classes=["sim-network"]):
        solara.HTML(tag="div", unsafe_innerHTML=f"<b class='sim-week'>Week {model.week}</b> &middot; {caption(model)}")
        solara.Image(picture_bytes, width="100%", format="jpeg")
        solara.HTML(tag="div", unsafe_innerHTML=f"<small>{status_key(counts)}</small>")
        solara.HTML(tag="div", classes=["sim-stigma-key"], unsafe_innerHTML=STIGMA_KEY)


def status_key(counts: dict[str, int]) -> str:
    """The colour of each status with its name and count (1,000, as the caption and headline write it). Each square is
    kept on one line with its name: at 1280x720 the key wraps, and a square left at the end of a line was read as the
    next line's colour."""
    return " ".join(
        f"<span style='white-space:nowrap'><span style='{CHIP};background:{STATUS_COLOURS[s]}'></span>"
        f"{STATUS_LABELS[s]} ({counts[s.name.lower()]:,})</span>" for s in Status
    )


def caption(model: TrainerModel) -> str:
    """What the picture shows; when the cohort is larger than the squares drawn (General offenders: 1,000 released),
    it says how many are drawn, since the counts below the picture are of everyone."""
    drawn, everyone = model.network_sample.released.size, model.cohort.size
    some = f"; {drawn:,} of the {everyone:,} drawn" if drawn < everyone else ""
    return f"released people (squares{some}) among neighbours of their homes (dots)"

"""The agent topology as inline SVG pictures, for the self-contained HTML report.

Pure function of (Project, findings) -> text, like ``agentlint.report.topology`` (whose view,
``agentlint.report.topology_view``, it reuses: sorted entities, loop marks, findings placed): no I/O, no clock, no script, nothing
fetched at view time, byte-identical output for the same project.

Layout: layers by breadth-first depth from the entry (then from agents without
predecessors, then from whatever is left, in name order); within a layer, agents are ordered
by the mean position of their predecessors, then by name. Forward edges run down as gentle
curves; back edges (to the same or an earlier layer) bow out on the right. Edges inside an
unbounded or endless loop are red, others grey; call and delegate edges are dashed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from agentlint.findings import Finding
from agentlint.model.entities import EdgeKind
from agentlint.model.project import Project
from agentlint.report.topology_view import (
    ENDLESS, FILL, STROKE, UNBOUNDED, View, agent_lines, build_views, edge_label, worst_severity,
)

MAX_AGENTS = 200
TOO_LARGE = "graph too large to draw; see <code>agentlint graph</code>"
LEGEND = ("Rounded thick border: entry · green double border: terminal · dashed border: undefined agent · "
          "tinted: has findings (red error, amber warning, blue info) · red edge: inside an unbounded or endless "
          "loop · dashed edge: call or delegate · edges curving on the right go back up.")

RED, GREY, TERMINAL, PLAIN = "#d62728", "#777777", "#2ca02c", "#555555"
BOX_H, LAYER_GAP, NODE_GAP, MARGIN, FONT = 36, 52, 28, 16, 13
CHAR_W = 7.4  # mean advance of a 13px sans-serif character, for box widths
MAX_CHARS = 30


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(value: str) -> str:
    """XML-safe text: escaped, control characters (invalid in XML 1.0) as spaces."""
    return escape("".join(" " if ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF or c in "\ufffe\uffff" else c
                          for c in value))


def _short(name: str) -> str:
    return name if len(name) <= MAX_CHARS else name[:MAX_CHARS - 1] + "…"


def _layers(view: View) -> dict[str, int]:
    """Node -> layer: BFS depth from the entry, then from nodes without predecessors, then
    from the first unplaced node in name order."""
    nodes = [a.name for a in view.agents] + view.undefined
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    preds: dict[str, set[str]] = {n: set() for n in nodes}
    for edge in view.edges:
        succ[edge.source].append(edge.target)
        if edge.source != edge.target:
            preds[edge.target].add(edge.source)
    depth: dict[str, int] = {}

    def bfs(starts: list[str]) -> None:
        queue = [s for s in starts if s not in depth]
        for s in queue:
            depth[s] = 0
        i = 0
        while i < len(queue):
            node = queue[i]
            i += 1
            for nxt in succ[node]:
                if nxt not in depth:
                    depth[nxt] = depth[node] + 1
                    queue.append(nxt)

    if view.entry is not None:
        bfs([view.entry])
    bfs([n for n in nodes if not preds[n]])
    while len(depth) < len(nodes):
        rest = [n for n in nodes if n not in depth]
        free = [n for n in rest if not (preds[n] - depth.keys() - {n})] or rest
        bfs(free[:1])
    return depth


def _svg(view: View, prefix: str) -> str:
    depth = _layers(view)
    names = [a.name for a in view.agents] + view.undefined
    width = {n: max(90.0, round(len(_short(n)) * CHAR_W + 28)) for n in names}
    preds: dict[str, list[str]] = {n: [] for n in names}
    for edge in view.edges:
        preds[edge.target].append(edge.source)
    layers: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for name in names:
        layers[depth[name]].append(name)
    order: dict[str, float] = {}
    for layer in layers:
        def key(n: str) -> tuple[float, str]:
            placed = [order[p] for p in preds[n] if p in order and depth[p] < depth[n]]
            return (sum(placed) / len(placed) if placed else -1.0, n)
        layer.sort(key=key)
        for i, n in enumerate(layer):
            order[n] = float(i)
    rows = [sum(width[n] for n in layer) + NODE_GAP * (len(layer) - 1) for layer in layers]
    inner = max(rows, default=0.0)
    back_list = [i for i, e in enumerate(view.edges) if depth[e.target] <= depth[e.source]]
    back = {i: k for k, i in enumerate(back_list)}
    room = LAYER_GAP / 2 + 6 if back else 0  # for back edges above the first and below the last layer
    first = MARGIN + room
    height = first + len(layers) * BOX_H + max(len(layers) - 1, 0) * LAYER_GAP + room + MARGIN
    x: dict[str, float] = {}  # box centre
    y: dict[str, float] = {}  # box top
    for d, layer in enumerate(layers):
        left = MARGIN + (inner - rows[d]) / 2
        for n in layer:
            x[n] = left + width[n] / 2
            y[n] = first + d * (BOX_H + LAYER_GAP)
            left += width[n] + NODE_GAP
    total_w = MARGIN * 2 + inner + (24 + 12 * len(back) if back else 0)

    # ports: spread a node's outgoing (incoming) forward edges along its bottom (top) side
    outs: dict[str, list[int]] = {}
    ins: dict[str, list[int]] = {}
    for i, e in enumerate(view.edges):
        if i not in back:
            outs.setdefault(e.source, []).append(i)
            ins.setdefault(e.target, []).append(i)

    def ports(groups: dict[str, list[int]], other: str) -> dict[int, float]:
        out = {}
        for node, edges in groups.items():
            edges.sort(key=lambda i: (x[getattr(view.edges[i], other)], i))
            span = width[node] / 2
            for k, i in enumerate(edges):
                out[i] = x[node] + (span * ((k + 1) / (len(edges) + 1)) - span / 2 if len(edges) > 1 else 0)
        return out

    out_x, in_x = ports(outs, "target"), ports(ins, "source")
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" class="topology" width="{_num(total_w)}" '
         f'height="{_num(height)}" viewBox="0 0 {_num(total_w)} {_num(height)}" role="img" '
         f'aria-label="{_text("Agent topology of " + view.graph.name)}" font-family="Helvetica, Arial, sans-serif" '
         f'font-size="{FONT}">',
         f"<title>{_text(view.graph.name)}</title>", "<defs>"]
    for tag, colour in (("grey", GREY), ("red", RED)):
        o.append(f'<marker id="{prefix}-{tag}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
                 f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')
    o.append("</defs>")
    right = MARGIN + inner
    for i, e in enumerate(view.edges):
        mark = view.loop[i]
        red = mark in (ENDLESS, UNBOUNDED)
        colour = RED if red else GREY
        stroke_w = 3 if mark == ENDLESS else 2 if red else 1.5
        if i in back:
            # down into the gap below the source, out to a lane right of every box, up to
            # the gap above the target and into its top: boxes are never crossed
            k = back[i]
            lane = right + 20 + 12 * k
            jog = (k % 3 - 1) * 5
            sx, sy = x[e.source] + width[e.source] * 0.3, y[e.source] + BOX_H
            tx, ty = x[e.target] + width[e.target] * 0.3, y[e.target] - 1
            low, high = sy + LAYER_GAP / 2 + jog, y[e.target] - LAYER_GAP / 2 + jog
            r = 8
            d = (f"M{_num(sx)},{_num(sy)} L{_num(sx)},{_num(low - r)} Q{_num(sx)},{_num(low)} {_num(sx + r)},{_num(low)} "
                 f"L{_num(lane - r)},{_num(low)} Q{_num(lane)},{_num(low)} {_num(lane)},{_num(low - r)} "
                 f"L{_num(lane)},{_num(high + r)} Q{_num(lane)},{_num(high)} {_num(lane - r)},{_num(high)} "
                 f"L{_num(tx + r)},{_num(high)} Q{_num(tx)},{_num(high)} {_num(tx)},{_num(high + r)} L{_num(tx)},{_num(ty)}")
        else:
            sx, sy = out_x[i], y[e.source] + BOX_H
            tx, ty = in_x[i], y[e.target] - 1
            mid = (ty - sy) / 2
            d = f"M{_num(sx)},{_num(sy)} C{_num(sx)},{_num(sy + mid)} {_num(tx)},{_num(ty - mid)} {_num(tx)},{_num(ty)}"
        dash = ' stroke-dasharray="5 4"' if e.kind in (EdgeKind.DELEGATE, EdgeKind.CALL) else ""
        label = edge_label(view, i)
        title = f"{e.source} → {e.target}" + (f" ({label})" if label else "") + (f" [{mark} loop]" if mark else "")
        o.append(f'<path class="edge{" loop" if red else ""}" data-source="{_text(e.source)}" '
                 f'data-target="{_text(e.target)}" d="{d}" fill="none" stroke="{colour}" '
                 f'stroke-width="{_num(stroke_w)}"{dash} marker-end="url(#{prefix}-{"red" if red else "grey"})">'
                 f"<title>{_text(title)}</title></path>")
    agents = {a.name: a for a in view.agents}
    for n in names:
        left, top, w = x[n] - width[n] / 2, y[n], width[n]
        agent = agents.get(n)
        worst = worst_severity(view.agent_findings.get(n, [])) if agent else None
        fill = FILL[worst] if worst else ("#f4f4f4" if agent is None else "#ffffff")
        stroke = TERMINAL if n in view.terminals else STROKE[worst] if worst else PLAIN
        entry = n == view.entry
        rx = BOX_H / 2 if entry else 6
        extra = ' stroke-dasharray="5 4"' if agent is None else ""
        lines = agent_lines(view, agent) if agent else [n, "(undefined)"]
        o.append(f'<g class="node" data-name="{_text(n)}"><title>{_text(" · ".join(lines))}</title>')
        o.append(f'<rect x="{_num(left)}" y="{_num(top)}" width="{_num(w)}" height="{BOX_H}" rx="{_num(rx)}" '
                 f'fill="{fill}" stroke="{stroke}" stroke-width="{3 if entry else 1.5}"{extra}/>')
        if n in view.terminals:
            o.append(f'<rect x="{_num(left + 3.5)}" y="{_num(top + 3.5)}" width="{_num(w - 7)}" height="{BOX_H - 7}" '
                     f'rx="{_num(max(rx - 3.5, 2))}" fill="none" stroke="{TERMINAL}" stroke-width="1"/>')
        weight = ' font-weight="bold"' if entry else ""
        o.append(f'<text x="{_num(x[n])}" y="{_num(top + BOX_H / 2 + FONT * 0.35)}" text-anchor="middle" '
                 f'fill="#111111"{weight}>{_text(_short(n))}</text></g>')
    o.append("</svg>")
    return "\n".join(o)


def svgs(project: Project, findings: Iterable[Finding] = (), graphs: Sequence[str] | None = None) -> list[tuple[str, str | None]]:
    """(graph name, SVG text) for each graph in name order; None for a graph too large to draw."""
    out: list[tuple[str, str | None]] = []
    for index, view in enumerate(build_views(project, findings, graphs)):
        if len(view.agents) + len(view.undefined) > MAX_AGENTS:
            out.append((view.graph.name, None))
        else:
            out.append((view.graph.name, _svg(view, f"al-topology-{index + 1}")))
    return out


def render(project: Project, findings: Iterable[Finding] = (), graphs: Sequence[str] | None = None) -> str:
    """An HTML fragment: per graph, its name as a heading and its picture; "" without graphs."""
    pictures = svgs(project, findings, graphs)
    if not pictures:
        return ""
    out = []
    for name, svg in pictures:
        out.append(f'<figure class="topology">\n<h3>{_text(name)}</h3>')
        out.append(svg if svg is not None else f'<p class="too-large">{TOO_LARGE}</p>')
        out.append("</figure>")
    out.append(f'<p class="legend">{_text(LEGEND)}</p>')
    return "\n".join(out) + "\n"

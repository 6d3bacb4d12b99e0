"""Draw summitkg's GraphML export with igraph, a second network tool, for the README screenshot.

igraph reads the file with its own GraphML parser and colours nodes by the ``class_label``
attribute the export carries, with each edge labelled by its property, as Gephi or Cytoscape
would show them. Not part of the package; run it in any environment with igraph and cairocffi:

    summitkg export -o summitkg.graphml --no-void
    pip install igraph cairocffi && python docs/screenshots/render_igraph.py summitkg.graphml out.png
"""

import sys

import cairocffi as cairo
import igraph as ig

graph = ig.Graph.Read_GraphML(sys.argv[1])
classes = sorted(set(graph.vs["class_label"]))
palette = ig.drawing.colors.ClusterColoringPalette(len(classes))
colour = {name: palette[i] for i, name in enumerate(classes)}
plot = ig.Plot(bbox=(2000, 1300), background="white")
plot.add(graph, bbox=(60, 60, 1640, 1260), layout=graph.layout_fruchterman_reingold(niter=2000),
         vertex_color=[colour[c] for c in graph.vs["class_label"]], vertex_size=16,
         vertex_label=graph.vs["label"], vertex_label_size=12, vertex_label_dist=1.4,
         edge_label=graph.es["label"], edge_label_size=9, edge_color="#9a9a9a", edge_arrow_size=0.6)
plot.redraw()
context = cairo.Context(plot.surface)
context.set_font_size(13)
context.set_source_rgb(0, 0, 0)
context.move_to(1690, 40)
context.show_text(f"{graph.vcount()} entities, {graph.ecount()} relations; colour = class_label")
for row, name in enumerate(classes):
    y = 70 + row * 21
    context.set_source_rgba(*colour[name])
    context.arc(1700, y - 4, 6, 0, 6.3)
    context.fill()
    context.set_source_rgb(0, 0, 0)
    context.move_to(1714, y)
    context.show_text(name)
plot.save(sys.argv[2])

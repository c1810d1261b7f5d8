// The quick layer: a drag's changed paths drawn in the frame of the input, on a canvas of their own.
//
// One expression (its value: {paint, commit}), evaluated once per page by the page modules' loader.
//
// A BokehJS repaint costs a plot far more than what changed: every renderer's data, visuals and masks
// are taken again and the whole plot — contours, grids, axes, every glyph — is drawn again and
// committed to the screen (≈ 57 ms a state on /ravine in this machine's software rendering; docs/speed.md).
// So while a module paints state after state, what it changes in a plot is drawn here instead: its
// lines and dots (Line and Scatter glyphs), its labels and its spans, on a canvas laid between the
// plot's own layers, with the plot's own visuals (colours, widths, dashes, fonts, marker shapes), where
// the plot's scales put them. BokehJS stops drawing those renderers until the state rests (REST_MS
// without a new one): then every change is set on the models as the module set it, BokehJS paints the
// rested state itself and the canvas is cleared, in the same task.
//
// A state that changes anything else in a plot (a range, so its axes; an area, a bar, an image; a
// glyph whose colour comes from its data) is painted by BokehJS at once, as without this layer, with
// every change held until then. Models outside the plots (readouts) are set as they come.
(() => {
  "use strict";
  const REST_MS = 150;
  const { HasProps } = Bokeh.require("core/has_props");
  const { is_equal } = Bokeh.require("core/util/eq");
  const { marker_funcs } = Bokeh.require("models/glyphs/defs");
  const { RendererView } = Bokeh.require("models/renderers/renderer");
  const LEVELS = ["image", "underlay", "glyph", "guide", "annotation", "overlay"];
  const CLIPPED = new Set(["image", "underlay", "glyph"]); // as BokehJS clips them to the frame
  const DOTS_ONCE = "dots-once"; // a scatter's filter that only leaves out dots drawn on another

  // While a module paints, every model change is recorded here instead of made.
  let recording = null;
  const setv = HasProps.prototype.setv;
  if (!HasProps.prototype.__momentumQuick) {
    HasProps.prototype.setv = function (attrs, options = {}) {
      if (recording === null || options.silent) return setv.call(this, attrs, options);
      recording.push([this, attrs instanceof Map ? Object.fromEntries(attrs) : { ...attrs }]);
    };
    // A renderer this layer draws is not drawn by its plot meanwhile.
    const displayed = Object.getOwnPropertyDescriptor(RendererView.prototype, "displayed");
    Object.defineProperty(RendererView.prototype, "displayed", {
      configurable: true,
      get() {
        return this.__quick !== true && displayed.get.call(this);
      },
    });
    HasProps.prototype.__momentumQuick = true;
  }

  // Where each model is drawn: its plot, and the renderers that draw a source (built per document).
  const indexes = new WeakMap();
  const indexOf = (doc) => {
    let index = indexes.get(doc);
    if (index !== undefined && index.size === doc.all_models.size) return index;
    index = { size: doc.all_models.size, plotOf: new Map(), users: new Map(), ranges: new Set() };
    const use = (source, user) => {
      if (!index.users.has(source)) index.users.set(source, []);
      index.users.get(source).push(user);
    };
    for (const model of doc.all_models) {
      if (model.data_source != null) use(model.data_source, model);
      else if (model.source != null) use(model.source, model);
      if (Array.isArray(model.renderers) && Array.isArray(model.center) && model.x_range != null) {
        for (const part of [...model.renderers, ...model.center, ...model.above, ...model.below,
                            ...model.left, ...model.right])
          index.plotOf.set(part, model);
        const values = (named) => (named instanceof Map ? [...named.values()] : Object.values(named ?? {}));
        const ranges = [model.x_range, model.y_range, ...values(model.extra_x_ranges), ...values(model.extra_y_ranges)];
        for (const range of ranges) {
          index.plotOf.set(range, model);
          index.ranges.add(range);
        }
      }
    }
    indexes.set(doc, index);
    return index;
  };

  const columnOf = (data, name) => (data instanceof Map ? data.get(name) : data[name]);
  const isField = (spec) => spec != null && typeof spec === "object" && "field" in spec && spec.transform == null;
  const isValue = (spec) => !(spec != null && typeof spec === "object" && ("field" in spec || "expr" in spec));

  // Can this layer draw the renderer as its plot would? A Line or a Scatter whose place comes from two
  // columns and every visual from one value, under no filter but one that leaves out repeated dots.
  const drawable = (renderer) => {
    if (renderer.type !== "GlyphRenderer") return false;
    const { glyph } = renderer;
    if (glyph.type !== "Line" && glyph.type !== "Scatter") return false;
    const filter = renderer.view?.filter;
    if (filter != null && filter.type !== "AllIndices" && !(glyph.type === "Scatter" && filter.tags.includes(DOTS_ONCE)))
      return false;
    for (const [name, property] of Object.entries(glyph.properties)) {
      const spec = property.get_value();
      if (name === "x" || name === "y") {
        if (!isField(spec)) return false;
      } else if (!isValue(spec)) return false;
    }
    return glyph.type === "Line" || (glyph.marker?.value in marker_funcs && glyph.angle?.value === 0);
  };

  const pending = new Map(); // model → its newest attributes, held until the state rests

  // The value a model shows: its held change, else its own.
  const valueOf = (model, name) => {
    const held = pending.get(model);
    return held !== undefined && name in held ? held[name] : model[name];
  };

  // What a recorded change is: "direct" (outside every plot, or no change at all), "quick" (this layer
  // draws it: returns the views it draws) or "bokeh".
  const classify = (model, attrs) => {
    const doc = model.document;
    if (doc == null) return { kind: "direct" };
    const index = indexOf(doc);
    const changed = Object.keys(attrs).filter((name) => !is_equal(valueOf(model, name), attrs[name]));
    if (changed.length === 0) return { kind: "none" };
    if (model.type === "ColumnDataSource") {
      const users = index.users.get(model) ?? [];
      if (users.length === 0) return { kind: "direct" };
      if (changed.some((name) => name !== "data") || !users.every((user) => drawable(user) && index.plotOf.has(user)))
        return { kind: "bokeh" };
      return { kind: "quick", renderers: users };
    }
    // A plot's range (its axes) or renderer (its legend) changed: BokehJS paints the plot.
    const plot = index.plotOf.get(model);
    if (plot !== undefined && (model.type === "GlyphRenderer" || index.ranges.has(model))) return { kind: "bokeh" };
    return { kind: "direct" };
  };

  const drawn = new Map(); // plot view → the set of renderer views this layer draws
  let timer = null;

  const viewOf = (model) => Bokeh.index.find_one(model);


  const layers = new WeakMap(); // plot view → {canvas, ctx}
  const layerOf = (plotView) => {
    const { primary } = plotView.canvas_view;
    let layer = layers.get(plotView);
    if (layer === undefined || !layer.canvas.isConnected) {
      const canvas = document.createElement("canvas");
      canvas.className = primary.el.className;
      canvas.dataset.momentumQuick = "";
      canvas.style.pointerEvents = "none";
      primary.el.after(canvas);
      layer = { canvas, ctx: canvas.getContext("2d") };
      quick.canvases.add(canvas);
      layers.set(plotView, layer);
    }
    const ratio = primary.pixel_ratio;
    const { width, height } = plotView.canvas_view.bbox;
    const [w, h] = [Math.round(width * ratio), Math.round(height * ratio)];
    if (layer.canvas.width !== w || layer.canvas.height !== h) {
      layer.canvas.width = w;
      layer.canvas.height = h;
      layer.canvas.style.width = `${width}px`;
      layer.canvas.style.height = `${height}px`;
    }
    layer.ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return layer;
  };

  const screen = (view, data, glyph) => {
    const { x_scale, y_scale } = view.coordinates;
    const xs = columnOf(data, glyph.x.field) ?? [];
    const ys = columnOf(data, glyph.y.field) ?? [];
    return [x_scale.v_compute(xs), y_scale.v_compute(ys)];
  };

  const drawLine = (ctx, view, data) => {
    const glyphView = view.glyph;
    if (!glyphView.visuals.line.doit) return;
    const [sx, sy] = screen(view, data, view.model.glyph);
    ctx.beginPath();
    let open = false;
    for (let i = 0; i < sx.length; i++) {
      if (!Number.isFinite(sx[i] + sy[i])) open = false;
      else if (open) ctx.lineTo(sx[i], sy[i]);
      else {
        ctx.moveTo(sx[i], sy[i]);
        open = true;
      }
    }
    glyphView.visuals.line.set_value(ctx);
    ctx.stroke();
  };

  const drawScatter = (ctx, view, data) => {
    const { glyph } = view.model;
    const { visuals } = view.glyph;
    const [sx, sy] = screen(view, data, glyph);
    const r = glyph.size.value / 2;
    const once = view.model.view.filter.tags.includes(DOTS_ONCE);
    const marker = glyph.marker.value;
    let lastX = Infinity, lastY = Infinity;
    if (marker === "circle") ctx.beginPath();
    for (let i = 0; i < sx.length; i++) {
      const [x, y] = [sx[i], sy[i]];
      if (!Number.isFinite(x + y)) continue;
      if (once && Math.abs(x - lastX) < 0.5 && Math.abs(y - lastY) < 0.5) continue;
      [lastX, lastY] = [x, y];
      if (marker === "circle") {
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, 2 * Math.PI, false);
      } else {
        ctx.beginPath();
        ctx.translate(x, y);
        marker_funcs[marker](ctx, 0, r, visuals);
        ctx.translate(-x, -y);
      }
    }
    if (marker === "circle") {
      visuals.fill.apply(ctx, 0);
      visuals.hatch.apply(ctx, 0);
      visuals.line.apply(ctx, 0);
    }
  };

  // Draw every renderer this layer holds in the plot, in the plot's order, as the plot would.
  const drawPlot = (plotView) => {
    const { canvas, ctx } = layerOf(plotView);
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.restore();
    const views = drawn.get(plotView);
    const frame = plotView.frame.bbox;
    for (const level of LEVELS)
      for (const view of plotView.computed_renderer_views) {
        if (view.model.level !== level || !views.has(view)) continue;
        const { model } = view;
        ctx.save();
        if (CLIPPED.has(level)) {
          ctx.beginPath();
          ctx.rect(frame.left, frame.top, frame.width, frame.height);
          ctx.clip();
        }
        const data = valueOf(model.data_source, "data");
        if (model.glyph.type === "Line") drawLine(ctx, view, data);
        else drawScatter(ctx, view, data);
        ctx.restore();
      }
  };

  const hold = (model, attrs) => pending.set(model, { ...(pending.get(model) ?? {}), ...attrs });

  // Every held change set on its model; BokehJS paints the plots again and this layer steps aside.
  const commit = () => {
    clearTimeout(timer);
    timer = null;
    const changes = [...pending];
    pending.clear();
    quick.committing = true;
    try {
      for (const [model, attrs] of changes) setv.call(model, attrs);
    } finally {
      quick.committing = false;
    }
    for (const [plotView, views] of drawn) {
      for (const view of views) view.__quick = false;
      plotView.request_paint();
      plotView.paint();
      const layer = layers.get(plotView);
      if (layer !== undefined) layer.ctx.clearRect(0, 0, layer.canvas.width, layer.canvas.height);
    }
    drawn.clear();
  };

  // Run a module's paint: its changes to the plots drawn here, or by BokehJS when this layer cannot.
  const paint = (paintModels) => {
    recording = [];
    let changes;
    try {
      paintModels();
    } finally {
      changes = recording;
      recording = null;
    }
    const kinds = changes.map(([model, attrs]) => classify(model, attrs));
    if (kinds.some((kind) => kind.kind === "bokeh")) {
      commit();
      for (const [model, attrs] of changes) setv.call(model, attrs);
      return;
    }
    const plots = new Set();
    changes.forEach(([model, attrs], i) => {
      const { kind, renderers } = kinds[i];
      if (kind === "direct") setv.call(model, attrs);
      else if (kind === "quick") {
        hold(model, attrs);
        for (const renderer of renderers) {
          const view = viewOf(renderer);
          const plotView = view?.plot_view;
          if (plotView == null) continue;
          if (!drawn.has(plotView)) drawn.set(plotView, new Set());
          const views = drawn.get(plotView);
          if (!views.has(view)) {
            views.add(view);
            view.__quick = true;
            plotView.request_paint(view);
            plots.add(plotView);
          }
        }
        for (const renderer of renderers) {
          const plotView = viewOf(renderer)?.plot_view;
          if (plotView != null) plots.add(plotView);
        }
      }
    });
    for (const plotView of plots) {
      if (plotView._invalidated_painters.size > 0 || plotView._invalidate_all) plotView.paint();
      drawPlot(plotView);
    }
    if (plots.size > 0) {
      quick.drawn++;
      clearTimeout(timer);
      timer = setTimeout(commit, quick.restMs);
    }
  };

    // drawn: states this layer has drawn (for measurements); committing: true while held changes are set.
  const quick = { paint, commit, drawn: 0, committing: false, restMs: REST_MS, canvases: new Set() };
  return quick;
})()

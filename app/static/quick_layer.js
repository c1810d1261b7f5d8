// The quick layer: what a drag changes in a plot, drawn in the frame of the input on a canvas of its own.
//
// One expression (its value: {paint, commit, …}), evaluated once per page by the page modules' loader.
//
// A BokehJS repaint costs a plot far more than what changed: every renderer's data, visuals and masks
// are taken again, and the whole plot — contours, grids, axes, every glyph — is drawn again and
// committed to the screen (≈ 57 ms a state on /ravine in this machine's software rendering; docs/speed.md).
// So while a module paints state after state, what it changes in a plot's sources is held (on the
// models, silently) and the renderers that draw them are drawn here instead — lines, scatters, areas,
// patches, segments, bars, rects, multi-lines, texts and images (GLYPHS) — on a canvas laid over the
// plot's own, with the plot's own visuals (colours, widths, dashes, marker shapes, fonts; colour
// mappers) and where its scales put them. BokehJS leaves those renderers alone meanwhile. Once no new
// state has come for REST_MS, every held change is told to BokehJS and the document; once BokehJS has
// taken the new data it paints the rested state itself and the canvas is cleared, in the same task.
//
// A renderer shown or hidden is drawn or left out here. A state that moves a plot's range or its colour
// bar's scale has the whole plot drawn here — fills, grids, axes, texts and colour bar by BokehJS's own
// painting code on the held ranges, glyphs as above — where this layer can draw all of it (else the
// range is set at once and BokehJS paints the new axes); a title that alone changes has its panel
// painted here, a title with the rest drawn whole. Labels and spans are set at once (on their plot's
// overlay layer, they repaint alone); models outside the plots (readouts) are set as they come. A
// state that changes anything this layer cannot draw — a glyph of another kind or in screen units, a
// renderer shown or hidden in a plot whose legend greys hidden ones, a range fitted to the data — is
// painted by BokehJS at once, as without this layer, every held change with it. A plot out of sight is
// not drawn: its changes are held until the state rests (or until it comes into sight).
(() => {
  "use strict";
  const REST_MS = 150;
  const { HasProps } = Bokeh.require("core/has_props");
  const { is_equal } = Bokeh.require("core/util/eq");
  const { marker_funcs } = Bokeh.require("models/glyphs/defs");
  const { TextBox } = Bokeh.require("core/graphics");
  const { BitSet } = Bokeh.require("core/util/bitset");
  const resolve = Bokeh.require("models/common/resolve");
  const { BBox } = Bokeh.require("core/util/bbox");
  const { RendererView } = Bokeh.require("models/renderers/renderer");
  const { color2rgba } = Bokeh.require("core/util/color");
  const { defer } = Bokeh.require("core/util/defer");
  const { parse_delimited_string } = Bokeh.require("models/text/utils");
  const { AxisView } = Bokeh.require("models/axes/axis");
  const { GridView } = Bokeh.require("models/grids/grid");
  const LEVELS = ["image", "underlay", "glyph", "guide", "annotation", "overlay"];
  const CLIPPED = new Set(["image", "underlay", "glyph"]); // as BokehJS clips them to the frame
  const DOTS_ONCE = "dots-once"; // a scatter's filter that only leaves out dots drawn on another

  // While a module paints, every model change is recorded here instead of made.
  let recording = null;
  // How many times each model was set (made or recorded; silently or not): what `pictureKey` keys on.
  const revisions = new WeakMap();
  const setv = HasProps.prototype.setv;
  if (!HasProps.prototype.__momentumQuick) {
    HasProps.prototype.setv = function (attrs, options = {}) {
      revisions.set(this, (revisions.get(this) ?? 0) + 1);
      if (recording === null || options.silent) {
        if (!options.silent && !quick.committing) forget(this, attrs);
        return setv.call(this, attrs, options);
      }
      recording.push([this, attrs instanceof Map ? Object.fromEntries(attrs) : { ...attrs }, options]);
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

  // Where each model is drawn: its plot, and the renderers that draw a source (built per document,
  // again when models were added or removed: counted once per state, as BokehJS's doc.all_models makes
  // a new set of all of them each time it is read).
  const indexes = new WeakMap();
  let counted = new WeakSet(); // documents whose models were counted for the state being painted
  const indexOf = (doc) => {
    let index = indexes.get(doc);
    if (index !== undefined && counted.has(doc)) return index;
    const models = doc.all_models;
    counted.add(doc);
    if (index !== undefined && index.size === models.size) return index;
    index = { size: models.size, plotOf: new Map(), users: new Map(), autoRanged: new Set(), legended: new Set(), bars: new Map() };
    const use = (source, user) => {
      if (!index.users.has(source)) index.users.set(source, []);
      index.users.get(source).push(user);
    };
    for (const model of models) {
      if (model.data_source != null) use(model.data_source, model);
      else if (model.source != null) use(model.source, model);
      if (model.type === "ColorBar") index.bars.set(model.color_mapper, [...(index.bars.get(model.color_mapper) ?? []), model]);
      if (Array.isArray(model.renderers) && Array.isArray(model.center) && model.x_range != null) {
        for (const part of [...model.renderers, ...model.center, ...model.above, ...model.below,
                            ...model.left, ...model.right, ...(model.title != null ? [model.title] : [])])
          index.plotOf.set(part, model);
        // A legend that hides a renderer on a click shows each renderer's state (its entry greyed);
        // others (this app's: click_policy "none") look the same whatever their renderers show.
        const parts = [...model.center, ...model.above, ...model.below, ...model.left, ...model.right];
        if (parts.some((part) => part.type === "Legend" && part.click_policy === "hide")) index.legended.add(model);
        const values = (named) => (named instanceof Map ? [...named.values()] : Object.values(named ?? {}));
        const ranges = [model.x_range, model.y_range, ...values(model.extra_x_ranges), ...values(model.extra_y_ranges)];
        for (const range of ranges) {
          index.plotOf.set(range, model);
          if (range.type === "DataRange1d") index.autoRanged.add(model);
        }
      }
    }
    indexes.set(doc, index);
    return index;
  };

  const columnOf = (data, name) => (data instanceof Map ? data.get(name) : data[name]);
  const isField = (spec) => spec != null && typeof spec === "object" && "field" in spec && spec.transform == null;
  const isValue = (spec) => !(spec != null && typeof spec === "object" && ("field" in spec || "expr" in spec));

  // A polyline's path, broken where a point is not finite, drawn through fewer points that the eye
  // tells apart from it. First, a run of points in one column of the canvas's pixels (`ratio` of them a
  // CSS pixel) is thinned to its first, lowest, highest and last point, in their order: the column's ink
  // is the same, and a line of thousands of points across a few hundred pixels is drawn with about four
  // a pixel. Then the points that go on straight are left out (`Sleeve`): a flat line of 1 500 points
  // is drawn as one segment, a smooth curve with a few dozen. The canvas's raster of a stroke costs the
  // page's thread about as much per segment, dashed more. (No closures in either: a function made anew
  // each call would have the browser compile it again.)
  const traceLine = (ctx, sx, sy, n, ratio = 1) => {
    const path = SLEEVE.begin(ctx, LEAVE_OUT / ratio);
    let first = -1; // the current run's first point (-1: no run)
    let low = 0, high = 0, last = 0, column = 0;
    for (let i = 0; i <= n; i++) {
      const finite = i < n && Number.isFinite(sx[i] + sy[i]);
      if (finite && first >= 0 && Math.floor(sx[i] * ratio) === column) {
        if (sy[i] < sy[low]) low = i;
        if (sy[i] > sy[high]) high = i;
        last = i;
        continue;
      }
      if (first >= 0) {
        const [a, b] = low < high ? [low, high] : [high, low];
        path.to(sx[first], sy[first]);
        if (a > first) path.to(sx[a], sy[a]);
        if (b > a) path.to(sx[b], sy[b]);
        if (last > b) path.to(sx[last], sy[last]);
        first = -1;
      }
      if (!finite) path.end();
      else {
        first = low = high = last = i;
        column = Math.floor(sx[i] * ratio);
      }
    }
    path.end();
  };

  // How far from the line drawn a point left out may be: a quarter of the canvas's pixel.
  const LEAVE_OUT = 0.25;

  // A path that leaves out the points that go on straight: from the last point drawn (the anchor), a
  // point is left out while every point since lies within `tolerance` of the segment to the newest.
  // Each point p at distance d narrows the directions the segment may take to a cone of half-angle
  // asin(tolerance / d) around p's (then p is within tolerance of any ray in it); a point outside the
  // cone, or one that turns back (nearer the anchor than the farthest point by more than tolerance),
  // draws the segment to the point before it, the new anchor. So the line drawn and the line given are
  // everywhere within about the tolerance of each other. The cone is kept as its two edges' unit
  // vectors (l, h: less than half a turn apart), a direction v inside it when l × v ≥ 0 and v × h ≥ 0.
  class Sleeve {
    constructor() {
      this.ctx = null;
      this.tolerance = this.ax = this.ay = this.px = this.py = this.far = 0;
      this.lx = this.ly = this.hx = this.hy = 0;
      this.open = this.pending = false;
    }
    begin(ctx, tolerance) {
      this.ctx = ctx;
      this.tolerance = tolerance;
      this.open = false; // a piece of the path begun (its anchor, ax ay, drawn)
      this.pending = false; // a point left out so far (px py), the segment's end if the next one turns
      return this;
    }
    to(x, y) {
      if (!this.open) {
        this.ctx.moveTo(x, y);
        this.ax = x;
        this.ay = y;
        this.open = true;
        return;
      }
      const dx = x - this.ax, dy = y - this.ay;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (this.pending) {
        const inside = this.lx * dy - this.ly * dx >= 0 && dx * this.hy - dy * this.hx >= 0;
        if (!inside || d < this.far - this.tolerance) {
          this.ctx.lineTo(this.px, this.py);
          this.ax = this.px;
          this.ay = this.py;
          this.pending = false;
          this.to(x, y);
          return;
        }
        if (d > this.tolerance) this.narrow(dx / d, dy / d, this.tolerance / d);
        if (d > this.far) this.far = d;
      } else if (d > this.tolerance) {
        const ux = dx / d, uy = dy / d, s = this.tolerance / d;
        const c = Math.sqrt(1 - s * s);
        this.lx = c * ux + s * uy;
        this.ly = c * uy - s * ux;
        this.hx = c * ux - s * uy;
        this.hy = c * uy + s * ux;
        this.far = d;
        this.pending = true;
      } else return; // within the tolerance of the anchor, no segment yet: left out
      this.px = x;
      this.py = y;
    }
    // The cone narrowed to the directions within asin(s) of the unit vector u.
    narrow(ux, uy, s) {
      const c = Math.sqrt(1 - s * s);
      const lx = c * ux + s * uy, ly = c * uy - s * ux; // u turned clockwise by asin(s)
      const hx = c * ux - s * uy, hy = c * uy + s * ux; // and anticlockwise
      if (this.lx * ly - this.ly * lx > 0) {
        this.lx = lx;
        this.ly = ly;
      }
      if (hx * this.hy - hy * this.hx > 0) {
        this.hx = hx;
        this.hy = hy;
      }
    }
    end() {
      if (this.pending) this.ctx.lineTo(this.px, this.py);
      this.open = this.pending = false;
    }
  }
  const SLEEVE = new Sleeve();

  // HBar and VBar: bars between two ends on one axis, `size` wide around `centre` on the other.
  const barGlyph = (ends, across, centre, size) => {
    const along = across === "x" ? "y" : "x";
    return {
      coordinates: { [ends[0]]: across, [ends[1]]: across, [centre]: along, [size]: along },
      perItem: true,
      draw(ctx, visuals, { of, n, view, k }) {
        const scales = { x: view.coordinates.x_scale, y: view.coordinates.y_scale };
        const [low, high] = ends.map((name) => scales[across].v_compute(of(name)));
        const [start, end] = edges(scales[along], of(centre), of(size));
        bars(ctx, visuals, view, across === "x" ? [low, high, start, end] : [start, end, low, high], n, k);
      },
    };
  };

  // The glyphs this layer draws, each as BokehJS 3.9 draws it: its coordinates (by axis), the lengths
  // it takes in data units, and how it is drawn (at(name): a coordinate on the screen, of(name): a
  // column or value in data units, n: the rows).
  const GLYPHS = {
    Line: {
      coordinates: { x: "x", y: "y" },
      draw(ctx, visuals, { at, n }) {
        if (!visuals.line.doit) return;
        const [sx, sy] = [at("x"), at("y")];
        ctx.beginPath();
        traceLine(ctx, sx, sy, n, ctx.getTransform().a);
        visuals.line.set_value(ctx);
        ctx.stroke();
      },
    },
    Scatter: {
      coordinates: { x: "x", y: "y" },
      perItem: true,
      draw(ctx, visuals, { at, n, glyph, once, view, k }) {
        const [sx, sy] = [at("x"), at("y")];
        const r = view.glyph.size.get(0) / 2;
        const angle = view.glyph.angle.get(0);
        const marker = glyph.marker.value;
        const batched = marker === "circle" && k(1) === 0; // one path for every dot: one fill, one stroke
        let lastX = Infinity, lastY = Infinity;
        ctx.beginPath();
        for (let i = 0; i < n; i++) {
          const [x, y] = [sx[i], sy[i]];
          if (!Number.isFinite(x + y)) continue;
          if (once && Math.abs(x - lastX) < 0.5 && Math.abs(y - lastY) < 0.5) continue;
          [lastX, lastY] = [x, y];
          if (batched) {
            ctx.moveTo(x + r, y);
            ctx.arc(x, y, r, 0, 2 * Math.PI, false);
          } else {
            ctx.beginPath();
            ctx.translate(x, y);
            if (angle !== 0) ctx.rotate(angle);
            marker_funcs[marker](ctx, k(i), r, visuals);
            if (angle !== 0) ctx.rotate(-angle);
            ctx.translate(-x, -y);
          }
        }
        if (batched) {
          visuals.fill.apply(ctx, 0);
          visuals.hatch.apply(ctx, 0);
          visuals.line.apply(ctx, 0);
        }
      },
    },
    VArea: {
      coordinates: { x: "x", y1: "y", y2: "y" },
      draw(ctx, visuals, { at, n }) {
        const [sx, sy1, sy2] = [at("x"), at("y1"), at("y2")];
        ctx.beginPath();
        for (let i = 0; i < n; i++) ctx.lineTo(sx[i], sy1[i]);
        for (let i = n - 1; i >= 0; i--) ctx.lineTo(sx[i], sy2[i]);
        ctx.closePath();
        visuals.fill.apply(ctx);
        visuals.hatch.apply(ctx);
      },
    },
    Patch: {
      coordinates: { x: "x", y: "y" },
      draw(ctx, visuals, { at, n }) {
        const [sx, sy] = [at("x"), at("y")];
        let move = true;
        ctx.beginPath();
        for (let i = 0; i < n; i++) {
          if (!Number.isFinite(sx[i] + sy[i])) {
            ctx.closePath();
            move = true;
          } else if (move) {
            ctx.moveTo(sx[i], sy[i]);
            move = false;
          } else ctx.lineTo(sx[i], sy[i]);
        }
        ctx.closePath();
        visuals.fill.apply(ctx, "evenodd");
        visuals.hatch.apply(ctx, "evenodd");
        visuals.line.apply(ctx);
      },
    },
    Segment: {
      coordinates: { x0: "x", y0: "y", x1: "x", y1: "y" },
      perItem: true,
      draw(ctx, visuals, { at, n, k }) {
        if (!visuals.line.doit) return;
        const [sx0, sy0, sx1, sy1] = [at("x0"), at("y0"), at("x1"), at("y1")];
        for (let i = 0; i < n; i++) {
          if (!Number.isFinite(sx0[i] + sy0[i] + sx1[i] + sy1[i])) continue;
          ctx.beginPath();
          ctx.moveTo(sx0[i], sy0[i]);
          ctx.lineTo(sx1[i], sy1[i]);
          visuals.line.apply(ctx, k(i));
        }
      },
    },
    HBar: barGlyph(["left", "right"], "x", "y", "height"),
    VBar: barGlyph(["bottom", "top"], "y", "x", "width"),
    Rect: {
      coordinates: { x: "x", y: "y", width: "x", height: "y" },
      perItem: true,
      draw(ctx, visuals, { of, n, view, k }) {
        const { x_scale, y_scale } = view.coordinates;
        const [sx0, sx1] = edges(x_scale, of("x"), of("width"));
        const [sy1, sy0] = edges(y_scale, of("y"), of("height"));
        boxes(ctx, visuals, [sx0, sy0, sx1, sy1], n, k);
      },
    },
    MultiLine: {
      coordinates: { xs: "x", ys: "y" },
      perItem: true,
      draw(ctx, visuals, { of, n, view, k }) {
        const { x_scale, y_scale } = view.coordinates;
        const [xs, ys] = [of("xs"), of("ys")];
        for (let i = 0; i < n; i++) {
          const [sx, sy] = [x_scale.v_compute(xs[i]), y_scale.v_compute(ys[i])];
          ctx.beginPath();
          let open = false;
          for (let j = 0; j < sx.length; j++) {
            if (!Number.isFinite(sx[j] + sy[j])) open = false;
            else if (open) ctx.lineTo(sx[j], sy[j]);
            else {
              ctx.moveTo(sx[j], sy[j]);
              open = true;
            }
          }
          if (visuals.line.v_doit(k(i))) {
            visuals.line.set_vectorize(ctx, k(i));
            ctx.stroke();
          }
        }
      },
    },
    Text: {
      coordinates: { x: "x", y: "y" },
      perItem: true,
      // As TextView paints: each text a TextBox on its box (if any), placed by its anchor and padding.
      draw(ctx, visuals, { at, of, n, view, k }) {
        const [sx, sy, texts, dx, dy] = [at("x"), at("y"), of("text"), of("x_offset"), of("y_offset")];
        const glyphView = view.glyph;
        const { padding, border_radius } = glyphView;
        const shape = glyphView.outline_shape.get(0);
        const { text, background_fill, background_hatch, border_line } = visuals;
        const box = { fill: background_fill, hatch: background_hatch, line: border_line };
        for (let i = 0; i < n; i++) {
          const [x, y] = [sx[i] + dx[i], sy[i] + dy[i]];
          if (texts[i] == null || !Number.isFinite(x + y)) continue;
          const label = new TextBox({ text: `${texts[i]}` });
          label.visuals = text.values(k(i));
          label.position = { sx: 0, sy: 0, x_anchor: "left", y_anchor: "top" };
          label.align = "auto";
          const size = label.size();
          const width = padding.left + size.width + padding.right;
          const height = padding.top + size.height + padding.bottom;
          const anchor = resolve.text_anchor(glyphView.anchor.get(0), text.text_align.get(k(i)), text.text_baseline.get(k(i)));
          const [ax, ay] = [anchor.x * width, anchor.y * height];
          ctx.translate(x - ax, y - ay);
          if (shape !== "none" && (background_fill.v_doit(k(i)) || background_hatch.v_doit(k(i)) || border_line.v_doit(k(i))))
            glyphView._paint_shape(ctx, k(i), shape, new BBox({ x: 0, y: 0, width, height }), box, border_radius);
          if (text.v_doit(k(i))) {
            ctx.translate(padding.left, padding.top);
            label.paint(ctx);
            ctx.translate(-padding.left, -padding.top);
          }
          ctx.translate(ax - x, ay - y);
        }
      },
    },
  };
  // Image: each image of codes coloured by its colour mapper (as ImageView maps it), placed and flipped
  // by its anchor and origin as ImageBaseView paints it.
  GLYPHS.Image = {
    coordinates: { image: null, x: "x", y: "y", dw: "x", dh: "y" },
    draw(ctx, visuals, { of, n, view, glyph }) {
      if (!visuals.image.doit) return;
      const [images, xs, ys, dws, dhs] = ["image", "x", "y", "dw", "dh"].map(of);
      const { x_scale, y_scale } = view.coordinates;
      const { xy_sign, xy_scale, xy_offset, xy_anchor } = view.glyph;
      ctx.imageSmoothingEnabled = false;
      for (let i = 0; i < n; i++) {
        const image = imageCanvas(view, i, images[i], glyph.color_mapper);
        const [sx, sy] = [x_scale.compute(xs[i]), y_scale.compute(ys[i])];
        const sdw = Math.abs(x_scale.compute(xs[i] + dws[i]) - sx);
        const sdh = Math.abs(y_scale.compute(ys[i] + dhs[i]) - sy);
        if (image === null || !Number.isFinite(sx + sy + sdw + sdh)) continue;
        ctx.save();
        ctx.translate(sx - xy_sign.x * xy_anchor.x * sdw, sy - xy_sign.y * xy_anchor.y * sdh);
        ctx.scale(xy_sign.x * xy_scale.x, xy_sign.y * xy_scale.y);
        visuals.image.set_vectorize(ctx, i);
        ctx.drawImage(image, -xy_offset.x * sdw, -xy_offset.y * sdh, sdw, sdh);
        ctx.restore();
      }
    },
  };
  // An image's colours on a canvas of its size (one per renderer and image, kept).
  const imageCanvases = new WeakMap();
  const imageCanvas = (view, i, image, mapper) => {
    const [height, width] = image?.shape ?? [];
    if (!(width > 0 && height > 0)) return null;
    if (!imageCanvases.has(view)) imageCanvases.set(view, []);
    const canvases = imageCanvases.get(view);
    let canvas = canvases[i];
    if (canvas === undefined || canvas.width !== width || canvas.height !== height) {
      canvas = canvases[i] = document.createElement("canvas");
      [canvas.width, canvas.height] = [width, height];
    }
    canvas.getContext("2d").putImageData(new ImageData(coloursOf(mapper, image), width, height), 0, 0);
    return canvas;
  };
  // An image's RGBA bytes as its mapper colours it. An image of whole-number codes (8 or 16 bits:
  // `/regions`' 76 800-cell map) takes each code's colour from a table of the mapper's colours for every
  // code up to the largest seen (mapped by the mapper itself, once, and again when the mapper changes or
  // a larger code comes): the same bytes as mapping each cell, one pass and a lookup a cell, into a
  // buffer kept for the next state (putImageData copies it).
  const codeColours = new WeakMap(); // mapper → Uint32Array: code → its RGBA as one 32-bit word
  const watched = new WeakSet(); // mappers whose change drops their table
  let scratch = new Uint32Array(0);
  const tableOf = (mapper, image, largest) => {
    if (!watched.has(mapper)) {
      watched.add(mapper);
      mapper.change.connect(() => codeColours.delete(mapper));
    }
    for (let i = 0; i < image.length; i++) if (image[i] > largest) largest = image[i];
    const codes = new image.constructor(largest + 1).map((_, code) => code);
    const bytes = quietly([mapper], () => mapper.rgba_mapper.v_compute(codes));
    const table = new Uint32Array(bytes.buffer, bytes.byteOffset, largest + 1);
    codeColours.set(mapper, table);
    return table;
  };
  const coloursOf = (mapper, image) => {
    if (!(image instanceof Uint8Array || image instanceof Uint16Array))
      return quietly([mapper], () => mapper.rgba_mapper.v_compute(image));
    let table = codeColours.get(mapper) ?? tableOf(mapper, image, 0);
    if (scratch.length < image.length) scratch = new Uint32Array(image.length);
    for (let i = 0; i < image.length; i++) {
      if (image[i] >= table.length) table = tableOf(mapper, image, image[i]);
      scratch[i] = table[image[i]];
    }
    return new Uint8ClampedArray(scratch.buffer, 0, 4 * image.length);
  };
  // A colour mapper announces new metrics whenever it maps colours (a colour bar on it then has its
  // plot laid out and painted again): `fn` run without those announcements, for a held drawing
  // (BokehJS maps the colours again at rest).
  const quietly = (mappers, fn) => {
    const signals = mappers.map((mapper) => mapper?.metrics_change).filter((signal) => signal != null);
    const emits = signals.map((signal) => signal.emit);
    for (const signal of signals) signal.emit = () => {};
    try {
      return fn();
    } finally {
      signals.forEach((signal, i) => { signal.emit = emits[i]; });
    }
  };

  // The screen places of the two edges of items centred at `centres`, `sizes` wide, in data units.
  const edges = (scale, centres, sizes) => [
    scale.v_compute(centres.map((v, i) => v - sizes[i] / 2)),
    scale.v_compute(centres.map((v, i) => v + sizes[i] / 2)),
  ];
  // Bars as BokehJS draws them: their ends clamped to the frame (an outline ends at its edge).
  const bars = (ctx, visuals, view, [xs0, xs1, ys0, ys1], n, k) => {
    const frame = view.plot_view.frame.bbox;
    const clamped = (a, b, pick, low, high) =>
      Array.from(a, (v, i) => (Number.isFinite(v + b[i]) ? Math.min(Math.max(pick(v, b[i]), low), high) : NaN));
    const lefts = clamped(xs0, xs1, Math.min, frame.left, frame.right);
    const rights = clamped(xs0, xs1, Math.max, frame.left, frame.right);
    const tops = clamped(ys0, ys1, Math.min, frame.top, frame.bottom);
    const bottoms = clamped(ys0, ys1, Math.max, frame.top, frame.bottom);
    boxes(ctx, visuals, [lefts, tops, rights, bottoms], n, k);
  };
  // Boxes from their screen edges, as BokehJS draws each: a path filled, hatched and outlined. Boxes that
  // only fill (no hatch, no outline: /colorization's 400 pixels a state) are each one fillRect (the same
  // pixels), the fill style set only when a box's colour or alpha differs from the last one's: setting
  // it builds and parses a CSS colour.
  const boxes = (ctx, visuals, [lefts, tops, rights, bottoms], n, k) => {
    const { fill, hatch, line } = visuals;
    const plain = !hatch.doit && !line.doit;
    let last = -1; // the item whose fill style is set
    for (let i = 0; i < n; i++) {
      const [left, top, width, height] = [lefts[i], tops[i], rights[i] - lefts[i], bottoms[i] - tops[i]];
      if (!Number.isFinite(left + top + width + height)) continue;
      if (!plain) {
        ctx.beginPath();
        ctx.rect(left, top, width, height);
        fill.apply(ctx, k(i));
        hatch.apply(ctx, k(i));
        line.apply(ctx, k(i));
      } else if (fill.v_doit(k(i))) {
        const j = k(i);
        const same = last >= 0 && fill.fill_color.get(j) === fill.fill_color.get(last) && fill.fill_alpha.get(j) === fill.fill_alpha.get(last);
        if (!same) fill.set_vectorize(ctx, j);
        last = j;
        ctx.fillRect(left, top, width, height);
      }
    }
  };

  // Can this layer draw the renderer as its plot would? A glyph of GLYPHS whose places come from
  // columns or values and every visual from one value, under no filter but one that leaves out dots
  // drawn on another.
  // What a glyph drawn item by item may take from its data besides its place: colours, alphas, texts.
  const PER_ITEM = /^(.*_color|.*_alpha|text|text_align|text_baseline|x_offset|y_offset)$/;
  const isColumn = (spec) => spec != null && typeof spec === "object" && "field" in spec;
  const drawables = new WeakMap();
  const drawable = (renderer) => {
    if (!drawables.has(renderer)) drawables.set(renderer, canDraw(renderer));
    return drawables.get(renderer);
  };
  const canDraw = (renderer) => {
    if (renderer.type !== "GlyphRenderer") return false;
    const { glyph } = renderer;
    const kind = GLYPHS[glyph.type];
    if (kind === undefined) return false;
    const filter = renderer.view?.filter;
    if (filter != null && filter.type !== "AllIndices" && !filter.tags.includes(DOTS_ONCE)) return false;
    for (const [name, property] of Object.entries(glyph.properties)) {
      const spec = property.get_value();
      if (name in kind.coordinates) {
        if (!(isField(spec) || (isValue(spec) && typeof spec?.value === "number"))) return false;
      } else if (!isValue(spec) && !(kind.perItem && PER_ITEM.test(name) && (isField(spec) || (isColumn(spec) && /_color$/.test(name)))))
        return false;
    }
    if (glyph.type === "Segment" && glyph.decorations?.length > 0) return false;
    if (glyph.type === "Scatter") return glyph.marker.value in marker_funcs;
    const inData = (name) => (glyph.properties[name]?.get_value().units ?? "data") === "data";
    if (!Object.keys(kind.coordinates).every(inData)) return false;
    if (glyph.type === "Rect") return glyph.angle.value === 0 && !glyph.dilate;
    if (glyph.type === "Image") return isField(glyph.properties.image.get_value()) && !glyph.dilate;
    if (glyph.type === "Text") return glyph.angle.value === 0 && typeof glyph.outline_shape?.value === "string";
    return true;
  };

  // A glyph view's stand-in for visuals taken from held data: the view's own visuals stay those of its
  // own data (BokehJS paints and measures with them, TextView its labels, until it takes the held data).
  const { Visuals } = Bokeh.require("core/visuals");
  const shadows = new WeakMap();
  const shadowOf = (glyphView) => {
    let shadow = shadows.get(glyphView);
    if (shadow === undefined) {
      shadow = Object.create(glyphView);
      shadow.visuals = new Visuals(shadow);
      shadows.set(glyphView, shadow);
    }
    return shadow;
  };

  // Draw a renderer's glyph from `data`, as its plot would (the data held for it, or its own).
  const drawGlyph = (ctx, view, data) => {
    const { glyph } = view.model;
    const { coordinates } = GLYPHS[glyph.type];
    const spec = (name) => glyph.properties[name].get_value();
    const fields = Object.keys(coordinates).filter((name) => isField(spec(name)));
    const n = Math.min(...fields.map((name) => (columnOf(data, spec(name).field) ?? []).length));
    if (!(n > 0)) return;
    const of = (name) => {
      const value = spec(name);
      if (!isField(value)) return new Array(n).fill(value.value);
      const column = columnOf(data, value.field);
      return column.length === n ? column : column.slice(0, n);
    };
    const scales = { x: view.coordinates.x_scale, y: view.coordinates.y_scale };
    const at = (name) => scales[coordinates[name]].v_compute(of(name));
    const once = view.model.view?.filter?.tags.includes(DOTS_ONCE) ?? false;
    // Visuals taken from the data are taken again from the held data (BokehJS does so as it rests).
    const visualFields = Object.keys(glyph.properties).some((name) => !(name in coordinates) && isColumn(spec(name)));
    const source = view.model.data_source;
    let { visuals } = view.glyph;
    if (visualFields) {
      const rows = BitSet.all_unset(source.get_length() ?? n);
      for (let i = 0; i < n; i++) rows.set_unchecked(i);
      const mappers = Object.keys(glyph.properties).map((name) => spec(name)?.transform);
      const shadow = shadowOf(view.glyph);
      quietly(mappers, () => shadow.set_visuals(source, rows));
      ({ visuals } = shadow);
    }
    const k = visualFields ? (i) => i : () => 0;
    GLYPHS[glyph.type].draw(ctx, visuals, { at, of, n, glyph, once, view, k });
  };

  const pending = new Map(); // model → its newest attributes, held until the state rests
  // A change made outside a module's paint (a tool dragging a marker, the server) wins over one held.
  const forget = (model, attrs) => {
    const held = pending.get(model);
    if (held === undefined) return;
    for (const name of attrs instanceof Map ? attrs.keys() : Object.keys(attrs)) delete held[name];
    if (Object.keys(held).length === 0) pending.delete(model);
  };

  // What a recorded change is: "none" (no change), "direct" (set at once: outside every plot, a
  // label), "quick" (this layer draws it: returns the renderers that draw it), "whole" (a plot's range
  // or title: the plot drawn whole here where it can be) or "bokeh".
  const classify = (model, attrs, options) => {
    const doc = model.document;
    if (doc == null) return { kind: "direct" };
    const index = indexOf(doc);
    // A value changed in place and set again (check_eq: false) counts as changed.
    const changed = Object.keys(attrs).filter((name) => options.check_eq === false || !is_equal(model[name], attrs[name]));
    if (changed.length === 0) return { kind: "none" };
    if (model.type === "ColumnDataSource") {
      const users = index.users.get(model) ?? [];
      if (users.length === 0) return { kind: "direct" };
      const fits = (user) => drawable(user) && index.plotOf.has(user) && !index.autoRanged.has(index.plotOf.get(user));
      if (changed.some((name) => name !== "data") || !users.every(fits)) return { kind: "bokeh" };
      return { kind: "quick", renderers: users };
    }
    // A plot's renderer shown or hidden: this layer draws it (or not) where it can, in a plot without a
    // legend that shows the renderers' state (click_policy "hide"); another change of a renderer, or a
    // range fitted to the data: BokehJS paints the plot.
    const plot = index.plotOf.get(model);
    if (plot !== undefined && model.type === "GlyphRenderer" && changed.every((name) => name === "visible") &&
        drawable(model) && !index.legended.has(plot) && !index.autoRanged.has(plot))
      return { kind: "quick", renderers: [model] };
    if (plot !== undefined && (model.type === "GlyphRenderer" || model.type === "DataRange1d")) return { kind: "bokeh" };
    // A plot's range or title: drawn here with the whole plot where this layer can draw all of it (a
    // title that alone changes: its panel only, in paint).
    if (plot !== undefined && model.type === "Range1d") return { kind: "whole", plot };
    if (plot !== undefined && model.type === "Title" && changed.every((name) => name === "text")) return { kind: "whole", plot };
    // A colour bar's mapper (/regions' scale follows κ): its one plot drawn whole, with the bar.
    const barPlots = new Set((index.bars.get(model) ?? []).map((bar) => index.plotOf.get(bar)));
    if (barPlots.size === 1 && !barPlots.has(undefined)) return { kind: "whole", plot: [...barPlots][0], bar: true };
    return { kind: "direct" };
  };

  const drawn = new Map(); // plot view → the set of renderer views this layer draws
  let timer = null;

  // A model's view (BokehJS's lookup walks every view of the page: kept while the view is on the page).
  const viewCache = new WeakMap();
  const viewOf = (model) => {
    let view = viewCache.get(model);
    if (view === undefined || view.model !== model || !view.plot_view?.canvas_view?.el.isConnected) {
      view = Bokeh.index.find_one(model);
      viewCache.set(model, view);
    }
    return view;
  };

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
    return sized(layer, plotView);
  };
  // A layer the size of its plot's canvas, its context set up as BokehJS sets its layers up
  // (CanvasLayer.prepare).
  const sized = (layer, plotView) => {
    const { primary } = plotView.canvas_view;
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
    if (primary.hidpi) layer.ctx.translate(0.5, 0.5);
    return layer;
  };

  // Clear a layer's whole canvas (whatever the pixel ratio and half-pixel shift of its drawing).
  const clear = ({ canvas, ctx }) => {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.restore();
  };

  // The plot's renderer views that `wanted` picks, level by level in the plot's order, each drawn by
  // `draw` clipped to the frame where BokehJS clips it (PlotView._paint_levels).
  const drawInOrder = (plotView, ctx, levels, wanted, draw) => {
    const frame = plotView.frame.bbox;
    for (const level of levels)
      for (const view of plotView.computed_renderer_views) {
        if (view.model.level !== level || !view.model.visible || !wanted(view)) continue;
        ctx.save();
        if (CLIPPED.has(level) || view.needs_clip) {
          ctx.beginPath();
          ctx.rect(frame.left, frame.top, frame.width, frame.height);
          ctx.clip();
        }
        draw(view);
        ctx.restore();
      }
  };
  const isGlyph = (view) => view.model.type === "GlyphRenderer";

  // Draw every renderer this layer holds in the plot, in the plot's order, as the plot would.
  const drawPlot = (plotView, layer = layerOf(plotView), views = drawn.get(plotView)) => {
    clear(layer);
    const { ctx } = layer;
    drawInOrder(plotView, ctx, LEVELS, (view) => views.has(view), (view) => drawGlyph(ctx, view, view.model.data_source.data));
  };

  // A held change is on its model at once, silently (a module that reads it back reads it), and told
  // to BokehJS and the document when the state rests.
  const hold = (model, attrs) => {
    pending.set(model, { ...(pending.get(model) ?? {}), ...attrs });
    setv.call(model, attrs, { silent: true });
  };

  // Every held change set on its model; BokehJS paints the plots again and this layer steps aside.
  const commit = () => {
    clearTimeout(timer);
    timer = null;
    const changes = [...pending];
    pending.clear();
    quick.committing = true;
    try {
      for (const [model, attrs] of changes) setv.call(model, attrs, { check_eq: false });
    } finally {
      quick.committing = false;
    }
    for (const plotView of whole) delete plotView._invalidate_layout_if_needed;
    const rested = [...drawn.keys(), ...skipped];
    for (const views of drawn.values()) for (const view of views) view.__quick = false;
    drawn.clear();
    skipped.clear();
    whole.clear();
    titled.clear();
    pictures = new Map();
    // BokehJS takes new data asynchronously (GlyphRendererView.set_data; a painting before it has, with
    // a source whose length changed, fails): each plot is painted once it has, before the next frame,
    // and its layer cleared in the same task — unless a new state is drawn on it meanwhile.
    defer().then(() => {
      for (const plotView of rested) {
        if (drawn.has(plotView)) continue;
        plotView.request_paint();
        plotView.repaint(); // laid out again if a side panel's size changed (a colour bar's new labels)
        const layer = layers.get(plotView);
        if (layer !== undefined) clear(layer);
      }
    });
  };

  // The set a map holds for `key`, made empty the first time.
  const setIn = (map, key) => {
    if (!map.has(key)) map.set(key, new Set());
    return map.get(key);
  };

  // Out of sight, not drawn. A plot wholly outside the viewport (below the fold: /damping's small
  // multiples at a desktop's height, most plots on a phone) is not drawn while a state is held, nor its
  // renderers taken from it: its changes are held like the others' and BokehJS paints it when the state
  // rests. Should a pixel of it come into the viewport while a state is held (the reader scrolls
  // mid-drag), the state rests at once. (A margin that drew plots just below the fold too cost /damping's
  // α drag 20 % more of the page's CPU.) An IntersectionObserver says where each plot is, after the frame
  // in which it was first looked at (the warm-up looks at a figure's plots before its first drag); until
  // then a plot counts as in sight.
  const inSight = new WeakMap(); // plot view → whether a pixel of it is in the viewport
  const plotOfEl = new WeakMap(); // a plot's canvas element → its plot view
  const skipped = new Set(); // plot views with held changes left undrawn, out of sight, until the state rests
  let sight = null;
  const watchSight = (plotView) => {
    if (inSight.has(plotView)) return;
    inSight.set(plotView, true);
    sight ??= new IntersectionObserver((entries) => {
      let cameIntoSight = false;
      for (const { target, isIntersecting } of entries) {
        const view = plotOfEl.get(target);
        if (view === undefined) continue;
        inSight.set(view, isIntersecting);
        if (isIntersecting && skipped.has(view)) cameIntoSight = true;
      }
      if (cameIntoSight) commit();
    });
    plotOfEl.set(plotView.canvas_view.el, plotView);
    sight.observe(plotView.canvas_view.el);
  };
  // A plot this state leaves undrawn: out of sight, and not drawn here since the last rest.
  const unseen = (plotView) => {
    if (skipped.has(plotView)) return true;
    if (drawn.has(plotView) || whole.has(plotView)) return false;
    watchSight(plotView);
    return inSight.get(plotView) === false;
  };

  // Take over a renderer's drawing from its plot (the plot paints once without it).
  const take = (view) => {
    const plotView = view.plot_view;
    const views = setIn(drawn, plotView);
    if (views.has(view)) return;
    views.add(view);
    view.__quick = true;
    plotView.request_paint(view);
  };

  // The glyphs a plot draws over those this layer took are taken too where it can draw them (the start
  // marker over a path), so that they stay on top.
  const takeThoseAbove = (plotView) => {
    const views = drawn.get(plotView);
    const order = plotView.computed_renderer_views.filter((view) => CLIPPED.has(view.model.level));
    order.sort((a, b) => LEVELS.indexOf(a.model.level) - LEVELS.indexOf(b.model.level));
    const first = order.findIndex((view) => views.has(view));
    if (first < 0) return;
    for (const view of order.slice(first + 1)) if (drawable(view.model)) take(view);
  };

  // A whole plot drawn here: a state that moves a plot's range (or changes its title, or its colour
  // bar's scale) would have BokehJS paint all of the plot again — grids, axes, every glyph. Where this
  // layer can draw everything the plot paints on its canvas (its glyphs, and its fills, outline, grids,
  // axes, texts and colour bar by BokehJS's own painting code, on the held ranges), the range is held
  // like the data and the layer draws the plot's whole picture over its canvas (its fills are opaque),
  // until the state rests.
  const whole = new Set(); // plot views drawn whole until the state rests
  const PAINTED = new Set(["Grid", "LinearAxis", "LogAxis", "Title", "Label", "Span", "ColorBar"]);
  // Legends and toolbars are elements of the page, not painted on the canvas: left as they are.
  const onPage = (view) => view.is_dual_renderer || view.model.type === "ToolbarPanel";
  const opaque = (fill) => fill.doit && fill.get_fill_alpha() === 1 && color2rgba(fill.get_fill_color())[3] === 255;
  const canDrawWhole = (plotView) => {
    const { border_fill, background_fill, border_hatch, background_hatch } = plotView.visuals;
    if (!opaque(border_fill) || !opaque(background_fill) || border_hatch.doit || background_hatch.doit) return false;
    return plotView.computed_renderer_views.every((view) => {
      const { model } = view;
      if (model.level === "overlay" || !model.visible) return true;
      return isGlyph(view) ? drawable(model) : onPage(view) || PAINTED.has(model.type);
    });
  };
  // A plot drawn whole keeps its layout until the state rests (`commit` gives it back). BokehJS still
  // paints what it draws over this layer (labels, spans), and each such paint first measures the plot's
  // axes: on the held ranges their labels have new widths (/decomposition's linear axis: 1.4, then 250k
  // as α crosses into divergence), so the plot would be laid out again — the page with it — and its frame
  // could move mid-drag under the whole plot drawn here. At the rest it is laid out as BokehJS paints
  // the rested state.
  const keepLayout = (plotView) => {
    plotView._invalidate_layout_if_needed = () => {};
  };
  // A colour mapper given a new scale (not a new palette) while a state is held: its colour bars' strip
  // of the palette is the same strip, and BokehJS made it anew, a canvas and a colour mapper of its own,
  // at each new scale (ColorBarView._set_canvas_image: ≈ 0.7 ms of each state of /regions' κ). `fn` (the
  // mapper's setting) runs without that.
  const newScale = (mapper, attrs, fn) => {
    if ("palette" in attrs) return fn();
    const bars = (indexOf(mapper.document).bars.get(mapper) ?? []).map(viewOf).filter((view) => view != null);
    for (const view of bars) view._set_canvas_image = () => {};
    try {
      fn();
    } finally {
      for (const view of bars) delete view._set_canvas_image;
    }
  };
  // `fn` run without its plot asking to be laid out or painted again (this layer draws it whole).
  const unpainted = (plotView, fn) => {
    if (Object.hasOwn(plotView, "request_layout") || Object.hasOwn(plotView, "request_paint")) return fn();
    plotView.request_layout = plotView.request_paint = () => {};
    try {
      fn();
    } finally {
      delete plotView.request_layout;
      delete plotView.request_paint;
    }
  };
  const plotViews = new WeakMap();
  const plotViewOf = (plot) => {
    let view = plotViews.get(plot);
    if (view === undefined || !view.canvas_view?.el.isConnected) {
      view = Bokeh.index.find_one(plot);
      plotViews.set(plot, view);
    }
    return view;
  };
  // A new plain text given to a title's or label's view at once: the view paints the text of its text
  // model, set silently (BokehJS would build a new one a few promises later). Not where the view's text,
  // or the new one, is not plain (TeX delimiters: `parse_delimited_string`).
  const newPlainText = (view, text) => {
    const textModel = view?._text_view?.model;
    if (textModel?.type !== "PlainText" || typeof text !== "string") return false;
    if (parse_delimited_string(text).type !== "PlainText") return false;
    setv.call(textModel, { text }, { silent: true });
    return true;
  };
  // A title's new text, held: painted by its view from its text model.
  const retitle = (plotView, title, text) =>
    newPlainText(plotView.computed_renderer_views.find((v) => v.model === title), text);
  // A layer's context as BokehJS's painting code expects a plot layer's.
  const painting = (plotView, ctx) => {
    ctx.layer ??= plotView.canvas_view.primary;
    ctx.rect_bbox ??= function ({ x, y, width, height }) {
      this.rect(x, y, width, height);
    };
    return ctx;
  };
  // A guide, text or colour bar as RendererView.paint paints it.
  const paintGuide = (view, ctx) => {
    view.update_geometry();
    view.compute_geometry();
    if (view.displayed && view.is_renderable) view._paint(ctx);
  };

  // An axis or a grid that a drag leaves as it was is drawn from a picture of itself. A plot drawn whole
  // (one of its ranges moved) repaints every axis, grid and title with BokehJS's code, ≈ 1–2 ms a state:
  // tick labels laid out anew, log axes' superscripts and all. When an axis's or grid's models (itself
  // and every model it refers to) have not been set since the state before, its ranges (`guideRanges`)
  // end where they did and its plot's frame, its panel, the layer and the transform are the same, it
  // looks the same: the second such state paints it on a canvas of its own, from which later states copy
  // where it may have painted (`takePicture`). The pictures go when the state rests.
  let pictures = new Map(); // guide view → {deps, revision (its model's), key, canvas, region}
  // The ranges an axis's or grid's picture depends on: its own dimension's; the other one's too where
  // it places the axis (a fixed location) or ends the grid's lines (cross bounds) in data units — else
  // the axis is drawn along its panel and the grid's lines end at the frame's edges, wherever the other
  // range is.
  const guideRanges = (view) => {
    const [own, cross] = view instanceof GridView ? view.ranges() : view.ranges;
    const placed = view instanceof GridView ? view.model.cross_bounds !== "auto" : view.model.fixed_location != null;
    return placed ? [own, cross] : [own];
  };
  const pictureKey = (view, ctx, deps) => {
    const boxes = [view.parent.frame.bbox, view.layout?.bbox ?? view.parent.frame.bbox];
    return [...ctx.getTransform().toFloat64Array(), ctx.canvas.width, ctx.canvas.height,
            ...boxes.flatMap(({ x, y, width, height }) => [x, y, width, height]),
            ...guideRanges(view).flatMap((range) => [range.start, range.end]),
            ...deps.map((model) => revisions.get(model) ?? 0)].join(" ");
  };
  const paintGuideOrPicture = (view, ctx) => {
    if (!(view instanceof AxisView || view instanceof GridView)) return paintGuide(view, ctx);
    const picture = pictures.get(view);
    const key = picture && pictureKey(view, ctx, picture.deps);
    if (picture === undefined || key !== picture.key) {
      // The models it refers to found again only if its own were set (a new ticker, say).
      const same = picture !== undefined && revisions.get(view.model) === picture.revision;
      const deps = same ? picture.deps : [view.model, ...view.model.references()];
      const revision = revisions.get(view.model);
      pictures.set(view, { deps, revision, key: same ? key : pictureKey(view, ctx, deps), canvas: null, region: null });
      return paintGuide(view, ctx);
    }
    if (picture.canvas === null) Object.assign(picture, takePicture(view, ctx));
    if (picture.region === null) return;
    const [x, y, w, h] = picture.region;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(picture.canvas, x, y, w, h, x, y, w, h);
    ctx.restore();
  };
  // A guide painted on a canvas the size of `ctx`'s, and where on it (in the canvas's pixels) it may
  // have painted: a grid in its plot's frame; an axis on its side of the frame, from the frame's edge to
  // the canvas's, end to end (its end labels reach past the frame's ends); anywhere, one placed inside.
  const takePicture = (view, ctx) => {
    const canvas = document.createElement("canvas");
    [canvas.width, canvas.height] = [ctx.canvas.width, ctx.canvas.height];
    const own = painting(view.parent, canvas.getContext("2d"));
    const transform = ctx.getTransform();
    own.setTransform(transform);
    paintGuide(view, own);
    const { left, right, top, bottom } = view.parent.frame.bbox;
    const [width, height] = [canvas.width / transform.a, canvas.height / transform.d]; // in CSS pixels
    const box = view instanceof GridView ? [left, top, right, bottom]
      : { left: [0, 0, left, height], right: [right, 0, width, height],
          above: [0, 0, width, top], below: [0, bottom, width, height] }[view.panel?.side] ?? [0, 0, width, height];
    const [x0, y0] = [Math.floor(transform.a * box[0] + transform.e) - 1, Math.floor(transform.d * box[1] + transform.f) - 1];
    const [x1, y1] = [Math.ceil(transform.a * box[2] + transform.e) + 1, Math.ceil(transform.d * box[3] + transform.f) + 1];
    const [x, y] = [Math.max(0, x0), Math.max(0, y0)];
    const [w, h] = [Math.min(canvas.width, x1) - x, Math.min(canvas.height, y1) - y];
    return { canvas, region: w > 0 && h > 0 ? [x, y, w, h] : null };
  };

  // The plot's primary picture as BokehJS paints it (PlotView._paint_primary), on the layer's canvas.
  const drawWhole = (plotView, layer = layerOf(plotView)) => {
    clear(layer);
    const ctx = painting(plotView, layer.ctx);
    const frame = plotView.frame.bbox;
    plotView._paint_empty(ctx, frame);
    plotView._paint_outline(ctx, frame);
    const draw = (view) => (isGlyph(view) ? drawGlyph(ctx, view, view.model.data_source.data) : paintGuideOrPicture(view, ctx));
    drawInOrder(plotView, ctx, LEVELS.slice(0, -1), (view) => isGlyph(view) || !onPage(view), draw);
  };

  // A plot whose title alone changes (and what this layer draws in its frame) is not drawn whole: the
  // title's panel is covered with the plot's border fill on the layer and the held title painted on it.
  const titled = new Map(); // plot view → its titles drawn here until the state rests
  const canRetitleAlone = (plotView) => {
    const { border_fill, border_hatch, border_line } = plotView.visuals;
    return opaque(border_fill) && !border_hatch.doit && !border_line.doit;
  };
  const drawTitles = (plotView) => {
    const ctx = painting(plotView, layerOf(plotView).ctx);
    for (const view of plotView.computed_renderer_views) {
      if (!titled.get(plotView).has(view.model) || !view.model.visible) continue;
      const { x, y, width, height } = view.layout.bbox;
      ctx.save();
      ctx.beginPath();
      ctx.rect(x, y, width, height);
      plotView.visuals.border_fill.apply(ctx);
      ctx.restore();
      paintGuide(view, ctx);
    }
  };

  // A label's new text is laid out by its view a few promises later (TextAnnotationView._init_text),
  // after the plot has painted this state — in a later task, so a state computed in a frame's callbacks
  // showed its label's old text for a frame, and the plot's overlays were painted twice a state. A plain
  // text is given to the view at once (`newPlainText`), as a title's is: painted with the state. Any
  // other is painted again once laid out.
  const retexted = new Set();
  const paintNewTexts = () => {
    const labels = [...retexted];
    retexted.clear();
    const plots = new Set();
    for (const label of labels) {
      const view = viewOf(label);
      if (view?.plot_view == null) continue;
      view.plot_view.request_paint(view);
      plots.add(view.plot_view);
    }
    for (const plotView of plots) plotView.paint();
  };

  // Run a module's paint: its changes to the plots drawn here, or by BokehJS when this layer cannot.
  const paint = (paintModels) => {
    counted = new WeakSet();
    recording = [];
    let changes;
    try {
      paintModels();
    } finally {
      changes = recording;
      recording = null;
    }
    const kinds = changes.map(([model, attrs, options]) => classify(model, attrs, options));
    const bokeh = kinds.findIndex((kind) => kind.kind === "bokeh");
    if (bokeh >= 0) {
      const [model] = changes[bokeh];
      const reason = `${model.type}${model.name ? ` ${model.name}` : ""}`;
      quick.byBokeh.set(reason, (quick.byBokeh.get(reason) ?? 0) + 1);
      commit();
      for (const [model, attrs, options] of changes) setv.call(model, attrs, options);
      return;
    }
    const plots = new Set();
    const rescaled = new Set();
    let held = false; // a change held for a plot out of sight
    changes.forEach(([model, attrs, options], i) => {  // ranges, titles, bars first: their plots drawn whole
      const { kind, plot, bar } = kinds[i];
      if (kind !== "whole") return;
      const plotView = plotViewOf(plot);
      // The change kept for the rest: a colour bar takes its new scale (unpainted), anything else is held.
      const keep = () =>
        bar ? unpainted(plotView, () => newScale(model, attrs, () => setv.call(model, attrs, options))) : hold(model, attrs);
      if (plotView != null && unseen(plotView)) {
        keep();
        skipped.add(plotView);
        held = true;
        return;
      }
      const retitled = model.type === "Title" && plotView != null && retitle(plotView, model, attrs.text);
      if (retitled && !whole.has(plotView) && canRetitleAlone(plotView)) {
        hold(model, attrs);
        setIn(titled, plotView).add(model);
        setIn(drawn, plotView);
        plots.add(plotView);
        return;
      }
      const can = plotView != null && (whole.has(plotView) || canDrawWhole(plotView));
      if (!can || (model.type === "Title" && !retitled)) {
        setv.call(model, attrs, options);
        return;
      }
      keep();
      keepLayout(plotView);
      whole.add(plotView);
      setIn(drawn, plotView);
      plots.add(plotView);
      rescaled.add(plotView);
    });
    changes.forEach(([model, attrs, options], i) => {
      const { kind, renderers } = kinds[i];
      if (kind === "direct") {
        const relabelled = model.type === "Label" && "text" in attrs && newPlainText(viewOf(model), attrs.text);
        setv.call(model, attrs, options);
        if (model.type === "Label" && "text" in attrs && !relabelled) retexted.add(model);
      }
      else if (kind === "quick") {
        const views = renderers.map(viewOf);
        if (views.some((view) => view?.plot_view == null)) {  // a renderer not on screen: nothing to draw
          setv.call(model, attrs, options);
          return;
        }
        hold(model, attrs);
        for (const view of views) {
          if (unseen(view.plot_view)) {
            skipped.add(view.plot_view);
            held = true;
          } else {
            if (!whole.has(view.plot_view)) take(view);
            plots.add(view.plot_view);
          }
        }
      }
    });
    for (const plotView of plots) {
      const isWhole = whole.has(plotView);
      // What a whole plot paints over this layer moves with its ranges: that layer alone is painted again.
      if (isWhole && rescaled.has(plotView))
        for (const view of plotView.computed_renderer_views) if (view.model.level === "overlay") plotView.request_paint(view);
      if (!isWhole) takeThoseAbove(plotView);
      if (plotView._invalidated_painters.size > 0 || plotView._invalidate_all) plotView.paint();
      (isWhole ? drawWhole : drawPlot)(plotView);
      if (!isWhole && titled.has(plotView)) drawTitles(plotView);
    }
    if (retexted.size > 0) defer().then(paintNewTexts);
    if (plots.size > 0 || held) {
      quick.drawn++;
      clearTimeout(timer);
      timer = setTimeout(commit, quick.restMs);
    }
  };

  // Warming up. The browser compiles this layer's drawing code while it first runs it: on a fresh page
  // with a core busy, /ravine's second drawn state took 5–8 ms (1–2 once warm), and a first drag lost
  // frames to it. So once a figure's page is idle, `warm(models)` makes the layers a drag of its module
  // will draw on, and draws WARM_ROUNDS times — on a canvas of its own, never shown — the renderers of
  // the module's sources and, whole, the plots whose ranges, titles or colour bars it sets, each from
  // its plot's own data and ranges. No model is changed.
  const WARM_ROUNDS = 6;
  // `fn(deadline)` when the page is idle (or soon, where the browser cannot say).
  const idle = window.requestIdleCallback?.bind(window) ?? ((fn) => setTimeout(() => fn({ timeRemaining: () => 8 }), 50));
  const warm = (models) => {
    const found = new Set();
    const visit = (value) => {
      if (value instanceof HasProps) found.add(value);
      else if (Array.isArray(value)) value.forEach(visit);
      else if (value?.constructor === Object) Object.values(value).forEach(visit);
    };
    visit(models);
    const glyphs = new Map(); // plot view → the views of the renderers that draw the module's sources
    const wholes = new Set(); // plot views the module can have drawn whole
    for (const model of found) {
      if (model.document == null) continue;
      const index = indexOf(model.document);
      for (const user of index.users.get(model) ?? []) {
        const view = drawable(user) ? viewOf(user) : undefined;
        if (view?.plot_view != null) setIn(glyphs, view.plot_view).add(view);
      }
      const ranged = ["Range1d", "Title"].includes(model.type) ? [index.plotOf.get(model)] : [];
      for (const plot of [...ranged, ...(index.bars.get(model) ?? []).map((bar) => index.plotOf.get(bar))]) {
        const plotView = plot === undefined ? undefined : plotViewOf(plot);
        if (plotView != null && canDrawWhole(plotView)) wholes.add(plotView);
      }
    }
    for (const plotView of new Set([...glyphs.keys(), ...wholes])) {
      layerOf(plotView);
      watchSight(plotView);
    }
    const canvas = document.createElement("canvas");
    const rehearsal = { canvas, ctx: canvas.getContext("2d") };
    const tasks = [
      ...[...glyphs].map(([plotView, views]) => () => drawPlot(plotView, sized(rehearsal, plotView), views)),
      ...[...wholes].map((plotView) => () => drawWhole(plotView, sized(rehearsal, plotView))),
    ];
    const total = WARM_ROUNDS * tasks.length;
    let done = 0;
    const run = (deadline) => {
      while (done < total && deadline.timeRemaining() > 2) tasks[done++ % tasks.length]();
      if (done < total) idle(run);
      else quick.warmUps++;
    };
    idle(run);
  };

  // traceLine and warmUps (the warm-ups done): for the tests; drawn: the states this layer has drawn (or
  // held, their plots out of sight); byBokeh: the states BokehJS painted at once, by the first change this
  // layer could not draw (for measurements); committing: true while held changes are set; idle(fn): fn
  // when the page is idle.
  const quick = {
    paint, commit, warm, idle, warmUps: 0, drawable, traceLine, drawn: 0, byBokeh: new Map(), committing: false, restMs: REST_MS, canvases: new Set(),
  };
  return quick;
})()

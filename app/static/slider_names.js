// A slider's handle is named by its title and read as its value is shown: "Step-size α", "0.005".
//
// BokehJS's noUiSlider gives the handle (role="slider") no name, and a value text of the track's own
// number to two decimals: a screen reader heard "slider, -2.30" for α = 0.005 (the track of a log slider
// holds log₁₀ α) and "0.00" for β = 0.001. Here, each time noUiSlider updates the handle (its "update"
// event comes after it set its own value text) and each time the title is written again, the handle
// gets aria-label = the slider's title and aria-valuetext = the value as the title shows it (the
// slider's own format). Run once per page; the sliders already drawn are named at once, later ones as
// they render.
const { AbstractSliderView } = Bokeh.require("models/widgets/sliders/abstract_slider");
const proto = AbstractSliderView.prototype;
const nameHandles = (view) => {
  if (view.slider_el == null) return;
  const { title, value } = view.model;
  const values = Array.isArray(value) ? value : [value];
  view.slider_el.querySelectorAll(".noUi-handle").forEach((handle, i) => {
    if (title) handle.setAttribute("aria-label", title);
    if (i < values.length) handle.setAttribute("aria-valuetext", view.pretty(values[i]));
  });
};
const watch = (view) => {
  if (view._noUiSlider == null || view.__momentumNamed === view._noUiSlider) return;
  view.__momentumNamed = view._noUiSlider;
  view._noUiSlider.on("update.momentumNames", () => nameHandles(view));
  nameHandles(view);
};
if (!proto.__momentumNames) {
  proto.__momentumNames = true;
  const render = proto.render;
  proto.render = function (...args) {
    render.apply(this, args);
    watch(this);
  };
  const updateTitle = proto._update_title; // a new title, or format, without a move
  proto._update_title = function (...args) {
    updateTitle.apply(this, args);
    nameHandles(this);
  };
}
for (const view of Bokeh.index.all_views()) if (view instanceof AbstractSliderView) watch(view);

// Warm up every figure's page module of a document once it is ready, and of each figure added to it
// later (`/`'s sections, built as the reader nears them): run once per page, on document_ready, with
// the document as cb_obj. Each figure's page spec holds the callback that warms its module up
// (`page_module.WARM`: the figure's update callback, told to warm up).
const doc = cb_obj;
const warmed = new WeakSet();
const warmNew = () => {
  for (const model of doc.all_models)
    if (model.type.endsWith("PageSpec") && model.warm != null && !warmed.has(model)) {
      warmed.add(model);
      model.warm.execute(model.warm);
    }
};
warmNew();
// Counted again only after a change that can bring models: doc.all_models makes a new set of them all
// each time it is read (0.14 ms on `/` built whole), and a drag sets a number or a text ~150 times.
const { ModelChangedEvent } = Bokeh.require("document/events");
const bringsNone = (event) => event instanceof ModelChangedEvent && (event.value === null || typeof event.value !== "object");
let size = doc.all_models.size;
doc.on_change((event) => {
  if (bringsNone(event)) return;
  const now = doc.all_models.size;
  if (now === size) return;  // no model added: no figure either
  size = now;
  warmNew();
});

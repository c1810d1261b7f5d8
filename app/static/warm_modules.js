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
let size = doc.all_models.size;
doc.on_change(() => {
  if (doc.all_models.size === size) return;  // no model added: no figure either
  size = doc.all_models.size;
  warmNew();
});

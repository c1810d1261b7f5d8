// A served page tells its server a property's newest value, not every value it passed through: while a
// slider moves, its changes (and the readouts the page module writes) reach the server at most every
// SEND_MS, the last one always. The page computes and paints every state itself; the server keeps the
// URL state and the session's models, for which only the latest value matters — and each message costs
// it ≈ 2 ms (Bokeh's handling and the URL state: docs/speed.md), 60 a second per dragging reader.
//
// Run once per page (on document_ready, like the other page scripts): it wraps BokehJS's
// ClientSession._document_changed, which sends each change as it comes. A change of properties only
// (ModelChangedEvent) is kept, the newest per model and property, and sent with the others kept once
// SEND_MS have passed since the last message; any other event (a click, a message of Panel's) sends
// what is kept first, then itself, so the server sees every change in its order. A static file has no
// session: nothing to do there.
const SEND_MS = 100;
const { ClientSession } = Bokeh.require("client/session");
const { DocumentEventBatch, ModelChangedEvent } = Bokeh.require("document/events");
const proto = ClientSession.prototype;
if (!proto.__momentumSendLatest) {
  proto.__momentumSendLatest = true;
  const send = proto._document_changed;
  const kept = new WeakMap(); // session → {changes: "model property" → event, sent: time, timer}
  const flush = (session, state) => {
    clearTimeout(state.timer);
    state.timer = null;
    if (state.changes.size === 0) return;
    const events = [...state.changes.values()];
    state.changes.clear();
    state.sent = performance.now();
    send.call(session, new DocumentEventBatch(session.document, events));
  };
  proto._document_changed = function (event) {
    const events = (event instanceof DocumentEventBatch ? (event.sync ? event.events : []) : [event]).filter(
      (e) => e.sync,
    );
    if (events.length === 0) return;
    let state = kept.get(this);
    if (state === undefined) kept.set(this, (state = { changes: new Map(), sent: -Infinity, timer: null }));
    if (!events.every((e) => e instanceof ModelChangedEvent)) {
      flush(this, state);
      send.call(this, event);
      state.sent = performance.now();
      return;
    }
    for (const e of events) {
      const key = `${e.model.id} ${e.attr}`;
      state.changes.delete(key); // the newest last: changes go in the order they were last made
      state.changes.set(key, e);
    }
    const wait = state.sent + SEND_MS - performance.now();
    if (wait <= 0) flush(this, state);
    else if (state.timer === null) state.timer = setTimeout(() => flush(this, state), wait);
  };
}

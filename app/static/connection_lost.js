// Runs in the page when its websocket to the server closes (Bokeh's "connection_lost" document event):
// the server stopped, restarted, or the network went away. Without this the page would look alive —
// sliders still move — while nothing is redrawn. Shows a banner above the figure with a Reload button
// and makes the figure inert (dimmed, no pointer or keyboard input). Reloading rebuilds the page from
// its URL, which holds the state of the last finished gesture. `anchor` is a model of this document:
// a page embedding several figures with `server_document` has one document (and one banner) each.
const doc = anchor.document;
const roots = Bokeh.index.roots.filter(
  (view) => view.model.document === doc && view.el instanceof HTMLElement && view.el.isConnected,
);
if (roots.length === 0) return;
const first = roots[0].el;
const previous = first.previousElementSibling;
if (previous !== null && previous.classList.contains("momentum-offline")) return;  // already shown
const banner = document.createElement("div");
banner.className = "momentum-offline";
banner.setAttribute("role", "alert");
banner.style.cssText = [
  "position: sticky", "top: 0", "z-index: 10000", "display: flex", "flex-wrap: wrap", "gap: 0.8em",
  "align-items: center", "margin: 0 0 0.6em 0", "padding: 0.7em 1em", "border-radius: 4px",
  "background: #fdecea", "color: #611a15", "border: 1px solid #d32f2f",
  "font: 15px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
].join("; ");
const text = document.createElement("span");
text.textContent = message;
const button = document.createElement("button");
button.type = "button";
button.className = "momentum-reload";
button.textContent = "Reload";
button.style.cssText = "font: inherit; padding: 0.2em 1em; cursor: pointer";
button.addEventListener("click", () => window.location.reload());
banner.append(text, button);
first.parentNode.insertBefore(banner, first);
for (const view of roots) {
  view.el.inert = true;
  view.el.style.opacity = "0.45";
  view.el.style.transition = "opacity 0.2s";
}
button.focus({preventScroll: true});

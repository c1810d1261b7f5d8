// A section of the article at "/": an anchor (id = the figure's route name) that builds its figure when
// it comes near the viewport, or at once when the address names it (/#limits), and brings it into view
// once it is drawn (app/sections.py).
export function render({ model, el }) {
  const anchor = document.createElement("div");
  anchor.id = model.key;
  anchor.className = "section-anchor";
  const waiting = document.createElement("div");
  waiting.className = "section-waiting";
  waiting.textContent = "Typesetting this section …";
  waiting.style.cssText = `min-height: ${model.placeholder_height}px; color: #777; font-size: 14px;`;
  if (!model.built) anchor.appendChild(waiting);
  el.appendChild(anchor);
  const named = () => decodeURIComponent(window.location.hash.slice(1)) === model.key;
  const build = () => { if (!model.near) model.near = true; };
  if (named()) build();
  const observer = new IntersectionObserver(
    (entries) => { if (entries.some((e) => e.isIntersecting)) { build(); observer.disconnect(); } },
    { rootMargin: `${model.margin}px 0px` },
  );
  if (!model.built) observer.observe(anchor);
  // Named by the address: bring it into view once drawn, and again while the page above settles
  // (figures above it are drawn too), until the reader scrolls, types or presses.
  let reader_moved = false;  // a wheel, a touch, a key, or a press (on the scroll bar or a link)
  for (const event of ["wheel", "touchmove", "keydown", "pointerdown"])
    window.addEventListener(event, () => { reader_moved = true; }, { passive: true });
  const bring_into_view = () => {
    // Sections above it may be built meanwhile (a placeholder replaced by a figure of another
    // height) and move it: put it back in every frame, before it is painted, for three seconds.
    const until = performance.now() + 3000;
    const keep = () => {
      if (reader_moved) return;
      if (Math.abs(anchor.getBoundingClientRect().top) > 1) anchor.scrollIntoView();
      if (performance.now() < until) requestAnimationFrame(keep);
    };
    keep();
  };
  if (model.built && named()) bring_into_view();
  const on_hash = () => {  // a contents link: build this section if it is the one named, then show it
    if (!named()) return;
    reader_moved = false;
    build();
    if (model.built) bring_into_view();
  };
  window.addEventListener("hashchange", on_hash);
  model.on("remove", () => window.removeEventListener("hashchange", on_hash));
  model.on("built", () => {
    if (model.built) waiting.remove();
    if (model.built && named()) bring_into_view();
  });
  model.on("remove", () => observer.disconnect());
}

// The static article (index.html): each section past the first is a document of its own, drawn when
// the reader comes within MARGIN_PX of its slot, or at once when the address names it (#limits), as
// the served "/" builds its sections (app/sections.py). Building all fifteen figures before the first
// paint made the file take six times as long to open as one figure. Slots are watched only once the
// first block is drawn: before, every slot is at the top of an empty page, "near" the viewport.
{
  const slots = [...document.querySelectorAll(".momentum-later")];
  // Strings the blocks share (style sheets, page modules) are held once: "\u0001" and their index.
  const strings = JSON.parse(document.getElementById("momentum-strings").textContent);
  const shared = (key, value) =>
    typeof value === "string" && value.charCodeAt(0) === 1 ? strings[Number(value.slice(1))] : value;
  const build = (slot) => {
    if (slot.dataset.built) return Promise.resolve();
    slot.dataset.built = "true";
    const { docs, items } = JSON.parse(document.getElementById(slot.dataset.block).textContent, shared);
    return Bokeh.embed.embed_items(docs, items).then(() => {
      slot.style.minHeight = "";
    });
  };
  const near = new IntersectionObserver(
    (entries) => {
      for (const entry of entries.filter((e) => e.isIntersecting)) {
        near.unobserve(entry.target);
        build(entry.target);
      }
    },
    { rootMargin: `${MARGIN_PX}px 0px` },
  );
  const named = () => slots.find((slot) => slot.id === decodeURIComponent(window.location.hash.slice(1)));
  const show = (slot) => {
    if (slot) build(slot).then(() => slot.scrollIntoView());
  };
  const drawn = () =>
    window.Bokeh !== undefined && Bokeh.documents.length > 0 && [...Bokeh.index].every((v) => v.has_finished());
  const start = () => {
    if (!drawn()) return requestAnimationFrame(start);
    show(named());
    slots.forEach((slot) => near.observe(slot));
    window.addEventListener("hashchange", () => show(named()));
  };
  start();
}

// The /embed page's card: a lazy live preview and snippets that follow its state (app/embed.py).
export function render({ model, el }) {
  const route = model.route;
  const base = window.location.origin + window.location.pathname.replace(/\/embed\/?$/, "");
  const card = document.createElement("section");
  card.className = "embed-card " + route + "-embed";
  card.id = route;  // /embed#ravine brings this card into view
  card.innerHTML = `
    <h3></h3>
    <iframe loading="lazy" style="width:100%;border:1px solid #ccc;border-radius:4px"></iframe>
    <div class="snippet iframe-snippet"><div class="label">iframe (any web page)</div>
      <pre tabindex="0"></pre><button type="button">Copy</button></div>
    <div class="snippet server-snippet"><div class="label">bokeh.embed.server_document (a page that runs Bokeh or Panel)</div>
      <pre tabindex="0"></pre><button type="button">Copy</button></div>
    <div class="snippet static-snippet"><div class="label">static file (no server: copy the file next to your page)</div>
      <pre tabindex="0"></pre><button type="button">Copy</button></div>`;
  card.querySelector("h3").textContent = model.heading;
  const frame = card.querySelector("iframe");
  frame.title = model.heading + " (live preview)";
  frame.height = String(model.preview_height);
  frame.src = `${base}/${route}`;
  const [iframePre, serverPre, staticPre] = card.querySelectorAll("pre");
  const quote = (s) => s.replace(/"/g, "&quot;");
  let shown = null;
  function update() {
    let query = "";
    try { query = frame.contentWindow.location.search || ""; } catch (e) { query = ""; }
    if (query === shown) return;
    shown = query;
    const url = `${base}/${route}${query}`;
    iframePre.textContent =
      `<iframe src="${quote(url)}" width="100%" height="${model.preview_height}" ` +
      `style="border:0" loading="lazy" title="${quote(model.heading)}"></iframe>`;
    const args = [...new URLSearchParams(query)].map(([k, v]) => `"${k}": "${v}"`).join(", ");
    serverPre.textContent =
      `from bokeh.embed import server_document\n\n` +
      `script = server_document("${base}/${route}"${args ? `, arguments={${args}}` : ""})\n` +
      `# put {{ script|safe }} in your Flask/Django/Jinja page, or in a Panel app: pn.pane.HTML(script)`;
    staticPre.textContent =
      `momentum-explorer export static/ ${route}\n` +
      `<iframe src="static/${route}.html" width="100%" height="${model.preview_height}" style="border:0" ` +
      `title="${quote(model.heading)}"></iframe>`;
  }
  for (const button of card.querySelectorAll("button")) {
    button.addEventListener("click", async () => {
      const text = button.previousElementSibling.textContent;
      try { await navigator.clipboard.writeText(text); button.textContent = "Copied"; }
      catch (e) { window.getSelection().selectAllChildren(button.previousElementSibling); button.textContent = "Selected: press Ctrl+C"; }
      setTimeout(() => { button.textContent = "Copy"; }, 2000);
    });
  }
  frame.addEventListener("load", update);
  update();
  const timer = setInterval(update, 500);
  model.on("remove", () => clearInterval(timer));
  el.appendChild(card);
  if (decodeURIComponent(window.location.hash.slice(1)) === route) {
    setTimeout(() => card.scrollIntoView(), 200);
  }
}

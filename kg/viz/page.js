// The kg graph page. Data comes from the JSON block #kg-data and is untrusted text from
// news articles: it only ever reaches the DOM through textContent, never innerHTML, and
// vis-network gets no `title` strings (vis renders those as HTML).
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const $ = (id) => document.getElementById(id);
  const GLYPHS = { dot: "●", star: "★", square: "■", hexagon: "⬢", triangle: "▲", triangleDown: "▼", diamond: "◆" };

  // Read-only hooks for tests and tools.
  let ready = false;
  let readyMs = null;
  Object.defineProperty(window, "kgReady", { get: () => ready });
  Object.defineProperty(window, "kgReadyMs", { get: () => readyMs });
  const markReady = () => {
    if (!ready) { ready = true; readyMs = performance.now(); document.body.dataset.kgReady = "true"; }
  };

  const el = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  };
  const norm = (s) => String(s).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

  const classes = {};
  const visible = {};
  data.classes.forEach((c) => { classes[c.name] = c; visible[c.name] = true; });
  const groupOf = data.nodes.map((n) => n.group);
  const adjacency = data.nodes.map(() => []);
  data.edges.forEach((e, i) => {
    adjacency[e.from].push({ edge: i, other: e.to, out: true });
    adjacency[e.to].push({ edge: i, other: e.from, out: false });
  });

  // ---- the network ----
  const nodes = new vis.DataSet(data.nodes.map((n) => {
    const item = { id: n.id, label: n.label, group: n.group, size: n.size };
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    return item;
  }));
  const edges = new vis.DataSet(data.edges.map((e, i) => {
    const item = { id: i, from: e.from, to: e.to, label: e.label };
    if (!e.arrows) item.arrows = { to: { enabled: false } };
    if (e.smooth) item.smooth = { enabled: true, type: e.smooth.type, roundness: e.smooth.roundness };
    return item;
  }));
  const nodeView = new vis.DataView(nodes, { filter: (n) => visible[n.group] });
  const edgeView = new vis.DataView(edges, { filter: (e) => visible[groupOf[e.from]] && visible[groupOf[e.to]] });

  const groups = {};
  data.classes.forEach((c) => {
    groups[c.name] = { shape: c.shape, color: { background: c.color, border: "#555555", highlight: { background: c.color, border: "#000000" } } };
  });
  const options = {
    groups,
    nodes: { borderWidth: 1, font: { size: 14, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: {
      width: 1,
      arrows: { to: { enabled: true, scaleFactor: 0.5 } },
      color: { color: "#a0a0a0", highlight: "#333333", hover: "#555555", inherit: false },
      font: { size: 10, align: "middle", color: "#555555", strokeWidth: 2, strokeColor: "#ffffff" },
      smooth: data.large ? false : { type: "continuous" },
    },
    physics: data.physics
      ? {
          enabled: true,
          solver: "barnesHut",
          barnesHut: { gravitationalConstant: -9000, centralGravity: 0.9, springLength: 150, springConstant: 0.04, avoidOverlap: 0.5 },
          stabilization: { enabled: true, iterations: 200, updateInterval: 50, fit: true },
        }
      : { enabled: false },
    layout: { randomSeed: 7, improvedLayout: data.physics && data.nodes.length <= 100 },
    interaction: { hover: !data.large, hideEdgesOnDrag: data.large, hideEdgesOnZoom: data.large, keyboard: false },
  };
  const network = new vis.Network($("kg-graph"), { nodes: nodeView, edges: edgeView }, options);
  Object.defineProperty(window, "kgNetwork", { value: network });

  const drawnAndSettled = () => {
    if (data.focus !== null && data.focus !== undefined) network.selectNodes([data.focus]);
    network.once("afterDrawing", markReady);
    network.redraw();
  };
  if (data.physics && data.nodes.length > 0) {
    // Bounded stabilisation, then physics off so the picture stays still.
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      drawnAndSettled();
    });
  } else {
    network.fit();
    drawnAndSettled();
  }

  // ---- side panel ----
  const panel = $("kg-panel");
  const body = $("kg-panel-body");
  const row = (dl, term, value) => {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    const dd = el("dd");
    if (value instanceof Node) dd.append(value);
    else dd.textContent = Array.isArray(value) ? value.join("; ") : String(value);
    dl.append(el("dt", term), dd);
  };
  const wikidataLink = (qid) => {
    if (!/^Q[0-9]+$/.test(qid || "")) return null;
    const a = el("a", qid);
    a.href = "https://www.wikidata.org/wiki/" + qid;  // followed only when clicked
    a.target = "_blank";
    a.rel = "noopener noreferrer external";
    return a;
  };
  const typeText = (name) => {
    const path = (classes[name] && classes[name].path) || [name];
    return path.length > 1 ? `${path[0]} (${path.slice(1).join(" › ")})` : path[0];
  };
  const evidenceList = (items) => {
    const ul = el("ul", null, "kg-evidence");
    items.forEach((ev) => {
      const li = el("li");
      li.append(el("q", ev.text));
      const source = [ev.article, ev.date].filter(Boolean).join(", ");
      if (source) li.append(el("cite", source));
      ul.append(li);
    });
    return ul;
  };
  const reportList = (items) => {
    const ol = el("ol", null, "kg-reports");
    items.forEach((r) => {
      const li = el("li");
      li.append(el("strong", [r.outlet, r.date].filter(Boolean).join(", ") || "undated"));
      li.append(el("cite", r.article));
      if (r.text) li.append(el("q", r.text));
      ol.append(li);
    });
    return ol;
  };
  const section = (title, content) => { body.append(el("h3", title), content); };
  const open = (title) => { body.replaceChildren(el("h2", title)); panel.hidden = false; };

  const linkList = (id) => {
    const ul = el("ul", null, "kg-links");
    adjacency[id].slice(0, 200).forEach(({ edge, other, out }) => {
      const li = el("li");
      const button = el("button", data.nodes[other].info.name);
      button.type = "button";
      button.addEventListener("click", () => focusNode(other));
      li.append(el("span", out ? `${data.edges[edge].label} → ` : `← ${data.edges[edge].label} `, "kg-rel"), button);
      ul.append(li);
    });
    return ul;
  };

  function showNode(id) {
    const n = data.nodes[id];
    if (!n) return false;
    const info = n.info;
    open(info.name);
    const dl = el("dl");
    row(dl, "Type", typeText(n.group));
    row(dl, "Also", info.aliases);
    row(dl, "Wikidata", wikidataLink(info.wikidata));
    row(dl, "Role", info.role);
    row(dl, "Date", info.date);
    row(dl, "Reported", info.reported);
    row(dl, "IRI", info.iri);
    body.append(dl);
    if (info.quote) section("Quote", el("blockquote", info.quote));
    if (info.reports && info.reports.length) section(`Reports (${info.reports.length})`, reportList(info.reports));
    if (info.evidence && info.evidence.length) section("Evidence", evidenceList(info.evidence));
    if (adjacency[id].length) section(`Connections (${adjacency[id].length})`, linkList(id));
    return true;
  }

  function showEdge(index) {
    const e = data.edges[index];
    if (!e) return false;
    const info = e.info || {};
    open(e.label);
    const dl = el("dl");
    row(dl, "From", data.nodes[e.from].info.name);
    row(dl, "To", data.nodes[e.to].info.name);
    row(dl, "Via", info.via);
    row(dl, "Facts", info.count);
    row(dl, "Date", info.date);
    body.append(dl);
    if (info.evidence && info.evidence.length) section("Evidence", evidenceList(info.evidence));
    return true;
  }

  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else panel.hidden = true;
  });
  $("kg-close").addEventListener("click", () => { panel.hidden = true; network.unselectAll(); });

  // ---- type filter ----
  const boxes = {};
  const refresh = () => {
    // Keep where nodes are (settled or dragged) so a type shown again comes back in place.
    const positions = network.getPositions();
    nodes.update(Object.keys(positions).map((id) => ({ id: Number(id), x: positions[id].x, y: positions[id].y })));
    nodeView.refresh();
    edgeView.refresh();
    $("kg-count").textContent = `${nodeView.length} of ${data.nodes.length} nodes · ${edgeView.length} edges`;
  };
  data.classes.forEach((c) => {
    const label = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.cls = c.name;
    box.addEventListener("change", () => { visible[c.name] = box.checked; refresh(); });
    boxes[c.name] = box;
    const swatch = el("span", GLYPHS[c.shape] || "●", "kg-swatch");
    swatch.style.color = c.color;
    label.append(box, swatch, el("span", c.name), el("span", c.count, "kg-class-count"));
    const li = el("li");
    li.append(label);
    $("kg-classes").append(li);
  });
  const setAll = (on) => {
    Object.keys(boxes).forEach((name) => { boxes[name].checked = on; visible[name] = on; });
    refresh();
  };
  $("kg-all").addEventListener("click", () => setAll(true));
  $("kg-none").addEventListener("click", () => setAll(false));
  refresh();

  // ---- search ----
  const names = [];
  data.nodes.forEach((n) => {
    names.push({ key: norm(n.info.name), id: n.id, rank: 0 });
    (n.info.aliases || []).forEach((a) => names.push({ key: norm(a), id: n.id, rank: 1 }));
  });
  const biggest = (hits) => hits.sort((a, b) => a.rank - b.rank || data.nodes[b.id].size - data.nodes[a.id].size)[0];
  function find(text) {
    const q = norm(text);
    if (!q) return null;
    const hit = biggest(names.filter((n) => n.key === q))
      || biggest(names.filter((n) => n.key.startsWith(q)))
      || biggest(names.filter((n) => n.key.includes(q)));
    return hit ? hit.id : null;
  }
  function focusNode(id) {
    const group = groupOf[id];
    if (!visible[group]) { visible[group] = true; boxes[group].checked = true; refresh(); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    showNode(id);
  }
  const datalist = $("kg-names");
  [...new Set(data.nodes.map((n) => n.info.name))].sort().forEach((name) => {
    const option = el("option");
    option.value = name;
    datalist.append(option);
  });
  const search = $("kg-search");
  const runSearch = () => {
    const id = find(search.value);
    $("kg-status").textContent = id === null && search.value.trim() ? `No node named “${search.value.trim()}”` : "";
    if (id !== null) focusNode(id);
    return id;
  };
  search.addEventListener("change", runSearch);
  search.addEventListener("keydown", (event) => { if (event.key === "Enter") runSearch(); });

  // ---- timeline: the events by date, each a way into the graph ----
  const isEvent = (n) => ((classes[n.group] && classes[n.group].path) || []).includes("Event");
  const when = (n) => n.info.date || (n.info.reports && n.info.reports.length ? n.info.reports[0].date : "") || n.info.reported || "";
  const strip = $("kg-timeline-items");
  data.nodes.filter(isEvent).filter(when)
    .sort((a, b) => when(a).localeCompare(when(b)) || a.info.name.localeCompare(b.info.name))
    .forEach((n) => {
      const button = el("button", null, "kg-event");
      button.type = "button";
      button.dataset.node = String(n.id);
      button.append(el("time", when(n)), el("span", n.info.name));
      const count = (n.info.reports || []).length;
      if (count > 1) button.append(el("span", `${count} reports`, "kg-event-reports"));
      button.addEventListener("click", () => focusNode(n.id));
      const li = el("li");
      li.append(button);
      strip.append(li);
    });
  $("kg-timeline").hidden = !strip.children.length;

  Object.defineProperty(window, "kgShowNode", {
    value: (id) => { network.selectNodes([id]); return showNode(id); },
  });
  Object.defineProperty(window, "kgShowEdge", { value: (index) => showEdge(index) });
  Object.defineProperty(window, "kgFind", {
    value: (text) => { search.value = String(text); return runSearch(); },
  });
})();
